/**
 * The front door's pages through the `pages` handler, signed in with a sealed session cookie, over
 * DynamoDB Local: what a front-door worker sees in the queue (filters, sorting, pages, empty
 * states), on a referral's page, and when screening and deciding (every outcome, refused answers
 * kept, a decision that lost to another's), that a form from elsewhere changes nothing, and that
 * every read of a referral is recorded.
 */
import { buildEvent } from '@fsp/shared/events/build';
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createCaseOpenedConsumer } from '../../src/consumers/case-opened';
import { schoolReferral } from '../support/fixtures';
import { createFrontDoorApi } from '../support/http';
import { createFrontDoorPages, mainTextOf, pagesFor, type SignedIn, signedIn, tableRowsOf, titleOf } from '../support/pages';
import { receive, withChild } from '../support/referrals';

let table: TestTable;
let runtime: ServiceRuntime;
/** Monday 23 November 2026: a referral received now is due by the end of Tuesday. */
let now = '2026-11-23T09:15:00Z';

beforeEach(async () => {
  now = '2026-11-23T09:15:00Z';
  ({ table, runtime } = await createTestRuntime('referrals', () => fixedClock(now)()));
});
afterEach(async () => {
  await table.drop();
});

const priya = signedIn({ userId: 'priya-sub', name: 'Priya Shah' });
const tom = signedIn({ userId: 'tom-sub', name: 'Tom Reid' });
const sam = signedIn({ userId: 'sam-sub', name: 'Sam Okafor', roles: ['social-worker'] });

const pages = () => pagesFor(runtime);
const page = async (path: string, as: SignedIn = priya) => {
  const response = await pages().get(path, as);
  return { status: response.statusCode, html: response.body ?? '', text: mainTextOf(response.body ?? ''), headers: response.headers ?? {} };
};
const post = async (path: string, fields: Record<string, string> = {}, as: SignedIn = priya, headers: Record<string, string> = {}) => {
  const response = await pages().post(path, as, fields, headers);
  return {
    status: response.statusCode,
    html: response.body ?? '',
    text: mainTextOf(response.body ?? ''),
    location: response.headers?.location,
  };
};

const items = () => allItems(table);
const outboxOf = async () =>
  (await items())
    .filter((item) => item.kind === 'outbox')
    .map((item) => ({ detailType: item.detailType, data: JSON.parse(item.detail as string).data }));
const accessesOf = async (referralId: string) =>
  (await items()).filter((item) => item.kind === 'referral-access' && item.referralId === referralId);
/** Everything but the access log (which every page adds to) and the outbox: what a refused form must not change. */
const workItems = async () => (await items()).filter((item) => item.kind !== 'referral-access');

const referralPath = (id: string) => `/front-door/referrals/${id}`;

const caseOpened = (referralId: string, caseId: string) =>
  buildEvent(
    caseOpenedV1,
    {
      caseId,
      referralId,
      teamId: 'north',
      openedAt: '2026-11-23T15:00:00.000Z',
      status: 'assessment',
      assessmentDueBy: '2027-01-27T23:59:59.999Z',
    },
    { clock: () => new Date('2026-11-23T15:00:00Z'), correlationId: 'c', causationId: 'x' },
  );

