/**
 * Outbound deliveries that leave the platform: partner webhooks (retried from this table for at
 * least 24 hours, PARTNER-API.md) and referrer emails (sent once). Ids are derived from (fact,
 * recipient, channel), so a fact that arrives again finds its delivery already there.
 *
 * | access pattern                          | key condition                                                          | index |
 * |-----------------------------------------|------------------------------------------------------------------------|-------|
 * | create a webhook delivery once, claimed | PutItem pk=WEBHOOK-DELIVERY#<id>, sk=DELIVERY if absent                 | table |
 * | deliveries due for an attempt           | Query gsi1pk=WEBHOOK-DELIVERIES#pending AND gsi1sk <= "<now>#\uffff"    | gsi1  |
 * | claim a due delivery (one sweep wins)   | UpdateItem … if state=pending AND nextAttemptAt = the one read, <= now  | table |
 * | record an attempt                       | UpdateItem … if claimId = the claimer's                                 | table |
 * | dead-lettered deliveries, newest first  | Query gsi1pk=WEBHOOK-DELIVERIES#dead, descending, paged                 | gsi1  |
 * | claim an email once                     | PutItem pk=EMAIL#<id>, sk=EMAIL if absent or its claim has lapsed       | table |
 * | record an email sent / release it       | UpdateItem … if claimId = the claimer's                                 | table |
 *
 * A pending delivery sits in gsi1 at its next attempt time. Claiming moves it to the end of a lease
 * (nextAttemptAt = now + lease) with a conditional update on the time that was read, so of two
 * sweeps (or a sweep and the consumer) exactly one attempts it; if the claimer dies, the lease
 * lapses and the delivery is due again. The sweep therefore never scans: it reads the due end of one
 * index partition.
 */

import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { jsonCursorCodec } from '@fsp/shared/cursor';
import { conditionalWrite } from '@fsp/shared/store';
import { parseStoredItem } from '@fsp/shared/stored-item';
import { TABLE_KEYS } from '@fsp/shared/table';
import * as z from 'zod/mini';
import type { WebhookDeliveryDraft } from '../domain/webhook';

