/**
 * The notifications table: inbox items, per-mailbox delivery counters, and each person's read
 * receipts and read counters. (Idempotency records of the event consumers live under
 * `IDEMPOTENCY#notifications`, written by shared/consumer.)
 *
 * | access pattern                              | key condition                                                                  | index |
 * |---------------------------------------------|--------------------------------------------------------------------------------|-------|
 * | deliver items once (k of them, one mailbox) | GetItem pk=MAILBOX#<mailbox>, sk=COUNTER (n), then one transaction: per item   | table |
 * |                                             |   Put pk=MAILBOX#<mailbox>, sk=ITEM#<notificationId> if absent (seq n + i),    |       |
 * |                                             |   and for a fact known by its natural key (factKey) Put pk=MAILBOX#<mailbox>,  |       |
 * |                                             |   sk=FACT#<digest of key, mailbox, channel> if absent; Update the counter SET  |       |
 * |                                             |   deliveredCount = n + k if it is still n; Put one InboxItemDelivered outbox   |       |
 * |                                             |   item (the last item, n + k). Up to 48 items a transaction; a refused item is |       |
 * |                                             |   a repeat, left out                                                           |       |
 * | a mailbox's items, newest first, paged      | Query pk=MAILBOX#<mailbox> AND begins_with(sk, ITEM#), descending,             | table |
 * |                                             |   ExclusiveStartKey sk=ITEM#<after>                                            |       |
 * | find an item in the worker's mailboxes      | BatchGetItem pk=MAILBOX#<user and team mailbox>, sk=ITEM#<id>, + the receipt | table |
 * | which of a page's items the worker has read | Query pk=READER#<userId> AND sk BETWEEN READ# AND READ#<newest shown>,         | table |
 * |                                             |   descending, 2 pages' worth, with the items; BatchGetItem the receipts of     |       |
 * |                                             |   items below that window only if it stopped above them                        |       |
 * | mark read once (one item, or up to 32: the  | BatchGetItem each item in both mailboxes, its receipt, both read counters (n)  | table |
 * |   items a filtered page shows)              |   and both marks, then a transaction: per item ConditionCheck it exists and    |       |
 * |                                             |   Put pk=READER#<userId>, sk=READ#<notificationId> if absent; per mailbox      |       |
 * |                                             |   Update pk=READER#<userId>, sk=READCOUNT#<mailbox> SET readCount = n + k if   |       |
 * |                                             |   it is still n, and Put one InboxItemRead outbox item                         |       |
 * | unread count                                | BatchGetItem MAILBOX#<m>/COUNTER and READER#<userId>/READCOUNT#<m> for both    | table |
 * |                                             |   of the worker's mailboxes (4 keys), + READER#<userId>/READALL#<m> with pages |       |
 * | a filtered page (unread, urgent, a case)    | the page's Query of each mailbox, 50 items at a time, and BatchGetItem their   | table |
 * |                                             |   receipts; up to 4 such rounds, then the page ends with a link to go on       |       |
 * | mark all read                               | BatchGetItem both mailboxes' COUNTER, READCOUNT# and READALL# (6 keys), then   | table |
 * |                                             |   one transaction per call: per mailbox with unread items ConditionCheck its   |       |
 * |                                             |   deliveredCount = d; Update READCOUNT# SET readCount = d if still r; Put      |       |
 * |                                             |   READALL#<m> (upToSeq d); Put the InboxItemRead outbox item                   |       |
 *
 * Each item keeps `seq`, the mailbox's deliveredCount it was delivered as. "Mark all as read" writes
 * no receipt per item: it records, per person and mailbox, the count delivered when they asked
 * (READALL#, `upToSeq`); an item at or below it is read (an item from before `seq` existed always is,
 * as it was delivered before any such mark), and the read counter becomes that count, so the unread
 * arithmetic stays exact. Marking one item read that a mark already covers is 'already-read'.
 *
 * Counters change only in the same transaction as the conditional put they count, so a duplicate
 * delivery or a second "mark read" (sequential or concurrent) moves no counter: the unread count is
 * exact, costs one BatchGetItem whatever the inbox's size, and needs no window.
 *
 * The same transaction publishes the counter's new value (InboxItemDelivered, InboxItemRead, through
 * the outbox), from which other services keep the Inbox count their pages show (ADR 0013). The value
 * must be known before the transaction, so a counter is set to the value read plus one on condition
 * that it still holds the value read; a writer that lost the race to another reads it again.
 *
 * Delivery is inbox-delivery-store.ts's (the consumers need nothing else); this store includes it.
 */

