/**
 * The notifications routes, declared once: the manifest (service.ts) lists these objects, and the
 * modules api-groups.ts and page-groups.ts load on first use implement them with
 * `defineRoute(routes.x, …)`. Data only, so that CDK, the local cloud and those groups read them
 * without loading handler code. The `http` function serves the JSON and partner routes, `pages` the pages
 * and the platform's `$default` route.
 */
import type { DefaultRoute, FunctionEntry, HttpRoute } from '@fsp/shared/manifest';
import { ROLES } from '@fsp/shared/people';
import { tableKeys } from '@fsp/shared/table-keys';
import { INBOX_READING, PREFERENCES } from '../table-keys';

/**
 * The worker's desk as pages (home, inbox, sign-in): a function of its own, so that the templates,
 * the nunjucks runtime and the session code stay out of the JSON API's bundle (ADR 0011, 0012).
 * It reads and marks the worker's inbox, reads and saves their preference, and reads the desk (the
 * front door's open referrals and the team's cases and supervisions, gsi1 and table) and the admin
 * lists of failed webhook deliveries and workers' emails (gsi1).
 */
export const PAGES_TABLE_KEYS = tableKeys(INBOX_READING, PREFERENCES, {
  read: ['DESK#FRONT-DOOR#OPEN', 'DESK#TEAM#*', 'WEBHOOK-DELIVERIES#*', 'WORKER-MAILS#failed'],
});
const pages: FunctionEntry = { name: 'pages', entry: 'src/entries/pages.ts', permissions: { tableKeys: PAGES_TABLE_KEYS } };

export const routes = {
  // Every worker has an inbox: their own mailbox and their team's, both taken from the verified token.
  inbox: { method: 'GET', path: '/api/inbox', auth: { kind: 'worker', roles: ROLES } },
  unreadCount: { method: 'GET', path: '/api/inbox/unread-count', auth: { kind: 'worker', roles: ROLES } },
  markRead: { method: 'POST', path: '/api/inbox/{notificationId}/read', auth: { kind: 'worker', roles: ROLES } },
  markAllRead: { method: 'POST', path: '/api/inbox/read-all', auth: { kind: 'worker', roles: ROLES } },
  // How the worker is told: inbox only, email at once, or a daily digest (src/http/preferences.ts; ADR 0017).
  preferences: { method: 'GET', path: '/api/inbox/preferences', auth: { kind: 'worker', roles: ROLES } },
  savePreferences: { method: 'PUT', path: '/api/inbox/preferences', auth: { kind: 'worker', roles: ROLES } },
  // A partner agency registers where its decisions are POSTed (PARTNER-API.md, Webhooks).
  registerWebhook: { method: 'PUT', path: '/v1/agencies/me/webhook', auth: { kind: 'partner', scopes: ['referrals/read'] } },
  // Deliveries that failed for 24 hours (the webhook-dead-lettered alarm points here) and those still being retried.
  webhookDeliveries: { method: 'GET', path: '/api/admin/webhook-deliveries', auth: { kind: 'worker', roles: ['administrator'] } },
  // Workers' emails that could not be delivered after every retry (issue 15; ADR 0019): src/http/admin-worker-mail.ts.
  workerMailFailures: { method: 'GET', path: '/api/admin/worker-mail-failures', auth: { kind: 'worker', roles: ['administrator'] } },

  // Pages (WEB.md): admitted by the session cookie, never a bearer token; the same inbox as the JSON routes above.
  home: { method: 'GET', path: '/', auth: { kind: 'page', roles: ROLES }, function: pages },
  inboxPage: { method: 'GET', path: '/inbox', auth: { kind: 'page', roles: ROLES }, function: pages },
  markReadPage: { method: 'POST', path: '/inbox/{notificationId}/read', auth: { kind: 'page', roles: ROLES }, function: pages },
  markAllReadPage: { method: 'POST', path: '/inbox/read-all', auth: { kind: 'page', roles: ROLES }, function: pages },
  // A filtered inbox marks read only the unread items it showed (worker-pages.ts), never what the filter hid.
  markShownReadPage: { method: 'POST', path: '/inbox/read-shown', auth: { kind: 'page', roles: ROLES }, function: pages },
  preferencesPage: { method: 'GET', path: '/inbox/preferences', auth: { kind: 'page', roles: ROLES }, function: pages },
  savePreferencesPage: { method: 'POST', path: '/inbox/preferences', auth: { kind: 'page', roles: ROLES }, function: pages },
  webhookDeliveriesPage: {
    method: 'GET',
    path: '/admin/webhook-deliveries',
    auth: { kind: 'page', roles: ['administrator'] },
    function: pages,
  },
  // Workers' emails that failed after every retry (ADR 0019): src/http/admin-worker-mail-pages.ts.
  workerMailFailuresPage: {
    method: 'GET',
    path: '/admin/worker-mail-failures',
    auth: { kind: 'page', roles: ['administrator'] },
    function: pages,
  },

  // Signing in and out (ADR 0012 §1, src/http/sign-in.ts): public, as nobody is signed in yet, or any more.
  signIn: { method: 'GET', path: '/signin', auth: { kind: 'public' }, function: pages },
  signInCallback: { method: 'GET', path: '/signin/callback', auth: { kind: 'public' }, function: pages },
  signOut: { method: 'POST', path: '/signout', auth: { kind: 'public' }, function: pages },
  signedOut: { method: 'GET', path: '/signed-out', auth: { kind: 'public' }, function: pages },
} as const satisfies Record<string, HttpRoute>;

/**
 * The platform's `$default` route (ADR 0013): every request no route of any service matches.
 * Notifications serves it, beside the worker's desk and `/`: its `pages` function already renders
 * the worker's layout from the session, and the page is GOV.UK's "Page not found" (a problem
 * document under `/api/` and `/v1/`), src/http/default-route.ts.
 */
export const defaultRoute = { function: pages } as const satisfies DefaultRoute;
