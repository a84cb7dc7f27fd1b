/**
 * The unread count, as arithmetic. Notifications keeps two kinds of counter and both only ever go
 * up: a mailbox's delivered count (every item ever delivered to it) and a reader's read count in
 * a mailbox (every item of that mailbox they have marked read). A worker's unread count is, over
 * their mailboxes, delivered − read.
 *
 * Other services keep these counters from notifications' InboxItemDelivered and InboxItemRead
 * events, which carry each counter's value after the change. Because the counters are monotonic,
 * keeping the highest value heard makes the projection indifferent to duplicates and to order:
 * `recordCounter` is that rule, and the DynamoDB projection (unread-projection.ts) applies it with a
 * conditional update. Pure: no I/O.
 */
import { MAILBOX_ROLES, type Mailbox, type MailboxReader, mailboxesOf } from './mailbox';

export interface MailboxCounters {
  delivered: number;
  read: number;
}

/** Unread = delivered to the mailbox − read by this person in it, summed over the worker's mailboxes. */
export function unreadCountOf(counters: readonly MailboxCounters[]): number {
  // Notifications writes a receipt only for an item that exists, so read ≤ delivered there; a
  // projection can hear of a read before the delivery it counts, and an operator may clean up by
  // hand: the floor keeps the badge from ever going negative.
  return counters.reduce((total, { delivered, read }) => total + Math.max(0, delivered - read), 0);
}

/** One counter's value as notifications reported it, after the change the event tells of. */
export type CounterFact =
  | { counter: 'delivered'; mailbox: Mailbox; value: number }
  | { counter: 'read'; mailbox: Mailbox; userId: string; value: number };

/** The counters heard so far, by counter (`counterIdOf`). */
export type UnreadCounters = ReadonlyMap<string, number>;

export const NO_COUNTERS: UnreadCounters = new Map();

const deliveredId = (mailbox: Mailbox) => `delivered ${mailbox}`;
const readId = (userId: string, mailbox: Mailbox) => `read ${mailbox} ${userId}`;

export const counterIdOf = (fact: CounterFact): string =>
  fact.counter === 'delivered' ? deliveredId(fact.mailbox) : readId(fact.userId, fact.mailbox);

/** Whether a counter heard as `incoming` replaces what is kept: only a higher value does (counters never go down). */
export const isLater = (kept: number | undefined, incoming: number): boolean => kept === undefined || kept < incoming;

/** The counters with `fact` heard: its counter's highest value kept, whatever arrived before or arrives again. */
export function recordCounter(counters: UnreadCounters, fact: CounterFact): UnreadCounters {
  const id = counterIdOf(fact);
  if (!isLater(counters.get(id), fact.value)) return counters;
  return new Map(counters).set(id, fact.value);
}

/** The worker's unread count from the counters heard (a counter never heard is 0). */
export function unreadCountFrom(counters: UnreadCounters, worker: MailboxReader): number {
  const mailboxes = mailboxesOf(worker);
  return unreadCountOf(
    MAILBOX_ROLES.map((role) => ({
      delivered: counters.get(deliveredId(mailboxes[role])) ?? 0,
      read: counters.get(readId(worker.userId, mailboxes[role])) ?? 0,
    })),
  );
}