import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { buildEvent } from '@fsp/shared/events/build';
import { inboxItemReadV1 } from '@fsp/shared/events/definitions/notifications';
import { MAILBOX_PATTERN, MAILBOX_ROLES, type Mailbox, type WorkerMailboxes } from '@fsp/shared/inbox/mailbox';
import { unreadCountOf } from '@fsp/shared/inbox/unread';
import { recordMetric } from '@fsp/shared/metrics';
import { outboxItem } from '@fsp/shared/outbox';
import { parseStoredItem } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';
import { inboxItemReadData } from '../domain/events';
import { type InboxFilter, isFiltered, matchesFilter, NO_FILTER, walkFiltered } from '../domain/inbox-filter';
import { type FetchedSlice, type InboxCursor, type InboxPage, mergeNewestFirst } from '../domain/inbox-page';
import { NOTIFICATION_ID_PATTERN, NOTIFICATION_KINDS } from '../domain/notification';
import {
  counterUpdate,
  counterWrites,
  createInboxDeliveryStore,
  DEFAULT_CONFLICT_BACKOFF_MS,
  deliveredCounterKey,
  deliveredCounterSchema,
  INBOX_ITEM_PREFIX,
  type InboxStoreOptions,
  itemKey,
  mailboxKey,
  pause,
} from './inbox-delivery-store';

export {
  type Delivery,
  type DeliveryOutcome,
  deliveredCounterKey,
  factMarkerKey,
  INBOX_ITEM_PREFIX,
  type InboxStoreOptions,
  mailboxKey,
} from './inbox-delivery-store';

const readerKey = (userId: string) => `READER#${userId}`;
const RECEIPT_PREFIX = 'READ#';
const receiptKey = (userId: string, notificationId: string) => ({ pk: readerKey(userId), sk: `${RECEIPT_PREFIX}${notificationId}` });
/** How many pages' worth of the reader's newest receipts the inbox reads with its items. */
const RECEIPT_WINDOW_PAGES = 2;

/**
 * The highest item id the page can show: the older end of a mailbox still being read (its items
 * come after it), or null when one is read from its newest.
 */
function receiptsUpTo(from: InboxCursor): string | null {
  const open = MAILBOX_ROLES.filter((role) => !from[role].done).map((role) => from[role].after);
  if (open.length === 0 || open.includes(null)) return null;
  return (open as string[]).sort().at(-1) ?? null;
}

const readCounterKey = (userId: string, mailbox: Mailbox) => ({ pk: readerKey(userId), sk: `READCOUNT#${mailbox}` });
/** "Mark all as read": the mailbox's deliveredCount when this person asked. (Sorts above every READ#<id>, so receipt queries never see it.) */
const readAllKey = (userId: string, mailbox: Mailbox) => ({ pk: readerKey(userId), sk: `READALL#${mailbox}` });
/** How many items of each mailbox a filtered page reads at a time, and in how many rounds at most. */
const FILTER_FETCH = 50;
const FILTER_ROUNDS = 4;

const mailboxSchema = z.lazy(() =>
  z.custom<Mailbox>((value) => typeof value === 'string' && MAILBOX_PATTERN.test(value), 'must be team:<id> or user:<id>'),
);

/** An inbox item as stored; read back through this schema so a malformed item fails loudly, not on screen. */
const inboxItemSchema = z.lazy(() =>
  z.object({
    notificationId: z.string().check(z.regex(NOTIFICATION_ID_PATTERN)),
    mailbox: mailboxSchema,
    channel: z.literal('inbox'),
    kind: z.enum(NOTIFICATION_KINDS),
    title: z.string(),
    link: z.string().check(z.startsWith('/')),
    createdAt: z.iso.datetime(),
    sourceEventId: z.string(),
    correlationId: z.string(),
    deliveredAt: z.iso.datetime(),
    /** The case or referral it is about (items delivered before the case filter have none). */
    reference: z.optional(z.string()),
    /** The mailbox's deliveredCount it was delivered as (absent on items from before "mark all as read"). */
    seq: z.optional(z.int().check(z.gte(1))),
  }),
);

