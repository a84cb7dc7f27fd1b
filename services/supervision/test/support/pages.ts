/**
 * The supervision `pages` function as src/entries/pages.ts composes it, around a test runtime, on
 * the local stage, and a worker at it: a session sealed as sign-in seals it, sent as the browser
 * sends the cookie (shared/testing/pages); forms posted as the browser posts them, with the
 * session's CSRF token and the site's Origin.
 */
import type { Directory } from '@fsp/shared/directory';
import { createHttpHandler, type HttpHandler, type Route } from '@fsp/shared/http/handler';
import { type PageSessionsOptions, pageSessions } from '@fsp/shared/http/page-session';
import { csrfTokenFor, generateSessionKey, serializeSessionKeys } from '@fsp/shared/http/session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import { mainLinksOf } from '@fsp/shared/testing/html';
import { type PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { workerPageRoutes } from '../../src/http/worker-pages';
import { createSupervisionRenderer } from '../../src/web/pages';

export const ORIGIN = 'http://127.0.0.1:3000';

/** Every route of the `pages` function. */
export const supervisionPageRoutes = (runtime: ServiceRuntime, directory?: Directory): Route[] =>
  workerPageRoutes(runtime, createSupervisionRenderer('local'), directory ? { directory } : {});

export const supervisionPagesHandler = (runtime: ServiceRuntime, sessions: PageSessionsOptions = {}, directory?: Directory): HttpHandler =>
  createHttpHandler(supervisionPageRoutes(runtime, directory), {
    logger: runtime.logger,
    pages: pageSessions({ ...sessions, errorPages: createSupervisionRenderer('local') }),
  });

export type { PageWorker } from '@fsp/shared/testing/pages';

export function pagesUnderTest(runtime: ServiceRuntime, directory?: Directory) {
  const keys = [generateSessionKey(1)];
  const handler = supervisionPagesHandler(
    runtime,
    { environment: { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: ORIGIN }, now: runtime.clock },
    directory,
  );
  const visitor = pageVisitor({ handler, keys, origin: ORIGIN, clock: runtime.clock });
  return {
    get: visitor.get,
    /** A form as the worker's browser posts it (a field given as a list is sent once per value, as checkboxes are). */
    post: (worker: PageWorker, path: string, fields: Record<string, string | readonly string[]>) => {
      const body = new URLSearchParams({ csrfToken: csrfTokenFor(visitor.sessionOf(worker)) });
      for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
      return handler(
        apiGatewayEvent({
          method: 'POST',
          path,
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
          body: body.toString(),
          cookies: [visitor.cookieOf(worker)],
        }),
      );
    },
    /** A page asked for with no session at all. */
    getSignedOut: (path: string) => handler(apiGatewayEvent({ path })),
  };
}

/** The `<main>` element's text, as a screen shows it. */
export { mainTextOf } from '@fsp/shared/testing/html';

/** Every link's href in the page's `<main>`, in order. */
export const mainHrefsOf = (html: string): string[] => mainLinksOf(html).map((link) => link.href);
