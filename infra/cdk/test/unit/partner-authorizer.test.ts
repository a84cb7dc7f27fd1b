/**
 * The partner authorizer against tokens shaped like Cognito's client-credentials access tokens,
 * signed with a key generated here and served from a stubbed JWKS endpoint.
 */
import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { ApiGatewayV2Event } from '@fsp/shared/http/api-gateway';
import { verifiedClaims } from '@fsp/shared/http/claims';
import {
  type AuthorizerEvent,
  createPartnerAuthorizer,
  type PartnerAuthorizerDependencies,
  parseRouteScopes,
} from '../../functions/partner-authorizer';

const ISSUER = 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Example';
const NOW_SECONDS = 1_750_000_000;
const ROUTE_SCOPES = { 'POST /v1/referrals': ['referrals/submit'], 'GET /v1/referrals/{id}': ['referrals/read'] };

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function keyPair(): { privateKey: KeyObject; jwk: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, jwk: publicKey.export({ format: 'jwk' }) as Record<string, unknown> };
}
const signingKey = keyPair();
const otherKey = keyPair();

function token(claims: Record<string, unknown>, options: { kid?: string; key?: KeyObject; alg?: string } = {}): string {
  const header = encode({ kid: options.kid ?? 'key-1', alg: options.alg ?? 'RS256' });
  const payload = encode(claims);
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), options.key ?? signingKey.privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

const agencyClaims = (overrides: Record<string, unknown> = {}) => ({
  sub: 'agency-client-1',
  token_use: 'access',
  scope: 'referrals/submit referrals/read',
  auth_time: NOW_SECONDS - 10,
  iss: ISSUER,
  exp: NOW_SECONDS + 3600,
  iat: NOW_SECONDS - 10,
  version: 2,
  jti: 'b1c2',
  client_id: 'agency-client-1',
  ...overrides,
});

const request = (authorization: string | undefined, routeKey = 'POST /v1/referrals'): AuthorizerEvent => ({
  routeKey,
  headers: authorization === undefined ? {} : { authorization },
  identitySource: authorization === undefined ? null : [authorization, routeKey],
});

function setUp(jwks: Array<Record<string, unknown>> = [{ ...signingKey.jwk, kid: 'key-1', alg: 'RS256', use: 'sig' }]) {
  let now = NOW_SECONDS * 1000;
  const fetched: string[] = [];
  const logged: Array<Record<string, unknown>> = [];
  const dependencies: PartnerAuthorizerDependencies = {
    fetchJwks: async (url) => {
      fetched.push(url);
      return { keys: jwks };
    },
    now: () => now,
    log: (entry) => logged.push(entry),
  };
  const authorize = createPartnerAuthorizer({ issuer: ISSUER, routeScopes: ROUTE_SCOPES }, dependencies);
  return { authorize, fetched, logged, advance: (ms: number) => (now += ms) };
}

test('a valid agency token with the route scope is allowed, with the claims the handler reads in the context', async () => {
  const { authorize, fetched } = setUp();
  const response = await authorize(request(`Bearer ${token(agencyClaims())}`));
  expect(response).toEqual({
    isAuthorized: true,
    context: { client_id: 'agency-client-1', token_use: 'access', scope: 'referrals/submit referrals/read', sub: 'agency-client-1' },
  });
  expect(fetched).toEqual([`${ISSUER}/.well-known/jwks.json`]);
});

test('the token may come without the Bearer prefix, as the JWT authorizer allows', async () => {
  const { authorize } = setUp();
  expect((await authorize(request(token(agencyClaims())))).isAuthorized).toBe(true);
});

test.each([
  ['no token', () => request(undefined), 'no-token'],
  ['a token that is not a JWT', () => request('Bearer not-a-jwt'), 'malformed'],
  ['another issuer', () => request(`Bearer ${token(agencyClaims({ iss: 'https://evil.example' }))}`), 'wrong-issuer'],
  ['an expired token', () => request(`Bearer ${token(agencyClaims({ exp: NOW_SECONDS - 60 }))}`), 'expired'],
  ['an ID token', () => request(`Bearer ${token(agencyClaims({ token_use: 'id' }))}`), 'not-an-access-token'],
  ['no client id', () => request(`Bearer ${token(agencyClaims({ client_id: undefined }))}`), 'no-client'],
  ['a missing scope', () => request(`Bearer ${token(agencyClaims({ scope: 'referrals/read' }))}`), 'missing-scope'],
  ['a route the manifest does not list', () => request(`Bearer ${token(agencyClaims())}`, 'DELETE /v1/referrals/{id}'), 'unknown-route'],
  ['a signature by another key', () => request(`Bearer ${token(agencyClaims(), { key: otherKey.privateKey })}`), 'bad-signature'],
  ['an unknown key id', () => request(`Bearer ${token(agencyClaims(), { kid: 'key-2' })}`), 'unknown-key'],
  ['alg none', () => request(`Bearer ${token(agencyClaims(), { alg: 'none' })}`), 'unsupported-algorithm'],
] as const)('%s is refused', async (_case, event, reason) => {
  const { authorize, logged } = setUp();
  expect(await authorize(event())).toEqual({ isAuthorized: false });
  expect(logged).toEqual([expect.objectContaining({ reason })]);
});

