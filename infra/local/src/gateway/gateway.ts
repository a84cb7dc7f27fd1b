import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteAuth, ServiceManifest } from '@fsp/shared/manifest';
import { FunctionError } from '../runtime/function-runtime';
import { functionIdOf, type Invoke } from '../runtime/types';
import { BodyTooLargeError, mediaTypeOf, readBody, sendJson } from './http-util';
import { type CompiledRoute, compileDefaultRoute, compileRoutes, matchRoute } from './routes';

/** What the gateway needs from the OIDC issuer: the local issuer satisfies it. */
export interface AccessTokenVerifier {
  verifyAccessToken(token: string): { kind: 'worker' | 'partner'; scopes: string[]; claims: Record<string, unknown> } | { error: string };
}

export interface GatewayOptions {
  manifests: readonly ServiceManifest[];
  invoke: Invoke;
  issuer: AccessTokenVerifier;
  /** `$default` (no path prefix) unless named; a named stage is the first path segment, as in API Gateway. */
  stage?: string;
  clock?: () => Date;
  log?: (line: string) => void;
  accountId?: string;
  /** API Gateway gives up on an integration after 30 s and answers 503. */
  integrationTimeoutMs?: number;
}

/**
 * What the gateway's own 503s say in `Retry-After` (API Gateway's carry none; QUALITY.md, reliability
 * 8, wants every 503 to: see docs/adr for what AWS does and what the local gateway does).
 */
export const GATEWAY_RETRY_AFTER_SECONDS = 5;

/**
 * How API Gateway answers a Lambda integration that did not give a response (the Lambda developer
 * guide, "Handling Lambda errors with an API Gateway API"): the function ran and failed (threw,
 * crashed, timed out, failed to start, or answered in the wrong format): 502; Lambda refused the
 * invocation itself: 500, which the local gateway answers 503 with Retry-After when the refusal is
 * throttling (a retry can fix it); the integration did not answer within its timeout: 503.
 */
export function integrationFailureStatus(error: unknown): 500 | 502 | 503 {
  if (error instanceof FunctionError) return 502;
  if (error instanceof Error && THROTTLED_INVOCATION.has(error.name)) return 503;
  return 500;
}

/** Lambda's names for an invocation refused for want of capacity (concurrency or rate). */
const THROTTLED_INVOCATION: ReadonlySet<string> = new Set(['TooManyRequestsException', 'ThrottlingException']);

export interface Gateway {
  /**
   * Answers a request a route matches, else one the `$default` route takes (every other request,
   * when a service declares it); false when neither, or outside a named stage.
   */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Every route the gateway serves, for the start-up banner. */
  routes(): { routeKey: string; service: string; auth: RouteAuth }[];
}

/** API Gateway HTTP API's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * API Gateway passes JSON and text bodies as they are and base64-encodes everything else, including
 * form posts (`application/x-www-form-urlencoded`) and requests with no content type at all.
 */
export function isTextContentType(contentType: string | undefined): boolean {
  const media = mediaTypeOf(contentType);
  return media.startsWith('text/') || media === 'application/json';
}

/**
 * The JWT authorizer hands claims to the function as strings: numbers and booleans as their text,
 * arrays as `[a b c]` (space separated, in brackets). Handlers must cope with that in AWS, so they
 * get the same here.
 */
