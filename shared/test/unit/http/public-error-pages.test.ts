/**
 * Public routes that answer HTML (`errorsAsPages`, the referral form's kind): every failure the
 * handler answers for them (an empty, unreadable, oversized or mistyped body, an address or method
 * that is not a page, an unexpected error) is a GOV.UK page in the public layout, with "Exit this
 * page" and the pages' headers, never a problem document; JSON routes in the same function answer
 * the same failures with problem documents, as before.
 */
import { BODY_REQUIRED_MESSAGE, errorPageFor, publicErrorPages } from '@fsp/shared/http/error-pages';
import { BadRequest, HttpError, PayloadTooLarge, UnsupportedMediaType, ValidationFailed } from '@fsp/shared/http/errors';
import { createHttpHandler, defineRoute, html, MAX_BODY_BYTES, noContent } from '@fsp/shared/http/handler';
import { pageSessions } from '@fsp/shared/http/page-session';
import { apiGatewayEvent, capturingLogger, problemOf } from '@fsp/shared/testing/api-gateway-event';
import { mainLinksOf, mainTextOf, textOf } from '@fsp/shared/testing/html';
import { createPageRenderer } from '@fsp/shared/web/page';
import { PRECOMPILED_TEMPLATES } from '@fsp/shared/web/precompiled-templates';
import * as z from 'zod/mini';

const renderer = createPageRenderer(PRECOMPILED_TEMPLATES, { stage: 'local' });
const SERVICE = { name: 'Apply for a thing', href: '/apply' };
const errorPages = publicErrorPages(renderer, { layout: { service: SERVICE, footerText: 'If it is an emergency, call 999.' } });
/** A failure's own words, which must never reach a page. */
const SECRET = 'connect ECONNREFUSED 10.0.3.7:8000 for Ava Smith';

function setup() {
  const { logger, lines } = capturingLogger();
  const routes = [
    defineRoute(
      { method: 'GET', path: '/apply', auth: { kind: 'public' } },
      { errorsAsPages: true, handle: async () => html(200, '<p>start</p>') },
    ),
    defineRoute(
      { method: 'GET', path: '/apply/{step}', auth: { kind: 'public' } },
      {
        errorsAsPages: true,
        handle: async (request) => {
          if (request.params.step === 'broken') throw new Error(SECRET);
          return html(200, '<p>a step</p>');
        },
      },
    ),
    defineRoute(
      { method: 'POST', path: '/apply/{step}', auth: { kind: 'public' } },
      {
        errorsAsPages: true,
        acceptForm: true,
        body: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
        handle: async () => noContent(),
      },
    ),
    defineRoute(
      { method: 'POST', path: '/api/things', auth: { kind: 'public' } },
      { body: z.object({ name: z.string() }), handle: async () => noContent() },
    ),
    defineRoute(
      { method: 'GET', path: '/api/things/{id}', auth: { kind: 'public' } },
      {
        handle: async () => {
          throw new Error(SECRET);
        },
      },
    ),
  ];
  return { handler: createHttpHandler(routes, { logger, errorPages }), lines };
}

const FORM = 'application/x-www-form-urlencoded';
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const post = (path: string, body: string | undefined, headers: Record<string, string> = { 'content-type': FORM }, base64 = false) =>
  apiGatewayEvent({ method: 'POST', path, headers, ...(body === undefined ? {} : { body }), isBase64Encoded: base64 });

type Result = { statusCode: number; headers?: Record<string, string>; body?: string };

