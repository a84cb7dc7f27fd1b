import { createHash, generateKeyPairSync, type JsonWebKey, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { isRole, ROLES, type Role } from '@fsp/shared/people';
import {
  BodyTooLargeError,
  escapeHtml,
  govukPage,
  mediaTypeOf,
  readBody,
  redirect,
  requestUrl,
  sendHtml,
  sendJson,
} from '../gateway/http-util';
import { decodeJwt, type JwtPayload, signRs256, verifyRs256 } from './jwt';

export type Clock = () => Date;

export type TokenError = 'expired' | 'bad-signature' | 'wrong-issuer' | 'malformed' | 'unknown-client' | 'revoked-client';

export interface VerifiedToken {
  /** `worker`: a signed-in person (user pool token); `partner`: an agency's client-credentials token. */
  kind: 'worker' | 'partner';
  clientId: string;
  subject: string;
  scopes: string[];
  /** The token's claims exactly as signed. */
  claims: JwtPayload;
}

export type VerifyResult = VerifiedToken | { error: TokenError };

export const isTokenError = (result: VerifyResult): result is { error: TokenError } => 'error' in result;

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface ClientRegistration {
  clientId?: string;
  clientSecret?: string;
  name: string;
  scopes: readonly string[];
  agencyId?: string;
}

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  name: string;
  scopes: string[];
  agencyId?: string;
}

/** One of a client's secrets, as Cognito describes it (`ClientSecretDescriptorType`); the value only when it is created. */
export interface ClientSecretDescriptor {
  /** `<client-id>--<epoch-create-time-ms>`, Cognito's format. */
  secretId: string;
  createdAt: Date;
}

/** Cognito's limit: an app client has at most two secrets at a time (AddUserPoolClientSecret). */
export const MAX_CLIENT_SECRETS = 2;

/** Why a client operation was refused; the local Cognito endpoint maps these to AWS error types. */
export class ClientRegistryError extends Error {
  override readonly name = 'ClientRegistryError';
  constructor(
    readonly reason: 'not-found' | 'limit-exceeded' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

export interface WorkerRegistration {
  username: string;
  name: string;
  email: string;
  roles: readonly Role[];
  teamId: string;
}

export interface DemoWorker extends WorkerRegistration {
  password: string;
}

/** A demo worker as registered: with the id sign-in gives them and the directory names them by (what an allocation holds). */
export type RegisteredDemoWorker = DemoWorker & { sub: string };

/** A registered worker as the user pool's directory holds them: with their `sub`, without a password. */
export interface DirectoryEntry extends WorkerRegistration {
  sub: string;
}

export interface LocalIssuerOptions {
  /** Origin (and optional path) tokens are issued as, e.g. `http://127.0.0.1:3000`. */
  issuerUrl: string;
  clock?: Clock;
  tokenLifetimeSeconds?: number;
  /** Where failures inside request handling are reported; the local cloud's stderr by default. */
  log?: (line: string) => void;
  /**
   * Keeps the registered app clients (never their secrets: only SHA-256 digests) in this JSON file
   * so that clients created through the local Cognito endpoint outlive a restart, as a user pool's
   * do; undefined keeps them in memory.
   */
  clientsFile?: string;
  /**
   * Where the worker web app may receive authorization codes (its `/signin/callback`, absolute URLs,
   * matched exactly as Cognito matches an app client's callback URLs). None: `/oauth2/authorize`
   * refuses every request.
   */
  webRedirectUris?: readonly string[];
  /**
   * Where `/logout` may send the browser afterwards (the app's `/signed-out`): the web client's
   * sign-out URLs, matched exactly as Cognito matches them. None: `/logout` shows its own page.
   */
  webLogoutUris?: readonly string[];
}

export interface LocalIssuer {
  readonly issuer: string;
  /** The app client that worker tokens carry as `client_id`, like the user pool's web client. */
  readonly workerClientId: string;
  /**
   * The worker web app's client for the authorization-code flow: the same client as
   * `workerClientId` (one web client, as the user pool has), public (no secret; PKCE instead).
   */
  readonly webClientId: string;
  /** The redirect URIs `/oauth2/authorize` accepts for the web client. */
  readonly webRedirectUris: readonly string[];
  /** The `logout_uri`s `/logout` accepts for the web client. */
  readonly webLogoutUris: readonly string[];
  jwks(): { keys: JsonWebKey[] };
  discovery(): Record<string, unknown>;
  registerClient(registration: ClientRegistration): RegisteredClient;
  revokeClient(clientId: string): void;
  /** Replaces every secret of the client with one new one. */
  rotateClientSecret(clientId: string): { clientId: string; clientSecret: string };
  /** Whether the client exists (deleted clients do not; revoked ones do). */
  hasClient(clientId: string): boolean;
  /** A second secret beside the first, as AddUserPoolClientSecret; throws ClientRegistryError at the limit of two. */
  addClientSecret(clientId: string, value?: string): ClientSecretDescriptor & { value: string };
  listClientSecrets(clientId: string): ClientSecretDescriptor[];
  /** As DeleteUserPoolClientSecret: the client's last secret cannot be deleted. */
  deleteClientSecret(clientId: string, secretId: string): void;
  /** As DeleteUserPoolClient: the client and its secrets are gone, and its tokens no longer verify here. */
  deleteClient(clientId: string): void;
  issueClientToken(clientId: string, scopes?: readonly string[]): TokenResponse;
  registerWorker(registration: WorkerRegistration): { username: string; password: string };
  /** Every registered worker with their generated password, for the start-up banner and the sign-in page. */
  demoWorkers(): RegisteredDemoWorker[];
  /** Every registered worker with their `sub`, for the local Cognito's user operations (ListUsers and the like). */
  directoryEntries(): DirectoryEntry[];
  issueWorkerToken(username: string): TokenResponse;
  verifyAccessToken(token: string): VerifyResult;
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

const SERVICE_NAME = 'Family Safeguarding (local sign-in)';
const WORKER_SCOPES = ['openid', 'profile', 'email'];
const FORM_LIMIT_BYTES = 16 * 1024;
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** RFC 6749 §4.1.2 says at most 10 minutes; Cognito's codes last 5. */
const CODE_LIFETIME_MS = 5 * 60 * 1000;
/** An S256 challenge is base64url of a SHA-256 digest: exactly 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** The longest `state` or `nonce` accepted: enough for a sealed value, short enough to fit a URL. */
const MAX_ECHOED_PARAMETER = 2048;

/** Lower-case base32, the alphabet Cognito's generated client ids and secrets look like; unbiased because 32 divides 256. */
function randomId(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % 32];
  return out;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Compares secrets in constant time; hashing first makes the lengths equal as timingSafeEqual needs. */
const secretsMatch = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));

/**
 * Registered redirect (and sign-out) URIs must be absolute, without a fragment (RFC 6749 §3.1.2),
 * and https unless they are on this machine's loopback, as Cognito allows plain http only for localhost.
 */
function checkedRedirectUri(value: string, what = 'web redirect URI'): string {
  if (!URL.canParse(value)) throw new Error(`${what} ${JSON.stringify(value)} is not an absolute URL`);
  const url = new URL(value);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(`${what} ${value} must be https (http only on the loopback)`);
  }
  if (url.hash !== '' || value.includes('#')) throw new Error(`${what} ${value} must not have a fragment`);
  return value;
}

