/**
 * The worker web app's session (WEB.md, Signing in; ADR 0012): a cookie the server seals with
 * AES-256-GCM, so that no session store is read on a page request and nobody but the platform can
 * read or change what the cookie says; CSRF tokens bound to the session; the Origin check; and
 * the pieces of the authorisation-code-with-PKCE round trip to the identity provider (the PKCE
 * pair, the sealed sign-in state, the `returnTo` path that must never become an open redirect).
 *
 * Pure: node:crypto and zod only, no I/O, the clock passed in. Times inside sealed values are
 * epoch milliseconds, which keeps the cookie small and comparisons exact.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { onFirstUse } from '../first-use';
import { ROLES, type Role } from '../people';

// ---- Constants ----

/** `__Host-`: the browser only accepts it with Secure, Path=/ and no Domain, so no sibling subdomain can set or shadow it. */
export const SESSION_COOKIE = '__Host-fsp-session';
/** WEB.md: a session lasts 8 hours at most, however active the worker is. */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;
/** WEB.md: 30 minutes without a request ends the session. */
export const SESSION_IDLE_SECONDS = 30 * 60;
/**
 * How stale `lastSeenAt` may be before `openSession` asks the caller to re-seal. The idle timeout
 * slides without a Set-Cookie on every request; the cost is that "idle" is measured from up to
 * this long before the worker's last request, so a session may end this much earlier than 30 minutes.
 */
export const SESSION_REFRESH_AFTER_SECONDS = 5 * 60;

/** Holds the sealed sign-in state between the redirect to the identity provider and its callback. */
export const SIGN_IN_STATE_COOKIE = '__Host-fsp-signin';
/** A sign-in round trip (typing a password included) must finish within this. */
export const SIGN_IN_STATE_MAX_AGE_SECONDS = 10 * 60;

const SECOND = 1000;
/** Browsers keep cookies up to about 4096 bytes; anything longer was not made here. */
const MAX_SEALED_LENGTH = 4096;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

// ---- Keys ----

/**
 * One AES-256 key. `id` (0–255) is written as the sealed value's first byte, so that after a
 * rotation cookies sealed with the previous key still open while new ones use the new key.
 */
export interface SessionKey {
  id: number;
  secret: Uint8Array;
}

/** A key, or the keys newest first: values are sealed with the first and opened with whichever their id names. */
export type SessionKeys = SessionKey | readonly SessionKey[];

function keyList(keys: SessionKeys): readonly SessionKey[] {
  const list = Array.isArray(keys) ? (keys as readonly SessionKey[]) : [keys as SessionKey];
  if (list.length === 0) throw new TypeError('session keys: at least one key is needed');
  const seen = new Set<number>();
  for (const key of list) {
    if (!Number.isInteger(key.id) || key.id < 0 || key.id > 255) throw new TypeError(`session keys: id ${key.id} is not 0–255`);
    if (key.secret.length !== KEY_BYTES) throw new TypeError(`session keys: key ${key.id} is ${key.secret.length} bytes, not ${KEY_BYTES}`);
    if (seen.has(key.id)) throw new TypeError(`session keys: id ${key.id} is used twice`);
    seen.add(key.id);
  }
  return list;
}

/** A fresh random key, for the local cloud's start-up and for tests. */
export function generateSessionKey(id: number): SessionKey {
  const [key] = keyList({ id, secret: randomBytes(KEY_BYTES) });
  return key!;
}

const keysDocument = onFirstUse(() =>
  z.object({
    keys: z
      .array(
        z.object({
          id: z.int().check(z.minimum(0), z.maximum(255)),
          secret: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes written as base64url (43 characters)')),
        }),
      )
      .check(z.minLength(1, 'must hold at least one key')),
  }),
);

/**
 * Keys as stored (a secret's value, an environment variable): `{"keys":[{"id":2,"secret":"<base64url>"},…]}`,
 * newest first. Throws naming the field that is wrong; the message never contains a secret.
 */
export function parseSessionKeys(text: string): SessionKey[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) throw new Error('session keys: the value is not JSON');
    throw error;
  }
  const parsed = keysDocument().safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => `${['keys', ...issue.path.slice(1)].join('.')}: ${issue.message}`);
    throw new Error(`session keys: ${where.join('; ')}`);
  }
  return [...keyList(parsed.data.keys.map((key) => ({ id: key.id, secret: Buffer.from(key.secret, 'base64url') })))];
}

