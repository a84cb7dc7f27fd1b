/**
 * The platform's `$default` route (ADR 0013): API Gateway gives it every request that no route of
 * any service matches, and this answers what a person or a program can use rather than the
 * gateway's own `{"message":"Not Found"}` (issue 11: no page ever shows JSON).
 *
 * - `/api…` and `/v1…` (the JSON APIs, bearer tokens only): the problem document every service's
 *   handler answers for an address it does not have (404, `application/problem+json`, the request
 *   id), the partner API's documented 404.
 * - `/refer…`: GOV.UK's "Page not found" in the referral form's public layout, with "Exit this
 *   page", the way back to the form and what to do in an emergency, whoever asks.
 * - anything else: "Page not found" in the worker's layout with their navigation when the session
 *   cookie opens, else in the public layout with the way to the start (sign-in, for a worker).
 *
 * Always 404 and never a route: API Gateway says nothing of whether the path exists with another
 * method, and this function knows no other service's routes (services never import each other),
 * so `PUT /front-door` is "Page not found" too. A path one of this function's own routes has
 * (`PUT /inbox`) is left to its handler, which answers the 405 page with `Allow`.
 */
import type { ApiGatewayV2Event, ApiGatewayV2Result } from '@fsp/shared/http/api-gateway';
import { ERROR_PAGE_HEADINGS, PUBLIC_ERROR_MESSAGES } from '@fsp/shared/http/error-pages';
import { NotFound, PROBLEM_CONTENT_TYPE } from '@fsp/shared/http/errors';
import { correlationIdOf, type HttpHandler, type Route } from '@fsp/shared/http/handler';
import { bareErrorPages, errorPageFor, type PageClaims, type PageSessions } from '@fsp/shared/http/page-session';
import { compilePath, matchAll, pathSegments } from '@fsp/shared/http/router';
import { SESSION_COOKIE } from '@fsp/shared/http/session';
import { DEFAULT_ROUTE_KEY } from '@fsp/shared/manifest';
import { CORRELATION_HEADER } from '@fsp/shared/observability/correlation';
import { beginLogScope, endLogScope, type Logger } from '@fsp/shared/observability/logger';
import { type PageRenderer, type PublicLayout, SERVICE_NAME } from '@fsp/shared/web/page';
import { REFERRAL_FORM_LAYOUT } from '@fsp/shared/web/referral-form';

/** The first segments of the JSON APIs (ADR 0013): workers' `/api`, partner agencies' `/v1`. */
const API_SEGMENTS: ReadonlySet<string> = new Set(['api', 'v1']);

/** The referral form's public layout, the one its own pages use: a member of the public who mistypes an address under `/refer` stays in the form's service. */
const REFERRAL_FORM = {
  layout: REFERRAL_FORM_LAYOUT,
  startText: 'Go to the start of the form',
  emergency: true,
} as const;

/** Anyone else not signed in: the platform's start, which leads a worker to sign in. */
const PLATFORM = { layout: { service: { name: SERVICE_NAME, href: '/' } }, startText: 'Go to the start', emergency: false } as const;

/** Notifications' template for both (src/web/templates/public-not-found.njk, extending shared's fsp/public-error.njk). */
export const PUBLIC_NOT_FOUND_TEMPLATE = 'public-not-found.njk';

export type DefaultRouteAnswer = 'problem' | 'referral-form page' | 'worker page' | 'public page';

/** Which answer an address gets, by its first segment as sent (a route's literal needs no decoding). */
export function answerFor(rawPath: string, signedIn: boolean): DefaultRouteAnswer {
  const first = rawPath.split('/', 2)[1] ?? '';
  if (API_SEGMENTS.has(first)) return 'problem';
  if (first === 'refer') return 'referral-form page';
  return signedIn ? 'worker page' : 'public page';
}

export interface DefaultRouteOptions {
  /** The pages function's own: the session cookie is opened as its pages open it (the keys, the clock). */
  pages: PageSessions;
  renderer: Pick<PageRenderer, 'renderPage' | 'renderErrorPage' | 'headers'>;
  logger: Logger;
}

const hasSessionCookie = (event: ApiGatewayV2Event): boolean =>
  (event.cookies ?? []).some((cookie) => cookie.slice(0, cookie.indexOf('=')).trim() === SESSION_COOKIE);

