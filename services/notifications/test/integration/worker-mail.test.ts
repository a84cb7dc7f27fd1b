/**
 * Workers' email end to end (issue 15 Deliver 4–5, ADR 0019): intents recorded as delivery records
 * them, the `worker-mail` schedule against DynamoDB Local, SES v2 into the local mail outbox (served
 * in-process), and the outbox's SES events (Send, Bounce) into the `worker-mail-ses-events` handler,
 * as EventBridge brings them in AWS. The clock is moved by hand.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@fsp/infra/local/dynamodb-local';
import { createMailOutbox, type SesEventBridgeEvent, SIMULATOR_BOUNCE_ADDRESS } from '@fsp/infra/local/mail/outbox';
import { problemOf } from '@fsp/shared/testing/api-gateway-event';
import { allItems } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { createSesEmailSender, type EmailSender } from '../../src/adapters/ses-email-sender';
import { createNotificationDelivery } from '../../src/consumers/inbox-delivery';
import { type NotificationDraft, notificationIdOf } from '../../src/domain/notification';
import type { WorkerMailIntent } from '../../src/domain/worker-mail';
import { createWorkerMailSchedule } from '../../src/schedules/worker-mail';
import { createWorkerMailSesEvents } from '../../src/schedules/worker-mail-ses-events';
import { createWorkerMailStore, groupIntoMails } from '../../src/store/worker-mail-store';
import { WORKER_MAIL_FROM } from '../../src/worker-mail-manifest';
import { heldToDeclaration } from '../support/declared-runtime';
import { fixtureDirectory, person } from '../support/directory';
import { notificationsHttpHandler } from '../support/http';
import { bodyOf } from '../support/notifications';
import { movableClock } from '../support/outbound';
import { asAdministrator } from '../support/outbound-runtime';

const ORIGIN = 'https://fsp.example.gov.uk';
const time = movableClock('2026-01-05T10:00:00.000Z');

const worker = person('u-immediate', 'Alex Morgan', ['social-worker'], 'team-a');
const manager = person('u-digest', 'Priya Shah', ['team-manager'], 'team-a');
const killed = person('u-killed', 'Kim Lee', ['social-worker'], 'team-a');
const late = person('u-late', 'Lou Hart', ['social-worker'], 'team-a');
const leaver = person('u-leaver', 'Lee Gone', ['social-worker'], 'team-a', false);
const refused = { ...person('u-refused', 'Rae Field', ['social-worker'], 'team-a'), email: 'not-an-address' };
const bouncing = { ...person('u-bounce', 'Bo Unce', ['social-worker'], 'team-a'), email: SIMULATOR_BOUNCE_ADDRESS };
const directory = fixtureDirectory([worker, manager, killed, late, leaver, refused, bouncing]);

let env: Awaited<ReturnType<typeof createTestRuntime>>;
let outbox: ReturnType<typeof createMailOutbox>;
let server: ReturnType<typeof createServer>;
let ses: SESv2Client;
let run: ReturnType<typeof createWorkerMailSchedule>;
let sesEvents: ReturnType<typeof createWorkerMailSesEvents>;
let store: ReturnType<typeof createWorkerMailStore>;
/** What the outbox publishes goes to the handler, unless held back (a slow event destination). */
let holdEvents = false;
const heldEvents: SesEventBridgeEvent[] = [];
/** `kill`: the sender dies once SES has answered, before it can record anything. */
let senderMode: 'normal' | 'kill' = 'normal';