/** What an authorization code stands for until it is exchanged, once. */
interface CodeRecord {
  clientId: string;
  redirectUri: string;
  challenge: string;
  username: string;
  scopes: string[];
  nonce: string | undefined;
  /** Epoch seconds of the sign-in, the ID token's `auth_time`. */
  authTime: number;
  /** Epoch ms. */
  expiresAt: number;
}

/** A valid request to `/oauth2/authorize`: what the code will be bound to once the worker signs in. */
interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  nonce: string | undefined;
  challenge: string;
  scopes: string[];
}

/**
 * How an authorization request is answered when it is not valid. RFC 6749 §4.1.2.1: with an unknown
 * client or a redirect URI that is not registered, the user is told and never redirected (that would
 * be an open redirect); any other error goes back to the client's redirect URI.
 */
type AuthorizationOutcome =
  | { ok: true; request: AuthorizationRequest }
  | { ok: false; redirectUri?: undefined; description: string }
  | { ok: false; redirectUri: string; error: string; description: string; state: string | undefined };

/** Where the sign-in form posts: back to `/login` with the very authorization request it was shown for. */
interface SignInForm {
  action: string;
}

interface SecretRecord {
  secretId: string;
  /** SHA-256 of the secret: what is checked, and all that is ever written to disk. */
  digest: Buffer;
  createdAt: number;
}

interface ClientRecord {
  clientId: string;
  secrets: SecretRecord[];
  name: string;
  scopes: string[];
  agencyId: string | undefined;
  revoked: boolean;
}

interface WorkerRecord extends DemoWorker {
  sub: string;
}

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

