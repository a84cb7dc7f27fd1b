/**
 * The statutory path's pages in headless Chromium with JavaScript off, against the real local cloud
 * (gateway, functions, DynamoDB Local, outbox, bus and queues). A school's referral is decided for
 * the north team and the case opens in assessment. Its team manager reaches the path from the case
 * overview by the keyboard, sends the assessment form empty (the error summary names the fields),
 * completes the assessment, records a strategy discussion that starts a section 47 enquiry and then
 * the initial child protection conference with a plan; the path page shows each, the conference's
 * and the review's timescales, each step naming who recorded it. A second case, taken to a child in
 * need plan through the JSON API, is closed from the closure form: "Add another person" adds a row
 * without JavaScript, and Enter in a field closes the case (or says what is missing) rather than
 * adding one. Each page is axe clean at 1280 and 320 CSS pixels and reflows there.
 * FSP_WEB_SCREENSHOTS=<folder> also writes screenshots (at 1024 px too).
 */
import { workerToken } from '@fsp/infra/local/demo-tokens';
import type { LocalCloud } from '@fsp/infra/local/local-cloud';
import { tabTo } from '@fsp/shared/testing/browser';
import { londonWallClockOf } from '@fsp/shared/time/london';
import type { Browser, Page } from 'playwright-core';
import {
  caseHrefOnceListed,
  casesCloud,
  checkAndShoot,
  postJson,
  referForAssessment,
  seenText,
  sessionCookieOf,
  signedInPage,
  submitting,
} from '../../support/e2e';

let cloud: LocalCloud;
let caseHref: string;

const referral = {
  referrer: {
    name: 'Amara Okafor',
    role: 'Designated safeguarding lead',
    organisation: 'Oakfield Primary School',
    email: 'dsl@oakfield.example.sch.uk',
  },
  referralSource: '2A',
  children: [{ firstName: 'Ella', lastName: 'Hughes', dateOfBirth: '2016-09-21' }],
  adults: [{ firstName: 'Lisa', lastName: 'Hughes', relationship: 'mother' }],
  concerns: { whatHappened: 'Ella came to school with bruises on her arms.', whyNow: 'She said her mother’s partner grabbed her.' },
  factors: ['3B', '18C'],
  consent: { familyKnows: true, consentGiven: false },
};

/** Today on the London wall clock: every step happened today, on or after the referral's day and never in the future. */
async function fillToday(page: Page, field: string): Promise<void> {
  const today = londonWallClockOf(new Date());
  await page.fill(`#${field}-day`, String(today.day));
  await page.fill(`#${field}-month`, String(today.month));
  await page.fill(`#${field}-year`, String(today.year));
}

/** Today on the London wall clock as the API takes a day: "2026-12-03". */
function todayIso(): string {
  const today = londonWallClockOf(new Date());
  return `${today.year}-${String(today.month).padStart(2, '0')}-${String(today.day).padStart(2, '0')}`;
}

/** Each link of the page's error summary leads to a field on the page. */
async function expectSummaryLinksToFields(page: Page): Promise<void> {
  const targets = await page.locator('.govuk-error-summary a').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  expect(targets.length).toBeGreaterThan(0);
  for (const target of targets) {
    expect({ target, fields: await page.locator(target).count() }).toEqual({ target, fields: 1 });
  }
}

/** Follows the path page's link to a step's form. */
async function openStep(page: Page, link: string): Promise<void> {
  await Promise.all([page.waitForURL(/\/path\/[a-z-]+$/), page.getByRole('link', { name: link }).click()]);
}

