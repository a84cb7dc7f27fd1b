/**
 * Shared recording and the chronology in headless Chromium against the real local cloud (gateway,
 * functions, DynamoDB Local, outbox, bus and queues). A school's referral about two children and
 * their mother is decided for the north team and the case opens with those people. The social
 * worker reaches the case's notes by the keyboard, records a home visit (after a refused first
 * try), completes it and the team manager amends it; the adult specialist records a restricted
 * note, which the social worker sees only as a restricted entry; the chronology shows the
 * significant note, filtered and printable; a draft saved from an out-of-date page is told that
 * someone else changed it. Each page is axe clean at 1280 and 320 CSS pixels and reflows there.
 * FSP_WEB_SCREENSHOTS=<folder> also writes screenshots (1280, 1024 and 320 px).
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
let reference: string;
let caseHref: string;

const referral = {
  referrer: {
    name: 'Amara Okafor',
    role: 'Designated safeguarding lead',
    organisation: 'Oakfield Primary School',
    email: 'dsl@oakfield.example.sch.uk',
  },
  referralSource: '2A',
  children: [
    { firstName: 'Mia', lastName: 'Jones', dateOfBirth: '2018-03-14', gender: 'female', school: 'Oakfield Primary School' },
    { firstName: 'Tyler', lastName: 'Jones', dateOfBirth: '2021-11-02', gender: 'male' },
  ],
  adults: [{ firstName: 'Kerry', lastName: 'Jones', relationship: 'mother' }],
  concerns: { whatHappened: 'Mia disclosed violence between adults at home.', whyNow: 'The third disclosure this term.' },
  factors: ['3B', '17A'],
  consent: { familyKnows: true, consentGiven: true },
};

const VISIT = [
  'I visited Mia, Tyler and Kerry at home after school. The house was warm and tidy, and there was food in the kitchen.',
  'I spoke to Mia alone in her bedroom. She showed me her drawings and said she feels safe at home when Dean is not there. She said Dean shouted at her mum last Friday and she hid under her bed with Tyler.',
  'Kerry agreed to meet the domestic abuse worker next week. I will see Mia at school on Thursday.',
].join('\n\n');

const cookieOf = (username: string) => sessionCookieOf(cloud, username);

async function seed(): Promise<void> {
  ({ reference } = await referForAssessment(cloud, referral));
  caseHref = await caseHrefOnceListed(cloud, reference, cookieOf('socialworker'));
}

const text = seenText;

/** This minute on the London wall clock: a contact just now (never in the future: the seconds are dropped), after the case opened. */
function thisMinute() {
  const wall = londonWallClockOf(new Date());
  return {
    day: String(wall.day),
    month: String(wall.month),
    year: String(wall.year),
    time: `${wall.hour}:${String(wall.minute).padStart(2, '0')}`,
  };
}

async function fillWhen(page: Page): Promise<void> {
  const when = thisMinute();
  await page.fill('#contactDate-day', when.day);
  await page.fill('#contactDate-month', when.month);
  await page.fill('#contactDate-year', when.year);
  await page.fill('#contactTime', when.time);
}

