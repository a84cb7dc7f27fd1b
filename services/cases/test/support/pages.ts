/** The cases `pages` function as src/entries/pages.ts composes it, around a test runtime, on the local stage. */
import type { Directory } from '@fsp/shared/directory';
import { createHttpHandler, type HttpHandler } from '@fsp/shared/http/handler';
import { type PageSessionsOptions, pageSessions } from '@fsp/shared/http/page-session';
import { generateSessionKey, serializeSessionKeys } from '@fsp/shared/http/session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { pageVisitor } from '@fsp/shared/testing/pages';
import { lazyCasePageRoutes } from '../../src/http/page-groups';
import { createCasesRenderer } from '../../src/web/pages';

/**
 * Sessions are opened with `sessions.environment` (SESSION_KEYS, PUBLIC_ORIGIN) and judged by `sessions.now`, as the function does;
 * `directory` is the team's workers for the allocation form (a list in tests: test/support/directory.ts).
 */
export function casesPagesHandler(
  runtime: ServiceRuntime,
  sessions: PageSessionsOptions = {},
  options: { directory?: Directory } = {},
): HttpHandler {
  const renderer = createCasesRenderer('local');
  return createHttpHandler(lazyCasePageRoutes(runtime, renderer, options), {
    logger: runtime.logger,
    pages: pageSessions({ ...sessions, errorPages: renderer }),
  });
}

/**
 * The pages handler with a fresh session key (its sessions opened and judged on the runtime's clock,
 * PUBLIC_ORIGIN `origin`) and a visitor of it, as each worker's browser: forms posted from `origin`.
 */
export function casesPagesVisitor(runtime: ServiceRuntime, origin: string) {
  const keys = [generateSessionKey(1)];
  const handler = casesPagesHandler(runtime, {
    environment: { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: origin },
    now: runtime.clock,
  });
  return { handler, visitor: pageVisitor({ handler, keys, origin, clock: runtime.clock }) };
}
