/**
 * One HTTP Lambda per service: `createHttpHandler(routes, { logger })` routes API Gateway v2
 * events to `defineRoute` handlers. Before a handler runs, the request has been matched (404/405),
 * authorised (401/403), size- and type-checked (413/415), parsed and validated (400 listing every
 * failing field), so a handler only ever sees a valid request and nothing is written for a
 * rejected one. Every answer, success or problem, carries the correlation id. A program is answered
 * problem+json; a browser on a route that answers HTML (a page, or `errorsAsPages`) is answered a
 * GOV.UK error page for every failure, whatever it was.
 */
import middy from '@middy/core';
import type * as core from 'zod/v4/core';
import { type FieldIssue, validate } from '../events/field-issues';
import type { HttpMethod, HttpRoute, RouteAuth } from '../manifest';
import { flushMetrics } from '../metrics';
import { CORRELATION_HEADER, isValidCorrelationId } from '../observability/correlation';
import { beginLogScope, endLogScope, type Logger } from '../observability/logger';
import type { Role } from '../people';
import type { ApiGatewayV2Event, ApiGatewayV2Result, LambdaContextLike } from './api-gateway';
import { type PartnerClaims, verifiedClaims, type WorkerClaims } from './claims';
import { BODY_REQUIRED_MESSAGE, bareErrorPages, type ErrorPageRenderer, errorPageFor } from './error-pages';
import {
  BadRequest,
  type FieldError,
  type FieldLocation,
  Forbidden,
  HttpError,
  internalErrorProblem,
  MethodNotAllowed,
  NotFound,
  PayloadTooLarge,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPES,
  UnsupportedMediaType,
  ValidationFailed,
} from './errors';
// Types only: the page code itself arrives through the `pages` option (see HttpHandlerOptions).
import type { AdmittedPage, PageClaims, PageSessions } from './page-session';
import { type CompiledPath, compilePath, matchAll, pathSegments } from './router';
import { DeadlineReached, serviceUnavailableFor, transientFailureOf } from './transient';

/** PARTNER-API.md: bodies over 256 KB answer 413. Counted in decoded bytes. */
export const MAX_BODY_BYTES = 256 * 1024;

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

export type RawParams = Record<string, string>;
/** A repeated query key (`?status=a&status=b`) becomes a list. */
export type RawQuery = Record<string, string | string[]>;

export type ClaimsFor<A extends RouteAuth> = A extends { kind: 'worker' }
  ? WorkerClaims
  : A extends { kind: 'page' }
    ? PageClaims
    : A extends { kind: 'partner' }
      ? PartnerClaims
      : undefined;

type Out<S, Fallback> = S extends core.$ZodType ? core.output<S> : Fallback;

export interface HttpRequest<Params = RawParams, Query = RawQuery, Body = undefined, Claims = undefined> {
  method: HttpMethod;
  /** The matched template, `/v1/referrals/{id}`: safe to log and to use as a metric dimension. */
  route: string;
  /** The path as requested. */
  path: string;
  params: Params;
  query: Query;
  body: Body;
  /** Lower-cased names. */
  headers: Readonly<Record<string, string>>;
  cookies: readonly string[];
  claims: Claims;
  /** From a valid `x-correlation-id` header, else the gateway's request id: pass it to `buildEvent`. */
  correlationId: string;
  /** The gateway's request id: the `causationId` of events this request produces. */
  requestId: string;
  event: ApiGatewayV2Event;
  logger: Logger;
}

type ResultBase = { status: number; headers?: Record<string, string>; cookies?: string[] };
export type HttpResult =
  | (ResultBase & { json: unknown; html?: never; text?: never })
  | (ResultBase & { html: string; json?: never; text?: never })
  | (ResultBase & { text: string; json?: never; html?: never })
  | (ResultBase & { json?: never; html?: never; text?: never });

export const json = (status: number, body: unknown, headers?: Record<string, string>): HttpResult => ({
  status,
  json: body,
  ...(headers ? { headers } : {}),
});
export const html = (status: number, markup: string, headers?: Record<string, string>): HttpResult => ({
  status,
  html: markup,
  ...(headers ? { headers } : {}),
});
export const noContent = (headers?: Record<string, string>): HttpResult => ({ status: 204, ...(headers ? { headers } : {}) });
/** 303 by default: after a form POST the browser must GET the next page. */
export const redirect = (location: string, status: 301 | 302 | 303 | 307 | 308 = 303): HttpResult => ({ status, headers: { location } });

