/**
 * The plan agreed with the family and the essentials check, through the real HTTP handler against
 * DynamoDB Local under an injected clock: a plan agreed, reviewed, refused where the rules say;
 * the essentials of a case (on its JSON and in the team's list) going stale as time passes.
 */
import { randomUUID } from 'node:crypto';
import { caseChronologyEntryAddedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { claimsOf } from '../support/claims';
import { fixtureDirectory, NORTH, people } from '../support/directory';
import { casesHttpHandler } from '../support/http';
import { outboxOf } from '../support/outbox';
import { referralAccepted } from '../support/referral-accepted';

const referralId = 'ref-plan-api-1';
const caseId = caseIdForReferral(referralId);

const manager = claimsOf(people.manager, '[team-manager]');
const samOkafor = claimsOf(people.samOkafor, '[social-worker]');

let table: TestTable;
let runtime: ServiceRuntime;
let api: ReturnType<typeof casesHttpHandler>;
let now = new Date('2026-01-06T09:00:00.000Z');

beforeEach(async () => {
  now = new Date('2026-01-06T09:00:00.000Z');
  ({ table, runtime } = await createTestRuntime('cases', () => now));
  api = casesHttpHandler(runtime, { directory: fixtureDirectory() });
  await deliverUntilAccepted(createReferralAcceptedConsumer(runtime), [referralAccepted({ referralId, teamId: NORTH })]);
});
afterEach(async () => {
  await table.drop();
});

const at = (instant: string) => {
  now = new Date(instant);
};
const send = async (method: string, path: string, body?: object, claims = samOkafor) => {
  const response = await api(apiGatewayEvent({ method, path, claims, requestId: `req-${randomUUID()}`, ...(body ? { body } : {}) }));
  return { status: response.statusCode, body: JSON.parse(response.body ?? '{}') };
};
const essentialsOf = async () => {
  const found = await send('GET', `/api/cases/${caseId}`);
  return Object.fromEntries(
    (found.body.essentials as Array<{ essential: string; state: string }>).map((check) => [check.essential, check.state]),
  );
};

const plan = {
  agreedOn: '2026-02-10',
  goals: [
    {
      inFamilysWords: 'Mia gets to school on time every day',
      actions: [
        { what: 'Set an alarm and walk Mia to school', who: 'Kerry', byWhen: '2026-02-20' },
        { what: 'Tell Kerry by text if Mia is late', who: 'Oakfield Primary', byWhen: '2026-02-13' },
      ],
    },
    {
      inFamilysWords: 'Dean stops shouting at home',
      actions: [{ what: 'Start the Caring Dads course', who: 'Dean', byWhen: '2026-03-01' }],
    },
  ],
  nextReviewDate: '2026-03-10',
};

describe('the plan agreed with the family', () => {
  it('is agreed, reviewed with progress on every goal, and written into the chronology', async () => {
    at('2026-02-10T15:00:00.000Z');
    const agreed = await send('PUT', `/api/cases/${caseId}/plan`, { version: 0, ...plan });
    expect(agreed.status).toBe(200);
    expect(agreed.body).toMatchObject({
      version: 1,
      agreedOn: '2026-02-10',
      nextReviewDate: '2026-03-10',
      updatedBy: { name: 'Sam Okafor' },
    });
    const goalIds = (agreed.body.goals as Array<{ goalId: string }>).map((goal) => goal.goalId);
    expect(goalIds).toHaveLength(2);

    at('2026-03-09T15:00:00.000Z');
    const reviewed = await send('POST', `/api/cases/${caseId}/plan/reviews`, {
      version: 1,
      reviewedOn: '2026-03-09',
      summary: 'Mia has been on time every day but two; Dean has started the course.',
      progress: [
        { goalId: goalIds[0], rating: 'good-progress', note: 'Late twice, both after Kerry’s night shifts.' },
        { goalId: goalIds[1], rating: 'some-progress', note: 'Two sessions attended.' },
      ],
      nextReviewDate: '2026-04-09',
    });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toMatchObject({ version: 2, nextReviewDate: '2026-04-09', reviews: [{ sequence: 1, reviewedOn: '2026-03-09' }] });
    const lines = (await outboxOf(table, caseChronologyEntryAddedV1)).map((event) => `${event.data.kind}: ${event.data.text}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'plan-agreed: Plan agreed with the family: 2 goals; next review by 10 March 2026 (recorded by Sam Okafor)',
        'plan-reviewed: Plan reviewed: 0 of 2 goals achieved; next review by 9 April 2026 (recorded by Sam Okafor)',
      ]),
    );
  });

  it('refuses a goal without actions, a date before the referral, a review missing a goal and a stale version, naming each', async () => {
    at('2026-02-10T15:00:00.000Z');
    const noActions = await send('PUT', `/api/cases/${caseId}/plan`, {
      version: 0,
      ...plan,
      goals: [{ inFamilysWords: 'Be safe', actions: [] }],
    });
    expect(noActions.body.errors).toEqual([{ in: 'body', path: '$.goals[0].actions', message: 'Say who does what by when for this goal' }]);
    const early = await send('PUT', `/api/cases/${caseId}/plan`, { version: 0, ...plan, agreedOn: '2026-01-02' });
    expect(early.body.errors).toEqual([{ in: 'body', path: '$.agreedOn', message: 'The plan cannot be agreed before the referral date' }]);
    const unreviewable = await send('POST', `/api/cases/${caseId}/plan/reviews`, {
      version: 0,
      reviewedOn: '2026-02-10',
      summary: 'x',
      progress: [],
      nextReviewDate: '2026-03-10',
    });
    expect(unreviewable.status).toBe(409);
    expect(unreviewable.body.detail).toBe('Agree a plan with the family before reviewing it');

    const agreed = await send('PUT', `/api/cases/${caseId}/plan`, { version: 0, ...plan });
    const [goal] = agreed.body.goals as Array<{ goalId: string }>;
    const partial = await send('POST', `/api/cases/${caseId}/plan/reviews`, {
      version: 1,
      reviewedOn: '2026-02-10',
      summary: 'Early days.',
      progress: [{ goalId: goal?.goalId, rating: 'not-started', note: '' }],
      nextReviewDate: '2026-03-10',
    });
    expect(partial.body.errors).toEqual([{ in: 'body', path: '$.progress[1]', message: 'Say how far the family has got with every goal' }]);
    const stale = await send('PUT', `/api/cases/${caseId}/plan`, { version: 0, ...plan });
    expect(stale.status).toBe(409);
    expect((await send('GET', `/api/cases/${caseId}/plan`)).body.version).toBe(1);
  });
});

describe('the essentials check', () => {
  it('flags a plan stale once its review date passes, on the case and in the team manager’s list', async () => {
    // The day it opened, nothing is missing: each essential is due by its own day (ESSENTIALS_GRACE).
    at('2026-01-06T10:00:00.000Z');
    expect(await essentialsOf()).toMatchObject({
      'case-summary': 'due',
      chronology: 'current',
      assessment: 'due',
      plan: 'not-needed',
      supervision: 'due',
    });

    // A CIN plan needs a plan agreed with the family: due 10 working days after the assessment is authorised.
    at('2026-02-10T10:00:00.000Z');
    const assessed = await send(
      'POST',
      `/api/cases/${caseId}/path/complete-assessment`,
      {
        version: 1,
        completedOn: '2026-02-10',
        factors: ['16A'],
        primaryNeed: 'N1',
        outcome: 'child-in-need-plan',
        familySafeguardingEligible: false,
        summary: 'Mia is often late and hungry; Kerry is struggling alone.',
      },
      manager,
    );
    expect(assessed.status).toBe(200);
    expect((await send('POST', `/api/cases/${caseId}/path/start-cin-plan`, { version: 2, startedOn: '2026-02-10' })).status).toBe(200);
    expect(await essentialsOf()).toMatchObject({ 'case-summary': 'missing', assessment: 'current', plan: 'due' });
    expect((await send('GET', `/api/cases/${caseId}`)).body.essentials).toEqual(
      expect.arrayContaining([
        {
          essential: 'plan',
          state: 'due',
          dueOn: '2026-02-24',
          detail: 'Due by Tuesday 24 February 2026, 10 working days after the assessment was authorised',
        },
      ]),
    );

    at('2026-02-10T15:00:00.000Z');
    await send('PUT', `/api/cases/${caseId}/plan`, { version: 0, ...plan });
    expect(await essentialsOf()).toMatchObject({ plan: 'current' });
    const list = async () =>
      (await send('GET', '/api/cases/team/essentials', undefined, manager)).body.cases as Array<{
        caseId: string;
        needsAttention: Array<{ essential: string; state: string }>;
      }>;
    expect((await list()).find((entry) => entry.caseId === caseId)?.needsAttention.map((check) => check.essential)).not.toContain('plan');

    // The day after its review date, with no review: stale, on the case and in the team's list.
    at('2026-03-11T09:00:00.000Z');
    expect(await essentialsOf()).toMatchObject({ plan: 'stale' });
    expect((await list()).find((entry) => entry.caseId === caseId)?.needsAttention).toEqual(
      expect.arrayContaining([{ essential: 'plan', state: 'stale', detail: 'Its review date has passed' }]),
    );
  });
});
