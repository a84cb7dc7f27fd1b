/**
 * Delivering notifications to inboxes: the items, their fact markers and each mailbox's delivered
 * counter, written as inbox-store.ts's table describes ("deliver items once"). It is all that the
 * notification consumers need of the inbox, so it is a module of its own: their bundles then hold
 * none of the reading, paging and marking read (ADR 0039). The inbox store includes it, and
 * shares its counter writes.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { isTransactionConflict } from '@fsp/shared/dynamo-errors';
import { buildEvent } from '@fsp/shared/events/build';
import { inboxItemDeliveredV1 } from '@fsp/shared/events/definitions/notifications';
import type { Mailbox } from '@fsp/shared/inbox/mailbox';
import { recordMetric } from '@fsp/shared/metrics';
import { outboxItem } from '@fsp/shared/outbox';
import { parseStoredItem } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';
import { inboxItemDeliveredData } from '../domain/events';
import { type Channel, factDigestOf, NOTIFICATION_ID_PATTERN, type NotificationDraft } from '../domain/notification';

export const mailboxKey = (mailbox: Mailbox) => `MAILBOX#${mailbox}`;
export const INBOX_ITEM_PREFIX = 'ITEM#';
export const itemKey = (mailbox: Mailbox, notificationId: string) => ({
  pk: mailboxKey(mailbox),
  sk: `${INBOX_ITEM_PREFIX}${notificationId}`,
});
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

export const deliveredCounterSchema = z.lazy(() =>
  z.object({
    deliveredCount: z.int().check(z.gte(0)),
    /** The item delivered last (counters from before "mark all as read" have none). */
    lastNotificationId: z.optional(z.string().check(z.regex(NOTIFICATION_ID_PATTERN))),
  }),
);
/** Transactions on one hot item (a busy team's counter) can collide; DynamoDB asks the loser to try again. */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type TransactOutcome = { ok: true } | { ok: false; failedConditions: number[] };

export type DeliveryOutcome = 'delivered' | 'already-delivered';
/** A draft to deliver, and when (its item's deliveredAt, its event's time). */
export interface Delivery {
  draft: NotificationDraft;
  now: Date;
}
/**
 * How many drafts one transaction delivers at most: each writes its item and perhaps its fact
 * marker, and the counter and the event are two more, within TransactWriteItems' 100.
 */
const DELIVERIES_PER_TRANSACTION = 48;

export interface InboxStoreOptions {
  /** Tests shorten it; the default spreads colliding writers over tens of milliseconds. */
  conflictBackoffMs?: number;
}
export const DEFAULT_CONFLICT_BACKOFF_MS = 25;

/**
 * Writers that lose a counter to another (a busy team's mailbox) read it again; each try pauses a
 * random time below a bound that doubles up to a quarter of a second. Enough for a burst of many
 * deliveries to one team at once; a writer still losing after this many tries fails, and its
 * message is retried by its queue.
 */
const COUNTER_ATTEMPTS = 60;
const COUNTER_PAUSE_CAP_MS = 250;

/** The counter update that sets `attribute` to `next` (seen + 1 unless said) only if it still holds `seen` (absent is 0). */
export const counterUpdate = (attribute: string, seen: number, type: string, next = seen + 1, last?: string) => ({
  UpdateExpression: `SET #n = :next, #type = :type${last === undefined ? '' : ', #last = :last'}`,
  ConditionExpression: seen === 0 ? 'attribute_not_exists(#n)' : '#n = :seen',
  ExpressionAttributeNames: { '#n': attribute, '#type': 'type', ...(last === undefined ? {} : { '#last': 'lastNotificationId' }) },
  ExpressionAttributeValues: {
    ':next': next,
    ':type': type,
    ...(seen === 0 ? {} : { ':seen': seen }),
    ...(last === undefined ? {} : { ':last': last }),
  },
});

/**
 * The counter writes both stores make: a transaction whose refused conditions are answered rather
 * than thrown, retried while another writer keeps moving the counter it depends on.
 */
export function counterWrites(documents: DynamoDBDocumentClient, tableName: string, backoffMs: number) {
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

  return { transact, whileCounterMoves, deliveredCountOf };
}

