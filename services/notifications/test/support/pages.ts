/** The notifications `pages` function as src/entries/pages.ts composes it, around a test runtime, on the local stage. */
import { createHttpHandler, type HttpHandler, type Route } from '@fsp/shared/http/handler';
import { pageSessions } from '@fsp/shared/http/page-session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { workerPageRoutes } from '../../src/http/worker-pages';
import { createNotificationsRenderer } from '../../src/web/pages';

/** Every route of the `pages` function. */
export const notificationsPageRoutes = (runtime: ServiceRuntime): Route[] => [
  ...workerPageRoutes(runtime, createNotificationsRenderer('local')),
];

/** Reads SESSION_KEYS and PUBLIC_ORIGIN from the environment on the first page request, as the function does. */
export const notificationsPagesHandler = (runtime: ServiceRuntime): HttpHandler =>
  createHttpHandler(notificationsPageRoutes(runtime), { logger: runtime.logger, pages: pageSessions() });
