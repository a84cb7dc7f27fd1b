/**
 * The worker's home, inbox and failed webhook deliveries in headless Chromium with JavaScript off,
 * against the real local cloud (gateway, functions, DynamoDB Local, outbox, bus and queues). Each
 * page is axe clean and reflows at 320 CSS pixels; marking an item read is done with the keyboard
 * alone. The browser carries a session cookie sealed with the local cloud's keys, as sign-in seals it.
 *
 * The data comes through the platform: a partner agency submits referrals and the front door
 * decides one, and the north team's manager allocates the case its social worker (its supervision and
 * the worker's inbox item follow); the decision clock's facts for two referrals
 * received last week are put on the bus as referrals publishes them (the local cloud cannot move
 * time); webhook deliveries that failed for 24 hours are written through this service's store.
 *
 * The inbox is filtered (urgent, then one case) and marked all read with the keyboard alone.
 *
 * FSP_WEB_SCREENSHOTS=<folder> also writes a full-page screenshot of each page at 1280 and 320 CSS pixels (checkPage);
 * FSP_INBOX_SCREENSHOTS=<folder> the filtered and whole inbox at 1024 and 320.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { partnerToken, workerToken } from '@fsp/infra/local/demo-tokens';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@fsp/infra/local/dynamodb-local';
import { LOCAL_BUS_NAME, type LocalCloud, startLocalCloud } from '@fsp/infra/local/local-cloud';
import { loadServiceManifests } from '@fsp/infra/local/manifests';
import { buildEvent } from '@fsp/shared/events/build';
import { referralDecidedV1, referralDecisionDueV1, referralDecisionOverdueV1 } from '@fsp/shared/events/definitions/referrals';
import { checkPage, describeWithBrowser, setSessionCookie, tabTo } from '@fsp/shared/testing/browser';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { demoPageWorker, sealedSessionCookie } from '@fsp/shared/testing/pages';
import { addCalendarDays } from '@fsp/shared/time/local-date';
import { endOfLondonDay, londonDateOf, londonWallClockInstant } from '@fsp/shared/time/london';
import type { BrowserContext, Page } from 'playwright-core';
import { referralDecidedDelivery } from '../../src/domain/webhook';
import { createDeliveryStore } from '../../src/store/delivery-store';

jest.setTimeout(300_000);

let cloud: LocalCloud;

const referral = (child: { firstName: string; lastName: string; dateOfBirth: string }) => ({
  referrer: {
    name: 'Amara Okafor',
    role: 'Designated safeguarding lead',
    organisation: 'Oakfield Primary School',
    email: 'dsl@oakfield.example.sch.uk',
  },
  referralSource: '2A',
  children: [child],
  adults: [{ firstName: 'Kerry', lastName: child.lastName, relationship: 'mother' }],
  concerns: { whatHappened: 'The child disclosed violence between adults at home.', whyNow: 'The third disclosure this term.' },
  factors: ['3B', '17A'],
  consent: { familyKnows: true, consentGiven: true },
});

async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The session cookie of a demo worker, sealed with the keys the local cloud gave every function, with
 * their user id as sign-in puts it there: the directory's `sub`, which their own mailbox is named by.
 */
function sessionCookieOf(username: string): string {
  const worker = cloud.demoWorkers.find((candidate) => candidate.username === username);
  const entry = cloud.issuer.directoryEntries().find((candidate) => candidate.username === username);
  if (!worker || !entry) throw new Error(`no demo worker ${username}`);
  return sealedSessionCookie(cloud.sessionKeys, { ...demoPageWorker(worker), userId: entry.sub });
}

/** A page's HTML as the worker's browser gets it, for waiting on the projections. */
async function pageHtml(username: string, path: string): Promise<string> {
  const response = await fetch(`${cloud.url}${path}`, {
    headers: { cookie: sessionCookieOf(username) },
    redirect: 'manual',
  });
  // A cold function on a busy machine may answer 503 at first: `eventually` asks again.
  return response.status === 200 ? response.text() : '';
}