export const notesPages = (browser: () => Browser): void =>
  describe('the notes and the chronology in a browser', () => {
    beforeAll(async () => {
      cloud = casesCloud();
      await seed();
    }, 400_000);

    it('records a visit, completes and amends it; a restricted note is an entry without content to others; the chronology shows it, without JavaScript', async () => {
      const { context, page } = await signedInPage(browser(), cloud, cookieOf('socialworker'));
      try {
        await page.goto(`${cloud.url}${caseHref}`);
        await tabTo(page, 'the Notes sub-navigation link', (element) => element.tag === 'a' && element.text === 'Notes');
        await Promise.all([page.waitForURL(`${cloud.url}${caseHref}/notes`), page.keyboard.press('Enter')]);
        expect(await text(page, 'main')).toContain('Nobody has recorded a note on this case yet.');
        await checkAndShoot(page, 'cases-notes-empty');

        await Promise.all([page.waitForURL(/\/notes\/new$/), page.getByRole('button', { name: 'Add a note' }).click()]);
        await checkAndShoot(page, 'cases-note-new');

        // Refused: no type, no time.
        await page.fill('#narrative', VISIT);
        await submitting(page, () => page.getByRole('button', { name: 'Save as draft' }).click());
        expect(await text(page, '.govuk-error-summary')).toContain('Select the type of note');
        expect(await text(page, '.govuk-error-summary')).toContain('Enter the time of the contact');
        await expect(page.inputValue('#narrative')).resolves.toBe(VISIT);
        await checkAndShoot(page, 'cases-note-new-refused');

        await page.getByRole('radio', { name: 'Home visit' }).check();
        await fillWhen(page);
        await page.getByRole('checkbox', { name: 'Mia Jones' }).check();
        await page.getByRole('checkbox', { name: 'Tyler Jones' }).check();
        await page.getByRole('checkbox', { name: 'Kerry Jones' }).check();
        await page.getByRole('group', { name: 'Was Mia Jones seen alone?' }).getByRole('radio', { name: 'Yes', exact: true }).check();
        await page.getByRole('group', { name: 'Was Tyler Jones seen alone?' }).getByRole('radio', { name: 'No', exact: true }).check();
        await page.getByRole('checkbox', { name: /Yes, add it to the case’s chronology/ }).check();
        await submitting(page, () => page.getByRole('button', { name: 'Save as draft' }).click());
        expect(page.url()).toMatch(/\/notes\/note-[0-9a-f-]+\?done=started$/);
        expect(await text(page, '.govuk-notification-banner')).toContain('Your note was saved as a draft.');
        await checkAndShoot(page, 'cases-note-draft');
        const notePath = new URL(page.url()).pathname;

        await submitting(page, () => page.getByRole('button', { name: 'Complete note' }).click());
        expect(await text(page, '.govuk-notification-banner')).toContain('The note is complete.');
        const completed = await text(page, 'main');
        expect(completed).toContain('Who was seen Mia Jones Tyler Jones Kerry Jones');
        expect(completed).toContain('Mia Jones seen alone Yes');
        expect(completed).toContain('She said Dean shouted at her mum last Friday');
        await checkAndShoot(page, 'cases-note-completed');

        // The team manager amends it: both versions are kept and shown.
        const { context: managerContext, page: manager } = await signedInPage(browser(), cloud, cookieOf('manager'));
        try {
          await manager.goto(`${cloud.url}${notePath}`);
          await Promise.all([manager.waitForURL(/\/amend$/), manager.getByRole('link', { name: /Amend this note/ }).click()]);
          await checkAndShoot(manager, 'cases-note-amend');
          await manager.fill('#reason', 'Kerry called to say the incident was on Thursday, not Friday.');
          await manager.fill('#narrative', VISIT.replace('last Friday', 'last Thursday'));
          await submitting(manager, () => manager.getByRole('button', { name: 'Save amendment' }).click());
          const amended = await text(manager, 'main');
          expect(amended).toContain('What happened (as amended)');
          expect(amended).toContain('last Thursday');
          expect(amended).toContain('Amendment 1');
          expect(amended).toContain('Original note');
          expect(amended).toContain('last Friday');
          await checkAndShoot(manager, 'cases-note-amended');
        } finally {
          await managerContext.close();
        }

        // The specialist records a restricted note, completed at once.
        const { context: specialistContext, page: specialist } = await signedInPage(browser(), cloud, cookieOf('specialist'));
        try {
          await specialist.goto(`${cloud.url}${caseHref}/notes/new`);
          await specialist.getByRole('radio', { name: 'Direct work' }).check();
          await fillWhen(specialist);
          await specialist.getByRole('checkbox', { name: 'Kerry Jones' }).check();
          await specialist.fill(
            '#narrative',
            'Kerry talked about her low mood since the winter and the antidepressants she stopped taking in January.',
          );
          await specialist.getByRole('checkbox', { name: 'Adult specialists' }).check();
          await specialist.getByRole('checkbox', { name: 'Team managers' }).check();
          await submitting(specialist, () => specialist.getByRole('button', { name: 'Complete note' }).click());
          expect(await text(specialist, 'main')).toContain('Only adult specialists and team managers can read this note');
          await checkAndShoot(specialist, 'cases-note-restricted');
        } finally {
          await specialistContext.close();
        }

        await page.goto(`${cloud.url}${caseHref}/notes`);
        const list = await text(page, 'main');
        expect(list).toMatch(/Restricted entry — recorded by Dana Lewis on \w+day \d+ \w+ \d{4}/);
        expect(list).not.toContain('antidepressants');
        expect(list).toContain('Amended');
        await checkAndShoot(page, 'cases-notes');

        await tabTo(page, 'the Chronology sub-navigation link', (element) => element.tag === 'a' && element.text === 'Chronology');
        await Promise.all([page.waitForURL(`${cloud.url}${caseHref}/chronology`), page.keyboard.press('Enter')]);
        const chronology = await text(page, 'main');
        expect(chronology).toContain('Home visit recorded by Sam Okafor: I visited Mia, Tyler and Kerry at home after school.');
        expect(chronology).toContain('Significant note amended');
        await checkAndShoot(page, 'cases-chronology');

        await page.getByRole('checkbox', { name: 'Significant note', exact: true }).check();
        await Promise.all([page.waitForURL(/kind=note-significant/), page.getByRole('button', { name: 'Apply filter' }).click()]);
        expect(await text(page, 'main')).toContain('1 of 3 entries.');
        await Promise.all([page.waitForURL(/print=yes/), page.getByRole('link', { name: 'Printable version' }).click()]);
        expect(await text(page, 'main')).toContain('This version is for printing');
        await checkAndShoot(page, 'cases-chronology-print');
      } finally {
        await context.close();
      }
    });

    it('a draft saved from an out-of-date page is told someone else changed it, with the current text; nothing is overwritten', async () => {
      const { context, page: first } = await signedInPage(browser(), cloud, cookieOf('socialworker'), true);
      try {
        await first.goto(`${cloud.url}${caseHref}/notes/new`);
        await first.getByRole('radio', { name: 'Phone or video call' }).check();
        await fillWhen(first);
        await first.fill('#narrative', 'Called Kerry to arrange the next visit.');
        await submitting(first, () => first.getByRole('button', { name: 'Save as draft' }).click());
        const notePath = new URL(first.url()).pathname;

        const second = await context.newPage();
        await second.goto(`${cloud.url}${notePath}`);

        await first.fill('#narrative', 'Called Kerry to arrange the next visit. She asked for Tuesday after school.');
        await submitting(first, () => first.getByRole('button', { name: 'Save draft' }).click());
        expect(await text(first, '.govuk-notification-banner')).toContain('Your draft was saved.');

        await second.fill('#narrative', 'Called Kerry. No answer; left a message.');
        await submitting(second, () => second.getByRole('button', { name: 'Save draft' }).click());
        const banner = await text(second, '.govuk-notification-banner');
        expect(banner).toContain('Someone else changed this note since you opened it');
        expect(banner).toContain('She asked for Tuesday after school.');
        await expect(second.inputValue('#narrative')).resolves.toBe('Called Kerry. No answer; left a message.');
        await checkAndShoot(second, 'cases-note-stale');

        await first.reload();
        await expect(first.inputValue('#narrative')).resolves.toBe(
          'Called Kerry to arrange the next visit. She asked for Tuesday after school.',
        );
      } finally {
        await context.close();
      }
    });
  });