beforeAll(async () => {
  env = await createTestRuntime('notifications', time.clock);
  sesEvents = createWorkerMailSesEvents(heldToDeclaration(env.runtime, 'worker-mail-ses-events'));
  outbox = createMailOutbox({
    clock: time.clock,
    publish: async (event) => {
      if (holdEvents) heldEvents.push(event);
      // Through JSON, as SQS carries it.
      else await sesEvents.handle(JSON.parse(JSON.stringify(event)));
    },
  });
  server = createServer((req, res) => {
    outbox.handle(req, res).then(
      (handled) => {
        if (!handled) res.writeHead(404).end();
      },
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  ses = new SESv2Client({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const real = createSesEmailSender(WORKER_MAIL_FROM, ses);
  const sendEmail: EmailSender = async (message, options) => {
    const mode = senderMode;
    const answer = await real(message, options);
    if (mode === 'kill') return new Promise<never>(() => {});
    return answer;
  };
  run = createWorkerMailSchedule(heldToDeclaration(env.runtime, 'worker-mail'), { sendEmail, directory, origin: ORIGIN });
  store = createWorkerMailStore(env.runtime.documents, env.runtime.tableName);
});
afterAll(async () => {
  ses.destroy();
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
  await env.table.drop();
});
beforeEach(async () => {
  await outbox.clear();
  senderMode = 'normal';
  holdEvents = false;
  heldEvents.length = 0;
});

const intent = (overrides: Partial<WorkerMailIntent> & Pick<WorkerMailIntent, 'userId' | 'notificationId'>): WorkerMailIntent => ({
  mode: 'immediate',
  sendAt: time.now().toISOString(),
  kind: 'case-allocated',
  title: 'Case FSP-2026-000124 has been allocated to you',
  link: '/cases/c-124',
  reference: 'FSP-2026-000124',
  urgent: false,
  createdAt: time.now().toISOString(),
  ...overrides,
});

const messagesTo = async (address: string) => (await outbox.messages()).filter((message) => message.to.includes(address));
const mailOf = async (userId: string, notificationId: string, mode: WorkerMailIntent['mode'] = 'immediate') => {
  const [mail] = groupIntoMails([intent({ userId, notificationId, mode })]);
  return store.get(mail!.mailId);
};
const minutes = (n: number) => n * 60_000;

describe('immediate email', () => {
  it('one email however often delivery records the intent, from the workers’ address, with an absolute link and how to change preferences', async () => {
    time.set('2026-01-05T10:00:00.000Z');
    const once = intent({ userId: worker.userId, notificationId: 'n-imm-1' });
    for (let i = 0; i < 5; i += 1) await store.record([once], time.now());
    const summary = await run();
    expect(summary).toMatchObject({ gathered: 1, sent: 1 });
    for (let i = 0; i < 5; i += 1) await store.record([once], time.now());
    time.advance(minutes(3));
    await run();
    time.advance(minutes(30));
    await run();
    const messages = await messagesTo(worker.email);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message).toMatchObject({ from: WORKER_MAIL_FROM, subject: 'Family Safeguarding: a new item in your inbox' });
    expect(message!.tags).toEqual({ 'fsp-worker-mail': expect.stringMatching(/^[0-9a-f]{32}\.1$/) });
    expect(message!.text).toContain('Case FSP-2026-000124 has been allocated to you');
    expect(message!.text).toContain('https://fsp.example.gov.uk/cases/c-124');
    expect(message!.text).toContain('https://fsp.example.gov.uk/inbox/preferences');
    expect(message!.html).toContain('href="https://fsp.example.gov.uk/cases/c-124"');
    expect(message!.subject).not.toContain('FSP-2026-000124');
    expect(await mailOf(worker.userId, 'n-imm-1')).toMatchObject({ state: 'sent', attempts: 1 });
    // Neither the address nor the title reaches the logs.
    const logged = JSON.stringify(env.logLines);
    expect(logged).not.toContain(worker.email);
    expect(logged).not.toContain('allocated to you');
  });

  it('three runs at once send one email', async () => {
    time.set('2026-01-05T10:30:00.000Z');
    await store.record([intent({ userId: worker.userId, notificationId: 'n-imm-race' })], time.now());
    const summaries = await Promise.all([run(), run(), run()]);
    expect(summaries.reduce((sent, summary) => sent + summary.sent, 0)).toBe(1);
    expect(await messagesTo(worker.email)).toHaveLength(1);
  });

  it('nothing is sent before its time', async () => {
    time.set('2026-01-05T11:00:00.000Z');
    await store.record([intent({ userId: worker.userId, notificationId: 'n-imm-later', sendAt: '2026-01-05T11:05:00.000Z' })], time.now());
    await run();
    expect(await messagesTo(worker.email)).toHaveLength(0);
    time.set('2026-01-05T11:05:00.000Z');
    await run();
    expect(await messagesTo(worker.email)).toHaveLength(1);
  });

  it('a leaver at send time is not emailed, and that is recorded', async () => {
    time.set('2026-01-05T12:00:00.000Z');
    await store.record([intent({ userId: leaver.userId, notificationId: 'n-leaver' })], time.now());
    expect(await run()).toMatchObject({ 'not-sent': 1, sent: 0 });
    expect(await messagesTo(leaver.email)).toHaveLength(0);
    expect(await mailOf(leaver.userId, 'n-leaver')).toMatchObject({ state: 'not-sent', lastResult: 'not sent: the recipient has left' });
  });
});

describe('the daily digest', () => {
  // Recorded on Friday evening for the digest at 08:00 on Monday (the next working day, as delivery computes it).
  const MONDAY_0800 = '2026-01-12T08:00:00.000Z';
  const digest = (notificationId: string, reference: string | undefined, urgent: boolean, createdAt: string, title: string) =>
    intent({
      userId: manager.userId,
      notificationId,
      mode: 'digest',
      sendAt: MONDAY_0800,
      urgent,
      createdAt,
      title,
      link: `/cases/${notificationId}`,
      ...(reference === undefined ? { reference: undefined } : { reference }),
    });

  it('one email at the chosen moment, never before (not at the weekend), urgent items first, grouped by case', async () => {
    time.set('2026-01-09T18:00:00.000Z');
    const intents = [
      digest('d-1', 'FSP-2026-000200', false, '2026-01-09T09:00:00.000Z', 'Case FSP-2026-000200: supervision scheduled'),
      digest('d-2', 'FSP-2026-000100', true, '2026-01-09T10:00:00.000Z', 'Case FSP-2026-000100: supervision overdue'),
      digest('d-3', 'FSP-2026-000200', true, '2026-01-09T11:00:00.000Z', 'Case FSP-2026-000200: action overdue'),
      digest('d-4', 'FSP-2026-000100', false, '2026-01-09T12:00:00.000Z', 'Case FSP-2026-000100: allocated'),
      digest('d-5', undefined, false, '2026-01-09T13:00:00.000Z', 'Referral decision due today'),
    ];
    for (let i = 0; i < 5; i += 1) await store.record(intents, time.now());
    for (const at of ['2026-01-09T18:01:00.000Z', '2026-01-10T08:00:00.000Z', '2026-01-11T08:00:00.000Z', '2026-01-12T07:59:59.000Z']) {
      time.set(at);
      await run();
    }
    expect(await messagesTo(manager.email)).toHaveLength(0);
    time.set(MONDAY_0800);
    expect(await run()).toMatchObject({ gathered: 1, sent: 1 });
    time.set('2026-01-12T08:30:00.000Z');
    await run();
    const messages = await messagesTo(manager.email);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message!.subject).toBe('Family Safeguarding: your daily summary (5 items, 2 urgent)');
    const text = message!.text!;
    const order = [
      'Urgent',
      'Case FSP-2026-000100',
      'supervision overdue',
      'Case FSP-2026-000200',
      'action overdue',
      'Other items',
      'Case FSP-2026-000100',
      'allocated',
      'Case FSP-2026-000200',
      'supervision scheduled',
      'Not about one case',
      'Referral decision due today',
    ];
    let from = 0;
    for (const words of order) {
      const at = text.indexOf(words, from);
      expect({ words, found: at >= 0 }).toEqual({ words, found: true });
      from = at + words.length;
    }
    expect(text).toContain('https://fsp.example.gov.uk/cases/d-3');
  });
});

describe('exactly once across a crash between sending and recording it', () => {
  it('the sender dies after SES accepted the email: SES’s Send event marks it sent, and the next runs send nothing', async () => {
    time.set('2026-01-06T09:00:00.000Z');
    await store.record([intent({ userId: killed.userId, notificationId: 'n-killed' })], time.now());
    senderMode = 'kill';
    // Killed between the two steps: this run never finishes.
    void run();
    for (let i = 0; i < 100 && (await messagesTo(killed.email)).length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(await messagesTo(killed.email)).toHaveLength(1);
    senderMode = 'normal';
    for (const step of [minutes(3), minutes(20), minutes(120)]) {
      time.advance(step);
      await run();
    }
    expect(await messagesTo(killed.email)).toHaveLength(1);
    expect(await mailOf(killed.userId, 'n-killed')).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('SES’s word comes late: the in-doubt email waits for it rather than being sent again', async () => {
    time.set('2026-01-06T10:00:00.000Z');
    await store.record([intent({ userId: late.userId, notificationId: 'n-late' })], time.now());
    senderMode = 'kill';
    holdEvents = true;
    void run();
    for (let i = 0; i < 100 && (await messagesTo(late.email)).length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    senderMode = 'normal';
    // The claim lapses; the next run finds the email in doubt and waits.
    time.advance(minutes(3));
    expect(await run()).toMatchObject({ waiting: 1, sent: 0 });
    time.advance(minutes(5));
    await run();
    expect(await messagesTo(late.email)).toHaveLength(1);
    expect(await mailOf(late.userId, 'n-late')).toMatchObject({ state: 'sending' });
    // Now the Send event arrives.
    for (const event of heldEvents.splice(0)) await sesEvents.handle(JSON.parse(JSON.stringify(event)));
    time.advance(minutes(60));
    await run();
    expect(await messagesTo(late.email)).toHaveLength(1);
    expect(await mailOf(late.userId, 'n-late')).toMatchObject({ state: 'sent', attempts: 1 });
  });
});

describe('refusals and bounces', () => {
  const retryTimes = [1, 5, 30, 120];

  it('SES refuses: tried again after 1, 5, 30 and 120 minutes, then failed, shown in the worker’s inbox and to administrators', async () => {
    time.set('2026-01-07T09:00:00.000Z');
    await store.record([intent({ userId: refused.userId, notificationId: 'n-refused' })], time.now());
    expect(await run()).toMatchObject({ retry: 1 });
    for (const [index, wait] of retryTimes.entries()) {
      time.advance(minutes(wait) - 1000);
      expect(await run()).toMatchObject({ claimed: 0 });
      time.advance(1000);
      expect(await run()).toMatchObject(index < retryTimes.length - 1 ? { retry: 1 } : { failed: 1 });
    }
    const mail = await mailOf(refused.userId, 'n-refused');
    expect(mail).toMatchObject({ state: 'failed', attempts: 5 });
    expect(mail!.problems).toHaveLength(5);
    expect(mail!.lastResult).toBe('refused by SES: BadRequestException (HTTP 400)');
    time.advance(minutes(600));
    expect(await run()).toMatchObject({ claimed: 0 });

    const shown = (await allItems(env.table)).filter((item) => item.type === 'InboxItem' && item.kind === 'email-failed');
    expect(shown).toEqual([expect.objectContaining({ mailbox: `user:${refused.userId}`, link: '/inbox' })]);

    const api = notificationsHttpHandler(env.runtime);
    const listed = await api(asAdministrator('/api/admin/worker-mail-failures'));
    expect(listed.statusCode).toBe(200);
    const items = bodyOf<{ items: Record<string, unknown>[] }>(listed).items;
    expect(items).toContainEqual(
      expect.objectContaining({
        id: mail!.mailId,
        userId: refused.userId,
        attempts: 5,
        notificationIds: ['n-refused'],
        references: ['FSP-2026-000124'],
      }),
    );
    expect(listed.body).not.toContain('not-an-address');
    expect((await api(asAdministrator('/api/admin/worker-mail-failures', '[team-manager]'))).statusCode).toBe(403);
    const badCursor = await api(asAdministrator('/api/admin/worker-mail-failures?cursor=abc'));
    expect(problemOf(badCursor).errors?.[0]).toMatchObject({ in: 'query', path: '$.cursor' });
  });

  it('a bounce (SES’s Bounce event) is tried again with a new token, then failed and shown', async () => {
    time.set('2026-01-08T09:00:00.000Z');
    await store.record([intent({ userId: bouncing.userId, notificationId: 'n-bounce' })], time.now());
    await run();
    expect(await mailOf(bouncing.userId, 'n-bounce')).toMatchObject({
      state: 'due',
      attempts: 1,
      lastResult: expect.stringMatching(/^bounced/),
    });
    for (const wait of retryTimes) {
      time.advance(minutes(wait));
      await run();
    }
    const messages = await messagesTo(SIMULATOR_BOUNCE_ADDRESS);
    expect(messages).toHaveLength(5);
    expect(new Set(messages.map((message) => message.tags?.['fsp-worker-mail'])).size).toBe(5);
    expect(await mailOf(bouncing.userId, 'n-bounce')).toMatchObject({ state: 'failed', attempts: 5 });
    const shown = (await allItems(env.table)).filter(
      (item) => item.type === 'InboxItem' && item.kind === 'email-failed' && item.mailbox === `user:${bouncing.userId}`,
    );
    expect(shown).toHaveLength(1);
  });
});

describe('when SES does not answer, or the directory cannot', () => {
  it('an unanswered attempt waits 15 minutes for SES’s word each time; after the fifth the email has failed and the worker is told', async () => {
    time.set('2026-01-13T09:00:00.000Z');
    const silent = person('u-silent', 'Sil Ent', ['social-worker'], 'team-a');
    const silentRun = createWorkerMailSchedule(heldToDeclaration(env.runtime, 'worker-mail'), {
      sendEmail: async () => {
        throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      },
      directory: fixtureDirectory([silent]),
      origin: ORIGIN,
    });
    await store.record([intent({ userId: silent.userId, notificationId: 'n-silent' })], time.now());
    expect(await silentRun()).toMatchObject({ 'in-doubt': 1 });
    for (let attempt = 2; attempt <= 5; attempt += 1) {
      time.advance(minutes(14));
      expect(await silentRun()).toMatchObject({ claimed: 0 });
      time.advance(minutes(1));
      expect(await silentRun()).toMatchObject({ 'in-doubt': 1 });
      expect(await mailOf(silent.userId, 'n-silent')).toMatchObject({ state: 'sending', attempts: attempt });
    }
    time.advance(minutes(15));
    expect(await silentRun()).toMatchObject({ failed: 1 });
    expect(await mailOf(silent.userId, 'n-silent')).toMatchObject({ state: 'failed', attempts: 5, lastResult: 'no answer from SES' });
    const shown = (await allItems(env.table)).filter(
      (item) => item.type === 'InboxItem' && item.kind === 'email-failed' && item.mailbox === `user:${silent.userId}`,
    );
    expect(shown).toHaveLength(1);
    expect(JSON.stringify(env.logLines)).toContain('Worker email attempt in doubt: no answer from SES');
  });

  it('the directory cannot answer: that email waits for its claim to lapse, the others are sent', async () => {
    time.set('2026-01-14T09:00:00.000Z');
    const flaky = person('u-flaky', 'Fla Ky', ['social-worker'], 'team-a');
    let directoryDown = true;
    const flakyRun = createWorkerMailSchedule(heldToDeclaration(env.runtime, 'worker-mail'), {
      sendEmail: createSesEmailSender(WORKER_MAIL_FROM, ses),
      directory: {
        worker: async (userId) => {
          if (userId === flaky.userId && directoryDown) throw new Error('the directory is unavailable');
          return fixtureDirectory([flaky, worker]).worker(userId);
        },
        teamMembers: async () => [],
      },
      origin: ORIGIN,
    });
    await store.record(
      [intent({ userId: flaky.userId, notificationId: 'n-flaky' }), intent({ userId: worker.userId, notificationId: 'n-beside-flaky' })],
      time.now(),
    );
    expect(await flakyRun()).toMatchObject({ error: 1, sent: 1 });
    directoryDown = false;
    time.advance(minutes(3));
    expect(await flakyRun()).toMatchObject({ sent: 1 });
    expect(await messagesTo(flaky.email)).toHaveLength(1);
    expect(await mailOf(flaky.userId, 'n-flaky')).toMatchObject({ state: 'sent', attempts: 1 });
  });
});

describe('the SES events subscription', () => {
  const record = (body: string, messageId = 'm-1') => ({ messageId, body });

  it('leaves an event that is not SES’s for the DLQ, naming what is wrong; ignores SES events of other emails', async () => {
    const response = await sesEvents.consume({
      Records: [
        record('{"source":"fsp.cases","detail-type":"CaseOpened"}', 'not-ses'),
        record('not json', 'broken'),
        record(
          JSON.stringify({
            source: 'aws.ses',
            'detail-type': 'Email Sent',
            time: '2026-01-05T10:00:00Z',
            detail: { eventType: 'Send', mail: { messageId: 'x', tags: { other: ['y'] } } },
          }),
          'not-ours',
        ),
      ],
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'not-ses' }, { itemIdentifier: 'broken' }]);
    expect(JSON.stringify(env.logLines)).toContain('source');
    expect(sesEvents.consume.subscription).toBe('worker-mail-ses-events');
  });

  it('a Send event for a token it never issued, or again for one it did, changes nothing', async () => {
    time.set('2026-01-05T13:00:00.000Z');
    await store.record([intent({ userId: worker.userId, notificationId: 'n-again' })], time.now());
    await run();
    const sent = await mailOf(worker.userId, 'n-again');
    const sendEvent = (token: string) =>
      JSON.stringify({
        source: 'aws.ses',
        'detail-type': 'Email Sent',
        time: '2026-01-05T13:00:01Z',
        detail: { eventType: 'Send', mail: { messageId: 'again', tags: { 'fsp-worker-mail': [token] } } },
      });
    const response = await sesEvents.consume({
      Records: [record(sendEvent(sent!.token!), 'a'), record(sendEvent(`${'0'.repeat(32)}.1`), 'b'), record(sendEvent('nonsense'), 'c')],
    });
    expect(response.batchItemFailures).toEqual([]);
    expect(await mailOf(worker.userId, 'n-again')).toEqual(sent);
  });
});

describe('from delivery to the outbox', () => {
  const chainWorker = person('u-chain-sw', 'Sam Chain', ['social-worker'], 'team-c');
  const chainManager = person('u-chain-tm', 'Tara Chain', ['team-manager'], 'team-c');
  const chainDirectory = fixtureDirectory([chainWorker, chainManager]);

  function draftFor(userId: string, eventId: string, at: string): NotificationDraft {
    const mailbox = `user:${userId}` as const;
    return {
      notificationId: notificationIdOf({ eventId, occurredAt: at }, mailbox, 'inbox'),
      mailbox,
      channel: 'inbox',
      kind: 'case-allocated',
      title: 'You have been allocated to case FSP-2026-000777',
      link: '/cases/case-777',
      createdAt: at,
      sourceEventId: eventId,
      correlationId: `journey-${eventId}`,
      reference: 'FSP-2026-000777',
      teamId: 'team-c',
    };
  }

  it('delivered on Friday evening: the social worker’s email goes at once, the manager’s default digest on Monday at 08:00, each once', async () => {
    const friday = '2026-01-16T18:00:00.000Z';
    time.set(friday);
    const delivery = createNotificationDelivery(env.runtime, chainDirectory);
    const chainRun = createWorkerMailSchedule(heldToDeclaration(env.runtime, 'worker-mail'), {
      sendEmail: createSesEmailSender(WORKER_MAIL_FROM, ses),
      directory: chainDirectory,
      origin: ORIGIN,
    });
    const drafts = [draftFor(chainWorker.userId, 'evt-chain-1', friday), draftFor(chainManager.userId, 'evt-chain-2', friday)];
    const context = { eventId: 'evt-chain', correlationId: 'journey-chain', now: time.now(), logger: env.runtime.logger };
    for (let i = 0; i < 3; i += 1) await delivery.deliver(drafts, context);
    await chainRun();
    expect(await messagesTo(chainWorker.email)).toHaveLength(1);
    for (const at of ['2026-01-17T08:00:00.000Z', '2026-01-18T08:00:00.000Z', '2026-01-19T07:59:00.000Z']) {
      time.set(at);
      await chainRun();
    }
    expect(await messagesTo(chainManager.email)).toHaveLength(0);
    time.set('2026-01-19T08:00:00.000Z');
    await chainRun();
    time.set('2026-01-19T09:00:00.000Z');
    await chainRun();
    const digests = await messagesTo(chainManager.email);
    expect(digests).toHaveLength(1);
    expect(digests[0]!.subject).toBe('Family Safeguarding: your daily summary (1 item)');
    expect(digests[0]!.text).toContain('Case FSP-2026-000777');
    expect(await messagesTo(chainWorker.email)).toHaveLength(1);
  });
});
