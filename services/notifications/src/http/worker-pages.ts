/**
 * The worker's desk as pages (routes.ts: admitted by the session cookie, every role unless said):
 * the home and, in later commits, the inbox and the administrators' failed webhook deliveries.
 */
import { defineRoute, html, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { signedInWorkerOf } from '@fsp/shared/web/page';
import { mailboxesOf } from '../domain/mailbox';
import { createInboxStore } from '../store/inbox-store';
import type { createNotificationsRenderer } from '../web/pages';
import { routes } from './routes';

type Renderer = ReturnType<typeof createNotificationsRenderer>;

export function workerPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: Renderer): Route[] {
  const inbox = createInboxStore(runtime.documents, runtime.tableName);
  return [
    defineRoute(routes.home, {
      handle: async ({ claims }) => {
        const unreadCount = await inbox.unreadCount(claims.userId, mailboxesOf(claims));
        const worker = signedInWorkerOf(claims);
        const page = renderer.renderPage('home.njk', { title: 'Home', worker, unreadCount }, { heading: 'Home', unreadCount });
        return html(200, page, { ...renderer.headers });
      },
    }),
  ];
}