/** The stored form `parseSessionKeys` reads. */
export function serializeSessionKeys(keys: SessionKeys): string {
  return JSON.stringify({ keys: keyList(keys).map((key) => ({ id: key.id, secret: Buffer.from(key.secret).toString('base64url') })) });
}

// ---- Sealing (AES-256-GCM) ----

type Purpose = 'session' | 'sign-in-state';

/**
 * Additional authenticated data: the purpose and the header byte. A sealed sign-in state can never
 * be opened as a session (or the other way round), even under the same key.
 */
const aadOf = (purpose: Purpose, header: Buffer): Buffer => Buffer.concat([Buffer.from(`fsp:${purpose}:v1:`, 'ascii'), header]);

/** `base64url(keyId ‖ iv ‖ ciphertext ‖ tag)`, a fresh random 96-bit IV each time. */
function seal(purpose: Purpose, payload: unknown, keys: SessionKeys): string {
  const key = keyList(keys)[0]!;
  const header = Buffer.from([key.id]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.secret, iv);
  cipher.setAAD(aadOf(purpose, header));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return Buffer.concat([header, iv, ciphertext, cipher.getAuthTag()]).toString('base64url');
}

type Unsealed = { ok: true; json: unknown } | { ok: false; reason: 'malformed' | 'tampered' };

function unseal(purpose: Purpose, value: string, keys: SessionKeys): Unsealed {
  const list = keyList(keys);
  if (value.length > MAX_SEALED_LENGTH || !BASE64URL.test(value)) return { ok: false, reason: 'malformed' };
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length < HEADER_BYTES + IV_BYTES + 1 + TAG_BYTES) return { ok: false, reason: 'malformed' };
  // Node ignores the unused low bits of the last character: without this, a changed value could decode to the same bytes.
  if (bytes.toString('base64url') !== value) return { ok: false, reason: 'tampered' };
  const header = bytes.subarray(0, HEADER_BYTES);
  // An id no key has is a retired key or a changed byte: either way it cannot be authenticated.
  const key = list.find((candidate) => candidate.id === header[0]);
  if (key === undefined) return { ok: false, reason: 'tampered' };
  const iv = bytes.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const ciphertext = bytes.subarray(HEADER_BYTES + IV_BYTES, bytes.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key.secret, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aadOf(purpose, header));
  decipher.setAuthTag(tag);
  let plaintext: string;
  try {
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch (error) {
    // final() throws exactly when the tag does not authenticate: a changed value, or another key. (Its error comes from
    // Node's own realm, so `instanceof Error` is not a reliable test under a test runner's sandbox; the message is.)
    if (/unable to authenticate data/i.test(String((error as { message?: unknown } | null)?.message)))
      return { ok: false, reason: 'tampered' };
    throw error;
  }
  try {
    return { ok: true, json: JSON.parse(plaintext) };
  } catch (error) {
    // Only a value sealed here can get this far, so this is a value from a build that sealed something else.
    if (error instanceof SyntaxError) return { ok: false, reason: 'malformed' };
    throw error;
  }
}

// ---- The session ----

export interface WorkerSession {
  /** Random, for logs and for revoking this one session; never a secret. */
  sessionId: string;
  /** Cognito `sub`. */
  userId: string;
  username: string;
  name: string;
  email?: string;
  roles: Role[];
  teamId: string;
  /** Epoch ms of sign-in: the 8-hour limit runs from here and never moves. */
  issuedAt: number;
  /** Epoch ms of the last request that re-sealed the cookie. */
  lastSeenAt: number;
  /** 32 random bytes, base64url: the key of this session's CSRF tokens. */
  csrfSecret: string;
}

/** Who signed in, as the identity provider's verified ID token says. */
export type SignedInWorker = Pick<WorkerSession, 'userId' | 'username' | 'name' | 'email' | 'roles' | 'teamId'>;

export type OpenSessionResult =
  | { ok: true; session: WorkerSession; refresh: boolean }
  | { ok: false; reason: 'malformed' | 'tampered' | 'expired' | 'idle' };

