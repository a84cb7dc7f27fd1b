/**
 * An address no service has, through the real local cloud (gateway, function runtime, the services'
 * manifests): the `$default` route takes it to notifications' pages function (ADR 0013), so a
 * person sees GOV.UK's "Page not found" (the referral form's under /refer; a signed-in worker's with
 * their navigation) and a program under /api or /v1 a problem document, never API Gateway's
 * `{"message":"Not Found"}`. The local cloud's own paths keep their priority.
 */
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { checkPage, describeWithBrowser, setSessionCookie } from '@fsp/shared/testing/browser';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { mainLinksOf, textOf } from '@fsp/shared/testing/html';
import { demoPageWorker, sealedSessionCookie } from '@fsp/shared/testing/pages';
import { type LocalCloud, startLocalCloud } from '../../../src/local-cloud';
import { verboseLog } from './support';

jest.setTimeout(120_000);

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({
    manifests: await loadServiceManifests(),
    dynamoEndpoint: testDynamoEndpoint(),
    tablePrefix: `dr${Date.now().toString(36)}-`,
    log: verboseLog,
    ...(process.env.FSP_TEST_VERBOSE ? {} : { functionLogLevel: 'WARN' as const }),
  });
}, 120_000);
afterAll(() => cloud?.stop());

const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

interface SeenPage {
  status: number;
  title: string;
  heading: string;
  serviceName: string;
  footer: string;
  links: { href: string; text: string }[];
  body: string;
}

async function pageAt(path: string, init: RequestInit = {}): Promise<SeenPage> {
  const response = await fetch(`${cloud.url}${path}`, { redirect: 'manual', ...init, headers: { ...BROWSER, ...init.headers } });
  const body = await response.text();
  expect({ path, type: response.headers.get('content-type') }).toEqual({ path, type: 'text/html; charset=utf-8' });
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(body.startsWith('<!DOCTYPE html>')).toBe(true);
  for (const leak of ['"message"', 'Not Found', 'problem+json', '    at '])
    expect({ path, leak: body.includes(leak) }).toEqual({ path, leak: false });
  return {
    status: response.status,
    title: textOf(/<title>([\s\S]*?)<\/title>/.exec(body)?.[1] ?? ''),
    heading: textOf(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body)?.[1] ?? ''),
    serviceName: textOf(/govuk-service-navigation__service-name[^>]*>([\s\S]*?)<\/span>/.exec(body)?.[1] ?? ''),
    footer: textOf(/govuk-footer__meta-custom[^>]*>([\s\S]*?)<\/div>/.exec(body)?.[1] ?? ''),
    links: mainLinksOf(body),
    body,
  };
}

const signedIn = (username: string) => {
  const worker = cloud.demoWorkers.find((candidate) => candidate.username === username);
  if (worker === undefined) throw new Error(`no demo worker ${username}`);
  return { name: worker.name, cookie: sealedSessionCookie(cloud.sessionKeys, demoPageWorker(worker)) };
};

describe('an address no service has, in the local cloud', () => {
  it('is "Page not found" in the public layout for someone not signed in', async () => {
    for (const path of ['/front-door/nope', '/cases/a/b', '/an-old-link?from=email']) {
      const page = await pageAt(path);
      expect({ path, status: page.status, heading: page.heading }).toEqual({ path, status: 404, heading: 'Page not found' });
      expect(page.title).toBe('Page not found – Family Safeguarding Platform');
      expect(page.body).toContain('data-module="govuk-exit-this-page"');
      expect(page.links).toContainEqual({ href: '/', text: 'Go to the start' });
    }
  });

  it('shows a signed-in worker their navigation', async () => {
    const frontDoor = cloud.demoWorkers.find((worker) => worker.roles.includes('front-door'))!;
    const { name, cookie } = signedIn(frontDoor.username);
    const page = await pageAt('/front-door/nope', { headers: { cookie } });
    expect(page.status).toBe(404);
    expect(page.heading).toBe('Page not found');
    expect(page.body).toContain(`<span class="govuk-!-font-weight-bold">${name}</span>`);
    expect(page.body).toContain('href="/front-door"');
    expect(page.body).not.toContain('govuk-exit-this-page');
  });

  it('under /refer, or with a method the form has not, is the referral form’s own "Page not found"', async () => {
    const form = await pageAt('/refer');
    expect(form.status).toBe(200);
    expect({ serviceName: form.serviceName === '', footer: form.footer === '' }).toEqual({ serviceName: false, footer: false });
    for (const [method, path] of [
      ['GET', '/refer/a/b'],
      ['PUT', '/refer'],
    ] as const) {
      const page = await pageAt(path, { method, ...(method === 'PUT' ? { body: 'x=1', headers: { 'content-type': 'text/plain' } } : {}) });
      expect({ method, path, status: page.status, heading: page.heading }).toEqual({
        method,
        path,
        status: 404,
        heading: 'Page not found',
      });
      // The same service, in the same words, as the form's own pages (referrals draws those; notifications this one).
      expect({ serviceName: page.serviceName, footer: page.footer }).toEqual({ serviceName: form.serviceName, footer: form.footer });
      expect(page.title).toBe(`Page not found – ${form.serviceName}`);
      expect(page.links).toContainEqual({ href: '/refer', text: 'Go to the start of the form' });
      expect(page.body).toContain('data-module="govuk-exit-this-page"');
    }
  });

  it('under /api and /v1 is a problem document, as every API answers an address it does not have', async () => {
    for (const path of ['/api/nope', '/v1/nope']) {
      const response = await fetch(`${cloud.url}${path}`, { headers: BROWSER });
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({
        path,
        status: 404,
        type: 'application/problem+json',
      });
      expect(await response.json()).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'There is nothing at this address.',
        instance: path,
        requestId: expect.any(String),
      });
    }
  });

  it('leaves the local cloud’s own paths to it: the issuer, the developers’ page, the mail outbox and its API', async () => {
    expect((await fetch(`${cloud.url}/.well-known/openid-configuration`)).status).toBe(200);
    const landing = await fetch(`${cloud.url}/local`);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('Family Safeguarding Platform on this computer');
    expect((await fetch(`${cloud.url}/mail`)).status).toBe(200);
    const unknownLocal = await fetch(`${cloud.url}/_local/nope`);
    expect(unknownLocal.status).toBe(404);
    expect(await unknownLocal.json()).toEqual({ message: 'Not Found' });
  });
});

describeWithBrowser('"Page not found" in a browser without JavaScript', (browser) => {
  it.each([
    ['the public layout', '/front-door/nope', undefined],
    ['the referral form’s layout', '/refer/a/b', undefined],
    ['a signed-in worker’s layout', '/cases/a/b', 'frontdoor'],
  ])('in %s is axe clean and reflows at 320 pixels', async (name, path, username) => {
    const context = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      if (username !== undefined) await setSessionCookie(page, cloud.url, signedIn(username).cookie);
      const response = await page.goto(`${cloud.url}${path}`);
      expect(response?.status()).toBe(404);
      await expect(page.locator('h1').textContent()).resolves.toBe('Page not found');
      await checkPage(page, `page-not-found-${name.replace(/\W+/g, '-')}`);
    } finally {
      await context.close();
    }
  });
});
