/**
 * The plan's pages and the essentials flags through the real pages handler with sealed session
 * cookies, against DynamoDB Local under an injected clock: a case opened by the real consumer
 * (referral received Monday 5 January 2026), a plan agreed by the form (a blank goal ignored), a
 * date the form cannot read named by its field, a review with progress against each goal, a stale
 * form told the plan changed; then, weeks later, the plan past its review date shown Stale on the
 * case page, flagged on the team's essentials list (linked from the team's cases for the manager)
 * and on the allocated worker's caseload.
 */
import { randomUUID } from 'node:crypto';
import { CSRF_FORM_FIELD } from '@fsp/shared/http/page-session';
import { csrfTokenFor } from '@fsp/shared/http/session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { formsOf, mainLinksOf, mainTextOf } from '@fsp/shared/testing/html';
import type { PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { fixtureDirectory, NORTH, people } from '../support/directory';
import { casesHttpHandler } from '../support/http';
import { type casesPagesHandler, casesPagesVisitor } from '../support/pages';
import { referralAccepted } from '../support/referral-accepted';

/** Tuesday 10 February 2026, 2:30pm in London. */
const NOW = '2026-02-10T14:30:00.000Z';
const ORIGIN = 'http://127.0.0.1:3000';
const referralId = 'ref-plan-pages-1';
const caseId = caseIdForReferral(referralId);
const planPage = `/cases/${caseId}/plan`;

const socialWorker: PageWorker = { userId: 'sw-0001', name: 'Sam Okafor', roles: ['social-worker'], teamId: NORTH };
const manager: PageWorker = { userId: 'tm-0001', name: 'Tara Mensah', roles: ['team-manager'], teamId: NORTH };
const otherTeam: PageWorker = { userId: 'sw-0009', name: 'Kim Lee', roles: ['social-worker'], teamId: 'team-south-2' };

let table: TestTable;
let runtime: ServiceRuntime;
let visitor: ReturnType<typeof pageVisitor>;
let handler: ReturnType<typeof casesPagesHandler>;
let now = new Date(NOW);

beforeEach(async () => {
  now = new Date(NOW);
  const setup = await createTestRuntime('cases', () => now);
  table = setup.table;
  runtime = setup.runtime;
  ({ handler, visitor } = casesPagesVisitor(runtime, ORIGIN));
  await deliverUntilAccepted(createReferralAcceptedConsumer({ ...runtime, clock: () => new Date('2026-01-05T15:10:01.000Z') }), [
    referralAccepted({ referralId, teamId: NORTH }),
  ]);
});
afterEach(async () => {
  await table.drop();
});

type Fields = Record<string, string>;

/** A form as the browser posts it, with the session's CSRF token. */
async function post(worker: PageWorker, path: string, fields: Fields) {
  const body = new URLSearchParams([[CSRF_FORM_FIELD, csrfTokenFor(visitor.sessionOf(worker))], ...Object.entries(fields)]).toString();
  return handler(
    apiGatewayEvent({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      body,
      cookies: [visitor.cookieOf(worker)],
      requestId: `req-${randomUUID()}`,
    }),
  );
}

const text = (html: string | undefined) => mainTextOf(html ?? '');

/** The form at `path` as the worker opens it: every field it carries (hidden ones included). */
async function formOn(worker: PageWorker, path: string): Promise<Record<string, string>> {
  const page = await visitor.get(worker, path);
  expect(page.statusCode).toBe(200);
  const form = formsOf(page.body ?? '').find((each) => each.action === path);
  expect(form?.fields.version).toMatch(/^\d+$/);
  return Object.fromEntries(
    Object.entries(form?.fields ?? {})
      // The CSRF token is the session's, sent by post(); a radio group is the worker's to choose (formsOf reads its last value).
      .filter(([name]) => name !== CSRF_FORM_FIELD && !name.endsWith('-rating'))
      .map(([name, value]) => [name, String(value)]),
  );
}

const day = (name: string, d: number, m = 2, y = 2026): Fields => ({
  [`${name}-day`]: String(d),
  [`${name}-month`]: String(m),
  [`${name}-year`]: String(y),
});

/** Goal 1 with two actions; goal 2 (the form's spare block) left blank. */
const firstPlan: Fields = {
  ...day('agreedOn', 10),
  'goals-1-words': 'We want Mia to get to school on time every day',
  'goals-1-actions-1-what': 'Set an alarm and walk Mia to school',
  'goals-1-actions-1-who': 'Kerry',
  ...day('goals-1-actions-1-byWhen', 20),
  'goals-1-actions-2-what': 'Text Kerry if Mia is late',
  'goals-1-actions-2-who': 'Oakfield Primary',
  ...day('goals-1-actions-2-byWhen', 13),
  ...day('nextReviewDate', 10, 3),
};

async function agree(worker: PageWorker, fields: Fields): Promise<void> {
  const form = await formOn(worker, `${planPage}/edit`);
  const response = await post(worker, `${planPage}/edit`, { ...form, ...fields });
  expect({ status: response.statusCode, page: response.statusCode === 303 ? '' : text(response.body) }).toEqual({ status: 303, page: '' });
  expect(response.headers?.location).toBe(`${planPage}?done=agreed`);
}

describe('agreeing the plan', () => {
  it('by the form: the goal in the family’s words, who does what by when, the next review; the blank goals ignored', async () => {
    const empty = await visitor.get(socialWorker, planPage);
    expect(empty.statusCode).toBe(200);
    expect(empty.headers?.['cache-control']).toBe('no-store');
    expect(text(empty.body)).toContain('No plan has been agreed with the family yet.');
    expect(mainLinksOf(empty.body ?? '')).toContainEqual({ href: `${planPage}/edit`, text: 'Agree the plan with the family' });

    const form = await formOn(socialWorker, `${planPage}/edit`);
    expect(form.version).toBe('0');
    // No goal to keep: two blank goal blocks, each with three action rows; agreed today unless changed.
    const formPage = (await visitor.get(socialWorker, `${planPage}/edit`)).body ?? '';
    expect([...formPage.matchAll(/<textarea[^>]*name="(goals-\d+-words)"/g)].map((match) => match[1])).toEqual([
      'goals-1-words',
      'goals-2-words',
    ]);
    expect(formPage).toContain('name="goals-2-actions-3-what"');
    expect(formPage).not.toContain('name="goals-1-actions-4-what"');
    expect([form['agreedOn-day'], form['agreedOn-month'], form['agreedOn-year']]).toEqual(['10', '2', '2026']);

    await agree(socialWorker, firstPlan);
    const page = await visitor.get(socialWorker, `${planPage}?done=agreed`);
    const shown = text(page.body);
    expect(shown).toContain('The plan is saved.');
    expect(shown).toContain('Agreed with the family Tuesday 10 February 2026');
    expect(shown).toContain('Next review Tuesday 10 March 2026 (due in 20 working days)');
    expect(shown).toContain('Goal 1 In the family’s words “We want Mia to get to school on time every day”');
    expect(shown).toContain('Set an alarm and walk Mia to school Who: Kerry By: Friday 20 February 2026');
    expect(shown).toContain('Text Kerry if Mia is late Who: Oakfield Primary By: Friday 13 February 2026');
    expect(shown).toContain('Latest progress Not reviewed yet');
    expect(shown).not.toContain('Goal 2');
    const links = mainLinksOf(page.body ?? '');
    expect(links).toContainEqual({ href: `${planPage}/review`, text: 'Review the plan' });
    expect(links).toContainEqual({ href: `${planPage}/edit`, text: 'Change the plan' });
    // Another team's worker learns nothing; the banner is said only to whoever did it.
    expect((await visitor.get(otherTeam, planPage)).statusCode).toBe(404);
    expect(text((await visitor.get(manager, `${planPage}?done=agreed`)).body)).not.toContain('The plan is saved.');

    const chronology = text((await visitor.get(socialWorker, `/cases/${caseId}/chronology`)).body);
    expect(chronology).toContain('Plan agreed with the family: 1 goal; next review by 10 March 2026 (recorded by Sam Okafor)');

    // Changing it keeps the goal (its id on the form) and adds one from a spare block.
    const again = await formOn(socialWorker, `${planPage}/edit`);
    expect(again.version).toBe('1');
    expect(again['goals-1-goalId']).toMatch(/^goal-/);
    const changed = await post(socialWorker, `${planPage}/edit`, {
      ...again,
      'goals-1-words': 'We want Mia to get to school on time every day',
      'goals-2-words': 'Dean stops shouting at home',
      'goals-2-actions-1-what': 'Start the Caring Dads course',
      'goals-2-actions-1-who': 'Dean',
      ...day('goals-2-actions-1-byWhen', 1, 3),
    });
    expect(changed.statusCode).toBe(303);
    const twoGoals = text((await visitor.get(socialWorker, planPage)).body);
    expect(twoGoals).toContain('Goal 1 In the family’s words “We want Mia to get to school on time every day”');
    expect(twoGoals).toContain('Goal 2 In the family’s words “Dean stops shouting at home”');
  });

  it('names a date the form cannot read and a goal without actions, links to each, keeps what was typed; nothing is saved', async () => {
    const form = await formOn(socialWorker, `${planPage}/edit`);
    const refused = await post(socialWorker, `${planPage}/edit`, {
      ...form,
      ...firstPlan,
      ...day('agreedOn', 31),
      'goals-2-words': 'Dean stops shouting at home',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<title>Error: Agree the plan with the family');
    const shown = text(refused.body);
    expect(shown).toContain('There is a problem');
    expect(shown).toContain('The date the plan was agreed must be a real date');
    expect(shown).toContain('Say who does what by when for goal 2');
    expect(shown.indexOf('must be a real date')).toBeLessThan(shown.indexOf('Say who does what by when for goal 2'));
    expect(refused.body).toContain('href="#agreedOn-day"');
    expect(refused.body).toContain('href="#goals-2-actions-1-what"');
    expect(refused.body).toContain('Dean stops shouting at home');
    expect(refused.body).toContain('value="31"');

    // A date the domain refuses (an action due before the plan was agreed) is named on its own row.
    const early = await post(socialWorker, `${planPage}/edit`, { ...form, ...firstPlan, ...day('goals-1-actions-2-byWhen', 2) });
    expect(early.statusCode).toBe(400);
    expect(text(early.body)).toContain('An action’s date must be on or after the day the plan was agreed');
    expect(early.body).toContain('href="#goals-1-actions-2-byWhen-day"');

    // Nothing at all: one goal is asked for.
    const blank = await post(socialWorker, `${planPage}/edit`, { version: '0', ...day('agreedOn', 10), ...day('nextReviewDate', 10, 3) });
    expect(blank.statusCode).toBe(400);
    expect(text(blank.body)).toContain('Add at least one goal, in the family’s words');
    expect(blank.body).toContain('href="#goals-1-words"');
    expect(text((await visitor.get(socialWorker, planPage)).body)).toContain('No plan has been agreed with the family yet.');
  });

  it('a form opened before someone else saved the plan is shown again saying the plan changed; nothing is overwritten', async () => {
    const stale = await formOn(socialWorker, `${planPage}/edit`);
    await agree(manager, firstPlan);
    const response = await post(socialWorker, `${planPage}/edit`, {
      ...stale,
      ...firstPlan,
      'goals-1-words': 'Typed by Sam, not saved',
    });
    expect(response.statusCode).toBe(409);
    const shown = text(response.body);
    expect(shown).toContain('The plan changed since you opened this form');
    expect(response.body).toContain('Typed by Sam, not saved');
    // The form now carries the plan's version as it is, to send again knowingly.
    expect(formsOf(response.body ?? '').find((each) => each.action === `${planPage}/edit`)?.fields.version).toBe('1');
    expect(text((await visitor.get(socialWorker, planPage)).body)).not.toContain('Typed by Sam');
  });
});

describe('reviewing the plan', () => {
  it('asks for a plan first; then records the progress on each goal, the summary and the next review, latest review first', async () => {
    const none = await visitor.get(socialWorker, `${planPage}/review`);
    expect(none.statusCode).toBe(409);
    expect(text(none.body)).toContain('There is no plan to review yet');

    await agree(socialWorker, firstPlan);
    const form = await formOn(socialWorker, `${planPage}/review`);
    expect(form['progress-1-goalId']).toMatch(/^goal-/);
    const missing = await post(socialWorker, `${planPage}/review`, { ...form, summary: '' });
    expect(missing.statusCode).toBe(400);
    const errors = text(missing.body);
    expect(errors).toContain('Select how far the family has got with goal 1');
    expect(errors).toContain('Enter a summary of the review');
    expect(errors).toContain('Enter the date of the next review');
    expect(missing.body).toContain('href="#progress-1-rating"');

    const response = await post(socialWorker, `${planPage}/review`, {
      ...form,
      'progress-1-rating': 'good-progress',
      'progress-1-note': 'Late twice in three weeks, down from most days',
      summary: 'Kerry walks Mia to school most days.',
      ...day('nextReviewDate', 10, 4),
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers?.location).toBe(`${planPage}?done=reviewed`);
    const shown = text((await visitor.get(socialWorker, `${planPage}?done=reviewed`)).body);
    expect(shown).toContain('The review is recorded. The next review is due by Friday 10 April 2026.');
    expect(shown).toContain(
      'Latest progress Good progress Late twice in three weeks, down from most days (review of Tuesday 10 February 2026)',
    );
    expect(shown).toContain('Review 1: Tuesday 10 February 2026 Reviewed by Sam Okafor Progress Goal 1: Good progress');
    expect(shown).toContain('Next review set for Friday 10 April 2026');
  });
});

describe('the essentials', () => {
  it('a plan past its review date is Stale on the case page, on the team’s essentials list and on the allocated worker’s caseload', async () => {
    const api = casesHttpHandler(runtime, { directory: fixtureDirectory() });
    const allocated = await api(
      apiGatewayEvent({
        method: 'PUT',
        path: `/api/cases/${caseId}/allocation`,
        claims: workerClaims({
          sub: people.manager.userId,
          'cognito:username': 'tara.mensah',
          name: people.manager.name,
          'cognito:groups': '[team-manager]',
          'custom:team': NORTH,
        }),
        body: { version: 0, socialWorkerId: people.samOkafor.userId, specialists: {} },
        requestId: `req-${randomUUID()}`,
      }),
    );
    expect(allocated.statusCode).toBe(200);
    await agree(socialWorker, firstPlan);

    const today = text((await visitor.get(socialWorker, `/cases/${caseId}`)).body);
    expect(today).toContain('Plan Current Agreed and reviewed on time');
    expect(today).toContain('Essentials');

    // Friday 20 March 2026: the review due on 10 March has not happened. Sessions start afresh on the new day.
    now = new Date('2026-03-20T10:00:00.000Z');
    ({ handler, visitor } = casesPagesVisitor(runtime, ORIGIN));
    const casePage = await visitor.get(socialWorker, `/cases/${caseId}`);
    expect(text(casePage.body)).toContain('Plan Stale Its review date has passed');
    expect(mainLinksOf(casePage.body ?? '').map((link) => link.href)).toContain(planPage);
    expect(text((await visitor.get(socialWorker, planPage)).body)).toContain(
      'Next review Overdue Tuesday 10 March 2026 (overdue by 8 working days)',
    );

    const teamCases = await visitor.get(manager, '/cases');
    expect(mainLinksOf(teamCases.body ?? '').map((link) => link.href)).toContain('/cases/essentials');
    const essentials = await visitor.get(manager, '/cases/essentials');
    expect(essentials.statusCode).toBe(200);
    const listed = text(essentials.body);
    expect(listed).toContain('FSP-2026-000123');
    expect(listed).toContain('Social worker: Sam Okafor');
    expect(listed).toContain('Plan Stale : Its review date has passed');
    expect(mainLinksOf(essentials.body ?? '').map((link) => link.href)).toContain(`/cases/${caseId}#essentials`);

    const caseload = text((await visitor.get(socialWorker, '/cases/caseload')).body);
    expect(caseload).toContain('Needs attention:');
    expect(caseload).toContain('Plan (stale)');
  });

  it('the team’s list says so when nothing needs attention', async () => {
    // On the afternoon the case opened nothing is stale and nothing is due yet: the case is not flagged, and its overview says by when each is due.
    now = new Date('2026-01-05T16:00:00.000Z');
    ({ handler, visitor } = casesPagesVisitor(runtime, ORIGIN));
    const fresh = await visitor.get(manager, '/cases/essentials');
    expect(fresh.statusCode).toBe(200);
    expect(text(fresh.body)).toContain('No open case has an essential stale or missing.');
    expect(text((await visitor.get(socialWorker, `/cases/${caseId}`)).body)).toContain(
      'Case summary Not due yet Due by Monday 12 January 2026, 5 working days after the case opened',
    );
    // Five weeks on (Tuesday 10 February) the summary was due a month ago.
    now = new Date(NOW);
    ({ handler, visitor } = casesPagesVisitor(runtime, ORIGIN));
    const page = await visitor.get(manager, '/cases/essentials');
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Case summary Missing : No case summary has been written, and it was due by Monday 12 January 2026');
    await table.drop();
    ({ table, runtime } = await createTestRuntime('cases', () => now));
    ({ handler, visitor } = casesPagesVisitor(runtime, ORIGIN));
    expect(text((await visitor.get(manager, '/cases/essentials')).body)).toContain('No open case has an essential stale or missing.');
  });
});