export const pathPages = (browser: () => Browser): void =>
  describe('the statutory path in a browser', () => {
    beforeAll(async () => {
      cloud = casesCloud();
      const { reference } = await referForAssessment(cloud, referral);
      caseHref = await caseHrefOnceListed(cloud, reference, sessionCookieOf(cloud, 'manager'));
    }, 400_000);

    it('the team manager completes the assessment, records a section 47 strategy discussion and the conference’s plan, without JavaScript', async () => {
      const { context, page } = await signedInPage(browser(), cloud, sessionCookieOf(cloud, 'manager'));
      try {
        await page.goto(`${cloud.url}${caseHref}`);
        await tabTo(page, 'the link to the statutory path', (element) => element.tag === 'a' && element.text === 'See the statutory path');
        await Promise.all([page.waitForURL(`${cloud.url}${caseHref}/path`), page.keyboard.press('Enter')]);
        const opened = await seenText(page, 'main');
        expect(opened).toMatch(/Child and Family assessment\s+On track\s+Due in 4[45] working days/);
        await checkAndShoot(page, 'cases-path-opened');

        await openStep(page, 'Complete the Child and Family assessment');
        await submitting(page, () => page.getByRole('button', { name: 'Complete the assessment' }).click());
        const problems = await seenText(page, '.govuk-error-summary');
        expect(problems).toContain('Enter the date you authorised the assessment');
        expect(problems).toContain('Select the factors identified');
        expect(problems).toContain('Select the child’s primary need');
        await expectSummaryLinksToFields(page);
        await checkAndShoot(page, 'cases-path-assessment-refused');

        await fillToday(page, 'completedOn');
        await page.check('input[name="factors"][value="3B"]');
        await page.check('input[name="factors"][value="18C"]');
        await page.check('input[name="primaryNeed"][value="N1"]');
        await page.check('input[name="outcome"][value="strategy-discussion"]');
        await page.check('input[name="familySafeguardingEligible"][value="yes"]');
        await page.fill(
          '#summary',
          'Ella has been hurt by her mother’s partner. Lisa wants to keep her safe and agreed to a strategy discussion.',
        );
        await submitting(page, () => page.getByRole('button', { name: 'Complete the assessment' }).click());
        expect(await seenText(page, '.govuk-notification-banner')).toContain('The assessment is completed.');

        await openStep(page, 'Record a strategy discussion');
        await fillToday(page, 'heldOn');
        await page.check('input[name="section47"][value="yes"]');
        await page.fill('#reason', 'Police, school and health agreed there is reasonable cause to suspect significant harm.');
        await submitting(page, () => page.getByRole('button', { name: 'Record the strategy discussion' }).click());
        expect(await seenText(page, '.govuk-notification-banner')).toMatch(
          /The initial child protection conference is due by \w+day \d+ \w+ \d{4}\./,
        );
        expect(await seenText(page, 'main')).toMatch(/Initial child protection conference\s+On track\s+Due in 15 working days/);
        // The conference is now the case's soonest deadline: the overview's key dates say so.
        await page.goto(`${cloud.url}${caseHref}`);
        expect(await seenText(page, 'main')).toMatch(
          /Next deadline\s+Initial child protection conference: due in 15 working days \(\w+day \d+ \w+ \d{4}\)/,
        );
        await checkAndShoot(page, 'cases-overview-next-deadline');
        await page.goto(`${cloud.url}${caseHref}/path`);

        await openStep(page, 'Record the initial child protection conference');
        await fillToday(page, 'heldOn');
        await page.check('input[name="outcome"][value="cp-plan"]');
        await page.check('input[name="category"][value="PHY"]');
        await checkAndShoot(page, 'cases-path-conference');
        await submitting(page, () => page.getByRole('button', { name: 'Record the conference' }).click());
        expect(await seenText(page, '.govuk-notification-banner')).toContain('The initial child protection conference is recorded.');
        const recorded = await seenText(page, 'main');
        expect(recorded).toContain('Child protection');
        expect(recorded).toContain('3B Domestic abuse, concerning a parent or carer');
        expect(recorded).toContain('18C Physical abuse, concerning another person in the household');
        expect(recorded).toContain('Primary need N1 Abuse or neglect');
        expect(recorded).toMatch(/Child protection plan 1\s+Started \w+day \d+ \w+ \d{4}\s+Initial category PHY Physical abuse/);
        expect(recorded).toMatch(/Child protection review 1\s+On track/);
        // The team's list names the review as the case's next deadline.
        await page.goto(`${cloud.url}/cases`);
        expect(await seenText(page, 'main')).toMatch(/Child protection review: due in \d+ working days/);
        await checkAndShoot(page, 'cases-team-next-deadline');
        await page.goto(`${cloud.url}${caseHref}/path`);
        expect(recorded).not.toContain('Close the case');
        // Who recorded each step, by name and role (never an id).
        expect(recorded).toContain('Authorised by Jo Patel (team manager)');
        expect(recorded).toMatch(/a child protection plan\. Recorded by Jo Patel \(team manager\)/);
        await checkAndShoot(page, 'cases-path-child-protection');
      } finally {
        await context.close();
      }
    });

    it('the team manager closes a case by pressing Enter in the closure form; "Add another person" still adds a row without JavaScript', async () => {
      const { reference } = await referForAssessment(cloud, {
        ...referral,
        children: [{ firstName: 'Noah', lastName: 'Price', dateOfBirth: '2018-04-02' }],
        adults: [{ firstName: 'Kerry', lastName: 'Price', relationship: 'mother' }],
      });
      const href = await caseHrefOnceListed(cloud, reference, sessionCookieOf(cloud, 'manager'));
      const api = `/api${href}/path`;
      const token = await workerToken(cloud, 'manager');
      const read = await fetch(`${cloud.url}${api}`, { headers: { authorization: `Bearer ${token}` } });
      let version = ((await read.json()) as { version: number }).version;
      version = (
        await postJson(cloud, token, `${api}/complete-assessment`, {
          version,
          completedOn: todayIso(),
          factors: ['3B'],
          primaryNeed: 'N1',
          outcome: 'child-in-need-plan',
          familySafeguardingEligible: true,
          summary: 'Kerry wants help to keep Noah safe from her ex-partner.',
        })
      ).version as number;
      await postJson(cloud, token, `${api}/start-cin-plan`, { version, startedOn: todayIso() });

      const { context, page } = await signedInPage(browser(), cloud, sessionCookieOf(cloud, 'manager'));
      try {
        await page.goto(`${cloud.url}${href}/path`);
        await openStep(page, 'Close the case');
        expect(await page.locator('input[id^="people-"][id$="-name"]').count()).toBe(3);
        await checkAndShoot(page, 'cases-path-close-form');

        await submitting(page, () => page.getByRole('button', { name: 'Add another person' }).click());
        expect(await page.locator('input[id^="people-"][id$="-name"]').count()).toBe(4);

        // Enter in an empty form: the closure is tried (and refused, each field named), not one more row.
        await page.fill('#people-1-name', 'June Price');
        await submitting(page, () => page.press('#people-1-name', 'Enter'));
        expect(await seenText(page, '.govuk-error-summary')).toContain('Enter the date the case closed');
        expect(await page.locator('input[id^="people-"][id$="-name"]').count()).toBe(4);
        expect(await page.inputValue('#people-1-name')).toBe('June Price');
        await expectSummaryLinksToFields(page);
        await checkAndShoot(page, 'cases-path-close-refused');

        await fillToday(page, 'closedOn');
        await page.check('input[name="reasonCode"][value="RC7"]');
        await page.fill('#people-1-relationship', 'maternal grandmother');
        await page.fill('#people-1-helps', 'Has Noah after school on weekdays');
        await page.fill('#sustainabilitySummary', 'Kerry, June and the school meet each half term; Kerry knows whom to call.');
        await page.check('input[name="stepDownToEarlyHelp"][value="no"]');
        await submitting(page, () => page.press('#closedOn-year', 'Enter'));
        expect(await seenText(page, '.govuk-notification-banner')).toContain('The case is closed.');
        const closed = await seenText(page, 'main');
        expect(closed).toContain('June Price (maternal grandmother): Has Noah after school on weekdays');
        expect(closed).toContain('Closed by Jo Patel (team manager)');
        expect(closed).toContain('The case is closed. Nothing more can be recorded on its path.');
        await checkAndShoot(page, 'cases-path-closed');
      } finally {
        await context.close();
      }
    });
  });
