/**
 * API Gateway HTTP API Lambda REQUEST authorizer (payload 2.0, simple responses) for partner
 * agencies' routes.
 *
 * Why not the built-in JWT authorizer: Cognito access tokens carry `client_id`, not `aud`, and
 * every agency has its own app client, so a JWT authorizer would need every agency's client id in
 * its audience list — a redeploy per onboarded agency. This authorizer accepts any client of the
 * user pool and checks the route's scopes instead; it is also where a revocation check (an agency
 * suspended by an administrator) will go.
 *
 * Verification uses node:crypto only: the user pool's JWKS is fetched once per execution
 * environment and cached (refetched at most every few minutes when an unknown `kid` appears, which
 * is what a key rotation looks like). Checks: RS256 signature, `iss`, `token_use = access`, `exp`,
 * a `client_id`, and every scope the route requires (`PARTNER_ROUTE_SCOPES`, generated from the
 * service manifest at synth time, keyed by route key).
 *
 * The handler reads the result from `event.requestContext.authorizer.lambda` (the context below).
 */
import { createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';

export interface AuthorizerEvent {
  /** `POST /v1/referrals` */
  routeKey: string;
  headers?: Record<string, string | undefined>;
  identitySource?: string[] | null;
}

/** Context values reach the handler as `requestContext.authorizer.lambda.<key>`; strings keep them portable. */
export type AuthorizerContext = Record<string, string>;

export interface SimpleAuthorizerResponse {
  isAuthorized: boolean;
  context?: AuthorizerContext;
}

export interface PartnerAuthorizerConfig {
  /** `https://cognito-idp.<region>.amazonaws.com/<userPoolId>` */
  issuer: string;
  /** routeKey → every scope the route requires. A route missing here is refused (fail closed). */
  routeScopes: Readonly<Record<string, readonly string[]>>;
}

export interface PartnerAuthorizerDependencies {
  fetchJwks: (url: string) => Promise<unknown>;
  /** Epoch milliseconds. */
  now: () => number;
  log: (entry: Record<string, unknown>) => void;
}

export type DenyReason =
  | 'no-token'
  | 'malformed'
  | 'unsupported-algorithm'
  | 'unknown-key'
  | 'bad-signature'
  | 'wrong-issuer'
  | 'not-an-access-token'
  | 'expired'
  | 'no-client'
  | 'unknown-route'
  | 'missing-scope';

/** An unknown `kid` triggers a JWKS refresh at most this often, so a flood of forged kids cannot hammer Cognito. */
const JWKS_REFRESH_INTERVAL_MS = 5 * 60 * 1000;
/** Tolerated clock difference between Cognito and Lambda when checking `exp`. */
const CLOCK_SKEW_SECONDS = 30;

interface DecodedToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * base64url in canonical form only: Node ignores the unused low bits of the last character, so
 * without this check several strings would decode to the same bytes and an altered token could verify.
 */
function canonicalBase64Url(segment: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : undefined;
}

function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
  const bytes = canonicalBase64Url(segment);
  if (bytes === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    // Not JSON: the token is malformed, which the caller reports.
    return undefined;
  }
}

export function decodeToken(token: string): DecodedToken | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [headerSegment, payloadSegment, signatureSegment] = parts as [string, string, string];
  const header = decodeJsonSegment(headerSegment);
  const payload = decodeJsonSegment(payloadSegment);
  const signature = canonicalBase64Url(signatureSegment);
  if (header === undefined || payload === undefined || signature === undefined) return undefined;
  return { header, payload, signingInput: `${headerSegment}.${payloadSegment}`, signature };
}

/** The JWT authorizer accepts the token with or without `Bearer `; partners get the same leniency. */
export function bearerTokenOf(event: AuthorizerEvent): string | undefined {
  const header = event.headers?.authorization ?? event.headers?.Authorization;
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  const match = /^bearer\s+(\S+)$/i.exec(trimmed);
  const token = match ? match[1]! : trimmed;
  return token === '' ? undefined : token;
}

const scopesOf = (scope: unknown): string[] => (typeof scope === 'string' ? scope.split(' ').filter((s) => s.length > 0) : []);

class KeyCache {
  private keys = new Map<string, KeyObject>();
  private fetchedAt: number | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly jwksUrl: string,
    private readonly dependencies: PartnerAuthorizerDependencies,
  ) {}

  async keyFor(kid: string): Promise<KeyObject | undefined> {
    const known = this.keys.get(kid);
    if (known !== undefined) return known;
    const now = this.dependencies.now();
    if (this.fetchedAt === undefined || now - this.fetchedAt >= JWKS_REFRESH_INTERVAL_MS) await this.refresh();
    return this.keys.get(kid);
  }

  private refresh(): Promise<void> {
    // Concurrent cold requests share one fetch.
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async load(): Promise<void> {
    const jwks = await this.dependencies.fetchJwks(this.jwksUrl);
    const keys = new Map<string, KeyObject>();
    for (const jwk of isRecord(jwks) && Array.isArray(jwks.keys) ? jwks.keys : []) {
      if (!isRecord(jwk) || jwk.kty !== 'RSA' || typeof jwk.kid !== 'string') continue;
      if (jwk.use !== undefined && jwk.use !== 'sig') continue;
      keys.set(jwk.kid, createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }));
    }
    this.keys = keys;
    this.fetchedAt = this.dependencies.now();
  }
}

