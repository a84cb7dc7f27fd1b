/**
 * The family network and the case summary in headless Chromium against the real local cloud
 * (gateway, functions, DynamoDB Local, outbox, bus and queues). A school's referral about two
 * children and their mother is decided for the north team; the case opens with those people. The
 * social worker goes from the case overview to its family page by the keyboard, adds the
 * children's grandmother (after a refused first try), writes the case summary, and a second
 * worker's out-of-date correction is told that someone else changed the network. Each page is axe
 * clean and reflows at 320 CSS pixels; with JavaScript on, a refused form puts the focus on its
 * error summary. FSP_WEB_SCREENSHOTS=<folder> also writes screenshots (1280, 1024 and 320 px).
 */

import type { LocalCloud } from '@fsp/infra/local/local-cloud';
import { focused, setSessionCookie, tabTo } from '@fsp/shared/testing/browser';
import type { Browser } from 'playwright-core';
import {
  caseHrefOnceListed,
  casesCloud,
  checkAndShoot,
  referForAssessment,
  sessionCookieOf,
  signedInPage,
  submitting,
  textOf,
} from '../../support/e2e';

let cloud: LocalCloud;
let reference: string;
let caseHref: string;

const referral = {
  referrer: {
    name: 'Amara Okafor',
    role: 'Designated safeguarding lead',
    organisation: 'Oakfield Primary School',
    email: 'dsl@oakfield.example.sch.uk',
    phone: '01632 960 123',
  },
  referralSource: '2A',
  children: [
    {
      firstName: 'Mia',
      lastName: 'Jones',
      dateOfBirth: '2018-03-14',
      gender: 'female',
      school: 'Oakfield Primary School',
      address: { line1: '12 Elm Road', town: 'Northtown', postcode: 'NT1 4AB' },
    },
    { firstName: 'Tyler', lastName: 'Jones', dateOfBirth: '2021-11-02', gender: 'male' },
  ],
  adults: [{ firstName: 'Kerry', lastName: 'Jones', relationship: 'mother' }],
  concerns: { whatHappened: 'The child disclosed violence between adults at home.', whyNow: 'The third disclosure this term.' },
  factors: ['3B', '17A'],
  consent: { familyKnows: true, consentGiven: true },
};

const cookieOf = (username: string) => sessionCookieOf(cloud, username);

async function seed(): Promise<void> {
  ({ reference } = await referForAssessment(cloud, referral));
  // The case opens from the decision's fact on the bus; the team's list links it once it has.
  caseHref = await caseHrefOnceListed(cloud, reference, cookieOf('socialworker'));
}

const text = textOf;

