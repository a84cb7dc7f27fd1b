/**
 * The census and pre-proceedings in headless Chromium with JavaScript off, against the real local
 * cloud. A health visitor's referral is decided for the north team through the front door, and the
 * case opens from ReferralAccepted on the bus: its census page shows the referral's source (3B
 * Health visitor) as the front door recorded it. The team manager reaches family group decision
 * making from the census page by the keyboard, records that the family declined a conference, sends
 * the pre-proceedings form empty (the error summary links to the date), starts pre-proceedings, then
 * ends them with another outcome in words; the census page shows the offer and both dates. Each page
 * is axe clean at 1280 and 320 CSS pixels and reflows there. FSP_WEB_SCREENSHOTS=<folder> also
 * writes screenshots (at 1024 px too).
 */
import type { LocalCloud } from '@fsp/infra/local/local-cloud';
import { tabTo } from '@fsp/shared/testing/browser';
import { londonWallClockOf } from '@fsp/shared/time/london';
import type { Browser, Page } from 'playwright-core';
import {
  caseHrefOnceListed,
  casesCloud,
  checkAndShoot,
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
    name: 'Helen Price',
    role: 'Health visitor',
    organisation: 'Northtown Community Health',
    email: 'helen.price@health.example.nhs.uk',
  },
  referralSource: '3B',
  children: [{ firstName: 'Noah', lastName: 'Bennett', dateOfBirth: '2024-05-02' }],
  adults: [{ firstName: 'Chloe', lastName: 'Bennett', relationship: 'mother' }],
  concerns: {
    whatHappened: 'Noah has lost weight and was left alone in the flat during my visit.',
    whyNow: 'Chloe told me she has been drinking heavily since her partner left.',
  },
  factors: ['1B', '16A'],
  consent: { familyKnows: true, consentGiven: true },
};

/** Today on the London wall clock: every step happened today, on or after the referral's day and never in the future. */
async function fillToday(page: Page, field: string): Promise<void> {
  const today = londonWallClockOf(new Date());
  await page.fill(`#${field}-day`, String(today.day));
  await page.fill(`#${field}-month`, String(today.month));
  await page.fill(`#${field}-year`, String(today.year));
}

/** Follows a link of the family group decision making page to a step's form. */
async function openStep(page: Page, link: string): Promise<void> {
  await Promise.all([page.waitForURL(/\/family-group-decision-making\/[a-z-]+$/), page.getByRole('link', { name: link }).click()]);
}

export const censusFgdmPages = (browser: () => Browser): void =>
  describe('the census and pre-proceedings in a browser', () => {
    beforeAll(async () => {
      cloud = casesCloud();
      const { reference } = await referForAssessment(cloud, referral);
      caseHref = await caseHrefOnceListed(cloud, reference, sessionCookieOf(cloud, 'manager'));
    }, 400_000);

    it('the census shows the front door’s source; the team manager starts and ends pre-proceedings after the family declined a conference', async () => {
      const { context, page } = await signedInPage(browser(), cloud, sessionCookieOf(cloud, 'manager'));
      try {
        await page.goto(`${cloud.url}${caseHref}/census`);
        const census = await seenText(page, 'main');
        expect(census).toContain('Referral source 3B Health visitor');
        expect(census).toContain('Family group decision making Offered Not offered Held Not held');
        expect(census).toContain('Pre-proceedings None started');
        await checkAndShoot(page, 'cases-census-opened');

        await tabTo(
          page,
          'the link to family group decision making',
          (element) => element.tag === 'a' && element.text === 'See family group decision making and pre-proceedings',
        );
        await Promise.all([page.waitForURL(`${cloud.url}${caseHref}/family-group-decision-making`), page.keyboard.press('Enter')]);
        expect(await seenText(page, '#pre-proceedings ~ p')).toContain('Pre-proceedings can start only after a family group conference');
        expect(await seenText(page, 'main')).toContain('No family group conference has been held');
        await checkAndShoot(page, 'cases-fgdm-no-conference');

        await openStep(page, 'Record an offer of a family group conference');
        await fillToday(page, 'offeredOn');
        await page.check('input[name="response"][value="declined"]');
        await page.fill('#declinedReason', 'Chloe does not want her family told about her drinking.');
        await submitting(page, () => page.getByRole('button', { name: 'Record the offer' }).click());
        expect(await seenText(page, '.govuk-notification-banner')).toContain('The offer was recorded.');
        // The family declined: nothing is missing before pre-proceedings, so the warning goes.
        expect(await seenText(page, 'main')).not.toContain('No family group conference has been held');

        await openStep(page, 'Record pre-proceedings started');
        await submitting(page, () => page.getByRole('button', { name: 'Record pre-proceedings started' }).click());
        expect(await seenText(page, '.govuk-error-summary')).toContain('Enter the date pre-proceedings started');
        expect(await page.locator('.govuk-error-summary a').getAttribute('href')).toBe('#startedOn-day');
        expect(await page.locator('#startedOn-day').count()).toBe(1);
        await checkAndShoot(page, 'cases-pre-proceedings-refused');
        await fillToday(page, 'startedOn');
        await submitting(page, () => page.getByRole('button', { name: 'Record pre-proceedings started' }).click());
        expect(await seenText(page, '.govuk-notification-banner')).toContain('Pre-proceedings were recorded as started.');
        expect(await seenText(page, '#pre-proceedings-1')).toContain('Running');

        await openStep(page, 'Record pre-proceedings ended, with the outcome');
        await fillToday(page, 'endedOn');
        await page.check('input[name="outcome"][value="other"]');
        await page.fill('#otherOutcome', 'Noah moved to live with his father under a child arrangements order.');
        await checkAndShoot(page, 'cases-pre-proceedings-ended-form');
        await submitting(page, () => page.getByRole('button', { name: 'Record pre-proceedings ended' }).click());
        const ended = await seenText(page, '#pre-proceedings-1');
        expect(ended).toContain('Noah moved to live with his father under a child arrangements order.');
        await checkAndShoot(page, 'cases-fgdm-pre-proceedings-ended');

        await page.goto(`${cloud.url}${caseHref}/census`);
        const after = await seenText(page, 'main');
        expect(after).toMatch(/Offered \w+ \d+ \w+ \d{4}: declined by the family/);
        expect(after).toContain('Outcome The family declined the conference');
        expect(after).toMatch(/Pre-proceedings 1 Started \w+ \d+ \w+ \d{4}, ended \w+ \d+ \w+ \d{4}: Another outcome/);
        await checkAndShoot(page, 'cases-census-pre-proceedings');
      } finally {
        await context.close();
      }
    });
  });