export type InboxItem = z.infer<typeof inboxItemSchema>;
export interface InboxEntry extends InboxItem {
  read: boolean;
}

const readCounterSchema = z.lazy(() => z.object({ readCount: z.int().check(z.gte(0)) }));
const readAllSchema = z.lazy(() => z.object({ upToSeq: z.int().check(z.gte(0)) }));

/** Per mailbox, the deliveredCount up to which this person marked everything read. */
export type ReadAllMarks = ReadonlyMap<Mailbox, number>;

/** Read by a "mark all as read" made after it was delivered. */
const coveredByMark = (item: Pick<InboxItem, 'mailbox' | 'seq'>, marks: ReadAllMarks): boolean => {
  const upTo = marks.get(item.mailbox);
  return upTo !== undefined && (item.seq === undefined || item.seq <= upTo);
};

export type ReadOutcome = 'marked' | 'already-read' | 'not-found';
/**
 * How many items one call marks read at most (a page's worth): it reads each in both mailboxes and
 * its receipt, with the four counters and marks, within BatchGetItem's 100 keys; and writes a check
 * and a receipt for each, with a counter and an event per mailbox, within TransactWriteItems' 100.
 */
export const MARK_SEVERAL_LIMIT = 32;
/** What caused a read, for the event it publishes: the request's correlation id, and its id as the cause. */
export interface ReadCause {
  correlationId: string;
  causationId: string;
}