/** The handler of the `$default` route's events that no route of the function has: always a 404. */
export function defaultRouteHandler({ pages, renderer, logger }: DefaultRouteOptions): HttpHandler {
  /**
   * The signed-in worker, for their navigation, and the cookies a page would send (a refreshed
   * session, or a dead one cleared). Only decoration: a session that cannot be opened because the
   * keys cannot be read is logged, and the page is shown in the public layout.
   */
  async function visitorOf(event: ApiGatewayV2Event): Promise<{ claims?: PageClaims; cookies: string[] }> {
    if (!hasSessionCookie(event)) return { cookies: [] };
    try {
      const admitted = await pages.admit(event);
      if (!admitted.ok) return { cookies: admitted.cookies };
      return { claims: admitted.claims, cookies: admitted.refreshCookie === undefined ? [] : [admitted.refreshCookie] };
    } catch (error) {
      logger.error('The session could not be opened for a page not found; shown without it', error as Error);
      return { cookies: [] };
    }
  }

  function pageOf(answer: DefaultRouteAnswer, claims: PageClaims | undefined): string {
    const page = errorPageFor(new NotFound());
    if (answer === 'worker page') return renderer.renderErrorPage(page, claims);
    const { layout, startText, emergency } = answer === 'referral-form page' ? REFERRAL_FORM : PLATFORM;
    const publicLayout: PublicLayout = { ...layout, title: ERROR_PAGE_HEADINGS['not-found'] };
    return renderer.renderPage(PUBLIC_NOT_FOUND_TEMPLATE, publicLayout, {
      heading: page.heading,
      message: PUBLIC_ERROR_MESSAGES['not-found'],
      startText,
      emergency,
    });
  }

  return async (event) => {
    const correlationId = correlationIdOf(event);
    const requestId = event.requestContext?.requestId || correlationId;
    beginLogScope(logger, correlationId, { requestId });
    try {
      const rawPath = event.rawPath ?? event.requestContext?.http?.path ?? '/';
      const visitor = answerFor(rawPath, false) === 'public page' ? await visitorOf(event) : { cookies: [] };
      const answer = answerFor(rawPath, visitor.claims !== undefined);
      logger.info('No route has this address', { status: 404, answer });
      const headers = { [CORRELATION_HEADER]: correlationId };
      if (answer === 'problem') {
        return {
          statusCode: 404,
          // As every service's handler answers an address it does not have (shared/src/http/handler.ts).
          headers: { ...headers, 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' },
          body: JSON.stringify(new NotFound().toProblem(event.rawPath, requestId)),
        };
      }
      let body: string;
      let pageHeaders: Readonly<Record<string, string>> = renderer.headers;
      try {
        body = pageOf(answer, visitor.claims);
      } catch (error) {
        // A page that cannot be drawn is still a page, bare, never a problem document (as the shared handler does).
        logger.error('Error page could not be rendered', error as Error);
        body = bareErrorPages.renderErrorPage(errorPageFor(new NotFound()), undefined);
        pageHeaders = bareErrorPages.headers;
      }
      const result: ApiGatewayV2Result = { statusCode: 404, headers: { ...pageHeaders, ...headers }, body };
      if (visitor.cookies.length > 0) result.cookies = visitor.cookies;
      return result;
    } finally {
      endLogScope(logger);
    }
  };
}

const isDefaultRoute = (event: ApiGatewayV2Event): boolean =>
  event.routeKey === DEFAULT_ROUTE_KEY || event.requestContext?.routeKey === DEFAULT_ROUTE_KEY;

/**
 * The function's handler: a `$default` event whose path none of `routes` has goes to `notFound`;
 * everything else to `routed` (its own routes, and a method one of its paths lacks, which it answers 405).
 */
export function withDefaultRoute(routes: readonly Route[], routed: HttpHandler, notFound: HttpHandler): HttpHandler {
  const compiled = routes.map((route) => ({ compiled: compilePath(route.path) }));
  const hasPath = (rawPath: string): boolean => {
    const segments = pathSegments(rawPath);
    return segments !== undefined && matchAll(compiled, segments).length > 0;
  };
  return (event, context) =>
    isDefaultRoute(event) && !hasPath(event.rawPath ?? event.requestContext?.http?.path ?? '/')
      ? notFound(event, context)
      : routed(event, context);
}
