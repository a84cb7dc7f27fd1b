/**
 * Allocation in headless Chromium against the real local cloud (gateway, functions, DynamoDB
 * Local, the local user pool as the directory, outbox, bus and queues). The front door decides two
 * referrals for the north team; its manager finds the cases waiting for a social worker first,
 * allocates one by the keyboard alone (after a refused first try), the social worker finds it in
 * their caseload, and a second manager's out-of-date form is told so. Each page is axe clean and
 * reflows at 320 CSS pixels; with JavaScript on, a refused form puts the focus on its error summary.
 * FSP_WEB_SCREENSHOTS=<folder> also writes screenshots (1280, 1024 and 320 px).
 */
import { randomUUID } from 'node:crypto';
import { partnerToken, workerToken } from '@fsp/infra/local/demo-tokens';
import { type LocalCloud, startLocalCloud } from '@fsp/infra/local/local-cloud';
import { loadServiceManifests } from '@fsp/infra/local/manifests';
import { checkPage, describeWithBrowser, focused, setSessionCookie, tabTo } from '@fsp/shared/testing/browser';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { demoPageWorker, sealedSessionCookie } from '@fsp/shared/testing/pages';
import type { Page } from 'playwright-core';

jest.setTimeout(300_000);

let cloud: LocalCloud;
const references: string[] = [];

const referralOf = (child: { firstName: string; lastName: string; dateOfBirth: string }, adult: string) => ({
  referrer: {
    name: 'Amara Okafor',
    role: 'Designated safeguarding lead',
    organisation: 'Oakfield Primary School',
    email: 'dsl@oakfield.example.sch.uk',
  },
  referralSource: '2A',
  children: [child],
  adults: [{ firstName: adult, lastName: child.lastName, relationship: 'mother' }],
  concerns: { whatHappened: 'The child disclosed violence between adults at home.', whyNow: 'The third disclosure this term.' },
  factors: ['3B', '17A'],
  consent: { familyKnows: true, consentGiven: true },
});

/** The user id the local user pool (the directory) gives a demo worker: the `sub` of a token it signs for them. */
async function subOf(username: string): Promise<string> {
  const token = await workerToken(cloud, username);
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string };
  return payload.sub;
}

/** The session cookie of a demo worker, with the user id the directory knows them by (allocation and caseloads name people by it). */
async function cookieOf(username: string): Promise<string> {
  const worker = cloud.demoWorkers.find((candidate) => candidate.username === username);
  if (!worker) throw new Error(`no demo worker ${username}`);
  return sealedSessionCookie(cloud.sessionKeys, { ...demoPageWorker(worker), userId: await subOf(username) });
}