export const familyPages = (browser: () => Browser): void =>
  describe('the family network and the case summary in a browser', () => {
    beforeAll(async () => {
      cloud = casesCloud();
      await seed();
    }, 400_000);

    it('the social worker reaches the family by the keyboard, adds the grandmother after a refused try, and writes the summary, without JavaScript', async () => {
      const { context, page } = await signedInPage(browser(), cloud, cookieOf('socialworker'));
      try {
        await page.goto(`${cloud.url}${caseHref}`);
        await expect(page.locator('h1').textContent()).resolves.toBe(reference);
        expect(await text(page, 'main')).toContain('There is no case summary yet.');
        await checkAndShoot(page, 'cases-overview-new');

        await tabTo(
          page,
          'the Family and network sub-navigation link',
          (element) => element.tag === 'a' && element.text === 'Family and network',
        );
        await Promise.all([page.waitForURL(`${cloud.url}${caseHref}/family`), page.keyboard.press('Enter')]);
        const family = await text(page, 'main');
        expect(family).toContain('Mia Jones');
        expect(family).toContain('Tyler Jones');
        expect(family).toContain('Relationship to each child Mother of Mia Jones Mother of Tyler Jones');
        expect(family).toContain('Amara Okafor');
        await checkAndShoot(page, 'cases-family');

        await tabTo(
          page,
          'the link to add wider family',
          (element) => element.tag === 'a' && element.text === 'Add a member of the wider family or a friend',
        );
        await Promise.all([page.waitForURL(/\/family\/wider-family\/new$/), page.keyboard.press('Enter')]);
        await checkAndShoot(page, 'cases-family-add');

        // Refused: no name, and nobody said whether she could come to a family group conference.
        await page.fill('#relationship', 'maternal grandmother');
        await submitting(page, () => page.getByRole('button', { name: 'Add to the family network' }).click());
        expect(await text(page, '.govuk-error-summary')).toContain('Enter the first name');
        expect(await text(page, '.govuk-error-summary')).toContain('Say whether they could take part in a family group conference');
        await expect(page.inputValue('#relationship')).resolves.toBe('maternal grandmother');
        await checkAndShoot(page, 'cases-family-add-refused');

        await page.fill('#firstName', 'Pat');
        await page.fill('#lastName', 'Jones');
        await page.check('#fgc');
        await page.fill('#phone', '01632 960 001');
        await submitting(page, () => page.getByRole('button', { name: 'Add to the family network' }).click());
        expect(page.url()).toMatch(/\/family\?done=added&person=person-[0-9a-f-]+#wider-family$/);
        expect(await text(page, '.govuk-notification-banner')).toContain('Pat Jones has been added to the family network.');
        expect(await text(page, 'main')).toContain('Could take part in a family group conference Yes');
        await checkAndShoot(page, 'cases-family-added');

        await page.goto(`${cloud.url}${caseHref}/summary`);
        await page.fill(
          '#text',
          'Mia (7) and Tyler (4) live with their mother Kerry. The school referred after Mia said she had seen violence between adults at home, the third disclosure this term.\n\nTheir maternal grandmother Pat lives nearby and helps with school runs.',
        );
        await checkAndShoot(page, 'cases-summary-form');
        await submitting(page, () => page.getByRole('button', { name: 'Save the case summary' }).click());
        expect(await text(page, '.govuk-notification-banner')).toContain('The case summary is saved.');
        expect(await text(page, 'main')).toMatch(
          /Their maternal grandmother Pat lives nearby and helps with school runs\. Last updated \w+day \d+ \w+ \d{4} by Sam Okafor/,
        );
        await checkAndShoot(page, 'cases-overview');
      } finally {
        await context.close();
      }
    });

    it('tells a worker whose correction was made from an out-of-date network, and focuses the error summary when JavaScript is on', async () => {
      const mine = await browser().newContext({ javaScriptEnabled: true, viewport: { width: 1280, height: 900 } });
      const theirs = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
      try {
        const page = await mine.newPage();
        await setSessionCookie(page, cloud.url, cookieOf('specialist'));
        await page.goto(`${cloud.url}${caseHref}/family`);
        const correctKerry = page.locator('.govuk-summary-card', { hasText: 'Kerry Jones' }).getByRole('link', { name: /Correct/ });
        await Promise.all([page.waitForURL(/\/family\/adults\/[^/]+\/edit$/), correctKerry.click()]);
        const editUrl = page.url();

        const other = await theirs.newPage();
        await setSessionCookie(other, cloud.url, cookieOf('manager'));
        await other.goto(editUrl);
        await other.fill('#dateOfBirth-day', '30');
        await other.fill('#dateOfBirth-month', '7');
        await other.fill('#dateOfBirth-year', '1992');
        await submitting(other, () => other.getByRole('button', { name: 'Save the correction' }).click());
        expect(other.url()).toContain('done=corrected');

        await page.fill('#relationship-1', 'mum');
        await submitting(page, () => page.getByRole('button', { name: 'Save the correction' }).click());
        expect(await text(page, '.govuk-error-summary')).toContain('Someone else changed the family network since you opened it');
        expect(await text(page, 'main')).toContain('What the record says now');
        expect(await text(page, 'main')).toContain('Date of birth 30 July 1992');
        await expect(page.inputValue('#relationship-1')).resolves.toBe('mum');
        // govuk-frontend's script moves the focus to the error summary once the page has loaded.
        await page.waitForFunction("document.activeElement?.classList.contains('govuk-error-summary') === true");
        expect((await focused(page))?.tag).toBe('div');
        await checkAndShoot(page, 'cases-family-stale');
      } finally {
        await mine.close();
        await theirs.close();
      }
    });
  });