export type VerificationResult = { ok: true; context: AuthorizerContext } | { ok: false; reason: DenyReason };

export function createPartnerAuthorizer(config: PartnerAuthorizerConfig, dependencies: PartnerAuthorizerDependencies) {
  const issuer = config.issuer.replace(/\/+$/, '');
  const keys = new KeyCache(`${issuer}/.well-known/jwks.json`, dependencies);

  async function verifyRequest(event: AuthorizerEvent): Promise<VerificationResult> {
    const token = bearerTokenOf(event);
    if (token === undefined) return { ok: false, reason: 'no-token' };
    const decoded = decodeToken(token);
    if (decoded === undefined) return { ok: false, reason: 'malformed' };
    const { header, payload } = decoded;
    // Only RS256: trusting the header's `alg` is how `none` and HS256-with-the-public-key forgeries work.
    if (header.alg !== 'RS256') return { ok: false, reason: 'unsupported-algorithm' };
    // The issuer is checked before any key lookup so that tokens from elsewhere never cause a JWKS fetch.
    if (payload.iss !== issuer) return { ok: false, reason: 'wrong-issuer' };
    if (typeof header.kid !== 'string') return { ok: false, reason: 'malformed' };
    const key = await keys.keyFor(header.kid);
    if (key === undefined) return { ok: false, reason: 'unknown-key' };
    if (!verify('sha256', Buffer.from(decoded.signingInput, 'ascii'), key, decoded.signature))
      return { ok: false, reason: 'bad-signature' };
    if (payload.token_use !== 'access') return { ok: false, reason: 'not-an-access-token' };
    if (typeof payload.exp !== 'number' || payload.exp + CLOCK_SKEW_SECONDS <= dependencies.now() / 1000) {
      return { ok: false, reason: 'expired' };
    }
    const clientId = payload.client_id;
    if (typeof clientId !== 'string' || clientId === '') return { ok: false, reason: 'no-client' };

    const required = config.routeScopes[event.routeKey];
    if (required === undefined) return { ok: false, reason: 'unknown-route' };
    const granted = scopesOf(payload.scope);
    if (!required.every((scope) => granted.includes(scope))) return { ok: false, reason: 'missing-scope' };

    const agency = payload['custom:agency'] ?? payload.agency_id;
    return {
      ok: true,
      context: {
        client_id: clientId,
        token_use: 'access',
        scope: granted.join(' '),
        ...(typeof payload.sub === 'string' ? { sub: payload.sub } : {}),
        ...(typeof agency === 'string' && agency !== '' ? { agency_id: agency } : {}),
      },
    };
  }

  return async function authorize(event: AuthorizerEvent): Promise<SimpleAuthorizerResponse> {
    const result = await verifyRequest(event);
    if (!result.ok) {
      // The reason, never the token: a log reader must not be able to replay it.
      dependencies.log({ level: 'WARN', message: 'partner request refused', reason: result.reason, routeKey: event.routeKey });
      return { isAuthorized: false };
    }
    return { isAuthorized: true, context: result.context };
  };
}

/** Parses `PARTNER_ROUTE_SCOPES`; a broken value fails the cold start loudly rather than refusing every partner quietly. */
export function parseRouteScopes(json: string | undefined): Record<string, string[]> {
  if (json === undefined || json === '') throw new Error('PARTNER_ROUTE_SCOPES is not set');
  const value: unknown = JSON.parse(json);
  if (!isRecord(value)) throw new Error('PARTNER_ROUTE_SCOPES must be a JSON object of routeKey → scopes');
  const scopes: Record<string, string[]> = {};
  for (const [routeKey, list] of Object.entries(value)) {
    if (!Array.isArray(list) || list.some((scope) => typeof scope !== 'string')) {
      throw new Error(`PARTNER_ROUTE_SCOPES[${routeKey}] must be an array of scope strings`);
    }
    scopes[routeKey] = list as string[];
  }
  return scopes;
}

async function fetchJwks(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new Error(`JWKS ${url} answered ${response.status}`);
  return response.json();
}

let authorizer: ((event: AuthorizerEvent) => Promise<SimpleAuthorizerResponse>) | undefined;

export async function handler(event: AuthorizerEvent): Promise<SimpleAuthorizerResponse> {
  const issuer = process.env.USER_POOL_ISSUER;
  if (issuer === undefined || issuer === '') throw new Error('USER_POOL_ISSUER is not set');
  authorizer ??= createPartnerAuthorizer(
    { issuer, routeScopes: parseRouteScopes(process.env.PARTNER_ROUTE_SCOPES) },
    { fetchJwks, now: Date.now, log: (entry) => console.log(JSON.stringify(entry)) },
  );
  return authorizer(event);
}
