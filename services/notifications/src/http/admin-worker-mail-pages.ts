/**
 * The administrators' page of workers' email that failed (routes.ts: administrators only, checked
 * before this code runs; ADR 0019): newest first, one summary card each, with what to do. The same
 * store as GET /api/admin/worker-mail-failures; the recipient by their user id (the directory has
 * their name and address), never the email's address or its items' titles.
 */
import { defineRoute, type Route } from '@fsp/shared/http/handler';
import { mailboxesOf } from '@fsp/shared/inbox/mailbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { workerPageResult } from '@fsp/shared/web/page-result';
import { paginationOf, positionOf } from '@fsp/shared/web/paging';
import * as z from 'zod/mini';
import { DEFAULT_PAGE_SIZE } from '../domain/inbox-page';
import { createInboxStore } from '../store/inbox-store';
import { createWorkerMailStore, decodeFailedMailCursor, encodeFailedMailCursor, type WorkerMail } from '../store/worker-mail-store';
import { capitalised, whenInWords } from '../web/when';
import { routes } from './routes';

const PATH = '/admin/worker-mail-failures';

/** Judged by the route, so that a stale or mangled address gets a page, never a JSON problem. */
const listParameter = z.optional(z.union([z.string(), z.array(z.string())]));

const when = (now: Date, at: string | undefined): string => (at ? capitalised(whenInWords(now, new Date(at))) : 'Not known');

/** One failed email as a summary card: what it was, about which cases, how it was tried, and what SES said last. Pure. */
export function failedMailCard(mail: WorkerMail, now: Date) {
  const references = [...new Set(mail.intents.flatMap((intent) => (intent.reference === undefined ? [] : [intent.reference])))];
  return {
    title: mail.mode === 'digest' ? 'Daily summary email' : 'Email about a new item',
    rows: [
      { key: { text: 'Worker (user id)' }, value: { text: mail.userId } },
      { key: { text: 'Cases' }, value: { text: references.length > 0 ? references.join(', ') : 'None: items about no one case' } },
      { key: { text: 'Items' }, value: { text: String(mail.intents.length) } },
      { key: { text: 'Attempts' }, value: { text: String(mail.attempts) } },
      { key: { text: 'Last result' }, value: { text: mail.lastResult ?? 'Not known' } },
      { key: { text: 'Stopped trying' }, value: { text: when(now, mail.failedAt) } },
      { key: { text: 'First due' }, value: { text: when(now, mail.createdAt) } },
    ],
  };
}

export function workerMailAdminPageRoutes(
  runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>,
  renderer: PageRenderer,
): Route[] {
  const mails = createWorkerMailStore(runtime.documents, runtime.tableName);
  const inbox = createInboxStore(runtime.documents, runtime.tableName);

  return [
    defineRoute(routes.workerMailFailuresPage, {
      query: z.object({ cursor: listParameter, back: listParameter }),
      handle: async ({ query, claims }) => {
        const decoded = positionOf(query, decodeFailedMailCursor);
        if (!decoded) {
          return workerPageResult(renderer, {
            template: 'problem.njk',
            title: 'That page of failed emails does not exist',
            claims,
            unreadCount: await inbox.unreadCount(claims.userId, mailboxesOf(claims)),
            area: 'admin',
            status: 404,
            data: {
              heading: 'That page of failed emails does not exist',
              paragraphs: ['The link you followed points to a page of the list that cannot be shown.'],
              link: { href: PATH, text: 'Go to the workers’ emails that failed' },
            },
          });
        }
        const now = runtime.clock();
        const [page, unreadCount] = await Promise.all([
          mails.listFailed(DEFAULT_PAGE_SIZE, decoded.from),
          inbox.unreadCount(claims.userId, mailboxesOf(claims)),
        ]);
        const nextCursor = page.next ? encodeFailedMailCursor(page.next) : undefined;
        return workerPageResult(renderer, {
          template: 'worker-mail-failures.njk',
          title: 'Workers’ emails that failed',
          claims,
          unreadCount,
          area: 'admin',
          data: {
            firstPage: decoded.position.cursor === undefined,
            mails: page.items.map((mail) => failedMailCard(mail, now)),
            pagination: paginationOf(PATH, decoded.position, nextCursor, { previous: 'Newer failures', next: 'Older failures' }),
          },
        });
      },
    }),
  ];
}
