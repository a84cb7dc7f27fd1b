/**
 * Issue 13's "Done when", on the running local cloud (gateway, functions, DynamoDB Local, outbox
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
 */
import { randomUUID } from 'node:crypto';
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { parseLocalDate } from '@fsp/shared/time/local-date';
import { londonWallClockInstant } from '@fsp/shared/time/london';
import { type LocalCloud, startLocalCloud } from '../../src/local-cloud';
import { functionIdOf } from '../../src/runtime/types';
import { scheduledEventFor } from '../../src/scheduler/scheduler';
import { eventually, partnerToken, verboseLog, workerToken } from './local-cloud/support';

jest.setTimeout(120_000);

const WAIT_MS = 60_000;
const TIMESCALES = functionIdOf('supervision', 'supervision-timescales');

type Who = 'partner' | 'frontdoor' | 'socialworker' | 'specialist' | 'manager';

let cloud: LocalCloud;
const tokens = new Map<Who, string>();

const subOf = (username: string): string => {
  const entry = cloud.issuer.directoryEntries().find((candidate) => candidate.username === username);
  if (!entry) throw new Error(`the directory has no ${username}`);
  return entry.sub;
};

/** A London wall-clock moment, as `2026-11-25 11:00`. */
const london = (day: string, time: string): Date => {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return londonWallClockInstant(parseLocalDate(day), hour, minute);
};

/** The functions' clock reads `at` from now (and runs on from it), as the seed moves it. */
const setClock = (at: Date): void => cloud.runtime.setClockOffset(at.getTime() - Date.now());

async function call(who: Who, path: string, init: { method?: string; body?: unknown } = {}) {
  const method = init.method ?? 'GET';
  const response = await fetch(`${cloud.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens.get(who)}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

const failed = (answer: { status: number; body: unknown }, request: string) => ({ request, status: answer.status, body: answer.body });

/** Everything the last moment set going has been carried through (events relayed, delivered and consumed), with no polling of our own. */
const quiet = () => cloud.settled(WAIT_MS);

interface TimescalesRun {
  actionsOverdueToOwner: number;
  actionsOverdueToManager: number;
}

/** The schedule's function at `at`, as the scheduler would run it then. */
async function runTimescales(at: Date): Promise<TimescalesRun> {
  setClock(at);
  const run = (await cloud.runtime.invoke(TIMESCALES, scheduledEventFor('supervision-supervision-timescales', at))) as TimescalesRun;
  await quiet();
  return run;
}

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
      body: {
        referrer: { name: 'Grace Bello', role: 'Health visitor', organisation: 'Calder Heath Health Visiting', email: 'hv@example.nhs.uk' },
        referralSource: '1B',
        children: [{ firstName: 'Noah', lastName: 'Reid', dateOfBirth: '2023-04-12', gender: 'male' }],
        adults: [{ firstName: 'Chloe', lastName: 'Reid', relationship: 'mother' }],
        concerns: {
          whatHappened: 'Noah’s mother told me her partner threatens her when he has been drinking; Noah was in the room.',
          whyNow: 'She asked for help for the first time at today’s visit.',
        },
        factors: ['3B'],
        consent: { familyKnows: true, consentGiven: true },
      },
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
    expect(danas.map((item) => item.kind).sort()).toEqual(['supervision-action-assigned', 'supervision-action-overdue']);
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
