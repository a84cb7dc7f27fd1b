// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright locators; the test reads the page as rendered (innerText), as the administrator sees it
/**
 * The administrators' pages in headless Chromium with JavaScript off, against the real local cloud
 * (gateway, the `admin` function, DynamoDB Local, the local Cognito and OIDC issuer): an
 * administrator onboards a partner agency, gives it a new secret (shown once) and revokes it, with
 * the keyboard alone; the secrets shown get tokens until retired or revoked. Every page is axe clean
 * and reflows at 320 CSS pixels. The browser carries a session cookie sealed with the local cloud's
 * keys, as sign-in seals it.
 *
 * FSP_WEB_SCREENSHOTS=<folder> also writes a full-page screenshot of each page at 1280 and 320 CSS pixels.
 */
import { workerToken } from '@fsp/infra/local/demo-tokens';
import { type LocalCloud, startLocalCloud } from '@fsp/infra/local/local-cloud';
import { loadServiceManifests } from '@fsp/infra/local/manifests';
import {
  checkPage as checkPageAtBothWidths,
  describeWithBrowser,
  type FocusedElement,
  setSessionCookie,
  tabTo,
} from '@fsp/shared/testing/browser';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { demoPageWorker, sealedSessionCookie } from '@fsp/shared/testing/pages';
import type { BrowserContext, Page } from 'playwright-core';

jest.setTimeout(300_000);

let cloud: LocalCloud;

