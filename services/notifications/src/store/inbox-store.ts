/**
 * The notifications table: inbox items, per-mailbox delivery counters, and each person's read
 * receipts and read counters. (Idempotency records of the event consumers live under
 * `IDEMPOTENCY#notifications`, written by shared/consumer.)
 *
 * | access pattern                              | key condition                                                                  | index |
 * |---------------------------------------------|--------------------------------------------------------------------------------|-------|
 * | deliver an item once                        | transaction: Put pk=MAILBOX#<mailbox>, sk=ITEM#<notificationId> if absent;     | table |
 * |                                             |   Update pk=MAILBOX#<mailbox>, sk=COUNTER ADD deliveredCount 1                 |       |
 * | a mailbox's items, newest first, paged      | Query pk=MAILBOX#<mailbox> AND begins_with(sk, ITEM#), descending,             | table |
 * |                                             |   ExclusiveStartKey sk=ITEM#<after>                                            |       |
 * | find an item in the worker's mailboxes      | BatchGetItem pk=MAILBOX#<user and team mailbox>, sk=ITEM#<id>, + the receipt | table |
 * | which of a page's items the worker has read | BatchGetItem pk=READER#<userId>, sk=READ#<notificationId> (≤ 100)              | table |
 * | mark read once                              | transaction: ConditionCheck the item exists; Put pk=READER#<userId>,           | table |
 * |                                             |   sk=READ#<notificationId> if absent; Update pk=READER#<userId>,               |       |
 * |                                             |   sk=READCOUNT#<mailbox> ADD readCount 1                                       |       |
 * | unread count                                | BatchGetItem MAILBOX#<m>/COUNTER and READER#<userId>/READCOUNT#<m> for both    | table |
 * |                                             |   of the worker's mailboxes (4 keys)                                           |       |
 *
 * Counters change only in the same transaction as the conditional put they count, so a duplicate
 * delivery or a second "mark read" (sequential or concurrent) moves no counter: the unread count is
 * exact, costs one BatchGetItem whatever the inbox's size, and needs no window.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { retryingTransactionConflicts } from '@fsp/shared/dynamo-errors';
import { parseStoredItem } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';
import { type FetchedSlice, type InboxCursor, type InboxPage, mergeNewestFirst, unreadCountOf } from '../domain/inbox-page';
import { MAILBOX_ROLES, type Mailbox, type WorkerMailboxes } from '../domain/mailbox';
import { NOTIFICATION_ID_PATTERN, NOTIFICATION_KINDS, type NotificationDraft } from '../domain/notification';

export const mailboxKey = (mailbox: Mailbox) => `MAILBOX#${mailbox}`;
export const INBOX_ITEM_PREFIX = 'ITEM#';
const itemKey = (mailbox: Mailbox, notificationId: string) => ({ pk: mailboxKey(mailbox), sk: `${INBOX_ITEM_PREFIX}${notificationId}` });
export const deliveredCounterKey = (mailbox: Mailbox) => ({ pk: mailboxKey(mailbox), sk: 'COUNTER' });
const readerKey = (userId: string) => `READER#${userId}`;
const receiptKey = (userId: string, notificationId: string) => ({ pk: readerKey(userId), sk: `READ#${notificationId}` });
const readCounterKey = (userId: string, mailbox: Mailbox) => ({ pk: readerKey(userId), sk: `READCOUNT#${mailbox}` });

const mailboxSchema = z.custom<Mailbox>(
  (value) => typeof value === 'string' && /^(team|user):.+$/.test(value),
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

export function createInboxStore(documents: DynamoDBDocumentClient, tableName: string, options: InboxStoreOptions = {}) {
  const backoffMs = options.conflictBackoffMs ?? 25;

  /** Runs a transaction; returns which of its conditions failed instead of throwing for them. Conflicts are retried. */
  async function transact(input: TransactWriteCommandInput): Promise<TransactOutcome> {
    try {
      await retryingTransactionConflicts(() => documents.send(new TransactWriteCommand(input)), { baseDelayMs: backoffMs });
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
    /** Writes the item and counts it, once: 'already-delivered' when this (fact, mailbox, channel) was delivered before. */
    async deliver(draft: NotificationDraft, now: Date): Promise<'delivered' | 'already-delivered'> {
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
              UpdateExpression: 'ADD deliveredCount :one SET #type = :type',
              ExpressionAttributeNames: { '#type': 'type' },
              ExpressionAttributeValues: { ':one': 1, ':type': 'MailboxCounter' },
            },
          },
        ],
      });
      return outcome.ok ? 'delivered' : 'already-delivered';
    },

    /** A page of the worker's inbox (both mailboxes merged, newest first), each item with the worker's own read state. */
    async inboxPage(
      userId: string,
      mailboxes: WorkerMailboxes,
      from: InboxCursor,
      pageSize: number,
    ): Promise<{ page: InboxPage<InboxEntry>; unreadCount: number }> {
      const empty: FetchedSlice<InboxItem> = { items: [], truncated: false };
      const [user, team, unreadCount] = await Promise.all([
        from.user.done ? empty : fetchSlice(mailboxes.user, from.user.after, pageSize),
        from.team.done ? empty : fetchSlice(mailboxes.team, from.team.after, pageSize),
        countersOf(userId, mailboxes),
      ]);
      const page = mergeNewestFirst(from, { user, team }, pageSize);
      const receipts = await batchGet(page.items.map((item) => receiptKey(userId, item.notificationId)));
      const readIds = new Set(receipts.map((receipt) => String(receipt.sk).slice('READ#'.length)));
      return {
        page: { items: page.items.map((item) => ({ ...item, read: readIds.has(item.notificationId) })), next: page.next },
        unreadCount,
      };
    },

    unreadCount: countersOf,

    /**
     * Marks an item read for this person only. 'not-found' unless the item is in one of their
     * mailboxes; a second call (or a concurrent one) is 'already-read' and changes nothing.
     */
    async markRead(
      userId: string,
      mailboxes: WorkerMailboxes,
      notificationId: string,
      now: Date,
    ): Promise<'marked' | 'already-read' | 'not-found'> {
      const candidates = MAILBOX_ROLES.map((role) => ({ mailbox: mailboxes[role], key: itemKey(mailboxes[role], notificationId) }));
      const receipt = receiptKey(userId, notificationId);
      const found = await batchGet([...candidates.map((candidate) => candidate.key), receipt]);
      const holder = candidates.find((candidate) => found.some((item) => sameKey(item, candidate.key)));
      if (!holder) return 'not-found';
      if (found.some((item) => sameKey(item, receipt))) return 'already-read';

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
          {
            Update: {
              TableName: tableName,
              Key: readCounterKey(userId, holder.mailbox),
              UpdateExpression: 'ADD readCount :one SET #type = :type',
              ExpressionAttributeNames: { '#type': 'type' },
              ExpressionAttributeValues: { ':one': 1, ':type': 'ReadCounter' },
            },
          },
        ],
      });
      if (outcome.ok) return 'marked';
      return outcome.failedConditions.includes(0) ? 'not-found' : 'already-read';
    },
  };
}

export type InboxStore = ReturnType<typeof createInboxStore>;
