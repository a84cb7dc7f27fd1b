/**
 * The Supervision area's pages in headless Chromium with JavaScript off, against the real local
 * cloud (gateway, functions, DynamoDB Local, outbox, bus and queues). The data comes through the
 * platform: a partner agency submits a referral, the front door decides it for the north team, the
 * case opens, the team manager allocates its social worker and its first group supervision schedules
 * itself (CaseAllocated). The north team's manager goes from
 * their home to the agenda and on to the case's supervision page with the keyboard alone; each page
 * is axe clean at 1280 and 320 CSS pixels, with nothing scrolling sideways at 320.
 */
import { randomUUID } from 'node:crypto';
import { partnerToken, workerToken } from '@fsp/infra/local/demo-tokens';
import { type LocalCloud, startLocalCloud } from '@fsp/infra/local/local-cloud';
import { loadServiceManifests } from '@fsp/infra/local/manifests';
import { checkPage, describeWithBrowser, type FocusedElement, setSessionCookie, tabTo } from '@fsp/shared/testing/browser';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { demoPageWorker, sealedSessionCookie } from '@fsp/shared/testing/pages';
import { partsOf } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import { addWorkingDays } from '@fsp/shared/time/working-days';
import type { Page } from 'playwright-core';

jest.setTimeout(300_000);

interface DOMTokenListLike {
  contains(token: string): boolean;
}

let cloud: LocalCloud;

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

async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The session cookie (`name=value`) of a demo worker, sealed with the keys the local cloud gave every function, as sign-in seals it. */
function sessionCookieOf(username: string): string {
  const worker = cloud.demoWorkers.find((candidate) => candidate.username === username);
  if (!worker) throw new Error(`no demo worker ${username}`);
  return sealedSessionCookie(cloud.sessionKeys, demoPageWorker(worker));
}

/** A busy machine can keep a cold function past the gateway's 30 seconds (503): the same request again, with the same idempotency key. */
async function call(token: string, path: string, body: unknown, method = 'POST'): Promise<Record<string, unknown>> {
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
}

