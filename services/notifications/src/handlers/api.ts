/**
 * The notifications HTTP API: the worker's inbox. A worker reads two mailboxes, their own and their
 * team's, both taken from the verified token, so no request can name someone else's mailbox.
 */
import { NotFound } from '@fsp/shared/http/errors';
import { createHttpHandler, defineRoute, json, noContent, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, FIRST_PAGE, type InboxCursor, MAX_PAGE_SIZE } from '../domain/inbox-page';
import { mailboxesOf } from '../domain/mailbox';
import { NOTIFICATION_ID_PATTERN } from '../domain/notification';
import { createInboxStore } from '../store/inbox-store';

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

/** Exported so a test can hold the manifest (service.ts) to exactly these routes. */
export function notificationsRoutes({ documents, tableName, clock }: ServiceRuntime): Route[] {
  const store = createInboxStore(documents, tableName);
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
  ];
}

export function createNotificationsApi(runtime: ServiceRuntime) {
  return createHttpHandler(notificationsRoutes(runtime), { logger: runtime.logger });
}