/** What a route module adds to a route's declaration (`HttpRoute`, from the service's `src/http/routes.ts`). */
export interface RouteImplementation<
  A extends RouteAuth,
  P extends core.$ZodType | undefined,
  Q extends core.$ZodType | undefined,
  B extends core.$ZodType | undefined,
> {
  params?: P;
  query?: Q;
  body?: B;
  /** Also accept `application/x-www-form-urlencoded` bodies (server-rendered forms without JavaScript). */
  acceptForm?: boolean;
  /**
   * The route answers HTML: every failure (400, 404, 405, 413, 415, 500…) is a GOV.UK error page, as
   * page routes' always are, never a problem document. For the public routes a browser reaches: the
   * referral form, sign-in and sign-out. Needs the handler's `errorPages` (or `pages`).
   */
  errorsAsPages?: boolean;
  handle: (request: HttpRequest<Out<P, RawParams>, Out<Q, RawQuery>, Out<B, undefined>, ClaimsFor<A>>) => Promise<HttpResult>;
}

/** A route with its types erased, as the router holds it; build one with `defineRoute`. */
export interface Route {
  /** The manifest's object itself: the manifest test matches routes to functions by identity. */
  readonly declaration: HttpRoute;
  readonly method: HttpMethod;
  readonly path: string;
  readonly auth: RouteAuth;
  readonly params: core.$ZodType | undefined;
  readonly query: core.$ZodType | undefined;
  readonly body: core.$ZodType | undefined;
  readonly acceptForm: boolean;
  /** Errors answer as pages: page routes, and routes that ask (`errorsAsPages`). */
  readonly errorsAsPages: boolean;
  readonly handle: (request: HttpRequest<unknown, unknown, unknown, unknown>) => Promise<HttpResult>;
  /**
   * A route of a `lazyRoutes` group: its implementation, loaded with its group's module on the
   * first request any of the group's routes matches. The router calls it before it reads anything
   * but the declaration and `errorsAsPages`.
   */
  readonly implementation?: () => Promise<Route>;
}

/**
 * Implements a declared route. The declaration (method, path, who is admitted, which function
 * serves it) is written once, as data, in the service's `src/http/routes.ts`, which its manifest
 * lists; the route module passes that same object here with its schemas and handler.
 */
export function defineRoute<
  const D extends HttpRoute,
  P extends core.$ZodType | undefined = undefined,
  Q extends core.$ZodType | undefined = undefined,
  B extends core.$ZodType | undefined = undefined,
>(declaration: D, implementation: RouteImplementation<D['auth'], P, Q, B>): Route {
  compilePath(declaration.path); // a malformed template fails at module load, not on the first request
  const auth = declaration.auth;
  if ((auth.kind === 'worker' || auth.kind === 'page') && auth.roles.length === 0) {
    throw new Error(`Route ${declaration.method} ${declaration.path} admits workers but names no role`);
  }
  return {
    declaration,
    method: declaration.method,
    path: declaration.path,
    auth,
    params: implementation.params,
    query: implementation.query,
    body: implementation.body,
    acceptForm: implementation.acceptForm ?? false,
    errorsAsPages: auth.kind === 'page' || (implementation.errorsAsPages ?? false),
    // The router validates params, query, body and claims against this very spec before calling.
    handle: implementation.handle as unknown as Route['handle'],
  };
}

/**
 * Routes whose implementations stay out of a cold start (ADR 0038): the router knows them by their
 * declarations, and `load` (an `import()` of the module that defines them, which the deployed
 * bundle keeps in a chunk of its own) runs on the first request any of them matches. The routes it
 * answers must be exactly `declarations`, by identity, else the request fails naming the
 * difference. A load that fails is tried again by the next request.
 *
 * `errorsAsPages`: what the group's routes say in `defineRoute`, needed before they are loaded (a
 * page route's errors are always pages).
 */
