/**
 * Notifications publishes its inbox counters (ADR 0013): each delivery writes InboxItemDelivered
 * with the mailbox's new delivered count, and each "mark read" InboxItemRead with the reader's new
 * read count, in the same transaction as the change they count (the outbox), against DynamoDB
 * Local. A repeat changes nothing and publishes nothing; concurrent changes publish every value once.
 */
import { parseEventDetail } from '@fsp/shared/events/build';
import { inboxItemDeliveredV1, inboxItemReadV1 } from '@fsp/shared/events/definitions/notifications';
import { referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import { allItems } from '@fsp/shared/testing/dynamodb';
import { lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { referralSubmittedNotifications } from '../../src/domain/notification';
import { factOf } from '../support/facts';
import { asWorker, notificationsUnderTest } from '../support/notifications';

let env: Awaited<ReturnType<typeof notificationsUnderTest>>;

beforeAll(async () => {
  env = await notificationsUnderTest();
});
afterAll(async () => {
  await env.table.drop();
});

/** The outbox's items of one kind, as the relay will put them on the bus. */
async function outboxDetails(detailType: 'InboxItemDelivered' | 'InboxItemRead'): Promise<unknown[]> {
  const items = (await allItems(env.table)).filter((item) => item.kind === 'outbox' && item.detailType === detailType);
  return items.map((item) => {
    expect(item.source).toBe('fsp.notifications');
    return JSON.parse(String(item.detail));
  });
}

/** The events published so far, each validated against its contract. */
const published = {
  deliveries: async () => (await outboxDetails('InboxItemDelivered')).map((detail) => parseEventDetail(inboxItemDeliveredV1, detail)),
  reads: async () => (await outboxDetails('InboxItemRead')).map((detail) => parseEventDetail(inboxItemReadV1, detail)),
};

const submitted = (referralId: string) =>
  factOf(referralSubmittedV1, { ...referralSubmittedV1.fixtures[0]!, referralId }, '2026-12-01T09:30:00.000Z');

describe('a delivery', () => {
  it('publishes the mailbox’s new delivered count with the item, caused by the fact it tells of', async () => {
    const fact = submitted('ref-events-1');
    expect((await env.consumers.referralSubmitted(sqsEventOf(fact), lambdaContext)).batchItemFailures).toEqual([]);
    const [draft] = referralSubmittedNotifications(fact.detail.data, fact.detail.metadata, 'front-door');
    const events = await published.deliveries();
    expect(events.map((event) => event.data)).toEqual([
      { mailbox: 'team:front-door', deliveredCount: 1, notificationId: draft!.notificationId, at: expect.any(String) },
    ]);
    expect(events[0]!.metadata).toMatchObject({
      correlationId: fact.detail.metadata.correlationId,
      causationId: fact.detail.metadata.eventId,
    });

    // The same fact again (its idempotency record gone, as after 14 days): no second item, no second event.
    expect(await env.store.deliver(draft!, new Date())).toBe('already-delivered');
    expect(await published.deliveries()).toHaveLength(1);
  });

  it('publishes every value of a busy mailbox’s counter exactly once when deliveries collide', async () => {
    const drafts = ['a', 'b', 'c', 'd', 'e', 'f'].flatMap((tag) => {
      const fact = submitted(`ref-busy-${tag}`);
      return referralSubmittedNotifications(fact.detail.data, fact.detail.metadata, 'team-busy-events');
    });
    const outcomes = await Promise.all([...drafts, ...drafts].map((draft) => env.store.deliver(draft, new Date())));
    expect(outcomes.filter((outcome) => outcome === 'delivered')).toHaveLength(6);
    const counts = (await published.deliveries())
      .filter((event) => event.data.mailbox === 'team:team-busy-events')
      .map((event) => event.data.deliveredCount)
      .sort((a, b) => a - b);
    expect(counts).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('a batch’s deliveries to one mailbox', () => {
  it('go in one transaction: each item its own count in order, one event with the new count, repeats refused', async () => {
    const facts = ['a', 'b', 'c', 'd', 'e'].map((tag) => submitted(`ref-batch-${tag}`));
    const drafts = facts.flatMap((fact) => referralSubmittedNotifications(fact.detail.data, fact.detail.metadata, 'team-batch'));
    // One delivered before, alone.
    expect(await env.store.deliver(drafts[1]!, new Date())).toBe('delivered');

    const transactions: number[] = [];
    env.table.documentClient.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') transactions.push(1);
        return next(args);
      },
      { name: 'countTransactions' },
    );
    let outcomes: Awaited<ReturnType<typeof env.store.deliverAll>>;
    try {
      // The one from before, and one twice in the batch.
      outcomes = await env.store.deliverAll([...drafts, drafts[3]!].map((draft) => ({ draft, now: new Date() })));
    } finally {
      env.table.documentClient.middlewareStack.remove('countTransactions');
    }

    expect(outcomes).toEqual(['delivered', 'already-delivered', 'delivered', 'delivered', 'delivered', 'already-delivered']);
    // The first refused for the repeat from before, the second with it left out.
    expect(transactions).toHaveLength(2);
    const items = await env.itemsIn('team:team-batch');
    const seqOf = (notificationId: string) => items.find((item) => item.notificationId === notificationId)?.seq;
    expect(drafts.map((draft) => seqOf(draft.notificationId))).toEqual([2, 1, 3, 4, 5]);
    // The lone delivery's event, and one for the batch: its readers keep the highest count, so one
    // naming the last item with the count after it tells them all the batch's events would have.
    const events = (await published.deliveries()).filter((event) => event.data.mailbox === 'team:team-batch');
    expect(events.map((event) => [event.data.deliveredCount, event.data.notificationId]).sort()).toEqual([
      [1, drafts[1]!.notificationId],
      [5, drafts[4]!.notificationId],
    ]);
    expect(events.find((event) => event.data.deliveredCount === 5)?.metadata).toMatchObject({
      correlationId: facts[4]!.detail.metadata.correlationId,
      causationId: facts[4]!.detail.metadata.eventId,
    });
  });
});

describe('marking an item read', () => {
  const reader = { userId: 'reader-events', teamId: 'team-read-events' };

  it('publishes the reader’s new read count in the item’s mailbox, once however often it is marked', async () => {
    const drafts = ['r1', 'r2', 'r3'].flatMap((tag) => {
      const fact = submitted(`ref-read-${tag}`);
      return referralSubmittedNotifications(fact.detail.data, fact.detail.metadata, reader.teamId);
    });
    for (const draft of drafts) expect(await env.store.deliver(draft, new Date())).toBe('delivered');

    const first = await env.http(asWorker(reader, 'POST', `/api/inbox/${drafts[0]!.notificationId}/read`));
    expect(first.statusCode).toBe(204);
    expect((await env.http(asWorker(reader, 'POST', `/api/inbox/${drafts[0]!.notificationId}/read`))).statusCode).toBe(204);
    let events = await published.reads();
    expect(events.map((event) => event.data)).toEqual([
      {
        userId: reader.userId,
        mailbox: `team:${reader.teamId}`,
        readCount: 1,
        notificationId: drafts[0]!.notificationId,
        at: expect.any(String),
      },
    ]);
    expect(events[0]!.metadata.correlationId).toBe(first.headers?.['x-correlation-id']);

    // Two items read at once by the same worker: each read count published once.
    const both = await Promise.all(
      drafts.slice(1).map((draft) => env.http(asWorker(reader, 'POST', `/api/inbox/${draft.notificationId}/read`))),
    );
    expect(both.map((response) => response.statusCode)).toEqual([204, 204]);
    events = await published.reads();
    expect(events.map((event) => event.data.readCount).sort()).toEqual([1, 2, 3]);
  });

  it('publishes nothing for an item that is not in the worker’s mailboxes', async () => {
    const before = await published.reads();
    const outsider = { userId: 'outsider-events', teamId: 'team-elsewhere' };
    const fact = submitted('ref-read-other');
    const [draft] = referralSubmittedNotifications(fact.detail.data, fact.detail.metadata, 'team-not-theirs');
    await env.store.deliver(draft!, new Date());
    expect((await env.http(asWorker(outsider, 'POST', `/api/inbox/${draft!.notificationId}/read`))).statusCode).toBe(404);
    expect(await published.reads()).toHaveLength(before.length);
  });
});