export const DELIVERY_STATES = ['pending', 'delivered', 'dead', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export const LISTED_STATES = ['pending', 'dead'] as const;
export type ListedState = (typeof LISTED_STATES)[number];

/** Longer than any function's timeout, so a claim is never taken over while its claimer may still be at work. */
export const CLAIM_LEASE_MS = 2 * 60 * 1000;

const deliveryKey = (deliveryId: string) => ({ pk: `WEBHOOK-DELIVERY#${deliveryId}`, sk: 'DELIVERY' });
const indexPartition = (state: ListedState) => `WEBHOOK-DELIVERIES#${state}`;
const indexSort = (at: string, deliveryId: string) => `${at}#${deliveryId}`;
const emailKey = (emailId: string) => ({ pk: `EMAIL#${emailId}`, sk: 'EMAIL' });

const deliverySchema = z.lazy(() =>
  z.object({
    deliveryId: z.string().check(z.regex(/^[0-9a-f]{32}$/)),
    webhookId: z.string(),
    agencyId: z.string(),
    /** Absent on deliveries created before the name was kept with them. */
    agencyName: z.optional(z.string()),
    agencyContactEmail: z.optional(z.string()),
    eventType: z.string(),
    /** The exact bytes every attempt sends (and signs). */
    body: z.string(),
    referralId: z.string(),
    reference: z.string(),
    sourceEventId: z.string(),
    correlationId: z.string(),
    state: z.enum(DELIVERY_STATES),
    attempts: z.int().check(z.gte(0)),
    createdAt: z.iso.datetime(),
    nextAttemptAt: z.optional(z.iso.datetime()),
    claimId: z.optional(z.string()),
    lastAttemptAt: z.optional(z.iso.datetime()),
    lastResult: z.optional(z.string()),
    deliveredAt: z.optional(z.iso.datetime()),
    deadAt: z.optional(z.iso.datetime()),
    cancelledAt: z.optional(z.iso.datetime()),
  }),
);
export type WebhookDelivery = z.infer<typeof deliverySchema>;

/** A delivery this caller holds the claim of: only the holder may record its attempt. */
export interface ClaimedDelivery {
  delivery: WebhookDelivery;
  claimId: string;
}

const cursorSchema = () => z.strictObject({ pk: z.string(), sk: z.string(), gsi1sk: z.string() });
export type DeliveryCursor = z.infer<ReturnType<typeof cursorSchema>>;

/** Only a cursor this service could have issued decodes; anything else is undefined. */
const deliveryCursors = jsonCursorCodec(cursorSchema, { accepts: (cursor) => cursor.pk.startsWith('WEBHOOK-DELIVERY#') });
export const encodeDeliveryCursor = deliveryCursors.encode;
export const decodeDeliveryCursor = deliveryCursors.decode;

const emailSchema = z.lazy(() =>
  z.object({
    state: z.enum(['sending', 'sent']),
    claimId: z.optional(z.string()),
    leaseUntil: z.optional(z.iso.datetime()),
  }),
);

export function createDeliveryStore(documents: DynamoDBDocumentClient, tableName: string) {
  const plusMs = (now: Date, ms: number) => new Date(now.getTime() + ms).toISOString();

  /** An update that only the claim holder may make; false when the claim was lost. */
  async function updateClaimed(
    deliveryId: string,
    claimId: string,
    expression: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    return conditionalWrite(() =>
      documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: deliveryKey(deliveryId),
          UpdateExpression: expression,
          ConditionExpression: 'claimId = :claimId AND #state = :pending',
          ExpressionAttributeNames: { '#state': 'state', ...names },
          ExpressionAttributeValues: { ':claimId': claimId, ':pending': 'pending', ...values },
        }),
      ),
    );
  }

  return {
    /** Creates the delivery already claimed by the caller (who attempts it at once), or says it exists. */
    async createClaimed(draft: WebhookDeliveryDraft, now: Date): Promise<ClaimedDelivery | 'already-exists'> {
      const claimId = crypto.randomUUID();
      const nextAttemptAt = plusMs(now, CLAIM_LEASE_MS);
      const delivery: WebhookDelivery = { ...draft, state: 'pending', attempts: 0, createdAt: now.toISOString(), nextAttemptAt, claimId };
      const created = await conditionalWrite(() =>
        documents.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...deliveryKey(draft.deliveryId),
              type: 'WebhookDelivery',
              ...delivery,
              [TABLE_KEYS.gsi1.partitionKey]: indexPartition('pending'),
              [TABLE_KEYS.gsi1.sortKey]: indexSort(nextAttemptAt, draft.deliveryId),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return created ? { delivery, claimId } : 'already-exists';
    },

    /** Deliveries whose next attempt is due, oldest first (read from the index: may be a moment stale; claiming checks). */
    async due(now: Date, limit: number): Promise<WebhookDelivery[]> {
      const result = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: '#gpk = :pending AND #gsk <= :upTo',
          ExpressionAttributeNames: { '#gpk': TABLE_KEYS.gsi1.partitionKey, '#gsk': TABLE_KEYS.gsi1.sortKey },
          ExpressionAttributeValues: { ':pending': indexPartition('pending'), ':upTo': `${now.toISOString()}#\uffff` },
          Limit: limit,
        }),
      );
      return (result.Items ?? []).map((item) => parseStoredItem(deliverySchema, item, 'webhook delivery'));
    },

    /** Claims a due delivery for one attempt; undefined when someone else claimed it first or it is no longer due. */
    async claim(seen: WebhookDelivery, now: Date): Promise<ClaimedDelivery | undefined> {
      if (seen.nextAttemptAt === undefined) return undefined;
      const claimId = crypto.randomUUID();
      const leaseUntil = plusMs(now, CLAIM_LEASE_MS);
      let claimed: Record<string, unknown> | undefined;
      const won = await conditionalWrite(async () => {
        const result = await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: deliveryKey(seen.deliveryId),
            UpdateExpression: 'SET claimId = :claimId, nextAttemptAt = :lease, #gsk = :leaseSort',
            ConditionExpression: '#state = :pending AND nextAttemptAt = :seen AND nextAttemptAt <= :now',
            ExpressionAttributeNames: { '#state': 'state', '#gsk': TABLE_KEYS.gsi1.sortKey },
            ExpressionAttributeValues: {
              ':claimId': claimId,
              ':lease': leaseUntil,
              ':leaseSort': indexSort(leaseUntil, seen.deliveryId),
              ':pending': 'pending',
              ':seen': seen.nextAttemptAt,
              ':now': now.toISOString(),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        claimed = result.Attributes;
      });
      return won ? { delivery: parseStoredItem(deliverySchema, claimed ?? {}, 'webhook delivery'), claimId } : undefined;
    },

    async recordDelivered(claimed: ClaimedDelivery, now: Date, result: string): Promise<boolean> {
      return updateClaimed(
        claimed.delivery.deliveryId,
        claimed.claimId,
        'SET #state = :delivered, deliveredAt = :now, lastAttemptAt = :now, lastResult = :result, attempts = attempts + :one REMOVE claimId, nextAttemptAt, #gpk, #gsk',
        { '#gpk': TABLE_KEYS.gsi1.partitionKey, '#gsk': TABLE_KEYS.gsi1.sortKey },
        { ':delivered': 'delivered', ':now': now.toISOString(), ':result': result, ':one': 1 },
      );
    },

    async recordRetry(claimed: ClaimedDelivery, now: Date, result: string, retryAt: Date): Promise<boolean> {
      const at = retryAt.toISOString();
      return updateClaimed(
        claimed.delivery.deliveryId,
        claimed.claimId,
        'SET lastAttemptAt = :now, lastResult = :result, attempts = attempts + :one, nextAttemptAt = :at, #gsk = :sort REMOVE claimId',
        { '#gsk': TABLE_KEYS.gsi1.sortKey },
        { ':now': now.toISOString(), ':result': result, ':one': 1, ':at': at, ':sort': indexSort(at, claimed.delivery.deliveryId) },
      );
    },

    async recordDead(claimed: ClaimedDelivery, now: Date, result: string): Promise<boolean> {
      const at = now.toISOString();
      return updateClaimed(
        claimed.delivery.deliveryId,
        claimed.claimId,
        'SET #state = :dead, deadAt = :now, lastAttemptAt = :now, lastResult = :result, attempts = attempts + :one, #gpk = :deadPartition, #gsk = :sort REMOVE claimId, nextAttemptAt',
        { '#gpk': TABLE_KEYS.gsi1.partitionKey, '#gsk': TABLE_KEYS.gsi1.sortKey },
        {
          ':dead': 'dead',
          ':now': at,
          ':result': result,
          ':one': 1,
          ':deadPartition': indexPartition('dead'),
          ':sort': indexSort(at, claimed.delivery.deliveryId),
        },
      );
    },

    /** Nothing more will be tried: the agency was revoked or removed its webhook. */
    async recordCancelled(claimed: ClaimedDelivery, now: Date, reason: string): Promise<boolean> {
      return updateClaimed(
        claimed.delivery.deliveryId,
        claimed.claimId,
        'SET #state = :cancelled, cancelledAt = :now, lastResult = :reason REMOVE claimId, nextAttemptAt, #gpk, #gsk',
        { '#gpk': TABLE_KEYS.gsi1.partitionKey, '#gsk': TABLE_KEYS.gsi1.sortKey },
        { ':cancelled': 'cancelled', ':now': now.toISOString(), ':reason': reason },
      );
    },

    async get(deliveryId: string): Promise<WebhookDelivery | undefined> {
      const found = await documents.send(new GetCommand({ TableName: tableName, Key: deliveryKey(deliveryId), ConsistentRead: true }));
      return found.Item ? parseStoredItem(deliverySchema, found.Item, 'webhook delivery') : undefined;
    },

    /** Pending deliveries oldest due first; dead ones newest first. */
    async list(
      state: ListedState,
      limit: number,
      after: DeliveryCursor | undefined,
    ): Promise<{ items: WebhookDelivery[]; next: DeliveryCursor | undefined }> {
      const result = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: '#gpk = :partition',
          ExpressionAttributeNames: { '#gpk': TABLE_KEYS.gsi1.partitionKey },
          ExpressionAttributeValues: { ':partition': indexPartition(state) },
          ScanIndexForward: state === 'pending',
          Limit: limit,
          ...(after ? { ExclusiveStartKey: { ...after, [TABLE_KEYS.gsi1.partitionKey]: indexPartition(state) } } : {}),
        }),
      );
      const last = result.LastEvaluatedKey;
      return {
        items: (result.Items ?? []).map((item) => parseStoredItem(deliverySchema, item, 'webhook delivery')),
        next: last ? { pk: String(last.pk), sk: String(last.sk), gsi1sk: String(last[TABLE_KEYS.gsi1.sortKey]) } : undefined,
      };
    },

    /**
     * Claims the right to send one email: 'claimed' (send it, then `emailSent`), 'already-sent', or
     * 'in-progress' (another delivery of the fact is sending it now; try again later).
     */
    async claimEmail(
      emailId: string,
      meta: { sourceEventId: string; reference: string },
      now: Date,
    ): Promise<{ claimId: string } | 'already-sent' | 'in-progress'> {
      const claimId = crypto.randomUUID();
      const claimed = await conditionalWrite(() =>
        documents.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...emailKey(emailId),
              type: 'EmailDelivery',
              emailId,
              ...meta,
              state: 'sending',
              claimId,
              leaseUntil: plusMs(now, CLAIM_LEASE_MS),
            },
            ConditionExpression: 'attribute_not_exists(pk) OR (#state = :sending AND leaseUntil < :now)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':sending': 'sending', ':now': now.toISOString() },
          }),
        ),
      );
      if (claimed) return { claimId };
      const found = await documents.send(new GetCommand({ TableName: tableName, Key: emailKey(emailId), ConsistentRead: true }));
      const email = found.Item ? parseStoredItem(emailSchema, found.Item, 'email delivery') : undefined;
      return email?.state === 'sent' ? 'already-sent' : 'in-progress';
    },

    async emailSent(emailId: string, claimId: string, now: Date, providerMessageId: string | undefined): Promise<void> {
      await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: emailKey(emailId),
          UpdateExpression: 'SET #state = :sent, sentAt = :now, providerMessageId = :messageId REMOVE claimId, leaseUntil',
          ConditionExpression: 'claimId = :claimId',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':sent': 'sent',
            ':now': now.toISOString(),
            ':messageId': providerMessageId ?? 'unknown',
            ':claimId': claimId,
          },
        }),
      );
    },

    /** After a failed send: the next delivery of the fact may try at once instead of waiting out the lease. */
    async releaseEmail(emailId: string, claimId: string): Promise<boolean> {
      // False when someone else took the claim over after our lease lapsed; theirs stands (the caller logs it).
      return conditionalWrite(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: emailKey(emailId),
            UpdateExpression: 'SET leaseUntil = :past',
            ConditionExpression: 'claimId = :claimId AND #state = :sending',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':past': new Date(0).toISOString(), ':claimId': claimId, ':sending': 'sending' },
          }),
        ),
      );
    },
  };
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;