test('an altered payload no longer verifies', async () => {
  const { authorize } = setUp();
  const [header, , signature] = token(agencyClaims({ scope: 'referrals/read' })).split('.');
  const forged = `${header}.${encode(agencyClaims({ scope: 'referrals/submit' }))}.${signature}`;
  expect(await authorize(request(`Bearer ${forged}`))).toEqual({ isAuthorized: false });
});

test('an HS256 token "signed" with the public key is refused before any signature check', async () => {
  const { authorize, logged } = setUp();
  const header = encode({ kid: 'key-1', alg: 'HS256' });
  const payload = encode(agencyClaims());
  const mac = createHmac('sha256', JSON.stringify(signingKey.jwk)).update(`${header}.${payload}`).digest('base64url');
  expect(await authorize(request(`Bearer ${header}.${payload}.${mac}`))).toEqual({ isAuthorized: false });
  expect(logged[0]).toMatchObject({ reason: 'unsupported-algorithm' });
});

test('a non-canonical base64url signature (changed unused bits) is refused', async () => {
  const { authorize } = setUp();
  const valid = token(agencyClaims());
  const last = valid.at(-1)!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  // 256 bytes encode to 342 characters whose last carries 4 unused bits: a neighbour decodes to the same bytes.
  const sibling = alphabet[(alphabet.indexOf(last) ^ 1) % 64]!;
  expect(await authorize(request(`Bearer ${valid.slice(0, -1)}${sibling}`))).toEqual({ isAuthorized: false });
});

test('tokens from another issuer never make the authorizer fetch a JWKS', async () => {
  const { authorize, fetched } = setUp();
  await authorize(request(`Bearer ${token(agencyClaims({ iss: 'https://evil.example' }))}`));
  expect(fetched).toEqual([]);
});

test('the JWKS is fetched once per container; an unknown kid refetches it at most every five minutes', async () => {
  const { authorize, fetched, advance } = setUp();
  await authorize(request(`Bearer ${token(agencyClaims())}`));
  await authorize(request(`Bearer ${token(agencyClaims())}`));
  expect(fetched).toHaveLength(1);
  await authorize(request(`Bearer ${token(agencyClaims(), { kid: 'rotated' })}`));
  expect(fetched).toHaveLength(1);
  advance(5 * 60 * 1000);
  await authorize(request(`Bearer ${token(agencyClaims(), { kid: 'rotated' })}`));
  expect(fetched).toHaveLength(2);
});

test('the context carries exactly the claims shared/src/http/claims.ts needs to build partner claims', async () => {
  const { authorize } = setUp();
  const response = await authorize(request(`Bearer ${token(agencyClaims({ 'custom:agency': 'school-7' }))}`));
  // Placed where the JWT authorizer puts claims, claims.ts accepts the Lambda authorizer's context as a partner.
  const event = { requestContext: { authorizer: { jwt: { claims: response.context!, scopes: null } } } } as unknown as ApiGatewayV2Event;
  expect(verifiedClaims(event)).toEqual({
    kind: 'partner',
    clientId: 'agency-client-1',
    agencyId: 'school-7',
    scopes: ['referrals/submit', 'referrals/read'],
  });
});

test('PARTNER_ROUTE_SCOPES must be a JSON map of route key to scope lists', () => {
  expect(parseRouteScopes(JSON.stringify(ROUTE_SCOPES))).toEqual(ROUTE_SCOPES);
  expect(() => parseRouteScopes(undefined)).toThrow(/not set/);
  expect(() => parseRouteScopes('[]')).toThrow(/JSON object/);
  expect(() => parseRouteScopes('{"GET /x": "referrals/read"}')).toThrow(/GET \/x/);
});