describe('the queue', () => {
  it('shows each referral awaiting a decision with its clock in words, who is screening it, and its flags; decided ones leave it', async () => {
    const first = await receive(runtime);
    now = '2026-11-23T11:00:00Z';
    const again = await receive(runtime); // Mia again: a known family
    now = '2026-11-23T12:00:00Z';
    const noah = await receive(runtime, withChild({ firstName: 'Noah', lastName: 'Smith', dateOfBirth: '2012-01-01' }));
    await post(`${referralPath(again.referralId)}/screening`, {}, tom);
    await post(`${referralPath(noah.referralId)}/decision`, { outcome: 'no-further-action', reason: 'No role for children’s services.' });

    now = '2026-11-25T09:00:00Z'; // Wednesday: both are overdue by 1 working day
    const queue = await page('/front-door');
    expect(queue.status).toBe(200);
    expect(queue.headers['cache-control']).toBe('no-store');
    expect(titleOf(queue.html)).toBe('Referrals awaiting a decision – Family Safeguarding Platform');
    expect(queue.text).toContain('Showing 1 to 2 of 2 referrals');
    expect(tableRowsOf(queue.html)).toEqual([
      `${first.reference} New 1 child. School. Received 23 Nov 2026 at 9:15am Family Safeguarding 24 Nov 2026 Overdue by 1 working day`,
      `${again.reference} In screening Tom Reid 1 child. School. Received 23 Nov 2026 at 11am Known family Family Safeguarding 24 Nov 2026 Overdue by 1 working day`,
    ]);
    expect(queue.html).toContain(`<a class="govuk-link govuk-!-font-weight-bold" href="/front-door/referrals/${first.referralId}">`);
    expect(queue.html).toMatch(/<strong class="govuk-tag govuk-tag--red">\s*Overdue by 1 working day\s*<\/strong>/);
    expect(queue.html).toMatch(/<span class="moj-badge moj-badge--purple">Known family<\/span>/);
  });

  it('filters by when the decision is due and by status, sorts, and pages, keeping the filter in every link', async () => {
    // 23 referrals on Monday (due Tuesday), 2 on the Friday before (due Monday): on Tuesday, 2 overdue and 23 due today.
    now = '2026-11-20T16:00:00Z';
    const friday = [await receive(runtime)];
    now = '2026-11-20T16:05:00Z';
    friday.push(await receive(runtime));
    const monday = [];
    for (let minute = 10; minute < 33; minute += 1) {
      now = `2026-11-23T09:${String(minute).padStart(2, '0')}:00Z`;
      monday.push(await receive(runtime, withChild({ firstName: `Child${minute}`, lastName: 'Test' })));
    }
    await post(`${referralPath(monday[0]!.referralId)}/screening`);
    now = '2026-11-24T09:00:00Z';

    const all = await page('/front-door');
    expect(all.text).toContain('All (25) Due today (23) Overdue (2)');
    expect(all.text).toContain('Showing 1 to 20 of 25 referrals');
    expect(
      tableRowsOf(all.html)
        .slice(0, 2)
        .map((row) => row.split(' ')[0]),
    ).toEqual(friday.map((r) => r.reference));
    expect(all.html).toContain('href="/front-door?page=2"');

    const second = await page('/front-door?page=2');
    expect(second.text).toContain('Showing 21 to 25 of 25 referrals');
    expect(tableRowsOf(second.html)).toHaveLength(5);

    const overdue = await page('/front-door?due=overdue');
    expect(tableRowsOf(overdue.html).map((row) => row.split(' ')[0])).toEqual(friday.map((r) => r.reference));
    expect(overdue.html).toMatch(/aria-current="page" href="\/front-door\?due=overdue"/);

    const newestToday = await page('/front-door?due=today&sort=newest&page=2');
    expect(newestToday.text).toContain('Showing 21 to 23 of 23 referrals');
    expect(tableRowsOf(newestToday.html).map((row) => row.split(' ')[0])).toEqual(
      monday
        .slice(0, 3)
        .reverse()
        .map((r) => r.reference),
    );
    expect(newestToday.html).toContain('href="/front-door?due=today&amp;sort=newest"'); // page 1, the filter kept

    const inScreening = await page('/front-door?status=in-screening');
    expect(tableRowsOf(inScreening.html)).toEqual([expect.stringContaining(`${monday[0]!.reference} `)]);
    expect(inScreening.text).toContain('All (1) Due today (1) Overdue (0)');

    // A hand-edited address shows what it can rather than failing.
    const odd = await page('/front-door?status=lost&sort=sideways&page=99');
    expect(odd.status).toBe(200);
    expect(odd.text).toContain('Showing 21 to 25 of 25 referrals');
  });

  it('says what to do next when nothing is waiting, or nothing matches', async () => {
    const empty = await page('/front-door');
    expect(empty.text).toContain('No referrals are waiting');
    expect(empty.text).toContain('New referrals appear here as soon as they arrive');
    expect(tableRowsOf(empty.html)).toEqual([]);

    await receive(runtime);
    const none = await page('/front-door?due=overdue');
    expect(none.text).toContain('No overdue referrals');
    expect(none.html).toContain('<a class="govuk-link" href="/front-door">Show every referral awaiting a decision</a>');
  });

  it('is for the front door only, signed in with a session', async () => {
    expect((await page('/front-door', sam)).status).toBe(403);
    const anonymous = await createFrontDoorPages(runtime)(apiGatewayEvent({ path: '/front-door?due=today' }));
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers?.location).toBe(`/signin?returnTo=${encodeURIComponent('/front-door?due=today')}`);
  });
});

