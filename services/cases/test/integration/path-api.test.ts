/**
 * The statutory path through the real HTTP handler and the `case-timescales` schedule, against
 * DynamoDB Local, under an injected clock: a case walks from referral through assessment, strategy
 * discussion, initial conference, CP plan, two reviews, step-down to CIN and closure; every due-soon
 * and overdue event is published exactly once however often (and however late) the schedule runs,
 * and each timescale's end (CaseTimescaleMet: met, on time or late, or withdrawn) once with its step;
 * the rules' refusals name their reason; who may record which step.
 */
import { randomUUID } from 'node:crypto';
import {
  assessmentCompletedV1,
  caseChronologyEntryAddedV1,
  caseClosedV1,
  caseStatusChangedV1,
  caseTimescaleDueSoonV1,
  caseTimescaleMetV1,
  caseTimescaleOverdueV1,
} from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import { itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { createCaseTimescales } from '../../src/schedules/case-timescales';
import { claimsOf } from '../support/claims';
import { fixtureDirectory, NORTH, people } from '../support/directory';
import { casesHttpHandler } from '../support/http';
import { outboxOf } from '../support/outbox';
import { referralAccepted } from '../support/referral-accepted';

const referralId = 'ref-path-api-1';
const caseId = caseIdForReferral(referralId);

const manager = claimsOf(people.manager, '[team-manager]');
const samOkafor = claimsOf(people.samOkafor, '[social-worker]');
const southWorker = claimsOf({ userId: 'sw-0099', name: 'Jo South', teamId: 'team-south-2' }, '[social-worker]');

let table: TestTable;
let runtime: ServiceRuntime;
let api: ReturnType<typeof casesHttpHandler>;
let now = new Date('2026-01-06T09:00:00.000Z');

beforeEach(async () => {
  now = new Date('2026-01-06T09:00:00.000Z');
  ({ table, runtime } = await createTestRuntime('cases', () => now));
  api = casesHttpHandler(runtime, { directory: fixtureDirectory() });
  // Received Monday 5 January 2026: the assessment is due by the end of Monday 9 March.
  await deliverUntilAccepted(createReferralAcceptedConsumer(runtime), [referralAccepted({ referralId, teamId: NORTH })]);
});
afterEach(async () => {
  await table.drop();
});

const at = (instant: string) => {
  now = new Date(instant);
};
const getPath = async (claims = samOkafor) => {
  const response = await api(apiGatewayEvent({ path: `/api/cases/${caseId}/path`, claims, requestId: `req-${randomUUID()}` }));
  return { status: response.statusCode, body: JSON.parse(response.body ?? '{}') };
};
const record = async (step: string, fields: object, claims = samOkafor) => {
  const { body: current } = await getPath(manager);
  const response = await api(
    apiGatewayEvent({
      method: 'POST',
      path: `/api/cases/${caseId}/path/${step}`,
      claims,
      body: { version: current.version, ...fields },
      requestId: `req-${randomUUID()}`,
    }),
  );
  return { status: response.statusCode, body: JSON.parse(response.body ?? '{}') };
};
const runSchedule = (instant: string) => {
  at(instant);
  return createCaseTimescales(runtime)({ id: `run-${randomUUID()}` });
};
const told = async () => ({
  dueSoon: (await outboxOf(table, caseTimescaleDueSoonV1)).map((event) => `${event.data.targetId}:${event.data.dueDate}`).sort(),
  overdue: (await outboxOf(table, caseTimescaleOverdueV1)).map((event) => `${event.data.targetId}:${event.data.dueDate}`).sort(),
});
/** CaseTimescaleMet, as "target due → outcome on (on time?)", in the order recorded. */
const ends = async () =>
  (await outboxOf(table, caseTimescaleMetV1))
    .sort((a, b) => a.data.recordedAt.localeCompare(b.data.recordedAt))
    .map(
      ({ data }) =>
        `${data.targetId} due ${data.dueDate}: ${data.outcome} ${data.on}${data.onTime === undefined ? '' : data.onTime ? ' on time' : ' late'}`,
    );

describe('a case’s statutory path', () => {
  it('walks from referral to closure, each timescale told once, however often the schedule runs', async () => {
    const opened = await getPath();
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({
      status: 'assessment',
      referralDate: '2026-01-05',
      assessmentDueDate: '2026-03-09',
      familySafeguardingFlag: true,
      timescales: [{ timescale: 'assessment', dueDate: '2026-03-09', state: 'on-track' }],
    });

    // Thursday 8 January: a strategy discussion starts a section 47 enquiry; the conference is due
    // 15 working days on, Thursday 29 January, and due soon from Thursday 22 January.
    at('2026-01-08T16:00:00.000Z');
    const discussed = await record('strategy-discussion', {
      heldOn: '2026-01-08',
      section47: true,
      reason: 'Bruising seen at school; police informed.',
    });
    expect(discussed.status).toBe(200);
    expect(discussed.body.timescales).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ timescale: 'initial-conference', dueDate: '2026-01-29', dueSoonFrom: '2026-01-22T00:00:00.000Z' }),
      ]),
    );

    expect(await runSchedule('2026-01-21T23:59:00.000Z')).toMatchObject({ dueSoon: 0, overdue: 0 });
    expect(await runSchedule('2026-01-22T08:00:00.000Z')).toMatchObject({ dueSoon: 1, overdue: 0, failed: 0 });
    expect(await runSchedule('2026-01-22T08:15:00.000Z')).toMatchObject({ dueSoon: 0, overdue: 0 });

    // Tuesday 27 January, on time: a child protection plan under neglect; the first review is due 3 months on.
    at('2026-01-27T15:00:00.000Z');
    const conference = await record('initial-conference', { heldOn: '2026-01-27', outcome: 'cp-plan', category: 'NEG' });
    expect(conference.status).toBe(200);
    expect(conference.body.status).toBe('child-protection');
    expect(conference.body.childProtectionPlans).toEqual([
      expect.objectContaining({ startedOn: '2026-01-27', initialCategory: 'NEG', latestCategory: 'NEG', nextReviewDueDate: '2026-04-27' }),
    ]);

    // The assessment: due soon from Monday 2 March; the team manager authorises it on Wednesday 4 March.
    expect(await runSchedule('2026-03-02T09:00:00.000Z')).toMatchObject({ dueSoon: 1, overdue: 0 });
    at('2026-03-04T11:00:00.000Z');
    const assessed = await record(
      'complete-assessment',
      {
        completedOn: '2026-03-04',
        factors: ['16A', '3B', '4B'],
        primaryNeed: 'N1',
        outcome: 'child-in-need-plan',
        familySafeguardingEligible: true,
        summary: 'Mother’s mental health and her partner’s violence leave the children without consistent care.',
      },
      manager,
    );
    expect(assessed.status).toBe(200);
    expect(assessed.body.assessment).toMatchObject({ factors: ['3B', '4B', '16A'], primaryNeed: 'N1', familySafeguardingEligible: true });
    // Met before its due day: never overdue.
    expect(await runSchedule('2026-03-10T09:00:00.000Z')).toMatchObject({ dueSoon: 0, overdue: 0 });

    // The first review is due Monday 27 April (BST: the day ends 22:59:59.999Z); it is held late.
    expect(await runSchedule('2026-04-20T07:00:00.000Z')).toMatchObject({ dueSoon: 1, overdue: 0 });
    expect(await runSchedule('2026-04-27T22:59:59.000Z')).toMatchObject({ dueSoon: 0, overdue: 0 });
    expect(await runSchedule('2026-04-27T23:00:00.000Z')).toMatchObject({ dueSoon: 0, overdue: 1 });
    expect(await runSchedule('2026-04-28T09:00:00.000Z')).toMatchObject({ dueSoon: 0, overdue: 0 });
    at('2026-04-29T14:00:00.000Z');
    const firstReview = await record('cp-review', { heldOn: '2026-04-29', outcome: 'continue', category: 'EMO' });
    expect(firstReview.body.childProtectionPlans[0]).toMatchObject({ latestCategory: 'EMO', nextReviewDueDate: '2026-10-29' });

    // The second review, early, steps the child down to a child in need plan.
    at('2026-10-20T14:00:00.000Z');
    const secondReview = await record('cp-review', { heldOn: '2026-10-20', outcome: 'step-down', category: 'EMO' });
    expect(secondReview.body).toMatchObject({ status: 'child-in-need', childInNeedPlans: [{ startedOn: '2026-10-20' }] });
    expect(secondReview.body.childProtectionPlans[0]).toMatchObject({ endedOn: '2026-10-20' });
    expect(await runSchedule('2026-10-30T09:00:00.000Z')).toMatchObject({ dueSoon: 0, overdue: 0 });

    at('2026-11-30T15:00:00.000Z');
    const closed = await record(
      'close',
      {
        closedOn: '2026-11-30',
        reasonCode: 'RC7',
        stepDownToEarlyHelp: true,
        sustainabilityPlan: {
          people: [
            { name: 'Margaret Jones', relationship: 'maternal grandmother', helps: 'Has the children after school three days a week.' },
          ],
          summary: 'Mum keeps her mental-health appointments; the family know who to call.',
        },
      },
      manager,
    );
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', timescales: [], childInNeedPlans: [{ endedOn: '2026-11-30' }] });

    expect(await told()).toEqual({
      dueSoon: ['assessment:2026-03-09', 'conference-1:2026-01-29', 'review-1-1:2026-04-27'],
      overdue: ['review-1-1:2026-04-27'],
    });
    // Each timescale's end, once, with the step that ended it; closing a case that waited on nothing tells nothing.
    expect(await ends()).toEqual([
      'conference-1 due 2026-01-29: met 2026-01-27 on time',
      'assessment due 2026-03-09: met 2026-03-04 on time',
      'review-1-1 due 2026-04-27: met 2026-04-29 late',
      'review-1-2 due 2026-10-29: met 2026-10-20 on time',
    ]);
    expect((await outboxOf(table, caseTimescaleMetV1)).find((event) => event.data.targetId === 'review-1-1')?.data).toEqual({
      caseId,
      reference: expect.stringMatching(/^FSP-/),
      teamId: NORTH,
      timescale: 'cp-review',
      targetId: 'review-1-1',
      dueDate: '2026-04-27',
      outcome: 'met',
      onTime: false,
      on: '2026-04-29',
      recordedAt: '2026-04-29T14:00:00.000Z',
    });
    const changes = (await outboxOf(table, caseStatusChangedV1)).sort((a, b) => a.data.sequence - b.data.sequence);
    expect(changes.map((event) => `${event.data.from}→${event.data.to} ${event.data.on}`)).toEqual([
      'assessment→child-protection 2026-01-27',
      'child-protection→child-in-need 2026-10-20',
      'child-in-need→closed 2026-11-30',
    ]);
    expect((await outboxOf(table, assessmentCompletedV1)).map((event) => event.data)).toEqual([
      expect.objectContaining({
        onTime: true,
        outcome: 'child-in-need-plan',
        familySafeguardingEligible: true,
        completedBy: people.manager.userId,
      }),
    ]);
    expect((await outboxOf(table, caseClosedV1)).map((event) => event.data)).toEqual([
      expect.objectContaining({ caseId, reasonCode: 'RC7', closedOn: '2026-11-30', stepDownToEarlyHelp: true }),
    ]);
    // Every step is in the chronology, attributed.
    const lines = (await outboxOf(table, caseChronologyEntryAddedV1)).map((event) => event.data.text);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Strategy discussion held: a section 47 enquiry started.*\(recorded by Sam Okafor\)$/),
        expect.stringMatching(
          /^Initial child protection conference held \(within 15 working days\): child protection plan, category Neglect/,
        ),
        expect.stringMatching(/^Child protection review 2 held: the plan ends/),
        expect.stringMatching(/^Case closed \(RC7: .*\), stepped down to early help \(recorded by/),
      ]),
    );
    // The team's list says what the path says.
    const head = (await itemsOfKind(table, 'case')).find((item) => item.caseId === caseId);
    expect(head?.status).toBe('closed');
    expect(await itemsOfKind(table, 'timer')).toEqual([]);
  });

  it('a conference found not needed is withdrawn, told once; a repeated step and later runs tell nothing more', async () => {
    at('2026-01-08T16:00:00.000Z');
    expect(
      (await record('strategy-discussion', { heldOn: '2026-01-08', section47: true, reason: 'Bruising seen at school.' })).status,
    ).toBe(200);
    const { body: before } = await getPath(manager);
    at('2026-01-12T10:00:00.000Z');
    const decide = () =>
      api(
        apiGatewayEvent({
          method: 'POST',
          path: `/api/cases/${caseId}/path/conference-not-required`,
          claims: samOkafor,
          body: { version: before.version, decidedOn: '2026-01-12', reason: 'The injury has an innocent explanation.' },
          requestId: `req-${randomUUID()}`,
        }),
      );
    expect((await decide()).statusCode).toBe(200);
    // The same form sent again, over the version it was read at: refused, nothing published.
    expect((await decide()).statusCode).not.toBe(200);
    for (const instant of ['2026-01-22T08:00:00.000Z', '2026-01-30T08:00:00.000Z']) {
      expect(await runSchedule(instant)).toMatchObject({ dueSoon: 0, overdue: 0, failed: 0 });
    }
    expect(await ends()).toEqual(['conference-1 due 2026-01-29: withdrawn 2026-01-12']);
    // The assessment still waits: it is told due soon, and it is not ended.
    expect(await runSchedule('2026-03-02T09:00:00.000Z')).toMatchObject({ dueSoon: 1 });
    expect(await ends()).toHaveLength(1);
  });
});