async function seed(): Promise<void> {
  /** A busy machine can keep a cold function past the gateway's 30 seconds (503); the same request again, with the same idempotency key. */
  const call = async (token: string, path: string, body: unknown, method = 'POST') => {
    const idempotencyKey = randomUUID();
    for (let attempt = 1; ; attempt += 1) {
      const response = await fetch(`${cloud.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
      });
      if (response.status === 503 && attempt < 4) continue;
      expect({ path, status: response.status }).toEqual({ path, status: path.startsWith('/v1/') ? 201 : 200 });
      return (await response.json()) as Record<string, unknown>;
    }
  };
  const partner = await partnerToken(cloud, 'referrals/submit');
  const frontDoor = await workerToken(cloud, 'frontdoor');

  // Two referrals from a school; the front door decides one: a Child and Family assessment by the north team.
  const first = await call(partner, '/v1/referrals', referral({ firstName: 'Mia', lastName: 'Jones', dateOfBirth: '2018-03-14' }));
  await call(partner, '/v1/referrals', referral({ firstName: 'Leo', lastName: 'Hughes', dateOfBirth: '2016-09-02' }));
  await call(frontDoor, `/api/front-door/referrals/${first.id as string}/decision`, {
    outcome: 'assessment',
    reason: 'Repeated disclosures of domestic abuse meet the threshold for a Child and Family assessment.',
    teamId: 'north',
  });
  // The north team's manager allocates the new case its social worker (cases' JSON API, as the allocation form does):
  // the group supervision is scheduled at that, and the social worker is told in their own inbox.
  const manager = await workerToken(cloud, 'manager');
  const caseId = await eventually(async () => {
    const response = await fetch(`${cloud.url}/api/cases?referralId=${first.id as string}`, {
      headers: { authorization: `Bearer ${manager}` },
    });
    return response.status === 200 ? ((await response.json()) as { id: string }).id : undefined;
  }, 'the case opened from the referral');
  const socialWorker = cloud.issuer.directoryEntries().find((entry) => entry.username === 'socialworker')!;
  await call(manager, `/api/cases/${caseId}/allocation`, { version: 0, socialWorkerId: socialWorker.sub, specialists: {} }, 'PUT');

  // Two referrals received last week that the front door has not decided: one overdue, one due today.
  const today = londonDateOf(new Date());
  const bus = new EventBridgeClient({ endpoint: cloud.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const clockFact = (
    definition: typeof referralDecisionDueV1 | typeof referralDecisionOverdueV1,
    id: string,
    reference: string,
    dueDaysAgo: number,
  ) =>
    buildEvent(
      definition,
      {
        referralId: id,
        reference,
        receivedAt: londonWallClockInstant(addCalendarDays(today, -dueDaysAgo - 3), 9, 30).toISOString(),
        decisionDueBy: endOfLondonDay(addCalendarDays(today, -dueDaysAgo)).toISOString(),
        familySafeguardingFlag: true,
      },
      { clock: () => new Date(), correlationId: randomUUID(), causationId: randomUUID() },
    );
  const facts = [
    clockFact(referralDecisionOverdueV1, 'ref-overdue-e2e', 'FSP-2026-4K7Q2M', 2),
    clockFact(referralDecisionDueV1, 'ref-due-e2e', 'FSP-2026-8H3T6W', 0),
  ];
  await bus.send(
    new PutEventsCommand({
      Entries: facts.map((fact) => ({
        Source: fact.source,
        DetailType: fact.detailType,
        Detail: JSON.stringify(fact.detail),
        EventBusName: LOCAL_BUS_NAME,
      })),
    }),
  );
  bus.destroy();

  // Deliveries to two agencies that failed for 24 hours, and one still being retried.
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: cloud.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
  );
  const deliveries = createDeliveryStore(documents, cloud.tableNames.notifications!);
  const agencies = [
    { agencyId: 'agency-oakfield', name: 'Oakfield Primary School', contactEmail: 'dsl@oakfield.example.sch.uk' },
    {
      agencyId: 'agency-northtown-police',
      name: 'Northtown Police Public Protection Unit',
      contactEmail: 'ppu.referrals@northtown-police.example.org',
    },
  ];
  for (const [index, agency] of [agencies[0]!, agencies[1]!, agencies[0]!].entries()) {
    const fact = { eventId: randomUUID(), occurredAt: new Date().toISOString(), correlationId: randomUUID() };
    const data = {
      ...referralDecidedV1.fixtures[0]!,
      referralId: `ref-webhook-${index}`,
      reference: `FSP-2026-${['3C9D1F', '7R2P8L', '5N6B4X'][index]}`,
    };
    const started = new Date(Date.now() - 30 * 60 * 60 * 1000);
    const created = await deliveries.createClaimed(referralDecidedDelivery(data as never, fact, agency), started);
    if (created === 'already-exists') throw new Error('each delivery is new');
    if (index < 2)
      expect(
        await deliveries.recordDead(
          created,
          new Date(Date.now() - (index + 1) * 60 * 60 * 1000),
          index === 0 ? 'HTTP 503' : 'timed out after 10 s',
        ),
      ).toBe(true);
    else
      expect(
        await deliveries.recordRetry(created, new Date(Date.now() - 10 * 60 * 1000), 'HTTP 500', new Date(Date.now() + 50 * 60 * 1000)),
      ).toBe(true);
  }
  documents.destroy();

  // The projections have caught up once every home shows its part.
  await eventually(
    async () => ((await pageHtml('frontdoor', '/')).includes('FSP-2026-4K7Q2M') ? true : undefined),
    'the front door’s overdue referral',
  );
  await eventually(
    async () => ((await pageHtml('frontdoor', '/')).includes('FSP-2026-8H3T6W') ? true : undefined),
    'the referral due today',
  );
  await eventually(
    async () => ((await pageHtml('manager', '/')).includes('Group supervision') ? true : undefined),
    'the north team’s supervision',
  );
  await eventually(async () => ((await pageHtml('socialworker', '/')).includes('/cases/') ? true : undefined), 'the north team’s new case');
  await eventually(
    async () => ((await pageHtml('socialworker', '/inbox')).includes('You have been allocated to case') ? true : undefined),
    'the social worker’s allocation in their inbox',
  );
}

describeWithBrowser('the worker’s desk in a browser without JavaScript', (browser) => {
  beforeAll(async () => {
    cloud = await startLocalCloud({
      manifests: await loadServiceManifests(),
      dynamoEndpoint: testDynamoEndpoint(),
      tablePrefix: `desk${Date.now().toString(36)}-`,
      queueOverrides: { backoff: () => 200 },
      functionLogLevel: 'WARN',
      log: process.env.FSP_TEST_VERBOSE ? (line) => process.stderr.write(`${line}\n`) : () => {},
    });
    await seed();
  }, 400_000);
  afterAll(() => cloud?.stop());

  async function signedIn(username: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await setSessionCookie(page, cloud.url, sessionCookieOf(username));
    return { context, page };
  }

  it.each([
    ['frontdoor', '/', 'home-front-door'],
    ['manager', '/', 'home-team-manager'],
    ['socialworker', '/', 'home-social-worker'],
    ['admin', '/', 'home-administrator'],
    ['frontdoor', '/inbox', 'inbox'],
    ['socialworker', '/inbox', 'inbox-social-worker'],
    ['admin', '/admin/webhook-deliveries', 'webhook-deliveries-failed'],
    ['admin', '/admin/webhook-deliveries?status=pending', 'webhook-deliveries-retried'],
  ])('%s’s %s is axe clean and reflows at 320 pixels', async (username, path, name) => {
    const { context, page } = await signedIn(username);
    try {
      const response = await page.goto(`${cloud.url}${path}`);
      expect(response?.status()).toBe(200);
      await expect(page.locator('h1').count()).resolves.toBe(1);
      await checkPage(page, `notifications-${name}`);
    } finally {
      await context.close();
    }
  });

  it('marks an inbox item read with the keyboard alone, and the unread count goes down', async () => {
    const { context, page } = await signedIn('frontdoor');
    try {
      await page.goto(`${cloud.url}/inbox`);
      const unread = async () => Number(/You have (\d+) unread/.exec((await page.locator('main').textContent()) ?? '')?.[1]);
      const before = await unread();
      expect(before).toBeGreaterThan(0);

      await tabTo(page, 'the first Mark as read button', (element) => element.text.startsWith('Mark as read'));
      await Promise.all([page.waitForURL(/\/inbox#item-/), page.keyboard.press('Enter')]);

      expect(await unread()).toBe(before - 1);
      await checkPage(page, 'notifications-inbox-after-marking-read');
    } finally {
      await context.close();
    }
  });

  it('filters the inbox to urgent items and to one case with the keyboard alone, then marks the unread ones shown read', async () => {
    const { context, page } = await signedIn('frontdoor');
    try {
      await page.goto(`${cloud.url}/inbox`);
      const main = async () => (await page.locator('main').textContent()) ?? '';
      expect(await main()).toContain('FSP-2026-4K7Q2M');

      // Urgent only: the overdue escalation and the decision due today, not the new referrals.
      await tabTo(page, 'the Urgent only checkbox', (element) => element.name === 'urgent');
      await page.keyboard.press('Space');
      await tabTo(page, 'the Apply filters button', (element) => element.text === 'Apply filters');
      await Promise.all([page.waitForURL(/\/inbox\?urgent=yes/), page.keyboard.press('Enter')]);
      expect(await main()).toContain('Showing only urgent items.');
      const titles = await page.locator('main li a.govuk-link').allTextContents();
      expect(titles.length).toBeGreaterThanOrEqual(2);
      expect(titles.some((title) => title.includes('FSP-2026-4K7Q2M'))).toBe(true);
      expect(titles.some((title) => title.includes('FSP-2026-8H3T6W'))).toBe(true);
      expect(titles.some((title) => title.startsWith('New referral'))).toBe(false);
      await checkPage(page, 'notifications-inbox-urgent');
      await screenshotsAt(page, 'inbox-urgent');

      // One case, typed as people type it; the urgent filter is kept.
      await tabTo(page, 'the case reference box', (element) => element.name === 'case');
      await page.keyboard.type('fsp-2026-4k7q2m');
      await Promise.all([page.waitForURL(/urgent=yes&case=fsp-2026-4k7q2m/), page.keyboard.press('Enter')]);
      expect(await main()).toContain('Showing only urgent items about case FSP-2026-4K7Q2M.');
      const caseTitles = await page.locator('main li a.govuk-link').allTextContents();
      expect(caseTitles.length).toBeGreaterThan(0);
      expect(caseTitles.every((title) => title.includes('FSP-2026-4K7Q2M'))).toBe(true);

      // A reference that is not one is told on its field.
      await page.goto(`${cloud.url}/inbox?case=Jones`);
      expect(await main()).toContain('Enter a case reference in the format FSP-2026-7K3M2N');
      await checkPage(page, 'notifications-inbox-case-error');

      // Unread only: every unread item is shown, so the button marks them all, and says how many.
      await page.goto(`${cloud.url}/inbox?unread=yes`);
      const unreadNow = async () => Number(/You have (\d+) unread/.exec(await main())?.[1]);
      const shownUnread = await page.locator('main li .govuk-tag--blue').count();
      expect(shownUnread).toBeGreaterThanOrEqual(2);
      expect(await unreadNow()).toBe(shownUnread);
      await expect(page.getByRole('button', { name: 'Mark all as read' }).count()).resolves.toBe(0);
      await screenshotsAt(page, 'inbox-unread');
      await tabTo(
        page,
        'the button marking the items shown read',
        (element) => element.text === `Mark these ${shownUnread} unread items as read`,
      );
      // Back to the same filters, so the same address: the wait is for the next page to load, not for an address.
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      expect(page.url()).toBe(`${cloud.url}/inbox?unread=yes`);
      expect(await main()).toContain('You have no unread items.');
      expect(await main()).toContain('No items match these filters.');
      await checkPage(page, 'notifications-inbox-unread-marked');
    } finally {
      await context.close();
    }
  });

  it('marks all read from the unfiltered inbox with the keyboard alone, and the button goes', async () => {
    const { context, page } = await signedIn('manager');
    try {
      await page.goto(`${cloud.url}/inbox`);
      const main = async () => (await page.locator('main').textContent()) ?? '';
      expect(Number(/You have (\d+) unread/.exec(await main())?.[1])).toBeGreaterThan(0);
      await screenshotsAt(page, 'inbox-all');
      await tabTo(page, 'the Mark all as read button', (element) => element.text === 'Mark all as read');
      await Promise.all([page.waitForURL(/\/inbox$/), page.keyboard.press('Enter')]);
      expect(await main()).toContain('You have no unread items.');
      await expect(page.getByRole('button', { name: 'Mark all as read' }).count()).resolves.toBe(0);
      await page.goto(`${cloud.url}/inbox?unread=yes`);
      expect(await main()).toContain('No items match these filters.');
      await checkPage(page, 'notifications-inbox-all-read');
    } finally {
      await context.close();
    }
  });
});

/** With FSP_INBOX_SCREENSHOTS=<folder>: the page at 1024 and 320 CSS pixels, whole. */
async function screenshotsAt(page: Page, name: string): Promise<void> {
  const folder = process.env.FSP_INBOX_SCREENSHOTS;
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