const sessionSchema = onFirstUse(() => {
  const nonEmpty = z.string().check(z.minLength(1), z.maxLength(256));
  const epochMs = z.int().check(z.nonnegative());
  return z
    .object({
      sessionId: z.string().check(z.regex(/^[A-Za-z0-9_-]{22,64}$/)),
      userId: nonEmpty,
      username: nonEmpty,
      name: nonEmpty,
      email: z.optional(z.email()),
      roles: z.array(z.enum(ROLES)).check(z.maxLength(ROLES.length)),
      teamId: nonEmpty,
      issuedAt: epochMs,
      lastSeenAt: epochMs,
      csrfSecret: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)),
    })
    .check(z.refine((session) => session.lastSeenAt >= session.issuedAt, 'lastSeenAt is before issuedAt'));
});

/** A new session for a worker who has just signed in. */
export function newSession(worker: SignedInWorker, now: Date): WorkerSession {
  const at = now.getTime();
  return checkedSession('newSession', {
    sessionId: randomBytes(16).toString('base64url'),
    userId: worker.userId,
    username: worker.username,
    name: worker.name,
    ...(worker.email === undefined ? {} : { email: worker.email }),
    roles: [...worker.roles],
    teamId: worker.teamId,
    issuedAt: at,
    lastSeenAt: at,
    csrfSecret: randomBytes(32).toString('base64url'),
  });
}

/** A session that is not well-formed is a bug in the caller: it is never sealed, and the message names the fields. */
function checkedSession(caller: string, candidate: WorkerSession): WorkerSession {
  const checked = sessionSchema().safeParse(candidate);
  if (!checked.success) {
    const fields = checked.error.issues.map((issue) => issue.path.join('.') || '(the session)');
    throw new TypeError(`${caller}: the session is not valid: ${fields.join(', ')}`);
  }
  return checked.data;
}

/**
 * The cookie value for `session`, seen at `now` (its `lastSeenAt` becomes `now`; `issuedAt` never
 * changes). Sealed with the first key. Throws for a session that is not well-formed: a bad cookie is
 * never written.
 */
export function sealSession(session: WorkerSession, keys: SessionKeys, now: Date): string {
  return seal('session', checkedSession('sealSession', { ...session, lastSeenAt: now.getTime() }), keys);
}

/**
 * Opens a session cookie. `expired`: more than SESSION_MAX_AGE_SECONDS since sign-in (checked
 * first); `idle`: more than SESSION_IDLE_SECONDS since `lastSeenAt`. `refresh`: the caller should
 * answer with `sealSession(session, keys, now)` so that the idle timeout slides.
 */
export function openSession(value: string, keys: SessionKeys, now: Date): OpenSessionResult {
  const unsealed = unseal('session', value, keys);
  if (!unsealed.ok) return unsealed;
  const parsed = sessionSchema().safeParse(unsealed.json);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  const session: WorkerSession = parsed.data;
  const at = now.getTime();
  if (at - session.issuedAt > SESSION_MAX_AGE_SECONDS * SECOND) return { ok: false, reason: 'expired' };
  const idleFor = at - session.lastSeenAt;
  if (idleFor > SESSION_IDLE_SECONDS * SECOND) return { ok: false, reason: 'idle' };
  return { ok: true, session, refresh: idleFor > SESSION_REFRESH_AFTER_SECONDS * SECOND };
}

/** Seconds of the session's absolute life left at `now`: the cookie's Max-Age, so the browser drops it when it could no longer open. */
export function sessionCookieMaxAge(session: WorkerSession, now: Date): number {
  return Math.max(0, Math.floor((session.issuedAt + SESSION_MAX_AGE_SECONDS * SECOND - now.getTime()) / SECOND));
}

// ---- Cookies ----

/**
 * HttpOnly: no script reads it. Secure, Path=/ and no Domain: what `__Host-` demands. SameSite=Lax:
 * sent on top-level navigations from elsewhere (a link in an e-mail, the identity provider's redirect
 * back) but not on cross-site POSTs, sub-resource requests or frames.
 */
function hostCookie(name: string, value: string, maxAgeSeconds: number): string {
  if (value !== '' && !BASE64URL.test(value)) throw new TypeError(`${name}: the cookie value must be base64url`);
  if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 0) throw new TypeError(`${name}: Max-Age must be a whole number of seconds`);
  return `${name}=${value}; Max-Age=${maxAgeSeconds}; Path=/; Secure; HttpOnly; SameSite=Lax`;
}