export function lazyRoutes(
  declarations: readonly HttpRoute[],
  load: () => Promise<readonly Route[]>,
  options: { errorsAsPages?: boolean } = {},
): Route[] {
  let loading: Promise<ReadonlyMap<HttpRoute, Route>> | undefined;
  const loaded = async (): Promise<ReadonlyMap<HttpRoute, Route>> => {
    const routes = await load();
    const byDeclaration = new Map(routes.map((route) => [route.declaration, route]));
    const missing = declarations.filter((declaration) => !byDeclaration.has(declaration));
    const extra = routes.filter((route) => !declarations.includes(route.declaration));
    if (missing.length > 0 || extra.length > 0) {
      const named = (list: readonly { method: string; path: string }[]) => list.map((route) => `${route.method} ${route.path}`).join(', ');
      throw new Error(
        `A lazy route group does not define what it declares: missing ${named(missing) || 'none'}; not declared ${named(extra) || 'none'}`,
      );
    }
    for (const route of routes) {
      if (route.errorsAsPages !== (route.auth.kind === 'page' || (options.errorsAsPages ?? false)))
        throw new Error(`Route ${route.method} ${route.path} answers errors as pages, or not, unlike its lazy group's declaration`);
    }
    return byDeclaration;
  };
  const group = (): Promise<ReadonlyMap<HttpRoute, Route>> => {
    if (loading === undefined) {
      loading = loaded();
      // The next request tries again: a failed load (a throttled read of the chunk) is not kept.
      loading.catch(() => {
        loading = undefined;
      });
    }
    return loading;
  };
  return declarations.map((declaration) => {
    compilePath(declaration.path);
    return {
      declaration,
      method: declaration.method,
      path: declaration.path,
      auth: declaration.auth,
      params: undefined,
      query: undefined,
      body: undefined,
      acceptForm: false,
      errorsAsPages: declaration.auth.kind === 'page' || (options.errorsAsPages ?? false),
      handle: () => Promise.reject(new Error(`Route ${declaration.method} ${declaration.path} was called before it was loaded`)),
      implementation: async () => (await group()).get(declaration) as Route,
    };
  });
}

export interface HttpHandlerOptions {
  logger: Logger;
  /**
   * Required when a route is a page (`{ kind: 'page' }`): `pageSessions({ fetchSecret, errorPages })`
   * from page-session.ts. Passed in rather than imported so that functions without pages do not
   * bundle sealing, CSRF code or templates; it reads its configuration on the first page request.
   */
  pages?: PageSessions;
  /**
   * The error pages of the public routes that answer HTML (`errorsAsPages`), where nobody is signed
   * in: `publicErrorPages(renderer, …)` from error-pages.ts for the referral form. Without it they
   * use `pages`' error pages (the worker layout without a worker, as sign-in's do).
   */
  errorPages?: ErrorPageRenderer;
}

/**
 * How a failed request is answered: set as soon as the handler knows (the route; for an address no
 * route matches, a browser's Accept or an HTML route's prefix), with the signed-in worker once the
 * session has been opened, for the page's navigation. No renderer: a problem document.
 */
interface PageRequest {
  errorPages?: ErrorPageRenderer | undefined;
  claims?: PageClaims;
}

/** A browser navigating asks for HTML first; API clients ask for JSON or anything. */
const acceptsHtml = (headers: Readonly<Record<string, string>>): boolean => (headers.accept ?? '').includes('text/html');

/** `/refer/a/b` → `refer`: as written, before any decoding (a route's literal needs none). */
const firstSegmentOf = (rawPath: string): string => rawPath.split('/', 2)[1] ?? '';

export type HttpHandler = (event: ApiGatewayV2Event, context?: LambdaContextLike) => Promise<ApiGatewayV2Result>;

interface CompiledRoute {
  route: Route;
  compiled: CompiledPath;
}

function lowerCaseHeaders(headers: ApiGatewayV2Event['headers'] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}

export function correlationIdOf(event: ApiGatewayV2Event): string {
  const header = lowerCaseHeaders(event.headers)[CORRELATION_HEADER];
  if (isValidCorrelationId(header)) return header;
  const requestId = event.requestContext?.requestId;
  return isValidCorrelationId(requestId) ? requestId : crypto.randomUUID();
}

const requestIdOf = (event: ApiGatewayV2Event, correlationId: string): string => event.requestContext?.requestId || correlationId;

