/**
 * Admitting a worker's page (`{ kind: 'page' }` routes, ADR 0012) by the `__Host-fsp-session`
 * cookie: never by a bearer token, which JSON routes alone accept. The HTTP handler calls this
 * before any route code runs. Pure apart from reading the environment (and, in AWS, the secret
 * holding the keys, through a fetcher the function's entry passes in: the Secrets Manager client
 * stays out of every bundle that serves no page).
 */
import { hkdfSync } from 'node:crypto';
import * as z from 'zod/mini';
import { ConfigurationError, readEnvironment, variable } from '../environment';
import { onFirstUse } from '../first-use';
import type { ApiGatewayV2Event } from './api-gateway';
import type { WorkerClaims } from './claims';
import { bareErrorPages, type ErrorPage, type ErrorPageRenderer, errorPageFor } from './error-pages';
import { Forbidden, type HttpError } from './errors';
import {
  clearedSessionCookieHeader,
  csrfTokenFor,
  isSameOrigin,
  isValidCsrfToken,
  openSession,
  parseSessionKeys,
  SESSION_COOKIE,
  type SessionKey,
  safeReturnTo,
  sealSession,
  sessionCookieHeader,
  sessionCookieMaxAge,
  type WorkerSession,
} from './session';

/** What a page route's handler gets as `request.claims`: the session's worker, and the token its forms carry. */
export interface PageClaims extends WorkerClaims {
  /** Put in every form as the `csrfToken` field (or sent as `x-csrf-token` by script). */
  csrfToken: string;
}

/** The form field, and the header for anything that is not a urlencoded form, that carry the CSRF token. */
export const CSRF_FORM_FIELD = 'csrfToken';
export const CSRF_HEADER = 'x-csrf-token';

/** Where a page without a session sends the browser. */
export const SIGN_IN_PATH = '/signin';
/** Where the layout's "Sign out" form posts (notifications serves it, ADR 0012 §1). */
export const SIGN_OUT_PATH = '/signout';

export const PAGE_ENV = {
  sessionKeys: 'SESSION_KEYS',
  sessionKeysSecretArn: 'SESSION_KEYS_SECRET_ARN',
  publicOrigin: 'PUBLIC_ORIGIN',
} as const;

export interface PageConfig {
  keys: SessionKey[];
  /** The origin browsers see (`https://…`, `http://127.0.0.1:3000` locally): Origin headers must equal it. */
  publicOrigin: string;
}

/** Reads the secret's string value by ARN; `fetchSessionKeysSecret` in session-keys-secret.ts in AWS. */
export type SecretFetcher = (arn: string) => Promise<string>;

const isOrigin = (value: string): boolean => URL.canParse(value) && new URL(value).origin === value;

/**
 * The keys and the public origin. SESSION_KEYS (the stored form parseSessionKeys reads) wins; else
 * SESSION_KEYS_SECRET_ARN is fetched with `fetchSecret`. Throws a ConfigurationError naming the
 * variable (never its value) when neither is usable.
 */
export async function loadPageConfig(env: NodeJS.ProcessEnv, fetchSecret: SecretFetcher | undefined): Promise<PageConfig> {
  const values = readEnvironment(
    {
      [PAGE_ENV.publicOrigin]: variable(
        z.string().check(z.refine(isOrigin)),
        'the origin browsers reach the site at, such as https://fsp.example.org or http://127.0.0.1:3000',
      ),
      [PAGE_ENV.sessionKeys]: variable(z.optional(z.string()), 'the session keys as JSON'),
      [PAGE_ENV.sessionKeysSecretArn]: variable(z.optional(z.string().check(z.startsWith('arn:'))), 'a Secrets Manager ARN'),
    },
    env,
  );
  const publicOrigin = values[PAGE_ENV.publicOrigin] as string;
  const inline = values[PAGE_ENV.sessionKeys] as string | undefined;
  const arn = values[PAGE_ENV.sessionKeysSecretArn] as string | undefined;
  if (inline !== undefined) return { keys: keysFrom(inline, PAGE_ENV.sessionKeys), publicOrigin };
  if (arn === undefined) {
    throw new ConfigurationError(
      `The function's environment is not usable: ${PAGE_ENV.sessionKeys} (or ${PAGE_ENV.sessionKeysSecretArn}) must be set for page routes`,
    );
  }
  if (fetchSecret === undefined) {
    throw new ConfigurationError(
      `${PAGE_ENV.sessionKeysSecretArn} is set but the function's entry passes no fetchSecret to createHttpHandler`,
    );
  }
  return { keys: keysFromSecret(await fetchSecret(arn)), publicOrigin };
}

/**
 * What CloudFormation generates (infra/cdk/platform-stack.ts): `{"id":1,"passphrase":"<64 random
 * letters and digits>"}`, as GenerateSecretString can only make printable text, not 32 random
 * bytes. The AES key is HKDF-SHA256 of the passphrase (about 380 bits of entropy), bound to this use.
 */
