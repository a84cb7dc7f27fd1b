/**
 * Access by relationship in headless Chromium against the real local cloud (ADR 0014 §6): a social
 * worker of another team opens a north case's address and gets the page for a case they cannot see,
 * which offers break-glass; with the keyboard alone they ask, are refused without a reason, give
 * one and land on the case; the north team manager sees the use on the case overview; the front
 * door follows its referral's case link to the case. Each page is axe clean at 1280 and 320 CSS
 * pixels and reflows there. JavaScript is off: every step works without it.
 */
import type { LocalCloud } from '@fsp/infra/local/local-cloud';
import { checkPage, tabTo } from '@fsp/shared/testing/browser';
import type { PageWorker } from '@fsp/shared/testing/pages';
import type { Browser, Page } from 'playwright-core';
import { caseHrefOnceListed, casesCloud, referForAssessment, seenText, sessionCookieOf, signedInPage } from '../../support/e2e';

let cloud: LocalCloud;
let reference: string;
let referralId: string;
let caseHref: string;

const REASON = 'The police called out of hours about the youngest child and the north duty team cannot be reached.';
/** Not a demo worker: a social worker of the south team, which does not hold the case. */
const southWorker: PageWorker = { userId: 'sw-south-e2e', name: 'Kim Lee', roles: ['social-worker'], teamId: 'south' };

const referral = {
  referrer: {
    name: 'Amara Okafor',
    role: 'Designated safeguarding lead',
    organisation: 'Oakfield Primary School',
    email: 'dsl@oakfield.example.sch.uk',
  },
  referralSource: '2A',
  children: [{ firstName: 'Mia', lastName: 'Jones', dateOfBirth: '2018-03-14', gender: 'female' }],
  adults: [{ firstName: 'Kerry', lastName: 'Jones', relationship: 'mother' }],
  concerns: { whatHappened: 'Mia disclosed violence between adults at home.', whyNow: 'The third disclosure this term.' },
  factors: ['3B'],
  consent: { familyKnows: true, consentGiven: true },
};

const cookieOf = (worker: string | PageWorker) => sessionCookieOf(cloud, worker);

async function seed(): Promise<void> {
  ({ reference, referralId } = await referForAssessment(cloud, referral));
  caseHref = await caseHrefOnceListed(cloud, reference, cookieOf('manager'));
}

const text = seenText;

async function pageAs(browser: Browser, worker: string | PageWorker): Promise<Page> {
  return (await signedInPage(browser, cloud, cookieOf(worker))).page;
}

export const breakGlassPages = (browser: () => Browser): void =>
  describe('break-glass and the front door’s way to a case, in a browser', () => {
    beforeAll(async () => {
      cloud = casesCloud();
      await seed();
    }, 400_000);

    it('a worker of another team asks with a reason, by the keyboard alone, and the team manager sees it', async () => {
      const page = await pageAs(browser(), southWorker);
      try {
        const hidden = await page.goto(`${cloud.url}${caseHref}`);
        expect(hidden?.status()).toBe(404);
        expect(await text(page, 'main')).toContain('There is no such case that you can see');
        expect(await text(page, 'main')).not.toContain(reference);
        await checkPage(page, 'cases-no-such-case-offer');

        await tabTo(page, 'the break-glass link', (element) => element.tag === 'a' && element.text === 'Ask to see this case');
        await Promise.all([page.waitForURL(`${cloud.url}${caseHref}/break-glass`), page.keyboard.press('Enter')]);
        expect(await text(page, 'main')).toContain('Your name, the time and your reason are recorded');
        await checkPage(page, 'cases-break-glass');

        // No reason: the form again, saying what to do.
        await tabTo(page, 'the send button', (element) => element.tag === 'button' && element.text === 'Record my reason and see the case');
        await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'), page.keyboard.press('Enter')]);
        await page.waitForLoadState('load');
        expect(await text(page, '.govuk-error-summary')).toContain('Enter why you need to see this case');
        await checkPage(page, 'cases-break-glass-refused');

        await tabTo(page, 'the reason', (element) => element.tag === 'textarea');
        await page.keyboard.type(REASON);
        await tabTo(page, 'the send button', (element) => element.tag === 'button' && element.text === 'Record my reason and see the case');
        await Promise.all([page.waitForURL(`${cloud.url}${caseHref}`), page.keyboard.press('Enter')]);
        expect(await text(page, 'h1')).toBe(reference);
      } finally {
        await page.context().close();
      }

      const manager = await pageAs(browser(), 'manager');
      try {
        await manager.goto(`${cloud.url}${caseHref}`);
        const overview = await text(manager, 'main');
        expect(overview).toContain('Break-glass use');
        expect(overview).toContain(`Kim Lee asked on`);
        expect(overview).toContain(`Their reason: ${REASON}`);
        await checkPage(manager, 'cases-overview-break-glass-uses');
      } finally {
        await manager.context().close();
      }
    });

    it('the front door follows the referral’s case link to the case, and cannot open it without', async () => {
      const page = await pageAs(browser(), 'frontdoor');
      try {
        await page.goto(`${cloud.url}/front-door/referrals/${referralId}`);
        const link = page.locator(`main a[href^="${caseHref}?referralId="]`).first();
        await Promise.all([page.waitForURL((url) => url.pathname === caseHref), link.click()]);
        expect(await text(page, 'h1')).toBe(reference);
        await checkPage(page, 'cases-overview-front-door');
        const without = await page.goto(`${cloud.url}${caseHref}`);
        expect(without?.status()).toBe(404);
      } finally {
        await page.context().close();
      }
    });
  });
