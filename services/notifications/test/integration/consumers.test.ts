/**
 * Facts in, inbox items out: each consumer as deployed (SQS batch → idempotent handler → store),
 * against DynamoDB Local, with the same fact delivered again and again.
 */
import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { idempotencyPartitionKey } from '@fsp/shared/consumer';
import { caseAllocatedV1, caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import type { Mailbox } from '@fsp/shared/inbox/mailbox';
import { capturingLogger } from '@fsp/shared/testing/api-gateway-event';
import { type Consumer, lambdaContext, sqsEventOf, sqsRecordOf } from '@fsp/shared/testing/events';
import { systemClock } from '@fsp/shared/time/clock';
import { createCaseAllocatedConsumer } from '../../src/consumers/case-allocated';
import { caseOpenedNotifications, referralSubmittedNotifications } from '../../src/domain/notification';
import { deliveredCounterKey } from '../../src/store/inbox-store';
import { fixtureDirectory, person } from '../support/directory';
import { factOf } from '../support/facts';
import { asWorker, bodyOf, notificationsUnderTest } from '../support/notifications';

let env: Awaited<ReturnType<typeof notificationsUnderTest>>;
/**
 * CaseAllocated as deployed, but with the directory as a list: its delivery asks who each personal
 * item's owner is (one the directory lacks has left, and their items go to their team's managers),
 * and the entry's directory is the user pool, which these tests do not run.
 */
let caseAllocated: Consumer;

beforeAll(async () => {
  env = await notificationsUnderTest();
  const allocatedWorkers = fixtureDirectory([
    person('sw-allocated-1', 'Ayo Bell', ['social-worker'], 'team-allocation'),
    person('as-allocated-2', 'Cam Doyle', ['adult-specialist'], 'team-allocation'),
    person('sw-allocated-3', 'Eli Fox', ['social-worker'], 'team-allocation'),
  ]);
  caseAllocated = createCaseAllocatedConsumer(
    {
      serviceName: 'notifications',
      tableName: env.table.tableName,
      dynamo: env.table.client,
      documents: env.table.documentClient,
      clock: systemClock,
      logger: capturingLogger().logger,
    },
    allocatedWorkers,
  );
});
afterAll(async () => {
  await env.table.drop();
});

async function deliveredCount(mailbox: Mailbox): Promise<number | undefined> {
  const found = await env.table.documentClient.send(
    new GetCommand({ TableName: env.table.tableName, Key: deliveredCounterKey(mailbox), ConsistentRead: true }),
  );
  return found.Item?.deliveredCount as number | undefined;
}

interface InboxBody {
  items: { id: string; kind: string; title: string; link: string; createdAt: string; read: boolean }[];
  unreadCount: number;
}

describe('each fact reaches the people concerned', () => {
  it('ReferralSubmitted → the front-door team, who see it in their inbox', async () => {
    const fact = factOf(referralSubmittedV1, referralSubmittedV1.fixtures[0]!, '2026-01-05T09:30:00.000Z');
    const response = await env.consumers.referralSubmitted(sqsEventOf(fact), lambdaContext);
    expect(response.batchItemFailures).toEqual([]);

    const stored = await env.itemsIn('team:front-door');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      mailbox: 'team:front-door',
      channel: 'inbox',
      kind: 'referral-submitted',
      sourceEventId: fact.detail.metadata.eventId,
      correlationId: fact.detail.metadata.correlationId,
      // The inbox's case filter, and the first delivered to this mailbox ("Mark all as read" counts by it).
      reference: 'FSP-2026-000123',
      seq: 1,
    });

    const inbox = await env.http(asWorker({ userId: 'priya', teamId: 'front-door' }, 'GET', '/api/inbox'));
    expect(inbox.statusCode).toBe(200);
    expect(bodyOf<InboxBody>(inbox)).toEqual({
      items: [
        {
          id: stored[0]!.notificationId,
          kind: 'referral-submitted',
          title: 'New referral FSP-2026-000123 — decision due by 9:30am on Tuesday 6 January 2026',
          link: '/front-door/referrals/01JGZ8Q4V7K3M2N5P6R8S9T0VW',
          createdAt: '2026-01-05T09:30:00.000Z',
          read: false,
          urgent: false,
          caseReference: 'FSP-2026-000123',
        },
      ],
      unreadCount: 1,
      nextCursor: null,
    });
  });

  it('CaseOpened → the team that holds the case', async () => {
    const fact = factOf(caseOpenedV1, { ...caseOpenedV1.fixtures[0]!, teamId: 'team-case-opened', caseId: 'case-42' });
    expect((await env.consumers.caseOpened(sqsEventOf(fact), lambdaContext)).batchItemFailures).toEqual([]);
    const stored = await env.itemsIn('team:team-case-opened');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      kind: 'case-opened',
      title: 'Case opened from referral — allocate a social worker',
      link: '/cases/case-42',
    });
  });

  it('CaseAllocated → the allocated worker alone, who sees it in their inbox linking to the case; once however often it arrives', async () => {
    const worker = { userId: 'sw-allocated-1', teamId: 'team-allocation' };
    const colleague = { userId: 'sw-colleague-1', teamId: 'team-allocation' };
    const fact = factOf(
      caseAllocatedV1,
      { ...caseAllocatedV1.fixtures[0]!, workerId: worker.userId, teamId: worker.teamId, caseId: 'case-43' },
      '2026-01-06T09:42:11.000Z',
    );
    for (let delivery = 0; delivery < 3; delivery += 1) {
      expect((await caseAllocated(sqsEventOf(fact, fact), lambdaContext)).batchItemFailures).toEqual([]);
    }
    const stored = await env.itemsIn('user:sw-allocated-1');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ mailbox: 'user:sw-allocated-1', channel: 'inbox', sourceEventId: fact.detail.metadata.eventId });
    expect(await env.itemsIn('team:team-allocation')).toEqual([]);
    expect(await deliveredCount('user:sw-allocated-1')).toBe(1);

    const inbox = bodyOf<InboxBody>(await env.http(asWorker(worker, 'GET', '/api/inbox')));
    expect(inbox).toMatchObject({
      items: [
        {
          id: stored[0]!.notificationId,
          kind: 'case-allocated',
          title: 'You have been allocated to case FSP-2026-000123 as social worker',
          link: '/cases/case-43',
          createdAt: '2026-01-06T09:42:11.000Z',
          read: false,
        },
      ],
      unreadCount: 1,
    });
    // A colleague in the same team is not told of another worker's allocation.
    expect(bodyOf<InboxBody>(await env.http(asWorker(colleague, 'GET', '/api/inbox'))).items).toEqual([]);
  });

  it('CaseAllocated for a specialist and then a new social worker → each told in their own mailbox', async () => {
    const specialist = factOf(caseAllocatedV1, { ...caseAllocatedV1.fixtures[1]!, workerId: 'as-allocated-2', caseId: 'case-44' });
    const change = factOf(caseAllocatedV1, { ...caseAllocatedV1.fixtures[2]!, workerId: 'sw-allocated-3', caseId: 'case-44' });
    expect((await caseAllocated(sqsEventOf(specialist, change), lambdaContext)).batchItemFailures).toEqual([]);
    expect((await env.itemsIn('user:as-allocated-2')).map((item) => item.title)).toEqual([
      'You have been allocated to case FSP-2026-000123 as domestic abuse worker (victims)',
    ]);
    expect((await env.itemsIn('user:sw-allocated-3')).map((item) => item.title)).toEqual([
      'You have been allocated to case FSP-2026-000123 as the new social worker',
    ]);
  });

  it('SupervisionScheduled → the case’s team', async () => {
    const fact = factOf(supervisionScheduledV1, { ...supervisionScheduledV1.fixtures[0]!, teamId: 'team-supervision' });
    expect((await env.consumers.supervisionScheduled(sqsEventOf(fact), lambdaContext)).batchItemFailures).toEqual([]);
    const stored = await env.itemsIn('team:team-supervision');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      kind: 'supervision-scheduled',
      title: 'Group supervision scheduled for 10am on Wednesday 28 January 2026, due by Thursday 5 February 2026',
      link: '/supervision/cases/case-01JGZB7XQ2',
    });
  });

  it('a fact that breaks its contract fails alone and writes nothing', async () => {
    const good = factOf(caseOpenedV1, { ...caseOpenedV1.fixtures[0]!, teamId: 'team-poison' });
    const bad = { ...good, detail: { ...good.detail, data: { ...good.detail.data, caseId: '' } } };
    const event = sqsEventOf(bad, factOf(caseOpenedV1, { ...caseOpenedV1.fixtures[0]!, teamId: 'team-poison' }));
    const response = await env.consumers.caseOpened(event, lambdaContext);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
    expect(await env.itemsIn('team:team-poison')).toHaveLength(1);
  });
});

