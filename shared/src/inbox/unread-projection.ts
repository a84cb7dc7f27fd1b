/**
 * A service's projection of notifications' inbox counters, kept in the service's own table so that
 * its pages can show the Inbox count (WEB.md: the primary navigation's "Inbox with its unread
 * count") in the same round of reads as the page's own, never by calling notifications (ADR 0013).
 * Written by the `inbox-changed` subscription (consumer.ts) from InboxItemDelivered and
 * InboxItemRead; this module owns the two item families.
 *
 * | access pattern                      | key condition                                                                     | index |
 * |-------------------------------------|-----------------------------------------------------------------------------------|-------|
 * | keep a mailbox's delivered count    | UpdateItem pk=INBOX#<mailbox>, sk=DELIVERED SET deliveredCount = :n               | table |
 * |                                     |   if attribute_not_exists(deliveredCount) OR deliveredCount < :n                  |       |
 * | keep a reader's read count          | UpdateItem pk=INBOX#<mailbox>, sk=READER#<userId> SET readCount = :n              | table |
 * |                                     |   if attribute_not_exists(readCount) OR readCount < :n                            |       |
 * | a worker's unread count             | BatchGetItem of both mailboxes' DELIVERED and READER#<userId> (4 keys)            | table |
 *
 * Counters only go up, so keeping the highest value heard (unread.ts `recordCounter`) makes a
 * duplicate or late event change nothing: no idempotency record or ordering is needed for it to be
 * right. The count read is eventually consistent: it follows events that are seconds behind anyway.
 */
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { conditionalWrite } from '../store';
import { parseStoredItem } from '../stored-item';
import { MAILBOX_PATTERN, MAILBOX_ROLES, type Mailbox, type MailboxReader, mailboxesOf } from './mailbox';
import { type CounterFact, unreadCountOf } from './unread';

export const UNREAD_PARTITION_PREFIX = 'INBOX#';
const partitionOf = (mailbox: Mailbox) => `${UNREAD_PARTITION_PREFIX}${mailbox}`;

export const deliveredCounterKey = (mailbox: Mailbox) => ({ pk: partitionOf(mailbox), sk: 'DELIVERED' });
export const readCounterKey = (userId: string, mailbox: Mailbox) => ({ pk: partitionOf(mailbox), sk: `READER#${userId}` });

export const DELIVERED_COUNTER_KIND = 'inbox-delivered-counter';
export const READ_COUNTER_KIND = 'inbox-read-counter';

const mailboxSchema = z.lazy(() =>
  z.custom<Mailbox>((value) => typeof value === 'string' && MAILBOX_PATTERN.test(value), 'must be a mailbox'),
);
const counterSchema = z.lazy(() => z.int().check(z.gte(0)));

/** A mailbox's delivered count as this service last heard it, with the delivery that set it. */
export const deliveredCounterItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal(DELIVERED_COUNTER_KIND),
    mailbox: mailboxSchema,
    deliveredCount: counterSchema,
    notificationId: z.string(),
    at: z.iso.datetime({ offset: true }),
  }),
);

/** A reader's read count in a mailbox as this service last heard it, with the read that set it. */
export const readCounterItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal(READ_COUNTER_KIND),
    mailbox: mailboxSchema,
    userId: z.string().check(z.minLength(1)),
    readCount: counterSchema,
    notificationId: z.string(),
    at: z.iso.datetime({ offset: true }),
  }),
);

/** A counter fact with the inbox item that moved it and when: kept on the item for whoever looks at the table. */
export type RecordedCounter = CounterFact & { notificationId: string; at: string };

/** BatchGetItem's unprocessed keys are asked for again, a little later each time, a few times. */
const BATCH_GET_ATTEMPTS = 5;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createUnreadProjection(documents: DynamoDBDocumentClient, tableName: string) {
  return {
    /** Keeps the counter if it is higher than the one kept: 'stale' when it is not (a duplicate, or heard out of order). */
    async record(fact: RecordedCounter): Promise<'recorded' | 'stale'> {
      const isDelivered = fact.counter === 'delivered';
      const attribute = isDelivered ? 'deliveredCount' : 'readCount';
      const written = await conditionalWrite(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: isDelivered ? deliveredCounterKey(fact.mailbox) : readCounterKey(fact.userId, fact.mailbox),
            UpdateExpression: `SET #n = :n, #kind = :kind, #mailbox = :mailbox, #notificationId = :notificationId, #at = :at${isDelivered ? '' : ', #userId = :userId'}`,
            ConditionExpression: 'attribute_not_exists(#n) OR #n < :n',
            ExpressionAttributeNames: {
              '#n': attribute,
              '#kind': 'kind',
              '#mailbox': 'mailbox',
              '#notificationId': 'notificationId',
              '#at': 'at',
              ...(isDelivered ? {} : { '#userId': 'userId' }),
            },
            ExpressionAttributeValues: {
              ':n': fact.value,
              ':kind': isDelivered ? DELIVERED_COUNTER_KIND : READ_COUNTER_KIND,
              ':mailbox': fact.mailbox,
              ':notificationId': fact.notificationId,
              ':at': fact.at,
              ...(isDelivered ? {} : { ':userId': fact.userId }),
            },
          }),
        ),
      );
      return written ? 'recorded' : 'stale';
    },

    /** The worker's unread count: one BatchGetItem of their (at most 4) counters; 0 for counters never heard of. */
    async unreadCount(worker: MailboxReader): Promise<number> {
      const mailboxes = mailboxesOf(worker);
      const pairs = MAILBOX_ROLES.map((role) => ({
        delivered: deliveredCounterKey(mailboxes[role]),
        read: readCounterKey(worker.userId, mailboxes[role]),
      }));
      const keys = pairs.flatMap((pair) => [pair.delivered, pair.read]);
      const found: Record<string, unknown>[] = [];
      let request: BatchGetCommandInput['RequestItems'] = { [tableName]: { Keys: keys } };
      for (let attempt = 1; request && Object.keys(request).length > 0; attempt += 1) {
        if (attempt > BATCH_GET_ATTEMPTS)
          throw new Error(`BatchGetItem left inbox counters unprocessed after ${BATCH_GET_ATTEMPTS} attempts`);
        if (attempt > 1) await pause(20 * 2 ** attempt);
        const result: BatchGetCommandOutput = await documents.send(new BatchGetCommand({ RequestItems: request }));
        found.push(...(result.Responses?.[tableName] ?? []));
        request = result.UnprocessedKeys;
      }
      const itemAt = (key: { pk: string; sk: string }) => found.find((item) => item.pk === key.pk && item.sk === key.sk);
      return unreadCountOf(
        pairs.map((pair) => {
          const delivered = itemAt(pair.delivered);
          const read = itemAt(pair.read);
          return {
            delivered: delivered ? parseStoredItem(deliveredCounterItemSchema, delivered, 'inbox delivered counter').deliveredCount : 0,
            read: read ? parseStoredItem(readCounterItemSchema, read, 'inbox read counter').readCount : 0,
          };
        }),
      );
    },
  };
}

export type UnreadProjection = ReturnType<typeof createUnreadProjection>;
