import { ConfigurationError } from '@fsp/shared/environment';
import { Forbidden, NotFound } from '@fsp/shared/http/errors';
import { createHttpHandler, defineRoute, noContent } from '@fsp/shared/http/handler';
import { CSRF_FORM_FIELD, keysFromSecret, type PageSessionsOptions, pageSessions } from '@fsp/shared/http/page-session';
import {
  csrfTokenFor,
  generateSessionKey,
  newSession,
  openSession,
  SESSION_COOKIE,
  type SessionKey,
  sealSession,
  serializeSessionKeys,
  type WorkerSession,
} from '@fsp/shared/http/session';
import { apiGatewayEvent, capturingLogger, problemOf, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { createPageRenderer } from '@fsp/shared/web/page';
import { PRECOMPILED_TEMPLATES } from '@fsp/shared/web/precompiled-templates';
import * as z from 'zod/mini';
import { sampleRoutes } from './sample-routes';

const ORIGIN = 'http://127.0.0.1:3000';
const signInAt = new Date('2026-12-02T09:00:00Z');
const minutes = (n: number) => n * 60 * 1000;
const after = (ms: number) => new Date(signInAt.getTime() + ms);

const keys: SessionKey[] = [generateSessionKey(1)];
const worker = {
  userId: '5f0c2a8e-3b7d-4f61-9a2e-8c1d4b6e7f90',
  username: 'sam.patel',
  name: 'Sam Patel',
  email: 'sam.patel@council.example.org',
  roles: ['social-worker' as const],
  teamId: 'team-north-1',
};

function setup(overrides: { at?: Date; environment?: NodeJS.ProcessEnv; fetchSecret?: PageSessionsOptions['fetchSecret'] } = {}) {
  const { routes, written } = sampleRoutes();
  const { logger, lines } = capturingLogger();
  const at = overrides.at ?? after(minutes(1));
  const environment = overrides.environment ?? { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: ORIGIN };
  const pages = pageSessions({ environment, now: () => at, ...(overrides.fetchSecret ? { fetchSecret: overrides.fetchSecret } : {}) });
  const handler = createHttpHandler(routes, { logger, pages });
  return { handler, written, lines };
}

const session = (roles: WorkerSession['roles'] = worker.roles): WorkerSession => newSession({ ...worker, roles }, signInAt);
const cookieOf = (s: WorkerSession, sealedAt = signInAt, with_ = keys) => `${SESSION_COOKIE}=${sealSession(s, with_, sealedAt)}`;

/** What a browser shows: always an HTML page, never a problem document; its heading and its text. */
function pageOf(result: { headers?: Record<string, string>; body?: string }): { heading: string; text: string } {
  expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
  expect(result.headers?.['cache-control']).toBe('no-store');
  const body = result.body ?? '';
  const words = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  return { heading: words(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body)?.[1] ?? ''), text: words(body) };
}

const formPost = (s: WorkerSession, fields: Record<string, string>, headers: Record<string, string> = { origin: ORIGIN }) =>
  apiGatewayEvent({
    method: 'POST',
    path: '/home/notes',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
    cookies: ['theme=dark', cookieOf(s)],
  });

