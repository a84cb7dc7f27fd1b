/** The notifications `pages` function as src/entries/pages.ts composes it, around a test runtime, on the local stage. */
import { createHttpHandler, type HttpHandler, type Route } from '@fsp/shared/http/handler';
import { type PageSessionsOptions, pageSessions } from '@fsp/shared/http/page-session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { adminPageRoutes } from '../../src/http/admin-pages';
import { workerPageRoutes } from '../../src/http/worker-pages';
import { createNotificationsRenderer } from '../../src/web/pages';

/** Every route of the `pages` function. */
export const notificationsPageRoutes = (runtime: ServiceRuntime): Route[] => {
  const renderer = createNotificationsRenderer('local');
  return [...workerPageRoutes(runtime, renderer), ...adminPageRoutes(runtime, renderer)];
};

/** Sessions are opened with `sessions.environment` (SESSION_KEYS, PUBLIC_ORIGIN) and judged by `sessions.now`, as the function does with its own. */
export const notificationsPagesHandler = (runtime: ServiceRuntime, sessions: PageSessionsOptions = {}): HttpHandler =>
  createHttpHandler(notificationsPageRoutes(runtime), { logger: runtime.logger, pages: pageSessions(sessions) });