export const sessionCookieHeader = (value: string, maxAgeSeconds: number): string => hostCookie(SESSION_COOKIE, value, maxAgeSeconds);
export const clearedSessionCookieHeader = (): string => hostCookie(SESSION_COOKIE, '', 0);
export const signInStateCookieHeader = (value: string): string => hostCookie(SIGN_IN_STATE_COOKIE, value, SIGN_IN_STATE_MAX_AGE_SECONDS);
export const clearedSignInStateCookieHeader = (): string => hostCookie(SIGN_IN_STATE_COOKIE, '', 0);

// ---- CSRF and Origin ----

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Compares in constant time; hashing first gives timingSafeEqual the equal lengths it needs. */
const constantTimeEqual = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));

/**
 * The token a page puts in its forms: HMAC-SHA256 under the session's own secret, so it is worth
 * nothing in any other session. `formAction` (a path) narrows it to one form when given.
 */
export function csrfTokenFor(session: WorkerSession, formAction?: string): string {
  return createHmac('sha256', Buffer.from(session.csrfSecret, 'base64url'))
    .update(`fsp-csrf:v1\n${session.sessionId}\n${formAction ?? ''}`, 'utf8')
    .digest('base64url');
}

export function isValidCsrfToken(session: WorkerSession, token: string | undefined | null, formAction?: string): boolean {
  if (typeof token !== 'string' || token === '') return false;
  return constantTimeEqual(token, csrfTokenFor(session, formAction));
}

/**
 * The Origin check for state-changing requests from pages. An absent Origin answers false: every
 * browser the platform supports sends Origin on POST, same-origin form posts included (Chromium and
 * Safari for years, Firefox since version 70), so a POST without one is not from one of our pages in
 * a browser, and "null" (a sandboxed frame, a privacy redirect) is refused likewise. Compared
 * exactly with the serialised origin a browser sends (lower-case scheme and host, no default port,
 * no path).
 */
export function isSameOrigin(originHeader: string | undefined | null, expectedOrigin: string): boolean {
  if (typeof originHeader !== 'string' || originHeader === '' || originHeader === 'null') return false;
  if (!URL.canParse(originHeader)) return false;
  const given = new URL(originHeader);
  return given.origin === originHeader && given.origin === new URL(expectedOrigin).origin;
}

// ---- PKCE (RFC 7636) ----

const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** RFC 7636 §4.1: 43–128 characters of `[A-Za-z0-9-._~]`. */
export const isPkceVerifier = (value: string): boolean => PKCE_VERIFIER.test(value);

/** S256: base64url (unpadded) of SHA-256 of the verifier's ASCII. Throws for a string that is not a verifier. */
export function pkceChallengeOf(verifier: string): string {
  if (!isPkceVerifier(verifier)) throw new RangeError('a PKCE verifier is 43–128 characters of A–Z, a–z, 0–9, "-", ".", "_", "~"');
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** 32 random bytes as base64url: a 43-character verifier with 256 bits of entropy, and its S256 challenge. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallengeOf(verifier) };
}

// ---- Where to go after sign-in ----

const MAX_RETURN_TO_LENGTH = 2048;

/** A path that stays on this origin once a browser has read it: one leading '/', never '//' or '/\' (both mean another host), no control character. */
function isSafePathForm(value: string): boolean {
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return false;
  // Browsers strip tabs and newlines from URLs, so `/\t/evil.example` is `//evil.example` to them.
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return false;
  }
  return true;
}

/**
 * Percent-decodes the ASCII range only, leniently (an invalid sequence stays as it is): enough to see
 * every slash, backslash and control character another decoding layer could produce, without
 * refusing a path because it holds a literal '%' or a UTF-8 character.
 */