/** The page as a person reads it, after checking it is a page in the public layout with the pages' headers. */
function publicPageOf(result: Result): { title: string; heading: string; text: string; links: { href: string; text: string }[] } {
  const body = result.body ?? '';
  expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
  expect(result.headers?.['content-security-policy']).toBe(renderer.contentSecurityPolicy);
  expect(result.headers?.['cache-control']).toBe('no-store');
  expect(result.headers?.['x-content-type-options']).toBe('nosniff');
  expect(body.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(body).toContain('data-module="govuk-exit-this-page"');
  expect(body).not.toContain('moj-identity-bar');
  // Never a problem document's words, nor a stack.
  for (const leak of ['"status"', 'problem+json', 'about:blank', 'urn:fsp:problem', '    at ', 'Error:', 'ECONNREFUSED', 'Ava Smith']) {
    expect(body).not.toContain(leak);
  }
  return {
    title: textOf(/<title>([\s\S]*?)<\/title>/.exec(body)?.[1] ?? ''),
    heading: textOf(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body)?.[1] ?? ''),
    text: mainTextOf(body),
    links: mainLinksOf(body),
  };
}

describe('a public route that answers HTML shows a GOV.UK page in the public layout for every failure', () => {
  it('an empty form: 400, saying it was empty, with the way back to the start', async () => {
    const { handler } = setup();
    for (const body of [undefined, '']) {
      const result = await handler(post('/apply/details', body));
      expect(result.statusCode).toBe(400);
      const page = publicPageOf(result);
      expect(page.title).toBe('There is a problem with the information you sent – Apply for a thing');
      expect(page.heading).toBe('There is a problem with the information you sent');
      expect(page.text).toContain('The form you sent was empty, so nothing was saved.');
      expect(page.links).toContainEqual({ href: '/apply', text: 'Go to the start' });
    }
  });

  it('a body over the limit: 413, "The information you sent was too large"', async () => {
    const { handler } = setup();
    const result = await handler(post('/apply/details', `name=${'x'.repeat(MAX_BODY_BYTES)}`));
    expect(result.statusCode).toBe(413);
    const page = publicPageOf(result);
    expect(page.heading).toBe('The information you sent was too large');
    expect(page.text).toContain('make your answers shorter');
    expect(page.links).toContainEqual({ href: '/apply', text: 'Go to the start' });
  });

  it('a body that is not a form: 415, saying it was not sent as a form', async () => {
    const { handler } = setup();
    for (const type of ['text/plain', 'multipart/form-data; boundary=x', `${FORM}; charset=ISO-8859-1`]) {
      const result = await handler(post('/apply/details', 'name=Ava', { 'content-type': type }));
      expect(result.statusCode).toBe(415);
      expect(publicPageOf(result).text).toContain('It was not sent as a form this page can read');
    }
    const untyped = await handler(post('/apply/details', 'name=Ava', {}));
    expect(untyped.statusCode).toBe(415);
    publicPageOf(untyped);
  });

  it('a body that cannot be read (not UTF-8, or broken JSON): 400, saying so', async () => {
    const { handler } = setup();
    const latin1 = await handler(
      post('/apply/details', Buffer.from([0x6e, 0x3d, 0xe9]).toString('base64'), { 'content-type': FORM }, true),
    );
    expect(latin1.statusCode).toBe(400);
    expect(publicPageOf(latin1).text).toContain('It could not be read, so nothing was saved.');
    const json = await handler(post('/apply/details', '{"name": ', { 'content-type': 'application/json' }));
    expect(json.statusCode).toBe(400);
    expect(publicPageOf(json).text).toContain('It could not be read');
  });

  it('a body the route cannot use: 400, saying some of it could not be used', async () => {
    const { handler } = setup();
    const result = await handler(post('/apply/details', '{"name": 7}', { 'content-type': 'application/json' }));
    expect(result.statusCode).toBe(400);
    expect(publicPageOf(result).text).toContain('Some of it could not be used, so nothing was saved.');
  });

  it('a method the address does not take: 405 "Page not found", keeping Allow', async () => {
    const { handler } = setup();
    const result = await handler(apiGatewayEvent({ method: 'DELETE', path: '/apply/details' }));
    expect(result.statusCode).toBe(405);
    expect(result.headers?.allow).toBe('GET, POST');
    expect(publicPageOf(result).heading).toBe('Page not found');
  });

  it('an address under the pages that no route has: 404 "Page not found", browser or not', async () => {
    const { handler } = setup();
    for (const headers of [{}, { accept: 'application/json' }, { accept: BROWSER }] as Record<string, string>[]) {
      const result = await handler(apiGatewayEvent({ path: '/apply/details/more', headers }));
      expect(result.statusCode).toBe(404);
      const page = publicPageOf(result);
      expect(page.heading).toBe('Page not found');
      expect(page.text).toContain('If you typed the web address, check it is correct.');
    }
    const malformed = await handler(apiGatewayEvent({ path: '/apply/%E0%A4%A' }));
    expect(malformed.statusCode).toBe(400);
    expect(publicPageOf(malformed).heading).toBe('There is a problem with the page address');
  });

  it('an unexpected error: 500 "Sorry, there is a problem with the service", saying nothing of it but the request’s reference, and logged', async () => {
    const { handler, lines } = setup();
    const result = await handler(apiGatewayEvent({ path: '/apply/broken', requestId: 'req-7Hq2' }));
    expect(result.statusCode).toBe(500);
    const page = publicPageOf(result);
    expect(page.title).toBe('Sorry, there is a problem with the service – Apply for a thing');
    expect(page.heading).toBe('Sorry, there is a problem with the service');
    expect(page.text).toContain('Try again later.');
    expect(page.text).toContain('quote this reference: req-7Hq2');
    expect(result.headers?.['x-correlation-id']).toBe('req-7Hq2');
    expect(lines.some((line) => line.level === 'ERROR' && line.message === 'Unhandled error')).toBe(true);
  });
});

