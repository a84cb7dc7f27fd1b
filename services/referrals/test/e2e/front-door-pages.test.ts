/**
 * The front door's pages end to end: headless Chromium with JavaScript off, against the whole
 * local cloud (gateway, the referrals `pages` function, cases opening the case, the outbox and
 * bus). A front-door worker, signed in with a session sealed with the local cloud's keys (real
 * sign-in is notifications'), goes from the queue to a referral, starts screening and records a
 * decision that opens a case for team north, with the keyboard alone; every page on the way is
 * axe clean (WCAG 2.2 AA) and does not scroll sideways at 320 CSS pixels.
 *
 * The queue holds realistic, fictional referrals: from the partner API (as an agency's system
 * sends them), and, for deadlines long past, received through the one intake path with an earlier
 * clock (nothing else can backdate a referral).
 *
 * FSP_WEB_SCREENSHOTS=<folder> also writes full-page screenshots at 1280 and 320 px.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { partnerToken, workerToken } from '@fsp/infra/local/demo-tokens';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@fsp/infra/local/dynamodb-local';
import { type LocalCloud, startLocalCloud } from '@fsp/infra/local/local-cloud';
import { loadServiceManifests } from '@fsp/infra/local/manifests';
import { csrfTokenFor, newSession } from '@fsp/shared/http/session';
import { staticKeyring } from '@fsp/shared/keyed-hash';
import type { Role } from '@fsp/shared/people';
import { createDocumentClient, type ServiceRuntime } from '@fsp/shared/runtime';
import { capturingLogger } from '@fsp/shared/testing/api-gateway-event';
import { checkPage, describeWithBrowser, focused, inIsolatedWorld, setSessionCookie, tabTo } from '@fsp/shared/testing/browser';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { sealedSessionCookie } from '@fsp/shared/testing/pages';
import type { Page } from 'playwright-core';
import { schoolReferral } from '../support/fixtures';
import { receiveUnchecked, type SubmissionInput } from '../support/referrals';

jest.setTimeout(480_000);

let cloud: LocalCloud;
let documents: ReturnType<typeof createDocumentClient>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The referral the journey decides, and its reference. */
let target: { id: string; reference: string };
/** Mia's earlier referral, whose case is open: the case bears its reference. */
let earlier: { id: string; reference: string };
let overdue: { id: string; reference: string };

async function submitByPartnerApi(submission: SubmissionInput): Promise<{ id: string; reference: string }> {
  const response = await fetch(`${cloud.url}/v1/referrals`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await partnerToken(cloud)}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(submission),
  });
  if (response.status !== 201) throw new Error(`the partner API answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string; reference: string };
}

/** A referral received `daysAgo` days ago, through the same intake as the API's; the local cloud then runs its known-family check. */
async function receivedDaysAgo(daysAgo: number, submission: SubmissionInput, channel: 'form' | 'partner-api' = 'partner-api') {
  const at = new Date(Date.now() - daysAgo * DAY_MS);
  const runtime: ServiceRuntime = {
    serviceName: 'referrals',
    tableName: cloud.tableNames.referrals!,
    dynamo: new DynamoDBClient({ endpoint: cloud.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
    documents,
    clock: () => at,
    logger: capturingLogger().logger,
  };
  // Hashed with the cloud's key ring, as its functions hash, so that the known-family check finds earlier children.
  const received = await receiveUnchecked(runtime, submission, channel, staticKeyring(cloud.matchKeys));
  return { id: received.referralId, reference: received.reference };
}

/** Events go through the outbox, the bus and queues: on a busy machine, seconds each. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const storedReferral = async (id: string) =>
  (
    await documents.send(
      new GetCommand({ TableName: cloud.tableNames.referrals, Key: { pk: `REFERRAL#${id}`, sk: 'REFERRAL' }, ConsistentRead: true }),
    )
  ).Item;

const checked = (id: string) =>
  until(`the known-family check of ${id}`, async () => ((await storedReferral(id))?.familyMatches ? true : undefined));

/** A worker's session, sealed with the local cloud's keys, as notifications' sign-in will set it. */
const sessionCookie = (worker: { userId: string; username: string; name: string; roles: Role[] }) =>
  sealedSessionCookie(cloud.sessionKeys, { ...worker, teamId: 'front-door' });

const priya = { userId: 'local-frontdoor', username: 'frontdoor', name: 'Priya Shah', roles: ['front-door'] as Role[] };
const tom = { userId: 'local-tom', username: 'tom.reid', name: 'Tom Reid', roles: ['front-door'] as Role[] };

/** Puts the worker's session cookie in the browser's jar, as notifications' sign-in sets it. */
const signIn = (page: Page, worker: typeof priya) => setSessionCookie(page, cloud.url, sessionCookie(worker));

const titleOf = async (page: Page) => (await inIsolatedWorld(page, 'document.title')) as string;

async function mainText(page: Page): Promise<string> {
  return ((await inIsolatedWorld(page, `document.querySelector('main').innerText`)) as string).replace(/\s+/g, ' ');
}

