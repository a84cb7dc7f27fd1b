/**
 * The GOV.UK error pages a browser is shown where a program would get a problem document (WEB.md:
 * no page ever shows JSON or a stack trace): which page an error is, in words for people, and the
 * renderers that draw it. No templates and no session code, so the HTTP handler of any function can
 * hold it; a function that serves pages passes in the renderer with its templates.
 */
import type { PageRenderer, PublicLayout } from '../web/page';
import { type HttpError, PROBLEM_TYPES } from './errors';
import type { PageClaims } from './page-session';

/** The GOV.UK error pages a page request can end on (shared/src/web/templates/fsp/errors/, and fsp/public-error.njk). */
export type ErrorPageKind = 'bad-request' | 'forbidden' | 'not-found' | 'problem';

export interface ErrorPage {
  kind: ErrorPageKind;
  status: number;
  /** The page's heading and title. */
  heading: string;
  /** What went wrong and what to do, in words written for people (never an error's own message). */
  detail?: string;
  /** On the service's problem pages: the request's id, for the person to quote. It says nothing of the cause. */
  reference?: string;
}

/**
 * Renders an error page: `createPageRenderer` in shared/src/web/page.ts is one (the worker's layout),
 * `publicErrorPages` below another (the public layout). Passed in by the functions that serve pages
 * (pageSessions' `errorPages`, or createHttpHandler's), so that functions without pages carry no templates.
 */
export interface ErrorPageRenderer {
  /** `worker`: the signed-in worker when the session was open before the error (their navigation is shown), else undefined. */
  renderErrorPage(page: ErrorPage, worker: PageClaims | undefined): string;
  /** The headers every page has: no-store, the CSP and the like. */
  readonly headers: Readonly<Record<string, string>>;
}

export const ERROR_PAGE_HEADINGS: Readonly<Record<ErrorPageKind, string>> = {
  'bad-request': 'There is a problem with the page address',
  forbidden: 'You do not have permission to see this page',
  'not-found': 'Page not found',
  problem: 'Sorry, there is a problem with the service',
};

/** What the handler says when a route that needs a body got none; the error page recognises it by these words. */
export const BODY_REQUIRED_MESSAGE = 'A request body is required';

const SENT_HEADING = 'There is a problem with the information you sent';

/**
 * A 4xx about what was sent (a form's body) rather than the address: the heading and what to do.
 * The problem documents' own details are written for programs ("Send the body as application/json
 * …") and are not shown.
 */
function aboutWhatWasSent(error: HttpError): Pick<ErrorPage, 'heading' | 'detail'> | undefined {
  if (error.status === 413) {
    return {
      heading: 'The information you sent was too large',
      detail: 'Nothing was saved. Go back to the page, make your answers shorter and send it again.',
    };
  }
  if (error.status === 415) {
    return {
      heading: SENT_HEADING,
      detail: 'It was not sent as a form this page can read, so nothing was saved. Go back to the page and send it with its button.',
    };
  }
  if (error.status !== 400) return undefined;
  if (error.type === PROBLEM_TYPES.malformedBody) {
    return { heading: SENT_HEADING, detail: 'It could not be read, so nothing was saved. Go back to the page and send it again.' };
  }
  const inBody = (error.errors ?? []).filter((e) => e.in === 'body');
  if (inBody.length === 0) return undefined;
  if (inBody.some((e) => e.path === '$' && e.message === BODY_REQUIRED_MESSAGE)) {
    return {
      heading: SENT_HEADING,
      detail: 'The form you sent was empty, so nothing was saved. Go back to the page, answer the questions and send it again.',
    };
  }
  return { heading: SENT_HEADING, detail: 'Some of it could not be used, so nothing was saved. Go back to the page and send it again.' };
}

/**
 * Which page an error is: 403 says why (its detail is written for people), 404 and 405 are a page
 * not found, a body that was empty, unreadable, too large or of another type says so, any other 4xx
 * is a problem with the address, and a 5xx (or a busy 429) is the service's problem, with
 * `requestId` as the reference. `undefined` is an unexpected error (500), of which nothing is said.
 */
export function errorPageFor(error: HttpError | undefined, requestId?: string): ErrorPage {
  const status = error?.status ?? 500;
  const kind: ErrorPageKind =
    status === 403
      ? 'forbidden'
      : status === 404 || status === 405
        ? 'not-found'
        : status >= 500 || status === 429
          ? 'problem'
          : 'bad-request';
  const sent = kind === 'bad-request' && error !== undefined ? aboutWhatWasSent(error) : undefined;
  if (sent) return { kind, status, ...sent };
  return {
    kind,
    status,
    heading: ERROR_PAGE_HEADINGS[kind],
    ...(kind === 'forbidden' && error?.detail !== undefined ? { detail: error.detail } : {}),
    ...(kind === 'problem' && requestId !== undefined ? { reference: requestId } : {}),
  };
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * Without a renderer (tests, fixtures): the same words as a bare HTML page. Still a page, never
 * JSON: a browser on a page route must not be shown a problem document.
 */
export const bareErrorPages: ErrorPageRenderer = {
  renderErrorPage: (page) =>
    `<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>${escapeHtml(page.heading)}</title></head><body><main><h1>${escapeHtml(page.heading)}</h1>${page.detail === undefined ? '' : `<p>${escapeHtml(page.detail)}</p>`}${page.reference === undefined ? '' : `<p>Reference: ${escapeHtml(page.reference)}</p>`}</main></body></html>`,
  headers: Object.freeze({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
  }),
};

/** The shared public error page; a service's own (the referral form's refer/problem.njk) extends it. */
export const PUBLIC_ERROR_TEMPLATE = 'fsp/public-error.njk';

/** What a public error page says under its heading when the error itself says nothing a person can use. */
export const PUBLIC_ERROR_MESSAGES: Readonly<Record<ErrorPageKind, string>> = {
  'bad-request': 'Check the web address is correct, or go back to the page you were on and try again.',
  forbidden: 'Go back to the page, reload it and try again.',
  'not-found': 'If you typed the web address, check it is correct. If you pasted it, check you copied the entire address.',
  problem: 'Try again later.',
};

export interface PublicErrorPagesOptions {
  /** The public layout without the title (the page's heading is): the service, whose start page is the way back, and the footer's text. */
  layout: Omit<PublicLayout, 'title' | 'hasErrors' | 'backLink'>;
  /** A template that extends fsp/public-error.njk with the service's own words; that one by default. */
  template?: string;
}

/**
 * Error pages for the public (the referral form): the public layout, with GOV.UK's "Exit this page",
 * and a way back to the service's start. Given to createHttpHandler as `errorPages` by a function whose
 * public routes answer HTML (`errorsAsPages`). Nobody is signed in, so no worker is ever shown.
 */
export function publicErrorPages(
  renderer: Pick<PageRenderer, 'renderPage' | 'headers'>,
  options: PublicErrorPagesOptions,
): ErrorPageRenderer {
  const template = options.template ?? PUBLIC_ERROR_TEMPLATE;
  return {
    renderErrorPage: (page) =>
      renderer.renderPage(
        template,
        { ...options.layout, title: page.heading },
        {
          heading: page.heading,
          message: page.detail ?? PUBLIC_ERROR_MESSAGES[page.kind],
          ...(page.reference === undefined ? {} : { reference: page.reference }),
        },
      ),
    headers: renderer.headers,
  };
}
