/**
 * The notifications `pages` function as src/entries/pages.ts composes it, its routes defined up front
 * (the deployed function loads each module's on first use, src/http/page-groups.ts), around a test
 * runtime, on the local stage.
 */
import { createHttpHandler, type HttpHandler, type Route } from '@fsp/shared/http/handler';
import { oidcClient } from '@fsp/shared/http/oidc-client';
import { type PageSessionsOptions, pageSessions } from '@fsp/shared/http/page-session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { adminPageRoutes } from '../../src/http/admin-pages';
import { workerMailAdminPageRoutes } from '../../src/http/admin-worker-mail-pages';
import { defaultRouteHandler, withDefaultRoute } from '../../src/http/default-route';
import { preferencesPageRoutes } from '../../src/http/preferences-pages';
import { signInRoutes } from '../../src/http/sign-in';
import { workerPageRoutes } from '../../src/http/worker-pages';
import { createNotificationsRenderer } from '../../src/web/pages';

/** Every route of the `pages` function (sign-in reads its page sessions' and the identity provider's settings from `sessions.environment`). */
export const notificationsPageRoutes = (runtime: ServiceRuntime, sessions: PageSessionsOptions = {}): Route[] => {
  const renderer = createNotificationsRenderer('local');
  const pages = pageSessions({ ...sessions, errorPages: renderer });
  const oidc = oidcClient(sessions.environment ? { environment: sessions.environment } : {});
  return [
    ...workerPageRoutes(runtime, renderer),
    ...preferencesPageRoutes(runtime, renderer),
    ...adminPageRoutes(runtime, renderer),
    ...workerMailAdminPageRoutes(runtime, renderer),
    ...signInRoutes({ pages, oidc, renderer, clock: runtime.clock }),
  ];
};

/**
 * Sessions are opened with `sessions.environment` (SESSION_KEYS, PUBLIC_ORIGIN) and judged by
 * `sessions.now`, as the function does with its own; the `$default` route's events that no route
 * has are answered by default-route.ts, as in src/entries/pages.ts.
 */
export const notificationsPagesHandler = (runtime: ServiceRuntime, sessions: PageSessionsOptions = {}): HttpHandler => {
  const renderer = createNotificationsRenderer('local');
  const pages = pageSessions({ ...sessions, errorPages: renderer });
  const routes = notificationsPageRoutes(runtime, sessions);
  return withDefaultRoute(
    routes,
    createHttpHandler(routes, { logger: runtime.logger, pages }),
    defaultRouteHandler({ pages, renderer, logger: runtime.logger }),
  );
};
