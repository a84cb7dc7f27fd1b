/**
 * The referral form never answers JSON (WEB.md: no page shows a stack trace or JSON). Through the
 * real `public` handler against DynamoDB Local: every failure the shared handler answers for
 * `/refer…` (an empty, unreadable, oversized or mistyped post, a method or address that is not a
 * page, the service failing) is a GOV.UK page in the form's public layout, with "Exit this page",
 * the way back to the start and the pages' security headers, and nothing is written. The OpenAPI
 * document, a JSON route of the same function, keeps answering problem documents.
 */
import type { ApiGatewayV2Result } from '@fsp/shared/http/api-gateway';
import { MAX_BODY_BYTES } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, type EventInput, problemOf } from '@fsp/shared/testing/api-gateway-event';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { mainLinksOf, mainTextOf, textOf } from '@fsp/shared/testing/html';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createPublicApi } from '../support/http';

let table: TestTable;
let runtime: ServiceRuntime;
let logLines: Record<string, unknown>[];

beforeEach(async () => {
  ({ table, runtime, logLines } = await createTestRuntime('referrals-form-errors', fixedClock('2026-11-23T10:00:00Z')));
});
afterEach(async () => {
  await table.drop();
});

const FORM = 'application/x-www-form-urlencoded';
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** A visitor as the first page leaves them: the draft's cookie and the form's CSRF token (nothing written yet). */
async function visitor(): Promise<{ cookie: string; csrfToken: string; csp: string }> {
  const first = await createPublicApi(runtime)(apiGatewayEvent({ path: '/refer/who-you-are' }));
  const cookie = /^(fsp_referral=[A-Za-z0-9_-]{22});/.exec(first.cookies?.[0] ?? '')?.[1];
  const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(first.body ?? '')?.[1];
  const csp = first.headers?.['content-security-policy'];
  if (!cookie || !csrfToken || !csp) throw new Error(`the first page gave no cookie, token or CSP: ${first.statusCode}`);
  return { cookie, csrfToken, csp };
}

interface FormErrorPage {
  title: string;
  heading: string;
  text: string;
}

/** The answer read as the referrer sees it, after checking it is the form's error page and never a problem document or a stack. */
function formErrorPageOf(response: ApiGatewayV2Result, csp: string): FormErrorPage {
  const body = response.body ?? '';
  expect(response.headers?.['content-type']).toBe('text/html; charset=utf-8');
  expect(response.headers?.['cache-control']).toBe('no-store');
  expect(response.headers?.['content-security-policy']).toBe(csp);
  expect(response.headers?.['x-content-type-options']).toBe('nosniff');
  expect(body.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(body.trimStart().startsWith('{')).toBe(false);
  for (const leak of ['problem+json', '"status"', 'urn:fsp:problem', 'about:blank', '    at ', 'Exception', 'Error:']) {
    expect(body).not.toContain(leak);
  }
  expect(body).toContain('data-module="govuk-exit-this-page"');
  const text = mainTextOf(body);
  expect(text).toContain('If a child is in immediate danger, call 999.');
  expect(mainLinksOf(body)).toContainEqual({ href: '/refer', text: 'Go to the start of the form' });
  return {
    title: textOf(/<title>([\s\S]*?)<\/title>/.exec(body)?.[1] ?? ''),
    heading: textOf(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body)?.[1] ?? ''),
    text,
  };
}

const post = (
  cookie: string,
  body: string | undefined,
  headers: Record<string, string> = { 'content-type': FORM },
  extra: Partial<EventInput> = {},
) =>
  createPublicApi(runtime)(
    apiGatewayEvent({
      method: 'POST',
      path: '/refer/who-you-are',
      headers,
      cookies: [cookie],
      ...(body === undefined ? {} : { body }),
      ...extra,
    }),
  );

