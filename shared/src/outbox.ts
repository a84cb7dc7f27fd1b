import type { TransactWriteItemsCommandOutput } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { recordMetric } from './metrics';

/**
 * The transactional outbox. A handler that changes state writes the change and one outbox item
 * per event in a single TransactWriteItems, so a fact is either saved *and* going to be published,
 * or neither. The table's stream carries outbox items to the bus (EventBridge Pipes in AWS, the
 * local cloud's relay on a laptop); nothing here talks to EventBridge.
 */

/** What the relay needs to put an event on the bus; `detail.metadata.eventId` is the consumers' de-duplication key. */
export interface OutboundEvent {
  source: string;
  detailType: string;
  detail: { metadata: { eventId: string } };
}

export const OUTBOX_KIND = 'outbox';
/** An outbox item's partition key is this and its event id. */
export const OUTBOX_PREFIX = 'OUTBOX#';
/** Outbox items are only needed until the stream has carried them; keep them a week for diagnosis. */
const OUTBOX_RETENTION_SECONDS = 7 * 24 * 60 * 60;
/** DynamoDB's TransactWriteItems limit. */
export const MAX_TRANSACTION_ITEMS = 100;

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface OutboxItem {
  pk: string;
  sk: string;
  kind: typeof OUTBOX_KIND;
  source: string;
  detailType: string;
  /** Serialised once here so the relay forwards exactly the bytes the producer validated. */
  detail: string;
  createdAt: string;
  expiresAt: number;
}

export function outboxItem(event: OutboundEvent, now: Date): OutboxItem {
  const eventId = event.detail.metadata.eventId;
  return {
    pk: `${OUTBOX_PREFIX}${eventId}`,
    sk: OUTBOX_PREFIX,
    kind: OUTBOX_KIND,
    source: event.source,
    detailType: event.detailType,
    detail: JSON.stringify(event.detail),
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + OUTBOX_RETENTION_SECONDS,
  };
}

export interface OutboxWrite {
  tableName: string;
  /** The state change: puts, updates, deletes and condition checks on this service's table. */
  writes: readonly TransactItem[];
  /** The facts the change publishes. */
  events: readonly OutboundEvent[];
  now: Date;
  /** Makes a retried request with the same token a no-op for 10 minutes (DynamoDB's own idempotency). */
  clientRequestToken?: string;
}

/**
 * Writes the state change and its outbox items in one transaction. A conditional failure rejects
 * with DynamoDB's `TransactionCanceledException`, whose `CancellationReasons` say which write
 * failed; callers map that to a 409 or their own error.
 */
export async function writeWithOutbox(client: DynamoDBDocumentClient, write: OutboxWrite): Promise<TransactWriteItemsCommandOutput> {
  const outbox: TransactItem[] = write.events.map((event) => ({
    Put: {
      TableName: write.tableName,
      Item: outboxItem(event, write.now),
      // An event id is unique; a second outbox item for it would publish the fact twice.
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
  const items = [...write.writes, ...outbox];
  if (items.length === 0) throw new Error('writeWithOutbox needs at least one write or event');
  if (items.length > MAX_TRANSACTION_ITEMS) {
    throw new Error(`writeWithOutbox: ${items.length} items exceed DynamoDB's ${MAX_TRANSACTION_ITEMS}-item transaction limit`);
  }
  const output = await client.send(
    new TransactWriteCommand({ TransactItems: items, ClientRequestToken: write.clientRequestToken, ReturnConsumedCapacity: 'TOTAL' }),
  );
  // Committed: the stream carries each to the bus. Written at the invocation's flush (shared/src/metrics.ts).
  for (const event of write.events) recordMetric('EventsPublished', { event: event.detailType });
  return output;
}

/** Whether a stream record's new image is an outbox item: the relay's and the Pipe's filter. */
export function isOutboxImage(image: Record<string, unknown> | undefined): boolean {
  return image?.kind === OUTBOX_KIND && typeof image.pk === 'string' && image.pk.startsWith(OUTBOX_PREFIX);
}
