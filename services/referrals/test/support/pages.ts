/**
 * The front door's pages as the `pages` entry composes them (src/entries/pages.ts), around a test
 * runtime, and workers signed in as the handler admits them: a session sealed with the test's keys
 * in the `__Host-fsp-session` cookie, forms posted from the site's own origin with the session's
 * CSRF token. Sessions are judged by the real clock; the referrals' deadlines by the runtime's.
 */

import type { ApiGatewayV2Result } from '@fsp/shared/http/api-gateway';
import { createHttpHandler, type HttpHandler } from '@fsp/shared/http/handler';
import { CSRF_FORM_FIELD, pageSessions } from '@fsp/shared/http/page-session';
import {
  csrfTokenFor,
  generateSessionKey,
  newSession,
  SESSION_COOKIE,
  type SessionKey,
  sealSession,
  serializeSessionKeys,
  type WorkerSession,
} from '@fsp/shared/http/session';
import type { Role } from '@fsp/shared/people';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import { createPageRenderer } from '@fsp/shared/web/page';
import { frontDoorPageRoutes } from '../../src/http/front-door-pages';
import { PRECOMPILED_TEMPLATES } from '../../src/web/precompiled/front-door';

export const ORIGIN = 'http://127.0.0.1:3000';
export const TEAMS = [
  { id: 'north', name: 'North team' },
  { id: 'south', name: 'South team' },
];

const keys: SessionKey[] = [generateSessionKey(1)];

export interface SignedIn {
  session: WorkerSession;
  cookie: () => string;
  csrfToken: string;
}

/** A worker with a session, as sign-in would make it. */
export function signedIn(worker: { userId: string; name: string; roles?: Role[]; username?: string }): SignedIn {
  const session = newSession(
    {
      userId: worker.userId,
      username: worker.username ?? worker.userId,
      name: worker.name,
      roles: worker.roles ?? ['front-door'],
      teamId: 'front-door',
    },
    new Date(),
  );
  return { session, cookie: () => `${SESSION_COOKIE}=${sealSession(session, keys, new Date())}`, csrfToken: csrfTokenFor(session) };
}

/** The `pages` function's handler, with the renderer and teams the entry gives it. */
export const createFrontDoorPages = (runtime: ServiceRuntime): HttpHandler => {
  const renderer = createPageRenderer(PRECOMPILED_TEMPLATES, { stage: 'local' });
  return createHttpHandler(frontDoorPageRoutes(runtime, { renderer, teams: TEAMS }), {
    logger: runtime.logger,
    pages: pageSessions({ environment: { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: ORIGIN }, errorPages: renderer }),
  });
};

export interface Pages {
  get(path: string, as: SignedIn): Promise<ApiGatewayV2Result>;
  /** A form post from the site, with the session's token unless `fields` names another; `headers` override (Origin). */
  post(path: string, as: SignedIn, fields?: Record<string, string>, headers?: Record<string, string>): Promise<ApiGatewayV2Result>;
}

export function pagesFor(runtime: ServiceRuntime): Pages {
  return {
    get: (path, as) => createFrontDoorPages(runtime)(apiGatewayEvent({ path, cookies: [as.cookie()], headers: { accept: 'text/html' } })),
    post: (path, as, fields = {}, headers = {}) =>
      createFrontDoorPages(runtime)(
        apiGatewayEvent({
          method: 'POST',
          path,
          cookies: [as.cookie()],
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, accept: 'text/html', ...headers },
          body: new URLSearchParams({ [CSRF_FORM_FIELD]: as.csrfToken, ...fields }).toString(),
        }),
      ),
  };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ', ctdot: '⋯' };

/** What a page says, as one line of text: tags dropped, entities read, whitespace collapsed. */
export const textOf = (html: string): string =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(
      /&(#?\w+);/g,
      (whole, name: string) => ENTITIES[name] ?? (name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : whole),
    )
    .replace(/\s+/g, ' ')
    .trim();

/** The text of the page's <main>: what the worker reads, without the header and footer. */
export const mainTextOf = (html: string): string => textOf(/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '');

/** Each body row of the page's first table, as text. */
export const tableRowsOf = (html: string): string[] => {
  const body = /<tbody[\s\S]*?<\/tbody>/.exec(html)?.[0] ?? '';
  return [...body.matchAll(/<tr[\s\S]*?<\/tr>/g)].map((row) => textOf(row[0]));
};

export const titleOf = (html: string): string => textOf(/<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '');