describe('the referral page', () => {
  it('shows everything the referrer said, the decision clock, the actions, and the known-family matches with where each stands', async () => {
    const earlier = await receive(runtime);
    await post(`${referralPath(earlier.referralId)}/decision`, {
      outcome: 'assessment',
      assessmentTeam: 'north',
      reason: 'Threshold met.',
    });
    await deliverUntilAccepted(createCaseOpenedConsumer(runtime), [caseOpened(earlier.referralId, 'case-123')]);
    now = '2026-11-24T10:00:00Z';
    const referral = await receive(runtime);

    const shown = await page(referralPath(referral.referralId));
    expect(shown.status).toBe(200);
    expect(titleOf(shown.html)).toBe(`Referral ${referral.reference} – Family Safeguarding Platform`);
    for (const said of [
      'Status New',
      'Decision due By the end of Wednesday 25 November 2026 Due in 1 working day',
      'Received Tuesday 24 November 2026 at 10am',
      'Name Amara Okafor Role Designated safeguarding lead Organisation Oakfield Primary School Email dsl@oakfield.example.sch.uk Telephone 01632 960 123',
      'Child: Mia Jones Date of birth Wednesday 14 March 2018 (8 years old) Gender Female Address 12 Elm Road Northtown NT1 4AB School or nursery Oakfield Primary School',
      'Adult: Kerry Jones Relationship to the children mother Date of birth Not known',
      'What has happened Mia said her mum was hurt by her partner at the weekend and that she hid in her room.',
      'Domestic abuse, concerning a parent or carer (3B) Emotional abuse (17A)',
      'Has the family consented? No Why it was made without consent Telling the mother first could put her and Mia at risk.',
      `Mia Jones: Strong match Earlier referral ${earlier.reference} , received Monday 23 November 2026 Where it stands Decided: Child and Family assessment (section 17) Case Case ${earlier.reference}`,
    ]) {
      expect(shown.text).toContain(said);
    }
    // The case opened from the earlier referral is named by that referral's reference, never by its id; a screen
    // reader's list of links tells it from the earlier referral's own link, which has the same reference.
    expect(shown.html).toContain(
      `<a class="govuk-link govuk-!-text-break-word" href="/cases/case-123?referralId=${earlier.referralId}"><span class="govuk-visually-hidden">Case </span>${earlier.reference}</a>`,
    );
    expect(shown.text).not.toContain('case-123');
    expect(shown.html).toContain(`href="${referralPath(earlier.referralId)}"`);
    expect(shown.html).toContain(`href="${referralPath(referral.referralId)}/screening"`);
    expect(shown.html).toContain(`href="${referralPath(referral.referralId)}/decision"`);

    const decidedPage = await page(referralPath(earlier.referralId));
    expect(decidedPage.text).toContain('Decision Outcome Child and Family assessment (section 17) Reason Threshold met.');
    expect(decidedPage.text).toContain(`Team North team Case Case ${earlier.reference}`);
    expect(decidedPage.html).not.toContain(`href="${referralPath(earlier.referralId)}/decision"`);
    // The history, newest first, each step with who took it.
    expect(decidedPage.text).toContain(
      `History Case opened Monday 23 November 2026 at 3pm A case was opened from this referral. ${earlier.reference} Decided: Child and Family assessment (section 17) by Priya Shah Monday 23 November 2026 at 9:15am Threshold met. Handed to North team. Referral received by Amara Okafor, Oakfield Primary School`,
    );
    // The decision's row and the history's step both link to the case by its reference, through this referral.
    expect(decidedPage.html.match(/href="\/cases\/case-123[^"]*">(<span class="govuk-visually-hidden">Case <\/span>)?[^<]*</g)).toEqual([
      `href="/cases/case-123?referralId=${earlier.referralId}"><span class="govuk-visually-hidden">Case </span>${earlier.reference}<`,
      `href="/cases/case-123?referralId=${earlier.referralId}">${earlier.reference}<`,
    ]);
    expect(decidedPage.text).not.toContain('case-123');
  });

  it('records every read of a referral, the page and the JSON alike, and lists the latest on the page', async () => {
    const referral = await receive(runtime);
    now = '2026-11-23T10:00:00Z';
    await page(referralPath(referral.referralId), tom);
    now = '2026-11-23T10:05:00Z';
    const json = await createFrontDoorApi(runtime)(
      apiGatewayEvent({
        path: `/api/front-door/referrals/${referral.referralId}`,
        claims: workerClaims({ sub: 'api-user', name: 'Ada Script', 'cognito:groups': '[front-door]' }),
      }),
    );
    expect(json.statusCode).toBe(200);
    now = '2026-11-23T10:10:00Z';
    const shown = await page(referralPath(referral.referralId));

    const recorded = (await accessesOf(referral.referralId)).map(({ userId, name, view, purpose, at }) => ({
      userId,
      name,
      view,
      purpose,
      at,
    }));
    expect(recorded).toEqual([
      {
        userId: 'tom-sub',
        name: 'Tom Reid',
        view: 'referral-page',
        purpose: 'front door screening and decision',
        at: '2026-11-23T10:00:00.000Z',
      },
      { userId: 'api-user', name: 'Ada Script', view: 'api', purpose: 'front door screening and decision', at: '2026-11-23T10:05:00.000Z' },
      {
        userId: 'priya-sub',
        name: 'Priya Shah',
        view: 'referral-page',
        purpose: 'front door screening and decision',
        at: '2026-11-23T10:10:00.000Z',
      },
    ]);
    expect(shown.text).toContain(
      'Who has opened this referral Every time someone opens this referral, it is recorded with the reason. These are the latest 3. ' +
        '23 Nov 2026 at 10:10am: Priya Shah. Opened the referral, for front door screening and decision. ' +
        '23 Nov 2026 at 10:05am: Ada Script. Read it through the front door’s API, for front door screening and decision. ' +
        '23 Nov 2026 at 10am: Tom Reid. Opened the referral, for front door screening and decision.',
    );
  });

  it('answers a referral that does not exist with a GOV.UK page, never JSON', async () => {
    const missing = await page(referralPath('no-such-referral'));
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toContain('text/html');
    expect(missing.text).toContain('Page not found');
  });
});

