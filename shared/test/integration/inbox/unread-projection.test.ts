/**
 * The unread projection against DynamoDB Local, and the inbox-changed consumer that fills it: a
 * counter is kept only when it is higher than the one kept, so duplicates, reordering and
 * concurrent writers leave the count notifications would show, read in one BatchGetItem.
 */
import { createInboxChangedConsumer } from '@fsp/shared/inbox/consumer';
import type { Mailbox } from '@fsp/shared/inbox/mailbox';
import { createUnreadProjection, type RecordedCounter } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { inboxDelivered, inboxRead } from '@fsp/shared/testing/inbox';
import { countingRounds } from '@fsp/shared/testing/read-rounds';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import fc from 'fast-check';

let table: TestTable;
let runtime: ServiceRuntime;

beforeEach(async () => {
  ({ table, runtime } = await createTestRuntime('cases'));
});
afterEach(async () => {
  await table.drop();
});

const priya = { userId: 'priya', teamId: 'front-door' };
const AT = '2026-12-01T09:30:00.000Z';
const delivered = (mailbox: Mailbox, value: number): RecordedCounter => ({
  counter: 'delivered',
  mailbox,
  value,
  notificationId: `n-${value}`,
  at: AT,
});
const read = (userId: string, mailbox: Mailbox, value: number): RecordedCounter => ({
  counter: 'read',
  userId,
  mailbox,
  value,
  notificationId: `n-${value}`,
  at: AT,
});

describe('the unread projection', () => {
  it('keeps each counter’s highest value: a repeat or a lower one is stale and changes nothing', async () => {
    const projection = createUnreadProjection(runtime.documents, runtime.tableName);
    expect(await projection.unreadCount(priya)).toBe(0);
    expect(await projection.record(delivered('team:front-door', 3))).toBe('recorded');
    expect(await projection.record(delivered('team:front-door', 3))).toBe('stale');
    expect(await projection.record(delivered('team:front-door', 2))).toBe('stale');
    expect(await projection.record(delivered('user:priya', 1))).toBe('recorded');
    expect(await projection.unreadCount(priya)).toBe(4);

    expect(await projection.record(read('priya', 'team:front-door', 2))).toBe('recorded');
    expect(await projection.record(read('priya', 'team:front-door', 1))).toBe('stale');
    // Another worker's reads of the same team's items are theirs.
    expect(await projection.record(read('tom', 'team:front-door', 3))).toBe('recorded');
    expect(await projection.unreadCount(priya)).toBe(2);
    expect(await projection.unreadCount({ userId: 'tom', teamId: 'front-door' })).toBe(0);

    const kept = (await allItems(table)).find((item) => item.sk === 'DELIVERED' && item.pk === 'INBOX#team:front-door');
    expect(kept).toMatchObject({ kind: 'inbox-delivered-counter', deliveredCount: 3, notificationId: 'n-3', at: AT });
  });

  it('reads the count in one request whatever the worker’s inbox holds', async () => {
    const projection = createUnreadProjection(runtime.documents, runtime.tableName);
    await projection.record(delivered('team:front-door', 500));
    const rounds = countingRounds(runtime.documents);
    const counted = createUnreadProjection(rounds.documents, runtime.tableName);
    expect(await counted.unreadCount(priya)).toBe(500);
    expect(rounds.take()).toBe(1);
  });

  it('ends at notifications’ count however the events are repeated, reordered and written at once', async () => {
    const projection = createUnreadProjection(runtime.documents, runtime.tableName);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          team: fc.nat({ max: 8 }),
          own: fc.nat({ max: 4 }),
          readTeam: fc.nat({ max: 8 }),
          readOwn: fc.nat({ max: 4 }),
          places: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 60, maxLength: 60 }),
        }),
        async ({ team, own, readTeam, readOwn, places }) => {
          run += 1;
          const worker = { userId: `w${run}`, teamId: `t${run}` };
          const teamBox: Mailbox = `team:${worker.teamId}`;
          const ownBox: Mailbox = `user:${worker.userId}`;
          const teamRead = Math.min(team, readTeam);
          const ownRead = Math.min(own, readOwn);
          const counters = [
            ...Array.from({ length: team }, (_, i) => delivered(teamBox, i + 1)),
            ...Array.from({ length: own }, (_, i) => delivered(ownBox, i + 1)),
            ...Array.from({ length: teamRead }, (_, i) => read(worker.userId, teamBox, i + 1)),
            ...Array.from({ length: ownRead }, (_, i) => read(worker.userId, ownBox, i + 1)),
          ];
          // Every event at least once, some twice, in an order of the generator's choosing, all written at once.
          const arrivals = [...counters, ...counters.filter((_, i) => (places[i] ?? 0) > 0.5)]
            .map((counter, i) => ({ counter, place: places[i % places.length]! + i / 1000 }))
            .sort((a, b) => a.place - b.place);
          await Promise.all(arrivals.map(({ counter }) => projection.record(counter)));
          expect(await projection.unreadCount(worker)).toBe(team - teamRead + (own - ownRead));
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('the inbox-changed consumer', () => {
  it('keeps the counters the events report, however often and in whatever order they come', async () => {
    const consumer = createInboxChangedConsumer(runtime);
    const projection = createUnreadProjection(runtime.documents, runtime.tableName);
    const events = [
      inboxRead('priya', 'team:front-door', 1),
      inboxDelivered('team:front-door', 2),
      inboxDelivered('team:front-door', 1),
      inboxDelivered('user:priya', 1),
    ];
    expect((await consumer(sqsEventOf(...events), lambdaContext)).batchItemFailures).toEqual([]);
    expect(await projection.unreadCount(priya)).toBe(2);
    // The same facts again (a redelivery), and an earlier count heard late: nothing moves.
    expect((await consumer(sqsEventOf(events[1]!, inboxDelivered('team:front-door', 1)), lambdaContext)).batchItemFailures).toEqual([]);
    expect(await projection.unreadCount(priya)).toBe(2);
    expect((await consumer(sqsEventOf(inboxRead('priya', 'team:front-door', 2)), lambdaContext)).batchItemFailures).toEqual([]);
    expect(await projection.unreadCount(priya)).toBe(1);
  });

  it('refuses an event that breaks its contract, alone, writing nothing', async () => {
    const consumer = createInboxChangedConsumer(runtime);
    const good = inboxDelivered('team:front-door', 4);
    const broken = { ...inboxDelivered('team:north', 1), detail: { ...good.detail, data: { ...good.detail.data, mailbox: 'north' } } };
    const response = await consumer(sqsEventOf(broken, good), lambdaContext);
    expect(response.batchItemFailures).toHaveLength(1);
    const counters = (await allItems(table)).filter((item) => String(item.pk).startsWith('INBOX#'));
    expect(counters.map((item) => item.pk)).toEqual(['INBOX#team:front-door']);
  });
});
