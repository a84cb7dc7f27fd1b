/**
 * Signing in and out through the notifications `pages` handler, with the local OIDC issuer on
 * 127.0.0.1 as the identity provider (what Cognito's hosted UI is in AWS): the round trip with a real
 * code, PKCE verifier and signed ID token, every way the callback can fail, and the sign-out form.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalIssuer, type LocalIssuer } from '@fsp/infra/local/oidc/issuer';
import { createHttpHandler, type HttpHandler, MAX_BODY_BYTES } from '@fsp/shared/http/handler';
import { oidcClient } from '@fsp/shared/http/oidc-client';
import { CSRF_FORM_FIELD, pageSessions } from '@fsp/shared/http/page-session';
import {
  csrfTokenFor,
  generateSessionKey,
  newSession,
  openSession,
  openSignInState,
  SESSION_COOKIE,
  SIGN_IN_STATE_COOKIE,
  sealSession,
  serializeSessionKeys,
} from '@fsp/shared/http/session';
import { apiGatewayEvent, capturingLogger } from '@fsp/shared/testing/api-gateway-event';
import { mainLinksOf, mainTextOf, textOf } from '@fsp/shared/testing/html';
import { signInRoutes } from '../../src/http/sign-in';
import { createNotificationsRenderer } from '../../src/web/pages';

const ORIGIN = 'https://fsp.council.example';
const keys = [generateSessionKey(1)];

let server: Server;
let issuer: LocalIssuer;
let issuerUrl: string;
let password: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (!issuer.handle(req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = createLocalIssuer({
    issuerUrl,
    webRedirectUris: [`${ORIGIN}/signin/callback`],
    webLogoutUris: [`${ORIGIN}/signed-out`],
    log: () => {},
  });
  ({ password } = issuer.registerWorker({
    username: 'frontdoor',
    name: 'Priya Shah',
    email: 'priya.shah@example.gov.uk',
    roles: ['front-door'],
    teamId: 'front-door',
  }));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The pages handler with the sign-in routes, as src/entries/pages.ts composes it, on a clock the test can move. */