export function authorizerClaimValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ')}]`;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** `12/Mar/2020:19:03:58 +0000`, API Gateway's request time format. */
export function apiGatewayTime(date: Date): string {
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000`;
}

function randomLowerAlnum(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  // Rejection sampling: 252 is the largest multiple of 36 below 256, so every character is equally likely.
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 252 && out.length < length) out += alphabet[byte % 36];
    }
  }
  return out;
}

class HandlerResponseError extends Error {}

interface MappedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Maps a handler's return value to an HTTP response by the payload 2.0 rules. */
export function mapHandlerResult(result: unknown): MappedResponse {
  if (!isRecord(result) || !('statusCode' in result)) {
    // No statusCode: API Gateway infers 200 and JSON, passing a string through and serialising anything else.
    const text = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(text, 'utf8') };
  }
  const { statusCode, headers = {}, cookies = [], body, isBase64Encoded = false } = result;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw new HandlerResponseError(`statusCode ${JSON.stringify(statusCode)} is not an HTTP status`);
  }
  if (!isRecord(headers)) throw new HandlerResponseError('headers must be an object');
  if (!Array.isArray(cookies) || cookies.some((c) => typeof c !== 'string'))
    throw new HandlerResponseError('cookies must be an array of strings');
  if (body !== undefined && body !== null && typeof body !== 'string') throw new HandlerResponseError('body must be a string');
  if (typeof isBase64Encoded !== 'boolean') throw new HandlerResponseError('isBase64Encoded must be a boolean');
  const mapped: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new HandlerResponseError(`header ${name} must be a string, number or boolean`);
    }
    mapped[name.toLowerCase()] = String(value);
  }
  if (cookies.length > 0) mapped['set-cookie'] = cookies as string[];
  const text = typeof body === 'string' ? body : '';
  return { status: statusCode, headers: mapped, body: isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8') };
}

function send(res: ServerResponse, response: MappedResponse, requestId: string): void {
  res.writeHead(response.status, { ...response.headers, 'content-length': response.body.length, 'apigw-requestid': requestId });
  res.end(response.body);
}

function bearerFrom(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') return undefined;
  // The JWT authorizer accepts the token with or without the `Bearer ` prefix.
  const match = /^bearer\s+(.+)$/i.exec(header.trim());
  return match ? match[1]!.trim() : header.trim();
}

type AuthOutcome =
  | { ok: true; jwt?: { claims: Record<string, string>; scopes: string[] } }
  | { ok: false; status: 401 | 403; challenge: string };

const TOKEN_ERROR_TEXT: Record<string, string> = {
  expired: 'the token has expired',
  'bad-signature': 'the token signature is invalid',
  'wrong-issuer': 'the token was not issued by this issuer',
  malformed: 'the token is not a valid access token',
  'unknown-client': 'the token was issued to an unknown client',
  'revoked-client': 'the token was issued to a revoked client',
};

export function createGateway(options: GatewayOptions): Gateway {
  const routes: CompiledRoute[] = compileRoutes(options.manifests);
  // What API Gateway gives every request no route matches, when a service declares it (ADR 0013).
  const defaultRoute = compileDefaultRoute(options.manifests);
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stage = options.stage ?? '$default';
  const accountId = options.accountId ?? '000000000000';
  const integrationTimeoutMs = options.integrationTimeoutMs ?? 30_000;
  const apiId = randomLowerAlnum(10);

  function authorise(req: IncomingMessage, auth: RouteAuth): AuthOutcome {
    // A page is admitted by the session cookie, which the function opens (ADR 0012): no authorizer, as in AWS.
    if (auth.kind === 'public' || auth.kind === 'page') return { ok: true };
    // JSON routes take a bearer token only, never a cookie, as API Gateway's JWT authorizer does.
    const token = bearerFrom(req);
    if (token === undefined || token === '') return { ok: false, status: 401, challenge: 'Bearer' };
    const verified = options.issuer.verifyAccessToken(token);
    if ('error' in verified) {
      const description = TOKEN_ERROR_TEXT[verified.error] ?? 'the token is not valid';
      return {
        ok: false,
        status: 401,
        challenge: `Bearer error="invalid_token", error_description="${description}"`,
      };
    }
    const needed = auth.kind === 'partner' ? auth.scopes : [];
    const missing = needed.filter((scope) => !verified.scopes.includes(scope));
    if (verified.kind !== auth.kind || missing.length > 0) {
      const description =
        verified.kind !== auth.kind ? `this route needs a ${auth.kind} token` : `the token lacks scope ${missing.join(' ')}`;
      return {
        ok: false,
        status: 403,
        challenge: `Bearer scope="${needed.join(' ')}", error="insufficient_scope", error_description="${description}"`,
      };
    }
    const claims: Record<string, string> = {};
    for (const [name, value] of Object.entries(verified.claims)) claims[name] = authorizerClaimValue(value);
    return { ok: true, jwt: { claims, scopes: [...verified.scopes] } };
  }

  function buildHeaders(req: IncomingMessage, sourceIp: string, now: Date): Record<string, string> {
    const headers: Record<string, string> = {};
    const raw = req.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!.toLowerCase();
      // Cookies travel in the event's `cookies` array instead.
      if (name === 'cookie') continue;
      const value = raw[i + 1]!;
      headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
    }
    headers['x-forwarded-for'] = headers['x-forwarded-for'] === undefined ? sourceIp : `${headers['x-forwarded-for']}, ${sourceIp}`;
    headers['x-forwarded-proto'] = 'http';
    headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
    headers['x-amzn-trace-id'] ??= `Root=1-${Math.floor(now.getTime() / 1000)
      .toString(16)
      .padStart(8, '0')}-${randomBytes(12).toString('hex')}`;
    return headers;
  }

  function cookiesOf(req: IncomingMessage): string[] {
    const out: string[] = [];
    const raw = req.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (raw[i]!.toLowerCase() !== 'cookie') continue;
      for (const part of raw[i + 1]!.split(';')) {
        const cookie = part.trim();
        if (cookie !== '') out.push(cookie);
      }
    }
    return out;
  }

  function queryParameters(rawQueryString: string): Record<string, string> | undefined {
    if (rawQueryString === '') return undefined;
    const out: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(rawQueryString)) out[name] = out[name] === undefined ? value : `${out[name]},${value}`;
    return out;
  }

  async function invokeWithTimeout(functionId: string, event: unknown): Promise<{ timedOut: true } | { timedOut: false; result: unknown }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<{ timedOut: true }>((resolve) => {
      timer = setTimeout(() => resolve({ timedOut: true }), integrationTimeoutMs);
    });
    try {
      return await Promise.race([options.invoke(functionId, event).then((result) => ({ timedOut: false as const, result })), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const rawPath = queryAt < 0 ? target : target.slice(0, queryAt);
    const rawQueryString = queryAt < 0 ? '' : target.slice(queryAt + 1);
    let routePath = rawPath;
    if (stage !== '$default') {
      if (rawPath !== `/${stage}` && !rawPath.startsWith(`/${stage}/`)) return false;
      routePath = rawPath.slice(stage.length + 1) || '/';
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const match = matchRoute(routes, method, routePath, defaultRoute);
    if (match === undefined) return false;

    const now = clock();
    const requestId = randomBytes(11).toString('base64');
    const { compiled, pathParameters } = match;
    const auth = authorise(req, compiled.auth);
    if (!auth.ok) {
      sendJson(
        res,
        auth.status,
        { message: auth.status === 401 ? 'Unauthorized' : 'Forbidden' },
        {
          'www-authenticate': auth.challenge,
          'apigw-requestid': requestId,
        },
      );
      return true;
    }

    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) {
        // The client went away while sending (its connection reset or aborted): nobody is left to answer.
        log(
          JSON.stringify({
            level: 'WARN',
            component: 'gateway',
            message: 'the request body was not received',
            requestId,
            error: String(error),
          }),
        );
        res.destroy();
        return true;
      }
      sendJson(res, 413, { message: 'Request Entity Too Large' }, { 'apigw-requestid': requestId, connection: 'close' });
      return true;
    }

    const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    const headers = buildHeaders(req, sourceIp, now);
    const cookies = cookiesOf(req);
    const queryStringParameters = queryParameters(rawQueryString);
    const host = headers.host ?? '127.0.0.1';
    const textBody = isTextContentType(headers['content-type']);
    const event = {
      version: '2.0',
      routeKey: compiled.routeKey,
      rawPath,
      rawQueryString,
      ...(cookies.length > 0 ? { cookies } : {}),
      headers,
      ...(queryStringParameters ? { queryStringParameters } : {}),
      requestContext: {
        accountId,
        apiId,
        ...(auth.jwt ? { authorizer: { jwt: auth.jwt } } : {}),
        domainName: host,
        domainPrefix: host.replace(/:\d+$/, '').split('.')[0] ?? host,
        http: { method, path: rawPath, protocol: `HTTP/${req.httpVersion}`, sourceIp, userAgent: headers['user-agent'] ?? '' },
        requestId,
        routeKey: compiled.routeKey,
        stage,
        time: apiGatewayTime(now),
        timeEpoch: now.getTime(),
      },
      ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
      ...(body.length > 0 ? { body: textBody ? body.toString('utf8') : body.toString('base64') } : {}),
      isBase64Encoded: body.length > 0 && !textBody,
    };

    const functionId = functionIdOf(compiled.service.name, compiled.function.name);
    const logFailure = (message: string, error?: unknown) =>
      log(
        JSON.stringify({
          level: 'ERROR',
          component: 'gateway',
          message,
          requestId,
          routeKey: compiled.routeKey,
          functionId,
          ...(error === undefined ? {} : { error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
        }),
      );
    const unavailable = { 'apigw-requestid': requestId, 'retry-after': String(GATEWAY_RETRY_AFTER_SECONDS) };
    let outcome: Awaited<ReturnType<typeof invokeWithTimeout>>;
    try {
      outcome = await invokeWithTimeout(functionId, event);
    } catch (error) {
      const status = integrationFailureStatus(error);
      logFailure(
        status === 503 ? 'the invocation was throttled' : status === 502 ? 'the function failed' : 'the function could not be invoked',
        error,
      );
      if (status === 503) sendJson(res, 503, { message: 'Service Unavailable' }, unavailable);
      else sendJson(res, status, { message: 'Internal Server Error' }, { 'apigw-requestid': requestId });
      return true;
    }
    if (outcome.timedOut) {
      logFailure(`the integration did not answer within ${integrationTimeoutMs} ms`);
      sendJson(res, 503, { message: 'Service Unavailable' }, unavailable);
      return true;
    }
    let mapped: MappedResponse;
    try {
      mapped = mapHandlerResult(outcome.result);
    } catch (error) {
      if (!(error instanceof HandlerResponseError)) throw error;
      logFailure(`malformed Lambda proxy response: ${error.message}`);
      // A response in the wrong format is the function's failure: 502, as API Gateway answers it.
      sendJson(res, 502, { message: 'Internal Server Error' }, { 'apigw-requestid': requestId });
      return true;
    }
    send(res, mapped, requestId);
    return true;
  }

  return {
    handle,
    routes: () =>
      [...routes, ...(defaultRoute ? [defaultRoute] : [])].map((r) => ({ routeKey: r.routeKey, service: r.service.name, auth: r.auth })),
  };
}

/**
 * API Gateway's answer for a path no route matches when no service declares the `$default` route;
 * the local cloud sends it once every handler has passed.
 */
export function sendNotFound(res: ServerResponse): void {
  sendJson(res, 404, { message: 'Not Found' });
}
