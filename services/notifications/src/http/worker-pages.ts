/**
 * The worker's desk as pages (routes.ts: admitted by the session cookie, every role): the home
 * (WEB.md, "The worker's home") and the inbox. Each page answers in one round of reads of this
 * service's table, made together; the inbox is the very store the JSON inbox reads.
 */
import { defineRoute, type Route } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { mailboxesOf } from '@fsp/shared/inbox/mailbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { seeOther, workerPageResult } from '@fsp/shared/web/page-result';
import { FIRST_POSITION, type PositionFields, paginationOf, positionFieldsOf, positionOf, queryOf } from '@fsp/shared/web/paging';
import * as z from 'zod/mini';
import { HOME_LIST_SIZE, homeSectionsFor, homeWindowAt } from '../domain/desk';
import { filterFromQuery, filterQueryOf, isFiltered } from '../domain/inbox-filter';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, FIRST_PAGE } from '../domain/inbox-page';
import { NOTIFICATION_ID_PATTERN } from '../domain/notification';
import { createDeliveryStore } from '../store/delivery-store';
import { createDeskStore } from '../store/desk-store';
import { createInboxStore, MARK_SEVERAL_LIMIT } from '../store/inbox-store';
import { type HomeReads, homeView } from '../web/home-view';
import { inboxFiltersView, inboxItemView, itemAnchor, markShownView, unreadInWords } from '../web/inbox-view';
import { routes } from './routes';

/**
 * A page's position in the address. Anything is accepted here and judged by the route, so that a
 * stale or mangled address gets a page saying what to do, never a JSON problem.
 */
const positionParameter = z.optional(z.union([z.string(), z.array(z.string())]));
const positionFields = { cursor: positionParameter, back: positionParameter };
/** The inbox's filters, read leniently as well (filterFromQuery): a mistyped case reference is told on the page. */
const filterFields = { unread: positionParameter, urgent: positionParameter, case: positionParameter };

/** The unread items a filtered page showed (markShownView), by id: one field per item. */
const shownId = z.string().check(z.regex(NOTIFICATION_ID_PATTERN, 'ids must be the ids of inbox items'));
const shownIds = z.union([
  shownId,
  z.array(shownId).check(z.minLength(1), z.maxLength(MARK_SEVERAL_LIMIT, `ids: at most ${MARK_SEVERAL_LIMIT} items at once`)),
]);

/** The inbox position named by `cursor` and `back`, or undefined when they are not the inbox's own. */
const inboxPosition = (fields: PositionFields) =>
  positionOf(fields, (text) => {
    const decoded = decodeCursor(text);
    return decoded.ok ? decoded.cursor : undefined;
  });

/**
 * The home and the inbox, the pages every worker opens. The preferences page is preferences-pages.ts'
 * alone, a group of its own (page-groups.ts), so that the home loads none of its code (ADR 0038).
 */
