/**
 * Idempotency keys of `POST /v1/referrals` (PARTNER-API.md): the same key with the same body
 * answers the original result however often it is retried, concurrently too; the same key with
 * another body answers 422.
 *
 * | access pattern                  | key condition                                                  | index |
 * |---------------------------------|----------------------------------------------------------------|-------|
 * | claim a key (with the referral) | pk = IDEMPOTENCY-KEY#<agencyId>#<key>, sk = IDEMPOTENCY-KEY (Put, attribute_not_exists or expired) | table |
 * | the original result of a key    | pk = IDEMPOTENCY-KEY#<agencyId>#<key>, sk = IDEMPOTENCY-KEY (consistent GetItem) | table |
 *
 * The record is put in the same TransactWriteItems as the referral it answers, so the first writer
 * wins and a concurrent duplicate can never create a second referral: its transaction is cancelled
 * on the record's condition and it replays what the winner stored. Keys are scoped per agency and
 * kept for 48 hours (TTL `expiresAt`; the contract promises at least 24); a record past its
 * expiry that DynamoDB has not deleted yet counts as gone.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { onFirstUse } from '@fsp/shared/first-use';
import type { TransactItem } from '@fsp/shared/outbox';
import { parseStoredItem } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';

export const IDEMPOTENCY_RETENTION_SECONDS = 48 * 60 * 60;
const SK = 'IDEMPOTENCY-KEY';

/** 1–255 printable ASCII characters (space to tilde). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7E]{1,255}$/;

const keyOf = (agencyId: string, key: string) => ({ pk: `IDEMPOTENCY-KEY#${agencyId}#${key}`, sk: SK });

/** JSON with object keys sorted at every level: two bodies that parse alike hash alike, whatever their key order or spacing. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const bodyHashOf = (body: unknown): string => createHash('sha256').update(canonicalJson(body), 'utf8').digest('base64url');

/** What a replay answers: exactly what the first request answered. */
export interface StoredResult {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

const storedRecordSchema = onFirstUse(() =>
  z.object({
    bodyHash: z.string(),
    status: z.int(),
    responseBody: z.string(),
    responseHeaders: z.record(z.string(), z.string()),
    expiresAt: z.number(),
  }),
);

export interface IdempotencyRecord {
  bodyHash: string;
  result: StoredResult;
  expired: boolean;
}

export function createIdempotencyStore(documents: DynamoDBDocumentClient, tableName: string) {
  return {
    /** The Put that claims `key` for `result`; its condition failing means the key is taken (read it with `find`). */
    claimIn(agencyId: string, key: string, bodyHash: string, result: StoredResult, now: Date, referralId: string): TransactItem {
      const nowSeconds = Math.floor(now.getTime() / 1000);
      return {
        Put: {
          TableName: tableName,
          Item: {
            ...keyOf(agencyId, key),
            kind: 'idempotency-key',
            agencyId,
            referralId,
            bodyHash,
            status: result.status,
            responseBody: JSON.stringify(result.body),
            responseHeaders: result.headers,
            createdAt: now.toISOString(),
            expiresAt: nowSeconds + IDEMPOTENCY_RETENTION_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': nowSeconds },
        },
      };
    },

    async find(agencyId: string, key: string, now: Date): Promise<IdempotencyRecord | undefined> {
      const found = await documents.send(new GetCommand({ TableName: tableName, Key: keyOf(agencyId, key), ConsistentRead: true }));
      if (!found.Item) return undefined;
      const record = parseStoredItem(storedRecordSchema(), found.Item, 'idempotency key');
      return {
        bodyHash: record.bodyHash,
        result: { status: record.status, body: JSON.parse(record.responseBody), headers: record.responseHeaders },
        expired: record.expiresAt < Math.floor(now.getTime() / 1000),
      };
    },
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
