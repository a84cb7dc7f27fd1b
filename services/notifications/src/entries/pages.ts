/**
 * Lambda entry of the manifest's `pages` function: the worker's desk as pages (home, inbox,
 * preferences, sign-in, the admin lists), each module's loaded on first use
 * (src/http/page-groups.ts), and the platform's `$default` route ("Page not found", ADR 0013).
 */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { oidcClient } from '@fsp/shared/http/oidc-client';
import { pageSessions } from '@fsp/shared/http/page-session';
import { fetchSessionKeysSecret } from '@fsp/shared/http/session-keys-secret';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { pagesConfig } from '../config';
import { defaultRouteHandler, withDefaultRoute } from '../http/default-route';
import { lazyNotificationsPageRoutes } from '../http/page-groups';
import { createNotificationsRenderer } from '../web/pages';

const runtime = serviceRuntimeFromEnvironment('notifications');
const renderer = createNotificationsRenderer(pagesConfig().stage);

// In AWS the session keys come from the stage's secret; locally SESSION_KEYS is set and this is never called.
// Errors on pages are GOV.UK pages from this function's own templates.
const pages = pageSessions({ fetchSecret: fetchSessionKeysSecret, errorPages: renderer });
// One per container: the identity provider's JWKS is fetched on the first sign-in and kept.
const oidc = oidcClient();

// Declarations only until a request loads a group: enough for the `$default` route, which reads only their paths.
const routes = lazyNotificationsPageRoutes(runtime, renderer, { pages, oidc });

export const handler = withDefaultRoute(
  routes,
  createHttpHandler(routes, { logger: runtime.logger, pages }),
  defaultRouteHandler({ pages, renderer, logger: runtime.logger }),
);