describe('JSON routes beside them answer the same failures with problem documents, as before', () => {
  it.each([
    ['an empty body', post('/api/things', undefined, { 'content-type': 'application/json' }), 400],
    ['a body over the limit', post('/api/things', `{"name":"${'x'.repeat(MAX_BODY_BYTES)}"}`, { 'content-type': 'application/json' }), 413],
    ['a form', post('/api/things', 'name=Ava'), 415],
    ['broken JSON', post('/api/things', '{"name": ', { 'content-type': 'application/json' }), 400],
    ['a method it does not take', apiGatewayEvent({ method: 'PUT', path: '/api/things', headers: { accept: BROWSER } }), 405],
    ['an address nothing has', apiGatewayEvent({ path: '/api/nothing' }), 404],
    ['an unexpected error', apiGatewayEvent({ path: '/api/things/1', headers: { accept: BROWSER } }), 500],
  ])('%s', async (_, event, status) => {
    const { handler } = setup();
    const result = await handler(event);
    expect(result.statusCode).toBe(status);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(problemOf(result).status).toBe(status);
    expect(result.body).not.toContain('ECONNREFUSED');
  });
});

describe('which function has error pages for its HTML routes', () => {
  const route = defineRoute(
    { method: 'GET', path: '/apply', auth: { kind: 'public' } },
    { errorsAsPages: true, handle: async () => noContent() },
  );

  it('refuses, at module load, a route that answers HTML in a handler with no error pages', () => {
    const { logger } = capturingLogger();
    expect(() => createHttpHandler([route], { logger })).toThrow(
      'Route GET /apply answers errors as pages: pass errorPages: publicErrorPages(…) (shared/src/http/error-pages.ts), or pages: pageSessions(…), to createHttpHandler',
    );
  });

  it('takes the page sessions’ error pages when it is given no public ones (sign-in’s: the worker layout, nobody in it)', async () => {
    const { logger } = capturingLogger();
    const handler = createHttpHandler([route], { logger, pages: pageSessions({ errorPages: renderer }) });
    const result = await handler(apiGatewayEvent({ method: 'POST', path: '/apply' }));
    expect(result.statusCode).toBe(405);
    expect(result.body).toContain('<title>Page not found – Family Safeguarding Platform</title>');
    expect(result.body).not.toContain('govuk-exit-this-page');
    expect(result.body).not.toContain('moj-identity-bar');
  });
});