describe('screening', () => {
  it('starts screening from its page, then shows the referral saying so; the queue names who has it', async () => {
    const referral = await receive(runtime);
    const form = await page(`${referralPath(referral.referralId)}/screening`);
    expect(form.text).toContain(
      'Screen this referral Children Mia Jones Decision due By the end of Tuesday 24 November 2026 Due in 1 working day',
    );
    expect(form.html).toContain(`<input type="hidden" name="csrfToken" value="${priya.csrfToken}">`);

    now = '2026-11-23T10:30:00Z';
    const started = await post(`${referralPath(referral.referralId)}/screening`);
    expect(started.status).toBe(303);
    expect(started.location).toBe(`${referralPath(referral.referralId)}?done=screening`);
    const shown = await page(started.location!);
    expect(shown.text).toContain('Success Screening started You are screening this referral.');
    expect(shown.text).toContain('Status In screening You, since 23 Nov 2026 at 10:30am');
    expect(shown.text).toMatch(/Screening started by Priya Shah Monday 23 November 2026 at 10:30am/);
    expect(tableRowsOf((await page('/front-door', tom)).html)[0]).toContain('In screening Priya Shah');
  });

  it('tells a second worker who picked it up first, and changes nothing', async () => {
    const referral = await receive(runtime);
    await post(`${referralPath(referral.referralId)}/screening`, {}, tom);
    const before = await workItems();

    const refused = await post(`${referralPath(referral.referralId)}/screening`);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('You did not start screening: another front door worker picked the referral up first.');
    expect(refused.text).toContain('Tom Reid has been screening this referral since Monday 23 November 2026 at 9:15am');
    expect(await workItems()).toEqual(before);
  });
});

