/**
 * Signing in and out in headless Chromium with JavaScript off, against the real local cloud (the
 * gateway, notifications' pages function, the local issuer as the identity provider): a page sends
 * the worker to sign in, the issuer's form at /login signs them in, and they are back on the page
 * they asked for with their name in the header; the session cookie is `__Host-fsp-session`, Secure,
 * on http://127.0.0.1 (ADR 0012 §7: Chromium treats loopback as potentially trustworthy); signing out
 * ends it and the identity provider's logout returns to /signed-out; an expired session goes through
 * sign-in back to where the worker was; a forged sign-out form is refused. axe finds nothing on the
 * sign-in, signed-out and error pages (checked with JavaScript on: axe cannot run in a page without it).
 */
import { type LocalCloud, startLocalCloud } from '@fsp/infra/local/local-cloud';
import { loadServiceManifests } from '@fsp/infra/local/manifests';
import { newSession, SESSION_COOKIE, sealSession } from '@fsp/shared/http/session';
import { describeWithBrowser, expectNoAxeViolations } from '@fsp/shared/testing/browser';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import type { BrowserContext, Locator, Page } from 'playwright-core';

/** An element's text as a screen reader reads it (visually hidden text included), whitespace collapsed. */
const textOf = async (locator: Locator): Promise<string> => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

jest.setTimeout(180_000);

let cloud: LocalCloud;
const verboseLog = process.env.FSP_TEST_VERBOSE ? (line: string) => process.stderr.write(`${line}\n`) : () => {};

beforeAll(async () => {
  cloud = await startLocalCloud({
    manifests: await loadServiceManifests(),
    dynamoEndpoint: testDynamoEndpoint(),
    tablePrefix: `signin${Date.now().toString(36)}-`,
    functionLogLevel: 'WARN',
    log: verboseLog,
  });
}, 120_000);
afterAll(() => cloud?.stop());

const demoWorker = (username: string) => {
  const worker = cloud.demoWorkers.find((candidate) => candidate.username === username);
  if (!worker) throw new Error(`no demo worker ${username}`);
  return worker;
};

/** Where the browser is, as a path and query on the local cloud. */
const whereIs = (page: Page): string => {
  const url = new URL(page.url());
  return url.origin === cloud.url ? `${url.pathname}${url.search}` : url.toString();
};

