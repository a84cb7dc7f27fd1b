/**
 * Allocation in headless Chromium against the real local cloud (gateway, functions, DynamoDB
 * Local, the local user pool as the directory, outbox, bus and queues). The front door decides two
 * referrals for the north team; its manager finds the cases waiting for a social worker first,
 * allocates one by the keyboard alone (after a refused first try), the social worker finds it in
 * their caseload, and a second manager's out-of-date form is told so. Each page is axe clean and
 * reflows at 320 CSS pixels; with JavaScript on, a refused form puts the focus on its error summary.
 * FSP_WEB_SCREENSHOTS=<folder> also writes screenshots (1280, 1024 and 320 px).
 */
import { workerToken } from '@fsp/infra/local/demo-tokens';
import type { LocalCloud } from '@fsp/infra/local/local-cloud';
import { focused, setSessionCookie, tabTo } from '@fsp/shared/testing/browser';
import type { Browser, Page } from 'playwright-core';
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
const cookieOf = async (username: string) => sessionCookieOf(cloud, username, await subOf(username));

async function seed(): Promise<void> {
  const families = [
    referralOf({ firstName: 'Mia', lastName: 'Jones', dateOfBirth: '2018-03-14' }, 'Kerry'),
    referralOf({ firstName: 'Leo', lastName: 'Hughes', dateOfBirth: '2016-09-02' }, 'Dawn'),
  ];
  const manager = await cookieOf('manager');
  for (const family of families) references.push((await referForAssessment(cloud, family)).reference);
  // The cases open from the decisions' facts on the bus; the team's list shows them once they have.
  for (const reference of references) await caseHrefOnceListed(cloud, reference, manager);
}

const text = textOf;

export const allocationPages = (browser: () => Browser): void =>
  describe('allocation in a browser without JavaScript', () => {
    beforeAll(async () => {
      cloud = casesCloud();
      await seed();
    }, 400_000);

    it('the manager allocates a case by the keyboard; the social worker finds it in their caseload; a stale form is told so', async () => {
      const [first, second] = references as [string, string];
      // The table's rows about this area's two cases: the other areas' cases share the north team.
      const rowsOfThisArea = async (on: Page) =>
        (await on.locator('tbody tr').allTextContents())
          .map((row) => row.replace(/\s+/g, ' ').trim())
          .filter((row) => row.startsWith(`${first} `) || row.startsWith(`${second} `));
      const { context, page } = await signedInPage(browser(), cloud, await cookieOf('manager'));
      try {
        // The team's cases (other areas' cases among them): both wait for a social worker, newest first, each with an Allocate link.
        await page.goto(`${cloud.url}/cases`);
        const rows = await rowsOfThisArea(page);
        expect(rows).toEqual([
          expect.stringMatching(new RegExp(`^${second} .* Not allocated Allocate ${second} Assessment: due in 4[45] working days`)),
          expect.stringMatching(new RegExp(`^${first} .* Not allocated Allocate ${first} Assessment: due in 4[45] working days`)),
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
        const after = await rowsOfThisArea(page);
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
        const caseload = await rowsOfThisArea(worker);
        expect(caseload).toEqual([
          // A new case has no case summary yet, but it is not due for 5 working days: no essentials flag (domain/essentials.ts ESSENTIALS_GRACE).
          expect.stringMatching(new RegExp(`^${first} You are the social worker\\. Assessment\\. Assessment: due in 4[45] working days`)),
        ]);
        await checkAndShoot(worker, 'cases-caseload');
      } finally {
        await context.close();
      }
    });

    it('with JavaScript on, a refused allocation form puts the focus on its error summary', async () => {
      const { context, page } = await signedInPage(browser(), cloud, await cookieOf('manager'), true);
      try {
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