describe('an error page that cannot be drawn', () => {
  it('is still a page, bare, with the same status and words, and the failure is logged', async () => {
    const { logger, lines } = capturingLogger();
    const broken = {
      renderErrorPage: () => {
        throw new Error('Template render error: (unknown path) Error: template not found: refer/problem.njk');
      },
      headers: renderer.headers,
    };
    const route = defineRoute(
      { method: 'POST', path: '/apply', auth: { kind: 'public' } },
      { errorsAsPages: true, acceptForm: true, body: z.record(z.string(), z.string()), handle: async () => noContent() },
    );
    const handler = createHttpHandler([route], { logger, errorPages: broken });
    const result = await handler(post('/apply', undefined));
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(result.headers?.['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(textOf(result.body ?? '')).toContain('The form you sent was empty');
    expect(result.body).not.toContain('template not found');
    expect(lines.some((line) => line.level === 'ERROR' && line.message === 'Error page could not be rendered')).toBe(true);
  });
});

describe('which error page an error is, in words for people', () => {
  it.each([
    ['an empty body', new ValidationFailed([{ in: 'body', path: '$', message: BODY_REQUIRED_MESSAGE }]), 'The form you sent was empty'],
    [
      'a body the route refused',
      new ValidationFailed([{ in: 'body', path: '$.name', message: 'Expected string' }]),
      'Some of it could not be used',
    ],
    ['an unreadable body', new BadRequest('x', { type: 'urn:fsp:problem:malformed-body' }), 'It could not be read'],
    ['a body too large', new PayloadTooLarge(MAX_BODY_BYTES), 'make your answers shorter'],
    ['a body of another type', new UnsupportedMediaType(['application/json']), 'It was not sent as a form'],
  ])('%s says what was wrong, not the problem document’s words', (_, error, words) => {
    const page = errorPageFor(error);
    expect(page.kind).toBe('bad-request');
    expect(page.detail).toContain(words);
    expect(page.detail).not.toContain(error.detail ?? '—');
    expect(page.reference).toBeUndefined();
  });

  it('an address that is not valid keeps the address page, and its detail (written for programs) unsaid', () => {
    const page = errorPageFor(new ValidationFailed([{ in: 'query', path: '$.page', message: 'Expected a number' }]));
    expect(page).toEqual({ kind: 'bad-request', status: 400, heading: 'There is a problem with the page address' });
    expect(errorPageFor(new HttpError(422, 'x', { detail: 'not for people' }))).toEqual({
      kind: 'bad-request',
      status: 422,
      heading: 'There is a problem with the page address',
    });
  });

  it('the service’s problems carry the request id as their reference, and nothing else of the error', () => {
    expect(errorPageFor(undefined, 'req-1')).toEqual({
      kind: 'problem',
      status: 500,
      heading: 'Sorry, there is a problem with the service',
      reference: 'req-1',
    });
    expect(errorPageFor(new HttpError(503, 'x', { detail: 'the table is throttled' }), 'req-2')).toEqual({
      kind: 'problem',
      status: 503,
      heading: 'Sorry, there is a problem with the service',
      reference: 'req-2',
    });
    expect(errorPageFor(new HttpError(404, 'x'), 'req-3').reference).toBeUndefined();
  });
});

describe('the worker layout’s error pages say the same', () => {
  const claims = {
    kind: 'worker' as const,
    userId: 'u-1',
    username: 'priya.shah',
    name: 'Priya Shah',
    roles: ['front-door' as const],
    teamId: 'front-door',
    csrfToken: 'token-1',
  };

  it('what was wrong with what a form sent, instead of the address page’s words', () => {
    const page = mainTextOf(renderer.renderErrorPage(errorPageFor(new PayloadTooLarge(MAX_BODY_BYTES)), claims));
    expect(page).toContain('The information you sent was too large');
    expect(page).toContain('make your answers shorter');
    expect(page).not.toContain('Check the web address is correct');
  });

  it('the request’s reference on the service’s problem page, signed in or not', () => {
    for (const worker of [claims, undefined]) {
      const page = mainTextOf(renderer.renderErrorPage(errorPageFor(undefined, 'req-9'), worker));
      expect(page).toContain('Try again later.');
      expect(page).toContain('quote this reference: req-9');
    }
  });
});
