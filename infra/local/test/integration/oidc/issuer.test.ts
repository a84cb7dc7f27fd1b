import { createPublicKey, verify } from 'node:crypto';
import fc from 'fast-check';
import { createLocalIssuer, isTokenError, type LocalIssuer } from '../../../src/oidc/issuer';
import { decodePayload, startServer, type TestServer } from '../gateway/support';

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = 'application/x-www-form-urlencoded';

describe('local OIDC issuer', () => {
  let server: TestServer;
  let issuer: LocalIssuer;
  let now: Date;
  let partner: { clientId: string; clientSecret: string };

  beforeEach(async () => {
    server = await startServer();
    now = new Date('2025-06-01T09:00:00Z');
    issuer = createLocalIssuer({ issuerUrl: server.url, clock: () => now });
    server.use(issuer.handle);
    partner = issuer.registerClient({ name: 'Riverside Primary', scopes: ['referrals/submit', 'referrals/read'], agencyId: 'agency-1' });
  });
  afterEach(() => server.close());

  const token = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': FORM, ...headers }, body });

  it('publishes discovery and a JWKS whose key verifies issued tokens', async () => {
    const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(discovery.issuer).toBe(server.url);
    expect(discovery.token_endpoint).toBe(`${server.url}/oauth2/token`);
    const jwks = (await (await fetch(discovery.jwks_uri!)).json()) as { keys: { kid: string; alg: string; kty: string }[] };
    expect(jwks.keys).toHaveLength(1);
    const [key] = jwks.keys;
    expect(key).toMatchObject({ alg: 'RS256', kty: 'RSA', use: 'sig' });

    const { access_token } = issuer.issueClientToken(partner.clientId);
    const [header, payload, signature] = access_token.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256', kid: key!.kid, typ: 'JWT' });
    const publicKey = createPublicKey({ key: key as never, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
  });

  it('issues a client-credentials token with HTTP Basic, carrying Cognito-style claims', async () => {
    const res = await token(form({ grant_type: 'client_credentials' }), { authorization: basic(partner.clientId, partner.clientSecret) });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(3600);
    const claims = decodePayload(body.access_token);
    expect(claims).toMatchObject({
      iss: server.url,
      sub: partner.clientId,
      client_id: partner.clientId,
      token_use: 'access',
      scope: 'referrals/submit referrals/read',
      'custom:agency': 'agency-1',
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 3600,
    });
    expect(typeof claims.jti).toBe('string');
    const verified = issuer.verifyAccessToken(body.access_token);
    expect(verified).toMatchObject({ kind: 'partner', clientId: partner.clientId, scopes: ['referrals/submit', 'referrals/read'] });
  });

  it('accepts form-field credentials and narrows scope on request', async () => {
    const res = await token(
      form({ grant_type: 'client_credentials', client_id: partner.clientId, client_secret: partner.clientSecret, scope: 'referrals/read' }),
    );
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    expect(decodePayload(access_token).scope).toBe('referrals/read');
  });

  it.each([
    [
      'a wrong secret',
      () => form({ grant_type: 'client_credentials' }),
      () => ({ authorization: basic(partner.clientId, 'nope') }),
      401,
      'invalid_client',
    ],
    ['no credentials', () => form({ grant_type: 'client_credentials' }), () => ({}), 401, 'invalid_client'],
    [
      'an unknown client',
      () => form({ grant_type: 'client_credentials', client_id: 'who', client_secret: 'x' }),
      () => ({}),
      401,
      'invalid_client',
    ],
    [
      'another grant type',
      () => form({ grant_type: 'password' }),
      () => ({ authorization: basic(partner.clientId, partner.clientSecret) }),
      400,
      'unsupported_grant_type',
    ],
    ['no grant type', () => form({}), () => ({ authorization: basic(partner.clientId, partner.clientSecret) }), 400, 'invalid_request'],
    [
      'a scope the client lacks',
      () => form({ grant_type: 'client_credentials', scope: 'referrals/read cases/admin' }),
      () => ({ authorization: basic(partner.clientId, partner.clientSecret) }),
      400,
      'invalid_scope',
    ],
    [
      'two authentication methods',
      () => form({ grant_type: 'client_credentials', client_secret: partner.clientSecret }),
      () => ({ authorization: basic(partner.clientId, partner.clientSecret) }),
      400,
      'invalid_request',
    ],
  ])('answers %s with the RFC 6749 error', async (_, body, headers, status, error) => {
    const res = await token(body(), headers());
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toBe(error);
    if ('authorization' in headers() && status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('refuses a token request that is not form-encoded', async () => {
    const res = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(partner.clientId, partner.clientSecret) },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('rotating a secret stops the old secret but keeps tokens already issued', async () => {
    const before = issuer.issueClientToken(partner.clientId).access_token;
    const rotated = issuer.rotateClientSecret(partner.clientId);
    expect(
      (await token(form({ grant_type: 'client_credentials' }), { authorization: basic(partner.clientId, partner.clientSecret) })).status,
    ).toBe(401);
    expect(
      (await token(form({ grant_type: 'client_credentials' }), { authorization: basic(partner.clientId, rotated.clientSecret) })).status,
    ).toBe(200);
    expect(isTokenError(issuer.verifyAccessToken(before))).toBe(false);
  });

  it('revoking a client stops its tokens and its credentials', async () => {
    const issued = issuer.issueClientToken(partner.clientId).access_token;
    issuer.revokeClient(partner.clientId);
    expect(issuer.verifyAccessToken(issued)).toEqual({ error: 'revoked-client' });
    expect(
      (await token(form({ grant_type: 'client_credentials' }), { authorization: basic(partner.clientId, partner.clientSecret) })).status,
    ).toBe(401);
  });

  it('reports expired, wrong-issuer, bad-signature and malformed tokens', () => {
    const issued = issuer.issueClientToken(partner.clientId).access_token;
    now = new Date(now.getTime() + 3600_000);
    expect(issuer.verifyAccessToken(issued)).toEqual({ error: 'expired' });
    now = new Date(now.getTime() - 1000);
    expect(isTokenError(issuer.verifyAccessToken(issued))).toBe(false);

    const other = createLocalIssuer({ issuerUrl: 'http://127.0.0.1:1', clock: () => now });
    const stranger = other.registerClient({ name: 'x', scopes: ['referrals/read'] });
    expect(issuer.verifyAccessToken(other.issueClientToken(stranger.clientId).access_token)).toEqual({ error: 'wrong-issuer' });

    // Same issuer URL, different key: what a forger without our private key can produce.
    const impostor = createLocalIssuer({ issuerUrl: server.url, clock: () => now });
    const fake = impostor.registerClient({ clientId: partner.clientId, name: 'x', scopes: ['referrals/read'] });
    expect(issuer.verifyAccessToken(impostor.issueClientToken(fake.clientId).access_token)).toEqual({ error: 'bad-signature' });

    const [h, p, s] = issued.split('.') as [string, string, string];
    const elevated = Buffer.from(JSON.stringify({ ...decodePayload(issued), 'custom:agency': 'agency-2' })).toString('base64url');
    expect(issuer.verifyAccessToken(`${h}.${elevated}.${s}`)).toEqual({ error: 'bad-signature' });
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(issuer.verifyAccessToken(`${none}.${p}.${s}`)).toEqual({ error: 'bad-signature' });
    expect(issuer.verifyAccessToken('not-a-token')).toEqual({ error: 'malformed' });
    expect(issuer.verifyAccessToken(`${h}.${p}`)).toEqual({ error: 'malformed' });
  });

  it('property: any single-character change to a token makes it fail verification', () => {
    const issued = issuer.issueClientToken(partner.clientId).access_token;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat({ max: issued.length - 1 }), fc.constantFrom(...alphabet), (index, replacement) => {
        fc.pre(issued[index] !== replacement);
        const changed = issued.slice(0, index) + replacement + issued.slice(index + 1);
        expect(isTokenError(issuer.verifyAccessToken(changed))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('property: a token verifies exactly while the clock is before its expiry', () => {
    const issuedAt = now;
    const issued = issuer.issueClientToken(partner.clientId).access_token;
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), (offsetMs) => {
        now = new Date(issuedAt.getTime() + 3600_000 + offsetMs);
        const result = issuer.verifyAccessToken(issued);
        if (offsetMs < 0) expect(isTokenError(result)).toBe(false);
        else expect(result).toEqual({ error: 'expired' });
      }),
    );
  });

  describe('workers', () => {
    let password: string;
    beforeEach(() => {
      ({ password } = issuer.registerWorker({
        username: 'sam.social',
        name: 'Sam Okafor',
        email: 'sam@example.gov.uk',
        roles: ['social-worker', 'team-manager'],
        teamId: 'team-north',
      }));
    });

    it('generates a password and issues worker tokens with groups and team', async () => {
      expect(password.length).toBeGreaterThanOrEqual(16);
      const res = await fetch(`${server.url}/local/worker-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'sam.social', password }),
      });
      expect(res.status).toBe(200);
      const { access_token } = (await res.json()) as { access_token: string };
      expect(decodePayload(access_token)).toMatchObject({
        iss: server.url,
        client_id: issuer.workerClientId,
        token_use: 'access',
        username: 'sam.social',
        'cognito:groups': ['social-worker', 'team-manager'],
        'custom:team': 'team-north',
        name: 'Sam Okafor',
        email: 'sam@example.gov.uk',
      });
      expect(issuer.verifyAccessToken(access_token)).toMatchObject({ kind: 'worker' });
    });

    it('refuses a wrong password for the worker token', async () => {
      const res = await fetch(`${server.url}/local/worker-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'sam.social', password: `${password}x` }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
    });

    it('refuses an unknown role', () => {
      expect(() =>
        issuer.registerWorker({ username: 'x', name: 'x', email: 'x@example.gov.uk', roles: ['wizard' as never], teamId: 't' }),
      ).toThrow(/unknown role wizard/);
    });
  });

  it('leaves other paths to other handlers', async () => {
    const res = await fetch(`${server.url}/v1/referrals`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
  });
});
