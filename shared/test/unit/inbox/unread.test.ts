/**
 * The Inbox count as arithmetic: which mailboxes a worker reads, delivered − read over them, and the
 * projection's rule (keep each counter's highest value), which must make duplicates and order of
 * notifications' counter events irrelevant.
 */
import { type Mailbox, mailboxesOf, teamMailbox, userMailbox } from '@fsp/shared/inbox/mailbox';
import {
  type CounterFact,
  NO_COUNTERS,
  recordCounter,
  type UnreadCounters,
  unreadCountFrom,
  unreadCountOf,
} from '@fsp/shared/inbox/unread';
import fc from 'fast-check';

describe('the mailboxes a worker reads', () => {
  it('are their own and their team’s, from the session', () => {
    expect(mailboxesOf({ userId: 'local-frontdoor', teamId: 'front-door' })).toEqual({
      user: 'user:local-frontdoor',
      team: 'team:front-door',
    });
  });

  it('never mix a person up with a team of the same name', () => {
    expect(userMailbox('north')).not.toBe(teamMailbox('north'));
  });
});

describe('the unread count', () => {
  it('is delivered minus read, per mailbox, never below zero', () => {
    expect(
      unreadCountOf([
        { delivered: 5, read: 2 },
        { delivered: 1, read: 0 },
      ]),
    ).toBe(4);
    // A read heard before the delivery it counts, or a hand-cleaned counter, shows no negative badge.
    expect(
      unreadCountOf([
        { delivered: 0, read: 3 },
        { delivered: 2, read: 2 },
      ]),
    ).toBe(0);
  });

  const priya = { userId: 'priya', teamId: 'front-door' };
  const tom = { userId: 'tom', teamId: 'front-door' };

  it('counts the team’s items and the worker’s own, less what this worker has read', () => {
    const facts: CounterFact[] = [
      { counter: 'delivered', mailbox: 'team:front-door', value: 4 },
      { counter: 'delivered', mailbox: 'user:priya', value: 1 },
      { counter: 'read', userId: 'priya', mailbox: 'team:front-door', value: 3 },
      // Tom's reads and another team's items are not Priya's.
      { counter: 'read', userId: 'tom', mailbox: 'team:front-door', value: 1 },
      { counter: 'delivered', mailbox: 'team:north', value: 9 },
      { counter: 'delivered', mailbox: 'user:tom', value: 2 },
    ];
    const counters = facts.reduce(recordCounter, NO_COUNTERS);
    expect(unreadCountFrom(counters, priya)).toBe(2);
    expect(unreadCountFrom(counters, tom)).toBe(5);
    expect(unreadCountFrom(NO_COUNTERS, priya)).toBe(0);
  });

  it('keeps a counter’s highest value: a lower one heard later changes nothing', () => {
    const later = recordCounter(NO_COUNTERS, { counter: 'delivered', mailbox: 'team:front-door', value: 5 });
    expect(recordCounter(later, { counter: 'delivered', mailbox: 'team:front-door', value: 4 })).toBe(later);
    expect(recordCounter(later, { counter: 'delivered', mailbox: 'team:front-door', value: 5 })).toBe(later);
    expect(unreadCountFrom(recordCounter(later, { counter: 'delivered', mailbox: 'team:front-door', value: 6 }), priya)).toBe(6);
  });
});

/** What happened in notifications: items delivered to mailboxes and read by workers, in order. */
type Happening = { kind: 'deliver'; mailbox: number } | { kind: 'read'; reader: number; mailbox: number };

const READERS = [
  { userId: 'r0', teamId: 't0' },
  { userId: 'r1', teamId: 't0' },
  { userId: 'r2', teamId: 't1' },
];
const MAILBOXES: Mailbox[] = ['team:t0', 'team:t1', 'user:r0', 'user:r1', 'user:r2'];

/** The counter events notifications publishes for a history, each with the counter's value after it; and the true counts. */
function eventsOf(history: readonly Happening[]) {
  const delivered = new Map<Mailbox, number>();
  const read = new Map<string, number>();
  const events: CounterFact[] = [];
  for (const happening of history) {
    const mailbox = MAILBOXES[happening.mailbox]!;
    if (happening.kind === 'deliver') {
      const value = (delivered.get(mailbox) ?? 0) + 1;
      delivered.set(mailbox, value);
      events.push({ counter: 'delivered', mailbox, value });
      continue;
    }
    const reader = READERS[happening.reader]!;
    const mine = mailboxesOf(reader);
    // A worker reads only items in their own mailboxes, and only items there are.
    if (mailbox !== mine.user && mailbox !== mine.team) continue;
    const id = `${reader.userId} ${mailbox}`;
    if ((read.get(id) ?? 0) >= (delivered.get(mailbox) ?? 0)) continue;
    const value = (read.get(id) ?? 0) + 1;
    read.set(id, value);
    events.push({ counter: 'read', userId: reader.userId, mailbox, value });
  }
  const truth = READERS.map((reader) => {
    const mine = mailboxesOf(reader);
    return [mine.user, mine.team].reduce(
      (total, mailbox) => total + (delivered.get(mailbox) ?? 0) - (read.get(`${reader.userId} ${mailbox}`) ?? 0),
      0,
    );
  });
  return { events, truth };
}

const happening: fc.Arbitrary<Happening> = fc.oneof(
  fc.record({ kind: fc.constant('deliver' as const), mailbox: fc.nat({ max: MAILBOXES.length - 1 }) }),
  fc.record({
    kind: fc.constant('read' as const),
    reader: fc.nat({ max: READERS.length - 1 }),
    mailbox: fc.nat({ max: MAILBOXES.length - 1 }),
  }),
);

/** The events as a queue may hand them over: some more than once, in any order. */
const redelivered = <T>(events: readonly T[]) =>
  fc
    .array(fc.tuple(fc.nat({ max: Math.max(0, events.length - 1) }), fc.double({ min: 0, max: 1, noNaN: true })), {
      maxLength: events.length * 2,
    })
    .chain((duplicates) =>
      fc
        .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: events.length, maxLength: events.length })
        .map((places) =>
          [
            ...events.map((event, index) => ({ event, place: places[index]! })),
            ...(events.length === 0 ? [] : duplicates.map(([index, place]) => ({ event: events[index]!, place }))),
          ]
            .sort((a, b) => a.place - b.place)
            .map(({ event }) => event),
        ),
    );

const countsOf = (counters: UnreadCounters) => READERS.map((reader) => unreadCountFrom(counters, reader));

describe('the projection of notifications’ counter events', () => {
  it('counts exactly what notifications counts, however often and in whatever order the events arrive', () => {
    fc.assert(
      fc.property(
        fc.array(happening, { maxLength: 40 }).chain((history) => {
          const { events, truth } = eventsOf(history);
          return fc.record({ events: fc.constant(events), truth: fc.constant(truth), arrived: redelivered(events) });
        }),
        ({ events, truth, arrived }) => {
          const inOrder = countsOf(events.reduce(recordCounter, NO_COUNTERS));
          expect(inOrder).toEqual(truth);
          expect(countsOf(arrived.reduce(recordCounter, NO_COUNTERS))).toEqual(truth);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never shows a negative count, even with only some of the events heard so far', () => {
    fc.assert(
      fc.property(
        fc.array(happening, { maxLength: 30 }).chain((history) => {
          const { events } = eventsOf(history);
          return fc.subarray(events);
        }),
        (heard) => {
          for (const count of countsOf(heard.reduce(recordCounter, NO_COUNTERS))) expect(count).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
