import { createPublicKey, verify } from 'node:crypto';
import { authorizationUrl, createPkcePair, createSignInState, isExpectedState, pkceChallengeOf } from '@fsp/shared/http/session';
import { createLocalIssuer, isTokenError, type LocalIssuer } from '../../../src/oidc/issuer';
import { decodePayload, startServer, type TestServer } from '../gateway/support';

const FORM = 'application/x-www-form-urlencoded';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** The sign-in form's action, as a browser would read it from the page. */
function formActionOf(html: string): string {
  const match = /<form method="post" action="([^"]+)" novalidate>/.exec(html);
  if (match === null) throw new Error('the page has no sign-in form');
  return match[1]!
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

describe('local OIDC issuer: authorization code with PKCE for the worker web app', () => {
  let server: TestServer;
  let issuer: LocalIssuer;
  let now: Date;
  let callback: string;
  let otherCallback: string;
  let signedOut: string;
  let password: string;

  beforeEach(async () => {
    server = await startServer();
    now = new Date('2026-11-23T09:00:00Z');
    callback = `${server.url}/signin/callback`;
    otherCallback = `${server.url}/admin/signin/callback`;
    signedOut = `${server.url}/signed-out`;
    issuer = createLocalIssuer({
      issuerUrl: server.url,
      clock: () => now,
      webRedirectUris: [callback, otherCallback],
      webLogoutUris: [signedOut],
    });
    server.use(issuer.handle);
    ({ password } = issuer.registerWorker({
      username: 'sam.social',
      name: 'Sam Okafor',
      email: 'sam@example.gov.uk',
      roles: ['social-worker', 'team-manager'],
      teamId: 'team-north',
    }));
  });
  afterEach(() => server.close());

  const pkce = { verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' };

  /** A correct authorization request (RFC 7636's example pair); `overrides` replace or, when undefined, remove a parameter. */
  function authorizeQuery(overrides: Record<string, string | undefined> = {}): string {
    const fields: Record<string, string | undefined> = {
      response_type: 'code',
      client_id: issuer.webClientId,
      redirect_uri: callback,
      scope: 'openid profile email',
      state: 'state-123',
      nonce: 'nonce-456',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      ...overrides,
    };
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) params.set(name, value);
    return params.toString();
  }

  const get = (path: string) => fetch(`${server.url}${path}`, { redirect: 'manual' });
  const post = (path: string, body: string) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': FORM }, body, redirect: 'manual' });
  const exchange = (fields: Record<string, string>) => post('/oauth2/token', form(fields));

  /** As Cognito's hosted UI: the authorize endpoint sends the browser on to its sign-in page, `/login`, with the same request. */
  async function loginPage(query = authorizeQuery()): Promise<Response> {
    const authorize = await get(`/oauth2/authorize?${query}`);
    expect(authorize.status).toBe(303);
    expect(authorize.headers.get('location')).toBe(`/login?${query}`);
    return get(authorize.headers.get('location')!);
  }

  /** Opens the sign-in page, posts the form it shows, and answers the URL the browser is sent on to. */
  async function signIn(query = authorizeQuery(), credentials = { username: 'sam.social', password }): Promise<URL> {
    const page = await loginPage(query);
    expect(page.status).toBe(200);
    const answer = await post(formActionOf(await page.text()), form(credentials));
    expect(answer.status).toBe(303);
    return new URL(answer.headers.get('location')!);
  }

  async function codeFor(query = authorizeQuery()): Promise<string> {
    const returned = await signIn(query);
    return returned.searchParams.get('code')!;
  }

  const goodExchange = (code: string, overrides: Record<string, string> = {}) =>
    exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: callback,
      client_id: issuer.webClientId,
      code_verifier: pkce.verifier,
      ...overrides,
    });

  async function expectOAuthError(res: Response, status: number, error: string): Promise<string> {
    expect(res.status).toBe(status);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe(error);
    return body.error_description;
  }

  it('signs a worker in end to end: the sign-in page, the code, and tokens for the right verifier', async () => {
    // The web app's side, from shared/src/http/session.ts, as notifications' /signin uses it.
    const signInState = createSignInState('/cases/42', now);
    const start = new URL(
      authorizationUrl(
        { authorizeEndpoint: issuer.discovery().authorization_endpoint as string, clientId: issuer.webClientId, redirectUri: callback },
        signInState,
      ),
    );
    expect(start.origin).toBe(server.url);

    expect(start.pathname).toBe('/oauth2/authorize');
    const page = await loginPage(start.search.slice(1));
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('set-cookie')).toBeNull();
    const html = await page.text();
    expect(html).toContain('<html lang="en-GB">');
    expect(html).toContain('<label for="username">Username</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('autocomplete="current-password"');
    // The demo accounts, with their passwords: they exist only in this local cloud.
    expect(html).toContain('sam.social');
    expect(html).toContain(password);
    expect(html).toContain('social-worker, team-manager');
    expect(html).not.toContain('<script');
    expect(formActionOf(html)).toBe(`/login${start.search}`);

    const answer = await post(formActionOf(html), form({ username: 'sam.social', password }));
    expect(answer.status).toBe(303);
    expect(answer.headers.get('set-cookie')).toBeNull();
    const returned = new URL(answer.headers.get('location')!);
    expect(`${returned.origin}${returned.pathname}`).toBe(callback);
    expect(isExpectedState(signInState, returned.searchParams.get('state'))).toBe(true);
    const code = returned.searchParams.get('code')!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const res = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: callback,
      client_id: issuer.webClientId,
      code_verifier: signInState.verifier,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const tokens = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(tokens).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'token_type']);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });

    const sub = issuer.directoryEntries().find((entry) => entry.username === 'sam.social')!.sub;
    const idToken = tokens.id_token as string;
    const iat = now.getTime() / 1000;
    expect(decodePayload(idToken)).toMatchObject({
      iss: server.url,
      aud: issuer.webClientId,
      sub,
      token_use: 'id',
      'cognito:username': 'sam.social',
      'cognito:groups': ['social-worker', 'team-manager'],
      'custom:team': 'team-north',
      name: 'Sam Okafor',
      email: 'sam@example.gov.uk',
      nonce: signInState.nonce,
      auth_time: iat,
      iat,
      exp: iat + 3600,
    });
    // The ID token is signed by the key the JWKS publishes, so the web app can verify it as it would Cognito's.
    const { keys } = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: Record<string, string>[] };
    const [header, payload, signature] = idToken.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString()).kid).toBe(keys[0]!.kid);
    const publicKey = createPublicKey({ key: keys[0] as never, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    // It is not a bearer token: the gateway's check wants an access token.
    expect(issuer.verifyAccessToken(idToken)).toEqual({ error: 'malformed' });

    const access = tokens.access_token as string;
    expect(issuer.verifyAccessToken(access)).toMatchObject({ kind: 'worker', clientId: issuer.webClientId, subject: sub });
    expect(decodePayload(access)).toMatchObject({
      client_id: issuer.webClientId,
      token_use: 'access',
      username: 'sam.social',
      scope: 'openid profile email',
      'cognito:groups': ['social-worker', 'team-manager'],
      'custom:team': 'team-north',
      name: 'Sam Okafor',
      email: 'sam@example.gov.uk',
    });
  });

  it('computes S256 as RFC 7636 does (its appendix B pair) and as the shared helper does', async () => {
    expect(pkceChallengeOf(pkce.verifier)).toBe(pkce.challenge);
    const generated = createPkcePair();
    const code = await codeFor(authorizeQuery({ code_challenge: generated.challenge }));
    expect((await goodExchange(code, { code_verifier: generated.verifier })).status).toBe(200);
    expect((await goodExchange(await codeFor())).status).toBe(200);
  });

  it('returns to the redirect URI with the code and the state, leaving out a state that was not sent', async () => {
    const returned = await signIn(authorizeQuery({ state: undefined, nonce: undefined }));
    expect([...returned.searchParams.keys()]).toEqual(['code']);
    const res = await goodExchange(returned.searchParams.get('code')!);
    expect(decodePayload(((await res.json()) as { id_token: string }).id_token)).not.toHaveProperty('nonce');
  });

  it('refuses a wrong verifier, and the code is spent by the attempt', async () => {
    const code = await codeFor();
    const wrong = createPkcePair().verifier;
    expect(await expectOAuthError(await goodExchange(code, { code_verifier: wrong }), 400, 'invalid_grant')).toMatch(/code_verifier/);
    await expectOAuthError(await goodExchange(code), 400, 'invalid_grant');
  });

  it('refuses a code used twice', async () => {
    const code = await codeFor();
    expect((await goodExchange(code)).status).toBe(200);
    await expectOAuthError(await goodExchange(code), 400, 'invalid_grant');
  });

  it('honours a code for five minutes and no longer', async () => {
    const issuedAt = now.getTime();
    const fresh = await codeFor();
    const stale = await codeFor();
    now = new Date(issuedAt + 5 * 60 * 1000 - 1);
    expect((await goodExchange(fresh)).status).toBe(200);
    now = new Date(issuedAt + 5 * 60 * 1000);
    expect(await expectOAuthError(await goodExchange(stale), 400, 'invalid_grant')).toBe('the code has expired');
  });

  it('refuses a code exchanged with another redirect URI, even one registered for the client', async () => {
    for (const redirectUri of [otherCallback, `${callback}?x=1`, 'https://evil.example/signin/callback']) {
      const code = await codeFor();
      const description = await expectOAuthError(await goodExchange(code, { redirect_uri: redirectUri }), 400, 'invalid_grant');
      expect(description).toMatch(/redirect_uri/);
    }
    // A code issued for the other registered URI works with that one.
    const code = await codeFor(authorizeQuery({ redirect_uri: otherCallback }));
    expect((await goodExchange(code, { redirect_uri: otherCallback })).status).toBe(200);
  });

  it.each([
    ['an unknown client', { client_id: 'nobody' }],
    ['no client', { client_id: undefined }],
    ['a redirect URI that is not registered', { redirect_uri: 'https://evil.example/signin/callback' }],
    ['a registered redirect URI with something added', { redirect_uri: 'CALLBACK/more' }],
    ['a registered redirect URI with a query added', { redirect_uri: 'CALLBACK?next=https://evil.example' }],
    ['a protocol-relative redirect URI', { redirect_uri: '//evil.example/signin/callback' }],
    ['no redirect URI', { redirect_uri: undefined }],
  ])('shows an error, and redirects nowhere, for %s: before the form and after it', async (_, overrides) => {
    const resolved = Object.fromEntries(Object.entries(overrides).map(([name, value]) => [name, value?.replace('CALLBACK', callback)]));
    const query = authorizeQuery(resolved);
    for (const path of ['/oauth2/authorize', '/login']) {
      const page = await get(`${path}?${query}`);
      expect(page.status).toBe(400);
      expect(page.headers.get('location')).toBeNull();
      const html = await page.text();
      expect(html).toContain('There is a problem with this sign-in link');
      expect(html).not.toContain('<label for="password">');
    }
    // Posting the right password straight to the sign-in page gives no code either.
    const posted = await post(`/login?${query}`, form({ username: 'sam.social', password }));
    expect(posted.status).toBe(400);
    expect(posted.headers.get('location')).toBeNull();
  });

  it("refuses a partner agency's client, which cannot sign people in", async () => {
    const partner = issuer.registerClient({ name: 'Riverside Primary', scopes: ['referrals/read'] });
    const page = await get(`/oauth2/authorize?${authorizeQuery({ client_id: partner.clientId })}`);
    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();
  });

  it('refuses every redirect URI when none is registered: the local cloud as it is wired today', async () => {
    const bare = createLocalIssuer({ issuerUrl: server.url, clock: () => now });
    expect(bare.webRedirectUris).toEqual([]);
    const other = await startServer();
    try {
      other.use(bare.handle);
      const res = await fetch(`${other.url}/oauth2/authorize?${authorizeQuery({ client_id: bare.webClientId })}`, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    } finally {
      await other.close();
    }
  });

  it.each([
    ['plain PKCE', { code_challenge_method: 'plain', code_challenge: pkce.verifier }, 'invalid_request', /S256/],
    ['no challenge method (RFC 7636 would take plain)', { code_challenge_method: undefined }, 'invalid_request', /S256/],
    ['no challenge', { code_challenge: undefined }, 'invalid_request', /code_challenge/],
    ['a challenge that is not S256', { code_challenge: 'short' }, 'invalid_request', /code_challenge/],
    ['the implicit flow', { response_type: 'token' }, 'unsupported_response_type', /code/],
    ['no response type', { response_type: undefined }, 'invalid_request', /response_type/],
    ['a scope the web client lacks', { scope: 'openid referrals/read' }, 'invalid_scope', /referrals\/read/],
    ['no openid scope', { scope: 'profile email' }, 'invalid_scope', /openid/],
  ])('sends %s back to the redirect URI as an RFC 6749 error, with the state', async (_, overrides, error, description) => {
    const res = await get(`/oauth2/authorize?${authorizeQuery(overrides)}`);
    expect(res.status).toBe(303);
    const returned = new URL(res.headers.get('location')!);
    expect(`${returned.origin}${returned.pathname}`).toBe(callback);
    expect(returned.searchParams.get('error')).toBe(error);
    expect(returned.searchParams.get('error_description')).toMatch(description);
    expect(returned.searchParams.get('state')).toBe('state-123');
    expect(returned.searchParams.get('code')).toBeNull();
  });

  it('refuses a repeated parameter', async () => {
    const res = await get(`/oauth2/authorize?${authorizeQuery()}&scope=openid`);
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
    const twoClients = await get(`/oauth2/authorize?${authorizeQuery()}&client_id=${issuer.webClientId}`);
    expect(twoClients.status).toBe(400);
  });

  it('shows the error summary for a wrong password, keeps the request, and gives a code once the password is right', async () => {
    const page = await loginPage();
    const action = formActionOf(await page.text());
    const wrong = await post(action, form({ username: 'sam.social', password: 'wrong' }));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('location')).toBeNull();
    const html = await wrong.text();
    expect(html).toContain('<a href="#password">The username or password is not right</a>');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('<title>Error: Sign in');
    expect(html).toContain('value="sam.social"');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const empty = await post(formActionOf(html), form({ username: '', password: '' }));
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('<a href="#username">Enter your username</a>');

    const right = await post(formActionOf(html), form({ username: 'sam.social', password }));
    expect(right.status).toBe(303);
    expect(new URL(right.headers.get('location')!).searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['a client secret (the web client is public)', { client_secret: 'x' }, 401, 'invalid_client'],
    ['an unknown client', { client_id: 'nobody' }, 401, 'invalid_client'],
    ['no client', { client_id: '' }, 401, 'invalid_client'],
    ['no code_verifier', { code_verifier: '' }, 400, 'invalid_request'],
    ['a code_verifier RFC 7636 does not allow', { code_verifier: 'too-short' }, 400, 'invalid_request'],
    ['no redirect_uri', { redirect_uri: '' }, 400, 'invalid_request'],
    ['an unknown code', { code: 'not-a-code' }, 400, 'invalid_grant'],
  ])('answers a code exchange with %s as RFC 6749 says', async (_, overrides, status, error) => {
    const code = await codeFor();
    const fields: Record<string, string> = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: callback,
      client_id: issuer.webClientId,
      code_verifier: pkce.verifier,
      ...overrides,
    };
    for (const [name, value] of Object.entries(fields)) if (value === '') delete fields[name];
    await expectOAuthError(await exchange(fields), status, error);
  });

  it("refuses a partner agency's client the authorization_code grant, and the web client Basic credentials", async () => {
    const partner = issuer.registerClient({ name: 'Riverside Primary', scopes: ['referrals/read'] });
    const code = await codeFor();
    await expectOAuthError(await goodExchange(code, { client_id: partner.clientId }), 400, 'unauthorized_client');
    const basic = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': FORM, authorization: `Basic ${Buffer.from(`${issuer.webClientId}:`).toString('base64')}` },
      body: form({ grant_type: 'authorization_code', code: await codeFor(), redirect_uri: callback, code_verifier: pkce.verifier }),
    });
    await expectOAuthError(basic, 401, 'invalid_client');
  });

  it('advertises the flow in its discovery document', () => {
    expect(issuer.discovery()).toMatchObject({
      authorization_endpoint: `${server.url}/oauth2/authorize`,
      end_session_endpoint: `${server.url}/logout`,
      grant_types_supported: ['client_credentials', 'authorization_code'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(issuer.discovery().response_types_supported).toContain('code');
  });

  it('takes the form at /login only: the authorize endpoint takes no post, and /signin and /signout are the app’s', async () => {
    const posted = await post(`/oauth2/authorize?${authorizeQuery()}`, form({ username: 'sam.social', password }));
    expect(posted.status).toBe(405);
    for (const path of ['/signin', '/signout']) {
      expect((await get(path)).status).toBe(404);
      expect((await post(path, form({ username: 'sam.social', password }))).status).toBe(404);
    }
    expect(isTokenError(issuer.verifyAccessToken(issuer.issueWorkerToken('sam.social').access_token))).toBe(false);
    expect(decodePayload(issuer.issueWorkerToken('sam.social').access_token).scope).toBe('openid profile email');
  });

  it('logs out as Cognito does: to the logout_uri when it is one of the web client’s sign-out URLs', async () => {
    const query = new URLSearchParams({ client_id: issuer.webClientId, logout_uri: signedOut });
    const res = await get(`/logout?${query}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(signedOut);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it.each([
    ['an unregistered logout_uri', { logout_uri: 'https://evil.example/signed-out' }],
    ['a registered one with a query added', { logout_uri: 'SIGNED_OUT?next=https://evil.example' }],
    ['no logout_uri', { logout_uri: undefined }],
    ['another client', { client_id: 'nobody' }],
    ['no client', { client_id: undefined }],
  ])('shows an error, and redirects nowhere, for a logout with %s', async (_, overrides) => {
    const fields: Record<string, string | undefined> = { client_id: issuer.webClientId, logout_uri: signedOut, ...overrides };
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) query.set(name, value.replace('SIGNED_OUT', signedOut));
    const res = await get(`/logout?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('There is a problem with this sign-out link');
  });

  it.each([
    ['plain http off the loopback', 'http://fsp.example/signin/callback', /https/],
    ['not an absolute URL', '/signin/callback', /absolute/],
    ['a fragment', 'https://fsp.example/signin/callback#x', /fragment/],
  ])('refuses to register a redirect URI or a sign-out URI that is %s', (_, uri, message) => {
    expect(() => createLocalIssuer({ issuerUrl: server.url, webRedirectUris: [uri] })).toThrow(message);
    expect(() => createLocalIssuer({ issuerUrl: server.url, webLogoutUris: [uri] })).toThrow(message);
  });
});