async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function seed(): Promise<void> {
  /** A busy machine can keep a cold function past the gateway's 30 seconds (503): the same request again, with the same idempotency key. */
  const call = async (token: string, path: string, body: unknown) => {
    const idempotencyKey = randomUUID();
    for (let attempt = 1; ; attempt += 1) {
      const response = await fetch(`${cloud.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
      });
      if (response.status === 503 && attempt < 4) continue;
      expect({ path, status: response.status }).toEqual({ path, status: path.startsWith('/v1/') ? 201 : 200 });
      return (await response.json()) as Record<string, unknown>;
    }
  };
  const families = [
    referralOf({ firstName: 'Mia', lastName: 'Jones', dateOfBirth: '2018-03-14' }, 'Kerry'),
    referralOf({ firstName: 'Leo', lastName: 'Hughes', dateOfBirth: '2016-09-02' }, 'Dawn'),
  ];
  const manager = await cookieOf('manager');
  for (const family of families) {
    const submitted = await call(await partnerToken(cloud, 'referrals/submit'), '/v1/referrals', family);
    references.push(submitted.reference as string);
    await call(await workerToken(cloud, 'frontdoor'), `/api/front-door/referrals/${submitted.id as string}/decision`, {
      outcome: 'assessment',
      reason: 'Repeated disclosures of domestic abuse meet the threshold for a Child and Family assessment.',
      teamId: 'north',
    });
  }
  // The cases open from the decisions' facts on the bus; the team's list shows them once they have.
  await eventually(async () => {
    const response = await fetch(`${cloud.url}/cases`, { headers: { cookie: manager }, redirect: 'manual' });
    const html = response.status === 200 ? await response.text() : '';
    return references.every((reference) => html.includes(reference)) ? true : undefined;
  }, "the north team's new cases");
}

/** checkPage (axe and reflow at 1280 and 320 px), and a screenshot at 1024 px too when screenshots are asked for. */
async function checkAndShoot(page: Page, name: string): Promise<void> {
  await checkPage(page, name);
  const folder = process.env.FSP_WEB_SCREENSHOTS;
  if (!folder) return;
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.screenshot({ path: `${folder}/${name}-1024.png`, fullPage: true });
  await page.setViewportSize(original);
}

/** Does `act` (a form's submission) and waits for the page its POST answers. */
async function submitting(page: Page, act: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'), act()]);
  await page.waitForLoadState('load');
}

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

describeWithBrowser('allocation in a browser without JavaScript', (browser) => {
  beforeAll(async () => {
    cloud = await startLocalCloud({
      manifests: await loadServiceManifests(),
      dynamoEndpoint: testDynamoEndpoint(),
      tablePrefix: `alloc${Date.now().toString(36)}-`,
      queueOverrides: { backoff: () => 200 },
      functionLogLevel: 'WARN',
      log: process.env.FSP_TEST_VERBOSE ? (line) => process.stderr.write(`${line}\n`) : () => {},
    });
    await seed();
  }, 400_000);

  afterAll(() => cloud?.stop());

  it('the manager allocates a case by the keyboard; the social worker finds it in their caseload; a stale form is told so', async () => {
    const [first, second] = references as [string, string];
    const context = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await setSessionCookie(page, cloud.url, await cookieOf('manager'));

      // The team's cases: both wait for a social worker, newest first, each with an Allocate link.
      await page.goto(`${cloud.url}/cases`);
      const rows = await page.locator('tbody tr').allTextContents();
      expect(rows.map((row) => row.replace(/\s+/g, ' ').trim())).toEqual([
        expect.stringMatching(new RegExp(`^${second} .* Not allocated Allocate ${second} Due in 4[45] working days`)),
        expect.stringMatching(new RegExp(`^${first} .* Not allocated Allocate ${first} Due in 4[45] working days`)),
      ]);
      await checkAndShoot(page, 'cases-team-unallocated');

      // By the keyboard: the first case's Allocate link, then its form.
      await tabTo(
        page,
        `the Allocate link of ${first}`,
        (element) => element.tag === 'a' && element.text.replace(/\s+/g, ' ') === `Allocate ${first}`,
      );
      await Promise.all([page.waitForURL(/\/cases\/case-[0-9a-f]+\/allocation$/), page.keyboard.press('Enter')]);
      const formUrl = page.url();
      const caseUrl = formUrl.replace(/\/allocation$/, '');
      await expect(text(page, 'h1')).resolves.toBe('Allocate workers');
      await checkAndShoot(page, 'cases-allocation-form');

      // Sent with nobody chosen: the form again, with the error summary.
      await tabTo(page, 'the Save button', (element) => element.tag === 'button' && element.text === 'Save the allocation');
      await submitting(page, () => page.keyboard.press('Enter'));
      await expect(text(page, '.govuk-error-summary')).resolves.toContain('Select a social worker');
      await checkAndShoot(page, 'cases-allocation-errors');

      // Sam Okafor as social worker, Dana Lewis for the victims' domestic abuse work.
      const sam = await subOf('socialworker');
      await tabTo(page, 'the radio for Sam Okafor', (element) => element.type === 'radio' && element.value === sam);
      await page.keyboard.press('Space');
      await tabTo(
        page,
        'the select for the victims’ domestic abuse worker',
        (element) => element.name === 'specialist-domestic-abuse-victim',
      );
      await page.keyboard.press('ArrowDown');
      expect((await focused(page))?.text).toContain('Dana Lewis');
      await tabTo(page, 'the Save button', (element) => element.tag === 'button' && element.text === 'Save the allocation');
      await Promise.all([page.waitForURL(`${caseUrl}?done=allocation#allocation`), page.keyboard.press('Enter')]);
      await expect(text(page, '.govuk-notification-banner')).resolves.toContain('The allocation is saved.');
      const panel = (await page.locator('main').textContent())?.replace(/\s+/g, ' ') ?? '';
      expect(panel).toContain('Allocation Social worker Sam Okafor Domestic abuse worker (victims) Dana Lewis Social worker changes 0');
      await checkAndShoot(page, 'cases-case-allocated');

      // The team's list: the unallocated case first, then the allocated one with its social worker.
      await page.goto(`${cloud.url}/cases`);
      const after = (await page.locator('tbody tr').allTextContents()).map((row) => row.replace(/\s+/g, ' ').trim());
      expect(after[0]).toContain(`${second}`);
      expect(after[0]).toContain('Not allocated');
      expect(after[1]).toContain('Sam Okafor');
      await checkAndShoot(page, 'cases-team-allocated');

      // The manager's own caseload is empty, and says what happens next.
      await page.goto(`${cloud.url}/cases/caseload`);
      await expect(text(page, 'main')).resolves.toContain('You are not allocated to any cases.');
      await checkAndShoot(page, 'cases-caseload-empty');

      // A form opened before someone else's change: told, shown the allocation as it is now.
      const stale = await context.newPage();
      await stale.goto(formUrl);
      await page.goto(formUrl);
      await tabTo(
        page,
        'the select for the victims’ domestic abuse worker',
        (element) => element.name === 'specialist-domestic-abuse-victim',
      );
      await page.keyboard.press('ArrowUp');
      await tabTo(page, 'the Save button', (element) => element.tag === 'button' && element.text === 'Save the allocation');
      await Promise.all([page.waitForURL(`${caseUrl}?done=allocation#allocation`), page.keyboard.press('Enter')]);
      await stale.locator('select[name="specialist-mental-health"]').selectOption({ label: 'Dana Lewis' });
      await submitting(stale, () => stale.locator('button', { hasText: 'Save the allocation' }).click());
      await expect(text(stale, '.govuk-error-summary')).resolves.toContain('Someone else changed this allocation since you opened it.');
      await expect(stale.locator('select[name="specialist-domestic-abuse-victim"]').inputValue()).resolves.toBe('');
      await expect(stale.locator('select[name="specialist-mental-health"]').inputValue()).resolves.toBe('');
      await checkAndShoot(stale, 'cases-allocation-conflict');

      // The social worker's caseload.
      const worker = await context.newPage();
      await setSessionCookie(worker, cloud.url, await cookieOf('socialworker'));
      await worker.goto(`${cloud.url}/cases/caseload`);
      const caseload = (await worker.locator('tbody tr').allTextContents()).map((row) => row.replace(/\s+/g, ' ').trim());
      expect(caseload).toEqual([
        expect.stringMatching(new RegExp(`^${first} You are the social worker\\. Assessment\\. Assessment: due in 4[45] working days`)),
      ]);
      await checkAndShoot(worker, 'cases-caseload');
    } finally {
      await context.close();
    }
  });

  it('with JavaScript on, a refused allocation form puts the focus on its error summary', async () => {
    const context = await browser().newContext({ javaScriptEnabled: true, viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await setSessionCookie(page, cloud.url, await cookieOf('manager'));
      await page.goto(`${cloud.url}/cases`);
      await Promise.all([page.waitForURL(/\/allocation$/), page.locator('a', { hasText: `Allocate ${references[1]}` }).click()]);
      await submitting(page, () => page.locator('button', { hasText: 'Save the allocation' }).click());
      // govuk-frontend's script moves the focus once it has loaded: waited for, not timed.
      await page.waitForFunction("document.activeElement?.classList.contains('govuk-error-summary') === true");
      expect(await page.evaluate('document.activeElement.className')).toContain('govuk-error-summary');
    } finally {
      await context.close();
    }
  });
});
