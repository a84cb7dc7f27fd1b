/**
 * The notifications table: inbox items, per-mailbox delivery counters, and each person's read
 * receipts and read counters. (Idempotency records of the event consumers live under
 * `IDEMPOTENCY#notifications`, written by shared/consumer.)
 *
 * | access pattern                              | key condition                                                                  | index |
 * |---------------------------------------------|--------------------------------------------------------------------------------|-------|
 * | deliver an item once                        | GetItem pk=MAILBOX#<mailbox>, sk=COUNTER (n), then a transaction: Put          | table |
 * |                                             |   pk=MAILBOX#<mailbox>, sk=ITEM#<notificationId> if absent; Update the counter |       |
 * |                                             |   SET deliveredCount = n + 1 if it is still n; Put the InboxItemDelivered      |       |
 * |                                             |   outbox item; a fact known by its natural key (factKey) also Puts             |       |
 * |                                             |   pk=MAILBOX#<mailbox>, sk=FACT#<digest of key, mailbox, channel> if absent    |       |
 * | a mailbox's items, newest first, paged      | Query pk=MAILBOX#<mailbox> AND begins_with(sk, ITEM#), descending,             | table |
 * |                                             |   ExclusiveStartKey sk=ITEM#<after>                                            |       |
 * | find an item in the worker's mailboxes      | BatchGetItem pk=MAILBOX#<user and team mailbox>, sk=ITEM#<id>, + the receipt | table |
 * | which of a page's items the worker has read | Query pk=READER#<userId> AND sk BETWEEN READ# AND READ#<newest shown>,         | table |
 * |                                             |   descending, 2 pages' worth, with the items; BatchGetItem the receipts of     |       |
 * |                                             |   items below that window only if it stopped above them                        |       |
 * | mark read once                              | BatchGetItem the item in both mailboxes, the receipt and both read counters    | table |
 * |                                             |   (n), then a transaction: ConditionCheck the item exists; Put                 |       |
 * |                                             |   pk=READER#<userId>, sk=READ#<notificationId> if absent; Update               |       |
 * |                                             |   pk=READER#<userId>, sk=READCOUNT#<mailbox> SET readCount = n + 1 if it is    |       |
 * |                                             |   still n; Put the InboxItemRead outbox item                                   |       |
 * | unread count                                | BatchGetItem MAILBOX#<m>/COUNTER and READER#<userId>/READCOUNT#<m> for both    | table |
 * |                                             |   of the worker's mailboxes (4 keys)                                           |       |
 *
 * Counters change only in the same transaction as the conditional put they count, so a duplicate
 * delivery or a second "mark read" (sequential or concurrent) moves no counter: the unread count is
 * exact, costs one BatchGetItem whatever the inbox's size, and needs no window.
 *
 * The same transaction publishes the counter's new value (InboxItemDelivered, InboxItemRead, through
 * the outbox), from which other services keep the Inbox count their pages show (ADR 0013). The value
 * must be known before the transaction, so a counter is set to the value read plus one on condition
 * that it still holds the value read; a writer that lost the race to another reads it again.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { isTransactionConflict } from '@fsp/shared/dynamo-errors';
import { buildEvent } from '@fsp/shared/events/build';
import { inboxItemDeliveredV1, inboxItemReadV1 } from '@fsp/shared/events/definitions/notifications';
import { MAILBOX_PATTERN, MAILBOX_ROLES, type Mailbox, type WorkerMailboxes } from '@fsp/shared/inbox/mailbox';
import { unreadCountOf } from '@fsp/shared/inbox/unread';
import { outboxItem } from '@fsp/shared/outbox';
import { parseStoredItem } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';
import { inboxItemDeliveredData, inboxItemReadData } from '../domain/events';
import { type FetchedSlice, type InboxCursor, type InboxPage, mergeNewestFirst } from '../domain/inbox-page';
import { type Channel, factDigestOf, NOTIFICATION_ID_PATTERN, NOTIFICATION_KINDS, type NotificationDraft } from '../domain/notification';

export const mailboxKey = (mailbox: Mailbox) => `MAILBOX#${mailbox}`;
export const INBOX_ITEM_PREFIX = 'ITEM#';
const itemKey = (mailbox: Mailbox, notificationId: string) => ({ pk: mailboxKey(mailbox), sk: `${INBOX_ITEM_PREFIX}${notificationId}` });
export const deliveredCounterKey = (mailbox: Mailbox) => ({ pk: mailboxKey(mailbox), sk: 'COUNTER' });
/**
 * The marker of a fact known by its natural key (`NotificationDraft.factKey`) delivered to a mailbox:
 * written with the item, on condition that it is absent, so the same fact under another event id
 * delivers nothing more. It keeps the id of the item it stands for.
 */
