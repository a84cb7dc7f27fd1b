/**
 * Per-agency rate limiting of the partner API (PARTNER-API.md, QUALITY.md security 7): a fixed
 * one-minute window per agency, counted in a few shard items per agency and window. The window's
 * limit is split between the shards and each request counts on one shard drawn at random, so an
 * agency's concurrent requests seldom contend for one item (one hot counter item in every
 * submission's transaction made a burst from one agency fail with transaction conflicts). The cost
 * of sharding: near its limit an agency may be refused a little early, when its drawn shard is
 * full and another is not (a few per cent at the default 1,200 a minute; a limit under 200 has one
 * shard and is exact); it is never allowed more than its limit.
 *
 * Each service that serves partner routes counts them in its own table (services never read one
 * another's), with this one mechanism, so the same limit means the same thing on every route.
 *
 * | access pattern                              | key condition                                              | index |
 * |---------------------------------------------|------------------------------------------------------------|-------|
 * | count one request in the agency's window    | pk = RATE-LIMIT#<agencyId>, sk = WINDOW#<window start epoch s>#<shard> (conditional UpdateItem) | table |
 *
 * A write can fold the counter update into its own TransactWriteItems (`countIn`), so limiting
 * costs it no extra round trip; any other request counts with one conditional UpdateItem
 * (`consume`). Counters expire (TTL) an hour after their window. One agency's counter never
 * touches another's, so one agency's burst cannot slow the others.
 */
import { randomInt } from 'node:crypto';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { isConditionalCheckFailed } from './dynamo-errors';
import { TooManyRequests } from './http/errors';
import type { TransactItem } from './outbox';
import { ConfigurationError } from './runtime';

export const WINDOW_SECONDS = 60;
/** Enough that a burst from one agency rarely meets itself on one item. */
export const MAX_SHARDS = 8;
/**
 * Each shard allows at least this many a minute, so that the early refusal sharding can cause
 * stays small against the limit: a limit under 200 is counted on one item, exactly.
 */
export const MIN_PER_SHARD = 100;
const COUNTER_RETENTION_SECONDS = 60 * 60;

/** Set in a service manifest's `environment`: requests per agency per minute, all of that service's partner routes together. */
export const RATE_LIMIT_ENV = 'PARTNER_RATE_LIMIT_PER_MINUTE';
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1200;

const rateLimitEnvSchema = z.lazy(() =>
  z.object({
    [RATE_LIMIT_ENV]: z.optional(
      z.string().check(z.regex(/^[1-9][0-9]{0,6}$/, `${RATE_LIMIT_ENV} must be a whole number from 1 to 9999999`)),
    ),
  }),
);

export interface RateLimitConfig {
  perMinute: number;
}

/** Validated once when the routes are built (a cold start), so a wiring mistake fails loudly, naming the variable. */
export function rateLimitConfig(env: NodeJS.ProcessEnv = process.env): RateLimitConfig {
  const parsed = z.safeParse(rateLimitEnvSchema, env);
  if (!parsed.success) throw new ConfigurationError(parsed.error.issues.map((issue) => issue.message).join('; '));
  const raw = parsed.data[RATE_LIMIT_ENV];
  return { perMinute: raw === undefined ? DEFAULT_RATE_LIMIT_PER_MINUTE : Number(raw) };
}

/** Over the limit; `retryAfterSeconds` is the time to the next window. */
export class RateLimited extends Error {
  override readonly name = 'RateLimited';
  constructor(readonly retryAfterSeconds: number) {
    super(`rate limited; retry after ${retryAfterSeconds} s`);
  }
}

/** The partner's answer to `RateLimited`, the same from every service: 429 with `Retry-After`. */
export const tooManyRequestsOf = (limited: RateLimited): TooManyRequests =>
  new TooManyRequests(
    limited.retryAfterSeconds,
    'Your agency has made too many requests this minute; wait for Retry-After seconds and try again.',
  );

export interface RateWindow {
  start: number;
  retryAfterSeconds: number;
}

export function windowOf(now: Date): RateWindow {
  const seconds = Math.floor(now.getTime() / 1000);
  const start = seconds - (seconds % WINDOW_SECONDS);
  return { start, retryAfterSeconds: Math.max(1, start + WINDOW_SECONDS - seconds) };
}

/** The shards' limits: `perMinute` split as evenly as whole numbers allow, each at least MIN_PER_SHARD (or all of a smaller limit), summing to it exactly. */
export function shardLimitsOf(perMinute: number): number[] {
  const shards = Math.max(1, Math.min(MAX_SHARDS, Math.floor(perMinute / MIN_PER_SHARD)));
  return Array.from({ length: shards }, (_, shard) => Math.floor(perMinute / shards) + (shard < perMinute % shards ? 1 : 0));
}

export function createRateLimitStore(
  documents: DynamoDBDocumentClient,
  tableName: string,
  config: RateLimitConfig,
  drawShard: (shards: number) => number = (shards) => randomInt(shards),
) {
  const shardLimits = shardLimitsOf(config.perMinute);
  const update = (agencyId: string, window: RateWindow) => {
    const shard = drawShard(shardLimits.length);
    return {
      TableName: tableName,
      Key: { pk: `RATE-LIMIT#${agencyId}`, sk: `WINDOW#${window.start}#${shard}` },
      UpdateExpression: 'ADD #count :one SET #kind = :kind, expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeNames: { '#count': 'count', '#kind': 'kind' },
      ExpressionAttributeValues: {
        ':one': 1,
        ':limit': shardLimits[shard],
        ':kind': 'rate-limit',
        ':expiresAt': window.start + WINDOW_SECONDS + COUNTER_RETENTION_SECONDS,
      },
    };
  };

  return {
    config,

    /** The counter update to put in a transaction; its condition failing means `RateLimited(window.retryAfterSeconds)`. */
    countIn(agencyId: string, now: Date): { write: TransactItem; window: RateWindow } {
      const window = windowOf(now);
      return { write: { Update: update(agencyId, window) }, window };
    },

    /** Counts one request on its own: one conditional UpdateItem; throws `RateLimited` over the limit. */
    async consume(agencyId: string, now: Date): Promise<void> {
      const window = windowOf(now);
      try {
        await documents.send(new UpdateCommand(update(agencyId, window)));
      } catch (error) {
        if (isConditionalCheckFailed(error)) throw new RateLimited(window.retryAfterSeconds);
        throw error;
      }
    },
  };
}

export type RateLimitStore = ReturnType<typeof createRateLimitStore>;
