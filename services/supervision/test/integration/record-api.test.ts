/**
 * The supervision JSON routes that write, through the real handler against DynamoDB Local: zod
 * bodies and the domain's rules answered as problems naming each field, versions (409 when stale),
 * completing once however often it is sent, the chair's routes refused to others, drafts shown to
 * the chair only, actions completed by their owner, consultations recorded.
 */
import { apiGatewayEvent, problemOf, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { itemsOfKind } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { openAndAllocate } from '../support/cases';
import { fixtureDirectory, person } from '../support/directory';
import { supervisionHttpHandler } from '../support/http';

/** Tuesday 10 March 2026, 9am in London. */
const NOW = '2026-03-10T09:00:00.000Z';
const NORTH = 'team-north-1';
const SW = '3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71';
const caseId = 'case-api-1';
const BASE = `/api/supervision/cases/${caseId}`;

const claims = (sub: string, name: string, group: string, team = NORTH) =>
  workerClaims({ sub, 'cognito:username': sub, name, 'cognito:groups': `[${group}]`, 'custom:team': team });
const manager = claims('tm-0001', 'Tara Mensah', 'team-manager');
const socialWorker = claims(SW, 'Sam Okafor', 'social-worker');
const southManager = claims('tm-0002', 'Kim Lee', 'team-manager', 'team-south-2');

const directory = fixtureDirectory([
  person('tm-0001', 'Tara Mensah', ['team-manager'], NORTH),
  person(SW, 'Sam Okafor', ['social-worker'], NORTH),
]);

let table: TestTable;
let api: ReturnType<typeof supervisionHttpHandler>;

beforeAll(async () => {
  const setup = await createTestRuntime('supervision', fixedClock(NOW));
  table = setup.table;
  api = supervisionHttpHandler(setup.runtime, directory);
  // Allocated on Monday 2 February 2026: the first supervision is due on Monday 2 March.
  await openAndAllocate(setup.runtime, [{ caseId, teamId: NORTH, openedAt: '2026-02-02T10:00:00.000Z', reference: 'FSP-2026-000901' }]);
});
afterAll(async () => {
  await table.drop();
});

let request = 0;
function send(who: ReturnType<typeof claims>, method: string, path: string, body?: object) {
  request += 1;
  return api(apiGatewayEvent({ method, path, claims: who, requestId: `req-api-${request}`, ...(body ? { body } : {}) }));
}
const bodyOf = (response: { body?: string }) => JSON.parse(response.body ?? '{}');
const pathsOf = (response: { body?: string }) => (problemOf(response).errors ?? []).map((error: { path: string }) => error.path);

const complete = (expectedVersion: number) => ({
  expectedVersion,
  heldOn: '2026-03-09',
  attendees: [SW, 'tm-0001'],
  rating: 'red',
  ratingRationale: 'A new incident at the weekend.',
  discussion: 'The father has moved back in.',
  decisions: 'Strategy discussion today.',
  actions: [{ what: 'Ring the police', ownerId: SW, dueDate: '2026-03-12' }],
});

describe('the record', () => {
  it('answers a body of the wrong shape, and fields the domain refuses, with a problem naming each field', async () => {
    const shape = await send(manager, 'PUT', `${BASE}/supervisions/1/record`, { expectedVersion: 'one' });
    expect(shape.statusCode).toBe(400);
    expect(pathsOf(shape)).toEqual(['$.expectedVersion']);
    const rules = await send(manager, 'PUT', `${BASE}/supervisions/1/record`, {
      expectedVersion: 0,
      heldOn: '2026-03-31',
      actions: [{ what: 'Half an action' }],
    });
    expect(rules.statusCode).toBe(400);
    expect(pathsOf(rules)).toEqual(expect.arrayContaining(['$.heldOn', '$.actions[0]']));
  });

  it('saves a draft on its version, and answers a stale one 409', async () => {
    const saved = await send(manager, 'PUT', `${BASE}/supervisions/1/record`, { expectedVersion: 0, discussion: 'First thoughts.' });
    expect(saved.statusCode).toBe(200);
    expect(bodyOf(saved)).toEqual({ caseId, sequence: 1, recordStatus: 'draft', version: 1 });
    const stale = await send(manager, 'PUT', `${BASE}/supervisions/1/record`, { expectedVersion: 0, discussion: 'An older tab.' });
    expect(stale.statusCode).toBe(409);
  });

  it('shows the draft to the chair only', async () => {
    const chairs = bodyOf(await send(manager, 'GET', BASE)).supervisions[0];
    const workers = bodyOf(await send(socialWorker, 'GET', BASE)).supervisions[0];
    expect(chairs.record).toEqual(expect.objectContaining({ recordStatus: 'draft', discussion: 'First thoughts.' }));
    expect(workers.record).toBeUndefined();
  });

  it('is the chair’s: refused to a social worker (403) and, as an unknown case, to another team’s manager (404)', async () => {
    expect((await send(socialWorker, 'POST', `${BASE}/supervisions/1/record/complete`, complete(1))).statusCode).toBe(403);
    expect((await send(southManager, 'POST', `${BASE}/supervisions/1/record/complete`, complete(1))).statusCode).toBe(404);
  });

  it('completes once: a retry answers already completed and publishes nothing more', async () => {
    const first = await send(manager, 'POST', `${BASE}/supervisions/1/record/complete`, complete(1));
    expect(first.statusCode).toBe(200);
    expect(bodyOf(first)).toEqual(expect.objectContaining({ recordStatus: 'completed', next: expect.objectContaining({ sequence: 2 }) }));
    const again = await send(manager, 'POST', `${BASE}/supervisions/1/record/complete`, complete(1));
    expect(again.statusCode).toBe(200);
    expect(bodyOf(again)).toEqual(expect.objectContaining({ alreadyCompleted: true }));
    const held = (await itemsOfKind(table, 'outbox')).filter((item) => item.detailType === 'SupervisionHeld');
    expect(held).toHaveLength(1);
    const record = bodyOf(await send(socialWorker, 'GET', BASE)).supervisions[0].record;
    expect(record).toEqual(expect.objectContaining({ recordStatus: 'completed', rating: 'red' }));
  });

  it('amends only with a reason', async () => {
    const version = bodyOf(await send(manager, 'GET', BASE)).supervisions[0].record.recordVersion as number;
    const refused = await send(manager, 'POST', `${BASE}/supervisions/1/record/amendments`, { ...complete(version), actions: [] });
    expect(refused.statusCode).toBe(400);
    expect(pathsOf(refused)).toContain('$.reason');
    const amended = await send(manager, 'POST', `${BASE}/supervisions/1/record/amendments`, {
      ...complete(version),
      actions: [],
      decisions: 'Strategy discussion today; child protection conference within 15 working days.',
      reason: 'The conference was agreed after the meeting.',
    });
    expect(amended.statusCode).toBe(200);
    expect(bodyOf(await send(manager, 'GET', BASE)).amendments).toEqual([
      expect.objectContaining({ number: 1, reason: 'The conference was agreed after the meeting.' }),
    ]);
  });
});

describe('rescheduling, actions, overdue items and consultations', () => {
  it('moves the next supervision to a working day with a reason, and refuses a weekend naming the field', async () => {
    const next = bodyOf(await send(manager, 'GET', BASE)).supervisions[1];
    const weekend = await send(manager, 'POST', `${BASE}/supervisions/2/reschedule`, {
      expectedVersion: next.version,
      scheduledDate: '2026-04-04',
      reason: 'Leave.',
    });
    expect(weekend.statusCode).toBe(400);
    expect(pathsOf(weekend)).toEqual(['$.scheduledDate']);
    const moved = await send(manager, 'POST', `${BASE}/supervisions/2/reschedule`, {
      expectedVersion: next.version,
      scheduledDate: '2026-04-02',
      reason: 'The chair is on leave the week it was planned.',
    });
    expect(moved.statusCode).toBe(200);
    expect(bodyOf(moved)).toEqual(expect.objectContaining({ scheduledDate: '2026-04-02', dueDate: next.dueDate }));
  });

  it('lists the owner’s actions, and lets the owner complete one', async () => {
    const mine = bodyOf(await send(socialWorker, 'GET', '/api/supervision/actions')).actions;
    expect(mine).toEqual([expect.objectContaining({ what: 'Ring the police', ownerName: 'Sam Okafor', status: 'open' })]);
    const done = await send(socialWorker, 'POST', `/api/supervision/actions/${caseId}/${mine[0].actionId}/complete`);
    expect(done.statusCode).toBe(200);
    expect(bodyOf(await send(socialWorker, 'GET', '/api/supervision/actions')).actions).toEqual([]);
  });

  it('lists the team’s overdue items to its members, and refuses another team', async () => {
    const overdue = await send(socialWorker, 'GET', `/api/supervision/teams/${NORTH}/overdue`);
    // The social worker moved to no other team here: their session's team is the holding team.
    expect(overdue.statusCode).toBe(200);
    expect(bodyOf(overdue)).toEqual({ teamId: NORTH, supervisions: [], actions: [] });
    expect((await send(southManager, 'GET', `/api/supervision/teams/${NORTH}/overdue`)).statusCode).toBe(403);
  });

  it('records a consultation, naming a missing field', async () => {
    const refused = await send(socialWorker, 'POST', `${BASE}/consultations`, { with: 'Dr Priya Shah', heldOn: '2026-03-09' });
    expect(refused.statusCode).toBe(400);
    expect(pathsOf(refused)).toEqual(['$.notes']);
    const recorded = await send(socialWorker, 'POST', `${BASE}/consultations`, {
      with: 'Dr Priya Shah, clinical psychologist',
      heldOn: '2026-03-09',
      notes: 'Talked through the hypotheses.',
    });
    expect(recorded.statusCode).toBe(201);
    expect(bodyOf(await send(socialWorker, 'GET', BASE)).consultations).toEqual([
      expect.objectContaining({ with: 'Dr Priya Shah, clinical psychologist', by: { userId: SW, name: 'Sam Okafor' } }),
    ]);
  });
});