describeWithBrowser('the front door’s pages in Chromium, with JavaScript off', (browser) => {
  beforeAll(async () => {
    cloud = await startLocalCloud({
      manifests: await loadServiceManifests(),
      dynamoEndpoint: testDynamoEndpoint(),
      tablePrefix: `fdp${Date.now().toString(36)}-`,
      functionLogLevel: 'WARN',
      log: process.env.FSP_TEST_VERBOSE ? (line) => process.stderr.write(`${line}\n`) : () => {},
    });
    documents = createDocumentClient(
      new DynamoDBClient({ endpoint: cloud.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
    );

    // Mia was referred by her school two months ago; the front door sent it for assessment, and the case is open.
    earlier = await receivedDaysAgo(60, schoolReferral());
    await checked(earlier.id);
    const decided = await fetch(`${cloud.url}/api/front-door/referrals/${earlier.id}/decision`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await workerToken(cloud, 'frontdoor')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'assessment', reason: 'Repeated disclosures of domestic abuse at home.', teamId: 'north' }),
    });
    expect(decided.status).toBe(200);
    await until('the case opened from the earlier referral', async () => ((await storedReferral(earlier.id))?.openCase ? true : undefined));

    // Ten days ago the police referred two brothers: overdue.
    overdue = await receivedDaysAgo(10, {
      ...schoolReferral(),
      referrer: {
        name: 'PC Dan Hughes',
        role: 'Police officer',
        organisation: 'Northshire Police',
        email: 'mash@northshire.police.example',
      },
      referralSource: '6',
      children: [
        {
          firstName: 'Leo',
          lastName: 'Brown',
          dateOfBirth: '2016-07-02',
          gender: 'male',
          address: { line1: '4 Mill Lane', town: 'Northtown', postcode: 'NT2 7QP' },
        },
        {
          firstName: 'Alfie',
          lastName: 'Brown',
          dateOfBirth: '2019-01-21',
          gender: 'male',
          address: { line1: '4 Mill Lane', town: 'Northtown', postcode: 'NT2 7QP' },
        },
      ],
      adults: [
        { firstName: 'Dean', lastName: 'Brown', relationship: 'father' },
        { firstName: 'Stacey', lastName: 'Brown', relationship: 'mother' },
      ],
      concerns: {
        whatHappened: 'Officers attended a domestic incident at 2am. Both boys were in the house and Leo called 999.',
        whyNow: 'Third call-out in six weeks; the father was arrested and released on bail to the home address.',
      },
      factors: ['3B', '2B', '17A'],
    });
    await checked(overdue.id);

    // Today: a neighbour, anonymously, and a health visitor about an unborn baby; a colleague has picked one up.
    const anonymous = await receivedDaysAgo(
      0,
      {
        referralSource: '9',
        children: [
          {
            firstName: 'Ruby',
            lastName: 'Clarke',
            gender: 'female',
            address: { line1: '22 Park View', town: 'Southtown', postcode: 'ST4 1LD' },
          },
        ],
        concerns: { whatHappened: 'Ruby is often outside late at night without a coat.', whyNow: 'It was below freezing last night.' },
        factors: ['16A'],
        consent: { familyKnows: false, consentGiven: false, withoutConsentReason: 'I do not know the family well enough to tell them.' },
      },
      'form',
    );
    await checked(anonymous.id);
    const healthVisitor = await submitByPartnerApi({
      ...schoolReferral(),
      referrer: {
        name: 'Grace Adeyemi',
        role: 'Health visitor',
        organisation: 'Northshire Community Health',
        email: 'grace.adeyemi@health.example',
      },
      referralSource: '3B',
      children: [{ firstName: 'Baby', lastName: 'Okoro', expectedDateOfBirth: `${new Date().getUTCFullYear() + 1}-02-10` }],
      adults: [{ firstName: 'Chioma', lastName: 'Okoro', relationship: 'mother', dateOfBirth: '2005-05-30' }],
      concerns: {
        whatHappened: 'Mother is 20 and has stopped attending antenatal appointments.',
        whyNow: 'She told me she has been drinking to cope.',
      },
      factors: ['1B', '4B'],
      consent: { familyKnows: true, consentGiven: true },
    });
    await checked(healthVisitor.id);
    // Tom Reid, another front door worker, picks the health visitor's referral up through the screening page's form.
    const tomSession = newSession({ ...tom, teamId: 'front-door' }, new Date());
    const tomCookie = sealedSessionCookie(cloud.sessionKeys, { ...tom, teamId: 'front-door' }, new Date(), tomSession);
    const screened = await fetch(`${cloud.url}/front-door/referrals/${healthVisitor.id}/screening`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: tomCookie, origin: cloud.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken: csrfTokenFor(tomSession) }).toString(),
    });
    expect(screened.status).toBe(303);

    // And now Mia's school again: the referral the journey decides.
    target = await submitByPartnerApi(schoolReferral());
    await checked(target.id);
  }, 480_000);

  afterAll(async () => {
    documents?.destroy();
    await cloud?.stop();
  });

  it('serves MoJ Frontend’s files at /assets/moj', async () => {
    const css = await fetch(`${cloud.url}/assets/moj/moj-frontend.min.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('takes a worker from the queue to a referral, through screening, to a decision that opens a case for team north, by keyboard alone', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      context.setDefaultTimeout(20_000);
      const page = await context.newPage();
      await signIn(page, priya);

      await page.goto(`${cloud.url}/front-door`);
      expect(await titleOf(page)).toBe('Referrals awaiting a decision – Family Safeguarding Platform');
      const queue = await mainText(page);
      expect(queue).toContain('Showing 1 to 4 of 4 referrals');
      expect(queue).toMatch(new RegExp(`${overdue.reference} New 2 children\\. Police\\. .* Overdue by \\d+ working days?`));
      expect(queue).toContain('In screening Tom Reid');
      expect(await page.locator('strong.govuk-tag--red', { hasText: 'Overdue' }).count()).toBe(1);
      await checkPage(page, 'front-door-queue');

      await tabTo(page, `the link to ${target.reference}`, (e) => e.tag === 'a' && e.text === target.reference);
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/front-door/referrals/${target.id}`);
      const referral = await mainText(page);
      expect(referral).toContain('Mia Jones: Strong match');
      // The open case is named by the reference of the referral it was opened from, never by its id.
      expect(referral).toContain(`Where it stands Decided: Child and Family assessment (section 17) Case Case ${earlier.reference}`);
      expect(referral).not.toContain('case-');
      await checkPage(page, 'front-door-referral');

      await tabTo(page, 'Start screening', (e) => e.tag === 'a' && e.text === 'Start screening');
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/front-door/referrals/${target.id}/screening`);
      await checkPage(page, 'front-door-screening');
      await tabTo(page, 'the Start screening button', (e) => e.tag === 'button' && e.text === 'Start screening');
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/front-door/referrals/${target.id}?done=screening`);
      expect(await mainText(page)).toContain('Screening started You are screening this referral.');
      await checkPage(page, 'front-door-referral-screening');

      await tabTo(page, 'Record the decision', (e) => e.tag === 'a' && e.text === 'Record the decision');
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/front-door/referrals/${target.id}/decision`);
      await checkPage(page, 'front-door-decision');

      // Sent blank first: the errors, accessible too.
      await tabTo(page, 'the Record the decision button', (e) => e.tag === 'button' && e.text === 'Record the decision');
      await page.keyboard.press('Enter');
      await page.waitForLoadState();
      expect(await titleOf(page)).toBe(`Error: Record the decision on ${target.reference} – Family Safeguarding Platform`);
      expect(await mainText(page)).toContain('There is a problem Select the decision Enter the reason for the decision');
      await checkPage(page, 'front-door-decision-errors');

      await tabTo(page, 'the decision', (e) => e.name === 'outcome');
      for (let presses = 0; presses < 5 && (await focused(page))?.value !== 'assessment'; presses += 1)
        await page.keyboard.press('ArrowDown');
      expect(await focused(page)).toMatchObject({ value: 'assessment', checked: true });
      await tabTo(page, 'the team', (e) => e.name === 'assessmentTeam');
      for (let presses = 0; presses < 3 && (await focused(page))?.value !== 'north'; presses += 1) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Space');
      expect(await focused(page)).toMatchObject({ name: 'assessmentTeam', value: 'north', checked: true });
      await tabTo(page, 'the reason', (e) => e.name === 'reason');
      await page.keyboard.type('Fourth disclosure this term, with an open case for the family: assess with the team that knows them.');
      await tabTo(page, 'the Record the decision button', (e) => e.tag === 'button' && e.text === 'Record the decision');
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/front-door/referrals/${target.id}?done=decision`);
      const decided = await mainText(page);
      expect(decided).toContain('Decision recorded Child and Family assessment (section 17). A case is being opened for North team.');
      expect(decided).toContain('Status Decided');

      // The cases service opens the case for team north; the referral records it and links to it.
      const caseId = await until(
        'the case opened for team north',
        async () => (await storedReferral(target.id))?.openCase?.caseId as string | undefined,
      );
      await page.goto(`${cloud.url}/front-door/referrals/${target.id}`);
      const withCase = await mainText(page);
      expect(withCase).toContain(`Case opened`);
      expect(withCase).not.toContain(caseId);
      // The case opened from this referral bears its reference: in the decision (named "Case …" to a screen reader,
      // apart from any referral's own link) and in the history.
      // The front door reads a case only through its referral (ADR 0014 §6): the link names the referral.
      const caseLinks = page.locator(`main a[href="/cases/${caseId}?referralId=${target.id}"]`);
      expect(await caseLinks.evaluateAll((links) => links.map((link) => link.textContent))).toEqual([
        `Case ${target.reference}`,
        target.reference,
      ]);
      await expect(caseLinks.first().locator('.govuk-visually-hidden').textContent()).resolves.toBe('Case ');
      await checkPage(page, 'front-door-referral-decided');

      await page.goto(`${cloud.url}/front-door`);
      expect(await mainText(page)).toContain('Showing 1 to 3 of 3 referrals');
    } finally {
      await context.close();
    }
  });
});
