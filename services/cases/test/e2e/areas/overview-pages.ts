/**
 * The cases pages in headless Chromium with JavaScript off, against the real local cloud (gateway,
 * functions, DynamoDB Local, outbox, bus and queues). A partner agency submits a referral and the
 * front door decides it for the north team, which opens a case; the north team's manager goes from
 * their home to the team's cases and on to the case by the keyboard alone, and each page is axe
 * clean and reflows at 320 CSS pixels. FSP_WEB_SCREENSHOTS=<folder> also writes screenshots.
 */

import type { LocalCloud } from '@fsp/infra/local/local-cloud';
import { checkPage, tabTo } from '@fsp/shared/testing/browser';
import type { Browser } from 'playwright-core';
import { caseHrefOnceListed, casesCloud, referForAssessment, sessionCookieOf, signedInPage } from '../../support/e2e';

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

const cookieOf = (username: string) => sessionCookieOf(cloud, username);

async function seed(): Promise<void> {
  ({ reference } = await referForAssessment(cloud, referral));
  // The case opens from the decision's fact on the bus; the team's list shows it once it has.
  await caseHrefOnceListed(cloud, reference, cookieOf('manager'));
}

export const overviewPages = (browser: () => Browser): void =>
  describe('the cases pages in a browser without JavaScript', () => {
    beforeAll(async () => {
      cloud = casesCloud();
      await seed();
    }, 400_000);

    it("the manager reaches the team's cases and then the case by the keyboard, each page axe clean at 1280 and 320 pixels", async () => {
      expect(reference).toMatch(/^FSP-/);
      const { context, page } = await signedInPage(browser(), cloud, cookieOf('manager'));
      try {
        await page.goto(`${cloud.url}/`);

        await tabTo(page, 'the Cases item of the navigation', (element) => element.tag === 'a' && element.text === 'Cases');
        await Promise.all([page.waitForURL(`${cloud.url}/cases`), page.keyboard.press('Enter')]);
        await expect(page.locator('h1').textContent()).resolves.toBe('Your team’s cases');
        const row = await page.locator('tbody tr', { hasText: reference }).textContent();
        expect(row?.replace(/\s+/g, ' ')).toMatch(
          /Assessment\. 1 child\. Opened \w+day \d+ \w+ \d{4} Not allocated Allocate FSP-\S+ Assessment: due in 4[45] working days/,
        );
        await checkPage(page, 'cases-team-cases');

        await tabTo(page, `the link to case ${reference}`, (element) => element.tag === 'a' && element.text === reference);
        await Promise.all([page.waitForURL(/\/cases\/case-[0-9a-f]+$/), page.keyboard.press('Enter')]);
        await expect(page.locator('h1').textContent()).resolves.toBe(reference);
        const main = (await page.locator('main').textContent())?.replace(/\s+/g, ' ');
        expect(main).toContain('Team north');
        expect(main).toContain('Social worker Not allocated');
        expect(main).toContain(`Case opened from referral ${reference}: Child and Family assessment`);
        await checkPage(page, 'cases-case');
      } finally {
        await context.close();
      }
    });
  });