/** Whether a client id and secret get a token from the local issuer, as a partner's system asks for one. */
async function tokenStatus(clientId: string, clientSecret: string): Promise<number> {
  const response = await fetch(`${cloud.url}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  await response.arrayBuffer();
  return response.status;
}

/** Axe finds nothing at 1280 and 320 px, nothing scrolls sideways at 320 (screenshots `admin-<name>-<width>.png` with FSP_WEB_SCREENSHOTS). */
const checkPage = (page: Page, name: string) => checkPageAtBothWidths(page, `admin-${name}`);

/** A link or button by its text, or a field by its name (`#name`). */
const element =
  (wanted: string) =>
  (focused: FocusedElement): boolean =>
    wanted.startsWith('#') ? focused.name === wanted.slice(1) : focused.text.replace(/\s+/g, ' ') === wanted;

/** Presses Tab until the link, button or field (`#name`) has the focus. */
const tabToElement = (page: Page, wanted: string) => tabTo(page, wanted, element(wanted));

describeWithBrowser('the administrators’ pages in Chromium', (browser) => {
  beforeAll(async () => {
    cloud = await startLocalCloud({
      manifests: await loadServiceManifests(),
      dynamoEndpoint: testDynamoEndpoint(),
      tablePrefix: `admin${Date.now().toString(36)}-`,
      functionLogLevel: 'WARN',
      log: process.env.FSP_TEST_VERBOSE ? (line) => process.stderr.write(`${line}\n`) : () => {},
    });
  }, 120_000);
  afterAll(() => cloud?.stop());

  let context: BrowserContext | undefined;
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  async function signedIn(username: string): Promise<Page> {
    const worker = cloud.demoWorkers.find((candidate) => candidate.username === username);
    if (!worker) throw new Error(`no demo worker ${username}`);
    context = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await setSessionCookie(page, cloud.url, sealedSessionCookie(cloud.sessionKeys, demoPageWorker(worker)));
    return page;
  }

  it('onboards an agency, gives it a new secret shown once, and revokes it, with the keyboard alone', async () => {
    const page = await signedIn('admin');
    const main = page.locator('main');

    await page.goto(`${cloud.url}/admin`);
    await checkPage(page, 'home');
    await tabToElement(page, 'Partner agencies');
    await Promise.all([page.waitForURL(/\/admin\/agencies$/), page.keyboard.press('Enter')]);
    await checkPage(page, 'agencies-before');
    await tabToElement(page, 'Onboard an agency');
    await Promise.all([page.waitForURL(/\/admin\/agencies\/new$/), page.keyboard.press('Enter')]);
    await checkPage(page, 'onboard');

    // Sent with mistakes: the error summary links to each field, and what was typed is kept.
    await tabToElement(page, '#name');
    await page.keyboard.type('Riverside Health Centre');
    await tabToElement(page, '#type');
    // Arrow keys move through a radio group: the third choice is a health service.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await tabToElement(page, '#contactEmail');
    await page.keyboard.type('safeguarding@riverside');
    await tabToElement(page, 'Onboard agency');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    expect(await page.title()).toMatch(/^Error: Onboard a partner agency/);
    await checkPage(page, 'onboard-errors');
    expect(await page.locator('#name').inputValue()).toBe('Riverside Health Centre');
    expect(await page.locator('input[name=type]:checked').inputValue()).toBe('health');
    await expect(
      page.locator('.govuk-error-summary a').evaluateAll((links) => links.map((link) => link.getAttribute('href'))),
    ).resolves.toEqual(['#referralSource', '#contactEmail']);
    await tabToElement(page, '#referralSource');
    // A select takes typed letters: "3F" is another health service.
    await page.keyboard.type('3F');
    expect(await page.locator('#referralSource').inputValue()).toBe('3F');
    await tabToElement(page, '#contactEmail');
    await page.keyboard.press('End');
    await page.keyboard.type('.example.nhs.uk');
    await tabToElement(page, 'Onboard agency');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);

    // The secret, once: in a read-only field to select and copy, with the warning.
    await expect(main.innerText()).resolves.toContain('Riverside Health Centre is onboarded');
    await expect(main.innerText()).resolves.toContain('You will not see this secret again');
    expect(page.url()).toBe(`${cloud.url}/admin/agencies/new`);
    const first = await page.locator('#clientSecret').inputValue();
    const clientId = (await page.locator('main code').innerText()).trim();
    expect(await page.locator('#clientSecret').getAttribute('readonly')).not.toBeNull();
    await checkPage(page, 'secret-onboarded');
    await tabToElement(page, '#clientSecret');
    await page.keyboard.press('ControlOrMeta+A');
    expect(await page.evaluate('document.activeElement.selectionEnd - document.activeElement.selectionStart')).toBe(first.length);
    expect(await tokenStatus(clientId, first)).toBe(200);

    await tabToElement(page, 'Go to Riverside Health Centre');
    await Promise.all([page.waitForURL(/\/admin\/agencies\/agency-riverside-health-centre-[0-9a-f]{6}$/), page.keyboard.press('Enter')]);
    const agencyUrl = page.url();
    await expect(main.innerText()).resolves.not.toContain(first);
    await checkPage(page, 'agency');

    // The agency's page open in a second tab, as it is now, before the new secret.
    const stale = await context!.newPage();
    await stale.goto(agencyUrl);

    // A new secret: shown once; the first goes on working.
    await tabToElement(page, 'Create a new secret');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    await expect(main.innerText()).resolves.toContain('New secret for Riverside Health Centre');
    const second = await page.locator('#clientSecret').inputValue();
    expect(second).not.toBe(first);
    expect(page.url()).not.toContain(second);
    await checkPage(page, 'secret-rotated');
    expect(await tokenStatus(clientId, first)).toBe(200);
    expect(await tokenStatus(clientId, second)).toBe(200);

    // The second tab's form was made before that: sent now, it does nothing, and the page says so.
    await tabToElement(stale, 'Create a new secret');
    await Promise.all([stale.waitForEvent('load'), stale.keyboard.press('Enter')]);
    await expect(stale.locator('main').innerText()).resolves.toContain('Nothing was changed');
    await checkPage(stale, 'stale-form');
    await stale.close();
    expect(await tokenStatus(clientId, first)).toBe(200);

    await page.goto(agencyUrl);
    await expect(main.innerText()).resolves.toContain('A new one retires the older secret at once.');
    await checkPage(page, 'agency-two-secrets');

    // Revoke, after its confirmation.
    await tabToElement(page, 'Revoke Riverside Health Centre');
    await Promise.all([page.waitForURL(/\/revoke$/), page.keyboard.press('Enter')]);
    await checkPage(page, 'revoke');
    await tabToElement(page, 'Revoke agency');
    await Promise.all([page.waitForURL(/\?done=revoked$/), page.keyboard.press('Enter')]);
    await expect(main.innerText()).resolves.toContain('Riverside Health Centre is revoked');
    await checkPage(page, 'agency-revoked');
    expect(await tokenStatus(clientId, first)).toBe(401);
    expect(await tokenStatus(clientId, second)).toBe(401);

    await page.goto(`${cloud.url}/admin/agencies`);
    await expect(main.innerText()).resolves.toMatch(/Riverside Health Centre\s+Revoked/);
    await checkPage(page, 'agencies');
  });

  it('retires an older secret after its confirmation', async () => {
    const page = await signedIn('admin');
    await page.goto(`${cloud.url}/admin/agencies/new`);
    await page.locator('#name').fill('Northgate Academy');
    await page.getByRole('radio', { name: 'School or college' }).check();
    await page.locator('#referralSource').selectOption('2A');
    await page.locator('#contactEmail').fill('dsl@northgate.example.sch.uk');
    await page.getByRole('button', { name: 'Onboard agency' }).click();
    const first = await page.locator('#clientSecret').inputValue();
    const clientId = (await page.locator('main code').innerText()).trim();
    await page.getByRole('link', { name: 'Go to Northgate Academy' }).click();
    await page.getByRole('button', { name: 'Create a new secret' }).click();
    const second = await page.locator('#clientSecret').inputValue();
    await page.getByRole('link', { name: 'Go to Northgate Academy' }).click();

    await page
      .getByRole('link', { name: /^Retire the secret created/ })
      .first()
      .click();
    await page.waitForURL(/\/retire$/);
    await checkPage(page, 'retire');
    await page.getByRole('button', { name: 'Retire secret' }).click();
    await page.waitForURL(/\?done=retired$/);
    await expect(page.locator('main').innerText()).resolves.toContain('The secret is retired');
    await checkPage(page, 'agency-retired');
    expect(await tokenStatus(clientId, first)).toBe(401);
    expect(await tokenStatus(clientId, second)).toBe(200);
  });

  it('pages through the agencies 20 at a time, next and back again, with the keyboard alone', async () => {
    // Onboarded through the JSON API, as an integration would: more than a page of them.
    const token = await workerToken(cloud, 'admin');
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${cloud.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    for (let n = 1; n <= 21; n += 1) {
      const body = {
        name: `Paging Test School ${String(n).padStart(2, '0')}`,
        type: 'school',
        referralSource: '2A',
        contactEmail: 'dsl@paging.example.sch.uk',
      };
      const answer = await api('/api/admin/agencies', { method: 'POST', body: JSON.stringify(body) });
      expect(answer.status).toBe(201);
      await answer.arrayBuffer();
    }
    const { agencies } = (await (await api('/api/admin/agencies')).json()) as { agencies: { name: string }[] };

    const page = await signedIn('admin');
    const rows = page.locator('main tbody tr');
    await page.goto(`${cloud.url}/admin/agencies`);
    await expect(rows.count()).resolves.toBe(20);
    await tabTo(page, 'Next page', (focused) => /^Next\s+page/.test(focused.text));
    await Promise.all([page.waitForURL(/\/admin\/agencies\?cursor=/), page.keyboard.press('Enter')]);
    await expect(rows.count()).resolves.toBe(agencies.length - 20);
    await expect(rows.last().innerText()).resolves.toContain(agencies.at(-1)!.name);
    await checkPage(page, 'agencies-next-page');
    await tabTo(page, 'Previous page', (focused) => /^Previous\s+page/.test(focused.text));
    await Promise.all([page.waitForURL(/\/admin\/agencies$/), page.keyboard.press('Enter')]);
    await expect(rows.first().innerText()).resolves.toContain(agencies[0]!.name);
  });

  it('shows a front door worker the GOV.UK page saying they may not, axe clean', async () => {
    const page = await signedIn('frontdoor');
    const response = await page.goto(`${cloud.url}/admin/agencies`);
    expect(response?.status()).toBe(403);
    await expect(page.locator('h1').innerText()).resolves.toBe('You do not have permission to see this page');
    await checkPage(page, 'forbidden');
  });
});
