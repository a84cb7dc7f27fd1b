/**
 * The platform's `$default` route through notifications' `pages` function, as src/entries/pages.ts
 * composes it (ADR 0013): an address no service has is GOV.UK's "Page not found" in the layout of
 * whoever asks (a signed-in worker's, with their navigation; the referral form's under /refer; the
 * public one otherwise), and a problem document under /api and /v1, never API Gateway's JSON.
 */
import type { ApiGatewayV2Result } from '@fsp/shared/http/api-gateway';
import { createHttpHandler } from '@fsp/shared/http/handler';
import { pageSessions } from '@fsp/shared/http/page-session';
import { generateSessionKey, SESSION_COOKIE, serializeSessionKeys } from '@fsp/shared/http/session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, capturingLogger, problemOf } from '@fsp/shared/testing/api-gateway-event';
import { mainLinksOf, mainTextOf, textOf } from '@fsp/shared/testing/html';
import { sealedSessionCookie } from '@fsp/shared/testing/pages';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { defaultRouteHandler, withDefaultRoute } from '../../src/http/default-route';
import { createNotificationsRenderer } from '../../src/web/pages';
import { ORIGIN, type PageWorker, pagesUnderTest } from '../support/page-session';

const renderer = createNotificationsRenderer('local');
const frontDoor: PageWorker = { userId: 'fd-0001', name: 'Femi Adeyemi', roles: ['front-door'], teamId: 'front-door' };

let runtime: ServiceRuntime;
let drop: () => Promise<void>;
let pages: ReturnType<typeof pagesUnderTest>;

beforeAll(async () => {
  const created = await createTestRuntime('notifications');
  runtime = created.runtime;
  drop = () => created.table.drop();
  pages = pagesUnderTest(runtime);
});
afterAll(() => drop());

/** As API Gateway sends what no route matches: the `$default` route key, no path parameters. */
const unmatched = (method: string, path: string, extra: { cookies?: string[]; headers?: Record<string, string> } = {}) =>
  pages.handler(apiGatewayEvent({ method, path, ...extra }));

const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

interface SeenPage {
  title: string;
  heading: string;
  text: string;
  links: { href: string; text: string }[];
  body: string;
}

/** A GOV.UK page with the pages' headers, never a problem document or a stack. */
function pageOf(result: ApiGatewayV2Result, status = 404): SeenPage {
  const body = result.body ?? '';
  expect({ status: result.statusCode, type: result.headers?.['content-type'] }).toEqual({ status, type: 'text/html; charset=utf-8' });
  expect(result.headers?.['content-security-policy']).toBe(renderer.contentSecurityPolicy);
  expect(result.headers?.['cache-control']).toBe('no-store');
  expect(result.headers?.['x-content-type-options']).toBe('nosniff');
  expect(result.headers?.['referrer-policy']).toBe('same-origin');
  expect(result.headers?.['x-correlation-id']).toEqual(expect.any(String));
  expect(body.startsWith('<!DOCTYPE html>')).toBe(true);
  for (const leak of ['"status"', 'problem+json', 'about:blank', '"message"', 'Not Found', '    at ', 'Error:'])
    expect(body).not.toContain(leak);
  return {
    title: textOf(/<title>([\s\S]*?)<\/title>/.exec(body)?.[1] ?? ''),
    heading: textOf(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body)?.[1] ?? ''),
    text: mainTextOf(body),
    links: mainLinksOf(body),
    body,
  };
}

const isPublic = (page: SeenPage) =>
  page.body.includes('data-module="govuk-exit-this-page"') &&
  !page.body.includes('moj-identity-bar') &&
  !page.body.includes('Signed in as');