describe('every failure on /refer… is the form’s GOV.UK error page, and writes nothing', () => {
  it('an empty post: 400, saying the form was empty', async () => {
    const { cookie, csp } = await visitor();
    const before = await allItems(table);
    for (const body of [undefined, '']) {
      const response = await post(cookie, body);
      expect(response.statusCode).toBe(400);
      const page = formErrorPageOf(response, csp);
      expect(page.title).toBe('There is a problem with the information you sent – Refer a child to children’s services');
      expect(page.heading).toBe('There is a problem with the information you sent');
      expect(page.text).toContain('The form you sent was empty, so nothing was saved.');
    }
    expect(await allItems(table)).toEqual(before);
  });

  it('a post over the size limit: 413, "The information you sent was too large"', async () => {
    const { cookie, csrfToken, csp } = await visitor();
    const before = await allItems(table);
    const response = await post(cookie, `csrfToken=${csrfToken}&referrerType=professional&more=${'x'.repeat(MAX_BODY_BYTES)}`);
    expect(response.statusCode).toBe(413);
    const page = formErrorPageOf(response, csp);
    expect(page.heading).toBe('The information you sent was too large');
    expect(page.text).toContain('Nothing was saved. Go back to the page, make your answers shorter and send it again.');
    expect(await allItems(table)).toEqual(before);
  });

  it('a post that is not a urlencoded form: 415, saying it was not sent as a form', async () => {
    const { cookie, csrfToken, csp } = await visitor();
    const before = await allItems(table);
    const form = `csrfToken=${csrfToken}&referrerType=professional`;
    for (const headers of [
      { 'content-type': 'text/plain' },
      { 'content-type': 'multipart/form-data; boundary=x' },
      { 'content-type': `${FORM}; charset=ISO-8859-1` },
      {},
    ] as Record<string, string>[]) {
      const response = await post(cookie, form, headers);
      expect(response.statusCode).toBe(415);
      const page = formErrorPageOf(response, csp);
      expect(page.heading).toBe('There is a problem with the information you sent');
      expect(page.text).toContain('It was not sent as a form this page can read');
    }
    expect(await allItems(table)).toEqual(before);
  });

  it('a post that cannot be read: 400, saying so', async () => {
    const { cookie, csp } = await visitor();
    const notUtf8 = await post(
      cookie,
      Buffer.from('referrerType=caf\xe9', 'latin1').toString('base64'),
      { 'content-type': FORM },
      { isBase64Encoded: true },
    );
    expect(notUtf8.statusCode).toBe(400);
    expect(formErrorPageOf(notUtf8, csp).text).toContain('It could not be read, so nothing was saved.');
    const brokenJson = await post(cookie, '{"referrerType": ', { 'content-type': 'application/json' });
    expect(brokenJson.statusCode).toBe(400);
    expect(formErrorPageOf(brokenJson, csp).text).toContain('It could not be read');
    const numbers = await post(cookie, '{"referrerType": 7}', { 'content-type': 'application/json' });
    expect(numbers.statusCode).toBe(400);
    expect(formErrorPageOf(numbers, csp).text).toContain('Some of it could not be used, so nothing was saved.');
  });

  it('a method the form’s addresses do not take: 405 "Page not found", with Allow', async () => {
    const { csp } = await visitor();
    for (const [method, path, allow] of [
      ['PUT', '/refer/who-you-are', 'GET, POST'],
      ['DELETE', '/refer', 'GET'],
      ['PATCH', '/refer/confirmation', 'GET, POST'],
    ] as const) {
      const response = await createPublicApi(runtime)(apiGatewayEvent({ method, path }));
      expect(response.statusCode).toBe(405);
      expect(response.headers?.allow).toBe(allow);
      expect(formErrorPageOf(response, csp).heading).toBe('Page not found');
    }
  });

  it('an address under /refer that is no page: 404 "Page not found", whatever the client asks for', async () => {
    const { csp } = await visitor();
    for (const headers of [{}, { accept: 'application/json' }, { accept: BROWSER }] as Record<string, string>[]) {
      const response = await createPublicApi(runtime)(apiGatewayEvent({ path: '/refer/who-you-are/again', headers }));
      expect(response.statusCode).toBe(404);
      const page = formErrorPageOf(response, csp);
      expect(page.title).toBe('Page not found – Refer a child to children’s services');
      expect(page.text).toContain('If you typed the web address, check it is correct.');
    }
    const malformed = await createPublicApi(runtime)(apiGatewayEvent({ path: '/refer/%E0%A4%A' }));
    expect(malformed.statusCode).toBe(400);
    expect(formErrorPageOf(malformed, csp).heading).toBe('There is a problem with the page address');
  });

  it('the service failing (its table gone): 500 "Sorry, there is a problem with the service", with the request’s reference and nothing of the error', async () => {
    const { cookie, csrfToken, csp } = await visitor();
    const broken = createPublicApi({ ...runtime, tableName: `${runtime.tableName}-gone` });
    for (const event of [
      apiGatewayEvent({ path: '/refer/about-you', cookies: [cookie], requestId: 'req-form-1' }),
      apiGatewayEvent({
        method: 'POST',
        path: '/refer/professional',
        headers: { 'content-type': FORM },
        body: `csrfToken=${csrfToken}&referralSource=1`,
        cookies: [cookie],
        requestId: 'req-form-2',
      }),
    ]) {
      const response = await broken(event);
      expect(response.statusCode).toBe(500);
      const page = formErrorPageOf(response, csp);
      expect(page.title).toBe('Sorry, there is a problem with the service – Refer a child to children’s services');
      expect(page.heading).toBe('Sorry, there is a problem with the service');
      expect(page.text).toContain('Try again later.');
      expect(page.text).toContain(`quote this reference: ${event.requestContext?.requestId}`);
      expect(response.body).not.toContain('ResourceNotFound');
      expect(response.body).not.toContain(runtime.tableName);
    }
    expect(logLines.filter((line) => line.level === 'ERROR' && line.message === 'Unhandled error')).toHaveLength(2);
  });
});

describe('the OpenAPI document, a JSON route of the same function, keeps its problem documents', () => {
  it.each([
    ['a method it does not take', { method: 'POST', path: '/v1/openapi.json', headers: { accept: BROWSER } }, 405],
    [
      'a body over the size limit',
      { path: '/v1/openapi.json', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(MAX_BODY_BYTES + 1) },
      413,
    ],
    ['an address nothing has', { path: '/v1/openapi.json/more' }, 404],
  ] as const)('%s', async (_, input, status) => {
    const response = await createPublicApi(runtime)(apiGatewayEvent(input as EventInput));
    expect(response.statusCode).toBe(status);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(problemOf(response).status).toBe(status);
  });
});