export const factMarkerKey = (mailbox: Mailbox, factKey: string, channel: Channel) => ({
  pk: mailboxKey(mailbox),
  sk: `FACT#${factDigestOf(factKey, mailbox, channel)}`,
});
/** Where the marker's Put is in a delivery's transaction (after the item, the counter and the outbox item). */
const FACT_MARKER_INDEX = 3;
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

const mailboxSchema = z.custom<Mailbox>(
  (value) => typeof value === 'string' && MAILBOX_PATTERN.test(value),
  'must be team:<id> or user:<id>',
);

/** An inbox item as stored; read back through this schema so a malformed item fails loudly, not on screen. */
const inboxItemSchema = z.object({
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
});

export type InboxItem = z.infer<typeof inboxItemSchema>;
export interface InboxEntry extends InboxItem {
  read: boolean;
}

const deliveredCounterSchema = z.object({ deliveredCount: z.int().check(z.gte(0)) });
const readCounterSchema = z.object({ readCount: z.int().check(z.gte(0)) });

/** Transactions on one hot item (a busy team's counter) can collide; DynamoDB asks the loser to try again. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type TransactOutcome = { ok: true } | { ok: false; failedConditions: number[] };

export interface InboxStoreOptions {
  /** Tests shorten it; the default spreads colliding writers over tens of milliseconds. */
  conflictBackoffMs?: number;
}

/** What caused a read, for the event it publishes: the request's correlation id, and its id as the cause. */
export interface ReadCause {
  correlationId: string;
  causationId: string;
}

/**
 * Writers that lose a counter to another (a busy team's mailbox) read it again; each try pauses a
 * random time below a bound that doubles up to a quarter of a second. Enough for a burst of many
 * deliveries to one team at once; a writer still losing after this many tries fails, and its
 * message is retried by its queue.
 */
const COUNTER_ATTEMPTS = 60;
const COUNTER_PAUSE_CAP_MS = 250;

/** The counter update that sets `attribute` to seen + 1 only if it still holds `seen` (absent is 0). */
const counterUpdate = (attribute: string, seen: number, type: string) => ({
  UpdateExpression: 'SET #n = :next, #type = :type',
  ConditionExpression: seen === 0 ? 'attribute_not_exists(#n)' : '#n = :seen',
  ExpressionAttributeNames: { '#n': attribute, '#type': 'type' },
  ExpressionAttributeValues: { ':next': seen + 1, ':type': type, ...(seen === 0 ? {} : { ':seen': seen }) },
});