/** The issuer's sign-in page, filled in as a worker would: by the fields' labels. */
async function signInAs(page: Page, username: string) {
  await page.waitForURL((url) => url.pathname === '/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(demoWorker(username).password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Who the header says is signed in, as a screen reader reads it (the visually hidden "Signed in as" included). */
const headerText = (page: Page) => textOf(page.locator('.moj-identity-bar__title'));
const heading = (page: Page) => textOf(page.locator('h1'));

describeWithBrowser('signing in and out, JavaScript off', (browser) => {
  let context: BrowserContext;
  let page: Page;

  beforeEach(async () => {
    context = await browser().newContext({ javaScriptEnabled: false });
    page = await context.newPage();
  });
  afterEach(() => context.close());

  it('sends a worker to sign in and back to the page they asked for, with a __Host- Secure session cookie on http://127.0.0.1', async () => {
    const asked = await page.goto(`${cloud.url}/inbox?tab=team`);
    expect(asked?.ok()).toBe(true);
    expect(whereIs(page)).toMatch(/^\/login\?/);

    await signInAs(page, 'frontdoor');
    await page.waitForURL(`${cloud.url}/inbox?tab=team`);
    expect(await headerText(page)).toContain('Signed in as Priya Shah');

    const cookies = await context.cookies(cloud.url);
    expect(cookies.map((cookie) => cookie.name)).toEqual([SESSION_COOKIE]);
    expect(cookies[0]).toMatchObject({ name: SESSION_COOKIE, path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });
    expect(new URL(cloud.url).protocol).toBe('http:');
  });

  it('signs out with the header’s form: the identity provider’s logout returns to /signed-out, and the old page asks to sign in again', async () => {
    await page.goto(`${cloud.url}/`);
    await signInAs(page, 'socialworker');
    await page.waitForURL(`${cloud.url}/`);
    expect(await headerText(page)).toContain('Signed in as Sam Okafor');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${cloud.url}/signed-out`);
    expect(await heading(page)).toBe('You have signed out');
    expect(await page.locator('.moj-identity-bar').count()).toBe(0);
    expect(await context.cookies(cloud.url)).toEqual([]);

    await page.goto(`${cloud.url}/`);
    expect(whereIs(page)).toMatch(/^\/login\?/);
    await page.goBack();
    await page.getByRole('link', { name: 'Sign in' }).click();
    expect(whereIs(page)).toMatch(/^\/login\?/);
  });

  it('sends a worker whose session has expired to sign in, and back to the page they were on', async () => {
    const worker = demoWorker('manager');
    const signedInAt = new Date(Date.now() - 8 * 60 * 60 * 1000 - 60_000);
    const expired = newSession(
      { userId: 'local-manager', username: worker.username, name: worker.name, roles: [...worker.roles], teamId: worker.teamId },
      signedInAt,
    );
    await context.addCookies([
      {
        name: SESSION_COOKIE,
        value: sealSession(expired, cloud.sessionKeys, new Date(Date.now() - 60_000)),
        // Playwright refuses a Secure cookie given by an http URL; by host and path it is the same host-only cookie.
        domain: '127.0.0.1',
        path: '/',
        secure: true,
        httpOnly: true,
        sameSite: 'Lax',
      },
    ]);
    await page.goto(`${cloud.url}/inbox?tab=mine`);
    await signInAs(page, 'manager');
    await page.waitForURL(`${cloud.url}/inbox?tab=mine`);
    expect(await headerText(page)).toContain('Signed in as Jo Patel');
  });

  it('refuses a sign-out form with a forged CSRF token with a 403 page, and the worker stays signed in', async () => {
    await page.goto(`${cloud.url}/`);
    await signInAs(page, 'frontdoor');
    await page.waitForURL(`${cloud.url}/`);
    // What a forged form would carry: this session's cookie (the browser adds it) and a token that is not its own.
    await page.evaluate(`document.querySelector('input[name="csrfToken"]').value = 'forged-token-that-is-not-this-sessions'`);
    const refused = page.waitForResponse((response) => response.url() === `${cloud.url}/signout`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect((await refused).status()).toBe(403);
    expect(await heading(page)).toBe('You do not have permission to see this page');

    await page.goto(`${cloud.url}/`);
    expect(whereIs(page)).toBe('/');
    expect(await headerText(page)).toContain('Signed in as Priya Shah');
  });

  it('shows the GOV.UK pages a worker can end on, never JSON: no permission, sign-in did not work', async () => {
    await page.goto(`${cloud.url}/admin/webhook-deliveries`);
    await signInAs(page, 'frontdoor');
    await page.waitForURL(`${cloud.url}/admin/webhook-deliveries`);
    expect(await heading(page)).toBe('You do not have permission to see this page');
    expect(await textOf(page.locator('main'))).toContain('This is for administrators; your account does not have that role.');

    const failed = await page.goto(`${cloud.url}/signin/callback?code=made-up&state=made-up`);
    expect(failed?.status()).toBe(400);
    expect(failed?.headers()['content-type']).toBe('text/html; charset=utf-8');
    expect(await heading(page)).toBe('Sign-in did not work');
    await page.getByRole('link', { name: 'Sign in again' }).click();
    expect(whereIs(page)).toMatch(/^\/login\?/);
  });

  it('has pages axe finds nothing on: sign-in, no permission, sign-in did not work, signed out', async () => {
    const scripted = await browser().newContext({ javaScriptEnabled: true });
    try {
      const withScript = await scripted.newPage();
      await withScript.goto(`${cloud.url}/admin/webhook-deliveries`);
      await withScript.waitForURL((url) => url.pathname === '/login');
      await expectNoAxeViolations(withScript, 'the sign-in page');
      await signInAs(withScript, 'frontdoor');
      await withScript.waitForURL(`${cloud.url}/admin/webhook-deliveries`);
      expect(await heading(withScript)).toBe('You do not have permission to see this page');
      await expectNoAxeViolations(withScript, 'no permission');
      await withScript.goto(`${cloud.url}/signin/callback?code=made-up&state=made-up`);
      expect(await heading(withScript)).toBe('Sign-in did not work');
      await expectNoAxeViolations(withScript, 'sign-in did not work');
      await withScript.goto(`${cloud.url}/`);
      await withScript.getByRole('button', { name: 'Sign out' }).click();
      await withScript.waitForURL(`${cloud.url}/signed-out`);
      await expectNoAxeViolations(withScript, 'signed out');
    } finally {
      await scripted.close();
    }
  });

  it('leaves / to the worker’s home, serves the developers’ page at /local, and MoJ Frontend at /assets/moj', async () => {
    const home = await fetch(`${cloud.url}/`, { redirect: 'manual' });
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/signin?returnTo=%2F');
    const local = await fetch(`${cloud.url}/local`);
    expect(local.status).toBe(200);
    expect(await local.text()).toContain('Family Safeguarding Platform on this computer');
    const moj = await fetch(`${cloud.url}/assets/moj/moj-frontend.min.css`);
    expect(moj.status).toBe(200);
    expect(moj.headers.get('content-type')).toMatch(/^text\/css/);
  });
});