describe('the decision', () => {
  const decide = (referralId: string, fields: Record<string, string>, as: SignedIn = priya) =>
    post(`${referralPath(referralId)}/decision`, fields, as);

  it.each([
    ['no-further-action', {}, undefined],
    ['early-help', {}, undefined],
    ['assessment', { assessmentTeam: 'north' }, { teamId: 'north', urgent: false }],
    ['strategy-discussion', { strategyTeam: 'south' }, { teamId: 'south', urgent: true }],
  ] as const)('records %s and shows it on the referral page', async (outcome, team, accepted) => {
    const referral = await receive(runtime);
    now = '2026-11-23T14:30:00Z';
    const done = await decide(referral.referralId, { outcome, ...team, reason: 'Discussed with the school.' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${referralPath(referral.referralId)}?done=decision`);

    const events = await outboxOf();
    expect(events.filter((event) => event.detailType === 'ReferralDecided').map((event) => event.data)).toEqual([
      expect.objectContaining({
        outcome,
        reason: 'Discussed with the school.',
        decidedBy: 'priya-sub',
        decidedAt: '2026-11-23T14:30:00.000Z',
      }),
    ]);
    const accept = events.filter((event) => event.detailType === 'ReferralAccepted').map((event) => event.data);
    expect(accept).toEqual(accepted ? [expect.objectContaining({ outcome, ...accepted })] : []);

    const shown = await page(done.location!);
    expect(shown.text).toContain('Success Decision recorded');
    expect(shown.text).toContain('Status Decided');
    expect(shown.text).toContain('Decision due By the end of Tuesday 24 November 2026 Decided in time');
    if (accepted) expect(shown.text).toContain(`A case is being opened for ${accepted.teamId === 'north' ? 'North team' : 'South team'}.`);
    expect(tableRowsOf((await page('/front-door')).html)).toEqual([]);
  });

  it('hands the family’s people to the case, but not a relative’s own details (ReferralAccepted’s family, ADR 0014 §1)', async () => {
    const { referrer: _school, ...aboutTheFamily } = schoolReferral();
    const fromAnAunt = {
      ...aboutTheFamily,
      referralSource: '1A' as const,
      referrer: { name: 'Beth Jones', email: 'beth.jones@example.com', phone: '07700 900123' },
      children: [...aboutTheFamily.children, { firstName: 'Baby', lastName: 'Jones', expectedDateOfBirth: '2027-02-10' }],
    };
    const referral = await receive(runtime, fromAnAunt, 'form');
    now = '2026-11-23T14:30:00Z';
    expect((await decide(referral.referralId, { outcome: 'assessment', assessmentTeam: 'north', reason: 'Threshold met.' })).status).toBe(
      303,
    );

    const [accepted] = (await outboxOf()).filter((event) => event.detailType === 'ReferralAccepted').map((event) => event.data);
    expect(accepted.family).toEqual({
      children: [
        expect.objectContaining({ childId: referral.children[0]!.childId, firstName: 'Mia', school: 'Oakfield Primary School' }),
        { childId: referral.children[1]!.childId, firstName: 'Baby', lastName: 'Jones', unborn: true, dateOfBirth: '2027-02-10' },
      ],
      adults: [{ firstName: 'Kerry', lastName: 'Jones', relationship: 'mother' }],
    });
    expect(JSON.stringify(accepted)).not.toContain('Beth');
    // Who referred, as the census codes it, goes to the case's census episode; the aunt's details do not.
    expect(accepted.referralSource).toBe('1A');
  });

  it('adds a referral to an open case among the known-family matches, for the team that holds it', async () => {
    const earlier = await receive(runtime);
    await decide(earlier.referralId, { outcome: 'strategy-discussion', strategyTeam: 'south', reason: 'Section 47.' });
    await deliverUntilAccepted(createCaseOpenedConsumer(runtime), [caseOpened(earlier.referralId, 'case-9')]);
    now = '2026-11-24T09:00:00Z';
    const referral = await receive(runtime);

    const form = await page(`${referralPath(referral.referralId)}/decision`);
    expect(form.text).toContain('Added to an open case');
    expect(form.text).toContain(`Mia Jones’s case, held by South team Strong match with referral ${earlier.reference}.`);

    const done = await decide(referral.referralId, {
      outcome: 'added-to-open-case',
      existingCaseId: 'case-9',
      reason: 'Same family; the team is working with them.',
    });
    expect(done.status).toBe(303);
    const accepted = (await outboxOf()).filter((event) => event.detailType === 'ReferralAccepted').map((event) => event.data);
    expect(accepted.find((event) => event.referralId === referral.referralId)).toMatchObject({
      referralId: referral.referralId,
      outcome: 'added-to-open-case',
      existingCaseId: 'case-9',
      teamId: 'south',
    });
    const shown = await page(done.location!);
    // The case is named by the reference of the referral it was opened from, here and on every later page.
    expect(shown.text).toContain(`Added to an open case. The referral goes to case ${earlier.reference}, held by South team.`);
    expect(shown.text).toContain(`Team South team Case Case ${earlier.reference}`);
    expect(shown.html).toContain(
      `href="/cases/case-9?referralId=${referral.referralId}"><span class="govuk-visually-hidden">Case </span>${earlier.reference}</a>`,
    );
    expect(shown.text).not.toContain('case-9');
    const decisionPage = await page(`${referralPath(referral.referralId)}/decision`);
    expect(decisionPage.text).toContain(`Team South team Case ${earlier.reference}`);
    expect(decisionPage.text).not.toContain('case-9');

    // A third referral about the family matches both: the case of the one added to it is named by its opener's reference,
    // which the decision kept, so it reads the same whether or not the opener is among the matches shown.
    now = '2026-11-25T09:00:00Z';
    const third = await receive(runtime);
    const thirdPage = await page(referralPath(third.referralId));
    expect(thirdPage.text).toContain(
      `Earlier referral ${referral.reference} , received Tuesday 24 November 2026 Where it stands Decided: Added to an open case Case Case ${earlier.reference}`,
    );
    expect(thirdPage.text).toContain(
      `Earlier referral ${earlier.reference} , received Monday 23 November 2026 Where it stands Decided: Strategy discussion (section 47) Case Case ${earlier.reference}`,
    );
    expect(thirdPage.text).not.toContain('case-9');
    const stored = (await items()).find((item) => item.kind === 'referral' && item.referralId === referral.referralId);
    expect(stored?.decision).toMatchObject({ existingCaseId: 'case-9', existingCaseReference: earlier.reference });
  });

  it('names a case whose reference it does not know in words, never by its id', async () => {
    const referral = await receive(runtime);
    // The JSON API may name an open case that no known-family match found: its reference is not known here.
    const answer = await createFrontDoorApi(runtime)(
      apiGatewayEvent({
        method: 'POST',
        path: `/api/front-door/referrals/${referral.referralId}/decision`,
        claims: workerClaims({ sub: 'api-user', name: 'Ada Script', 'cognito:groups': '[front-door]' }),
        body: { outcome: 'added-to-open-case', reason: 'Known to the team.', teamId: 'south', existingCaseId: 'case-elsewhere' },
      }),
    );
    expect(answer.statusCode).toBe(200);
    const shown = await page(referralPath(referral.referralId));
    expect(shown.text).toContain('Team South team Case The open case this referral was added to');
    expect(shown.html).toContain(
      `href="/cases/case-elsewhere?referralId=${referral.referralId}">The open case this referral was added to</a>`,
    );
    expect(shown.text).not.toContain('case-elsewhere');

    now = '2026-11-24T09:00:00Z';
    const later = await receive(runtime);
    const laterPage = await page(referralPath(later.referralId));
    expect(laterPage.text).toContain(`Case The case referral ${referral.reference} was added to`);
    expect(laterPage.text).not.toContain('case-elsewhere');
  });

  it('does not offer "added to an open case" when no match has a case', async () => {
    const referral = await receive(runtime);
    const form = await page(`${referralPath(referral.referralId)}/decision`);
    expect(form.html).not.toContain('value="added-to-open-case"');
    const refused = await decide(referral.referralId, { outcome: 'added-to-open-case', existingCaseId: 'case-9', reason: 'Guess.' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('There is a problem Select the decision');
  });

  it('shows refused answers again with GOV.UK errors, keeping what was typed, and records nothing', async () => {
    const referral = await receive(runtime);
    const before = await workItems();
    const path = `${referralPath(referral.referralId)}/decision`;

    const blank = await post(path, {});
    expect(blank.status).toBe(400);
    expect(titleOf(blank.html)).toBe(`Error: Record the decision on ${referral.reference} – Family Safeguarding Platform`);
    expect(blank.text).toContain('There is a problem Select the decision Enter the reason for the decision');
    expect(blank.html).toContain('<a href="#outcome">Select the decision</a>');
    expect(blank.html).toContain('<a href="#reason">Enter the reason for the decision</a>');
    expect(blank.html).toMatch(
      /<p id="outcome-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:<\/span> Select the decision/,
    );

    const noTeam = await post(path, { outcome: 'assessment', reason: 'Needs an assessment & a plan <soon>.' });
    expect(noTeam.status).toBe(400);
    expect(noTeam.text).toContain('There is a problem Select the team that will hold the case');
    expect(noTeam.html).toContain('<a href="#assessmentTeam">Select the team that will hold the case</a>');
    expect(noTeam.html).toMatch(/value="assessment" checked/);
    expect(noTeam.html).toContain('Needs an assessment &amp; a plan &lt;soon&gt;.</textarea>');

    const unknownTeam = await post(path, { outcome: 'strategy-discussion', strategyTeam: 'west', reason: 'Urgent.' });
    expect(unknownTeam.text).toContain('There is a problem Select the team that will hold the case');
    expect(unknownTeam.html).toContain('<a href="#strategyTeam">');

    const tooLong = await post(path, { outcome: 'early-help', reason: 'x'.repeat(2001) });
    expect(tooLong.text).toContain('The reason must be 2,000 characters or fewer');
    expect(tooLong.html).toMatch(/value="early-help" checked/);

    expect(await workItems()).toEqual(before);
    expect(await outboxOf()).toEqual([expect.objectContaining({ detailType: 'ReferralSubmitted' })]);
  });

  it('tells a worker whose decision lost to another what was decided, and records only the first', async () => {
    const referral = await receive(runtime);
    const path = `${referralPath(referral.referralId)}/decision`;
    expect((await page(path, tom)).text).toContain('Record the decision');
    now = '2026-11-23T11:00:00Z';
    expect((await decide(referral.referralId, { outcome: 'early-help', reason: 'Family support service.' })).status).toBe(303);
    const before = await workItems();

    now = '2026-11-23T11:02:00Z';
    const lost = await decide(
      referral.referralId,
      { outcome: 'assessment', assessmentTeam: 'north', reason: 'I think it needs more.' },
      tom,
    );
    expect(lost.status).toBe(409);
    expect(lost.text).toContain('Your decision was not recorded: Priya Shah decided this referral first.');
    expect(lost.text).toContain('You chose: Child and Family assessment (section 17). Your reason: “I think it needs more.”');
    expect(lost.text).toContain(
      'Decision Outcome Step down to early help or signpost Reason Family support service. Decided Monday 23 November 2026 at 11am by Priya Shah',
    );
    expect(lost.html).not.toContain('name="outcome"');
    expect(await workItems()).toEqual(before);
    expect((await outboxOf()).filter((event) => event.detailType === 'ReferralDecided')).toHaveLength(1);
  });

  it.each([
    ['a wrong CSRF token', { csrfToken: 'forged' }, {}],
    ['another session’s CSRF token', { csrfToken: tom.csrfToken }, {}],
    ['another origin', {}, { origin: 'https://evil.example' }],
    ['no origin', {}, { origin: '' }],
  ])('refuses a form with %s and changes nothing', async (_, fields, headers) => {
    const referral = await receive(runtime);
    const before = await items();
    for (const action of ['screening', 'decision']) {
      const refused = await post(
        `${referralPath(referral.referralId)}/${action}`,
        { outcome: 'no-further-action', reason: 'Forged.', ...fields },
        priya,
        headers,
      );
      expect(refused.status).toBe(403);
      expect(refused.html).toContain('<html');
    }
    expect(await items()).toEqual(before);
  });

  it('refuses the referral page and its forms to a worker without the front-door role', async () => {
    const referral = await receive(runtime);
    const before = await items();
    expect((await page(referralPath(referral.referralId), sam)).status).toBe(403);
    expect((await post(`${referralPath(referral.referralId)}/screening`, {}, sam)).status).toBe(403);
    expect(await items()).toEqual(before);
  });
});
