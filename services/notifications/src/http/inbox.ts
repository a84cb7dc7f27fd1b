/**
 * The worker's inbox (routes.ts: every role). A worker reads two mailboxes, their own and their
 * team's, both taken from the verified token, so no request can name someone else's mailbox.
 */
import { NotFound } from '@fsp/shared/http/errors';
import { defineRoute, json, noContent, type Route } from '@fsp/shared/http/handler';
import { mailboxesOf } from '@fsp/shared/inbox/mailbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { CASE_REFERENCE_PATTERN, isUrgentKind, normalisedReference, referenceOfItem } from '../domain/inbox-filter';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, FIRST_PAGE, type InboxCursor } from '../domain/inbox-page';
import { NOTIFICATION_ID_PATTERN } from '../domain/notification';
import { createInboxStore, type InboxEntry } from '../store/inbox-store';
import { limitParameter } from './parameters';
import { routes } from './routes';

/** A worker's inbox is theirs alone and changes by the minute: never cached on the way. */
const PRIVATE = { 'cache-control': 'private, no-store' };

const cursorParameter = z.lazy(() =>
  z.pipe(
    z.string(),
    z.transform((text, context): InboxCursor => {
      const decoded = decodeCursor(text);
      if (decoded.ok) return decoded.cursor;
      context.issues.push({ code: 'custom', message: decoded.reason, input: text });
      return z.NEVER;
    }),
  ),
);

const yes = (field: string) => z.optional(z.enum(['yes'], `${field} must be yes, or left out`));
const caseParameter = z.lazy(() =>
  z.pipe(
    z.string(),
    z.transform((text, context): string => {
      const reference = normalisedReference(text);
      if (CASE_REFERENCE_PATTERN.test(reference)) return reference;
      context.issues.push({ code: 'custom', message: `case must be a case reference like FSP-2026-7K3M2N`, input: text });
      return z.NEVER;
    }),
  ),
);

/** The filters (issue 15 Deliver 7): only unread items, only urgent ones, only one case's; any together. */
const inboxQuery = z.lazy(() =>
  z.object({
    cursor: z.optional(cursorParameter),
    limit: z.optional(limitParameter),
    unread: yes('unread'),
    urgent: yes('urgent'),
    case: z.optional(caseParameter),
  }),
);

const notificationParams = z.lazy(() =>
  z.object({
    notificationId: z.string().check(z.regex(NOTIFICATION_ID_PATTERN, 'notificationId must be an id from the inbox')),
  }),
);

/** What a worker sees of an item: where it came from (sourceEventId, correlationId) stays in the table. */
const inboxItemView = (entry: InboxEntry) => {
  const { notificationId, kind, title, link, createdAt, read } = entry;
  const caseReference = referenceOfItem(entry);
  return { id: notificationId, kind, title, link, createdAt, read, urgent: isUrgentKind(kind), caseReference: caseReference ?? null };
};

/**
 * The inbox's own routes. The preferences under `/api/inbox` are preferences.ts' alone, a group of
 * their own (api-groups.ts), so that an inbox request loads none of their code (ADR 0038).
 */
export function inboxRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>): Route[] {
  const store = createInboxStore(runtime.documents, runtime.tableName);
  return [
    defineRoute(routes.inbox, {
      query: inboxQuery,
      handle: async ({ query, claims }) => {
        const { page, unreadCount } = await store.inboxPage(
          claims.userId,
          mailboxesOf(claims),
          query.cursor ?? FIRST_PAGE,
          query.limit ?? DEFAULT_PAGE_SIZE,
          {
            unread: query.unread === 'yes',
            urgent: query.urgent === 'yes',
            ...(query.case === undefined ? {} : { caseReference: query.case }),
          },
        );
        const nextCursor = page.next ? encodeCursor(page.next) : null;
        return json(200, { items: page.items.map(inboxItemView), unreadCount, nextCursor }, PRIVATE);
      },
    }),
    defineRoute(routes.unreadCount, {
      handle: async ({ claims }) => json(200, { unreadCount: await store.unreadCount(claims.userId, mailboxesOf(claims)) }, PRIVATE),
    }),
    defineRoute(routes.markAllRead, {
      handle: async ({ claims, correlationId, requestId }) => {
        const { marked } = await store.markAllRead(claims.userId, mailboxesOf(claims), runtime.clock(), {
          correlationId,
          causationId: requestId,
        });
        return json(200, { marked }, PRIVATE);
      },
    }),
    defineRoute(routes.markRead, {
      params: notificationParams,
      handle: async ({ params, claims, correlationId, requestId }) => {
        const outcome = await store.markRead(claims.userId, mailboxesOf(claims), params.notificationId, runtime.clock(), {
          correlationId,
          causationId: requestId,
        });
        // Another team's item answers exactly as a missing one does: its existence is not the caller's to learn.
        if (outcome === 'not-found') throw new NotFound('There is no such item in your inbox.');
        return noContent();
      },
    }),
  ];
}
