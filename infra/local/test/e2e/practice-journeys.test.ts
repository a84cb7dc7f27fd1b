/**
 * The practice journeys of issues 13 and 14 ("Done when"), on one running local cloud.
 *
 * Issue 13's, group supervision, on the running local cloud (gateway, functions, DynamoDB Local, outbox
 * relay, bus and queues), under the functions' clock set to each moment of the story:
 *
 * - Monday 26 October 2026: a referral is decided for the north team and its manager allocates the
 *   social worker and the domestic abuse worker: the first group supervision is scheduled, due a
 *   calendar month on (Thursday 26 November).
 * - Wednesday 25 November: the manager holds it, rated Amber, with two actions (the social worker's
 *   due Friday 4 December, the specialist's due Tuesday 8 December). The next is due a calendar month
 *   after the day held, Friday 25 December, Christmas Day: it is planned for Thursday 24 December,
 *   the last working day before it.
 * - Thursday 3 December: the social worker marks theirs done.
 * - The `supervision-timescales` schedule runs before and after each moment that matters, twice each
 *   time: the specialist's action is escalated to her once it is overdue (from Wednesday 9
 *   December) and to the manager once it is still open two working days after its due date (from
 *   Friday 11 December); each exactly once, and nothing about the action that was done.
 * - The case's chronology shows the supervision with its rating.
 *
 * Issue 14's, the statutory path, in 2027 (after the supervision story: the clock only moves on):
 *
 * - Monday 4 January: a referral decided for a strategy discussion opens a case (assessment due
 *   Monday 8 March); the manager allocates the social worker (the first supervision is scheduled).
 * - Wednesday 6 January: the strategy discussion starts a section 47 enquiry; the initial
 *   conference is due Wednesday 27 January, due soon from Wednesday 20 January.
 * - Tuesday 26 January: the conference, on time, makes a child protection plan (neglect); the
 *   first review is due Monday 26 April.
 * - The plan agreed that day is due for review Friday 26 February; by Wednesday 3 March it is not
 *   reviewed, and the essentials check flags it stale (on the case and in the manager's list).
 * - Wednesday 3 March: the manager authorises the assessment (factors, eligibility confirmed).
 * - The first review is held late (Wednesday 28 April): it was told due soon, then overdue; the
 *   second (Wednesday 20 October) steps the child down to a child in need plan.
 * - Tuesday 30 November: the manager closes the case with a sustainability plan: CaseClosed, and
 *   supervision cancels the supervision it had scheduled.
 * - The `case-timescales` schedule runs before and after each moment, twice: each due-soon and
 *   overdue event exactly once.
 */
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { type LocalCloud, startLocalCloud } from '../../src/local-cloud';
import { failed, healthVisitorReferral, journeyOn, london } from './local-cloud/journey';
import { eventually, partnerToken, verboseLog, workerToken } from './local-cloud/support';

jest.setTimeout(120_000);

const WAIT_MS = 60_000;

type Who = 'partner' | 'frontdoor' | 'socialworker' | 'specialist' | 'manager';

let cloud: LocalCloud;
const tokens = new Map<Who, string>();
const { setClock, call, subOf, quiet, runSchedule } = journeyOn(() => cloud, tokens, WAIT_MS);

interface TimescalesRun {
  actionsOverdueToOwner: number;
  actionsOverdueToManager: number;
}

/** The schedule's function at `at`, as the scheduler would run it then. */
const runTimescales = (at: Date) => runSchedule<TimescalesRun>('supervision', 'supervision-timescales', 'supervision-timescales', at);

interface InboxItem {
  kind: string;
  title: string;
  link: string;
}
const inboxOf = async (who: Who): Promise<InboxItem[]> => {
  const answer = await call(who, '/api/inbox');
  expect(failed(answer, `GET /api/inbox as ${who}`)).toMatchObject({ status: 200 });
  return (answer.body.items ?? []) as InboxItem[];
};
const supervisionItems = (items: InboxItem[]) => items.filter((item) => item.kind.startsWith('supervision-action'));