function parseQuery(event: ApiGatewayV2Event): RawQuery {
  const source =
    typeof event.rawQueryString === 'string'
      ? new URLSearchParams(event.rawQueryString)
      : new URLSearchParams(Object.entries(event.queryStringParameters ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
  return collectParameters(source);
}

/**
 * Name/value pairs (a query string, a form body) as one object, a repeated name as a list. The
 * object has no prototype, so a name such as `toString` or `__proto__` is a field like any other,
 * left to the route's schema, never an inherited property or the object's prototype.
 */
function collectParameters(pairs: Iterable<[string, string]>): RawQuery {
  const collected: RawQuery = Object.create(null);
  for (const [key, value] of pairs) {
    const existing = Object.hasOwn(collected, key) ? collected[key] : undefined;
    collected[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return collected;
}

/** Exact decoded size without decoding: a 6 MB base64 body is refused before it is allocated twice. */
function decodedLength(body: string, base64: boolean): number {
  if (!base64) return Buffer.byteLength(body, 'utf8');
  const compact = body.replace(/\s/g, '');
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  return Math.floor((compact.length * 3) / 4) - padding;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBody(body: string, base64: boolean): string {
  if (!base64) return body;
  try {
    return utf8.decode(Buffer.from(body, 'base64'));
  } catch (error) {
    // By its code: a TypeError from another realm (a test's vm context) is not `instanceof TypeError`.
    if ((error as { code?: unknown } | null)?.code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      throw new BadRequest('The request body is not valid UTF-8 text.', {
        type: PROBLEM_TYPES.malformedBody,
        errors: [{ in: 'body', path: '$', message: 'The body must be UTF-8 text' }],
      });
    }
    throw error;
  }
}

/** `application/json; charset=UTF-8` → `application/json`; undefined when a charset other than UTF-8 is named. */
function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const [type, ...parameters] = contentType.split(';');
  for (const parameter of parameters) {
    const [name, rawValue] = parameter.split('=').map((part) => part.trim());
    if (name?.toLowerCase() === 'charset' && rawValue?.replace(/^"|"$/g, '').toLowerCase() !== 'utf-8') return undefined;
  }
  return type?.trim().toLowerCase();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // The parser's own message quotes the body; only the position goes back (and nothing to the log).
    const position = /position (\d+)/.exec(error.message)?.[1];
    const where =
      position !== undefined
        ? ` near character ${Number(position) + 1}`
        : text.trim().length === 0
          ? ' (it is empty)'
          : ' (it ends too soon)';
    throw new BadRequest('The request body is not valid JSON.', {
      type: PROBLEM_TYPES.malformedBody,
      errors: [{ in: 'body', path: '$', message: `The body is not valid JSON${where}; check quotes, commas and brackets` }],
    });
  }
}

function parseForm(text: string): RawQuery {
  return collectParameters(new URLSearchParams(text));
}

/** Methods that change state: a page request with one needs the Origin and CSRF checks. */
const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const ROLE_NAMES: Record<Role, string> = {
  'front-door': 'the front door',
  'social-worker': 'social workers',
  'adult-specialist': 'adult specialists',
  'team-manager': 'team managers',
  'service-manager': 'service managers',
  administrator: 'administrators',
};

/** `['front-door', 'team-manager']` → "the front door or team managers". */
function inWords(roles: readonly Role[]): string {
  const names = roles.map((role) => ROLE_NAMES[role]);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

const located = (issues: FieldIssue[], where: FieldLocation): FieldError[] => issues.map((issue) => ({ in: where, ...issue }));

function checkRoles(roles: readonly Role[], claims: WorkerClaims): void {
  if (!roles.some((role) => claims.roles.includes(role))) {
    throw new Forbidden(`This is for ${inWords(roles)}; your account does not have that role.`);
  }
}

/** Bearer routes: the claims the gateway verified. Page routes never come here (see admitPage). */
function authorise(route: Route, event: ApiGatewayV2Event): WorkerClaims | PartnerClaims | undefined {
  const auth = route.auth;
  if (auth.kind === 'public' || auth.kind === 'page') return undefined;
  const claims = verifiedClaims(event);
  if (auth.kind === 'worker') {
    if (claims.kind !== 'worker') throw new Forbidden('This address is for signed-in staff.');
    checkRoles(auth.roles, claims);
    return claims;
  }
  if (claims.kind !== 'partner') throw new Forbidden('This address is for partner agencies.');
  const missing = auth.scopes.filter((scope) => !claims.scopes.includes(scope));
  if (missing.length > 0) throw new Forbidden(`The access token needs the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`);
  return claims;
}

function readBody(route: Route, event: ApiGatewayV2Event, headers: Record<string, string>): { present: boolean; value: unknown } {
  const raw = event.body;
  if (raw === undefined || raw === null || raw === '') return { present: false, value: undefined };
  if (decodedLength(raw, event.isBase64Encoded) > MAX_BODY_BYTES) throw new PayloadTooLarge(MAX_BODY_BYTES);
  // A route without a body schema ignores a body; it never reads it, so its type does not matter.
  if (!route.body) return { present: false, value: undefined };
  const accepted = route.acceptForm ? [JSON_TYPE, FORM_TYPE] : [JSON_TYPE];
  const mediaType = mediaTypeOf(headers['content-type']);
  if (!mediaType || !accepted.includes(mediaType)) throw new UnsupportedMediaType(accepted);
  const text = decodeBody(raw, event.isBase64Encoded);
  return { present: true, value: mediaType === FORM_TYPE ? parseForm(text) : parseJson(text) };
}

function toResult(result: HttpResult): ApiGatewayV2Result {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (result.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(result.json);
  } else if (result.html !== undefined) {
    headers['content-type'] = 'text/html; charset=utf-8';
    body = result.html;
  } else if (result.text !== undefined) {
    headers['content-type'] = 'text/plain; charset=utf-8';
    body = result.text;
  }
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    statusCode: result.status,
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(result.cookies && result.cookies.length > 0 ? { cookies: result.cookies } : {}),
  };
}

export function createHttpHandler(routes: readonly Route[], options: HttpHandlerOptions): HttpHandler {
  const { logger } = options;
  const pages = options.pages;
  const firstPage = routes.find((route) => route.auth.kind === 'page');
  if (firstPage !== undefined && pages === undefined) {
    throw new Error(
      `Route ${firstPage.method} ${firstPage.path} is a page: pass pages: pageSessions(…) (shared/src/http/page-session.ts) to createHttpHandler`,
    );
  }
  const publicErrors = options.errorPages ?? pages?.errorPages;
  const firstHtml = routes.find((route) => route.errorsAsPages);
  if (firstHtml !== undefined && publicErrors === undefined) {
    throw new Error(
      `Route ${firstHtml.method} ${firstHtml.path} answers errors as pages: pass errorPages: publicErrorPages(…) (shared/src/http/error-pages.ts), or pages: pageSessions(…), to createHttpHandler`,
    );
  }
  /** A page's errors are in the worker's layout; a public route's in the public one, when the function has it. */
  const errorPagesOf = (route: Route): ErrorPageRenderer | undefined =>
    !route.errorsAsPages ? undefined : route.auth.kind === 'page' ? pages?.errorPages : publicErrors;
  /** An address no route matches under an HTML route's first segment is a page's (`/refer/a/b`), whoever asks. */
  const htmlPrefixes = new Map<string, ErrorPageRenderer | undefined>();
  for (const route of routes) {
    const segment = firstSegmentOf(route.path);
    if (route.errorsAsPages && segment !== '' && !segment.startsWith('{') && !htmlPrefixes.has(segment)) {
      htmlPrefixes.set(segment, errorPagesOf(route));
    }
  }
  const compiled: CompiledRoute[] = routes.map((route) => ({ route, compiled: compilePath(route.path) }));
  const seen = new Set<string>();
  for (const { route } of compiled) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`Route ${key} is defined twice`);
    seen.add(key);
  }

  async function dispatch(event: ApiGatewayV2Event, pageRequest: PageRequest): Promise<ApiGatewayV2Result> {
    const method = (event.requestContext?.http?.method ?? '').toUpperCase();
    const rawPath = event.rawPath ?? event.requestContext?.http?.path ?? '/';
    const headers = lowerCaseHeaders(event.headers);
    // Until a route is known, a browser in a function that serves pages is shown pages, and so is
    // anyone at an address under a page's prefix.
    pageRequest.errorPages =
      htmlPrefixes.get(firstSegmentOf(rawPath)) ?? (acceptsHtml(headers) ? (pages?.errorPages ?? publicErrors) : undefined);
    const segments = pathSegments(rawPath);
    if (!segments) {
      throw new BadRequest('The address is not valid.', {
        errors: [{ in: 'path', path: '$', message: 'The path has a malformed %-escape' }],
      });
    }
    const matches = matchAll(compiled, segments);
    if (matches.length === 0) throw new NotFound();
    const htmlMatch = matches.find((m) => m.entry.route.errorsAsPages);
    pageRequest.errorPages = htmlMatch === undefined ? undefined : errorPagesOf(htmlMatch.entry.route);
    const match = matches.find((m) => m.entry.route.method === method);
    if (!match) throw new MethodNotAllowed([...new Set(matches.map((m) => m.entry.route.method))].sort());
    // Who is admitted is the declaration's: a lazy route's module is loaded only for a request that may use it.
    const declared = match.entry.route;
    pageRequest.errorPages = errorPagesOf(declared);

    let claims: WorkerClaims | PartnerClaims | PageClaims | undefined = authorise(declared, event);
    const responseCookies: string[] = [];
    let page: AdmittedPage | undefined;
    if (declared.auth.kind === 'page') {
      if (pages === undefined) throw new Error(`Route ${declared.method} ${declared.path} is a page but the handler has no pages`);
      const admitted = await pages.admit(event);
      if (!admitted.ok) {
        logger.info('Page request sent to sign in', { reason: admitted.reason });
        return toResult({ status: 303, headers: { location: admitted.location, 'cache-control': 'no-store' }, cookies: admitted.cookies });
      }
      pageRequest.claims = admitted.claims;
      checkRoles(declared.auth.roles, admitted.claims);
      if (UNSAFE_METHODS.has(method)) pages.checkOrigin(admitted, headers);
      claims = admitted.claims;
      page = admitted;
      if (admitted.refreshCookie !== undefined) responseCookies.push(admitted.refreshCookie);
    }
    const route = declared.implementation ? await declared.implementation() : declared;
    const body = readBody(route, event, headers);
    if (page !== undefined && pages !== undefined && UNSAFE_METHODS.has(method)) {
      pages.checkCsrf(page, event, headers);
      // The token is the handler's business: a route's schema never sees it.
      if (body.present && mediaTypeOf(headers['content-type']) === FORM_TYPE) delete (body.value as RawQuery)[pages.csrfFormField];
    }

    const errors: FieldError[] = [];
    const check = (schema: core.$ZodType | undefined, value: unknown, where: FieldLocation): unknown => {
      if (!schema) return value;
      const result = validate(schema, value);
      if (result.success) return result.data;
      errors.push(...located(result.issues, where));
      return undefined;
    };
    const params = check(route.params, match.params, 'path');
    const query = check(route.query, parseQuery(event), 'query');
    let parsedBody: unknown;
    if (route.body) {
      if (!body.present) errors.push({ in: 'body', path: '$', message: BODY_REQUIRED_MESSAGE });
      else parsedBody = check(route.body, body.value, 'body');
    }
    if (errors.length > 0) throw new ValidationFailed(errors);

    const correlationId = correlationIdOf(event);
    const result = await route.handle({
      method: route.method,
      route: route.path,
      path: rawPath,
      params,
      query,
      body: parsedBody,
      headers,
      cookies: event.cookies ?? [],
      claims,
      correlationId,
      requestId: requestIdOf(event, correlationId),
      event,
      logger,
    });
    if (responseCookies.length > 0) return toResult({ ...result, cookies: [...(result.cookies ?? []), ...responseCookies] });
    return toResult(result);
  }

  const withCorrelation = (response: ApiGatewayV2Result | null | undefined, correlationId: string): void => {
    if (response) response.headers = { ...response.headers, [CORRELATION_HEADER]: correlationId };
  };

  return middy<ApiGatewayV2Event, ApiGatewayV2Result>()
    .use({
      // Registered first, so its after/onError run last: they see the final response, problems included.
      before: (request) => {
        const correlationId = correlationIdOf(request.event);
        const context = request.context as LambdaContextLike | undefined;
        if (context?.functionName) logger.addContext(request.context);
        beginLogScope(logger, correlationId, { requestId: requestIdOf(request.event, correlationId) });
      },
      // The business metrics the request recorded (shared/src/metrics.ts) are written once, at its end.
      after: (request) => {
        withCorrelation(request.response, correlationIdOf(request.event));
        endLogScope(logger);
        flushMetrics();
      },
      onError: (request) => {
        withCorrelation(request.response, correlationIdOf(request.event));
        endLogScope(logger);
        flushMetrics();
      },
    })
    .use({
      onError: (request) => {
        const event = request.event;
        const correlationId = correlationIdOf(event);
        const requestId = requestIdOf(event, correlationId);
        const instance = event.rawPath;
        const error = logFailure(logger, request.error);
        request.response =
          error !== undefined
            ? problemResult(error.toProblem(instance, requestId), error.headers)
            : problemResult(internalErrorProblem(instance, requestId), {});
      },
    })
    .handler(async (event, context) => {
      const pageRequest: PageRequest = {};
      try {
        return await beforeDeadline(logger, dispatch(event, pageRequest), context as LambdaContextLike | undefined);
      } catch (error) {
        // Problem documents are for programs; a browser on a page is shown a GOV.UK error page.
        if (pageRequest.errorPages === undefined) throw error;
        const requestId = requestIdOf(event, correlationIdOf(event));
        return errorPageResult(logger, pageRequest.errorPages, logFailure(logger, error), pageRequest.claims, requestId);
      }
    }) as unknown as HttpHandler;
}

/**
 * How long before its function's deadline a request still unfinished is answered 503 ("try again"),
 * so that the function answers rather than Lambda ending it (which API Gateway answers 502, with no
 * Retry-After). A second: enough for the answer to leave a busy function; the function's timeout
 * (10 s for the HTTP functions) leaves the request the rest.
 */
export const DEADLINE_MARGIN_MS = 1_000;

/**
 * `work`, or DeadlineReached when the function's time is about to run out first (a context without
 * `getRemainingTimeInMillis`, as in most tests, has no deadline). The work goes on unobserved: a
 * write it still completes is what a retry finds (the partner API's Idempotency-Key replays it).
 */
async function beforeDeadline<T>(logger: Logger, work: Promise<T>, context: LambdaContextLike | undefined): Promise<T> {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (remaining === undefined || !Number.isFinite(remaining)) return work;
  const margin = Math.min(DEADLINE_MARGIN_MS, Math.floor(remaining / 2));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineReached(margin)), Math.max(0, remaining - margin));
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    if (error instanceof DeadlineReached) {
      work.catch((late: unknown) => logger.warn('Request failed after it was answered for its deadline', { reason: nameOf(late) }));
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

const nameOf = (error: unknown): string => (error instanceof Error ? error.name : typeof error);

/**
 * Logs a failed request as the one error handler does, and gives the HttpError it answers, or
 * undefined for an unexpected error (a 500 that says nothing of its cause, logged as an error).
 * A failure a retry can fix (transient.ts: a write that kept conflicting, throttling, storage out
 * of reach or too slow, the function's deadline) is busy, not broken: 503 with Retry-After,
 * logged as a warning with its kind and the error's name or code.
 */
function logFailure(logger: Logger, failure: unknown): HttpError | undefined {
  if (!(failure instanceof HttpError)) {
    const transient = transientFailureOf(failure);
    if (transient !== undefined) {
      logger.warn('Request failed for a moment', { status: 503, ...transient });
      return serviceUnavailableFor(transient);
    }
  }
  const error = failure;
  if (error instanceof HttpError) {
    logger.info('Request rejected', {
      status: error.status,
      problemType: error.type,
      ...(error.errors ? { fields: error.errors.map((e) => `${e.in}:${e.path}`) } : {}),
      ...(error.cause !== undefined ? { reason: error.cause } : {}),
    });
    return error;
  }
  logger.error('Unhandled error', error instanceof Error ? error : new Error(String(error)));
  return undefined;
}

/** Headers of a problem that still mean something on a page: what a 405 allows, when to retry a busy one. */
const PAGE_ERROR_HEADERS = ['allow', 'retry-after'];

function errorPageResult(
  logger: Logger,
  renderer: ErrorPageRenderer,
  error: HttpError | undefined,
  claims: PageClaims | undefined,
  requestId: string,
): ApiGatewayV2Result {
  const page = errorPageFor(error, requestId);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(error?.headers ?? {}))
    if (PAGE_ERROR_HEADERS.includes(name.toLowerCase())) headers[name.toLowerCase()] = value;
  let used = renderer;
  let body: string;
  try {
    body = renderer.renderErrorPage(page, claims);
  } catch (failure) {
    // A page that cannot be drawn (a template missing from the function's set) still answers a page, bare, never a problem document.
    logger.error('Error page could not be rendered', failure instanceof Error ? failure : new Error(String(failure)));
    used = bareErrorPages;
    body = bareErrorPages.renderErrorPage(page, undefined);
  }
  return { statusCode: page.status, headers: { ...headers, ...used.headers }, body };
}

function problemResult(problem: ReturnType<HttpError['toProblem']>, headers: Record<string, string>): ApiGatewayV2Result {
  return {
    statusCode: problem.status,
    // Problems describe one request at one moment; a cache must never replay one.
    headers: { ...headers, 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' },
    body: JSON.stringify(problem),
  };
}
