/**
 * Drill B (QUALITY.md, Reliability; issue 16, Deliver 7): a consumer whose store fails for a while,
 * then recovers. The local queue (on disk, its settings from a manifest, as the local cloud builds it)
 * delivers to a real event consumer (shared/src/consumer.ts: Powertools batch and idempotency on
 * DynamoDB Local) whose handler records one effect item per handling in its table, and fails while
 * the fixture's store is down.
 * - Facts whose every receive met the outage exhaust maxReceiveCount and wait in the DLQ, with the
 *   store's error as their last.
 * - Facts that met the outage on their first receive only are handled on a later receive: once each.
 * - `npm run dlq -- redrive` (its admin client, over HTTP, as the CLI calls it) moves the dead letters
 *   back; each is handled once; nothing is left and nothing was handled twice.
 * The outage is counted in failed writes, not in time: no wait here depends on a clock.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createEventConsumer } from '@fsp/shared/consumer';
import { referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import { fixtureDetails } from '@fsp/shared/events/json-schema';
import type { ServiceManifest } from '@fsp/shared/manifest';
import { resolveManifest } from '@fsp/shared/manifest-resolve';
import { createLogger } from '@fsp/shared/observability/logger';
import { createTestTable } from '@fsp/shared/testing/dynamodb';
import { createQueueAdmin } from '../../../src/queues/admin';
import { createAdminClient } from '../../../src/queues/admin-client';
import { createQueueRegistry, type QueueRegistry } from '../../../src/queues/registry';
import { logSink, tempDirectory, waitFor } from './helpers';

const SERVICE = 'cases';
const SUBSCRIPTION = 'drill-referral-submitted';
const QUEUE = `${SERVICE}-${SUBSCRIPTION}`;
const MAX_RECEIVE_COUNT = 3;
const lambdaContext = { getRemainingTimeInMillis: () => 30_000, functionName: `${SERVICE}-on-drill`, awsRequestId: 'drill' };

const manifest = resolveManifest({
  name: SERVICE,
  directory: '/services/cases',
  subscriptions: [
    {
      name: SUBSCRIPTION,
      function: { name: 'on-drill', entry: 'src/entries/on-drill.ts' },
      pattern: { source: ['fsp.referrals'], 'detail-type': ['ReferralSubmitted'] },
      maxReceiveCount: MAX_RECEIVE_COUNT,
    },
  ],
  schedules: [],
  publishes: [],
} satisfies ServiceManifest);

type Table = Awaited<ReturnType<typeof createTestTable>>;
let table: Table;
let dir: Awaited<ReturnType<typeof tempDirectory>>;
let registry: QueueRegistry | undefined;
let server: Server | undefined;

beforeEach(async () => {
  table = await createTestTable('drill-b');
  dir = await tempDirectory();
});
afterEach(async () => {
  if (server) await new Promise<void>((resolve, reject) => server?.close((error) => (error ? reject(error) : resolve())));
  await registry?.stopAll();
  await table.drop();
  await dir.cleanup();
});

/** The fixture's store: it refuses writes while down; `downFor(n)` takes it down for the next n writes. */
function flakyStore() {
  let failuresLeft = 0;
  let failed = 0;
  return {
    downFor(writes: number) {
      failuresLeft = writes;
    },
    /** Writes refused so far. */
    failed: () => failed,
    async recordEffect(eventId: string, messageId: string): Promise<void> {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        failed += 1;
        throw new Error('the store is unavailable (drill)');
      }
      await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: { pk: `EFFECT#${eventId}`, sk: messageId } }));
    },
  };
}

/** Every effect item, as effects per eventId. */
async function effects(eventIds: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const eventId of eventIds) {
    const result = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `EFFECT#${eventId}` },
      }),
    );
    counts[eventId] = result.Items?.length ?? 0;
  }
  return counts;
}

/** A ReferralSubmitted as the bus delivers it, a fresh fact (its own eventId). */
function referralSubmitted(): { eventId: string; body: string } {
  const [fixture] = fixtureDetails(referralSubmittedV1);
  if (!fixture) throw new Error('ReferralSubmitted has no fixture');
  const eventId = randomUUID();
  const detail = { ...fixture, metadata: { ...fixture.metadata, eventId } };
  const body = {
    version: '0',
    id: randomUUID(),
    'detail-type': 'ReferralSubmitted',
    source: 'fsp.referrals',
    account: '000000000000',
    time: '2026-01-05T09:30:00Z',
    region: 'eu-west-2',
    resources: [],
    detail,
  };
  return { eventId, body: JSON.stringify(body) };
}