export function createInboxStore(documents: DynamoDBDocumentClient, tableName: string, options: InboxStoreOptions = {}) {
  const backoffMs = options.conflictBackoffMs ?? DEFAULT_CONFLICT_BACKOFF_MS;
  const { transact, whileCounterMoves } = counterWrites(documents, tableName, backoffMs);

  /** BatchGetItem with its unprocessed keys retried; at most 100 keys. */
  async function batchGet(keys: readonly Record<string, string>[]): Promise<Record<string, unknown>[]> {
    if (keys.length === 0) return [];
    if (keys.length > 100) throw new RangeError(`BatchGetItem takes at most 100 keys, not ${keys.length}`);
    const found: Record<string, unknown>[] = [];
    let request: BatchGetCommandInput['RequestItems'] = { [tableName]: { Keys: [...keys], ConsistentRead: true } };
    for (let attempt = 1; request && Object.keys(request).length > 0; attempt += 1) {
      if (attempt > 1) await pause(backoffMs * attempt);
      if (attempt > 8) throw new Error(`BatchGetItem left keys unprocessed after ${attempt - 1} attempts`);
      const result: BatchGetCommandOutput = await documents.send(new BatchGetCommand({ RequestItems: request }));
      found.push(...(result.Responses?.[tableName] ?? []));
      request = result.UnprocessedKeys;
    }
    return found;
  }

  const sameKey = (item: Record<string, unknown>, key: { pk: string; sk: string }) => item.pk === key.pk && item.sk === key.sk;

  /**
   * The reader's newest receipts at or below `upTo` (an item id; null: from the newest), read in the
   * page's one round with its items: ids are time-ordered, so the receipts of the items a page can
   * show are the reader's newest ones below that bound. `covers(id)` says whether the window holds
   * every receipt there is for `id`: it does for any id from its lowest receipt up, or everywhere
   * once the reader has no more.
   */
  async function receiptWindow(userId: string, upTo: string | null, limit: number) {
    const result = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lowest AND :highest',
        ExpressionAttributeValues: {
          ':pk': readerKey(userId),
          ':lowest': RECEIPT_PREFIX,
          // Above every id: the prefix then the highest character ("READCOUNT#…" sorts above it, and stays out).
          ':highest': `${RECEIPT_PREFIX}${upTo ?? '\uffff'}`,
        },
        ProjectionExpression: 'sk',
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    const readIds = (result.Items ?? []).map((item) => String(item.sk).slice(RECEIPT_PREFIX.length));
    const complete = result.LastEvaluatedKey === undefined;
    const lowest = readIds.at(-1);
    return { readIds, covers: (id: string) => complete || (lowest !== undefined && id >= lowest) };
  }

  /** Each of the worker's mailboxes with its delivered counter, their read counter and their "mark all as read" mark, read in one BatchGetItem of 6 keys. */
  async function readCounters(userId: string, mailboxes: WorkerMailboxes) {
    const keys = MAILBOX_ROLES.map((role) => ({
      mailbox: mailboxes[role],
      delivered: deliveredCounterKey(mailboxes[role]),
      read: readCounterKey(userId, mailboxes[role]),
      readAll: readAllKey(userId, mailboxes[role]),
    }));
    const found = await batchGet(keys.flatMap((key) => [key.delivered, key.read, key.readAll]));
    return { keys, found };
  }

  /** The unread count and the worker's "mark all as read" marks, in one BatchGetItem of 6 keys. */
  async function countersAndMarks(userId: string, mailboxes: WorkerMailboxes): Promise<{ unreadCount: number; marks: ReadAllMarks }> {
    const { keys, found } = await readCounters(userId, mailboxes);
    const counterOf = <S extends z.ZodMiniType>(key: { pk: string; sk: string }, schema: S): z.infer<S> | undefined => {
      const item = found.find((candidate) => sameKey(candidate, key));
      return item ? parseStoredItem(schema, item, 'counter') : undefined;
    };
    const marks = new Map<Mailbox, number>();
    for (const key of keys) {
      const mark = counterOf(key.readAll, readAllSchema);
      if (mark) marks.set(key.mailbox, mark.upToSeq);
    }
    const unreadCount = unreadCountOf(
      keys.map((key) => ({
        delivered: counterOf(key.delivered, deliveredCounterSchema)?.deliveredCount ?? 0,
        read: counterOf(key.read, readCounterSchema)?.readCount ?? 0,
      })),
    );
    return { unreadCount, marks };
  }

  const countersOf = async (userId: string, mailboxes: WorkerMailboxes): Promise<number> =>
    (await countersAndMarks(userId, mailboxes)).unreadCount;

  /** Which of these items the reader has a receipt for (BatchGetItem, 100 keys at a time, together). */
  async function receiptsOf(userId: string, items: readonly InboxItem[]): Promise<Set<string>> {
    const keys = items.map((item) => receiptKey(userId, item.notificationId));
    const chunks = Array.from({ length: Math.ceil(keys.length / 100) }, (_, index) => keys.slice(index * 100, index * 100 + 100));
    const found = (await Promise.all(chunks.map(batchGet))).flat();
    return new Set(found.map((receipt) => String(receipt.sk).slice(RECEIPT_PREFIX.length)));
  }

  async function fetchSlice(mailbox: Mailbox, after: string | null, pageSize: number): Promise<FetchedSlice<InboxItem>> {
    const result = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
        ExpressionAttributeValues: { ':pk': mailboxKey(mailbox), ':item': INBOX_ITEM_PREFIX },
        ScanIndexForward: false,
        // One more than the page: whether it comes back says if this mailbox has more.
        Limit: pageSize + 1,
        ConsistentRead: true,
        ...(after ? { ExclusiveStartKey: itemKey(mailbox, after) } : {}),
      }),
    );
    const items = (result.Items ?? []).map((item) => parseStoredItem(inboxItemSchema, item, 'inbox item'));
    return { items, truncated: items.length <= pageSize && result.LastEvaluatedKey !== undefined };
  }

  /**
   * A page of only the items that match the filter: each round queries both mailboxes (50 items) from
   * where the last stopped and reads those items' receipts, and the walk keeps the matching ones
   * (src/domain/inbox-filter.ts). At most 4 rounds, so a rare match in a long inbox costs a bounded
   * amount: a page can then hold fewer items than asked, and its next cursor goes on from there.
   */
  async function filteredPage(
    userId: string,
    mailboxes: WorkerMailboxes,
    from: InboxCursor,
    pageSize: number,
    filter: InboxFilter,
  ): Promise<{ page: InboxPage<InboxEntry>; unreadCount: number }> {
    const empty: FetchedSlice<InboxItem> = { items: [], truncated: false };
    const counting = countersAndMarks(userId, mailboxes);
    const items: InboxEntry[] = [];
    let position: InboxCursor | null = from;
    for (let round = 0; round < FILTER_ROUNDS && position && items.length < pageSize; round += 1) {
      const at: InboxCursor = position;
      const [user, team, { marks }] = await Promise.all([
        at.user.done ? empty : fetchSlice(mailboxes.user, at.user.after, FILTER_FETCH),
        at.team.done ? empty : fetchSlice(mailboxes.team, at.team.after, FILTER_FETCH),
        counting,
      ]);
      const readIds = await receiptsOf(userId, [...user.items, ...team.items]);
      const withRead = (slice: FetchedSlice<InboxItem>): FetchedSlice<InboxEntry> => ({
        truncated: slice.truncated,
        items: slice.items.map((item) => ({ ...item, read: readIds.has(item.notificationId) || coveredByMark(item, marks) })),
      });
      const walked = walkFiltered(at, { user: withRead(user), team: withRead(team) }, FILTER_FETCH, pageSize - items.length, (entry) =>
        matchesFilter(entry, filter),
      );
      items.push(...walked.items);
      position = walked.next;
    }
    return { page: { items, next: position }, unreadCount: (await counting).unreadCount };
  }

  return {
    ...createInboxDeliveryStore(documents, tableName, options),

    /** A page of the worker's inbox (both mailboxes merged, newest first), each item with the worker's own read state. */
    async inboxPage(
      userId: string,
      mailboxes: WorkerMailboxes,
      from: InboxCursor,
      pageSize: number,
      filter: InboxFilter = NO_FILTER,
    ): Promise<{ page: InboxPage<InboxEntry>; unreadCount: number }> {
      const empty: FetchedSlice<InboxItem> = { items: [], truncated: false };
      if (isFiltered(filter)) return filteredPage(userId, mailboxes, from, pageSize, filter);
      const [user, team, { unreadCount, marks }, window] = await Promise.all([
        from.user.done ? empty : fetchSlice(mailboxes.user, from.user.after, pageSize),
        from.team.done ? empty : fetchSlice(mailboxes.team, from.team.after, pageSize),
        countersAndMarks(userId, mailboxes),
        receiptWindow(userId, receiptsUpTo(from), pageSize * RECEIPT_WINDOW_PAGES),
      ]);
      const page = mergeNewestFirst(from, { user, team }, pageSize);
      // Only when the window stopped above an item shown (the reader's receipts from another mailbox,
      // an earlier team's, crowding it) are that item's receipts fetched in a second round.
      const outside = page.items.filter((item) => !window.covers(item.notificationId) && !coveredByMark(item, marks));
      const late = await batchGet(outside.map((item) => receiptKey(userId, item.notificationId)));
      const readIds = new Set([...window.readIds, ...late.map((receipt) => String(receipt.sk).slice(RECEIPT_PREFIX.length))]);
      return {
        page: {
          items: page.items.map((item) => ({ ...item, read: readIds.has(item.notificationId) || coveredByMark(item, marks) })),
          next: page.next,
        },
        unreadCount,
      };
    },

    unreadCount: countersOf,

    /**
     * Marks an item read for this person only, publishing their new read count in its mailbox
     * (InboxItemRead). 'not-found' unless the item is in one of their mailboxes; a second call (or
     * a concurrent one) is 'already-read' and changes nothing.
     */
    async markRead(userId: string, mailboxes: WorkerMailboxes, notificationId: string, now: Date, cause: ReadCause): Promise<ReadOutcome> {
      const outcomes = await markSeveralRead(userId, mailboxes, [notificationId], now, cause);
      return outcomes.get(notificationId) ?? 'not-found';
    },

    markSeveralRead,
    /**
     * Marks every item now in the worker's two mailboxes read, for them only, in one transaction:
     * each mailbox with unread items gets its mark (READALL#, the count delivered now) and its read
     * counter set to that count, conditioned on neither counter having moved (else it reads them
     * again), and publishes the new read count (InboxItemRead, naming the last item delivered).
     * Returns how many items it marked; 0 when there were none, which writes nothing.
     */
    async markAllRead(userId: string, mailboxes: WorkerMailboxes, now: Date, cause: ReadCause): Promise<{ marked: number }> {
      return whileCounterMoves(`Marking all read for ${userId}`, async () => {
        const { keys, found } = await readCounters(userId, mailboxes);
        const itemAt = (key: { pk: string; sk: string }) => found.find((candidate) => sameKey(candidate, key));
        const work = [];
        for (const key of keys) {
          const deliveredItem = itemAt(key.delivered);
          const delivered = deliveredItem ? parseStoredItem(deliveredCounterSchema, deliveredItem, 'counter') : undefined;
          const readItem = itemAt(key.read);
          const seen = readItem ? parseStoredItem(readCounterSchema, readItem, 'counter').readCount : 0;
          const upTo = delivered?.deliveredCount ?? 0;
          if (upTo > seen) work.push({ ...key, upTo, seen, last: delivered?.lastNotificationId });
        }
        if (work.length === 0) return { marked: 0 };
        const withLast = await Promise.all(
          work.map(async (mailbox) => ({ ...mailbox, last: mailbox.last ?? (await newestItemId(mailbox.mailbox)) })),
        );
        const outcome = await transact({
          TransactItems: withLast.flatMap((mailbox) => {
            const read = buildEvent(
              inboxItemReadV1,
              inboxItemReadData({ userId, mailbox: mailbox.mailbox, notificationId: mailbox.last }, mailbox.upTo, now),
              { clock: () => now, ...cause },
            );
            return [
              {
                ConditionCheck: {
                  TableName: tableName,
                  Key: mailbox.delivered,
                  ConditionExpression: 'deliveredCount = :delivered',
                  ExpressionAttributeValues: { ':delivered': mailbox.upTo },
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: mailbox.read,
                  ...counterUpdate('readCount', mailbox.seen, 'ReadCounter', mailbox.upTo),
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...mailbox.readAll, type: 'ReadAllMark', mailbox: mailbox.mailbox, upToSeq: mailbox.upTo, at: now.toISOString() },
                },
              },
              { Put: { TableName: tableName, Item: outboxItem(read, now), ConditionExpression: 'attribute_not_exists(pk)' } },
            ];
          }),
        });
        if (!outcome.ok) return undefined;
        recordMetric('EventsPublished', { event: inboxItemReadV1.detailType }, withLast.length);
        return { marked: withLast.reduce((sum, mailbox) => sum + (mailbox.upTo - mailbox.seen), 0) };
      });
    },
  };

  /**
   * Marks the named items read for this person only, in one transaction: a receipt for each, each
   * mailbox's read counter moved by how many of its items it marked (conditioned on it not having
   * moved, else everything is read again), and one InboxItemRead per mailbox naming the newest of
   * them. An id in neither of their mailboxes is 'not-found'; one with a receipt, or covered by
   * "Mark all as read", is 'already-read' and counts nothing again.
   */
  async function markSeveralRead(
    userId: string,
    mailboxes: WorkerMailboxes,
    notificationIds: readonly string[],
    now: Date,
    cause: ReadCause,
  ): Promise<Map<string, ReadOutcome>> {
    const ids = [...new Set(notificationIds)];
    if (ids.length > MARK_SEVERAL_LIMIT)
      throw new RangeError(`at most ${MARK_SEVERAL_LIMIT} items are marked read at once, not ${ids.length}`);
    const malformed = ids.find((id) => !NOTIFICATION_ID_PATTERN.test(id));
    if (malformed !== undefined) throw new RangeError(`${JSON.stringify(malformed)} is not a notification id`);
    return whileCounterMoves(`Marking ${ids.length} items read for ${userId}`, async () => {
      const outcomes = new Map<string, ReadOutcome>();
      if (ids.length === 0) return outcomes;
      const counters = MAILBOX_ROLES.map((role) => readCounterKey(userId, mailboxes[role]));
      const readAlls = MAILBOX_ROLES.map((role) => readAllKey(userId, mailboxes[role]));
      const candidates = ids.flatMap((id) => MAILBOX_ROLES.map((role) => itemKey(mailboxes[role], id)));
      const receipts = ids.map((id) => receiptKey(userId, id));
      const found = await batchGet([...candidates, ...receipts, ...counters, ...readAlls]);
      const itemAt = (key: { pk: string; sk: string }) => found.find((item) => sameKey(item, key));
      const marks = new Map<Mailbox, number>();
      for (const role of MAILBOX_ROLES) {
        const mark = itemAt(readAllKey(userId, mailboxes[role]));
        if (mark) marks.set(mailboxes[role], parseStoredItem(readAllSchema, mark, 'read-all mark').upToSeq);
      }

      const toMark: InboxItem[] = [];
      for (const id of ids) {
        const held = MAILBOX_ROLES.map((role) => itemAt(itemKey(mailboxes[role], id))).find((item) => item !== undefined);
        if (!held) outcomes.set(id, 'not-found');
        else {
          const item = parseStoredItem(inboxItemSchema, held, 'inbox item');
          // Marked read with everything else ("Mark all as read" after it was delivered): counted then, not again.
          if (itemAt(receiptKey(userId, id)) || coveredByMark(item, marks)) outcomes.set(id, 'already-read');
          else toMark.push(item);
        }
      }
      if (toMark.length === 0) return outcomes;

      const perMailbox = MAILBOX_ROLES.map((role) => mailboxes[role]).flatMap((mailbox) => {
        const items = toMark.filter((item) => item.mailbox === mailbox);
        if (items.length === 0) return [];
        const counter = itemAt(readCounterKey(userId, mailbox));
        const seen = counter ? parseStoredItem(readCounterSchema, counter, 'counter').readCount : 0;
        const newest = items
          .map((item) => item.notificationId)
          .sort()
          .at(-1) as string;
        return [{ mailbox, seen, count: items.length, newest }];
      });
      const outcome = await transact({
        TransactItems: [
          ...toMark.flatMap((item) => [
            // The item still there: a receipt for one retention has removed would count a read of nothing.
            {
              ConditionCheck: {
                TableName: tableName,
                Key: itemKey(item.mailbox, item.notificationId),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: { ...receiptKey(userId, item.notificationId), type: 'ReadReceipt', mailbox: item.mailbox, readAt: now.toISOString() },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]),
          ...perMailbox.flatMap((mailbox) => {
            const read = buildEvent(
              inboxItemReadV1,
              inboxItemReadData({ userId, mailbox: mailbox.mailbox, notificationId: mailbox.newest }, mailbox.seen + mailbox.count, now),
              { clock: () => now, ...cause },
            );
            return [
              {
                Update: {
                  TableName: tableName,
                  Key: readCounterKey(userId, mailbox.mailbox),
                  ...counterUpdate('readCount', mailbox.seen, 'ReadCounter', mailbox.seen + mailbox.count),
                },
              },
              { Put: { TableName: tableName, Item: outboxItem(read, now), ConditionExpression: 'attribute_not_exists(pk)' } },
            ];
          }),
        ],
      });
      // A receipt written, an item removed or a counter moved meanwhile: read everything again.
      if (!outcome.ok) return undefined;
      recordMetric('EventsPublished', { event: inboxItemReadV1.detailType }, perMailbox.length);
      for (const item of toMark) outcomes.set(item.notificationId, 'marked');
      return outcomes;
    });
  }

  /** The newest item of a mailbox (for a counter from before it remembered its last item). */
  async function newestItemId(mailbox: Mailbox): Promise<string> {
    const slice = await fetchSlice(mailbox, null, 1);
    const newest = slice.items[0];
    if (!newest) throw new Error(`${mailbox} counts items delivered but holds none`);
    return newest.notificationId;
  }
}

export type InboxStore = ReturnType<typeof createInboxStore>;