function signInUnderTest(overrides: { domain?: string } = {}) {
  let now = new Date();
  const clock = () => now;
  const environment = {
    SESSION_KEYS: serializeSessionKeys(keys),
    PUBLIC_ORIGIN: ORIGIN,
    OIDC_ISSUER: issuerUrl,
    OIDC_DOMAIN: overrides.domain ?? issuerUrl,
    WEB_CLIENT_ID: issuer.webClientId,
  };
  const renderer = createNotificationsRenderer('local');
  const pages = pageSessions({ environment, now: clock, errorPages: renderer });
  const { logger, lines } = capturingLogger();
  const handler: HttpHandler = createHttpHandler(signInRoutes({ pages, oidc: oidcClient({ environment, now: clock }), renderer, clock }), {
    logger,
    pages,
  });
  return {
    handler,
    lines,
    later: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

const cookieNamed = (cookies: readonly string[] | undefined, name: string) => cookies?.find((cookie) => cookie.startsWith(`${name}=`));
const cookieValueOf = (cookie: string | undefined) => cookie?.split(';')[0]?.split('=')[1] ?? '';

/** The worker at the local issuer's sign-in page: opens the authorize URL, fills the form, and is sent back with a code. */
async function signInAtTheIssuer(authorizeUrl: string, credentials = { username: 'frontdoor', password }): Promise<URL> {
  const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(authorize.status).toBe(303);
  const login = new URL(authorize.headers.get('location')!, issuerUrl);
  expect(login.pathname).toBe('/login');
  const page = await fetch(login, { redirect: 'manual' });
  expect(await page.text()).toContain('<label for="username">Username</label>');
  const posted = await fetch(login, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(credentials).toString(),
    redirect: 'manual',
  });
  expect(posted.status).toBe(303);
  return new URL(posted.headers.get('location')!);
}

/** `GET /signin`, as the browser follows a page's redirect to it. */
async function start(handler: HttpHandler, returnTo?: string) {
  const started = await handler(
    apiGatewayEvent({ path: returnTo === undefined ? '/signin' : `/signin?returnTo=${encodeURIComponent(returnTo)}` }),
  );
  const setCookie = cookieNamed(started.cookies, SIGN_IN_STATE_COOKIE)!;
  // What the browser sends back: the name and value, without the attributes.
  return { started, setCookie, signInCookie: setCookie.split(';')[0]!, location: started.headers?.location ?? '' };
}

const callback = (handler: HttpHandler, query: string, cookies: string[]) =>
  handler(apiGatewayEvent({ path: `/signin/callback?${query}`, cookies }));

/** "Sign-in did not work": a page, never JSON, with "Sign in again", and the spent sign-in cookie cleared. */
function expectDidNotWork(result: Awaited<ReturnType<HttpHandler>>, status = 400, signInAgain = '/signin') {
  expect(result.statusCode).toBe(status);
  expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
  expect(result.headers?.['cache-control']).toBe('no-store');
  expect(mainTextOf(result.body ?? '')).toContain('Sign-in did not work');
  expect(mainLinksOf(result.body ?? '')).toContainEqual({ href: signInAgain, text: 'Sign in again' });
  expect(result.cookies).toEqual([`${SIGN_IN_STATE_COOKIE}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax`]);
  expect(cookieNamed(result.cookies, SESSION_COOKIE)).toBeUndefined();
}

describe('GET /signin', () => {
  it('sends the browser to the identity provider with PKCE, state and nonce, keeping them sealed in __Host-fsp-signin', async () => {
    const { handler } = signInUnderTest();
    const { started, setCookie, signInCookie, location } = await start(handler, '/inbox?page=2');
    expect(started.statusCode).toBe(303);
    expect(started.headers?.['cache-control']).toBe('no-store');
    expect(setCookie).toMatch(new RegExp(`^${SIGN_IN_STATE_COOKIE}=[A-Za-z0-9_-]+; Max-Age=600; Path=/; Secure; HttpOnly; SameSite=Lax$`));
    const opened = openSignInState(cookieValueOf(signInCookie), keys, new Date());
    expect(opened).toMatchObject({ ok: true, signIn: { returnTo: '/inbox?page=2' } });
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe(`${issuerUrl}/oauth2/authorize`);
    expect(url.searchParams.get('client_id')).toBe(issuer.webClientId);
    expect(url.searchParams.get('redirect_uri')).toBe(`${ORIGIN}/signin/callback`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(opened.ok && url.searchParams.get('state')).toBe(opened.ok && opened.signIn.state);
    expect(opened.ok && url.searchParams.get('nonce')).toBe(opened.ok && opened.signIn.nonce);
  });

  it.each([
    ['another site', '//evil.example/steal'],
    ['an absolute URL', 'https://evil.example/'],
    ['sign-in itself', '/signin?returnTo=/inbox'],
    ['the callback', '/signin/callback?code=x'],
    ['sign-out', '/signout'],
    ['the signed-out page', '/signed-out'],
    ['nothing', undefined],
  ])('returns to the home page afterwards when asked to return to %s', async (_, returnTo) => {
    const { handler } = signInUnderTest();
    const { signInCookie } = await start(handler, returnTo);
    expect(openSignInState(cookieValueOf(signInCookie), keys, new Date())).toMatchObject({ ok: true, signIn: { returnTo: '/' } });
  });
});

describe('GET /signin/callback', () => {
  it('signs the worker in: a session from the verified ID token, sealed in __Host-fsp-session, and back to the page they asked for', async () => {
    const { handler, lines } = signInUnderTest();
    const { signInCookie, location } = await start(handler, '/inbox?page=2');
    const returned = await signInAtTheIssuer(location);
    expect(`${returned.origin}${returned.pathname}`).toBe(`${ORIGIN}/signin/callback`);

    const result = await callback(handler, returned.search.slice(1), ['theme=dark', signInCookie]);
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/inbox?page=2');
    expect(result.headers?.['cache-control']).toBe('no-store');
    const sessionCookie = cookieNamed(result.cookies, SESSION_COOKIE);
    expect(sessionCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]+; Max-Age=28800; Path=/; Secure; HttpOnly; SameSite=Lax$`));
    expect(cookieNamed(result.cookies, SIGN_IN_STATE_COOKIE)).toBe(
      `${SIGN_IN_STATE_COOKIE}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax`,
    );
    const opened = openSession(cookieValueOf(sessionCookie), keys, new Date());
    const sub = issuer.directoryEntries().find((entry) => entry.username === 'frontdoor')!.sub;
    expect(opened).toMatchObject({
      ok: true,
      session: {
        userId: sub,
        username: 'frontdoor',
        name: 'Priya Shah',
        email: 'priya.shah@example.gov.uk',
        roles: ['front-door'],
        teamId: 'front-door',
      },
    });
    // The log says who signed in by session id; never the code or a token.
    const logged = JSON.stringify(lines);
    expect(lines.some((line) => line.message === 'Signed in')).toBe(true);
    expect(logged).not.toContain(returned.searchParams.get('code')!);
  });

  it('refuses a callback without the sign-in cookie (another browser, or the cookie expired)', async () => {
    const { handler } = signInUnderTest();
    const { location } = await start(handler);
    const returned = await signInAtTheIssuer(location);
    expectDidNotWork(await callback(handler, returned.search.slice(1), []));
  });

  it('refuses a state that is not this sign-in’s (login CSRF), offering to sign in again to the same page', async () => {
    const { handler } = signInUnderTest();
    const { location } = await start(handler, '/inbox');
    const { signInCookie: mine } = await start(handler, '/inbox');
    const returned = await signInAtTheIssuer(location);
    expectDidNotWork(await callback(handler, returned.search.slice(1), [mine]), 400, '/signin?returnTo=%2Finbox');
  });

  it('refuses a code from another sign-in even with this one’s state: the PKCE verifier does not match', async () => {
    const { handler, lines } = signInUnderTest();
    const attacker = await start(handler);
    const victim = await start(handler);
    const attackersCode = (await signInAtTheIssuer(attacker.location)).searchParams.get('code')!;
    const victimsState = new URL(victim.location).searchParams.get('state')!;
    expectDidNotWork(
      await callback(handler, new URLSearchParams({ code: attackersCode, state: victimsState }).toString(), [victim.signInCookie]),
    );
    expect(lines.some((line) => line.message === 'Sign-in did not work' && String(line.reason).includes('invalid_grant'))).toBe(true);
  });

  it('refuses a sign-in that took more than 10 minutes', async () => {
    const { handler, later } = signInUnderTest();
    const { signInCookie, location } = await start(handler);
    const returned = await signInAtTheIssuer(location);
    later(10 * 60 * 1000 + 1);
    expectDidNotWork(await callback(handler, returned.search.slice(1), [signInCookie]));
  });

  it('refuses a code used twice: the second callback does not sign in again', async () => {
    const { handler } = signInUnderTest();
    const { signInCookie, location } = await start(handler);
    const query = (await signInAtTheIssuer(location)).search.slice(1);
    expect((await callback(handler, query, [signInCookie])).statusCode).toBe(303);
    expectDidNotWork(await callback(handler, query, [signInCookie]));
  });

  it.each([
    ['the provider’s refusal', (state: string) => new URLSearchParams({ error: 'access_denied', state }).toString()],
    ['no code', (state: string) => new URLSearchParams({ state }).toString()],
    ['a repeated code', (state: string) => `code=a&code=b&state=${encodeURIComponent(state)}`],
  ])('refuses %s', async (_, queryOf) => {
    const { handler } = signInUnderTest();
    const { signInCookie, location } = await start(handler);
    expectDidNotWork(await callback(handler, queryOf(new URL(location).searchParams.get('state')!), [signInCookie]));
  });

  it('refuses a sign-in cookie that was changed', async () => {
    const { handler } = signInUnderTest();
    const { signInCookie, location } = await start(handler);
    const returned = await signInAtTheIssuer(location);
    const value = cookieValueOf(signInCookie);
    const changed = `${SIGN_IN_STATE_COOKIE}=${value.slice(0, 20)}${value[20] === 'A' ? 'B' : 'A'}${value.slice(21)}`;
    expectDidNotWork(await callback(handler, returned.search.slice(1), [changed]));
  });

  it('says sign-in did not work when the identity provider cannot be reached, and logs it as an error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { handler, lines } = signInUnderTest({ domain: `http://127.0.0.1:${port}` });
    const { signInCookie, location } = await start(handler);
    const state = new URL(location).searchParams.get('state')!;
    expectDidNotWork(await callback(handler, new URLSearchParams({ code: 'x', state }).toString(), [signInCookie]), 502);
    expect(lines.some((line) => line.level === 'ERROR' && line.message === 'Sign-in could not complete with the identity provider')).toBe(
      true,
    );
  });
});

describe('POST /signout and GET /signed-out', () => {
  const at = () => new Date();
  const session = () =>
    newSession({ userId: 'u-1', username: 'frontdoor', name: 'Priya Shah', roles: ['front-door'], teamId: 'front-door' }, at());
  const signOut = (handler: HttpHandler, cookies: string[], fields: Record<string, string>, origin = ORIGIN) =>
    handler(
      apiGatewayEvent({
        method: 'POST',
        path: '/signout',
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        cookies,
      }),
    );

  /** Where the "Signing you out" page sends the browser at once: its meta refresh, and its link for a browser that does not follow it. */
  function signOutUrlOf(html: string): string {
    const refresh = /<meta http-equiv="refresh" content="0; url=([^"]+)">/.exec(html)?.[1];
    const link = mainLinksOf(html).find((candidate) => candidate.text === 'continue signing out')?.href;
    expect(refresh).toBeDefined();
    const url = refresh!.replace(/&amp;/g, '&');
    expect(link).toBe(url);
    return url;
  }

  it('clears the session and sends the browser on to the provider’s logout, which returns to /signed-out', async () => {
    const { handler } = signInUnderTest();
    const s = session();
    const result = await signOut(handler, [`${SESSION_COOKIE}=${sealSession(s, keys, at())}`], { [CSRF_FORM_FIELD]: csrfTokenFor(s) });
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['cache-control']).toBe('no-store');
    expect(result.cookies).toEqual([`${SESSION_COOKIE}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax`]);
    expect(mainTextOf(result.body ?? '')).toContain('Signing you out');
    const logout = new URL(signOutUrlOf(result.body ?? ''));
    expect(`${logout.origin}${logout.pathname}`).toBe(`${issuerUrl}/logout`);
    expect(Object.fromEntries(logout.searchParams)).toEqual({ client_id: issuer.webClientId, logout_uri: `${ORIGIN}/signed-out` });
    const atTheProvider = await fetch(logout, { redirect: 'manual' });
    expect(atTheProvider.status).toBe(303);
    expect(atTheProvider.headers.get('location')).toBe(`${ORIGIN}/signed-out`);
  });

  it.each([
    ['a forged CSRF token', (token: string) => ({ [CSRF_FORM_FIELD]: `${token.slice(0, -2)}xx` }), ORIGIN],
    ['no CSRF token', () => ({}), ORIGIN],
    ['another origin', (token: string) => ({ [CSRF_FORM_FIELD]: token }), 'https://evil.example'],
  ])('refuses %s with a 403 page, and the session stays', async (_, fieldsOf, origin) => {
    const { handler } = signInUnderTest();
    const s = session();
    const result = await signOut(handler, [`${SESSION_COOKIE}=${sealSession(s, keys, at())}`], fieldsOf(csrfTokenFor(s)), origin);
    expect(result.statusCode).toBe(403);
    expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(mainTextOf(result.body ?? '')).toContain('You do not have permission to see this page');
    expect(result.cookies).toBeUndefined();
  });

  it('still signs out of the provider when the session has already ended', async () => {
    const { handler } = signInUnderTest();
    const result = await signOut(handler, [], {});
    expect(result.statusCode).toBe(200);
    expect(signOutUrlOf(result.body ?? '')).toContain(`${issuerUrl}/logout?`);
  });

  it('shows "You have signed out" with a way to sign in, and no one signed in', async () => {
    const { handler } = signInUnderTest();
    const result = await handler(apiGatewayEvent({ path: '/signed-out' }));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['cache-control']).toBe('no-store');
    expect(result.headers?.['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(result.body).toContain('<title>You have signed out – Family Safeguarding Platform</title>');
    expect(mainLinksOf(result.body ?? '')).toContainEqual({ href: '/signin', text: 'Sign in' });
    expect(textOf(result.body ?? '')).not.toContain('Signed in as');
  });

  it('answers a browser that GETs /signout with "Page not found", never JSON', async () => {
    const { handler } = signInUnderTest();
    const result = await handler(apiGatewayEvent({ path: '/signout' }));
    expect(result.statusCode).toBe(405);
    expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(mainTextOf(result.body ?? '')).toContain('Page not found');
  });

  it('answers a sign-out post too large to read with a page saying so, never JSON, and keeps the session', async () => {
    const { handler } = signInUnderTest();
    const s = session();
    const result = await signOut(handler, [`${SESSION_COOKIE}=${sealSession(s, keys, at())}`], { filler: 'x'.repeat(MAX_BODY_BYTES) });
    expect(result.statusCode).toBe(413);
    expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(result.headers?.['cache-control']).toBe('no-store');
    expect(mainTextOf(result.body ?? '')).toContain('The information you sent was too large');
    expect(result.cookies).toBeUndefined();
  });
});

describe('the service failing on a sign-in route', () => {
  it('is GOV.UK’s problem page with the request’s reference, never JSON or the cause', async () => {
    const renderer = createNotificationsRenderer('local');
    // No session keys: the configuration cannot be read, as when the stage's secret is unreachable.
    const pages = pageSessions({ environment: { PUBLIC_ORIGIN: ORIGIN }, errorPages: renderer });
    const environment = { PUBLIC_ORIGIN: ORIGIN, OIDC_ISSUER: issuerUrl, OIDC_DOMAIN: issuerUrl, WEB_CLIENT_ID: issuer.webClientId };
    const { logger } = capturingLogger();
    const handler = createHttpHandler(signInRoutes({ pages, oidc: oidcClient({ environment }), renderer, clock: () => new Date() }), {
      logger,
      pages,
    });
    const result = await handler(apiGatewayEvent({ path: '/signin', requestId: 'req-signin-1' }));
    expect(result.statusCode).toBe(500);
    expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
    const text = mainTextOf(result.body ?? '');
    expect(text).toContain('Sorry, there is a problem with the service');
    expect(text).toContain('quote this reference: req-signin-1');
    expect(result.body).not.toContain('SESSION_KEYS');
  });
});