beforeAll(async () => {
  cloud = await startLocalCloud({
    manifests: await loadServiceManifests(),
    dynamoEndpoint: testDynamoEndpoint(),
    tablePrefix: `sup${Date.now().toString(36)}-`,
    queueOverrides: { backoff: () => 50, visibilityTimeoutMs: 10_000 },
    log: verboseLog,
    ...(process.env.FSP_TEST_VERBOSE ? {} : { functionLogLevel: 'WARN' as const }),
  });
  tokens.set('partner', await partnerToken(cloud, 'referrals/submit'));
  for (const who of ['frontdoor', 'socialworker', 'specialist', 'manager'] as const) tokens.set(who, await workerToken(cloud, who));
}, 120_000);
afterAll(() => cloud?.stop());

describe('group supervision, from allocation to escalation', () => {
  let caseId: string;
  let reference: string;
  let actions: Array<{ actionId: string; ownerId: string; dueDate: string; status: string }>;

  it('schedules the first supervision a calendar month after the social worker is allocated', async () => {
    setClock(london('2026-10-26', '09:30'));
    const submitted = await call('partner', '/v1/referrals', {
      method: 'POST',
      body: healthVisitorReferral,
    });
    expect(failed(submitted, 'POST /v1/referrals')).toMatchObject({ status: 201 });
    const referralId = submitted.body.id as string;
    reference = submitted.body.reference as string;
    setClock(london('2026-10-26', '10:30'));
    expect(
      failed(await call('frontdoor', `/api/front-door/referrals/${referralId}/screening`, { method: 'POST' }), 'screening'),
    ).toMatchObject({
      status: 200,
    });
    const decided = await call('frontdoor', `/api/front-door/referrals/${referralId}/decision`, {
      method: 'POST',
      body: { outcome: 'assessment', reason: 'Domestic abuse with a baby in the home: assess.', teamId: 'north' },
    });
    expect(failed(decided, 'decision')).toMatchObject({ status: 200 });
    const found = await eventually(
      async () => {
        const answer = await call('manager', `/api/cases?referralId=${referralId}`);
        return answer.status === 200 ? answer.body : undefined;
      },
      'the case opened from the referral',
      WAIT_MS,
    );
    caseId = found.id as string;
    await quiet();

    setClock(london('2026-10-26', '14:00'));
    const allocated = await call('manager', `/api/cases/${caseId}/allocation`, {
      method: 'PUT',
      body: { version: 0, socialWorkerId: subOf('socialworker'), specialists: { 'domestic-abuse-victim': subOf('specialist') } },
    });
    expect(failed(allocated, 'PUT allocation')).toMatchObject({ status: 200 });
    await quiet();

    const supervisions = await call('manager', `/api/supervision/cases/${caseId}`);
    expect(failed(supervisions, 'GET supervisions')).toMatchObject({
      status: 200,
      body: {
        supervisions: [
          expect.objectContaining({
            sequence: 1,
            status: 'scheduled',
            dueDate: '2026-11-26',
            scheduledFor: london('2026-11-26', '10:00').toISOString(),
          }),
        ],
      },
    });
  });

  it('holds it with a rating and two actions; the next is due a calendar month on and planned before Christmas Day', async () => {
    setClock(london('2026-11-25', '11:00'));
    const record = {
      heldOn: '2026-11-25',
      attendees: [subOf('socialworker'), subOf('specialist')],
      rating: 'amber',
      ratingRationale: 'Chloe is engaging and the partner has moved out, but he still visits and his drinking is unchanged.',
      discussion: 'Hypothesis: the visits continue because Chloe fears what he will do if she refuses them.',
      risks: 'His drinking; contact arranged between the adults without a plan.',
      strengths: 'Chloe sought help herself; Noah’s grandmother is close by and protective.',
      decisions: 'Stay on the Child and Family assessment; safety plan reviewed with Chloe this week.',
      actions: [
        { what: 'Review the safety plan with Chloe and her mother', ownerId: subOf('socialworker'), dueDate: '2026-12-04' },
        { what: 'Complete the DASH risk assessment with Chloe', ownerId: subOf('specialist'), dueDate: '2026-12-08' },
      ],
    };
    const draft = await call('manager', `/api/supervision/cases/${caseId}/supervisions/1/record`, {
      method: 'PUT',
      body: { ...record, actions: [], expectedVersion: 0 },
    });
    expect(failed(draft, 'PUT record (draft)')).toMatchObject({ status: 200, body: { recordStatus: 'draft', version: 1 } });
    const completed = await call('manager', `/api/supervision/cases/${caseId}/supervisions/1/record/complete`, {
      method: 'POST',
      body: { ...record, expectedVersion: 1 },
    });
    expect(failed(completed, 'POST complete')).toMatchObject({
      status: 200,
      body: {
        recordStatus: 'completed',
        next: expect.objectContaining({
          sequence: 2,
          dueDate: '2026-12-25',
          scheduledDate: '2026-12-24',
          scheduledFor: london('2026-12-24', '10:00').toISOString(),
        }),
      },
    });
    // The same completion again (a second tab, a retry): one record, and nothing published twice.
    const again = await call('manager', `/api/supervision/cases/${caseId}/supervisions/1/record/complete`, {
      method: 'POST',
      body: { ...record, expectedVersion: 1 },
    });
    expect(failed(again, 'POST complete again')).toMatchObject({ status: 200, body: { alreadyCompleted: true } });
    await quiet();

    const read = await call('manager', `/api/supervision/cases/${caseId}`);
    expect(read.body).toMatchObject({ lastRating: 'amber', ratings: [expect.objectContaining({ sequence: 1, rating: 'amber' })] });
    actions = read.body.actions as typeof actions;
    expect(actions.map(({ ownerId, dueDate, status }) => ({ ownerId, dueDate, status }))).toEqual([
      { ownerId: subOf('socialworker'), dueDate: '2026-12-04', status: 'open' },
      { ownerId: subOf('specialist'), dueDate: '2026-12-08', status: 'open' },
    ]);
    // Each owner is told of their action, once.
    expect(supervisionItems(await inboxOf('socialworker')).map((item) => item.kind)).toEqual(['supervision-action-assigned']);
    expect(supervisionItems(await inboxOf('specialist')).map((item) => item.kind)).toEqual(['supervision-action-assigned']);
  });

  it('escalates the action left open to its owner, then to the manager, each once; the action done is never chased', async () => {
    const [samsAction, danasAction] = actions as [(typeof actions)[0], (typeof actions)[0]];
    setClock(london('2026-12-03', '15:00'));
    const done = await call('socialworker', `/api/supervision/actions/${caseId}/${samsAction.actionId}/complete`, { method: 'POST' });
    expect(failed(done, 'POST action complete')).toMatchObject({ status: 200 });
    await quiet();

    // Before each moment, at it, and again just after: only the moments themselves do anything.
    const runs: Array<[string, TimescalesRun]> = [];
    for (const [day, time] of [
      ['2026-12-05', '00:15'], // the day after Sam's due date: done, so nothing
      ['2026-12-08', '23:45'], // Dana's due date, not yet over
      ['2026-12-09', '00:15'], // overdue: to Dana
      ['2026-12-09', '00:30'],
      ['2026-12-10', '23:45'], // the second working day after it, not yet over
      ['2026-12-11', '00:15'], // still open: to the manager
      ['2026-12-11', '00:30'],
    ] as const) {
      runs.push([`${day} ${time}`, await runTimescales(london(day, time))]);
    }
    const escalations = runs.map(([at, run]) => [at, run.actionsOverdueToOwner, run.actionsOverdueToManager]);
    expect(escalations).toEqual([
      ['2026-12-05 00:15', 0, 0],
      ['2026-12-08 23:45', 0, 0],
      ['2026-12-09 00:15', 1, 0],
      ['2026-12-09 00:30', 0, 0],
      ['2026-12-10 23:45', 0, 0],
      ['2026-12-11 00:15', 0, 1],
      ['2026-12-11 00:30', 0, 0],
    ]);

    const danas = supervisionItems(await inboxOf('specialist'));
    // Reminded from Friday 4 December (two working days before), told at the first run after it.
    expect(danas.map((item) => item.kind).sort()).toEqual([
      'supervision-action-assigned',
      'supervision-action-due-soon',
      'supervision-action-overdue',
    ]);
    expect(danas.every((item) => item.title.includes(reference))).toBe(true);
    expect(danas.some((item) => item.title.includes('DASH'))).toBe(false);
    const sams = supervisionItems(await inboxOf('socialworker'));
    expect(sams.map((item) => item.kind)).toEqual(['supervision-action-assigned']);
    const managers = supervisionItems(await inboxOf('manager'));
    expect(managers.map((item) => ({ kind: item.kind, link: item.link }))).toEqual([
      { kind: 'supervision-action-escalated', link: '/supervision/overdue' },
    ]);
    expect(managers[0]?.title).toContain('Dana Lewis');

    const read = await call('specialist', `/api/supervision/cases/${caseId}`);
    expect((read.body.actions as typeof actions).map(({ actionId, status }) => ({ actionId, status }))).toEqual([
      { actionId: samsAction.actionId, status: 'completed' },
      { actionId: danasAction.actionId, status: 'open' },
    ]);
  });

  it('shows the supervision and its rating in the case’s chronology', async () => {
    const opened = await call('manager', `/api/cases/${caseId}`);
    expect(failed(opened, 'GET case')).toMatchObject({ status: 200 });
    const chronology = opened.body.chronology as Array<{ kind: string; text: string }>;
    expect(chronology.filter((entry) => entry.kind === 'supervision-held').map((entry) => entry.text)).toEqual([
      expect.stringMatching(/^Group supervision 1 held: rated Amber/),
    ]);
  });
});