export function createLocalIssuer(options: LocalIssuerOptions): LocalIssuer {
  const issuer = options.issuerUrl.replace(/\/+$/, '');
  const issuerPath = new URL(issuer).pathname.replace(/\/+$/, '');
  const clock = options.clock ?? (() => new Date());
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  // A fresh key per start: tokens from a previous run stop verifying, as after a key rotation.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicJwk = publicKey.export({ format: 'jwk' });
  // RFC 7638 thumbprint: a kid derived from the key itself, stable for as long as the key is.
  const kid = createHash('sha256')
    .update(JSON.stringify({ e: publicJwk.e, kty: publicJwk.kty, n: publicJwk.n }))
    .digest('base64url');

  const workerClientId = randomId(26);
  const webRedirectUris = (options.webRedirectUris ?? []).map((uri) => checkedRedirectUri(uri));
  const webLogoutUris = (options.webLogoutUris ?? []).map((uri) => checkedRedirectUri(uri, 'web sign-out URI'));
  /** Codes not yet exchanged, in memory only: a restart ends any sign-in half done, as it ends the key they were for. */
  const codes = new Map<string, CodeRecord>();
  const clients = loadClients(options.clientsFile);
  const saveClients = () => {
    if (options.clientsFile) writeClients(options.clientsFile, clients);
  };

  function newSecret(client: ClientRecord, value: string): SecretRecord {
    let createdAt = clock().getTime();
    // Cognito's ids are `<client-id>--<epoch-create-time>`; two secrets in one millisecond get the next one.
    while (client.secrets.some((secret) => secret.createdAt === createdAt)) createdAt += 1;
    return { secretId: `${client.clientId}--${createdAt}`, digest: digest(value), createdAt };
  }

  /** Constant time over every secret of the client (or a dummy), so timing reveals neither the client nor which secret matched. */
  function secretMatches(client: ClientRecord | undefined, given: string): boolean {
    const candidates = client?.secrets.length ? client.secrets.map((secret) => secret.digest) : [digest(randomId(52))];
    let matched = false;
    for (const candidate of candidates) if (timingSafeEqual(digest(given), candidate)) matched = true;
    return matched;
  }
  const workers = new Map<string, WorkerRecord>();

  const nowSeconds = (): number => Math.floor(clock().getTime() / 1000);

  function mint(claims: JwtPayload): TokenResponse {
    const iat = nowSeconds();
    const payload: JwtPayload = {
      ...claims,
      iss: issuer,
      token_use: 'access',
      auth_time: iat,
      iat,
      exp: iat + lifetime,
      jti: randomUUID(),
      version: 2,
    };
    return { access_token: signRs256(payload, privateKey, kid), token_type: 'Bearer', expires_in: lifetime };
  }

  function clientRecord(clientId: string): ClientRecord {
    const record = clients.get(clientId);
    if (record === undefined) throw new Error(`no client ${clientId} is registered`);
    return record;
  }

  function issueClientToken(clientId: string, scopes?: readonly string[]): TokenResponse {
    const client = clientRecord(clientId);
    if (client.revoked) throw new Error(`client ${clientId} is revoked`);
    const granted = scopes ?? client.scopes;
    const notAllowed = granted.filter((scope) => !client.scopes.includes(scope));
    if (notAllowed.length > 0) throw new Error(`client ${clientId} may not have scope ${notAllowed.join(' ')}`);
    return mint({
      sub: client.clientId,
      client_id: client.clientId,
      scope: [...new Set(granted)].join(' '),
      ...(client.agencyId === undefined ? {} : { 'custom:agency': client.agencyId }),
    });
  }

  function issueWorkerToken(username: string): TokenResponse {
    const worker = workers.get(username);
    if (worker === undefined) throw new Error(`no worker ${username} is registered`);
    return workerAccessToken(worker, WORKER_SCOPES);
  }

  function workerAccessToken(worker: WorkerRecord, scopes: readonly string[]): TokenResponse {
    return mint({
      sub: worker.sub,
      client_id: workerClientId,
      scope: scopes.join(' '),
      username: worker.username,
      'cognito:groups': [...worker.roles],
      'custom:team': worker.teamId,
      name: worker.name,
      email: worker.email,
    });
  }

  /**
   * Cognito's ID token: who signed in, for the client (`aud`) that asked, with every attribute the
   * client may read, and the request's `nonce` so the client can tell a replayed token from its own.
   * `token_use: id` keeps it from ever passing as a bearer token (verifyAccessToken wants `access`).
   */
  function workerIdToken(worker: WorkerRecord, code: CodeRecord): string {
    const iat = nowSeconds();
    return signRs256(
      {
        sub: worker.sub,
        aud: code.clientId,
        iss: issuer,
        token_use: 'id',
        auth_time: code.authTime,
        iat,
        exp: iat + lifetime,
        jti: randomUUID(),
        'cognito:username': worker.username,
        'cognito:groups': [...worker.roles],
        'custom:team': worker.teamId,
        name: worker.name,
        email: worker.email,
        email_verified: true,
        ...(code.nonce === undefined ? {} : { nonce: code.nonce }),
      },
      privateKey,
      kid,
    );
  }

  function verifyAccessToken(token: string): VerifyResult {
    const decoded = decodeJwt(token);
    if (decoded === undefined) return { error: 'malformed' };
    const { payload } = decoded;
    // The issuer is checked before the signature so that a token from another issuer is reported as such.
    if (payload.iss !== issuer) return { error: 'wrong-issuer' };
    if (decoded.header.kid !== kid || !verifyRs256(decoded, publicKey)) return { error: 'bad-signature' };
    const { exp, sub, client_id: clientId, scope } = payload;
    if (
      payload.token_use !== 'access' ||
      typeof exp !== 'number' ||
      typeof sub !== 'string' ||
      typeof clientId !== 'string' ||
      typeof scope !== 'string'
    ) {
      return { error: 'malformed' };
    }
    if (exp <= nowSeconds()) return { error: 'expired' };
    const scopes = scope.split(' ').filter((s) => s.length > 0);
    if (clientId === workerClientId) return { kind: 'worker', clientId, subject: sub, scopes, claims: payload };
    const client = clients.get(clientId);
    if (client === undefined) return { error: 'unknown-client' };
    if (client.revoked) return { error: 'revoked-client' };
    return { kind: 'partner', clientId, subject: sub, scopes, claims: payload };
  }

  function registerClient(registration: ClientRegistration): RegisteredClient {
    const clientId = registration.clientId ?? randomId(26);
    if (clients.has(clientId) || clientId === workerClientId) throw new Error(`client ${clientId} is already registered`);
    for (const scope of registration.scopes) {
      if (!SCOPE_TOKEN.test(scope)) throw new Error(`scope ${JSON.stringify(scope)} is not a valid OAuth scope token`);
    }
    const secret = registration.clientSecret ?? randomId(52);
    const record: ClientRecord = {
      clientId,
      secrets: [],
      name: registration.name,
      scopes: [...new Set(registration.scopes)],
      agencyId: registration.agencyId,
      revoked: false,
    };
    record.secrets.push(newSecret(record, secret));
    clients.set(clientId, record);
    saveClients();
    return {
      clientId,
      clientSecret: secret,
      name: record.name,
      scopes: [...record.scopes],
      ...(record.agencyId === undefined ? {} : { agencyId: record.agencyId }),
    };
  }

  function registerWorker(registration: WorkerRegistration): { username: string; password: string } {
    if (workers.has(registration.username)) throw new Error(`worker ${registration.username} is already registered`);
    if (!/^[A-Za-z0-9._@-]{1,128}$/.test(registration.username)) {
      throw new Error(`username ${JSON.stringify(registration.username)} may only use letters, digits and . _ @ -`);
    }
    const unknownRoles = registration.roles.filter((role) => !isRole(role));
    if (unknownRoles.length > 0) throw new Error(`unknown role ${unknownRoles.join(', ')}; roles are ${ROLES.join(', ')}`);
    const password = randomBytes(12).toString('base64url');
    workers.set(registration.username, { ...registration, roles: [...registration.roles], password, sub: randomUUID() });
    return { username: registration.username, password };
  }

  function authenticateWorker(username: string, password: string): WorkerRecord | undefined {
    const worker = workers.get(username);
    // Compare against something even for an unknown username so the timing does not reveal which names exist.
    const matches = secretsMatch(password, worker?.password ?? randomBytes(12).toString('base64url'));
    return worker !== undefined && matches ? worker : undefined;
  }

  // ---- HTTP ----

  const sendOAuthError = (res: ServerResponse, error: OAuthError): void =>
    sendJson(
      res,
      error.status,
      { error: error.code, error_description: error.description },
      { 'cache-control': 'no-store', pragma: 'no-cache', ...error.headers },
    );

  async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
    if (mediaTypeOf(req.headers['content-type']) !== 'application/x-www-form-urlencoded') {
      throw new OAuthError(400, 'invalid_request', 'the request must be application/x-www-form-urlencoded');
    }
    return new URLSearchParams((await readBody(req, FORM_LIMIT_BYTES)).toString('utf8'));
  }

  async function tokenEndpoint(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    for (const name of new Set(form.keys())) {
      if (form.getAll(name).length > 1) throw new OAuthError(400, 'invalid_request', `parameter ${name} is repeated`);
    }
    const grantType = form.get('grant_type');
    if (grantType === null) throw new OAuthError(400, 'invalid_request', 'grant_type is required');
    if (grantType === 'authorization_code') {
      authorizationCodeGrant(req, res, form);
      return;
    }
    if (grantType !== 'client_credentials') {
      throw new OAuthError(400, 'unsupported_grant_type', 'only client_credentials and authorization_code are supported');
    }

    const authorization = req.headers.authorization;
    const usedBasic = authorization !== undefined && /^basic /i.test(authorization);
    const challenge: Record<string, string> = usedBasic ? { 'www-authenticate': 'Basic realm="oauth2/token"' } : {};
    let clientId: string | null = form.get('client_id');
    let clientSecret: string | null = form.get('client_secret');
    if (usedBasic) {
      if (clientSecret !== null) throw new OAuthError(400, 'invalid_request', 'use one client authentication method, not two');
      const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new OAuthError(401, 'invalid_client', 'the Basic credentials are not client_id:client_secret', challenge);
      // RFC 6749 §2.3.1: both halves are form-urlencoded before being joined.
      const basicId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      if (clientId !== null && clientId !== basicId)
        throw new OAuthError(400, 'invalid_request', 'client_id does not match the Basic credentials');
      clientId = basicId;
      clientSecret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    }
    if (clientId === null || clientSecret === null)
      throw new OAuthError(401, 'invalid_client', 'client authentication is required', challenge);
    const client = clients.get(clientId);
    const secretOk = secretMatches(client, clientSecret);
    if (client === undefined || !secretOk || client.revoked) {
      throw new OAuthError(401, 'invalid_client', 'client authentication failed', challenge);
    }

    const scopeParam = form.get('scope');
    let scopes: string[] = client.scopes;
    if (scopeParam !== null) {
      scopes = scopeParam.split(' ').filter((s) => s.length > 0);
      const notAllowed = scopes.filter((scope) => !client.scopes.includes(scope));
      if (scopes.length === 0 || notAllowed.length > 0) {
        throw new OAuthError(400, 'invalid_scope', `scope not allowed for this client: ${notAllowed.join(' ') || '(empty)'}`);
      }
    }
    sendJson(res, 200, issueClientToken(client.clientId, scopes), { 'cache-control': 'no-store', pragma: 'no-cache' });
  }

  /**
   * RFC 6749 §4.1.3 with RFC 7636 §4.6. The web client is public: it proves itself with the PKCE
   * verifier, not a secret. A code is spent by the first request that presents it, whether or not
   * that request succeeds, so a stolen code cannot be tried twice.
   */
  function authorizationCodeGrant(req: IncomingMessage, res: ServerResponse, form: URLSearchParams): void {
    if (req.headers.authorization !== undefined || form.get('client_secret') !== null) {
      throw new OAuthError(401, 'invalid_client', 'the worker web client is a public client: send client_id and no secret');
    }
    const clientId = form.get('client_id');
    if (clientId === null) throw new OAuthError(401, 'invalid_client', 'client_id is required');
    if (clientId !== workerClientId) {
      if (clients.has(clientId)) throw new OAuthError(400, 'unauthorized_client', 'this client may not use the authorization_code grant');
      throw new OAuthError(401, 'invalid_client', 'unknown client');
    }
    const required = (name: string): string => {
      const value = form.get(name);
      if (value === null || value === '') throw new OAuthError(400, 'invalid_request', `${name} is required`);
      return value;
    };
    const code = required('code');
    const redirectUri = required('redirect_uri');
    const verifier = required('code_verifier');
    if (!PKCE_VERIFIER.test(verifier)) {
      throw new OAuthError(400, 'invalid_request', 'code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636)');
    }

    const record = codes.get(code);
    codes.delete(code);
    if (record === undefined) throw new OAuthError(400, 'invalid_grant', 'the code is not valid: unknown, already used or expired');
    if (clock().getTime() >= record.expiresAt) throw new OAuthError(400, 'invalid_grant', 'the code has expired');
    if (record.clientId !== clientId) throw new OAuthError(400, 'invalid_grant', 'the code was issued to another client');
    if (record.redirectUri !== redirectUri) {
      throw new OAuthError(400, 'invalid_grant', 'redirect_uri is not the one the code was issued for');
    }
    if (!secretsMatch(createHash('sha256').update(verifier, 'ascii').digest('base64url'), record.challenge)) {
      throw new OAuthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    }
    const worker = workers.get(record.username);
    if (worker === undefined) throw new OAuthError(400, 'invalid_grant', 'the worker who signed in no longer exists');
    const access = workerAccessToken(worker, record.scopes);
    sendJson(
      res,
      200,
      { id_token: workerIdToken(worker, record), access_token: access.access_token, expires_in: access.expires_in, token_type: 'Bearer' },
      { 'cache-control': 'no-store', pragma: 'no-cache' },
    );
  }

  function readAuthorizationRequest(params: URLSearchParams): AuthorizationOutcome {
    // Parameters must not be repeated (RFC 6749 §3.1); until client and redirect URI are known good, a repeat is only shown.
    const [clientId, ...moreClientIds] = params.getAll('client_id');
    if (clientId === undefined || clientId === '') return { ok: false, description: 'The sign-in link has no client_id.' };
    if (moreClientIds.length > 0) return { ok: false, description: 'The sign-in link names client_id more than once.' };
    // Partner agencies' clients are confidential and have no redirect URIs: they cannot sign people in.
    if (clientId !== workerClientId) return { ok: false, description: 'The sign-in link names a client that cannot sign workers in.' };
    const [redirectUri, ...moreRedirectUris] = params.getAll('redirect_uri');
    if (redirectUri === undefined || redirectUri === '') return { ok: false, description: 'The sign-in link has no redirect_uri.' };
    if (moreRedirectUris.length > 0) return { ok: false, description: 'The sign-in link names redirect_uri more than once.' };
    if (!webRedirectUris.includes(redirectUri)) {
      return { ok: false, description: 'The sign-in link would send you to an address that is not registered for this service.' };
    }

    const states = params.getAll('state');
    // A repeated state is not echoed: the client could not tell which of its values came back.
    const state = states.length === 1 ? states[0] : undefined;
    const fail = (error: string, description: string): AuthorizationOutcome => ({ ok: false, redirectUri, error, description, state });
    for (const name of new Set(params.keys())) {
      if (params.getAll(name).length > 1) return fail('invalid_request', `parameter ${name} is repeated`);
    }
    if (state !== undefined && state.length > MAX_ECHOED_PARAMETER) return fail('invalid_request', 'state is too long');
    const responseType = params.get('response_type');
    if (responseType === null || responseType === '') return fail('invalid_request', 'response_type is required');
    if (responseType !== 'code') return fail('unsupported_response_type', 'only response_type=code is supported');
    const method = params.get('code_challenge_method');
    // RFC 7636 makes `plain` the default when the method is absent; plain offers no protection if the request is seen, so both are refused.
    if (method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256 (plain is not accepted)');
    const challenge = params.get('code_challenge');
    if (challenge === null || !S256_CHALLENGE.test(challenge)) {
      return fail('invalid_request', 'code_challenge must be an S256 challenge: 43 characters of base64url');
    }
    const scopes = (params.get('scope') ?? WORKER_SCOPES.join(' ')).split(' ').filter((scope) => scope.length > 0);
    const unknown = scopes.filter((scope) => !WORKER_SCOPES.includes(scope));
    if (unknown.length > 0) return fail('invalid_scope', `scope not allowed for this client: ${unknown.join(' ')}`);
    if (!scopes.includes('openid')) return fail('invalid_scope', 'scope must include openid');
    const nonce = params.get('nonce') ?? undefined;
    if (nonce !== undefined && nonce.length > MAX_ECHOED_PARAMETER) return fail('invalid_request', 'nonce is too long');
    return { ok: true, request: { clientId, redirectUri, state, nonce, challenge, scopes: [...new Set(scopes)] } };
  }

  function redirectWith(res: ServerResponse, redirectUri: string, params: Record<string, string | undefined>): void {
    const target = new URL(redirectUri);
    for (const [name, value] of Object.entries(params)) if (value !== undefined) target.searchParams.set(name, value);
    // 303 after the form post, as the OAuth 2.0 security BCP asks, so the browser does not re-post the password.
    redirect(res, target.toString(), { 'cache-control': 'no-store' });
  }

  function answerInvalidAuthorization(res: ServerResponse, outcome: Exclude<AuthorizationOutcome, { ok: true }>): void {
    if (outcome.redirectUri !== undefined) {
      redirectWith(res, outcome.redirectUri, { error: outcome.error, error_description: outcome.description, state: outcome.state });
      return;
    }
    const body = `<h1>There is a problem with this sign-in link</h1>
<p>${escapeHtml(outcome.description)}</p>
<p>Go back to the service you came from and choose Sign in again.</p>`;
    sendHtml(res, 400, govukPage({ title: 'There is a problem with this sign-in link', serviceName: SERVICE_NAME, body }));
  }

  /**
   * As Cognito's hosted UI: `/oauth2/authorize` checks the request and sends the browser to the
   * sign-in page, `/login`, with the same parameters (checked again there, as anyone can open it).
   */
  function authorizeGet(res: ServerResponse, url: URL): void {
    const outcome = readAuthorizationRequest(url.searchParams);
    if (!outcome.ok) {
      answerInvalidAuthorization(res, outcome);
      return;
    }
    redirect(res, `/login${url.search}`, { 'cache-control': 'no-store' });
  }

  function loginGet(res: ServerResponse, url: URL): void {
    const outcome = readAuthorizationRequest(url.searchParams);
    if (!outcome.ok) {
      answerInvalidAuthorization(res, outcome);
      return;
    }
    signInPage(res, 200, { form: loginForm(url) });
  }

  /** The form posts back to the same URL, so the POST carries the very request that was checked. */
  const loginForm = (url: URL): SignInForm => ({ action: `${url.pathname}${url.search}` });

  async function loginPost(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const outcome = readAuthorizationRequest(url.searchParams);
    if (!outcome.ok) {
      answerInvalidAuthorization(res, outcome);
      return;
    }
    const form = await readForm(req);
    const worker = checkSignIn(res, form, loginForm(url));
    if (worker === undefined) return;
    const now = clock().getTime();
    for (const [code, record] of codes) if (record.expiresAt <= now) codes.delete(code);
    const code = randomBytes(32).toString('base64url');
    const { request } = outcome;
    codes.set(code, {
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      challenge: request.challenge,
      username: worker.username,
      scopes: request.scopes,
      nonce: request.nonce,
      authTime: Math.floor(now / 1000),
      expiresAt: now + CODE_LIFETIME_MS,
    });
    redirectWith(res, request.redirectUri, { code, state: request.state });
  }

  /**
   * Cognito's `/logout`: the hosted UI's own session ends (locally there is none: `/login` sets no
   * cookie) and the browser goes to `logout_uri` when it is one of the web client's sign-out URLs;
   * anything else is a page that redirects nowhere, as an unregistered redirect URI is.
   */
  function logoutGet(res: ServerResponse, url: URL): void {
    const clientIds = url.searchParams.getAll('client_id');
    const logoutUris = url.searchParams.getAll('logout_uri');
    const problem =
      clientIds.length !== 1 || clientIds[0] !== workerClientId
        ? 'The sign-out link does not name the web app.'
        : logoutUris.length !== 1 || !webLogoutUris.includes(logoutUris[0]!)
          ? 'The sign-out link would send you to an address that is not registered for this service.'
          : undefined;
    if (problem === undefined) {
      redirect(res, logoutUris[0]!, { 'cache-control': 'no-store' });
      return;
    }
    const body = `<h1>There is a problem with this sign-out link</h1>
<p>${escapeHtml(problem)}</p>
<p>Go back to the service you came from and choose Sign out again.</p>`;
    sendHtml(res, 400, govukPage({ title: 'There is a problem with this sign-out link', serviceName: SERVICE_NAME, body }));
  }

  /**
   * The sign-in form's answers: the worker, or undefined once the form has been shown again with
   * its errors (400 for a missing answer, 401 for a wrong one).
   */
  function checkSignIn(res: ServerResponse, form: URLSearchParams, target: SignInForm): WorkerRecord | undefined {
    const username = (form.get('username') ?? '').trim();
    const password = form.get('password') ?? '';
    const errors: { field: 'username' | 'password'; message: string }[] = [];
    if (username === '') errors.push({ field: 'username', message: 'Enter your username' });
    if (password === '') errors.push({ field: 'password', message: 'Enter your password' });
    if (errors.length > 0) {
      signInPage(res, 400, { form: target, username, errors });
      return undefined;
    }
    const worker = authenticateWorker(username, password);
    if (worker === undefined) {
      signInPage(res, 401, {
        form: target,
        username,
        errors: [{ field: 'password', message: 'The username or password is not right' }],
      });
    }
    return worker;
  }

  function signInPage(
    res: ServerResponse,
    status: number,
    state: { form: SignInForm; username?: string; errors?: { field: 'username' | 'password'; message: string }[] },
  ): void {
    const errors = state.errors ?? [];
    const errorFor = (field: string) => errors.find((e) => e.field === field);
    const field = (name: 'username' | 'password', label: string, type: string, autocomplete: string, value: string) => {
      const error = errorFor(name);
      return `<div class="form-group${error ? ' form-group--error' : ''}">
  <label for="${name}">${label}</label>
  ${error ? `<span class="error-message" id="${name}-error"><span class="skip-link">Error:</span> ${escapeHtml(error.message)}</span>` : ''}
  <input type="${type}" id="${name}" name="${name}" autocomplete="${autocomplete}" spellcheck="false" value="${escapeHtml(value)}"${error ? ` aria-describedby="${name}-error" aria-invalid="true"` : ''}>
</div>`;
    };
    const summary =
      errors.length === 0
        ? ''
        : `<div class="error-summary" role="alert" tabindex="-1"><h2>There is a problem</h2><ul>${errors
            .map((e) => `<li><a href="#${e.field}">${escapeHtml(e.message)}</a></li>`)
            .join('')}</ul></div>`;
    const rows = [...workers.values()]
      .map(
        (w) =>
          `<tr><td><code>${escapeHtml(w.username)}</code></td><td><code>${escapeHtml(w.password)}</code></td><td>${escapeHtml(w.name)}</td><td>${escapeHtml(w.roles.join(', '))}</td><td>${escapeHtml(w.teamId)}</td></tr>`,
      )
      .join('');
    const accounts =
      workers.size === 0
        ? '<p>No demo worker accounts are registered.</p>'
        : // Five columns of unbreakable names and passwords cannot fit 320 px: the table scrolls within its own region (a data
          // table is WCAG 1.4.10's exception), focusable so the keyboard can scroll it, and the page itself never scrolls sideways.
          `<div class="table-scroll" role="region" aria-labelledby="accounts-caption" tabindex="0"><table><caption id="accounts-caption">Demo worker accounts</caption>
<thead><tr><th scope="col">Username</th><th scope="col">Password</th><th scope="col">Name</th><th scope="col">Roles</th><th scope="col">Team</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<p class="hint">These accounts and passwords exist only in this local cloud and are generated afresh each time it starts.</p>`;
    const body = `${summary}<h1>Sign in</h1>
<form method="post" action="${escapeHtml(state.form.action)}" novalidate>
  ${field('username', 'Username', 'text', 'username', state.username ?? '')}
  ${field('password', 'Password', 'password', 'current-password', '')}
  <button type="submit">Sign in</button>
</form>
<h2>Accounts you can use</h2>
${accounts}`;
    sendHtml(
      res,
      status,
      govukPage({ title: errors.length > 0 ? 'Error: Sign in' : 'Sign in', serviceName: SERVICE_NAME, body, wide: true }),
    );
  }

  async function workerTokenEndpoint(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (mediaTypeOf(req.headers['content-type']) !== 'application/json') {
      throw new OAuthError(400, 'invalid_request', 'send JSON: {"username": "...", "password": "..."}');
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, FORM_LIMIT_BYTES)).toString('utf8'));
    } catch (error) {
      if (error instanceof SyntaxError) throw new OAuthError(400, 'invalid_request', `the body is not JSON: ${error.message}`);
      throw error;
    }
    const { username, password } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof username !== 'string' || typeof password !== 'string') {
      throw new OAuthError(400, 'invalid_request', 'username and password are required strings');
    }
    const worker = authenticateWorker(username, password);
    if (worker === undefined) throw new OAuthError(400, 'invalid_grant', 'the username or password is not right');
    sendJson(res, 200, issueWorkerToken(worker.username), { 'cache-control': 'no-store', pragma: 'no-cache' });
  }

  function methodNotAllowed(res: ServerResponse, allow: string): void {
    sendJson(res, 405, { error: 'invalid_request', error_description: `use ${allow}` }, { allow });
  }

  function runAsync(res: ServerResponse, work: () => Promise<void>): void {
    work().catch((error: unknown) => {
      if (error instanceof OAuthError) {
        sendOAuthError(res, error);
        return;
      }
      if (error instanceof BodyTooLargeError) {
        sendOAuthError(res, new OAuthError(413, 'invalid_request', error.message, { connection: 'close' }));
        return;
      }
      log(
        JSON.stringify({ level: 'ERROR', component: 'oidc', message: 'request failed', error: String((error as Error)?.stack ?? error) }),
      );
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
      else res.destroy();
    });
  }

  function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = requestUrl(req);
    const method = req.method ?? 'GET';
    switch (url.pathname) {
      case `${issuerPath}/.well-known/openid-configuration`:
        if (method !== 'GET' && method !== 'HEAD') methodNotAllowed(res, 'GET');
        else sendJson(res, 200, discovery(), { 'cache-control': 'public, max-age=300' });
        return true;
      case `${issuerPath}/.well-known/jwks.json`:
        if (method !== 'GET' && method !== 'HEAD') methodNotAllowed(res, 'GET');
        else sendJson(res, 200, jwks(), { 'cache-control': 'public, max-age=300' });
        return true;
      case '/oauth2/authorize':
        if (method === 'GET' || method === 'HEAD') authorizeGet(res, url);
        else methodNotAllowed(res, 'GET');
        return true;
      case '/login':
        if (method === 'GET' || method === 'HEAD') loginGet(res, url);
        else if (method === 'POST') runAsync(res, () => loginPost(req, res, url));
        else methodNotAllowed(res, 'GET, POST');
        return true;
      case '/logout':
        if (method === 'GET' || method === 'HEAD') logoutGet(res, url);
        else methodNotAllowed(res, 'GET');
        return true;
      case '/oauth2/token':
        if (method !== 'POST') methodNotAllowed(res, 'POST');
        else runAsync(res, () => tokenEndpoint(req, res));
        return true;
      case '/local/worker-token':
        if (method !== 'POST') methodNotAllowed(res, 'POST');
        else runAsync(res, () => workerTokenEndpoint(req, res));
        return true;
      default:
        return false;
    }
  }

  function jwks(): { keys: JsonWebKey[] } {
    return { keys: [{ ...publicJwk, kid, alg: 'RS256', use: 'sig' }] };
  }

  function discovery(): Record<string, unknown> {
    const origin = new URL(issuer).origin;
    const partnerScopes = new Set([...clients.values()].flatMap((c) => c.scopes));
    return {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      token_endpoint: `${origin}/oauth2/token`,
      // The authorization-code flow with PKCE, as Cognito's hosted UI serves it (its sign-in page at /login, its logout at /logout).
      authorization_endpoint: `${origin}/oauth2/authorize`,
      end_session_endpoint: `${origin}/logout`,
      grant_types_supported: ['client_credentials', 'authorization_code'],
      response_types_supported: ['token', 'code'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      scopes_supported: [...WORKER_SCOPES, ...partnerScopes],
    };
  }

  return {
    issuer,
    workerClientId,
    webClientId: workerClientId,
    webRedirectUris,
    webLogoutUris,
    jwks,
    discovery,
    registerClient,
    revokeClient(clientId) {
      clientRecord(clientId).revoked = true;
      saveClients();
    },
    rotateClientSecret(clientId) {
      const client = clientRecord(clientId);
      if (client.revoked) throw new Error(`client ${clientId} is revoked`);
      // Tokens already issued stay valid until they expire, as with Cognito; only the old secret stops working.
      const secret = randomId(52);
      client.secrets = [newSecret(client, secret)];
      saveClients();
      return { clientId, clientSecret: secret };
    },
    hasClient: (clientId) => clients.has(clientId),
    addClientSecret(clientId, value) {
      const client = clients.get(clientId);
      if (client === undefined) throw new ClientRegistryError('not-found', `Client ${clientId} does not exist.`);
      if (client.secrets.length >= MAX_CLIENT_SECRETS) {
        throw new ClientRegistryError('limit-exceeded', `App client ${clientId} already has ${MAX_CLIENT_SECRETS} client secrets.`);
      }
      const secret = value ?? randomId(52);
      const record = newSecret(client, secret);
      client.secrets.push(record);
      saveClients();
      return { secretId: record.secretId, createdAt: new Date(record.createdAt), value: secret };
    },
    listClientSecrets(clientId) {
      const client = clients.get(clientId);
      if (client === undefined) throw new ClientRegistryError('not-found', `Client ${clientId} does not exist.`);
      return client.secrets.map((secret) => ({ secretId: secret.secretId, createdAt: new Date(secret.createdAt) }));
    },
    deleteClientSecret(clientId, secretId) {
      const client = clients.get(clientId);
      if (client === undefined) throw new ClientRegistryError('not-found', `Client ${clientId} does not exist.`);
      const remaining = client.secrets.filter((secret) => secret.secretId !== secretId);
      if (remaining.length === client.secrets.length) {
        throw new ClientRegistryError('not-found', `Client secret ${secretId} does not exist.`);
      }
      if (remaining.length === 0) throw new ClientRegistryError('invalid', `The only client secret of ${clientId} cannot be deleted.`);
      client.secrets = remaining;
      saveClients();
    },
    deleteClient(clientId) {
      if (!clients.delete(clientId)) throw new ClientRegistryError('not-found', `Client ${clientId} does not exist.`);
      saveClients();
    },
    issueClientToken,
    registerWorker,
    demoWorkers: () => [...workers.values()].map(({ roles, ...worker }) => ({ ...worker, roles: [...roles] })),
    directoryEntries: () => [...workers.values()].map(({ password: _password, roles, ...worker }) => ({ ...worker, roles: [...roles] })),
    issueWorkerToken,
    verifyAccessToken,
    handle,
  };
}

