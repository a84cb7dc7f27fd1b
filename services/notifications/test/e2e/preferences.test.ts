/**
 * The preferences page in headless Chromium without JavaScript, against the local cloud (gateway,
 * the notifications functions, DynamoDB Local): a team manager reaches it from the inbox, is told a
 * time not on the quarter hour on its field, then chooses a digest time and then the inbox only, with
 * the keyboard alone; each page axe clean and reflowing at 320 CSS pixels.
 *
 * FSP_PREFERENCES_SCREENSHOTS=<folder> also writes the page (as first seen, and with the error) at
 * 1024 and 320 CSS pixels.
 */
import { type LocalCloud, startLocalCloud } from '@fsp/infra/local/local-cloud';
import { loadServiceManifests } from '@fsp/infra/local/manifests';
import { checkPage, describeWithBrowser, setSessionCookie, tabTo } from '@fsp/shared/testing/browser';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { demoPageWorker, sealedSessionCookie } from '@fsp/shared/testing/pages';
import type { BrowserContext, Page } from 'playwright-core';
import { DIGEST_TIME_QUARTER } from '../../src/domain/preferences';

jest.setTimeout(300_000);

let cloud: LocalCloud;

function sessionCookieOf(username: string): string {
  const worker = cloud.demoWorkers.find((candidate) => candidate.username === username);
  const entry = cloud.issuer.directoryEntries().find((candidate) => candidate.username === username);
  if (!worker || !entry) throw new Error(`no demo worker ${username}`);
  return sealedSessionCookie(cloud.sessionKeys, { ...demoPageWorker(worker), userId: entry.sub });
}

describeWithBrowser('choosing how you are told, in a browser without JavaScript', (browser) => {
  beforeAll(async () => {
    // The page is notifications' alone: its functions are all the cloud runs, with every service's static
    // files (the GOV.UK assets are referrals'), as CloudFront serves them in front of every service.
    const all = await loadServiceManifests();
    const notifications = all.find((manifest) => manifest.name === 'notifications')!;
    const assets = all.flatMap((manifest) => manifest.assets ?? []);
    cloud = await startLocalCloud({
      manifests: [{ ...notifications, assets }],
      dynamoEndpoint: testDynamoEndpoint(),
      tablePrefix: `prefs${Date.now().toString(36)}-`,
      functionLogLevel: 'WARN',
      log: process.env.FSP_TEST_VERBOSE ? (line) => process.stderr.write(`${line}\n`) : () => {},
    });
  }, 400_000);
  afterAll(() => cloud?.stop());

  async function signedIn(username: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await setSessionCookie(page, cloud.url, sessionCookieOf(username));
    return { context, page };
  }

  it('from the inbox, a mistaken time told on its field, then a digest time and the inbox only, by the keyboard alone', async () => {
    const { context, page } = await signedIn('manager');
    const main = async () => (await page.locator('main').textContent()) ?? '';
    try {
      // A cold function on a busy machine may answer 503 at first.
      for (let attempt = 1; ; attempt += 1) {
        const response = await page.goto(`${cloud.url}/inbox`);
        if (response?.status() === 200 || attempt === 4) break;
      }
      await tabTo(page, 'the preferences link', (element) => element.text === 'Choose how you are told about new items');
      await Promise.all([page.waitForURL(/\/inbox\/preferences$/), page.keyboard.press('Enter')]);
      expect(await main()).toContain('You have not chosen yet, so you have the usual choice for your role: inbox and one email at 8am');
      await expect(page.locator('input[name="mode"][value="digest"]').isChecked()).resolves.toBe(true);
      await checkPage(page, 'notifications-preferences');
      await screenshotsAt(page, 'preferences');

      // A time not on the quarter hour: told in the summary and on the field, what was typed kept.
      await tabTo(page, 'the time box', (element) => element.name === 'digestAt');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('7:50');
      await tabTo(page, 'the Save button', (element) => element.text === 'Save');
      // The answer to the POST is the page itself, at the same address.
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      await expect(page.title()).resolves.toMatch(/^Error: How you are told about new items/);
      await expect(page.locator('.govuk-error-summary a[href="#digestAt"]').textContent()).resolves.toBe(DIGEST_TIME_QUARTER);
      await expect(page.locator('#digestAt-error').textContent()).resolves.toContain(DIGEST_TIME_QUARTER);
      await expect(page.locator('#digestAt').inputValue()).resolves.toBe('7:50');
      await checkPage(page, 'notifications-preferences-time-error');
      await screenshotsAt(page, 'preferences-time-error');

      // The summary's link leads to the field; then a good time, saved.
      await tabTo(page, 'the error summary’s link', (element) => element.text === DIGEST_TIME_QUARTER);
      await page.keyboard.press('Enter');
      await tabTo(page, 'the time box', (element) => element.name === 'digestAt');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('4:30pm');
      await tabTo(page, 'the Save button', (element) => element.text === 'Save');
      await Promise.all([page.waitForURL(/\/inbox\/preferences\?saved=yes$/), page.keyboard.press('Enter')]);
      expect(await main()).toContain(
        'Your choice has been saved. You will be told: inbox and one email at 4:30pm (UK time) on working days.',
      );
      await expect(page.locator('#digestAt').inputValue()).resolves.toBe('16:30');
      await checkPage(page, 'notifications-preferences-saved');

      // Inbox only: the radios are one stop in the tab order, and the arrow keys choose.
      await tabTo(page, 'the checked radio', (element) => element.name === 'mode' && element.checked);
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      await expect(page.locator('input[name="mode"][value="inbox"]').isChecked()).resolves.toBe(true);
      await tabTo(page, 'the Save button', (element) => element.text === 'Save');
      // The page is already at ?saved=yes, so waiting for that address would not wait at all: wait for the
      // next document to arrive there.
      await Promise.all([
        page.waitForEvent('framenavigated', {
          predicate: (frame) => frame === page.mainFrame() && /\/inbox\/preferences\?saved=yes$/.test(frame.url()),
        }),
        page.keyboard.press('Enter'),
      ]);
      await page.waitForLoadState();
      expect(await main()).toContain('You will be told: inbox only, no email.');
      expect(await main()).toContain('You are told: inbox only, no email.');
    } finally {
      await context.close();
    }
  });
});

/** With FSP_PREFERENCES_SCREENSHOTS=<folder>: the page at 1024 and 320 CSS pixels, whole. */
async function screenshotsAt(page: Page, name: string): Promise<void> {
  const folder = process.env.FSP_PREFERENCES_SCREENSHOTS;
  if (!folder) return;
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  try {
    for (const width of [1024, 320]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${folder}/${name}-${width}.png`, fullPage: true });
    }
  } finally {
    await page.setViewportSize(original);
  }
}
