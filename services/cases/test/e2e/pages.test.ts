/**
 * The cases pages in headless Chromium with JavaScript off, against the real local cloud (gateway,
 * functions, DynamoDB Local, outbox, bus and queues). A partner agency submits a referral and the
 * front door decides it for the north team, which opens a case; the north team's manager goes from
 * their home to the team's cases and on to the case by the keyboard alone, and each page is axe
 * clean and reflows at 320 CSS pixels. FSP_WEB_SCREENSHOTS=<folder> also writes screenshots.
 */
import { randomUUID } from 'node:crypto';
import { partnerToken, workerToken } from '@fsp/infra/local/demo-tokens';
import { type LocalCloud, startLocalCloud } from '@fsp/infra/local/local-cloud';
import { loadServiceManifests } from '@fsp/infra/local/manifests';
import { checkPage, describeWithBrowser, setSessionCookie, tabTo } from '@fsp/shared/testing/browser';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { demoPageWorker, sealedSessionCookie } from '@fsp/shared/testing/pages';

jest.setTimeout(300_000);

let cloud: LocalCloud;
let reference: string;

const referral = {
  referrer: {
    name: 'Amara Okafor',
    role: 'Designated safeguarding lead',
    organisation: 'Oakfield Primary School',
    email: 'dsl@oakfield.example.sch.uk',
  },
  referralSource: '2A',
  children: [{ firstName: 'Mia', lastName: 'Jones', dateOfBirth: '2018-03-14' }],
  adults: [{ firstName: 'Kerry', lastName: 'Jones', relationship: 'mother' }],
  concerns: { whatHappened: 'The child disclosed violence between adults at home.', whyNow: 'The third disclosure this term.' },
  factors: ['3B', '17A'],
  consent: { familyKnows: true, consentGiven: true },
};

/** The session cookie of a demo worker, sealed with the keys the local cloud gave every function. */
function cookieOf(username: string): string {
  const worker = cloud.demoWorkers.find((candidate) => candidate.username === username);
  if (!worker) throw new Error(`no demo worker ${username}`);
  return sealedSessionCookie(cloud.sessionKeys, demoPageWorker(worker));
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
  const submitted = await call(await partnerToken(cloud, 'referrals/submit'), '/v1/referrals', referral);
  reference = submitted.reference as string;
  await call(await workerToken(cloud, 'frontdoor'), `/api/front-door/referrals/${submitted.id as string}/decision`, {
    outcome: 'assessment',
    reason: 'Repeated disclosures of domestic abuse meet the threshold for a Child and Family assessment.',
    teamId: 'north',
  });
  // The case opens from the decision's fact on the bus; the team's list shows it once it has.
  await eventually(async () => {
    const response = await fetch(`${cloud.url}/cases`, { headers: { cookie: cookieOf('manager') }, redirect: 'manual' });
    return response.status === 200 && (await response.text()).includes(reference) ? true : undefined;
  }, "the north team's new case");
}

describeWithBrowser('the cases pages in a browser without JavaScript', (browser) => {
  beforeAll(async () => {
    cloud = await startLocalCloud({
      manifests: await loadServiceManifests(),
      dynamoEndpoint: testDynamoEndpoint(),
      tablePrefix: `cases${Date.now().toString(36)}-`,
      queueOverrides: { backoff: () => 200 },
      functionLogLevel: 'WARN',
      log: process.env.FSP_TEST_VERBOSE ? (line) => process.stderr.write(`${line}\n`) : () => {},
    });
    await seed();
  }, 400_000);

  afterAll(() => cloud?.stop());

  it("the manager reaches the team's cases and then the case by the keyboard, each page axe clean at 1280 and 320 pixels", async () => {
    expect(reference).toMatch(/^FSP-/);
    const context = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await setSessionCookie(page, cloud.url, cookieOf('manager'));
      await page.goto(`${cloud.url}/`);

      await tabTo(page, 'the Cases item of the navigation', (element) => element.tag === 'a' && element.text === 'Cases');
      await Promise.all([page.waitForURL(`${cloud.url}/cases`), page.keyboard.press('Enter')]);
      await expect(page.locator('h1').textContent()).resolves.toBe('Your team’s cases');
      const row = await page.locator('tbody tr', { hasText: reference }).textContent();
      expect(row?.replace(/\s+/g, ' ')).toMatch(
        /Assessment\. 1 child\. Opened \w+day \d+ \w+ \d{4} Not allocated Allocate FSP-\S+ Due in 4[45] working days/,
      );
      await checkPage(page, 'cases-team-cases');

      await tabTo(page, `the link to case ${reference}`, (element) => element.tag === 'a' && element.text === reference);
      await Promise.all([page.waitForURL(/\/cases\/case-[0-9a-f]+$/), page.keyboard.press('Enter')]);
      await expect(page.locator('h1').textContent()).resolves.toBe(reference);
      const main = (await page.locator('main').textContent())?.replace(/\s+/g, ' ');
      expect(main).toContain('Team north');
      expect(main).toContain('Allocation, the family network and recording come in a later release.');
      expect(main).toContain(`Case opened from referral ${reference}: Child and Family assessment`);
      await checkPage(page, 'cases-case');
    } finally {
      await context.close();
    }
  });
});