describeWithBrowser('group supervision pages in a browser without JavaScript', (browser) => {
  let caseId: string;
  /** The case's reference: the referral's it was opened from, which the pages name the case by. */
  let reference: string;

  beforeAll(async () => {
    cloud = await startLocalCloud({
      manifests: await loadServiceManifests(),
      dynamoEndpoint: testDynamoEndpoint(),
      tablePrefix: `supv${Date.now().toString(36)}-`,
      queueOverrides: { backoff: () => 200 },
      functionLogLevel: 'WARN',
      log: process.env.FSP_TEST_VERBOSE ? (line) => process.stderr.write(`${line}\n`) : () => {},
    });
    const submitted = await call(await partnerToken(cloud, 'referrals/submit'), '/v1/referrals', referral);
    reference = submitted.reference as string;
    // The decision is not safe to send twice (a second answers 409, already decided): the front door's
    // function is woken first with a read of the referral, which is.
    const frontDoor = await workerToken(cloud, 'frontdoor');
    await eventually(async () => {
      const response = await fetch(`${cloud.url}/api/front-door/referrals/${submitted.id as string}`, {
        headers: { authorization: `Bearer ${frontDoor}` },
      });
      return response.status === 200 ? true : undefined;
    }, 'the front door’s function, woken');
    await call(frontDoor, `/api/front-door/referrals/${submitted.id as string}/decision`, {
      outcome: 'assessment',
      reason: 'Repeated disclosures of domestic abuse meet the threshold for a Child and Family assessment.',
      teamId: 'north',
    });
    // The case opens (cases); the team manager allocates its social worker (cases' JSON API, as the allocation form does).
    const manager = await workerToken(cloud, 'manager');
    const opened = await eventually(async () => {
      const response = await fetch(`${cloud.url}/api/cases?referralId=${submitted.id as string}`, {
        headers: { authorization: `Bearer ${manager}` },
      });
      return response.status === 200 ? ((await response.json()) as { id: string }).id : undefined;
    }, 'the case opened from the referral');
    const socialWorker = cloud.issuer.directoryEntries().find((entry) => entry.username === 'socialworker')!;
    await call(manager, `/api/cases/${opened}/allocation`, { version: 0, socialWorkerId: socialWorker.sub, specialists: {} }, 'PUT');
    // Its first supervision is scheduled (supervision, from CaseAllocated): the agenda shows it once that has run.
    caseId = await eventually(async () => {
      const response = await fetch(`${cloud.url}/supervision?show=all`, {
        headers: { cookie: sessionCookieOf('manager') },
        redirect: 'manual',
      });
      if (response.status !== 200) return undefined;
      return /href="\/supervision\/cases\/([^"]+)"/.exec(await response.text())?.[1];
    }, 'the north team’s first group supervision');
    expect(caseId).toBe(opened);
  }, 400_000);
  afterAll(() => cloud?.stop());

  it('takes the manager from their home to the agenda and to the case’s supervision by keyboard alone', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await setSessionCookie(page, cloud.url, sessionCookieOf('manager'));
      await page.goto(`${cloud.url}/`);

      await tabTo(page, 'the navigation’s Supervision item', (element) => element.tag === 'a' && element.text === 'Supervision');
      await Promise.all([page.waitForURL(`${cloud.url}/supervision`), page.keyboard.press('Enter')]);
      await expect(page.locator('h1').textContent()).resolves.toBe('Group supervision agenda');
      await checkPage(page, 'supervision-agenda');
      // Allocated today, the case is due next month: this month's agenda offers it behind "Show all".
      await tabTo(page, 'Show all scheduled supervisions', (element) => element.tag === 'a' && element.text.startsWith('Show all'));
      await Promise.all([page.waitForURL(`${cloud.url}/supervision?show=all`), page.keyboard.press('Enter')]);
      await expect(page.locator('main').textContent()).resolves.toMatch(/Scheduled for\s+\w+day \d+ \w+ \d{4} at 10am/);
      await checkPage(page, 'supervision-agenda-all');

      expect(await page.locator('main').textContent()).not.toContain(caseId);
      await tabTo(page, 'the case’s history on the agenda', (element) => element.tag === 'a' && element.text.startsWith('History'));
      await Promise.all([page.waitForURL(`${cloud.url}/supervision/cases/${caseId}`), page.keyboard.press('Enter')]);
      await expect(page.locator('h1').textContent()).resolves.toBe('Group supervision');
      await expect(page.locator('main .govuk-caption-l').textContent()).resolves.toBe(`Case ${reference}`);
      const main = (await page.locator('main').textContent()) ?? '';
      expect(main).not.toContain(caseId);
      expect(main).toContain('Scheduled');
      await checkPage(page, 'supervision-case');

      // And back to the agenda from the case's page.
      await tabTo(page, 'the link back to the agenda', (element) => element.tag === 'a' && element.text.startsWith('Go to your team’s'));
      await Promise.all([page.waitForURL(`${cloud.url}/supervision`), page.keyboard.press('Enter')]);
      await expect(page.locator('h1').textContent()).resolves.toBe('Group supervision agenda');
    } finally {
      await context.close();
    }
  });

  /** Tabs to the field named `name` and types `text` into it, as a keyboard user does. */
  async function typeInto(page: Page, name: string, text: string): Promise<void> {
    await tabTo(page, `the field ${name}`, (element) => element.name === name);
    await page.keyboard.type(text);
  }

  it('records the supervision with the keyboard: refused first with the error summary, saved with one more action row, then completed; the owner marks the action done', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const record = `${cloud.url}/supervision/cases/${caseId}/supervisions/1`;
    const today = new Date();
    const [year, month, day] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(today).split('-');
    try {
      const page = await context.newPage();
      await setSessionCookie(page, cloud.url, sessionCookieOf('manager'));
      await page.goto(`${cloud.url}/supervision?show=all`);
      await tabTo(page, 'the Record link on the agenda', (element) => element.tag === 'a' && element.text.startsWith('Record'));
      await Promise.all([page.waitForURL(record), page.keyboard.press('Enter')]);
      await expect(page.locator('h1').textContent()).resolves.toBe('Record group supervision 1');
      await checkPage(page, 'supervision-record-form');

      // Completing an empty record: the error summary, each field's message.
      await tabTo(page, 'Complete the record', (element) => element.tag === 'button' && element.text === 'Complete the record');
      await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter the date the supervision was held');
      await checkPage(page, 'supervision-record-errors');

      await page.goto(record);
      await typeInto(page, 'heldOn-day', String(Number(day)));
      await typeInto(page, 'heldOn-month', String(Number(month)));
      await typeInto(page, 'heldOn-year', year!);
      // Who attended: each worker's radios start at "Neither"; arrow up twice is "Attended".
      for (let person = 0; person < 2; person += 1) {
        await tabTo(
          page,
          'a presence radio',
          (element) => element.type === 'radio' && (element.name ?? '').startsWith('presence-') && element.checked,
        );
        await page.keyboard.press('ArrowUp');
        await page.keyboard.press('ArrowUp');
      }
      await tabTo(page, 'the rating', (element) => element.name === 'rating');
      await page.keyboard.press('ArrowRight'); // Red → Amber
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowRight');
      await typeInto(page, 'ratingRationale', 'School attendance has dropped again.');
      await typeInto(page, 'discussion', 'We think the mother is frightened to ask for help.');
      await typeInto(page, 'decisions', 'Keep the case open on a CIN plan.');
      await typeInto(page, 'action0What', 'Visit the grandmother');
      // The owner, by the keyboard: down the closed list until it shows Sam Okafor.
      await tabTo(page, 'the owner', (element) => element.name === 'action0Owner');
      const chosenOwner = () => page.locator('select[name="action0Owner"] option:checked').textContent();
      for (let presses = 0; presses < 5 && (await chosenOwner()) !== 'Sam Okafor'; presses += 1) {
        await page.keyboard.press('ArrowDown');
      }
      await expect(page.locator('select[name="action0Owner"] option:checked').textContent()).resolves.toBe('Sam Okafor');
      await typeInto(page, 'action0Due-day', String(Number(day)));
      await typeInto(page, 'action0Due-month', String(Number(month)));
      await typeInto(page, 'action0Due-year', year!);
      // "Add another action" saves the draft and shows one more blank row, without JavaScript.
      await tabTo(page, 'Add another action', (element) => element.tag === 'button' && element.text === 'Add another action');
      await Promise.all([page.waitForURL(/done=saved/), page.keyboard.press('Enter')]);
      await expect(page.locator('input[name="action1What"], textarea[name="action1What"]').count()).resolves.toBe(1);
      await expect(page.locator('main').textContent()).resolves.toContain('Your draft was saved.');

      await tabTo(page, 'Complete the record', (element) => element.tag === 'button' && element.text === 'Complete the record');
      await Promise.all([page.waitForURL(/done=completed/), page.keyboard.press('Enter')]);
      const completed = (await page.locator('main').textContent()) ?? '';
      expect(completed).toContain('The supervision record is complete.');
      expect(completed).toContain('Amber');
      expect(completed).toContain('Visit the grandmother');
      await checkPage(page, 'supervision-record');

      await tabTo(page, 'Amend', (element) => element.tag === 'a' && element.text === 'Amend');
      await Promise.all([page.waitForURL(`${record}/amend`), page.keyboard.press('Enter')]);
      await checkPage(page, 'supervision-record-amend');
      await typeInto(page, 'reason', 'The decision about the school was agreed at the meeting but left out.');
      await tabTo(page, 'the decisions', (element) => element.name === 'decisions');
      await page.keyboard.press('End');
      await page.keyboard.type(' Ask the school to tell us of any absence the same day.');
      await tabTo(page, 'Save the amendment', (element) => element.tag === 'button' && element.text === 'Save the amendment');
      await Promise.all([page.waitForURL(/done=amended/), page.keyboard.press('Enter')]);
      expect((await page.locator('main').textContent()) ?? '').toContain(
        'The decision about the school was agreed at the meeting but left out.',
      );

      await page.goto(`${cloud.url}/supervision/cases/${caseId}`);
      await expect(page.locator('main').textContent()).resolves.toContain('Group supervision 2');
      await checkPage(page, 'supervision-case-history');
      await tabTo(page, 'Move the date', (element) => element.tag === 'a' && element.text.startsWith('Move the date'));
      await Promise.all([page.waitForURL(/\/supervisions\/2\/reschedule$/), page.keyboard.press('Enter')]);
      await checkPage(page, 'supervision-reschedule');
      // To the next working day, with a reason, by the keyboard.
      const moved = partsOf(addWorkingDays(londonDateOf(new Date()), 1));
      await typeInto(page, 'scheduledDate-day', String(moved.day));
      await typeInto(page, 'scheduledDate-month', String(moved.month));
      await typeInto(page, 'scheduledDate-year', String(moved.year));
      await typeInto(page, 'reason', 'The domestic abuse worker is in court on the planned day.');
      await tabTo(page, 'Move the date', (element) => element.tag === 'button' && element.text === 'Move the date');
      await Promise.all([page.waitForURL(/done=rescheduled/), page.keyboard.press('Enter')]);

      // A consultation, by the keyboard from the case's page.
      await tabTo(page, 'Record a consultation', (element) => element.text === 'Record a consultation');
      await Promise.all([page.waitForURL(/\/consultations\/new$/), page.keyboard.press('Enter')]);
      await checkPage(page, 'supervision-consultation');
      await typeInto(page, 'with', 'Dr Priya Shah, clinical psychologist');
      await typeInto(page, 'heldOn-day', String(Number(day)));
      await typeInto(page, 'heldOn-month', String(Number(month)));
      await typeInto(page, 'heldOn-year', year!);
      await typeInto(page, 'notes', 'Talked through the mother’s fear of asking for help and how Sam might open it up.');
      await tabTo(page, 'Record the consultation', (element) => element.tag === 'button' && element.text === 'Record the consultation');
      await Promise.all([page.waitForURL(/done=consultation/), page.keyboard.press('Enter')]);
      expect((await page.locator('main').textContent()) ?? '').toContain('Dr Priya Shah, clinical psychologist');
      await page.goto(`${cloud.url}/supervision/overdue`);
      await checkPage(page, 'supervision-overdue');
    } finally {
      await context.close();
    }

    const worker = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const page = await worker.newPage();
      await setSessionCookie(page, cloud.url, sessionCookieOf('socialworker'));
      await page.goto(`${cloud.url}/supervision/actions`);
      await expect(page.locator('main').textContent()).resolves.toContain('Visit the grandmother');
      await checkPage(page, 'supervision-actions');
      await tabTo(page, 'Mark as done', (element) => element.tag === 'button' && element.text === 'Mark as done');
      await Promise.all([page.waitForURL(/done=action/), page.keyboard.press('Enter')]);
      await expect(page.locator('main').textContent()).resolves.toContain('The action was marked as done.');
    } finally {
      await worker.close();
    }
  });

  /** checkPage, and with FSP_WEB_SCREENSHOTS=<folder> a screenshot at 1024 px too (checkPage writes 1280 and 320). */
  async function checkAndShoot(page: Page, name: string): Promise<void> {
    await checkPage(page, name);
    const folder = process.env.FSP_WEB_SCREENSHOTS;
    if (!folder) return;
    const original = page.viewportSize() ?? { width: 1280, height: 900 };
    await page.setViewportSize({ width: 1024, height: 900 });
    await page.screenshot({ path: `${folder}/${name}-1024.png`, fullPage: true });
    await page.setViewportSize(original);
  }

  /** Tabs from the top of the page to `last` (a control after the form's buttons), counting the times a button saying `text` had the focus. */
  async function focusesOf(page: Page, text: string, last: (element: FocusedElement) => boolean): Promise<number> {
    let times = 0;
    await tabTo(page, 'the end of the form', (element) => {
      if (element.tag === 'button' && element.text === text) times += 1;
      return last(element);
    });
    return times;
  }

  it('Enter in a field of the record form saves the draft (no row added, not completed), and in the amend form saves the amendment', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    // The first supervision was completed and amended above; the second is scheduled.
    const first = `${cloud.url}/supervision/cases/${caseId}/supervisions/1`;
    const second = `${cloud.url}/supervision/cases/${caseId}/supervisions/2`;
    const actionRows = (page: Page) => page.locator('textarea[name$="What"]').count();
    try {
      const page = await context.newPage();
      await setSessionCookie(page, cloud.url, sessionCookieOf('manager'));

      await page.goto(second);
      await expect(page.locator('h1').textContent()).resolves.toBe('Record group supervision 2');
      // The hidden copy of "Save and continue later" that comes first never has the focus: the visible one, after
      // "Complete the record", is the only one met.
      let completeMet = false;
      const saves = await focusesOf(page, 'Save and continue later', (element) => {
        if (element.tag === 'button' && element.text === 'Complete the record') completeMet = true;
        return completeMet && element.text === 'Save and continue later';
      });
      expect(saves).toBe(1);
      const rows = await actionRows(page);
      await page.goto(second);
      await typeInto(page, 'discussion', 'The grandmother has offered to have Mia after school.');
      await tabTo(page, 'the proposed date’s day', (element) => element.name === 'nextDate-day');
      // "Add another action" would redirect with ?done=saved&rows=…, completing with ?done=completed.
      await Promise.all([page.waitForURL(/done=saved$/), page.keyboard.press('Enter')]);
      const saved = (await page.locator('main').textContent()) ?? '';
      expect(saved).toContain('Your draft was saved.');
      expect(saved).toContain('The grandmother has offered to have Mia after school.');
      await expect(page.locator('h1').textContent()).resolves.toBe('Record group supervision 2');
      await expect(page.getByRole('button', { name: 'Complete the record' }).count()).resolves.toBe(1);
      await expect(actionRows(page)).resolves.toBe(rows);

      await page.goto(`${first}/amend`);
      await checkAndShoot(page, 'supervision-record-amend-enter');
      expect(await focusesOf(page, 'Save the amendment', (element) => element.tag === 'a' && element.text === 'Cancel')).toBe(1);
      await page.goto(`${first}/amend`);
      await typeInto(page, 'reason', 'The risk of the mother’s ex-partner returning was discussed but left out.');
      await typeInto(page, 'risks', ' The mother’s ex-partner may return to the area.');
      await tabTo(page, 'the day it was held', (element) => element.name === 'heldOn-day');
      // "Add another action" would draw the form again at the same address; the amendment redirects.
      await Promise.all([page.waitForURL(/done=amended/), page.keyboard.press('Enter')]);
      const amended = (await page.locator('main').textContent()) ?? '';
      expect(amended).toContain('The risk of the mother’s ex-partner returning was discussed but left out.');
      expect(amended).toContain('The mother’s ex-partner may return to the area.');
    } finally {
      await context.close();
    }
  });

  it('moves focus to the error summary when a form is refused (with JavaScript, as GOV.UK Frontend does)', async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await setSessionCookie(page, cloud.url, sessionCookieOf('socialworker'));
      await page.goto(`${cloud.url}/supervision/cases/${caseId}/consultations/new`);
      await tabTo(page, 'Record the consultation', (element) => element.tag === 'button' && element.text === 'Record the consultation');
      await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
      // A function, not a string: the page's CSP refuses eval.
      const hasSummaryFocus = () =>
        (
          globalThis as unknown as { document: { activeElement: { classList: DOMTokenListLike } | null } }
        ).document.activeElement?.classList.contains('govuk-error-summary') === true;
      await page.waitForFunction(hasSummaryFocus);
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter who you consulted');
    } finally {
      await context.close();
    }
  });

  // The front door holds no case and has no part in a team's group supervision: refused, in words, as a page.
  it('refuses the front door a case’s supervision with the GOV.UK forbidden page', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await setSessionCookie(page, cloud.url, sessionCookieOf('frontdoor'));
      const response = await page.goto(`${cloud.url}/supervision/cases/${caseId}`);
      expect(response?.status()).toBe(403);
      await expect(page.locator('h1').textContent()).resolves.toBe('You do not have permission to see this page');
      await checkPage(page, 'supervision-case-forbidden');
    } finally {
      await context.close();
    }
  });
});