interface StoredClient {
  clientId: string;
  name: string;
  scopes: string[];
  agencyId?: string;
  revoked: boolean;
  secrets: { secretId: string; sha256: string; createdAt: number }[];
}

function loadClients(file: string | undefined): Map<string, ClientRecord> {
  const clients = new Map<string, ClientRecord>();
  if (!file || !existsSync(file)) return clients;
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { clients: StoredClient[] };
  for (const client of stored.clients) {
    clients.set(client.clientId, {
      clientId: client.clientId,
      name: client.name,
      scopes: client.scopes,
      agencyId: client.agencyId,
      revoked: client.revoked,
      secrets: client.secrets.map((secret) => ({
        secretId: secret.secretId,
        digest: Buffer.from(secret.sha256, 'hex'),
        createdAt: secret.createdAt,
      })),
    });
  }
  return clients;
}

/** Written whole and renamed into place, so a crash mid-write leaves the previous file. */
function writeClients(file: string, clients: ReadonlyMap<string, ClientRecord>): void {
  const stored: StoredClient[] = [...clients.values()].map((client) => ({
    clientId: client.clientId,
    name: client.name,
    scopes: client.scopes,
    ...(client.agencyId === undefined ? {} : { agencyId: client.agencyId }),
    revoked: client.revoked,
    secrets: client.secrets.map((secret) => ({
      secretId: secret.secretId,
      sha256: secret.digest.toString('hex'),
      createdAt: secret.createdAt,
    })),
  }));
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ clients: stored }, null, 2), { mode: 0o600 });
  renameSync(temporary, file);
}
