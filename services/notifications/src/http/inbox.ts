/**
 * The notifications HTTP API: the worker's inbox (a worker reads two mailboxes, their own and their
 * team's, both taken from the verified token, so no request can name someone else's mailbox); a
 * partner agency's webhook registration (PARTNER-API.md); and the administrators' view of webhook
 * deliveries that failed for 24 hours.
 *
 * Partner routes find the calling agency by the token's client id and count against the agency's
 * rate limit, answering as referrals' partner routes do (401 for a client of no active agency, 429
 * with Retry-After over the limit). The counters are this service's own (shared/rate-limit, in this
 * table): services never read one another's.
 */
import { randomBytes } from 'node:crypto';
import { Forbidden, NotFound, Unauthorized } from '@fsp/shared/http/errors';
import { createHttpHandler, defineRoute, json, noContent, type Route } from '@fsp/shared/http/handler';
import { createRateLimitStore, type RateLimitConfig, RateLimited, rateLimitConfig, tooManyRequestsOf } from '@fsp/shared/rate-limit';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, FIRST_PAGE, type InboxCursor, MAX_PAGE_SIZE } from '../domain/inbox-page';
import { mailboxesOf } from '../domain/mailbox';
import { NOTIFICATION_ID_PATTERN } from '../domain/notification';
import { normalisedWebhookUrl, WEBHOOK_SECRET_BYTES, webhookSecretOf, webhookUrlProblem } from '../domain/webhook';
import { type Agency, createAgencyStore } from '../store/agency-store';
import {
  createDeliveryStore,
  type DeliveryCursor,
  decodeDeliveryCursor,
  encodeDeliveryCursor,
  LISTED_STATES,
  type WebhookDelivery,
} from '../store/delivery-store';
import { createInboxStore } from '../store/inbox-store';
import type { WebhookConfig } from './config';

/** A worker's inbox is theirs alone and changes by the minute: never cached on the way. */
const PRIVATE = { 'cache-control': 'private, no-store' };

const cursorParameter = z.pipe(
  z.string(),
  z.transform((text, context): InboxCursor => {
    const decoded = decodeCursor(text);
    if (decoded.ok) return decoded.cursor;
    context.issues.push({ code: 'custom', message: decoded.reason, input: text });
    return z.NEVER;
  }),
);

const limitParameter = z.pipe(
  z.pipe(z.string().check(z.regex(/^\d{1,4}$/, `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`)), z.transform(Number)),
  z.int().check(z.gte(1), z.lte(MAX_PAGE_SIZE)),
);

const inboxQuery = z.object({ cursor: z.optional(cursorParameter), limit: z.optional(limitParameter) });

const notificationParams = z.object({
  notificationId: z.string().check(z.regex(NOTIFICATION_ID_PATTERN, 'notificationId must be an id from the inbox')),
});

const deliveryCursorParameter = z.pipe(
  z.string(),
  z.transform((text, context): DeliveryCursor => {
    const decoded = decodeDeliveryCursor(text);
    if (decoded) return decoded;
    context.issues.push({ code: 'custom', message: 'cursor is not one this list gave out; start again without it', input: text });
    return z.NEVER;
  }),
);

const deliveriesQuery = z.object({
  status: z.enum(LISTED_STATES, { error: `status must be one of ${LISTED_STATES.join(', ')}` }),
  cursor: z.optional(deliveryCursorParameter),
  limit: z.optional(limitParameter),
});

function webhookBody(config: WebhookConfig) {
  return z.object({
    // Only a missing url gets this message; any other type is named as it is ("must be text, not a number").
    url: z
      .string({ error: (issue) => (issue.input === undefined ? 'url is required: the https:// address to POST decisions to' : undefined) })
      .check(
        z.superRefine((url, context) => {
          const problem = webhookUrlProblem(url, { allowLocalHttp: config.allowLocalHttp });
          if (problem) context.addIssue({ code: 'custom', message: problem, input: url });
        }),
      ),
  });
}

/** What an administrator sees of a delivery: never the agency's secret, never the URL's path or query. */
const deliveryView = (delivery: WebhookDelivery) => ({
  id: delivery.deliveryId,
  webhookId: delivery.webhookId,
  agencyId: delivery.agencyId,
  eventType: delivery.eventType,
  referralId: delivery.referralId,
  reference: delivery.reference,
  state: delivery.state,
  attempts: delivery.attempts,
  createdAt: delivery.createdAt,
  lastAttemptAt: delivery.lastAttemptAt ?? null,
  lastResult: delivery.lastResult ?? null,
  nextAttemptAt: delivery.state === 'pending' ? (delivery.nextAttemptAt ?? null) : null,
  deadAt: delivery.deadAt ?? null,
  correlationId: delivery.correlationId,
});

/** Deployed stages accept only https webhooks; the local cloud's entry point passes its own. */
const HTTPS_ONLY: WebhookConfig = { allowLocalHttp: false };