const generatedSecret = onFirstUse(() =>
  z.object({
    id: z.int().check(z.minimum(0), z.maximum(255)),
    passphrase: z.string().check(z.minLength(32), z.maxLength(4096)),
  }),
);

export function keyFromPassphrase(id: number, passphrase: string): SessionKey {
  const secret = new Uint8Array(hkdfSync('sha256', passphrase, 'fsp-session-keys:v1', `fsp:session-key:${id}`, 32));
  return { id, secret };
}

/**
 * The secret's value: the generated form (one key), or the stored form parseSessionKeys reads, which
 * an operator writes to rotate (a new key second, then first, then the old one dropped: ADR 0012).
 */
export function keysFromSecret(text: string): SessionKey[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new ConfigurationError(`${PAGE_ENV.sessionKeysSecretArn} names a secret whose value is not JSON`);
  }
  if (typeof json === 'object' && json !== null && 'keys' in json) return keysFrom(text, PAGE_ENV.sessionKeysSecretArn);
  const generated = generatedSecret().safeParse(json);
  if (!generated.success) {
    const fields = generated.error.issues.map((issue) => issue.path.join('.') || '(the value)');
    throw new ConfigurationError(
      `${PAGE_ENV.sessionKeysSecretArn} names a secret that holds neither {"keys":[…]} nor {"id","passphrase"}: ${fields.join(', ')}`,
    );
  }
  return [keyFromPassphrase(generated.data.id, generated.data.passphrase)];
}

function keysFrom(text: string, source: string): SessionKey[] {
  try {
    return parseSessionKeys(text);
  } catch (error) {
    // parseSessionKeys never puts the secret in its message.
    throw new ConfigurationError(`${source} does not hold usable session keys: ${(error as Error).message}`);
  }
}

export type PageAdmission =
  | { ok: true; claims: PageClaims; session: WorkerSession; config: PageConfig; refreshCookie?: string }
  | { ok: false; location: string; cookies: string[]; reason: string };
export type AdmittedPage = Extract<PageAdmission, { ok: true }>;

function sessionCookieOf(cookies: readonly string[] | undefined): string | undefined {
  for (const cookie of cookies ?? []) {
    const at = cookie.indexOf('=');
    if (at > 0 && cookie.slice(0, at).trim() === SESSION_COOKIE) return cookie.slice(at + 1).trim();
  }
  return undefined;
}

/** `/signin?returnTo=…`: the page asked for (with its query on a GET; the path alone otherwise, as a form post cannot be replayed). */
export function signInLocation(method: string, path: string, rawQuery: string | undefined): string {
  const asked = method === 'GET' && rawQuery ? `${path}?${rawQuery}` : path;
  return `${SIGN_IN_PATH}?returnTo=${encodeURIComponent(safeReturnTo(asked))}`;
}

/**
 * Opens the session cookie: a missing or unusable session answers a redirect to sign in (clearing a
 * cookie that was there but can no longer open). The handler checks the roles on the claims, as for
 * bearer tokens, then Origin and the CSRF token on unsafe methods.
 */
export function admitPage(event: ApiGatewayV2Event, config: PageConfig, now: Date): PageAdmission {
  const method = (event.requestContext?.http?.method ?? '').toUpperCase();
  const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
  const location = signInLocation(method, path, event.rawQueryString);
  const value = sessionCookieOf(event.cookies);
  if (value === undefined || value === '') return { ok: false, location, cookies: [], reason: 'no session' };
  const opened = openSession(value, config.keys, now);
  if (!opened.ok) return { ok: false, location, cookies: [clearedSessionCookieHeader()], reason: opened.reason };
  const { session } = opened;
  const claims: PageClaims = {
    kind: 'worker',
    userId: session.userId,
    username: session.username,
    roles: [...session.roles],
    teamId: session.teamId,
    name: session.name,
    ...(session.email === undefined ? {} : { email: session.email }),
    csrfToken: csrfTokenFor(session),
  };
  const refreshCookie = opened.refresh
    ? sessionCookieHeader(sealSession(session, config.keys, now), sessionCookieMaxAge(session, now))
    : undefined;
  return { ok: true, claims, session, config, ...(refreshCookie === undefined ? {} : { refreshCookie }) };
}

/** Origin first (a header, no body needed), then the token; either wrong is a 403 and the route never runs. */
export function checkPageOrigin(headers: Readonly<Record<string, string>>, config: PageConfig): void {
  if (!isSameOrigin(headers.origin, config.publicOrigin)) {
    throw new Forbidden('This form was not sent from this site. Go back to the page, reload it and try again.');
  }
}

export function checkPageCsrf(session: WorkerSession, token: string | undefined): void {
  if (!isValidCsrfToken(session, token)) {
    throw new Forbidden('This form has expired or was not sent from this site. Go back to the page, reload it and try again.');
  }
}

