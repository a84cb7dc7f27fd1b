/**
 * The administrators' page of partner webhook deliveries (routes.ts: administrators only, checked
 * before this code runs): those that failed for 24 hours (the webhook-dead-lettered alarm is about
 * them), newest first, and those still being retried, soonest due first. The same store as
 * GET /api/admin/webhook-deliveries.
 */
import { defineRoute, type Route } from '@fsp/shared/http/handler';
import { mailboxesOf } from '@fsp/shared/inbox/mailbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { workerPageResult } from '@fsp/shared/web/page-result';
import { paginationOf, positionOf } from '@fsp/shared/web/paging';
import * as z from 'zod/mini';
import { DEFAULT_PAGE_SIZE } from '../domain/inbox-page';
import { createDeliveryStore, decodeDeliveryCursor, encodeDeliveryCursor, LISTED_STATES, type ListedState } from '../store/delivery-store';
import { createInboxStore } from '../store/inbox-store';
import { DELIVERY_LIST_ORDER, DELIVERY_LISTS, deliveryCard } from '../web/deliveries-view';
import { routes } from './routes';

const PATH = '/admin/webhook-deliveries';

/** Judged by the route, so that a stale or mangled address gets a page, never a JSON problem. */
const listParameter = z.optional(z.union([z.string(), z.array(z.string())]));

const isListedState = (value: unknown): value is ListedState => LISTED_STATES.some((state) => state === value);

/** The webhook deliveries' page only: workers' failed email is admin-worker-mail-pages.ts', a group of its own (page-groups.ts, ADR 0038). */
export function adminPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const deliveries = createDeliveryStore(runtime.documents, runtime.tableName);
  const inbox = createInboxStore(runtime.documents, runtime.tableName);

  return [
    defineRoute(routes.webhookDeliveriesPage, {
      query: z.object({ status: listParameter, cursor: listParameter, back: listParameter }),
      handle: async ({ query, claims }) => {
        const status = query.status ?? 'dead';
        const decoded = isListedState(status) ? positionOf(query, decodeDeliveryCursor) : undefined;
        if (!isListedState(status) || !decoded) {
          return workerPageResult(renderer, {
            template: 'problem.njk',
            title: 'That list of webhook deliveries does not exist',
            claims,
            unreadCount: await inbox.unreadCount(claims.userId, mailboxesOf(claims)),
            area: 'admin',
            status: 404,
            data: {
              heading: 'That list of webhook deliveries does not exist',
              paragraphs: ['The link you followed points to a list or a page of it that cannot be shown.'],
              link: { href: PATH, text: 'Go to the webhook deliveries that failed' },
            },
          });
        }
        const now = runtime.clock();
        const [page, unreadCount] = await Promise.all([
          deliveries.list(status, DEFAULT_PAGE_SIZE, decoded.from),
          inbox.unreadCount(claims.userId, mailboxesOf(claims)),
        ]);
        const nextCursor = page.next ? encodeDeliveryCursor(page.next) : undefined;
        const list = DELIVERY_LISTS[status];
        return workerPageResult(renderer, {
          template: 'webhook-deliveries.njk',
          title: list.heading,
          claims,
          unreadCount,
          area: 'admin',
          data: {
            status,
            heading: list.heading,
            firstPage: decoded.position.cursor === undefined,
            lists: DELIVERY_LIST_ORDER.map((state) => ({
              text: DELIVERY_LISTS[state].text,
              href: `${PATH}?status=${state}`,
              active: state === status,
            })),
            deliveries: page.items.map((delivery) => deliveryCard(delivery, now)),
            pagination: paginationOf(
              PATH,
              decoded.position,
              nextCursor,
              status === 'dead' ? { previous: 'Newer failures', next: 'Older failures' } : { previous: 'Due sooner', next: 'Due later' },
              { status },
            ),
          },
        });
      },
    }),
  ];
}
