/**
 * The dead-lettered-webhook alarm, end to end on this side of CloudWatch: the manifest's log alarm
 * (service.ts `logAlarms`) becomes a metric filter on `$.level` and `$.message` of the functions'
 * JSON log lines, so a delivery that gives up must write exactly such a line. Here a real delivery
 * to a receiver on 127.0.0.1 that always fails runs through the real consumer, sweep and sender
 * until it is dead-lettered, and what the functions' Powertools logger writes to the process's
 * stdout and stderr is read back: one line at the alarm's level with the alarm's message.
 *
 * The clock is moved rather than slept through: by hand for the sweep's factory, and for the
 * deployed entry point (which runs on the system clock) the delivery's first attempt is made 25
 * hours in the past, so its next attempt is the one that gives up.
 */
import { agencyOnboardedV1, referralDecidedV1 } from '@fsp/shared/events/definitions/referrals';
import { createLogger } from '@fsp/shared/observability/logger';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { createTestTable, lambdaEnvironment, type TestTable } from '@fsp/shared/testing/dynamodb';
import { lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import type { Clock } from '@fsp/shared/time/clock';
import { manifest } from '../../service';
import type { EmailSender } from '../../src/adapters/ses-email-sender';
import { createWebhookPoster } from '../../src/adapters/webhook-sender';
import { createAgencyOnboardedConsumer } from '../../src/consumers/agency-onboarded';
import { createReferralDecidedConsumer } from '../../src/consumers/referral-decided';
import { webhookDeliveryIdOf } from '../../src/domain/webhook';
import { createWebhookSweep } from '../../src/schedules/webhook-retries';
import { createDeliveryStore } from '../../src/store/delivery-store';
import { heldToDeclaration } from '../support/declared-runtime';
import { factOf } from '../support/facts';
import { notificationsHttpHandler } from '../support/http';
import { movableClock, type Receiver, startReceiver } from '../support/outbound';
import { putWebhook } from '../support/outbound-runtime';

const alarm = manifest.logAlarms?.find((candidate) => candidate.name === 'webhook-dead-lettered');

/** The variables that decide where and how much Powertools logs; each test sets them as a deployed function has them. */
const LOGGER_ENV = ['POWERTOOLS_DEV', 'POWERTOOLS_LOG_LEVEL', 'AWS_LAMBDA_LOG_LEVEL'] as const;

let table: TestTable;
let receiver: Receiver;
const savedEnv: Record<string, string | undefined> = {};

beforeEach(async () => {
  table = await createTestTable('notifications-alarm');
  // Always fails, as a partner's endpoint that is down for a day and more.
  receiver = await startReceiver([503]);
  for (const name of [
    ...LOGGER_ENV,
    'TABLE_NAME',
    'STAGE',
    'AWS_ENDPOINT_URL_DYNAMODB',
    'AWS_REGION',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
  ]) {
    savedEnv[name] = process.env[name];
  }
  // In AWS no POWERTOOLS_LOG_LEVEL is set (infra/cdk/service-stack.ts), so the logger writes INFO and up, as JSON lines.
  for (const name of LOGGER_ENV) delete process.env[name];
});
afterEach(async () => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await receiver.stop();
  await table.drop();
});

/**
 * Everything written to the process's stdout and stderr while `run` runs, as JSON lines: where a
 * Lambda function's log lines go (Powertools writes through its own Console on both streams, ERROR
 * to stderr). The streams are intercepted, not the logger, so any way the code under test logs is seen.
 */
async function loggedWhile(run: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const intercept = (stream: NodeJS.WriteStream) =>
    jest.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as NodeJS.WriteStream['write']);
  const spies = [intercept(process.stdout), intercept(process.stderr)];
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const noEmail: EmailSender = async () => {
  throw new Error('a partner referral sends no email');
};

/** The runtime an entry point builds (serviceRuntimeFromEnvironment), with the test's table and clock: the same logger. */
function runtimeWith(clock: Clock): ServiceRuntime {
  return {
    serviceName: 'notifications',
    tableName: table.tableName,
    dynamo: table.client,
    documents: table.documentClient,
    clock,
    logger: createLogger('notifications'),
  };
}

/** An onboarded agency whose webhook is the failing receiver, and the ReferralDecided fact that is to reach it. */
async function agencyWithFailingWebhook(runtime: ServiceRuntime, agencyId: string) {
  const clientId = `client-${agencyId}`;
  const onboarded = await createAgencyOnboardedConsumer(heldToDeclaration(runtime, 'on-agency-onboarded'))(
    sqsEventOf(factOf(agencyOnboardedV1, { ...agencyOnboardedV1.fixtures[0]!, agencyId, clientId })),
    lambdaContext,
  );
  expect(onboarded.batchItemFailures).toEqual([]);
  // As on the local stage, where a receiver on 127.0.0.1 may be registered.
  const api = notificationsHttpHandler(runtime, { allowLocalHttp: true }, { perMinute: 100 });
  expect((await api(putWebhook(receiver.url, { client_id: clientId }))).statusCode).toBe(201);
  return factOf(referralDecidedV1, { ...referralDecidedV1.fixtures[0]!, agencyId }, runtime.clock().toISOString());
}