describe('drill B: a consumer whose store fails for a while, then recovers', () => {
  it('handles the retried facts once, dead-letters the exhausted ones, and a redrive handles each of those once', async () => {
    const store = flakyStore();
    const lines: Record<string, unknown>[] = [];
    const handler = createEventConsumer({
      service: SERVICE,
      tableName: table.tableName,
      subscription: SUBSCRIPTION,
      subscribesTo: [referralSubmittedV1],
      handle: (event, context) => store.recordEffect(context.eventId, event.metadata.eventId),
      dynamoClient: table.client,
      logger: createLogger(SERVICE, { sink: (line) => lines.push(line) }),
    });
    const sink = logSink();
    registry = await createQueueRegistry({
      manifests: [manifest],
      directory: dir.path,
      invoke: async (_functionId, event) => handler(event as Parameters<typeof handler>[0], lambdaContext),
      // A failed message is visible again at once: the drill counts receives, not seconds.
      overrides: { backoff: () => 0 },
      log: sink.log,
    });
    const queue = registry.get(QUEUE)!;
    const admin = createQueueAdmin(registry);
    server = createServer((req, res) => {
      void admin.handle(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // 1. The store is down for longer than four facts' every receive: all four end in the DLQ.
    const exhausted = [referralSubmitted(), referralSubmitted(), referralSubmitted(), referralSubmitted()];
    store.downFor(exhausted.length * MAX_RECEIVE_COUNT);
    for (const fact of exhausted) await queue.send(fact.body);
    registry.startAll();
    await waitFor('the exhausted facts in the DLQ', () => queue.stats().deadLetters === exhausted.length && queue.depth() === 0);
    expect(store.failed()).toBe(exhausted.length * MAX_RECEIVE_COUNT);

    // 2. Down again for one write per fact, the facts sent together so that each meets it once: all recover on their next receive.
    const retried = [referralSubmitted(), referralSubmitted(), referralSubmitted(), referralSubmitted(), referralSubmitted()];
    await queue.stop();
    store.downFor(retried.length);
    for (const fact of retried) await queue.send(fact.body);
    queue.start();
    await waitFor('the retried facts to be handled', () => queue.depth() === 0);
    expect(store.failed()).toBe(exhausted.length * MAX_RECEIVE_COUNT + retried.length);
    expect(await effects(retried.map((fact) => fact.eventId))).toEqual(Object.fromEntries(retried.map((fact) => [fact.eventId, 1])));
    expect(await effects(exhausted.map((fact) => fact.eventId))).toEqual(Object.fromEntries(exhausted.map((fact) => [fact.eventId, 0])));

    // The DLQ holds exactly the exhausted facts, each received maxReceiveCount times; the consumer
    // reported each failure alone (partial batch response) and logged the store's error with it.
    const client = createAdminClient(url);
    const deadLetters = await client.listDeadLetters();
    expect(deadLetters.map((letter) => letter.eventId).sort()).toEqual(exhausted.map((fact) => fact.eventId).sort());
    for (const letter of deadLetters) {
      expect(letter).toMatchObject({ queue: QUEUE, receiveCount: MAX_RECEIVE_COUNT });
      expect(letter.lastError).toBe('the consumer reported this message in batchItemFailures');
    }
    const failureLines = lines.filter((line) => line.message === 'Handling the event failed; it will be retried');
    expect(failureLines).toHaveLength(store.failed());
    expect(JSON.stringify(failureLines)).toContain('the store is unavailable (drill)');

    // 3. Redrive, as `npm run dlq -- redrive <queue>` does: each dead letter handled once, nothing left behind.
    expect(await client.redrive(QUEUE)).toBe(exhausted.length);
    await waitFor('the redriven facts to be handled', () => queue.depth() === 0 && queue.stats().deadLetters === 0);
    const all = [...exhausted, ...retried].map((fact) => fact.eventId);
    expect(await effects(all)).toEqual(Object.fromEntries(all.map((eventId) => [eventId, 1])));
    expect(store.failed()).toBe(exhausted.length * MAX_RECEIVE_COUNT + retried.length);

    // A second redrive has nothing to move, and a fact delivered again is not handled again (idempotent on eventId).
    expect(await client.redrive(QUEUE)).toBe(0);
    await queue.send(retried[0]!.body);
    await waitFor('the repeated fact to be taken off the queue', () => queue.depth() === 0);
    expect(await effects(all)).toEqual(Object.fromEntries(all.map((eventId) => [eventId, 1])));
    expect(await client.listDeadLetters()).toEqual([]);
  });
});