describe('each (fact, mailbox, channel) is delivered once, however often the fact arrives', () => {
  it('five sequential deliveries, each a different SQS message: one item, counted once', async () => {
    const fact = factOf(caseOpenedV1, { ...caseOpenedV1.fixtures[0]!, teamId: 'team-sequential' });
    for (let delivery = 0; delivery < 5; delivery += 1) {
      expect((await env.consumers.caseOpened(sqsEventOf(fact), lambdaContext)).batchItemFailures).toEqual([]);
    }
    expect(await env.itemsIn('team:team-sequential')).toHaveLength(1);
    expect(await deliveredCount('team:team-sequential')).toBe(1);
  });

  it('five concurrent deliveries: one item; the deliveries turned away succeed on retry without a second item', async () => {
    const fact = factOf(supervisionScheduledV1, { ...supervisionScheduledV1.fixtures[0]!, teamId: 'team-concurrent' });
    const messages = Array.from({ length: 5 }, () => sqsEventOf(fact));
    const responses = await Promise.all(messages.map((message) => env.consumers.supervisionScheduled(message, lambdaContext)));
    const turnedAway = messages.filter((_, index) => responses[index]!.batchItemFailures.length > 0);
    expect(turnedAway.length).toBeLessThan(5);

    // SQS would redeliver them after the visibility timeout; the in-progress delivery has finished by then.
    for (const message of turnedAway) {
      expect((await env.consumers.supervisionScheduled(message, lambdaContext)).batchItemFailures).toEqual([]);
    }
    expect(await env.itemsIn('team:team-concurrent')).toHaveLength(1);
    expect(await deliveredCount('team:team-concurrent')).toBe(1);
  });

  const idempotencyRecordsOf = async (subscription: string) => {
    const records = await env.table.documentClient.send(
      new QueryCommand({
        TableName: env.table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :subscription)',
        ExpressionAttributeValues: { ':pk': idempotencyPartitionKey('notifications'), ':subscription': `notifications.${subscription}#` },
      }),
    );
    return records.Items ?? [];
  };

  it('holds even without the consumer’s idempotency records (expired, or lost): the conditional put refuses the repeat', async () => {
    const fact = factOf(caseOpenedV1, { ...caseOpenedV1.fixtures[0]!, teamId: 'team-records-lost' });
    expect((await env.consumers.caseOpened(sqsEventOf(fact), lambdaContext)).batchItemFailures).toEqual([]);
    const records = await idempotencyRecordsOf('case-opened');
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      await env.table.documentClient.send(new DeleteCommand({ TableName: env.table.tableName, Key: { pk: record.pk, sk: record.sk } }));
    }

    const again = await Promise.all(Array.from({ length: 5 }, () => env.consumers.caseOpened(sqsEventOf(fact), lambdaContext)));
    expect(again.some((response) => response.batchItemFailures.length === 0)).toBe(true);
    expect(await env.itemsIn('team:team-records-lost')).toHaveLength(1);
    expect(await deliveredCount('team:team-records-lost')).toBe(1);
  });

  it('ReferralSubmitted, the busiest fact, keeps no idempotency records: no repeat is turned away, and none adds an item', async () => {
    const fact = factOf(referralSubmittedV1, { ...referralSubmittedV1.fixtures[1]! });
    expect((await env.consumers.referralSubmitted(sqsEventOf(fact), lambdaContext)).batchItemFailures).toEqual([]);
    const before = (await env.itemsIn('team:front-door')).length;
    const counterBefore = await deliveredCount('team:front-door');

    const concurrent = await Promise.all(Array.from({ length: 5 }, () => env.consumers.referralSubmitted(sqsEventOf(fact), lambdaContext)));
    expect(concurrent.flatMap((response) => response.batchItemFailures)).toEqual([]);
    for (let delivery = 0; delivery < 5; delivery += 1) {
      expect((await env.consumers.referralSubmitted(sqsEventOf(fact), lambdaContext)).batchItemFailures).toEqual([]);
    }
    expect(await env.itemsIn('team:front-door')).toHaveLength(before);
    expect(await deliveredCount('team:front-door')).toBe(counterBefore);
    expect(await idempotencyRecordsOf('referral-submitted')).toEqual([]);
  });

  it('ReferralSubmitted in a batch: the facts delivered together, each once, whichever records repeat them', async () => {
    const facts = Array.from({ length: 10 }, (_, index) =>
      factOf(referralSubmittedV1, {
        ...referralSubmittedV1.fixtures[0]!,
        referralId: `ref-batched-${index}`,
        reference: `FSP-2026-0009${String(index).padStart(2, '0')}`,
      }),
    );
    const before = (await env.itemsIn('team:front-door')).length;
    const counterBefore = (await deliveredCount('team:front-door')) ?? 0;
    const batch = { Records: [...facts, facts[0]!, facts[9]!].map((fact) => sqsRecordOf(fact)) };

    expect((await env.consumers.referralSubmitted(batch, lambdaContext)).batchItemFailures).toEqual([]);
    const items = await env.itemsIn('team:front-door');
    expect(items).toHaveLength(before + 10);
    expect(await deliveredCount('team:front-door')).toBe(counterBefore + 10);
    const references = items.map((item) => item.reference);
    for (const fact of facts) expect(references).toContain(fact.detail.data.reference);

    // The whole batch again, twice at once: nothing more, and nothing turned away.
    const again = await Promise.all([batch, batch].map((records) => env.consumers.referralSubmitted(records, lambdaContext)));
    expect(again.flatMap((response) => response.batchItemFailures)).toEqual([]);
    expect(await env.itemsIn('team:front-door')).toHaveLength(before + 10);
    expect(await deliveredCount('team:front-door')).toBe(counterBefore + 10);
  });

  it('the mailbox counter stays exact when many different facts arrive at once for one team', async () => {
    const BUSY_FACTS = 16;
    // 16 facts, each delivered twice at once: 32 writers on the one counter item. (40 made 80, whose retries took a busy
    // CI machine past a minute without telling anything more.)
    const facts = Array.from({ length: BUSY_FACTS }, (_, index) =>
      factOf(caseOpenedV1, { ...caseOpenedV1.fixtures[0]!, teamId: 'team-busy', caseId: `case-busy-${index}` }),
    );
    const drafts = facts.flatMap((fact) => caseOpenedNotifications(fact.detail.data, fact.detail.metadata));
    // Each draft twice, all at once: colliding transactions on the one counter item are retried, repeats refused.
    const outcomes = await Promise.all([...drafts, ...drafts].map((draft) => env.store.deliver(draft, new Date())));
    expect(outcomes.filter((outcome) => outcome === 'delivered')).toHaveLength(BUSY_FACTS);
    expect(await env.itemsIn('team:team-busy')).toHaveLength(BUSY_FACTS);
    expect(await deliveredCount('team:team-busy')).toBe(BUSY_FACTS);
  });

  it('the store alone: five concurrent deliveries of one draft → one delivered, four already delivered', async () => {
    const fact = factOf(referralSubmittedV1, referralSubmittedV1.fixtures[0]!);
    const [draft] = referralSubmittedNotifications(fact.detail.data, fact.detail.metadata, 'team-store-only');
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => env.store.deliver(draft!, new Date())));
    expect(outcomes.filter((outcome) => outcome === 'delivered')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'already-delivered')).toHaveLength(4);
    expect(await env.itemsIn('team:team-store-only')).toHaveLength(1);
    expect(await deliveredCount('team:team-store-only')).toBe(1);
  });
});