describe('an address no service has, for a browser', () => {
  it('is "Page not found" in the public layout for someone not signed in, with the way to the start', async () => {
    for (const [method, path] of [
      ['GET', '/front-door/xyz'],
      ['GET', '/cases/a/b'],
      ['GET', '/nothing-here'],
      ['POST', '/front-door/referrals/r1/nonsense'],
      ['GET', '/front-door/%E0%A4%A'],
    ] as const) {
      const page = pageOf(await unmatched(method, path, { headers: BROWSER }));
      expect({ path, public: isPublic(page) }).toEqual({ path, public: true });
      expect(page.title).toBe('Page not found – Family Safeguarding Platform');
      expect(page.heading).toBe('Page not found');
      expect(page.text).toContain('If you typed the web address, check it is correct.');
      expect(page.links).toContainEqual({ href: '/', text: 'Go to the start' });
      expect(page.text).not.toContain('call 999');
    }
  });

  it('is a page whoever asks, even a program that accepts anything', async () => {
    const page = pageOf(await unmatched('GET', '/front-door/xyz', { headers: { accept: '*/*' } }));
    expect(page.heading).toBe('Page not found');
    expect(isPublic(page)).toBe(true);
  });

  it('shows a signed-in worker the worker layout with their navigation and Sign out, refreshing nothing it need not', async () => {
    const result = await unmatched('GET', '/front-door/xyz', { cookies: [pages.cookieOf(frontDoor)], headers: BROWSER });
    const page = pageOf(result);
    expect(page.title).toBe('Page not found – Family Safeguarding Platform');
    expect(page.heading).toBe('Page not found');
    expect(page.body).toContain('Signed in as </span><span class="govuk-!-font-weight-bold">Femi Adeyemi</span>');
    expect(page.body).toContain('href="/front-door"');
    expect(page.body).toContain('action="/signout"');
    expect(page.body).not.toContain('govuk-exit-this-page');
    expect(page.links).toContainEqual({ href: '/', text: 'go to your home page' });
    // A fresh session needs no new cookie.
    expect(result.cookies).toBeUndefined();
  });

  it('shows the public layout, and clears the cookie, when the session no longer opens', async () => {
    const foreign = sealedSessionCookie([generateSessionKey(1)], frontDoor);
    const result = await unmatched('GET', '/cases/a/b', { cookies: [foreign], headers: BROWSER });
    expect(isPublic(pageOf(result))).toBe(true);
    expect(result.cookies).toEqual([expect.stringMatching(new RegExp(`^${SESSION_COOKIE}=; Max-Age=0;`))]);
  });

  it('under /refer is the referral form’s "Page not found", signed in or not, with its way back and what to do in an emergency', async () => {
    for (const [method, path, cookies] of [
      ['GET', '/refer/a/b', []],
      ['PUT', '/refer', []],
      ['DELETE', '/refer/who-you-are', []],
      ['GET', '/refer/a/b', [pages.cookieOf(frontDoor)]],
    ] as const) {
      const page = pageOf(await unmatched(method, path, { cookies: [...cookies], headers: BROWSER }));
      expect({ path, public: isPublic(page) }).toEqual({ path, public: true });
      expect(page.title).toBe('Page not found – Refer a child to children’s services');
      expect(page.heading).toBe('Page not found');
      expect(page.links).toContainEqual({ href: '/refer', text: 'Go to the start of the form' });
      expect(page.text).toContain('If a child is in immediate danger, call 999.');
      expect(page.body).toContain('govuk-warning-text');
      expect(textOf(/<footer[\s\S]*<\/footer>/.exec(page.body)?.[0] ?? '')).toContain('If a child is in immediate danger, call 999.');
    }
  });
});

