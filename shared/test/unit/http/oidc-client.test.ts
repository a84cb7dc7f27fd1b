import { createHmac, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { ConfigurationError } from '@fsp/shared/environment';
import {
  checkIdToken,
  createJwksCache,
  decodeIdToken,
  exchangeCode,
  type Fetch,
  JWKS_REFETCH_INTERVAL_MS,
  loadOidcConfig,
  type OidcConfig,
  oidcClient,
  signInUrl,
  signOutUrl,
} from '@fsp/shared/http/oidc-client';
import { createSignInState, pkceChallengeOf } from '@fsp/shared/http/session';
import fc from 'fast-check';

const ISSUER = 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_example';
const CLIENT_ID = '1example23456789abcdefghij';
const config: OidcConfig = {
  issuer: ISSUER,
  domain: 'https://fsp-dev.auth.eu-west-2.amazoncognito.com',
  clientId: CLIENT_ID,
  publicOrigin: 'https://fsp.council.example',
};
const environment = {
  OIDC_ISSUER: ISSUER,
  OIDC_DOMAIN: config.domain,
  WEB_CLIENT_ID: CLIENT_ID,
  PUBLIC_ORIGIN: config.publicOrigin,
};

const now = new Date('2026-12-02T09:00:00Z');
const nowSeconds = Math.floor(now.getTime() / 1000);
const NONCE = 'n-0S6_WzA2Mj-nonce-of-this-sign-in';

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'key-1';

const segment = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

function token(
  claims: Record<string, unknown> = {},
  options: { header?: Record<string, unknown>; key?: KeyObject; drop?: string[] } = {},
): string {
  const payload: Record<string, unknown> = {
    sub: '5f0c2a8e-3b7d-4f61-9a2e-8c1d4b6e7f90',
    aud: CLIENT_ID,
    iss: ISSUER,
    token_use: 'id',
    auth_time: nowSeconds - 5,
    iat: nowSeconds - 5,
    exp: nowSeconds + 3600,
    'cognito:username': 'priya.shah',
    'cognito:groups': ['front-door', 'fsp-admins-legacy'],
    'custom:team': 'front-door',
    name: 'Priya Shah',
    email: 'priya.shah@council.example',
    email_verified: true,
    nonce: NONCE,
    ...claims,
  };
  for (const name of options.drop ?? []) delete payload[name];
  const input = `${segment({ kid: KID, alg: 'RS256', typ: 'JWT', ...options.header })}.${segment(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input, 'ascii'), options.key ?? signingKey.privateKey).toString('base64url')}`;
}

const expected = { issuer: ISSUER, clientId: CLIENT_ID, nonce: NONCE, now };
const checkWith = (value: string, key: KeyObject | undefined) => {
  const decoded = decodeIdToken(value);
  return decoded === undefined ? { ok: false as const, reason: 'malformed' as const } : checkIdToken(decoded, key, expected);
};
const check = (value: string) => checkWith(value, signingKey.publicKey);
const jwksOf = (...keys: [string, KeyObject][]) => ({
  keys: keys.map(([kid, key]) => ({ ...key.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' })),
});

describe('the OIDC configuration', () => {
  it('reads the issuer, the hosted UI domain, the web client and the public origin, without trailing slashes', () => {
    expect(loadOidcConfig({ ...environment, OIDC_DOMAIN: `${config.domain}/`, OIDC_ISSUER: `${ISSUER}/` })).toEqual(config);
    expect(loadOidcConfig({ ...environment, OIDC_ISSUER: 'http://127.0.0.1:3000', OIDC_DOMAIN: 'http://127.0.0.1:3000' }).domain).toBe(
      'http://127.0.0.1:3000',
    );
  });

  it('names every variable that is missing or wrong, never a value', () => {
    let thrown: unknown;
    try {
      loadOidcConfig({ OIDC_ISSUER: 'http://idp.example.org', PUBLIC_ORIGIN: 'https://fsp.council.example/app' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    const message = (thrown as Error).message;
    for (const name of ['OIDC_ISSUER', 'OIDC_DOMAIN', 'WEB_CLIENT_ID', 'PUBLIC_ORIGIN']) expect(message).toContain(`${name} must be`);
    expect(message).not.toContain('idp.example.org');
  });

  it('is read on first use, not when the client is made', () => {
    const client = oidcClient({ environment: {} });
    expect(() => client.config()).toThrow('OIDC_ISSUER must be');
  });
});

describe('where the browser is sent', () => {
  it('signs in at the hosted UI’s authorize endpoint: code, S256 PKCE, state, nonce, back to /signin/callback', () => {
    const signIn = createSignInState('/inbox', now);
    const url = new URL(signInUrl(config, signIn));
    expect(`${url.origin}${url.pathname}`).toBe(`${config.domain}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: 'https://fsp.council.example/signin/callback',
      scope: 'openid profile email',
      state: signIn.state,
      nonce: signIn.nonce,
      code_challenge: pkceChallengeOf(signIn.verifier),
      code_challenge_method: 'S256',
    });
  });

  it('signs out at the hosted UI’s logout, which returns to the signed-out page', () => {
    const url = new URL(signOutUrl(config));
    expect(`${url.origin}${url.pathname}`).toBe(`${config.domain}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: CLIENT_ID, logout_uri: 'https://fsp.council.example/signed-out' });
  });
});

describe('the ID token', () => {
  it('gives the worker: sub, username, name, email, the groups that are roles, the team', () => {
    expect(check(token())).toEqual({
      ok: true,
      worker: {
        userId: '5f0c2a8e-3b7d-4f61-9a2e-8c1d4b6e7f90',
        username: 'priya.shah',
        name: 'Priya Shah',
        email: 'priya.shah@council.example',
        roles: ['front-door'],
        teamId: 'front-door',
      },
    });
    const bare = check(token({}, { drop: ['name', 'email', 'cognito:groups'] }));
    expect(bare).toMatchObject({ ok: true, worker: { name: 'priya.shah', roles: [] } });
    expect(bare.ok && 'email' in bare.worker).toBe(false);
  });

  it.each([
    ['another issuer', token({ iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_other' }), 'issuer'],
    ['another client', token({ aud: 'partner-client' }), 'audience'],
    ['an audience list', token({ aud: [CLIENT_ID] }), 'audience'],
    ['an access token', token({ token_use: 'access' }), 'token-use'],
    ['expired at this second', token({ exp: nowSeconds }), 'expired'],
    ['no exp', token({}, { drop: ['exp'] }), 'expired'],
    ['another sign-in’s nonce', token({ nonce: 'n-another-sign-in-nonce-0000' }), 'nonce'],
    ['no nonce', token({}, { drop: ['nonce'] }), 'nonce'],
    ['no team', token({}, { drop: ['custom:team'] }), 'claims'],
    ['an email that is not one', token({ email: 'priya at council' }), 'claims'],
    ['alg none', token({}, { header: { alg: 'none' } }), 'algorithm'],
    ['alg HS256', token({}, { header: { alg: 'HS256' } }), 'algorithm'],
    ['another key’s signature', token({}, { key: otherKey.privateKey }), 'signature'],
  ])('refuses %s', (_, value, reason) => {
    expect(check(value)).toMatchObject({ ok: false, reason });
  });

  it('refuses a token signed with the public key as an HMAC secret (alg confusion)', () => {
    const input = `${segment({ kid: KID, alg: 'HS256' })}.${segment({ iss: ISSUER, aud: CLIENT_ID, token_use: 'id', nonce: NONCE })}`;
    const secret = signingKey.publicKey.export({ format: 'pem', type: 'spki' });
    const forged = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    expect(check(forged)).toMatchObject({ ok: false, reason: 'algorithm' });
  });

  it('refuses a token whose key is not in the JWKS, and what is not a token', () => {
    expect(checkWith(token(), undefined)).toMatchObject({ ok: false, reason: 'unknown-key' });
    for (const value of ['', 'a.b', 'a.b.c.d', `${token()}x`, `${token()}.`, 'e30.e30.', 'x'.repeat(20_000)]) {
      expect(check(value)).toMatchObject({ ok: false });
    }
  });

  it('refuses any token changed in any one character, signature, claims or header', () => {
    const original = token();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
    fc.assert(
      fc.property(fc.nat({ max: original.length - 1 }), fc.constantFrom(...alphabet), (at, character) => {
        fc.pre(original[at] !== character);
        const altered = `${original.slice(0, at)}${character}${original.slice(at + 1)}`;
        expect(check(altered).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses any change to the claims kept under the original signature', () => {
    const original = token();
    const [header, , signature] = original.split('.') as [string, string, string];
    fc.assert(
      fc.property(
        fc.record({
          'cognito:groups': fc.array(fc.constantFrom('front-door', 'administrator', 'team-manager', 'social-worker'), { maxLength: 3 }),
          'custom:team': fc.string({ minLength: 1, maxLength: 12 }),
          sub: fc.uuid(),
          exp: fc.integer({ min: nowSeconds + 1, max: nowSeconds + 10 * 86400 }),
        }),
        (changes) => {
          const payload = JSON.parse(Buffer.from(original.split('.')[1]!, 'base64url').toString('utf8'));
          const changed = { ...payload, ...changes };
          fc.pre(JSON.stringify(changed) !== JSON.stringify(payload));
          expect(check(`${header}.${segment(changed)}.${signature}`)).toMatchObject({ ok: false, reason: 'signature' });
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** A fetch that answers from a table of URLs, counting what was asked. */
function fakeFetch(answer: (url: string, init: RequestInit | undefined) => Response | Promise<Response>) {
  const asked: { url: string; init: RequestInit | undefined }[] = [];
  const fetchImpl: Fetch = async (input, init) => {
    const url = String(input);
    asked.push({ url, init });
    return answer(url, init);
  };
  return { fetchImpl, asked };
}

const jsonResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the JWKS, cached per container', () => {
  it('is fetched once for many tokens', async () => {
    const { fetchImpl, asked } = fakeFetch(() => jsonResponse(200, jwksOf([KID, signingKey.publicKey])));
    const cache = createJwksCache(`${ISSUER}/.well-known/jwks.json`, { fetch: fetchImpl, now: () => now });
    for (let i = 0; i < 5; i++) expect((await cache.key(KID))?.equals(signingKey.publicKey)).toBe(true);
    expect(asked.map((a) => a.url)).toEqual([`${ISSUER}/.well-known/jwks.json`]);
  });

  it('is fetched once more for an unknown kid (the pool rotated), but not again within a minute', async () => {
    let served = jwksOf([KID, signingKey.publicKey]);
    let at = now.getTime();
    const { fetchImpl, asked } = fakeFetch(() => jsonResponse(200, served));
    const cache = createJwksCache(`${ISSUER}/.well-known/jwks.json`, { fetch: fetchImpl, now: () => new Date(at) });
    await cache.key(KID);
    served = jwksOf([KID, signingKey.publicKey], ['key-2', otherKey.publicKey]);
    expect(await cache.key('key-2')).toBeUndefined();
    expect(asked).toHaveLength(1);
    at += JWKS_REFETCH_INTERVAL_MS;
    expect((await cache.key('key-2'))?.equals(otherKey.publicKey)).toBe(true);
    expect(asked).toHaveLength(2);
    expect(await cache.key('invented')).toBeUndefined();
    expect(asked).toHaveLength(2);
  });

  it('keeps no failed fetch: the next sign-in tries again', async () => {
    let fail = true;
    const { fetchImpl, asked } = fakeFetch(() => (fail ? jsonResponse(503, {}) : jsonResponse(200, jwksOf([KID, signingKey.publicKey]))));
    const cache = createJwksCache(`${ISSUER}/.well-known/jwks.json`, { fetch: fetchImpl, now: () => now });
    await expect(cache.key(KID)).rejects.toThrow('answered 503');
    fail = false;
    expect(await cache.key(KID)).toBeDefined();
    expect(asked).toHaveLength(2);
  });

  it('uses only RSA signing keys with a kid', async () => {
    const { fetchImpl } = fakeFetch(() =>
      jsonResponse(200, {
        keys: [
          { ...jwksOf([KID, signingKey.publicKey]).keys[0], use: 'enc' },
          { kty: 'EC', kid: 'ec', crv: 'P-256', x: 'x', y: 'y' },
          { ...jwksOf(['other', otherKey.publicKey]).keys[0] },
        ],
      }),
    );
    const cache = createJwksCache('https://idp.example/jwks', { fetch: fetchImpl, now: () => now });
    expect(await cache.key(KID)).toBeUndefined();
    expect(await cache.key('ec')).toBeUndefined();
    expect((await cache.key('other'))?.equals(createPublicKey(otherKey.publicKey.export({ format: 'pem', type: 'spki' })))).toBe(true);
  });
});

describe('the code exchange, as a public client', () => {
  it('posts the code, the redirect URI and the PKCE verifier with the client id and no secret', async () => {
    const { fetchImpl, asked } = fakeFetch(() => jsonResponse(200, { id_token: 'id.token.here', access_token: 'a', token_type: 'Bearer' }));
    expect(await exchangeCode(config, 'the-code', 'v'.repeat(43), fetchImpl)).toEqual({ ok: true, idToken: 'id.token.here' });
    const [{ url, init }] = asked as [{ url: string; init: RequestInit }];
    expect(url).toBe(`${config.domain}/oauth2/token`);
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(JSON.stringify(init.headers)).not.toMatch(/authorization/i);
    expect(Object.fromEntries(new URLSearchParams(String(init.body)))).toEqual({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      code: 'the-code',
      redirect_uri: 'https://fsp.council.example/signin/callback',
      code_verifier: 'v'.repeat(43),
    });
  });

  it('reports a refusal by its status and error code only', async () => {
    const { fetchImpl } = fakeFetch(() => jsonResponse(400, { error: 'invalid_grant', error_description: 'code the-code was used' }));
    expect(await exchangeCode(config, 'the-code', 'v'.repeat(43), fetchImpl)).toEqual({
      ok: false,
      reason: 'the token endpoint answered 400 invalid_grant',
    });
    const { fetchImpl: html } = fakeFetch(() => new Response('<html>oops</html>', { status: 502 }));
    expect(await exchangeCode(config, 'c', 'v'.repeat(43), html)).toEqual({ ok: false, reason: 'the token endpoint answered 502' });
    const { fetchImpl: empty } = fakeFetch(() => jsonResponse(200, { access_token: 'a' }));
    expect(await exchangeCode(config, 'c', 'v'.repeat(43), empty)).toMatchObject({ ok: false });
  });
});

describe('completing a sign-in', () => {
  function provider(idToken: string) {
    return fakeFetch((url) => {
      if (url.endsWith('/oauth2/token')) return jsonResponse(200, { id_token: idToken, access_token: 'a', token_type: 'Bearer' });
      if (url.endsWith('/.well-known/jwks.json')) return jsonResponse(200, jwksOf([KID, signingKey.publicKey]));
      return jsonResponse(404, {});
    });
  }

  it('exchanges the code and verifies the ID token against the sign-in’s nonce', async () => {
    const signIn = { ...createSignInState('/inbox', now), nonce: NONCE };
    const { fetchImpl, asked } = provider(token());
    const client = oidcClient({ environment, fetch: fetchImpl, now: () => now });
    expect(await client.completeSignIn('the-code', signIn)).toMatchObject({ ok: true, worker: { username: 'priya.shah' } });
    expect(asked.map((a) => new URL(a.url).pathname)).toEqual(['/oauth2/token', '/eu-west-2_example/.well-known/jwks.json']);
  });

  it('refuses a token minted for another sign-in, naming the stage and reason for the log', async () => {
    const signIn = createSignInState('/inbox', now);
    const client = oidcClient({ environment, fetch: provider(token()).fetchImpl, now: () => now });
    expect(await client.completeSignIn('the-code', signIn)).toEqual({ ok: false, stage: 'id-token', reason: 'nonce' });
  });
});
