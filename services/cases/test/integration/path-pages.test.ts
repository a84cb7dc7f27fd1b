/**
 * The statutory path's pages through the real pages handler with sealed session cookies, against
 * DynamoDB Local: a case opened by the real consumer (referral received Monday 5 January 2026, so
 * its assessment is due by the end of Monday 9 March), then what a worker notices: the timescale
 * the path waits on, a strategy discussion that starts the conference's 15 working days, a date
 * the form cannot read named by its field, a child protection case refused closure with the
 * domain's reason, the team manager's steps kept from a social worker, a stale form told the case
 * changed, and each recorded step on the path page and in the chronology.
 */
import { randomUUID } from 'node:crypto';
import { CSRF_FORM_FIELD } from '@fsp/shared/http/page-session';
import { csrfTokenFor } from '@fsp/shared/http/session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { formsOf, mainLinksOf, mainTextOf, textOf } from '@fsp/shared/testing/html';
import type { PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { type casesPagesHandler, casesPagesVisitor } from '../support/pages';
import { referralAccepted } from '../support/referral-accepted';

/** Tuesday 10 February 2026, 2:30pm in London. */
const NOW = '2026-02-10T14:30:00.000Z';
const ORIGIN = 'http://127.0.0.1:3000';
const referralId = 'ref-path-pages-1';
const caseId = caseIdForReferral(referralId);
const pathPage = `/cases/${caseId}/path`;

const socialWorker: PageWorker = { userId: 'sw-0001', name: 'Sam Okafor', roles: ['social-worker'], teamId: 'team-north-1' };
const manager: PageWorker = { userId: 'tm-0001', name: 'Tara Mensah', roles: ['team-manager'], teamId: 'team-north-1' };
const otherTeam: PageWorker = { userId: 'sw-0009', name: 'Kim Lee', roles: ['social-worker'], teamId: 'team-south-2' };

let table: TestTable;
let runtime: ServiceRuntime;
let visitor: ReturnType<typeof pageVisitor>;
let handler: ReturnType<typeof casesPagesHandler>;

beforeEach(async () => {
  const setup = await createTestRuntime('cases', fixedClock(NOW));
  table = setup.table;
  runtime = setup.runtime;
  ({ handler, visitor } = casesPagesVisitor(runtime, ORIGIN));
  await deliverUntilAccepted(createReferralAcceptedConsumer({ ...runtime, clock: () => new Date('2026-01-05T15:10:01.000Z') }), [
    referralAccepted({ referralId, teamId: 'team-north-1' }),
  ]);
});
afterEach(async () => {
  await table.drop();
});

type Fields = Record<string, string | string[]>;

/** A form as the browser posts it: checkbox groups repeat their name; the session's CSRF token unless `token` says otherwise. */
async function post(worker: PageWorker, path: string, fields: Fields, token: string | null = csrfTokenFor(visitor.sessionOf(worker))) {
  const pairs = Object.entries(fields).flatMap(([name, value]) =>
    Array.isArray(value) ? value.map((each): [string, string] => [name, each]) : [[name, value] as [string, string]],
  );
  const body = new URLSearchParams([...(token === null ? [] : [[CSRF_FORM_FIELD, token] as [string, string]]), ...pairs]).toString();
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

/** The step's form as the worker opens it: its hidden version, the path's as read. */
async function versionOnForm(worker: PageWorker, step: string): Promise<string> {
  const form = await visitor.get(worker, `${pathPage}/${step}`);
  expect(form.statusCode).toBe(200);
  const version = formsOf(form.body ?? '').find((each) => each.action === `${pathPage}/${step}`)?.fields.version;
  expect(version).toMatch(/^\d+$/);
  return version ?? '';
}

/** Opens the step's form and sends it, as a worker does; expects it recorded (303 to the path page saying so). */
async function recordStep(worker: PageWorker, step: string, fields: Fields): Promise<void> {
  const version = await versionOnForm(worker, step);
  const response = await post(worker, `${pathPage}/${step}`, { ...fields, version });
  expect({ status: response.statusCode, page: response.statusCode === 303 ? '' : text(response.body) }).toEqual({ status: 303, page: '' });
  expect(response.headers?.location).toBe(`${pathPage}?done=${step}`);
}

const day = (name: string, d: number, m = 2, y = 2026): Fields => ({
  [`${name}-day`]: String(d),
  [`${name}-month`]: String(m),
  [`${name}-year`]: String(y),
});

const assessment = (outcome: string): Fields => ({
  ...day('completedOn', 9),
  factors: ['3B', '4B', '17A'],
  primaryNeed: 'N1',
  outcome,
  familySafeguardingEligible: 'yes',
  summary: 'Mia is exposed to domestic abuse between her mother and her mother’s partner.',
});

const section47Discussion: Fields = {
  ...day('heldOn', 9),
  section47: 'yes',
  reason: 'Police and school agreed there is reasonable cause to suspect significant harm.',
};

describe('the path page', () => {
  it('shows the status, the assessment’s timescale with its due day, and only the steps this worker can record', async () => {
    const page = await visitor.get(socialWorker, pathPage);
    expect(page.statusCode).toBe(200);
    expect(page.headers?.['cache-control']).toBe('no-store');
    expect(page.body).toContain('<title>Statutory path – case FSP-2026-000123');
    const shown = text(page.body);
    expect(shown).toContain('Status Assessment');
    expect(shown).toContain('Referral date Monday 5 January 2026');
    expect(shown).toMatch(/Child and Family assessment On track Due in \d+ working days \(Monday 9 March 2026\)/);
    const links = mainLinksOf(page.body ?? '').map((link) => link.text);
    expect(links).toContain('Record a strategy discussion');
    expect(links).not.toContain('Complete the Child and Family assessment');
    expect(links).not.toContain('Record the initial child protection conference');
    expect(shown).toContain('Only the team manager can complete the assessment or record that the child became looked after.');

    const managers = mainLinksOf((await visitor.get(manager, pathPage)).body ?? '');
    expect(managers).toContainEqual({ href: `${pathPage}/complete-assessment`, text: 'Complete the Child and Family assessment' });
    // The case overview links the path.
    expect(mainLinksOf((await visitor.get(socialWorker, `/cases/${caseId}`)).body ?? '').map((link) => link.href)).toContain(pathPage);
  });

  it('is the same 404 page as an unknown case to another team; an unknown step is a page too', async () => {
    const theirs = await visitor.get(otherTeam, pathPage);
    const unknown = await visitor.get(otherTeam, `/cases/case-00000000000000000000000000000000/path`);
    expect(theirs.statusCode).toBe(404);
    expect(text(theirs.body)).toBe(text(unknown.body).replaceAll('case-00000000000000000000000000000000', caseId));
    expect(text(theirs.body)).toContain('There is no such case that you can see');
    expect((await visitor.get(otherTeam, `${pathPage}/strategy-discussion`)).statusCode).toBe(404);
    const noStep = await visitor.get(socialWorker, `${pathPage}/adoption`);
    expect(noStep.statusCode).toBe(404);
    expect(text(noStep.body)).toContain('There is no such step of the statutory path');
  });
});

describe('recording steps', () => {
  it('a strategy discussion with a section 47 enquiry: the conference is due 15 working days later, on the page and in the chronology', async () => {
    await recordStep(socialWorker, 'strategy-discussion', section47Discussion);
    const page = await visitor.get(socialWorker, `${pathPage}?done=strategy-discussion`);
    const shown = text(page.body);
    // Monday 9 February + 15 working days.
    expect(shown).toContain('The strategy discussion is recorded. The initial child protection conference is due by Monday 2 March 2026.');
    expect(shown).toMatch(/Initial child protection conference On track Due in 14 working days \(Monday 2 March 2026\)/);
    expect(shown).toContain(
      'Strategy discussion 1 Held on Monday 9 February 2026 Recorded by Sam Okafor (social worker) Section 47 enquiry Yes: a section 47 enquiry started',
    );
    expect(shown).toContain('Initial conference Not held yet: due by Monday 2 March 2026');
    const links = mainLinksOf(page.body ?? '').map((link) => link.text);
    expect(links).toContain('Record the initial child protection conference');
    expect(links).toContain('Record that an initial conference is not required');
    expect(links).not.toContain('Record a strategy discussion');

    const chronology = text((await visitor.get(socialWorker, `/cases/${caseId}/chronology`)).body);
    expect(chronology).toContain(
      'Strategy discussion held: a section 47 enquiry started; the initial child protection conference is due within 15 working days (recorded by Sam Okafor)',
    );
    // The banner is said only of what happened: another step's `done` says nothing.
    expect(text((await visitor.get(socialWorker, `${pathPage}?done=close`)).body)).not.toContain('The case is closed.');
  });

  it('a date the form cannot read names its field, links to it, and keeps what was typed; nothing is recorded', async () => {
    const version = await versionOnForm(socialWorker, 'strategy-discussion');
    const refused = await post(socialWorker, `${pathPage}/strategy-discussion`, {
      ...day('heldOn', 31),
      reason: 'Typed words kept.',
      version,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<title>Error: Record a strategy discussion');
    const shown = text(refused.body);
    expect(shown).toContain('There is a problem');
    expect(shown).toContain('The date of the strategy discussion must be a real date');
    expect(shown).toContain('Select whether the strategy discussion decided on a section 47 enquiry');
    expect(shown.indexOf('must be a real date')).toBeLessThan(shown.indexOf('Select whether'));
    expect(refused.body).toContain('href="#heldOn-day"');
    expect(refused.body).toContain('href="#section47"');
    expect(refused.body).toContain('Typed words kept.');
    expect(refused.body).toContain('value="31"');

    // A day in the future is the domain's to refuse, on its field.
    const future = await post(socialWorker, `${pathPage}/strategy-discussion`, { ...section47Discussion, ...day('heldOn', 11), version });
    expect(future.statusCode).toBe(400);
    expect(text(future.body)).toContain('The date must be today or in the past');
    expect(future.body).toContain('href="#heldOn-day"');
    expect(text((await visitor.get(socialWorker, pathPage)).body)).not.toContain('Strategy discussion 1');
  });

  it('the assessment, conference and plan are shown with their codes and words; closing a CP case is refused with the reason', async () => {
    await recordStep(manager, 'complete-assessment', assessment('strategy-discussion'));
    await recordStep(socialWorker, 'strategy-discussion', section47Discussion);
    await recordStep(socialWorker, 'initial-conference', { ...day('heldOn', 10), outcome: 'cp-plan', category: 'NEG' });

    const page = text((await visitor.get(manager, `${pathPage}?done=initial-conference`)).body);
    expect(page).toContain('The initial child protection conference is recorded.');
    expect(page).toContain('Status Child protection');
    expect(page).toContain('Authorised on Monday 9 February 2026');
    expect(page).toContain('3B Domestic abuse, concerning a parent or carer');
    expect(page).toContain('4B Mental health, concerning a parent or carer');
    expect(page).toContain('17A Emotional abuse');
    expect(page).toContain('Primary need N1 Abuse or neglect');
    expect(page).toContain('Outcome A strategy discussion');
    expect(page).toContain('Family Safeguarding Eligible');
    expect(page).toContain('Initial conference Held on Tuesday 10 February 2026: a child protection plan');
    expect(page).toContain(
      'Child protection plan 1 Started Tuesday 10 February 2026 Initial category NEG Neglect Latest category NEG Neglect',
    );
    expect(page).toContain('Next review due Sunday 10 May 2026');
    expect(page).toMatch(/Child protection review 1 On track Due in \d+ working days \(Sunday 10 May 2026\)/);
    expect(page).toContain('Assessment to Child protection on Tuesday 10 February 2026');
    expect(mainLinksOf((await visitor.get(manager, pathPage)).body ?? '').map((link) => link.text)).not.toContain('Close the case');

    const form = await visitor.get(manager, `${pathPage}/close`);
    expect(form.statusCode).toBe(409);
    expect(text(form.body)).toContain('The child protection plan must end at a review before the case can close.');

    // A form sent anyway (opened before the plan, say) is refused with the domain's reason at the top, linked to no field.
    const refused = await post(manager, `${pathPage}/close`, {
      ...day('closedOn', 10),
      reasonCode: 'RC7',
      'people-1-name': 'Joan Jones',
      'people-1-relationship': 'maternal grandmother',
      'people-1-helps': 'Has Mia after school',
      sustainabilitySummary: 'Joan and the school keep in touch.',
      stepDownToEarlyHelp: 'no',
      version: await versionOnForm(manager, 'cp-review'),
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('<title>Error: Close the case');
    const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(refused.body ?? '')?.[0] ?? '';
    expect(textOf(summary)).toContain('The child protection plan must end at a review before the case can close');
    expect(summary).not.toContain('href=');
    expect(refused.body).toContain('Joan Jones');

    const chronology = text((await visitor.get(manager, `/cases/${caseId}/chronology`)).body);
    expect(chronology).toContain(
      'Initial child protection conference held (within 15 working days): child protection plan, category Neglect',
    );
    expect(chronology).toContain('Child and Family assessment completed: a strategy discussion; primary need N1 (Abuse or neglect)');
  });

  it('a social worker is not offered "Close the case" and their POST is refused; the team manager closes it with the sustainability plan', async () => {
    await recordStep(manager, 'complete-assessment', assessment('child-in-need-plan'));
    await recordStep(socialWorker, 'start-cin-plan', day('startedOn', 10));
    // The overview's key dates say when the assessment was authorised, not that the case is "not in assessment".
    expect(text((await visitor.get(socialWorker, `/cases/${caseId}`)).body)).toContain('Assessment Authorised on Monday 9 February 2026');

    const page = await visitor.get(socialWorker, `${pathPage}?done=start-cin-plan`);
    expect(text(page.body)).toContain('The child in need plan has started.');
    expect(text(page.body)).toContain('Child in need plan 1 Started Tuesday 10 February 2026');
    expect(text(page.body)).toContain('The path is not waiting on any statutory timescale.');
    expect(mainLinksOf(page.body ?? '').map((link) => link.text)).not.toContain('Close the case');
    expect(text(page.body)).toContain('Only the team manager can record that the child became looked after or close the case.');

    expect((await visitor.get(socialWorker, `${pathPage}/close`)).statusCode).toBe(403);
    const version = await versionOnForm(manager, 'close');
    const closure: Fields = {
      ...day('closedOn', 10),
      reasonCode: 'RC7',
      'people-1-name': '',
      'people-1-relationship': '',
      'people-1-helps': '',
      'people-2-name': 'Joan Jones',
      'people-2-relationship': 'maternal grandmother',
      'people-2-helps': 'Has Mia after school on weekdays',
      'people-3-name': '',
      'people-3-relationship': '',
      'people-3-helps': '',
      sustainabilitySummary: 'Kerry, Joan and the school meet each half term.',
      stepDownToEarlyHelp: 'no',
      version,
    };
    const bySocialWorker = await post(socialWorker, `${pathPage}/close`, closure);
    expect(bySocialWorker.statusCode).toBe(403);
    expect(text(bySocialWorker.body)).toContain('Only the team manager of the team that holds this case can close the case');

    // A half-filled row names the boxes it misses, by the row shown.
    const halfFilled = await post(manager, `${pathPage}/close`, { ...closure, 'people-3-name': 'Mr Ahmed' });
    expect(halfFilled.statusCode).toBe(400);
    expect(text(halfFilled.body)).toContain('Enter who person 3 is to the family');
    expect(halfFilled.body).toContain('href="#people-3-relationship"');

    const added = await post(manager, `${pathPage}/close`, { ...closure, action: 'add-person' });
    expect(added.statusCode).toBe(200);
    expect(added.body).toContain('id="people-4-name"');
    expect(added.body).toContain('Joan Jones');

    const closed = await post(manager, `${pathPage}/close`, closure);
    expect(closed.statusCode).toBe(303);
    const after = text((await visitor.get(manager, `${pathPage}?done=close`)).body);
    expect(after).toContain('The case is closed.');
    expect(after).toContain('Status Closed');
    expect(after).toContain(
      'Closed on Tuesday 10 February 2026 Closed by Tara Mensah (team manager) Reason RC7 Services ceased for any other reason, including the child no longer in need',
    );
    expect(after).toContain('Joan Jones (maternal grandmother): Has Mia after school on weekdays');
    expect(after).toContain('Kerry, Joan and the school meet each half term.');
    expect(after).toContain('Stepped down to early help No');
    expect(after).toContain('The case is closed. Nothing more can be recorded on its path.');
    expect(after).toContain('Child in need to Closed on Tuesday 10 February 2026');
    expect(text((await visitor.get(manager, `/cases/${caseId}/chronology`)).body)).toContain(
      'Case closed (RC7: Services ceased for any other reason, including the child no longer in need) (recorded by Tara Mensah)',
    );
  });

  it('a form opened before another step was recorded is told the case changed, nothing recorded; CSRF is required', async () => {
    const version = await versionOnForm(socialWorker, 'strategy-discussion');
    expect((await post(socialWorker, `${pathPage}/strategy-discussion`, { ...section47Discussion, version }, null)).statusCode).toBe(403);
    await recordStep(manager, 'complete-assessment', assessment('strategy-discussion'));

    const stale = await post(socialWorker, `${pathPage}/strategy-discussion`, { ...section47Discussion, version });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('<title>Error: Record a strategy discussion');
    expect(text(stale.body)).toContain('The case changed since you opened this form');
    expect(stale.body).toContain('Police and school agreed');
    const current = formsOf(stale.body ?? '').find((each) => each.action === `${pathPage}/strategy-discussion`)?.fields.version;
    expect(Number(current)).toBe(Number(version) + 1);
    expect(text((await visitor.get(socialWorker, pathPage)).body)).not.toContain('Strategy discussion 1');
  });
});

describe('who recorded each step', () => {
  it('the path page names each step’s recorder with their role, as the notes name their authors', async () => {
    await recordStep(manager, 'complete-assessment', assessment('strategy-discussion'));
    await recordStep(socialWorker, 'strategy-discussion', section47Discussion);
    await recordStep(socialWorker, 'initial-conference', { ...day('heldOn', 10), outcome: 'cp-plan', category: 'NEG' });

    const page = text((await visitor.get(manager, pathPage)).body);
    expect(page).toContain('Authorised on Monday 9 February 2026 Authorised by Tara Mensah (team manager) Factors identified');
    expect(page).toContain('Strategy discussion 1 Held on Monday 9 February 2026 Recorded by Sam Okafor (social worker) Section 47');
    expect(page).toContain(
      'Initial conference Held on Tuesday 10 February 2026: a child protection plan. Recorded by Sam Okafor (social worker)',
    );
    expect(page).toContain(
      'Assessment to Child protection on Tuesday 10 February 2026 Initial child protection conference: child protection plan (Neglect) Recorded by Sam Okafor (social worker)',
    );
    // Never a user id.
    expect(page).not.toMatch(/sw-0001|tm-0001/);
  });
});

describe('the front door, following its referral to the case', () => {
  const frontDoor: PageWorker = { userId: 'fd-0001', name: 'Femi Adeyemi', roles: ['front-door'], teamId: 'front-door' };
  const overview = `/cases/${caseId}?referralId=${referralId}`;

  it('sees the overview alone, and is offered no link there that it cannot follow', async () => {
    // Enough on the case for every link the team is offered: the path, the plan, the whole chronology.
    await recordStep(manager, 'complete-assessment', assessment('child-in-need-plan'));
    for (const held of [9, 10]) {
      await recordStep(socialWorker, 'strategy-discussion', { ...day('heldOn', held), section47: 'no', reason: 'No section 47.' });
    }
    await recordStep(socialWorker, 'start-cin-plan', day('startedOn', 10));
    const teams = mainLinksOf((await visitor.get(manager, `/cases/${caseId}`)).body ?? '').map((link) => link.href);
    expect(teams).toEqual(expect.arrayContaining([pathPage, `/cases/${caseId}/chronology`, `/cases/${caseId}/plan`]));

    const page = await visitor.get(frontDoor, overview);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('moj-sub-navigation');
    // The header without the sub-navigation, and the overview's timeline naming the path's steps as the chronology does.
    expect(text(page.body)).toMatch(/^Case FSP-2026-000123 Child in need Case summary/);
    expect(text(page.body)).toContain(
      'Strategy discussion Tuesday 10 February 2026 at 2:30pm Strategy discussion held: no section 47 enquiry',
    );
    const links = mainLinksOf(page.body ?? '');
    expect(links).toContainEqual({ href: `/front-door/referrals/${referralId}`, text: 'Back to the referral' });
    for (const link of links) {
      if (link.href.startsWith('#')) {
        expect(page.body).toContain(`id="${link.href.slice(1)}"`);
        continue;
      }
      if (link.href === `/front-door/referrals/${referralId}`) continue;
      // Anything else on the overview must open for the front door: nothing that answers 404 (or 403).
      const followed = await visitor.get(frontDoor, link.href.split('#')[0] ?? link.href);
      expect({ link, status: followed.statusCode }).toEqual({ link, status: 200 });
    }
    // What it is not offered answers it as a case it cannot see, with or without the referral named.
    expect((await visitor.get(frontDoor, `${pathPage}?referralId=${referralId}`)).statusCode).toBe(404);
  });
});
