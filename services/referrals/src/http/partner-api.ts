/**
 * The partner API v1 (PARTNER-API.md): what onboarded agencies call with client-credentials tokens.
 *
 * - `POST /v1/referrals` needs an `Idempotency-Key`; the referral, the key's record (the result to
 *   replay), the agency's rate-limit counter, its change index item and ReferralSubmitted are one
 *   TransactWriteItems: one DynamoDB round trip. A cancelled transaction says which guard failed:
 *   the counter (429), the key (replay the stored result, or 422 for another body).
 * - `GET /v1/referrals/{id}` and `GET /v1/referrals?updatedSince=` show an agency only its own
 *   referrals (anything else is the same 404), and only what it submitted plus progress.
 * - Every partner route resolves the agency through `agencyOf` (partner-agency.ts) and counts
 *   against its rate limit (shared/rate-limit, in this table). routes.ts names the scope each needs,
 *   checked before this code runs.
 */

import { formatJsonPath, validate } from '@fsp/shared/events/field-issues';
import { onFirstUse } from '@fsp/shared/first-use';
import { type FieldError, HttpError, NotFound, UnprocessableEntity, ValidationFailed } from '@fsp/shared/http/errors';
import { defineRoute, type HttpResult, json, type Route } from '@fsp/shared/http/handler';
import type { KeyringSource } from '@fsp/shared/keyed-hash';
import { createRateLimitStore, type RateLimitConfig, RateLimited, rateLimitConfig, tooManyRequestsOf } from '@fsp/shared/rate-limit';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import type { Referral } from '../domain/referral';
import { referralSubmissionSchema } from '../domain/submission';
import { bodyHashOf, createIdempotencyStore, IDEMPOTENCY_KEY_PATTERN, type StoredResult } from '../store/idempotency-store';
import {
  createReferralsStore,
  type GuardedWrite,
  type ReferralChange,
  type ReferralsStore,
  type StoredReferral,
} from '../store/referrals-store';
import { requestEventContext } from './event-context';
import { receiveAndStore } from './intake';
import { type AgencyResolverOptions, createAgencyResolver } from './partner-agency';
import { routes } from './routes';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** Stable problem types partner code can branch on. */
export const PARTNER_PROBLEM_TYPES = {
  idempotencyKeyReused: 'urn:fsp:problem:idempotency-key-reused',
  rateLimited: 'urn:fsp:problem:rate-limited',
} as const;

const receiptOf = (referral: Referral) => ({
  id: referral.referralId,
  reference: referral.reference,
  status: referral.status,
  receivedAt: referral.receivedAt,
  decisionDueBy: referral.decisionDueBy,
});

const progressOf = (change: ReferralChange) => ({
  id: change.referralId,
  reference: change.reference,
  status: change.status,
  receivedAt: change.receivedAt,
  decisionDueBy: change.decisionDueBy,
  updatedAt: change.updatedAt,
  ...(change.outcome ? { outcome: change.outcome } : {}),
  ...(change.decidedAt ? { decidedAt: change.decidedAt } : {}),
});

/** What the agency sent, as it sent it: none of our ids, matches, flags, decision reasons or teams. */
function viewOf(referral: StoredReferral) {
  return {
    ...progressOf({
      referralId: referral.referralId,
      reference: referral.reference,
      status: referral.status,
      receivedAt: referral.receivedAt,
      decisionDueBy: referral.decisionDueBy,
      updatedAt: referral.updatedAt,
      ...(referral.decision ? { outcome: referral.decision.outcome, decidedAt: referral.decision.decidedAt } : {}),
    }),
    submitted: {
      referrer: referral.referrer,
      referralSource: referral.referralSource,
      children: referral.children.map((child) => ({
        firstName: child.firstName,
        lastName: child.lastName,
        ...(child.dateOfBirth ? { [child.unborn ? 'expectedDateOfBirth' : 'dateOfBirth']: child.dateOfBirth } : {}),
        ...(child.gender ? { gender: child.gender } : {}),
        ...(child.address ? { address: child.address } : {}),
        ...(child.school ? { school: child.school } : {}),
      })),
      adults: referral.adults,
      concerns: referral.concerns,
      factors: referral.factors,
      consent: referral.consent,
    },
  };
}

