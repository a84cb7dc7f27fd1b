/**
 * The administrators' view of partner webhook deliveries (routes.ts: administrators only, checked
 * before this code runs): the dead-lettered ones the webhook-dead-lettered alarm is about, and
 * those still pending a retry.
 */
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { DEFAULT_PAGE_SIZE } from '../domain/inbox-page';
import {
  createDeliveryStore,
  type DeliveryCursor,
  decodeDeliveryCursor,
  encodeDeliveryCursor,
  LISTED_STATES,
  type WebhookDelivery,
} from '../store/delivery-store';
import { limitParameter } from './parameters';
import { routes } from './routes';

/** Deliveries change with every attempt: never cached on the way. */
const PRIVATE = { 'cache-control': 'private, no-store' };

const deliveryCursorParameter = z.lazy(() =>
  z.pipe(
    z.string(),
    z.transform((text, context): DeliveryCursor => {
      const decoded = decodeDeliveryCursor(text);
      if (decoded) return decoded;
      context.issues.push({ code: 'custom', message: 'cursor is not one this list gave out; start again without it', input: text });
      return z.NEVER;
    }),
  ),
);

const deliveriesQuery = z.lazy(() =>
  z.object({
    status: z.enum(LISTED_STATES, { error: `status must be one of ${LISTED_STATES.join(', ')}` }),
    cursor: z.optional(deliveryCursorParameter),
    limit: z.optional(limitParameter),
  }),
);

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

/** The webhook deliveries only: workers' failed email is admin-worker-mail.ts', a group of its own (api-groups.ts, ADR 0038). */
export function adminRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName'>): Route[] {
  const deliveries = createDeliveryStore(runtime.documents, runtime.tableName);
  return [
    defineRoute(routes.webhookDeliveries, {
      query: deliveriesQuery,
      handle: async ({ query }) => {
        const page = await deliveries.list(query.status, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor);
        return json(200, { items: page.items.map(deliveryView), nextCursor: page.next ? encodeDeliveryCursor(page.next) : null }, PRIVATE);
      },
    }),
  ];
}