export function createInboxStore(documents: DynamoDBDocumentClient, tableName: string, options: InboxStoreOptions = {}) {
  const backoffMs = options.conflictBackoffMs ?? 25;

  /**
   * Runs a transaction; returns which of its conditions failed instead of throwing for them. A
   * conflict with a concurrent transaction is thrown: the counter it touched has most likely moved,
   * so the caller (whileCounterMoves) reads it again rather than sending the same values.
   */
  async function transact(input: TransactWriteCommandInput): Promise<TransactOutcome> {
    try {
      await documents.send(new TransactWriteCommand(input));
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
      const failedConditions = codes.flatMap((code, index) => (code === 'ConditionalCheckFailed' ? [index] : []));
      if (failedConditions.length > 0) return { ok: false, failedConditions };
      throw error;
    }
  }

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

  /**
   * Runs `attempt` until it settles; `undefined` means another writer moved the counter first (or
   * collided with it), so it is read and tried again after a pause.
   */
  async function whileCounterMoves<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> {
    for (let tries = 1; ; tries += 1) {
      let settled: T | undefined;
      try {
        settled = await attempt();
      } catch (error) {
        if (!isTransactionConflict(error)) throw error;
      }
      if (settled !== undefined) return settled;
      if (tries >= COUNTER_ATTEMPTS) throw new Error(`${what}: its counter kept moving through ${COUNTER_ATTEMPTS} tries`);
      await pause(Math.random() * Math.min(COUNTER_PAUSE_CAP_MS, backoffMs * 2 ** tries));
    }
  }

  async function deliveredCountOf(mailbox: Mailbox): Promise<number> {
    const result = await documents.send(new GetCommand({ TableName: tableName, Key: deliveredCounterKey(mailbox), ConsistentRead: true }));
    return result.Item ? parseStoredItem(deliveredCounterSchema, result.Item, 'counter').deliveredCount : 0;
  }

  async function countersOf(userId: string, mailboxes: WorkerMailboxes): Promise<number> {
    const pairs = MAILBOX_ROLES.map((role) => ({
      delivered: deliveredCounterKey(mailboxes[role]),
      read: readCounterKey(userId, mailboxes[role]),
    }));
    const found = await batchGet(pairs.flatMap((pair) => [pair.delivered, pair.read]));
    const counterOf = <S extends z.ZodMiniType>(key: { pk: string; sk: string }, schema: S): z.infer<S> | undefined => {
      const item = found.find((candidate) => sameKey(candidate, key));
      return item ? parseStoredItem(schema, item, 'counter') : undefined;
    };
    return unreadCountOf(
      pairs.map((pair) => ({
        delivered: counterOf(pair.delivered, deliveredCounterSchema)?.deliveredCount ?? 0,
        read: counterOf(pair.read, readCounterSchema)?.readCount ?? 0,
      })),
    );
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

  return {
    /**
     * Writes the item and counts it, once, publishing the mailbox's new count (InboxItemDelivered):
     * 'already-delivered' when this (fact, mailbox, channel) was delivered before.
     */
    async deliver(draft: NotificationDraft, now: Date): Promise<'delivered' | 'already-delivered'> {
      return whileCounterMoves(`Delivering ${draft.notificationId}`, async () => {
        const seen = await deliveredCountOf(draft.mailbox);
        const delivered = buildEvent(inboxItemDeliveredV1, inboxItemDeliveredData(draft, seen + 1, now), {
          clock: () => now,
          correlationId: draft.correlationId,
          causationId: draft.sourceEventId,
        });
        const marker = draft.factKey === undefined ? undefined : factMarkerKey(draft.mailbox, draft.factKey, draft.channel);
        const outcome = await transact({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: { ...itemKey(draft.mailbox, draft.notificationId), type: 'InboxItem', ...draft, deliveredAt: now.toISOString() },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: tableName,
                Key: deliveredCounterKey(draft.mailbox),
                ...counterUpdate('deliveredCount', seen, 'MailboxCounter'),
              },
            },
            { Put: { TableName: tableName, Item: outboxItem(delivered, now), ConditionExpression: 'attribute_not_exists(pk)' } },
            ...(marker === undefined
              ? []
              : [
                  {
                    Put: {
                      TableName: tableName,
                      Item: {
                        ...marker,
                        type: 'InboxFact',
                        factKey: draft.factKey,
                        notificationId: draft.notificationId,
                        at: now.toISOString(),
                      },
                      ConditionExpression: 'attribute_not_exists(pk)',
                    },
                  },
                ]),
          ],
        });
        if (outcome.ok) return 'delivered';
        // The item itself (the same event again) or the fact's marker (the same fact under another event id).
        return outcome.failedConditions.includes(0) || outcome.failedConditions.includes(FACT_MARKER_INDEX)
          ? 'already-delivered'
          : undefined;
      });
    },

    /** A page of the worker's inbox (both mailboxes merged, newest first), each item with the worker's own read state. */
    async inboxPage(
      userId: string,
      mailboxes: WorkerMailboxes,
      from: InboxCursor,
      pageSize: number,
    ): Promise<{ page: InboxPage<InboxEntry>; unreadCount: number }> {
      const empty: FetchedSlice<InboxItem> = { items: [], truncated: false };
      const [user, team, unreadCount, window] = await Promise.all([
        from.user.done ? empty : fetchSlice(mailboxes.user, from.user.after, pageSize),
        from.team.done ? empty : fetchSlice(mailboxes.team, from.team.after, pageSize),
        countersOf(userId, mailboxes),
        receiptWindow(userId, receiptsUpTo(from), pageSize * RECEIPT_WINDOW_PAGES),
      ]);
      const page = mergeNewestFirst(from, { user, team }, pageSize);
      // Only when the window stopped above an item shown (the reader's receipts from another mailbox,
      // an earlier team's, crowding it) are that item's receipts fetched in a second round.
      const outside = page.items.filter((item) => !window.covers(item.notificationId));
      const late = await batchGet(outside.map((item) => receiptKey(userId, item.notificationId)));
      const readIds = new Set([...window.readIds, ...late.map((receipt) => String(receipt.sk).slice(RECEIPT_PREFIX.length))]);
      return {
        page: { items: page.items.map((item) => ({ ...item, read: readIds.has(item.notificationId) })), next: page.next },
        unreadCount,
      };
    },

    unreadCount: countersOf,

    /**
     * Marks an item read for this person only, publishing their new read count in its mailbox
     * (InboxItemRead). 'not-found' unless the item is in one of their mailboxes; a second call (or
     * a concurrent one) is 'already-read' and changes nothing.
     */
    async markRead(
      userId: string,
      mailboxes: WorkerMailboxes,
      notificationId: string,
      now: Date,
      cause: ReadCause,
    ): Promise<'marked' | 'already-read' | 'not-found'> {
      const candidates = MAILBOX_ROLES.map((role) => ({ mailbox: mailboxes[role], key: itemKey(mailboxes[role], notificationId) }));
      const receipt = receiptKey(userId, notificationId);
      return whileCounterMoves(`Marking ${notificationId} read`, async () => {
        const counters = MAILBOX_ROLES.map((role) => readCounterKey(userId, mailboxes[role]));
        const found = await batchGet([...candidates.map((candidate) => candidate.key), receipt, ...counters]);
        const holder = candidates.find((candidate) => found.some((item) => sameKey(item, candidate.key)));
        if (!holder) return 'not-found';
        if (found.some((item) => sameKey(item, receipt))) return 'already-read';

        const counterKey = readCounterKey(userId, holder.mailbox);
        const counter = found.find((item) => sameKey(item, counterKey));
        const seen = counter ? parseStoredItem(readCounterSchema, counter, 'counter').readCount : 0;
        const read = buildEvent(inboxItemReadV1, inboxItemReadData({ userId, mailbox: holder.mailbox, notificationId }, seen + 1, now), {
          clock: () => now,
          ...cause,
        });
        const outcome = await transact({
          TransactItems: [
            { ConditionCheck: { TableName: tableName, Key: holder.key, ConditionExpression: 'attribute_exists(pk)' } },
            {
              Put: {
                TableName: tableName,
                Item: { ...receipt, type: 'ReadReceipt', mailbox: holder.mailbox, readAt: now.toISOString() },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Update: { TableName: tableName, Key: counterKey, ...counterUpdate('readCount', seen, 'ReadCounter') } },
            { Put: { TableName: tableName, Item: outboxItem(read, now), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        });
        if (outcome.ok) return 'marked';
        if (outcome.failedConditions.includes(0)) return 'not-found';
        return outcome.failedConditions.includes(1) ? 'already-read' : undefined;
      });
    },
  };
}

export type InboxStore = ReturnType<typeof createInboxStore>;