/** Another agency's referral and one that does not exist answer exactly alike. */
const notFound = () => new NotFound('There is no referral with this id from your agency.');

class KeyTaken extends Error {
  override readonly name = 'KeyTaken';
}

const headerPath = formatJsonPath([IDEMPOTENCY_HEADER]);

// Lazy: only the listing needs them, and a function instance may serve only submissions.
const listQuerySchema = z.lazy(() =>
  z.object({
    updatedSince: z.iso.datetime({
      offset: true,
      error: 'updatedSince must be a date and time in ISO 8601 format with a time zone, for example 2026-01-05T09:30:00Z',
    }),
    cursor: z.optional(z.string().check(z.maxLength(2048))),
    limit: z.optional(z.string().check(z.regex(/^(?:[1-9]|[1-9][0-9]|100)$/, `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`))),
  }),
);

const cursorSchema = onFirstUse(() =>
  z.object({
    v: z.literal(1),
    since: z.string(),
    after: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/)),
  }),
);

const encodeCursor = (since: string, after: string): string =>
  Buffer.from(JSON.stringify({ v: 1, since, after }), 'utf8').toString('base64url');

/** The sort key a cursor resumes after; a cursor this API did not give for this `updatedSince` is a 400 naming it. */
function decodeCursor(cursor: string, since: string): string {
  const invalid = () =>
    new ValidationFailed([
      { in: 'query', path: '$.cursor', message: 'cursor is not one this API gave for this updatedSince; start again without a cursor' },
    ]);
  let parsed: unknown;
  try {
    const bytes = Buffer.from(cursor, 'base64url');
    // Only the canonical encoding: base64url decoding ignores stray trailing bits, so a changed cursor could otherwise pass.
    parsed = /^[A-Za-z0-9_-]+$/.test(cursor) && bytes.toString('base64url') === cursor ? JSON.parse(bytes.toString('utf8')) : undefined;
  } catch {
    throw invalid();
  }
  const result = z.safeParse(cursorSchema(), parsed);
  if (!result.success || result.data.since !== since || result.data.after <= since) throw invalid();
  return result.data.after;
}

export interface PartnerApiOptions {
  /** Requests per agency per minute; the entry reads it from the environment (`rateLimitConfig`), as does the default. */
  rateLimit?: RateLimitConfig;
  /** How long a warm function trusts what it read about a client (partner-agency.ts); tests of revocation turn it off. */
  agencies?: AgencyResolverOptions;
  /** The known-family index's keys (ADR 0021); the entry's read the secret in AWS, the default the environment. */
  matchKeys?: KeyringSource;
}