describe('page routes: the session cookie', () => {
  it('sends a browser without a session to sign in, with the page it asked for', async () => {
    const { handler, written } = setup();
    const result = await handler(apiGatewayEvent({ path: '/home?tab=cases&page=2' }));
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe(`/signin?returnTo=${encodeURIComponent('/home?tab=cases&page=2')}`);
    expect(result.headers?.['cache-control']).toBe('no-store');
    expect(result.cookies).toBeUndefined();
    expect(written).toEqual([]);
  });

  it('sends a bearer token alone to sign in: pages never accept one', async () => {
    const { handler } = setup();
    const result = await handler(apiGatewayEvent({ path: '/home', claims: workerClaims({ 'cognito:groups': ['social-worker'] }) }));
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/signin?returnTo=%2Fhome');
  });

  it('answers 401 to a session cookie alone on a JSON worker route: JSON routes take bearer tokens only', async () => {
    const { handler } = setup();
    const result = await handler(apiGatewayEvent({ path: '/cases/mine', cookies: [cookieOf(session())] }));
    expect(result.statusCode).toBe(401);
  });

  it.each([
    ['tampered', (value: string) => `${value.slice(0, -2)}${value.endsWith('AA') ? 'BB' : 'AA'}`, after(minutes(1))],
    ['sealed under another key', () => sealSession(session(), generateSessionKey(1), signInAt), after(minutes(1))],
    ['expired', (value: string) => value, after(minutes(8 * 60) + 1)],
    ['idle', (value: string) => value, after(minutes(30) + 1)],
  ])('sends a %s session to sign in and clears its cookie', async (_, change, at) => {
    const { handler, written, lines } = setup({ at });
    const sealed = sealSession(session(), keys, signInAt);
    const result = await handler(apiGatewayEvent({ path: '/home', cookies: [`${SESSION_COOKIE}=${change(sealed)}`] }));
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/signin?returnTo=%2Fhome');
    expect(result.cookies).toEqual([`${SESSION_COOKIE}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax`]);
    expect(written).toEqual([]);
    expect(lines.some((line) => line.message === 'Page request sent to sign in')).toBe(true);
  });

  it('sends to the home page instead when the page asked for would not be a safe return path', async () => {
    const { handler } = setup();
    // A tab in any decoded reading is refused by safeReturnTo (browsers strip it, which can make `//`).
    const result = await handler(apiGatewayEvent({ path: '/home?next=%09' }));
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/signin?returnTo=%2F');
  });

  it('answers 403 to a session without one of the route roles, before any route code runs', async () => {
    const { handler, written } = setup();
    const result = await handler(apiGatewayEvent({ path: '/home', cookies: [cookieOf(session(['front-door']))] }));
    expect(result.statusCode).toBe(403);
    expect(pageOf(result)).toMatchObject({
      heading: 'You do not have permission to see this page',
      text: expect.stringContaining('This is for social workers or team managers; your account does not have that role.'),
    });
    expect(written).toEqual([]);
  });

  it("gives the route the session's worker and the CSRF token its forms carry", async () => {
    const { handler } = setup();
    const s = session();
    const result = await handler(apiGatewayEvent({ path: '/home', cookies: ['theme=dark', cookieOf(s)] }));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ kind: 'worker', ...worker, csrfToken: csrfTokenFor(s) });
    // Seen a minute ago: no new cookie on every request.
    expect(result.cookies).toBeUndefined();
  });

  it('re-seals the session when it was last seen more than 5 minutes ago, so that the idle timeout slides', async () => {
    const at = after(minutes(20));
    const { handler } = setup({ at });
    const result = await handler(apiGatewayEvent({ path: '/home', cookies: [cookieOf(session())] }));
    expect(result.statusCode).toBe(200);
    expect(result.cookies).toHaveLength(1);
    const [cookie] = result.cookies ?? [];
    expect(cookie).toMatch(
      new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]+; Max-Age=${8 * 60 * 60 - 20 * 60}; Path=/; Secure; HttpOnly; SameSite=Lax$`),
    );
    const value = cookie!.slice(SESSION_COOKIE.length + 1).split(';')[0]!;
    const reopened = openSession(value, keys, after(minutes(45)));
    expect(reopened).toMatchObject({ ok: true, session: { lastSeenAt: at.getTime(), issuedAt: signInAt.getTime() } });
  });
});

describe('page routes: writes need the Origin and the CSRF token', () => {
  it('lets a form post from this site with its token through, and the route never sees the token', async () => {
    const { handler, written } = setup();
    const s = session();
    const result = await handler(formPost(s, { text: 'Visited at home', [CSRF_FORM_FIELD]: csrfTokenFor(s) }));
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/home');
    expect(result.cookies).toEqual(['flash=saved; Path=/']);
    expect(written).toEqual([{ text: 'Visited at home' }]);
  });

  it('accepts the token as the x-csrf-token header on a JSON post', async () => {
    const { handler, written } = setup();
    const s = session();
    const result = await handler(
      apiGatewayEvent({
        method: 'POST',
        path: '/home/notes',
        headers: { origin: ORIGIN, 'x-csrf-token': csrfTokenFor(s) },
        body: { text: 'By script' },
        cookies: [cookieOf(s)],
      }),
    );
    expect(result.statusCode).toBe(303);
    expect(written).toEqual([{ text: 'By script' }]);
  });

  it('adds the re-sealed session to what the route sets', async () => {
    const { handler } = setup({ at: after(minutes(10)) });
    const s = session();
    const result = await handler(formPost(s, { text: 'Later', [CSRF_FORM_FIELD]: csrfTokenFor(s) }));
    expect(result.statusCode).toBe(303);
    expect(result.cookies?.[0]).toBe('flash=saved; Path=/');
    expect(result.cookies?.[1]).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
  });

  it.each([
    ['without an Origin', {}],
    ['from another origin', { origin: 'https://evil.example' }],
    ['from a null origin', { origin: 'null' }],
    ['from another port of this host', { origin: 'http://127.0.0.1:3001' }],
  ])('answers 403 to a form post %s, and nothing is written', async (_, headers) => {
    const { handler, written } = setup();
    const s = session();
    const result = await handler(formPost(s, { text: 'Visited', [CSRF_FORM_FIELD]: csrfTokenFor(s) }, headers));
    expect(result.statusCode).toBe(403);
    expect(pageOf(result).text).toContain('This form was not sent from this site. Go back to the page, reload it and try again.');
    expect(written).toEqual([]);
  });

  it.each([
    ['no token', {}],
    ['an empty token', { [CSRF_FORM_FIELD]: '' }],
    ["another session's token", { [CSRF_FORM_FIELD]: csrfTokenFor(session()) }],
  ])('answers 403 to a form post with %s, and nothing is written', async (_, fields) => {
    const { handler, written } = setup();
    const result = await handler(formPost(session(), { text: 'Visited', ...fields }));
    expect(result.statusCode).toBe(403);
    expect(pageOf(result).text).toContain('This form has expired or was not sent from this site');
    expect(written).toEqual([]);
  });

  it('refuses a token sent twice, and a form token sent only as a header', async () => {
    const { handler, written } = setup();
    const s = session();
    const token = csrfTokenFor(s);
    const twice = formPost(s, { text: 'Visited' });
    twice.body = `text=Visited&${CSRF_FORM_FIELD}=${token}&${CSRF_FORM_FIELD}=${token}`;
    expect((await handler(twice)).statusCode).toBe(403);
    expect((await handler(formPost(s, { text: 'Visited' }, { origin: ORIGIN, 'x-csrf-token': token }))).statusCode).toBe(403);
    expect(written).toEqual([]);
  });

  it('sends a post without a session to sign in, returning to the path alone', async () => {
    const { handler, written } = setup();
    const result = await handler(
      apiGatewayEvent({
        method: 'POST',
        path: '/home/notes?draft=1',
        headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'text=x',
      }),
    );
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/signin?returnTo=%2Fhome%2Fnotes');
    expect(written).toEqual([]);
  });
});

describe('page routes: configuration', () => {
  it('refuses to build a handler with a page route but no page support, at module load', () => {
    const { logger } = capturingLogger();
    const page = defineRoute(
      { method: 'GET', path: '/home', auth: { kind: 'page', roles: ['social-worker'] } },
      { handle: async () => noContent() },
    );
    expect(() => createHttpHandler([page], { logger })).toThrow(
      'Route GET /home is a page: pass pages: pageSessions(…) (shared/src/http/page-session.ts) to createHttpHandler',
    );
  });

  it('refuses to define a page route that names no role', () => {
    expect(() =>
      defineRoute({ method: 'GET', path: '/nobody', auth: { kind: 'page', roles: [] } }, { handle: async () => noContent() }),
    ).toThrow('Route GET /nobody admits workers but names no role');
  });

  it('answers 500 and names the missing variable in the log, and only for page routes', async () => {
    const { handler, lines } = setup({ environment: { PUBLIC_ORIGIN: ORIGIN } });
    expect((await handler(apiGatewayEvent({ path: '/v1/referrals/latest' }))).statusCode).toBe(200);
    const result = await handler(apiGatewayEvent({ path: '/home', cookies: [cookieOf(session())] }));
    expect(result.statusCode).toBe(500);
    expect(JSON.stringify(result.body)).not.toContain('SESSION_KEYS');
    const logged = JSON.stringify(lines.filter((line) => line.level === 'ERROR'));
    expect(logged).toContain('SESSION_KEYS');
  });

  it('answers 500 naming PUBLIC_ORIGIN when it is not an origin, never echoing the keys', async () => {
    const { handler, lines } = setup({
      environment: { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: 'http://127.0.0.1:3000/app' },
    });
    const result = await handler(apiGatewayEvent({ path: '/home', cookies: [cookieOf(session())] }));
    expect(result.statusCode).toBe(500);
    const logged = JSON.stringify(lines);
    expect(logged).toContain('PUBLIC_ORIGIN must be');
    expect(logged).not.toContain(Buffer.from(keys[0]!.secret).toString('base64url'));
  });

  it('reads the keys from the secret once, on the first page request, and tries again after a failure', async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:fsp-dev-session-keys-AbCdEf';
    const asked: string[] = [];
    let fail = true;
    const { handler } = setup({
      environment: { SESSION_KEYS_SECRET_ARN: arn, PUBLIC_ORIGIN: ORIGIN },
      fetchSecret: async (from) => {
        asked.push(from);
        if (fail) throw new Error('throttled');
        return serializeSessionKeys(keys);
      },
    });
    expect((await handler(apiGatewayEvent({ path: '/v1/referrals/latest' }))).statusCode).toBe(200);
    expect(asked).toEqual([]);
    expect((await handler(apiGatewayEvent({ path: '/home', cookies: [cookieOf(session())] }))).statusCode).toBe(500);
    fail = false;
    expect((await handler(apiGatewayEvent({ path: '/home', cookies: [cookieOf(session())] }))).statusCode).toBe(200);
    expect((await handler(apiGatewayEvent({ path: '/home', cookies: [cookieOf(session())] }))).statusCode).toBe(200);
    expect(asked).toEqual([arn, arn]);
  });
});

describe('page routes: the keys in the secret', () => {
  const passphrase = 'Zx8qT3vLm0Pw7RkA2sDf9GhJ4kLzXc1VbN6mQwErTyUiOpAsDfGhJkLzXcVbNm12';

  it('derives one key from the passphrase CloudFormation generates, the same in every container', () => {
    const [key] = keysFromSecret(JSON.stringify({ id: 1, passphrase }));
    expect(key?.id).toBe(1);
    expect(key?.secret).toHaveLength(32);
    const [again] = keysFromSecret(JSON.stringify({ id: 1, passphrase }));
    const sealed = sealSession(session(), [key!], signInAt);
    expect(openSession(sealed, [again!], after(minutes(1))).ok).toBe(true);
    // Another passphrase, or the same one under another id, is another key.
    const [other] = keysFromSecret(JSON.stringify({ id: 1, passphrase: `${passphrase}x` }));
    expect(openSession(sealed, [other!], after(minutes(1)))).toEqual({ ok: false, reason: 'tampered' });
    expect(Buffer.from(keysFromSecret(JSON.stringify({ id: 2, passphrase }))[0]!.secret).equals(Buffer.from(key!.secret))).toBe(false);
  });

  it('reads the stored form too, which an operator writes to rotate: keys newest first', () => {
    const rotated = [generateSessionKey(2), keys[0]!];
    expect(keysFromSecret(serializeSessionKeys(rotated)).map((key) => key.id)).toEqual([2, 1]);
  });

  it.each([
    ['not JSON', 'hunter2', 'is not JSON'],
    ['a short passphrase', JSON.stringify({ id: 1, passphrase: 'short' }), 'passphrase'],
    ['no id', JSON.stringify({ passphrase }), 'id'],
    ['a bad stored key', JSON.stringify({ keys: [{ id: 1, secret: 'c2hvcnQ' }] }), 'SESSION_KEYS_SECRET_ARN'],
  ])('refuses %s, naming the variable and never the value', (_, text, named) => {
    let thrown: unknown;
    try {
      keysFromSecret(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    const message = (thrown as Error).message;
    expect(message).toContain('SESSION_KEYS_SECRET_ARN');
    expect(message).toContain(named);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain(passphrase.slice(0, 10));
    expect(message).not.toContain('c2hvcnQ');
  });
});

describe('page routes: errors are GOV.UK pages, never JSON', () => {
  const renderer = createPageRenderer(PRECOMPILED_TEMPLATES, { stage: 'local' });
  const environment = { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: ORIGIN };

  function errorSetup(options: { errorPages?: boolean } = {}) {
    const { logger, lines } = capturingLogger();
    const pages = pageSessions({
      environment,
      now: () => after(minutes(1)),
      ...(options.errorPages === false ? {} : { errorPages: renderer }),
    });
    const routes = [
      ...sampleRoutes().routes,
      defineRoute(
        { method: 'GET', path: '/pages/{kind}', auth: { kind: 'page', roles: ['social-worker'] } },
        {
          query: z.object({ page: z.optional(z.string().check(z.regex(/^\d+$/))) }),
          handle: async (request) => {
            if (request.params.kind === 'missing') throw new NotFound('There is no referral ref-9.');
            if (request.params.kind === 'broken') throw new Error('connect ECONNREFUSED 10.0.3.7:8000 for Ava Smith');
            return noContent();
          },
        },
      ),
      defineRoute(
        { method: 'POST', path: '/pages/{kind}', auth: { kind: 'page', roles: ['social-worker'] } },
        { handle: async () => noContent() },
      ),
      defineRoute(
        { method: 'GET', path: '/signed-in-elsewhere', auth: { kind: 'public' } },
        {
          errorsAsPages: true,
          handle: async () => {
            throw new Forbidden('This form was not sent from this site.');
          },
        },
      ),
    ];
    return { handler: createHttpHandler(routes, { logger, pages }), lines, pages };
  }
  const signedIn = (path: string, extra: Partial<Parameters<typeof apiGatewayEvent>[0]> = {}) =>
    apiGatewayEvent({ path, cookies: [cookieOf(session())], ...extra });

  it('shows "Page not found" for a 404 a page throws, in the worker’s layout with their navigation', async () => {
    const { handler, lines } = errorSetup();
    const result = await handler(signedIn('/pages/missing'));
    expect(result.statusCode).toBe(404);
    const page = pageOf(result);
    expect(page.heading).toBe('Page not found');
    expect(page.text).toContain('If you typed the web address, check it is correct.');
    expect(page.text).toContain('Signed in as Sam Patel');
    expect(result.headers?.['content-security-policy']).toBe(renderer.contentSecurityPolicy);
    expect(result.headers?.['x-correlation-id']).toBeDefined();
    expect(lines.some((line) => line.message === 'Request rejected' && line.status === 404)).toBe(true);
  });

  it('shows "There is a problem with the page address" for a query the page cannot use', async () => {
    const { handler } = errorSetup();
    const result = await handler(signedIn('/pages/list?page=two'));
    expect(result.statusCode).toBe(400);
    expect(pageOf(result).heading).toBe('There is a problem with the page address');
  });

  it('shows "Sorry, there is a problem with the service" for an unexpected error, saying nothing of it, and logs it as an error', async () => {
    const { handler, lines } = errorSetup();
    const result = await handler(signedIn('/pages/broken'));
    expect(result.statusCode).toBe(500);
    const page = pageOf(result);
    expect(page.heading).toBe('Sorry, there is a problem with the service');
    expect(page.text).not.toContain('ECONNREFUSED');
    expect(page.text).not.toContain('Ava Smith');
    expect(lines.some((line) => line.level === 'ERROR' && line.message === 'Unhandled error')).toBe(true);
  });

  it('shows the service’s problem page when the page configuration cannot be read, with no one signed in', async () => {
    const { logger } = capturingLogger();
    const pages = pageSessions({ environment: { PUBLIC_ORIGIN: ORIGIN }, errorPages: renderer });
    const handler = createHttpHandler(sampleRoutes().routes, { logger, pages });
    const result = await handler(signedIn('/home'));
    expect(result.statusCode).toBe(500);
    expect(pageOf(result).heading).toBe('Sorry, there is a problem with the service');
    expect(result.body).not.toContain('moj-identity-bar');
  });

  it('shows "Page not found" for a method a page path does not take, keeping Allow', async () => {
    const { handler } = errorSetup();
    const result = await handler(signedIn('/pages/list', { method: 'PUT' }));
    expect(result.statusCode).toBe(405);
    expect(result.headers?.allow).toBe('GET, POST');
    expect(pageOf(result).heading).toBe('Page not found');
  });

  it('answers a browser page for an address no route has, and a program a problem document', async () => {
    const { handler } = errorSetup();
    const browser = await handler(apiGatewayEvent({ path: '/nowhere', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } }));
    expect(browser.statusCode).toBe(404);
    expect(pageOf(browser).heading).toBe('Page not found');
    const program = await handler(apiGatewayEvent({ path: '/nowhere', headers: { accept: 'application/json' } }));
    expect(program.statusCode).toBe(404);
    expect(program.headers?.['content-type']).toBe('application/problem+json');
    const badPath = await handler(apiGatewayEvent({ path: '/pages/%E0%A4%A', headers: { accept: 'text/html' } }));
    expect(badPath.statusCode).toBe(400);
    expect(pageOf(badPath).heading).toBe('There is a problem with the page address');
  });

  it('keeps JSON routes’ answers problem documents, browser or not', async () => {
    const { handler } = errorSetup();
    const result = await handler(apiGatewayEvent({ path: '/boom/conflict', headers: { accept: 'text/html' } }));
    expect(result.statusCode).toBe(409);
    expect(problemOf(result).detail).toBe('The referral was changed by someone else; reload it.');
  });

  it('shows pages for a public route that asks for them, with no one signed in', async () => {
    const { handler } = errorSetup();
    const result = await handler(apiGatewayEvent({ path: '/signed-in-elsewhere' }));
    expect(result.statusCode).toBe(403);
    expect(pageOf(result)).toMatchObject({
      heading: 'You do not have permission to see this page',
      text: expect.stringContaining('This form was not sent from this site.'),
    });
    expect(result.body).not.toContain('moj-identity-bar');
  });

  it('refuses, at module load, a route that answers errors as pages in a handler without page support', () => {
    const { logger } = capturingLogger();
    const route = defineRoute(
      { method: 'GET', path: '/signin', auth: { kind: 'public' } },
      { errorsAsPages: true, handle: async () => noContent() },
    );
    expect(() => createHttpHandler([route], { logger })).toThrow(
      'Route GET /signin answers errors as pages: pass errorPages: publicErrorPages(…) (shared/src/http/error-pages.ts), or pages: pageSessions(…)',
    );
  });

  it('without a renderer, still shows a page: the same words, bare', async () => {
    const { handler } = errorSetup({ errorPages: false });
    const result = await handler(signedIn('/home', { cookies: [cookieOf(session(['front-door']))] }));
    expect(result.statusCode).toBe(403);
    expect(pageOf(result).heading).toBe('You do not have permission to see this page');
  });
});

describe('page support for the public routes of a page function (sign-in, sign-out)', () => {
  const environment = { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: ORIGIN };
  const pages = pageSessions({ environment, now: () => after(minutes(1)) });

  it('gives the keys and the public origin', async () => {
    expect(await pages.config()).toEqual({ keys, publicOrigin: ORIGIN });
  });

  it('opens the session a cookie holds, and nothing for none, a tampered one or an idle one', async () => {
    const s = session();
    expect(await pages.currentSession(apiGatewayEvent({ path: '/signout', cookies: [cookieOf(s)] }))).toEqual({
      ...s,
      lastSeenAt: signInAt.getTime(),
    });
    expect(await pages.currentSession(apiGatewayEvent({ path: '/signout' }))).toBeUndefined();
    expect(
      await pages.currentSession(apiGatewayEvent({ path: '/signout', cookies: [`${SESSION_COOKIE}=AAAA${'A'.repeat(60)}`] })),
    ).toBeUndefined();
    const idle = pageSessions({ environment, now: () => after(minutes(31)) });
    expect(await idle.currentSession(apiGatewayEvent({ path: '/signout', cookies: [cookieOf(s)] }))).toBeUndefined();
  });

  it('checks a posted form: Origin always, the CSRF token when there is a session', async () => {
    const s = session();
    const form = (fields: Record<string, string>, origin = ORIGIN) =>
      apiGatewayEvent({
        method: 'POST',
        path: '/signout',
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    await expect(pages.checkForm(form({ [CSRF_FORM_FIELD]: csrfTokenFor(s) }), s)).resolves.toBeUndefined();
    await expect(pages.checkForm(form({}), undefined)).resolves.toBeUndefined();
    await expect(pages.checkForm(form({ [CSRF_FORM_FIELD]: 'forged' }), s)).rejects.toThrow('This form has expired');
    await expect(pages.checkForm(form({ [CSRF_FORM_FIELD]: csrfTokenFor(s) }, 'https://evil.example'), s)).rejects.toThrow(
      'This form was not sent from this site',
    );
    await expect(pages.checkForm(form({}, 'https://evil.example'), undefined)).rejects.toThrow('This form was not sent from this site');
  });
});