describe('an address no service has under the JSON APIs', () => {
  it('is the problem document every service answers for an address it does not have, whoever asks', async () => {
    for (const [method, path] of [
      ['GET', '/api/x'],
      ['GET', '/v1/x'],
      ['POST', '/v1/referrals/r1/nonsense'],
      ['DELETE', '/api/inbox'],
      ['GET', '/api'],
    ] as const) {
      const result = await unmatched(method, path, { cookies: [pages.cookieOf(frontDoor)], headers: BROWSER });
      expect({ path, status: result.statusCode, type: result.headers?.['content-type'] }).toEqual({
        path,
        status: 404,
        type: 'application/problem+json',
      });
      expect(result.headers?.['cache-control']).toBe('no-store');
      expect(problemOf(result)).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'There is nothing at this address.',
        instance: path,
        requestId: expect.any(String),
      });
      expect(result.cookies).toBeUndefined();
    }
  });

  it('carries the caller’s correlation id, as every answer does', async () => {
    const result = await unmatched('GET', '/v1/nope', { headers: { 'x-correlation-id': 'partner-trace-0001' } });
    expect(result.headers?.['x-correlation-id']).toBe('partner-trace-0001');
  });
});

describe('an address of notifications’ own pages', () => {
  it('is still its page, whatever the event’s route key', async () => {
    const result = await unmatched('GET', '/signed-out', { headers: BROWSER });
    expect(result.statusCode).toBe(200);
    expect(mainTextOf(result.body ?? '')).toContain('You have signed out');
  });

  it('with a method it does not have is the 405 "Page not found" page, with what it allows', async () => {
    const result = await unmatched('PUT', '/inbox', { cookies: [pages.cookieOf(frontDoor)], headers: BROWSER });
    expect(result.headers?.allow).toBe('GET');
    expect(pageOf(result, 405).heading).toBe('Page not found');
    const home = await unmatched('DELETE', '/', { headers: BROWSER });
    expect(home.headers?.allow).toBe('GET');
    expect(pageOf(home, 405).heading).toBe('Page not found');
  });
});

describe('the $default route when something is wrong', () => {
  const withKeys = { SESSION_KEYS: serializeSessionKeys([generateSessionKey(1)]), PUBLIC_ORIGIN: ORIGIN };

  it('shows the public layout and logs why when the session keys cannot be read', async () => {
    const { logger, lines } = capturingLogger();
    const handler = defaultRouteHandler({ pages: pageSessions({ environment: {}, errorPages: renderer }), renderer, logger });
    const cookie = sealedSessionCookie([generateSessionKey(1)], frontDoor);
    const page = pageOf(await handler(apiGatewayEvent({ path: '/front-door/xyz', cookies: [cookie] })));
    expect(isPublic(page)).toBe(true);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: 'The session could not be opened for a page not found; shown without it' }),
    );
  });

  it('answers a bare page, never a problem document, when the page cannot be drawn', async () => {
    const { logger, lines } = capturingLogger();
    const broken = {
      ...renderer,
      renderPage: () => {
        throw new Error('template missing');
      },
    };
    const handler = defaultRouteHandler({ pages: pageSessions({ environment: withKeys, errorPages: renderer }), renderer: broken, logger });
    const result = await handler(apiGatewayEvent({ path: '/refer/a/b' }));
    expect(result.statusCode).toBe(404);
    expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(result.headers?.['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(textOf(result.body ?? '')).toContain('Page not found');
    expect(result.body).not.toContain('template missing');
    expect(lines).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'Error page could not be rendered' }));
  });

  it('leaves every event that is not the $default route to the function’s routes', async () => {
    const { logger } = capturingLogger();
    const routed = createHttpHandler([], { logger });
    const notFound = jest.fn(defaultRouteHandler({ pages: pageSessions({ environment: withKeys }), renderer, logger }));
    const handler = withDefaultRoute([], routed, notFound);
    const event = apiGatewayEvent({ path: '/front-door/xyz' });
    const routeKeyed = {
      ...event,
      routeKey: 'GET /front-door/xyz',
      requestContext: { ...event.requestContext, routeKey: 'GET /front-door/xyz' },
    };
    expect((await handler(routeKeyed)).headers?.['content-type']).toBe('application/problem+json');
    expect(notFound).not.toHaveBeenCalled();
    expect((await handler(event)).headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(notFound).toHaveBeenCalledTimes(1);
  });
});