describe('refusals', () => {
  it('refuses a CP plan without a conference, closing a CP case, and dates before the referral or in the future', async () => {
    at('2026-01-09T10:00:00.000Z');
    const noConference = await record('initial-conference', { heldOn: '2026-01-09', outcome: 'cp-plan', category: 'PHY' });
    expect(noConference.status).toBe(409);
    expect(noConference.body.detail).toMatch(/follows a strategy discussion that started a section 47 enquiry/);

    const beforeReferral = await record('strategy-discussion', { heldOn: '2026-01-02', section47: true, reason: 'Police referral.' });
    expect(beforeReferral.status).toBe(400);
    expect(beforeReferral.body.errors).toEqual([
      { in: 'body', path: '$.heldOn', message: 'The date must be on or after the referral date' },
    ]);
    const future = await record('strategy-discussion', { heldOn: '2026-01-12', section47: true, reason: 'Police referral.' });
    expect(future.body.errors).toEqual([{ in: 'body', path: '$.heldOn', message: 'The date must be today or in the past' }]);

    await record('strategy-discussion', { heldOn: '2026-01-09', section47: true, reason: 'Police referral.' });
    at('2026-01-20T10:00:00.000Z');
    await record('initial-conference', { heldOn: '2026-01-20', outcome: 'cp-plan', category: 'PHY' });
    const closing = await record(
      'close',
      {
        closedOn: '2026-01-20',
        reasonCode: 'RC7',
        stepDownToEarlyHelp: false,
        sustainabilityPlan: { people: [{ name: 'A', relationship: 'aunt', helps: 'Visits' }], summary: 'x' },
      },
      manager,
    );
    expect(closing.status).toBe(409);
    expect(closing.body.detail).toBe('The child protection plan must end at a review before the case can close');
    expect((await getPath()).body.status).toBe('child-protection');
  });

  it('names an unknown code, and keeps the path as it was', async () => {
    at('2026-01-20T10:00:00.000Z');
    const bad = await record(
      'complete-assessment',
      {
        completedOn: '2026-01-20',
        factors: ['18A', '3B'],
        primaryNeed: 'N12',
        outcome: 'child-in-need-plan',
        familySafeguardingEligible: true,
        summary: 'x',
      },
      manager,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['$.factors[0]', '$.primaryNeed']);
    expect((await getPath()).body).toMatchObject({ version: 1, status: 'assessment' });
  });

  it('lets only the holding team’s manager authorise the assessment, and answers another team as for no case', async () => {
    at('2026-01-20T10:00:00.000Z');
    const fields = {
      completedOn: '2026-01-20',
      factors: ['21'],
      primaryNeed: 'N9',
      outcome: 'no-further-action',
      familySafeguardingEligible: false,
      summary: 'No concerns found.',
    };
    expect((await record('complete-assessment', fields, samOkafor)).status).toBe(403);
    expect((await record('complete-assessment', fields, southWorker)).status).toBe(404);
    expect((await getPath(southWorker)).status).toBe(404);
    expect((await record('complete-assessment', fields, manager)).status).toBe(200);
  });

  it('refuses a step recorded from a version that has moved on', async () => {
    at('2026-01-20T10:00:00.000Z');
    const stale = { version: 1, heldOn: '2026-01-20', section47: false, reason: 'Concerns discussed with police.' };
    const send = () =>
      api(
        apiGatewayEvent({
          method: 'POST',
          path: `/api/cases/${caseId}/path/strategy-discussion`,
          claims: samOkafor,
          body: stale,
          requestId: `req-${randomUUID()}`,
        }),
      );
    expect((await send()).statusCode).toBe(200);
    expect((await send()).statusCode).toBe(409);
    expect((await getPath()).body.strategyDiscussions).toHaveLength(1);
  });
});
