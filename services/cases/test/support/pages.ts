/** The cases `pages` function as src/entries/pages.ts composes it, around a test runtime, on the local stage. */
import { createHttpHandler, type HttpHandler } from '@fsp/shared/http/handler';
import { type PageSessionsOptions, pageSessions } from '@fsp/shared/http/page-session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { casePageRoutes } from '../../src/http/worker-pages';
import { createCasesRenderer } from '../../src/web/pages';

/** Sessions are opened with `sessions.environment` (SESSION_KEYS, PUBLIC_ORIGIN) and judged by `sessions.now`, as the function does. */
export function casesPagesHandler(runtime: ServiceRuntime, sessions: PageSessionsOptions = {}): HttpHandler {
  const renderer = createCasesRenderer('local');
  return createHttpHandler(casePageRoutes(runtime, renderer), {
    logger: runtime.logger,
    pages: pageSessions({ ...sessions, errorPages: renderer }),
  });
}