/** RFC 6750: a token whose client we do not (or no longer) serve is an invalid token, as referrals answers it. */
const invalidToken = (detail: string) => new Unauthorized(detail, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });

/** Exported so a test can hold the manifest (service.ts) to exactly these routes. */
export function notificationsRoutes(
  { documents, tableName, clock, logger }: ServiceRuntime,
  webhooks: WebhookConfig = HTTPS_ONLY,
  partnerRateLimit: RateLimitConfig = rateLimitConfig(),
): Route[] {
  const store = createInboxStore(documents, tableName);
  const agencies = createAgencyStore(documents, tableName);
  const deliveries = createDeliveryStore(documents, tableName);
  const rateLimits = createRateLimitStore(documents, tableName, partnerRateLimit);

  /**
   * The agency a partner request comes from, counted against its rate limit; the same answers as
   * referrals' partner routes (services/referrals/src/handlers/partner-agency.ts) for the same token.
   */
  async function callingAgency(clientId: string, now: Date): Promise<Agency> {
    const agency = await agencies.agencyOfClient(clientId);
    if (!agency) throw invalidToken('The access token was issued to a client that is not an onboarded partner agency.');
    if (agency.status !== 'active') throw invalidToken("This agency's API access has been revoked; contact the local authority.");
    try {
      await rateLimits.consume(agency.agencyId, now);
    } catch (error) {
      throw error instanceof RateLimited ? tooManyRequestsOf(error) : error;
    }
    return agency;
  }

  return [
    defineRoute({
      method: 'GET',
      path: '/inbox',
      auth: { kind: 'worker' },
      query: inboxQuery,
      handle: async ({ query, claims }) => {
        const { page, unreadCount } = await store.inboxPage(
          claims.userId,
          mailboxesOf(claims),
          query.cursor ?? FIRST_PAGE,
          query.limit ?? DEFAULT_PAGE_SIZE,
        );
        const items = page.items.map(({ notificationId, kind, title, link, createdAt, read }) => ({
          id: notificationId,
          kind,
          title,
          link,
          createdAt,
          read,
        }));
        return json(200, { items, unreadCount, nextCursor: page.next ? encodeCursor(page.next) : null }, PRIVATE);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/inbox/unread-count',
      auth: { kind: 'worker' },
      handle: async ({ claims }) => json(200, { unreadCount: await store.unreadCount(claims.userId, mailboxesOf(claims)) }, PRIVATE),
    }),
    defineRoute({
      method: 'POST',
      path: '/inbox/{notificationId}/read',
      auth: { kind: 'worker' },
      params: notificationParams,
      handle: async ({ params, claims }) => {
        const outcome = await store.markRead(claims.userId, mailboxesOf(claims), params.notificationId, clock());
        // Another team's item answers exactly as a missing one does: its existence is not the caller's to learn.
        if (outcome === 'not-found') throw new NotFound('There is no such item in your inbox.');
        return noContent();
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/v1/agencies/me/webhook',
      auth: { kind: 'partner', scopes: ['referrals/read'] },
      body: webhookBody(webhooks),
      handle: async ({ claims, body }) => {
        const now = clock();
        const agency = await callingAgency(claims.clientId, now);
        const secret = webhookSecretOf(randomBytes(WEBHOOK_SECRET_BYTES));
        const registeredAt = now.toISOString();
        const url = normalisedWebhookUrl(body.url);
        const outcome = await agencies.registerWebhook({ agencyId: agency.agencyId, url, secret, registeredAt });
        // The secret is in the response once and in the (encrypted) table; never in a log line.
        logger.info(outcome === 'registered' ? 'Webhook registered' : 'Webhook replaced', {
          agencyId: agency.agencyId,
          host: new URL(url).host,
        });
        return json(
          outcome === 'registered' ? 201 : 200,
          { url, secret, registeredAt },
          { 'cache-control': 'no-store', ...(outcome === 'registered' ? { location: '/v1/agencies/me/webhook' } : {}) },
        );
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/admin/webhook-deliveries',
      auth: { kind: 'worker' },
      query: deliveriesQuery,
      handle: async ({ claims, query }) => {
        if (!claims.roles.includes('administrator')) throw new Forbidden('Only administrators can see webhook deliveries.');
        const page = await deliveries.list(query.status, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor);
        return json(200, { items: page.items.map(deliveryView), nextCursor: page.next ? encodeDeliveryCursor(page.next) : null }, PRIVATE);
      },
    }),
  ];
}

export function createNotificationsApi(
  runtime: ServiceRuntime,
  webhooks: WebhookConfig = HTTPS_ONLY,
  partnerRateLimit: RateLimitConfig = rateLimitConfig(),
) {
  return createHttpHandler(notificationsRoutes(runtime, webhooks, partnerRateLimit), { logger: runtime.logger });
}