export function createInboxDeliveryStore(documents: DynamoDBDocumentClient, tableName: string, options: InboxStoreOptions = {}) {
  const { transact, whileCounterMoves, deliveredCountOf } = counterWrites(
    documents,
    tableName,
    options.conflictBackoffMs ?? DEFAULT_CONFLICT_BACKOFF_MS,
  );

  /**
   * Delivers drafts, all to one mailbox, in as few transactions as it takes (a busy team's deliveries
   * would otherwise queue on its counter one by one): the items and their fact markers, the counter
   * moved by their number, and one InboxItemDelivered naming the last item with the new count, all
   * at once. Each draft's outcome, in order.
   */
  async function deliverAll(deliveries: readonly Delivery[]): Promise<DeliveryOutcome[]> {
    const mailbox = deliveries[0]?.draft.mailbox;
    if (mailbox === undefined) return [];
    const elsewhere = deliveries.find(({ draft }) => draft.mailbox !== mailbox);
    if (elsewhere) throw new RangeError(`deliverAll takes one mailbox's drafts: ${mailbox}, not also ${elsewhere.draft.mailbox}`);
    const outcomes: (DeliveryOutcome | undefined)[] = deliveries.map(() => undefined);
    const markers = deliveries.map(({ draft }) =>
      draft.factKey === undefined ? undefined : factMarkerKey(draft.mailbox, draft.factKey, draft.channel),
    );
    // Two drafts that would write one item (the same fact twice, or one fact under two event ids)
    // cannot share a transaction; the later is the earlier's repeat.
    const claimed = new Set<string>();
    const pending: number[] = [];
    deliveries.forEach(({ draft }, index) => {
      const marker = markers[index];
      const keys = [itemKey(draft.mailbox, draft.notificationId).sk, ...(marker === undefined ? [] : [marker.sk])];
      if (keys.some((key) => claimed.has(key))) {
        outcomes[index] = 'already-delivered';
        return;
      }
      for (const key of keys) claimed.add(key);
      pending.push(index);
    });

    for (let start = 0; start < pending.length; start += DELIVERIES_PER_TRANSACTION) {
      let chunk = pending.slice(start, start + DELIVERIES_PER_TRANSACTION);
      await whileCounterMoves(`Delivering ${chunk.length} items to ${mailbox}`, async () => {
        const seen = await deliveredCountOf(mailbox);
        const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [];
        // Whose write each transaction item is: a draft's index, or undefined for the counter.
        const owners: (number | undefined)[] = [];
        chunk.forEach((index, position) => {
          const { draft, now } = deliveries[index] as Delivery;
          const seq = seen + 1 + position;
          const marker = markers[index];
          items.push({
            Put: {
              TableName: tableName,
              Item: { ...itemKey(draft.mailbox, draft.notificationId), type: 'InboxItem', ...draft, deliveredAt: now.toISOString(), seq },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          });
          owners.push(index);
          if (marker !== undefined) {
            items.push({
              Put: {
                TableName: tableName,
                Item: { ...marker, type: 'InboxFact', factKey: draft.factKey, notificationId: draft.notificationId, at: now.toISOString() },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            });
            owners.push(index);
          }
        });
        // One InboxItemDelivered for the lot: the last item and the count after it. Its readers keep
        // the highest count they hear, so the counts in between would tell them nothing.
        const last = deliveries[chunk.at(-1) as number] as Delivery;
        const delivered = buildEvent(inboxItemDeliveredV1, inboxItemDeliveredData(last.draft, seen + chunk.length, last.now), {
          clock: () => last.now,
          correlationId: last.draft.correlationId,
          causationId: last.draft.sourceEventId,
        });
        items.push(
          {
            Update: {
              TableName: tableName,
              Key: deliveredCounterKey(mailbox),
              ...counterUpdate('deliveredCount', seen, 'MailboxCounter', seen + chunk.length, last.draft.notificationId),
            },
          },
          { Put: { TableName: tableName, Item: outboxItem(delivered, last.now), ConditionExpression: 'attribute_not_exists(pk)' } },
        );
        owners.push(undefined, undefined);

        const outcome = await transact({ TransactItems: items });
        if (outcome.ok) {
          for (const index of chunk) outcomes[index] = 'delivered';
          recordMetric('EventsPublished', { event: inboxItemDeliveredV1.detailType });
          return true;
        }
        // A refused item or marker is its draft delivered before (the same event again, or the same
        // fact under another event id); the others go again, against the counter read afresh.
        const repeats = new Set(outcome.failedConditions.flatMap((position) => (owners[position] === undefined ? [] : [owners[position]])));
        for (const index of repeats) outcomes[index] = 'already-delivered';
        chunk = chunk.filter((index) => !repeats.has(index));
        return chunk.length === 0 ? true : undefined;
      });
    }
    return outcomes.map((outcome, index) => {
      if (outcome === undefined) throw new Error(`Delivering ${deliveries[index]?.draft.notificationId} gave no outcome`);
      return outcome;
    });
  }

  return {
    /**
     * Writes the item and counts it, once, publishing the mailbox's new count (InboxItemDelivered):
     * 'already-delivered' when this (fact, mailbox, channel) was delivered before.
     */
    async deliver(draft: NotificationDraft, now: Date): Promise<DeliveryOutcome> {
      const [outcome] = await deliverAll([{ draft, now }]);
      if (outcome === undefined) throw new Error(`Delivering ${draft.notificationId} gave no outcome`);
      return outcome;
    },

    deliverAll,

    /**
     * The id of the item that stands for this draft in its mailbox: its own, or, for a fact known by
     * its natural key, the id the fact's marker keeps (the same fact first delivered under another
     * event id; undefined while no marker is there). Read consistently, after `deliver`.
     */
    async deliveredIdOf(draft: NotificationDraft): Promise<string | undefined> {
      if (draft.factKey === undefined) return draft.notificationId;
      const marker = await documents.send(
        new GetCommand({ TableName: tableName, Key: factMarkerKey(draft.mailbox, draft.factKey, draft.channel), ConsistentRead: true }),
      );
      const id = marker.Item?.notificationId;
      return typeof id === 'string' ? id : undefined;
    },
  };
}

export type InboxDeliveryStore = ReturnType<typeof createInboxDeliveryStore>;