interface CaseTimescalesRun {
  dueSoon: number;
  overdue: number;
  failed: number;
}

const runCaseTimescales = (at: Date) => runSchedule<CaseTimescalesRun>('cases', 'case-timescales', 'case-timescales', at);

describe('the statutory path, from referral to a planned closure', () => {
  let caseId: string;

  /** Records a step from the path's version as read now. */
  async function step(who: Who, name: string, fields: Record<string, unknown>) {
    const path = await call(who, `/api/cases/${caseId}/path`);
    expect(failed(path, 'GET path')).toMatchObject({ status: 200 });
    const answer = await call(who, `/api/cases/${caseId}/path/${name}`, {
      method: 'POST',
      body: { version: path.body.version, ...fields },
    });
    expect(failed(answer, `POST path/${name}`)).toMatchObject({ status: 200 });
    await quiet();
    return answer.body;
  }

  /** Runs the schedule at each moment; answers [moment, dueSoon, overdue] for each. */
  async function runsAt(moments: ReadonlyArray<readonly [string, string]>) {
    const runs: Array<[string, number, number]> = [];
    for (const [day, time] of moments) {
      const run = await runCaseTimescales(london(day, time));
      expect(run.failed).toBe(0);
      runs.push([`${day} ${time}`, run.dueSoon, run.overdue]);
    }
    return runs;
  }

  it('opens the case with its assessment clock and the Family Safeguarding flag from intake', async () => {
    // The supervision story's case never recorded its assessment (due Wednesday 30 December 2026):
    // the first run of the new year tells it overdue, and only that (its due-soon moment has passed).
    expect(
      await runsAt([
        ['2027-01-04', '09:00'],
        ['2027-01-04', '09:15'],
      ]),
    ).toEqual([
      ['2027-01-04 09:00', 0, 1],
      ['2027-01-04 09:15', 0, 0],
    ]);
    setClock(london('2027-01-04', '10:00'));
    const submitted = await call('partner', '/v1/referrals', {
      method: 'POST',
      body: {
        referrer: {
          name: 'Priya Shah',
          role: 'Designated safeguarding lead',
          organisation: 'Millbrook Primary',
          email: 'dsl@millbrook.example.sch.uk',
        },
        referralSource: '2A',
        children: [{ firstName: 'Ava', lastName: 'Morgan', dateOfBirth: '2019-09-03', gender: 'female' }],
        adults: [{ firstName: 'Kelly', lastName: 'Morgan', relationship: 'mother' }],
        concerns: {
          whatHappened: 'Ava came to school with bruising to her upper arm and said her mum’s boyfriend grabbed her.',
          whyNow: 'A second injury this term, and Ava is frightened to go home.',
        },
        factors: ['3B', '4B'],
        consent: { familyKnows: false, consentGiven: false, withoutConsentReason: 'Telling the family may put Ava at risk.' },
      },
    });
    expect(failed(submitted, 'POST /v1/referrals')).toMatchObject({ status: 201 });
    const referralId = submitted.body.id as string;
    setClock(london('2027-01-04', '11:00'));
    expect(
      failed(await call('frontdoor', `/api/front-door/referrals/${referralId}/screening`, { method: 'POST' }), 'screening'),
    ).toMatchObject({
      status: 200,
    });
    const decided = await call('frontdoor', `/api/front-door/referrals/${referralId}/decision`, {
      method: 'POST',
      body: {
        outcome: 'strategy-discussion',
        reason: 'An injury with a disclosure: reasonable cause to suspect significant harm.',
        teamId: 'north',
      },
    });
    expect(failed(decided, 'decision')).toMatchObject({ status: 200 });
    const found = await eventually(
      async () => {
        const answer = await call('manager', `/api/cases?referralId=${referralId}`);
        return answer.status === 200 ? answer.body : undefined;
      },
      'the case opened from the referral',
      WAIT_MS,
    );
    caseId = found.id as string;
    await quiet();
    setClock(london('2027-01-04', '14:00'));
    const allocated = await call('manager', `/api/cases/${caseId}/allocation`, {
      method: 'PUT',
      body: { version: 0, socialWorkerId: subOf('socialworker'), specialists: {} },
    });
    expect(failed(allocated, 'PUT allocation')).toMatchObject({ status: 200 });
    await quiet();

    const path = await call('socialworker', `/api/cases/${caseId}/path`);
    expect(failed(path, 'GET path')).toMatchObject({
      status: 200,
      body: {
        status: 'assessment',
        referralDate: '2027-01-04',
        assessmentDueDate: '2027-03-08',
        familySafeguardingFlag: true,
        timescales: [expect.objectContaining({ timescale: 'assessment', dueDate: '2027-03-08' })],
      },
    });
  });

  it('walks the case through the statutory path, each timescale told exactly once', async () => {
    setClock(london('2027-01-06', '16:00'));
    await step('socialworker', 'strategy-discussion', {
      heldOn: '2027-01-06',
      section47: true,
      reason: 'Police and health agree: a section 47 enquiry, with a medical today.',
    });
    const conferenceRuns = await runsAt([
      ['2027-01-19', '23:45'],
      ['2027-01-20', '00:15'],
      ['2027-01-20', '00:30'],
    ]);
    setClock(london('2027-01-26', '15:00'));
    const conference = await step('socialworker', 'initial-conference', { heldOn: '2027-01-26', outcome: 'cp-plan', category: 'NEG' });
    expect(conference).toMatchObject({ status: 'child-protection' });
    // The plan agreed with the family that day, to be reviewed in a month.
    const plan = await call('socialworker', `/api/cases/${caseId}/plan`, {
      method: 'PUT',
      body: {
        version: 0,
        agreedOn: '2027-01-26',
        goals: [
          {
            inFamilysWords: 'Ava feels safe at home',
            actions: [{ what: 'Keep the safety plan on the fridge and use it', who: 'Kelly', byWhen: '2027-02-05' }],
          },
        ],
        nextReviewDate: '2027-02-26',
      },
    });
    expect(failed(plan, 'PUT plan')).toMatchObject({ status: 200, body: { version: 1 } });
    await quiet();
    const assessmentRuns = await runsAt([
      ['2027-01-28', '00:15'],
      ['2027-03-01', '00:15'],
      ['2027-03-01', '00:30'],
    ]);
    setClock(london('2027-03-03', '11:00'));
    const assessed = await step('manager', 'complete-assessment', {
      completedOn: '2027-03-03',
      factors: ['3B', '4B', '16A'],
      primaryNeed: 'N1',
      outcome: 'strategy-discussion',
      familySafeguardingEligible: true,
      summary: 'Kelly’s depression and her partner’s violence leave Ava unprotected; Kelly wants help.',
    });
    expect(assessed).toMatchObject({ assessment: { familySafeguardingEligible: true, factors: ['3B', '4B', '16A'] } });
    // The plan was not reviewed by Friday 26 February: the essentials check flags it stale, on the case and to the manager.
    const essentials = (await call('socialworker', `/api/cases/${caseId}`)).body.essentials as Array<{ essential: string; state: string }>;
    expect(essentials).toEqual(expect.arrayContaining([expect.objectContaining({ essential: 'plan', state: 'stale' })]));
    const team = await call('manager', '/api/cases/team/essentials');
    const flagged = (team.body.cases as Array<{ caseId: string; needsAttention: Array<{ essential: string }> }>).find(
      (entry) => entry.caseId === caseId,
    );
    expect(flagged?.needsAttention.map((check) => check.essential)).toContain('plan');
    const reviewRuns = await runsAt([
      ['2027-03-09', '00:15'],
      ['2027-04-19', '00:15'],
      ['2027-04-19', '00:30'],
      ['2027-04-26', '23:45'],
      ['2027-04-27', '00:15'],
      ['2027-04-27', '00:30'],
    ]);
    setClock(london('2027-04-28', '14:00'));
    await step('socialworker', 'cp-review', { heldOn: '2027-04-28', outcome: 'continue', category: 'NEG' });
    setClock(london('2027-10-20', '14:00'));
    const steppedDown = await step('socialworker', 'cp-review', { heldOn: '2027-10-20', outcome: 'step-down', category: 'NEG' });
    expect(steppedDown).toMatchObject({ status: 'child-in-need', childInNeedPlans: [{ startedOn: '2027-10-20' }] });
    const laterRuns = await runsAt([['2027-10-29', '00:15']]);

    expect([...conferenceRuns, ...assessmentRuns, ...reviewRuns, ...laterRuns]).toEqual([
      ['2027-01-19 23:45', 0, 0],
      ['2027-01-20 00:15', 1, 0], // the conference, due soon
      ['2027-01-20 00:30', 0, 0],
      ['2027-01-28 00:15', 0, 0], // held on time: never overdue
      ['2027-03-01 00:15', 1, 0], // the assessment, due soon
      ['2027-03-01 00:30', 0, 0],
      ['2027-03-09 00:15', 0, 0], // authorised on time
      ['2027-04-19 00:15', 1, 0], // the first review, due soon
      ['2027-04-19 00:30', 0, 0],
      ['2027-04-26 23:45', 0, 0], // its due day, not yet over
      ['2027-04-27 00:15', 0, 1], // overdue
      ['2027-04-27 00:30', 0, 0],
      ['2027-10-29 00:15', 0, 0], // the plan ended at the second review
    ]);
  });

  it('closes the case with a sustainability plan; supervision stops; the chronology tells the story', async () => {
    setClock(london('2027-11-30', '15:00'));
    const closed = await step('manager', 'close', {
      closedOn: '2027-11-30',
      reasonCode: 'RC7',
      stepDownToEarlyHelp: true,
      sustainabilityPlan: {
        people: [
          { name: 'Jean Morgan', relationship: 'maternal grandmother', helps: 'Collects Ava from school and is who Kelly calls first.' },
        ],
        summary: 'Kelly keeps her GP appointments; the school’s family worker checks in fortnightly.',
      },
    });
    expect(closed).toMatchObject({ status: 'closed', timescales: [], closure: { reasonCode: 'RC7' } });

    const supervision = await call('manager', `/api/supervision/cases/${caseId}`);
    expect(failed(supervision, 'GET supervision')).toMatchObject({
      status: 200,
      body: { closedAt: expect.any(String), supervisions: [expect.objectContaining({ sequence: 1, status: 'cancelled' })] },
    });

    const opened = await call('manager', `/api/cases/${caseId}`);
    expect(opened.body.status).toBe('closed');
    const lines = (opened.body.chronology as Array<{ kind: string; text: string }>).map((entry) => `${entry.kind}: ${entry.text}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^strategy-discussion: Strategy discussion held: a section 47 enquiry started/),
        expect.stringMatching(/^child-protection-conference: Initial child protection conference held \(within 15 working days\)/),
        expect.stringMatching(/^assessment-completed: Child and Family assessment completed/),
        expect.stringMatching(/^child-protection-review: Child protection review 2 held: the plan ends/),
        expect.stringMatching(/^case-closed: Case closed \(RC7/),
      ]),
    );
  });
});
