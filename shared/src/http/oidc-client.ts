/**
 * The worker web app's side of OpenID Connect (ADR 0012 §1, §2, §6): where to send the browser to
 * sign in and out, the authorisation-code exchange at the identity provider's token endpoint (the
 * web client is public: PKCE, no secret), and the ID token's verification (RS256 against the
 * issuer's JWKS; `iss`, `aud`, `token_use`, `exp`, `nonce`), turning its claims into the worker a
 * session is made for. Cognito's user pool in AWS, the local issuer locally: the same paths.
 *
 * node:crypto and fetch only, zod/mini at the boundary (the environment, the token endpoint's answer,
 * the JWKS, the token's claims). Only the sign-in routes load it.
 */
import { createHash, createPublicKey, type KeyObject, timingSafeEqual, verify } from 'node:crypto';
import * as z from 'zod/mini';
import { readEnvironment, variable } from '../environment';
import { onFirstUse } from '../first-use';
import { isRole } from '../people';
import { authorizationUrl, type SignedInWorker, type SignInState } from './session';

export const OIDC_ENV = {
  issuer: 'OIDC_ISSUER',
  domain: 'OIDC_DOMAIN',
  webClientId: 'WEB_CLIENT_ID',
  publicOrigin: 'PUBLIC_ORIGIN',
} as const;

/** Where the identity provider sends the browser back with a code: registered as the web client's callback URL. */
export const SIGN_IN_CALLBACK_PATH = '/signin/callback';
/** Where the identity provider's logout sends the browser: registered as the web client's sign-out URL. */
export const SIGNED_OUT_PATH = '/signed-out';

export interface OidcConfig {
  /** The `iss` of the pool's tokens, `https://cognito-idp.<region>.amazonaws.com/<pool id>`; its JWKS is at `/.well-known/jwks.json`. */
  issuer: string;
  /** The hosted UI's base, `https://<prefix>.auth.<region>.amazoncognito.com`: `/oauth2/authorize`, `/oauth2/token`, `/logout`. */
  domain: string;
  /** The web app client: the ID token's `aud`. */
  clientId: string;
  /** The origin browsers see; the callback and the signed-out page are on it. */
  publicOrigin: string;
}

/** An https URL, or http on this machine's loopback (the local cloud), without query or fragment; no trailing slash. */
function isProviderUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  return (
    (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) && url.search === '' && url.hash === '' && !value.includes('#')
  );
}

const isOrigin = (value: string): boolean => URL.canParse(value) && new URL(value).origin === value;
const withoutTrailingSlash = (value: string): string => value.replace(/\/+$/, '');

/** Throws a ConfigurationError naming every variable that is missing or wrong (never a value). */
export function loadOidcConfig(env: NodeJS.ProcessEnv = process.env): OidcConfig {
  const url = z.string().check(z.refine(isProviderUrl));
  const values = readEnvironment(
    {
      [OIDC_ENV.issuer]: variable(url, 'the identity provider’s issuer URL (https, or http on 127.0.0.1), such as the user pool’s'),
      [OIDC_ENV.domain]: variable(url, 'the base URL of the identity provider’s hosted sign-in pages (https, or http on 127.0.0.1)'),
      [OIDC_ENV.webClientId]: variable(z.string().check(z.regex(/^[\w+-]{1,128}$/)), 'the web app client’s id'),
      [OIDC_ENV.publicOrigin]: variable(
        z.string().check(z.refine(isOrigin)),
        'the origin browsers reach the site at, such as https://fsp.example.org or http://127.0.0.1:3000',
      ),
    },
    env,
  );
  return {
    issuer: withoutTrailingSlash(values[OIDC_ENV.issuer]),
    domain: withoutTrailingSlash(values[OIDC_ENV.domain]),
    clientId: values[OIDC_ENV.webClientId],
    publicOrigin: values[OIDC_ENV.publicOrigin],
  };
}

export const redirectUriOf = (config: OidcConfig): string => `${config.publicOrigin}${SIGN_IN_CALLBACK_PATH}`;
export const jwksUriOf = (config: OidcConfig): string => `${config.issuer}/.well-known/jwks.json`;