/** `application/x-www-form-urlencoded; charset=UTF-8` → true. */
const isForm = (contentType: string | undefined): boolean =>
  (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';

/**
 * A urlencoded form carries the token as its `csrfToken` field (a form without JavaScript cannot set
 * a header); anything else as the `x-csrf-token` header. A token sent twice is not one valid token.
 */
function csrfTokenOf(event: ApiGatewayV2Event, headers: Readonly<Record<string, string>>): string | undefined {
  if (!isForm(headers['content-type'])) return headers[CSRF_HEADER];
  const raw = event.body;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const values = new URLSearchParams(text).getAll(CSRF_FORM_FIELD);
  return values.length === 1 ? values[0] : undefined;
}

// ---- Error pages (error-pages.ts; named here too, where page functions have always found them) ----

export {
  bareErrorPages,
  ERROR_PAGE_HEADINGS,
  type ErrorPage,
  type ErrorPageKind,
  type ErrorPageRenderer,
  errorPageFor,
} from './error-pages';

// ---- Page support for the HTTP handler ----

export interface PageSessionsOptions {
  /** Where PUBLIC_ORIGIN and SESSION_KEYS (or SESSION_KEYS_SECRET_ARN) are read; `process.env` by default. */
  environment?: NodeJS.ProcessEnv;
  /** Reads SESSION_KEYS_SECRET_ARN in AWS: `fetchSessionKeysSecret` from session-keys-secret.ts. */
  fetchSecret?: SecretFetcher;
  /** The clock sessions are judged by; the system's by default. */
  now?: () => Date;
  /** The function's page renderer, for the GOV.UK error pages; `bareErrorPages` when not given. */
  errorPages?: ErrorPageRenderer;
}

/** What createHttpHandler calls for page routes (its `pages` option). */
export interface PageSessions {
  /** Opens the session cookie, reading the configuration on the first call (again after a failure). */
  admit(event: ApiGatewayV2Event): Promise<PageAdmission>;
  /** On unsafe methods, before the body is read. */
  checkOrigin(admitted: AdmittedPage, headers: Readonly<Record<string, string>>): void;
  /** On unsafe methods, once the body is known to be acceptable. */
  checkCsrf(admitted: AdmittedPage, event: ApiGatewayV2Event, headers: Readonly<Record<string, string>>): void;
  /** Removed from a form body before the route's schema sees it: the token is the handler's business. */
  readonly csrfFormField: string;
  /** What a page request that failed shows. */
  readonly errorPages: ErrorPageRenderer;
  /** Which error page an error is (undefined: unexpected, a 500, with `requestId` as its reference). */
  errorPageFor(error: HttpError | undefined, requestId?: string): ErrorPage;
  /**
   * For the public routes of a page function (sign-in, sign-out): the keys and the public origin,
   * read as for page routes.
   */
  config(): Promise<PageConfig>;
  /** The session the cookie holds, if it opens now (nothing is redirected, refreshed or cleared): sign-out asks. */
  currentSession(event: ApiGatewayV2Event): Promise<WorkerSession | undefined>;
  /**
   * A form posted to a public route, checked as page routes' forms are: Origin always, and the CSRF
   * token of `session` when there is one. Throws Forbidden (a 403 page) otherwise.
   */
  checkForm(event: ApiGatewayV2Event, session: WorkerSession | undefined): Promise<void>;
}

/**
 * Page support for createHttpHandler, passed by the entries of functions that serve pages only, so
 * that sealing, CSRF and the environment they need stay out of every other function's bundle.
 */
export function pageSessions(options: PageSessionsOptions = {}): PageSessions {
  const now = options.now ?? (() => new Date());
  // Read once per container; forgotten after a failure so that the next request tries again (a
  // Secrets Manager hiccup must not stick for the container's life).
  let config: Promise<PageConfig> | undefined;
  const configOnce = (): Promise<PageConfig> => {
    config ??= loadPageConfig(options.environment ?? process.env, options.fetchSecret).catch((error: unknown) => {
      config = undefined;
      throw error;
    });
    return config;
  };
  return {
    admit: async (event) => admitPage(event, await configOnce(), now()),
    checkOrigin: (admitted, headers) => checkPageOrigin(headers, admitted.config),
    checkCsrf: (admitted, event, headers) => checkPageCsrf(admitted.session, csrfTokenOf(event, headers)),
    csrfFormField: CSRF_FORM_FIELD,
    errorPages: options.errorPages ?? bareErrorPages,
    errorPageFor,
    config: configOnce,
    async currentSession(event) {
      const value = sessionCookieOf(event.cookies);
      if (value === undefined || value === '') return undefined;
      const opened = openSession(value, (await configOnce()).keys, now());
      return opened.ok ? opened.session : undefined;
    },
    async checkForm(event, session) {
      const headers = lowerCaseHeaders(event.headers);
      checkPageOrigin(headers, await configOnce());
      if (session !== undefined) checkPageCsrf(session, csrfTokenOf(event, headers));
    },
  };
}

function lowerCaseHeaders(headers: ApiGatewayV2Event['headers'] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}
