/**
 * The supervision `pages` function as src/entries/pages.ts composes it, around a test runtime, on
 * the local stage, and a worker at it: a session sealed as sign-in seals it, sent as the browser
 * sends the cookie. (As services/notifications/test/support/page-session.ts does, until
 * shared/testing has it.)
 */
import { createHttpHandler, type HttpHandler, type Route } from '@fsp/shared/http/handler';
import { type PageSessionsOptions, pageSessions } from '@fsp/shared/http/page-session';
import { generateSessionKey, newSession, SESSION_COOKIE, sealSession, serializeSessionKeys } from '@fsp/shared/http/session';
import type { Role } from '@fsp/shared/people';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import { workerPageRoutes } from '../../src/http/worker-pages';
import { createSupervisionRenderer } from '../../src/web/pages';

export const ORIGIN = 'http://127.0.0.1:3000';

/** Every route of the `pages` function. */
export const supervisionPageRoutes = (runtime: ServiceRuntime): Route[] => workerPageRoutes(runtime, createSupervisionRenderer('local'));

export const supervisionPagesHandler = (runtime: ServiceRuntime, sessions: PageSessionsOptions = {}): HttpHandler =>
  createHttpHandler(supervisionPageRoutes(runtime), {
    logger: runtime.logger,
    pages: pageSessions({ ...sessions, errorPages: createSupervisionRenderer('local') }),
  });

export interface PageWorker {
  userId: string;
  name: string;
  roles: Role[];
  teamId: string;
}

export function pagesUnderTest(runtime: ServiceRuntime) {
  const keys = [generateSessionKey(1)];
  const handler = supervisionPagesHandler(runtime, {
    environment: { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: ORIGIN },
    now: runtime.clock,
  });
  const cookieOf = (worker: PageWorker) =>
    `${SESSION_COOKIE}=${sealSession(
      newSession(
        { userId: worker.userId, username: worker.userId, name: worker.name, roles: worker.roles, teamId: worker.teamId },
        runtime.clock(),
      ),
      keys,
      runtime.clock(),
    )}`;
  return {
    /** A page as the worker's browser asks for it. */
    get: (worker: PageWorker, path: string) => handler(apiGatewayEvent({ path, cookies: [cookieOf(worker)] })),
    /** A page asked for with no session at all. */
    getSignedOut: (path: string) => handler(apiGatewayEvent({ path })),
  };
}

/** The `<main>` element's text, tags gone and whitespace collapsed: the page's own content, as a screen shows it. */
export const mainTextOf = (html: string): string =>
  (/<main\b[\s\S]*<\/main>/i.exec(html)?.[0] ?? '')
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** Every link's href in the page's `<main>`, in order. */
export const mainHrefsOf = (html: string): string[] =>
  [...(/<main\b[\s\S]*<\/main>/i.exec(html)?.[0] ?? '').matchAll(/<a\b[^>]*\bhref="([^"]*)"/gi)].map((match) =>
    match[1]!.replace(/&amp;/g, '&'),
  );