/** Where "Sign in" sends the browser: the hosted UI's authorize endpoint with S256 PKCE, `state` and `nonce`. */
export const signInUrl = (config: OidcConfig, signIn: SignInState): string =>
  authorizationUrl(
    { authorizeEndpoint: `${config.domain}/oauth2/authorize`, clientId: config.clientId, redirectUri: redirectUriOf(config) },
    signIn,
  );

/**
 * Cognito's logout endpoint: it ends the hosted UI's own session (which would otherwise sign the
 * worker straight back in) and sends the browser to the signed-out page, a registered sign-out URL.
 */
export function signOutUrl(config: OidcConfig): string {
  const url = new URL(`${config.domain}/logout`);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('logout_uri', `${config.publicOrigin}${SIGNED_OUT_PATH}`);
  return url.toString();
}

// ---- The ID token ----

/** Why an ID token was refused: logged, never shown (the page says only that sign-in did not work). */
export type IdTokenRefusal =
  | 'malformed'
  | 'algorithm'
  | 'unknown-key'
  | 'signature'
  | 'issuer'
  | 'audience'
  | 'token-use'
  | 'expired'
  | 'nonce'
  | 'claims';

export type IdTokenResult = { ok: true; worker: SignedInWorker } | { ok: false; reason: IdTokenRefusal; fields?: string[] };