const decodeAscii = (value: string): string =>
  value.replace(/%([0-7][0-9A-Fa-f])/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

/**
 * True for a path on this site (`/cases/42?tab=notes`), false for anything a browser, or a layer that
 * decodes the value once more before redirecting, could take elsewhere: `//evil`, `/\evil`,
 * `https://…`, and their percent-encoded forms (`/%2F%2Fevil`, `/%5Cevil`, `/%09/evil`, encoded
 * twice or more), and a path whose dot segments resolve to `//…`.
 */
export function isSafeReturnTo(value: string): boolean {
  if (value.length === 0 || value.length > MAX_RETURN_TO_LENGTH || !isSafePathForm(value)) return false;
  // Each change shortens the value, so this ends.
  for (let decoded = decodeAscii(value), previous = value; decoded !== previous; previous = decoded, decoded = decodeAscii(decoded)) {
    if (!isSafePathForm(decoded)) return false;
  }
  const base = 'https://same-site.invalid';
  const resolved = new URL(value, base);
  return resolved.origin === base && !resolved.pathname.startsWith('//');
}

/** `value` when it is a safe return path, else `fallback` (the worker's home). */
export const safeReturnTo = (value: string | undefined | null, fallback = '/'): string =>
  typeof value === 'string' && isSafeReturnTo(value) ? value : fallback;

// ---- The sign-in round trip ----

/** What the callback needs to finish a sign-in it started: kept in a sealed, short-lived cookie. */
export interface SignInState {
  /** Sent as `state`; the callback refuses a response whose `state` is not this one (login CSRF). */
  state: string;
  /** Sent as `nonce`; the ID token must carry it back (a replayed ID token does not). */
  nonce: string;
  /** The PKCE verifier; only its challenge leaves the server before the token request. */
  verifier: string;
  returnTo: string;
  /** Epoch ms. */
  issuedAt: number;
}

export type OpenSignInStateResult = { ok: true; signIn: SignInState } | { ok: false; reason: 'malformed' | 'tampered' | 'expired' };

const signInStateSchema = onFirstUse(() => {
  const random = z.string().check(z.regex(/^[A-Za-z0-9_-]{22,128}$/));
  return z.object({
    state: random,
    nonce: random,
    verifier: z.string().check(z.regex(PKCE_VERIFIER)),
    returnTo: z.string().check(z.refine(isSafeReturnTo, 'returnTo must be a path on this site')),
    issuedAt: z.int().check(z.nonnegative()),
  });
});

/** Starts a sign-in. Throws RangeError for an unsafe `returnTo`: pass what the request asked for through `safeReturnTo` first. */
export function createSignInState(returnTo: string, now: Date): SignInState {
  if (!isSafeReturnTo(returnTo)) throw new RangeError('returnTo must be a path on this site, such as /cases/42');
  return {
    state: randomBytes(24).toString('base64url'),
    nonce: randomBytes(24).toString('base64url'),
    verifier: createPkcePair().verifier,
    returnTo,
    issuedAt: now.getTime(),
  };
}

export function sealSignInState(signIn: SignInState, keys: SessionKeys): string {
  const checked = signInStateSchema().safeParse(signIn);
  if (!checked.success) throw new TypeError(`sealSignInState: not valid: ${checked.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return seal('sign-in-state', checked.data, keys);
}

/** Opens the sign-in cookie; `expired` when more than SIGN_IN_STATE_MAX_AGE_SECONDS have passed since the sign-in started. */
export function openSignInState(value: string, keys: SessionKeys, now: Date): OpenSignInStateResult {
  const unsealed = unseal('sign-in-state', value, keys);
  if (!unsealed.ok) return unsealed;
  const parsed = signInStateSchema().safeParse(unsealed.json);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  if (now.getTime() - parsed.data.issuedAt > SIGN_IN_STATE_MAX_AGE_SECONDS * SECOND) return { ok: false, reason: 'expired' };
  return { ok: true, signIn: parsed.data };
}

/** Whether the `state` the identity provider sent back is this sign-in's, in constant time. */
export function isExpectedState(signIn: SignInState, state: string | undefined | null): boolean {
  return typeof state === 'string' && state !== '' && constantTimeEqual(state, signIn.state);
}

export interface AuthorizationRequest {
  /** The provider's authorize endpoint: Cognito's `https://<domain>/oauth2/authorize`, or the local issuer's. */
  authorizeEndpoint: string;
  clientId: string;
  redirectUri: string;
  scopes?: readonly string[];
}

/** Where to send the browser to sign in: the authorization-code request with S256 PKCE, `state` and `nonce`. */
export function authorizationUrl(request: AuthorizationRequest, signIn: SignInState): string {
  const url = new URL(request.authorizeEndpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', request.clientId);
  url.searchParams.set('redirect_uri', request.redirectUri);
  url.searchParams.set('scope', (request.scopes ?? ['openid', 'profile', 'email']).join(' '));
  url.searchParams.set('state', signIn.state);
  url.searchParams.set('nonce', signIn.nonce);
  url.searchParams.set('code_challenge', pkceChallengeOf(signIn.verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}