export function workerPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const inbox = createInboxStore(runtime.documents, runtime.tableName);
  const desk = createDeskStore(runtime.documents, runtime.tableName);
  const deliveries = createDeliveryStore(runtime.documents, runtime.tableName);

  return [
    defineRoute(routes.home, {
      handle: async ({ claims }) => {
        const now = runtime.clock();
        const sections = homeSectionsFor(claims.roles);
        const window = homeWindowAt(now);
        const showsTeam = sections.includes('team') || sections.includes('caseload');
        // Every read at once: the home is one round trip to the table whatever the worker's roles.
        const [unreadCount, referralsDue, teamCases, supervisions, failedDeliveries] = await Promise.all([
          inbox.unreadCount(claims.userId, mailboxesOf(claims)),
          sections.includes('front-door') ? desk.referralsDueBefore(window.dueBefore, HOME_LIST_SIZE) : undefined,
          showsTeam ? desk.casesOpenedSince(claims.teamId, window.newCasesSince, HOME_LIST_SIZE) : undefined,
          sections.includes('team') ? desk.supervisionsFrom(claims.teamId, window.supervisionsFrom, HOME_LIST_SIZE) : undefined,
          sections.includes('admin') ? deliveries.list('dead', HOME_LIST_SIZE + 1, undefined) : undefined,
        ]);
        const reads: HomeReads = {
          unreadCount,
          ...(referralsDue ? { referralsDue } : {}),
          ...(teamCases ? { teamCases } : {}),
          ...(supervisions ? { supervisions } : {}),
          ...(failedDeliveries
            ? {
                failedDeliveries: {
                  items: failedDeliveries.items.slice(0, HOME_LIST_SIZE),
                  more: failedDeliveries.items.length > HOME_LIST_SIZE,
                },
              }
            : {}),
        };
        return workerPageResult(renderer, {
          template: 'home.njk',
          title: 'Home',
          claims,
          unreadCount,
          data: { home: homeView(claims.roles, reads, now) },
        });
      },
    }),

    defineRoute(routes.inboxPage, {
      query: z.object({ ...positionFields, ...filterFields }),
      handle: async ({ query, claims }) => {
        const decoded = inboxPosition(query);
        if (!decoded) return listNotFound(renderer, claims, await inbox.unreadCount(claims.userId, mailboxesOf(claims)));
        const { position, from } = decoded;
        const asked = filterFromQuery(query);
        const now = runtime.clock();
        const { page, unreadCount } = await inbox.inboxPage(
          claims.userId,
          mailboxesOf(claims),
          from ?? FIRST_PAGE,
          DEFAULT_PAGE_SIZE,
          asked.filter,
        );
        const nextCursor = page.next ? encodeCursor(page.next) : undefined;
        const filterQuery = filterQueryOf(asked.filter);
        const title = position.cursor === undefined ? 'Inbox' : 'Inbox (older items)';
        const items = page.items.map((entry) => inboxItemView(entry, now));
        return workerPageResult(renderer, {
          template: 'inbox.njk',
          title: asked.caseError ? `Error: ${title}` : title,
          claims,
          unreadCount,
          area: 'inbox',
          data: {
            items,
            markShown: isFiltered(asked.filter) ? markShownView(items) : undefined,
            unreadText: unreadInWords(unreadCount),
            unreadCount,
            firstPage: position.cursor === undefined,
            position: positionFieldsOf(position),
            filters: inboxFiltersView(asked),
            pagination: paginationOf('/inbox', position, nextCursor, { previous: 'Newer items', next: 'Older items' }, filterQuery),
          },
        });
      },
    }),

    defineRoute(routes.markAllReadPage, {
      body: z.object(filterFields),
      acceptForm: true,
      handle: async ({ body, claims, correlationId, requestId }) => {
        await inbox.markAllRead(claims.userId, mailboxesOf(claims), runtime.clock(), { correlationId, causationId: requestId });
        // Back to the newest items, with the filters the worker had on.
        return seeOther(`/inbox${queryOf(FIRST_POSITION, filterQueryOf(filterFromQuery(body).filter))}`);
      },
    }),

    defineRoute(routes.markShownReadPage, {
      body: z.object({ ids: shownIds, ...positionFields, ...filterFields }),
      acceptForm: true,
      handle: async ({ body, claims, correlationId, requestId }) => {
        await inbox.markSeveralRead(claims.userId, mailboxesOf(claims), [body.ids].flat(), runtime.clock(), {
          correlationId,
          causationId: requestId,
        });
        // Back to the page the worker was on, with their filters: the items they marked, or those after them.
        const position = inboxPosition(body)?.position ?? FIRST_POSITION;
        return seeOther(`/inbox${queryOf(position, filterQueryOf(filterFromQuery(body).filter))}`);
      },
    }),

    defineRoute(routes.markReadPage, {
      params: z.object({ notificationId: z.string() }),
      body: z.object({ ...positionFields, ...filterFields }),
      acceptForm: true,
      handle: async ({ params, body, claims, correlationId, requestId }) => {
        const mailboxes = mailboxesOf(claims);
        const outcome = NOTIFICATION_ID_PATTERN.test(params.notificationId)
          ? await inbox.markRead(claims.userId, mailboxes, params.notificationId, runtime.clock(), {
              correlationId,
              causationId: requestId,
            })
          : 'not-found';
        // Another team's item answers exactly as a missing one does: its existence is not the caller's to learn.
        if (outcome === 'not-found') {
          return workerPageResult(renderer, {
            template: 'problem.njk',
            title: 'This item is not in your inbox',
            claims,
            unreadCount: await inbox.unreadCount(claims.userId, mailboxes),
            area: 'inbox',
            status: 404,
            data: {
              heading: 'This item is not in your inbox',
              paragraphs: ['It may belong to another team, or the link you followed may be wrong.'],
              link: { href: '/inbox', text: 'Go to your inbox' },
            },
          });
        }
        // Back to the page the worker was on, at the item they marked; a mangled position goes to the newest items.
        const position = inboxPosition(body)?.position ?? FIRST_POSITION;
        const filterQuery = filterQueryOf(filterFromQuery(body).filter);
        return seeOther(`/inbox${queryOf(position, filterQuery)}#${itemAnchor(params.notificationId)}`);
      },
    }),
  ];
}

/** The answer to an inbox address whose position is not one the inbox gave out (an old bookmark, a mangled link). */
function listNotFound(renderer: PageRenderer, claims: PageClaims, unreadCount: number) {
  return workerPageResult(renderer, {
    template: 'problem.njk',
    title: 'That page of your inbox no longer exists',
    claims,
    unreadCount,
    area: 'inbox',
    status: 404,
    data: {
      heading: 'That page of your inbox no longer exists',
      paragraphs: ['The link you followed points to a page of the inbox that cannot be shown.'],
      link: { href: '/inbox', text: 'Go to the newest items in your inbox' },
    },
  });
}