const alarmedLines = (lines: Record<string, unknown>[]) =>
  lines.filter((line) => line.level === alarm?.level && line.message === alarm?.message);

it('the manifest alarms on an ERROR line of the webhook-sweep and on-referral-decided functions', () => {
  expect(alarm).toMatchObject({ level: 'ERROR', functions: expect.arrayContaining(['webhook-sweep', 'on-referral-decided']) });
});

it('a delivery that fails for 24 hours logs the alarmed message once, at ERROR, when it gives up', async () => {
  const time = movableClock('2026-01-05T15:10:00.000Z');
  const runtime = runtimeWith(time.clock);
  const fact = await agencyWithFailingWebhook(runtime, 'agency-unreachable');
  // What the entry points build on the local stage (STAGE=local): loopback may be called.
  const post = createWebhookPoster({ allowLoopback: true, timeoutMs: 2_000 });
  const referralDecided = createReferralDecidedConsumer(heldToDeclaration(runtime, 'on-referral-decided'), { sendEmail: noEmail, post });
  const sweep = createWebhookSweep(heldToDeclaration(runtime, 'webhook-sweep'), { post });
  const deliveries = createDeliveryStore(table.documentClient, table.tableName);
  const deliveryId = webhookDeliveryIdOf(fact.detail.metadata.eventId, 'agency-unreachable');

  const lines = await loggedWhile(async () => {
    expect((await referralDecided(sqsEventOf(fact), lambdaContext)).batchItemFailures).toEqual([]);
    for (let round = 0; round < 50; round += 1) {
      const delivery = await deliveries.get(deliveryId);
      if (delivery?.state !== 'pending') break;
      time.set(delivery.nextAttemptAt!);
      await sweep(undefined, { getRemainingTimeInMillis: () => 60_000 });
    }
  });

  expect(await deliveries.get(deliveryId)).toMatchObject({ state: 'dead', attempts: 13, lastResult: 'HTTP 503' });
  expect(receiver.received).toHaveLength(13);
  // Read back from the process's output: the logger really wrote JSON lines there.
  expect(lines.filter((line) => line.message === 'Webhook attempt failed; will retry')).toHaveLength(12);
  const alarmed = alarmedLines(lines);
  expect(alarmed).toHaveLength(1);
  expect(alarmed[0]).toMatchObject({ level: 'ERROR', message: alarm?.message, service: 'notifications', attempt: 13, result: 'HTTP 503' });
  // No other line carries the message (a WARN or INFO one would not trip the alarm and would mislead a reader).
  expect(lines.filter((line) => line.message === alarm?.message)).toHaveLength(1);
});

it('the deployed webhook-sweep entry point writes the alarmed line with its own logger', async () => {
  // The delivery's first attempt, 25 hours ago: its next attempt, due now, is past the 24 hours.
  const past = movableClock(new Date(Date.now() - 25 * 60 * 60 * 1000).toISOString());
  const runtime = runtimeWith(past.clock);
  const fact = await agencyWithFailingWebhook(runtime, 'agency-gone-quiet');
  const post = createWebhookPoster({ allowLoopback: true, timeoutMs: 2_000 });
  expect(
    (
      await createReferralDecidedConsumer(heldToDeclaration(runtime, 'on-referral-decided'), { sendEmail: noEmail, post })(
        sqsEventOf(fact),
        lambdaContext,
      )
    ).batchItemFailures,
  ).toEqual([]);
  const deliveries = createDeliveryStore(table.documentClient, table.tableName);
  const deliveryId = webhookDeliveryIdOf(fact.detail.metadata.eventId, 'agency-gone-quiet');
  expect(await deliveries.get(deliveryId)).toMatchObject({ state: 'pending', attempts: 1 });

  // As the platform starts the function on the local stage (the receiver is on 127.0.0.1), logging as in AWS.
  const { POWERTOOLS_LOG_LEVEL: _silent, ...platform } = lambdaEnvironment(table.tableName);
  Object.assign(process.env, platform, { STAGE: 'local' });
  let sweep: ((event: unknown, context: { getRemainingTimeInMillis(): number }) => Promise<unknown>) | undefined;
  jest.isolateModules(() => {
    sweep = (require('../../src/entries/webhook-sweep') as typeof import('../../src/entries/webhook-sweep')).handler;
  });

  const lines = await loggedWhile(async () => {
    await sweep!(undefined, { getRemainingTimeInMillis: () => 60_000 });
  });

  expect(await deliveries.get(deliveryId)).toMatchObject({ state: 'dead', attempts: 2, lastResult: 'HTTP 503' });
  const alarmed = alarmedLines(lines);
  expect(alarmed).toHaveLength(1);
  expect(alarmed[0]).toMatchObject({ level: 'ERROR', message: alarm?.message, service: 'notifications', deliveryId });
});