export function partnerApiRoutes(runtime: ServiceRuntime, options: PartnerApiOptions = {}): Route[] {
  const store = createReferralsStore(runtime.documents, runtime.tableName, options.matchKeys);
  const idempotency = createIdempotencyStore(runtime.documents, runtime.tableName);
  const rateLimits = createRateLimitStore(runtime.documents, runtime.tableName, options.rateLimit ?? rateLimitConfig());
  const agencyOf = createAgencyResolver(runtime, options.agencies);

  /** Reads count against the agency's limit with one conditional update, sent alongside the read itself. */
  async function counted<T>(agencyId: string, now: Date, read: () => Promise<T>): Promise<T> {
    const [counting, result] = await Promise.allSettled([rateLimits.consume(agencyId, now), read()]);
    if (counting.status === 'rejected') throw counting.reason instanceof RateLimited ? tooManyRequestsOf(counting.reason) : counting.reason;
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  }

  async function replay(agencyId: string, key: string, bodyHash: string, now: Date): Promise<HttpResult> {
    const record = await idempotency.find(agencyId, key, now);
    if (!record || record.expired) {
      // The key's record vanished between the cancelled write and this read (its TTL passed): rare; the client retries.
      throw new HttpError(409, 'Conflict', { detail: 'This Idempotency-Key is being reused as it expires; retry the request.' });
    }
    if (record.bodyHash !== bodyHash) {
      throw new UnprocessableEntity(
        'This Idempotency-Key was already used with a different request body. Use a new key for a new referral, or resend the original body.',
        { type: PARTNER_PROBLEM_TYPES.idempotencyKeyReused },
      );
    }
    return { status: record.result.status, json: record.result.body, headers: { ...record.result.headers, 'idempotent-replayed': 'true' } };
  }

  return [
    defineRoute(routes.submitReferral, {
      // Validated below together with the Idempotency-Key header, so one 400 names every failing field.
      body: z.unknown(),
      handle: async (request) => {
        const now = runtime.clock();
        const { agencyId } = await agencyOf(request.claims);

        const errors: FieldError[] = [];
        const key = request.headers['idempotency-key'];
        if (key === undefined) {
          errors.push({
            in: 'header',
            path: headerPath,
            message: `${IDEMPOTENCY_HEADER} is required: a unique value per referral, such as a UUID`,
          });
        } else if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
          errors.push({ in: 'header', path: headerPath, message: `${IDEMPOTENCY_HEADER} must be 1 to 255 printable ASCII characters` });
        }
        const body = validate(referralSubmissionSchema, request.body);
        if (!body.success) errors.push(...body.issues.map((issue) => ({ in: 'body' as const, ...issue })));
        if (errors.length > 0 || key === undefined || !body.success) throw new ValidationFailed(errors);

        const bodyHash = bodyHashOf(body.data);
        const resultOf = (referral: Referral): StoredResult => ({
          status: 201,
          body: receiptOf(referral),
          headers: { location: `/v1/referrals/${referral.referralId}` },
        });
        const counter = rateLimits.countIn(agencyId, now);
        const guardsFor = (referral: Referral): GuardedWrite[] => [
          { write: counter.write, whenConditionFails: () => new RateLimited(counter.window.retryAfterSeconds) },
          {
            write: idempotency.claimIn(agencyId, key, bodyHash, resultOf(referral), now, referral.referralId),
            whenConditionFails: () => new KeyTaken(),
          },
        ];
        // The same store, whose saveNew adds this request's guards to the referral's own transaction.
        const guarded: ReferralsStore = {
          ...store,
          saveNew: (referral, events, at, extraWrites) => store.saveNew(referral, events, at, extraWrites, guardsFor(referral)),
        };
        try {
          const referral = await receiveAndStore(guarded, {
            submission: body.data,
            channel: 'partner-api',
            agencyId,
            now,
            events: requestEventContext(request, now),
            logger: request.logger,
          });
          const result = resultOf(referral);
          return json(result.status, result.body, result.headers);
        } catch (error) {
          if (error instanceof RateLimited) throw tooManyRequestsOf(error);
          if (error instanceof KeyTaken) return replay(agencyId, key, bodyHash, now);
          throw error;
        }
      },
    }),

    defineRoute(routes.partnerReferral, {
      params: z.object({ id: z.string() }),
      handle: async (request) => {
        const now = runtime.clock();
        const { agencyId } = await agencyOf(request.claims);
        const id = request.params.id;
        // An id we could never have issued is looked up nowhere, and answers like any other unknown id.
        const wellFormed = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(id);
        const referral = await counted(agencyId, now, async () => (wellFormed ? store.get(id) : undefined));
        if (referral?.channel !== 'partner-api' || referral.agencyId !== agencyId) throw notFound();
        return json(200, viewOf(referral), { 'cache-control': 'no-store' });
      },
    }),

    defineRoute(routes.partnerChanges, {
      query: listQuerySchema,
      handle: async (request) => {
        const now = runtime.clock();
        const { agencyId } = await agencyOf(request.claims);
        const since = new Date(request.query.updatedSince).toISOString();
        const after = request.query.cursor === undefined ? since : decodeCursor(request.query.cursor, since);
        const limit = request.query.limit === undefined ? DEFAULT_PAGE_SIZE : Number(request.query.limit);
        const page = await counted(agencyId, now, () => store.changesSince(agencyId, after, limit));
        return json(
          200,
          {
            referrals: page.changes.map(progressOf),
            ...(page.lastKey ? { nextCursor: encodeCursor(since, page.lastKey) } : {}),
          },
          { 'cache-control': 'no-store' },
        );
      },
    }),
  ];
}