export interface DecodedIdToken {
  header: { alg: string; kid?: string };
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * base64url in its canonical form only: Node ignores the unused low bits of a segment's last
 * character, so without this several strings would decode to the same bytes and an altered token
 * could still verify.
 */
function canonical(segment: string): Buffer | undefined {
  if (!BASE64URL.test(segment)) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function jsonSegment(segment: string): Record<string, unknown> | undefined {
  const bytes = canonical(segment);
  if (bytes === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    // Not JSON: the token is malformed, which the caller reports.
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  return isObject(parsed) ? parsed : undefined;
}

/** Longer than any ID token Cognito issues (a few KB), short enough that nothing absurd is parsed. */
const MAX_TOKEN_LENGTH = 16 * 1024;

/** A compact JWS split and parsed, trusting nothing in it; undefined when it is not one. */
export function decodeIdToken(token: string): DecodedIdToken | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [headerSegment, payloadSegment, signatureSegment] = parts as [string, string, string];
  const header = jsonSegment(headerSegment);
  const payload = jsonSegment(payloadSegment);
  const signature = canonical(signatureSegment);
  if (header === undefined || payload === undefined || signature === undefined || typeof header.alg !== 'string') return undefined;
  if (header.kid !== undefined && typeof header.kid !== 'string') return undefined;
  return {
    header: { alg: header.alg, ...(header.kid === undefined ? {} : { kid: header.kid }) },
    payload,
    signingInput: `${headerSegment}.${payloadSegment}`,
    signature,
  };
}

const idTokenClaims = onFirstUse(() => {
  // As the session holds them (session.ts), so that a verified token always makes a valid session.
  const text = z.string().check(z.trim(), z.minLength(1), z.maxLength(256));
  return z.object({
    iss: z.string(),
    aud: z.string(),
    token_use: z.string(),
    exp: z.number(),
    nonce: z.optional(z.string()),
    sub: text,
    'cognito:username': text,
    'cognito:groups': z.optional(z.array(z.string())),
    'custom:team': text,
    name: z.optional(text),
    email: z.optional(z.email()),
  });
});

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
const sameSecret = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  /** The sign-in state's nonce: a token minted for another sign-in (replayed, or injected) does not carry it. */
  nonce: string;
  now: Date;
}

/**
 * Checks a decoded token with the key its `kid` named (undefined: no such key). Signature first,
 * so that nothing in an unsigned token is believed; then `iss`, `aud` (exactly the web client),
 * `token_use` (an access token is not an ID token), `exp`, `nonce`, and the claims a session needs.
 * `cognito:groups` become roles where they name one (a pool may have other groups).
 */
export function checkIdToken(decoded: DecodedIdToken, key: KeyObject | undefined, expected: IdTokenExpectations): IdTokenResult {
  // Only RS256, whatever the header says: trusting `alg` is how "none" and HS256-with-the-public-key forgeries work.
  if (decoded.header.alg !== 'RS256') return { ok: false, reason: 'algorithm' };
  if (key === undefined) return { ok: false, reason: 'unknown-key' };
  if (key.asymmetricKeyType !== 'rsa' || !verify('sha256', Buffer.from(decoded.signingInput, 'ascii'), key, decoded.signature)) {
    return { ok: false, reason: 'signature' };
  }
  const { payload } = decoded;
  if (payload.iss !== expected.issuer) return { ok: false, reason: 'issuer' };
  if (payload.aud !== expected.clientId) return { ok: false, reason: 'audience' };
  if (payload.token_use !== 'id') return { ok: false, reason: 'token-use' };
  if (typeof payload.exp !== 'number' || payload.exp * 1000 <= expected.now.getTime()) return { ok: false, reason: 'expired' };
  if (typeof payload.nonce !== 'string' || !sameSecret(payload.nonce, expected.nonce)) return { ok: false, reason: 'nonce' };
  const claims = idTokenClaims().safeParse(payload);
  if (!claims.success) return { ok: false, reason: 'claims', fields: claims.error.issues.map((issue) => issue.path.join('.')) };
  const { data } = claims;
  return {
    ok: true,
    worker: {
      userId: data.sub,
      username: data['cognito:username'],
      name: data.name ?? data['cognito:username'],
      ...(data.email === undefined ? {} : { email: data.email }),
      roles: [...new Set((data['cognito:groups'] ?? []).filter(isRole))],
      teamId: data['custom:team'],
    },
  };
}

// ---- The JWKS ----

const jwksSchema = onFirstUse(() =>
  z.object({
    keys: z.array(
      z.object({
        kty: z.string(),
        kid: z.optional(z.string()),
        alg: z.optional(z.string()),
        use: z.optional(z.string()),
        n: z.optional(z.string()),
        e: z.optional(z.string()),
      }),
    ),
  }),
);

/** The RSA signing keys of a JWKS document by `kid`; other keys (encryption, other algorithms, no kid) are not for ID tokens. */
export function signingKeysOf(document: unknown): Map<string, KeyObject> {
  const parsed = jwksSchema().safeParse(document);
  if (!parsed.success)
    throw new Error(`the JWKS is not a JSON Web Key Set: ${parsed.error.issues.map((i) => i.path.join('.') || '$').join(', ')}`);
  const keys = new Map<string, KeyObject>();
  for (const jwk of parsed.data.keys) {
    if (jwk.kty !== 'RSA' || jwk.kid === undefined || jwk.n === undefined || jwk.e === undefined) continue;
    if ((jwk.alg !== undefined && jwk.alg !== 'RS256') || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
    keys.set(jwk.kid, createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' }));
  }
  return keys;
}

export type Fetch = typeof fetch;

/** How long the identity provider has to answer: the worker is waiting on the callback. */
const PROVIDER_TIMEOUT_MS = 5000;
/**
 * A kid the cached set does not hold makes one fetch of the JWKS (the pool rotated its key), but not
 * more often than this: otherwise every token with an invented kid would cost a fetch.
 */
export const JWKS_REFETCH_INTERVAL_MS = 60_000;

export interface JwksCache {
  /** The key, fetching the set on first use and once more when `kid` is unknown (at most every JWKS_REFETCH_INTERVAL_MS). */
  key(kid: string | undefined): Promise<KeyObject | undefined>;
}

/** One per container: fetched on the first sign-in, kept; a failed fetch is not kept, so the next sign-in tries again. */
export function createJwksCache(url: string, options: { fetch?: Fetch; now?: () => Date } = {}): JwksCache {
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  let keys: Map<string, KeyObject> | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<Map<string, KeyObject>> | undefined;
  const load = (): Promise<Map<string, KeyObject>> => {
    inFlight ??= (async () => {
      const response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`the JWKS at ${url} answered ${response.status}`);
      const loaded = signingKeysOf(await response.json());
      keys = loaded;
      fetchedAt = now().getTime();
      return loaded;
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  return {
    async key(kid) {
      if (kid === undefined) return undefined;
      const known = keys ?? (await load());
      const found = known.get(kid);
      if (found !== undefined || now().getTime() - fetchedAt < JWKS_REFETCH_INTERVAL_MS) return found;
      return (await load()).get(kid);
    },
  };
}

// ---- The code exchange ----

const tokenResponseSchema = onFirstUse(() => z.object({ id_token: z.string().check(z.minLength(1)) }));
const tokenErrorSchema = onFirstUse(() => z.object({ error: z.string().check(z.regex(/^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/)) }));

export type CodeExchange = { ok: true; idToken: string } | { ok: false; reason: string };

/**
 * RFC 6749 §4.1.3 with RFC 7636's verifier, as a public client: `client_id` in the form, no secret.
 * A refusal (an HTTP error from the provider) is a result whose reason is safe to log (status and
 * the provider's error code, never the body); a network failure or timeout throws.
 */
export async function exchangeCode(config: OidcConfig, code: string, verifier: string, fetchImpl: Fetch = fetch): Promise<CodeExchange> {
  const response = await fetchImpl(`${config.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: redirectUriOf(config),
      code_verifier: verifier,
    }).toString(),
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    redirect: 'error',
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    // An answer that is not JSON (a proxy's error page) has no error code to report; its status is said below.
    if (!(error instanceof SyntaxError)) throw error;
  }
  if (!response.ok) {
    const refused = tokenErrorSchema().safeParse(body);
    return { ok: false, reason: `the token endpoint answered ${response.status}${refused.success ? ` ${refused.data.error}` : ''}` };
  }
  const tokens = tokenResponseSchema().safeParse(body);
  if (!tokens.success) return { ok: false, reason: 'the token endpoint answered 200 without an id_token' };
  return { ok: true, idToken: tokens.data.id_token };
}

// ---- The client ----

export interface OidcClientOptions {
  /** Where OIDC_ISSUER, OIDC_DOMAIN, WEB_CLIENT_ID and PUBLIC_ORIGIN are read; `process.env` by default. */
  environment?: NodeJS.ProcessEnv;
  fetch?: Fetch;
  now?: () => Date;
}

export type SignInCompletion =
  | { ok: true; worker: SignedInWorker }
  | { ok: false; stage: 'token'; reason: string }
  | { ok: false; stage: 'id-token'; reason: IdTokenRefusal; fields?: string[] };

export interface OidcClient {
  /** Read on first use (like the page sessions' configuration) and kept; throws a ConfigurationError naming the variable. */
  config(): OidcConfig;
  signInUrl(signIn: SignInState): string;
  signOutUrl(): string;
  /** Exchanges the code with the sign-in's verifier and verifies the ID token against its nonce. Throws only when the provider cannot be reached. */
  completeSignIn(code: string, signIn: SignInState): Promise<SignInCompletion>;
}

/** One per container (the entry makes it), so that the JWKS is fetched once per container. */
export function oidcClient(options: OidcClientOptions = {}): OidcClient {
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? (() => new Date());
  let config: OidcConfig | undefined;
  let jwks: JwksCache | undefined;
  const configOnce = (): OidcConfig => {
    config ??= loadOidcConfig(options.environment ?? process.env);
    return config;
  };
  const jwksOnce = (): JwksCache => {
    jwks ??= createJwksCache(jwksUriOf(configOnce()), { fetch: fetchImpl, now });
    return jwks;
  };
  return {
    config: configOnce,
    signInUrl: (signIn) => signInUrl(configOnce(), signIn),
    signOutUrl: () => signOutUrl(configOnce()),
    async completeSignIn(code, signIn) {
      const settings = configOnce();
      const exchanged = await exchangeCode(settings, code, signIn.verifier, fetchImpl);
      if (!exchanged.ok) return { ok: false, stage: 'token', reason: exchanged.reason };
      const decoded = decodeIdToken(exchanged.idToken);
      if (decoded === undefined) return { ok: false, stage: 'id-token', reason: 'malformed' };
      const key = decoded.header.alg === 'RS256' ? await jwksOnce().key(decoded.header.kid) : undefined;
      const checked = checkIdToken(decoded, key, { issuer: settings.issuer, clientId: settings.clientId, nonce: signIn.nonce, now: now() });
      if (!checked.ok)
        return { ok: false, stage: 'id-token', reason: checked.reason, ...(checked.fields ? { fields: checked.fields } : {}) };
      return checked;
    },
  };
}
