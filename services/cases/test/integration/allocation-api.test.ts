/**
 * The allocation JSON routes through the real HTTP handler, against DynamoDB Local, with the
 * directory as a fixed list: who may read and change a case's allocation (400 naming the field,
 * 403, 404, 409 on a stale version), what a change publishes, a worker's caseload and the team's list.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, problemOf } from '@fsp/shared/testing/api-gateway-event';
import { itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { claimsOf } from '../support/claims';
import { fixtureDirectory, NORTH, people } from '../support/directory';
import { casesHttpHandler } from '../support/http';
import { referralAccepted } from '../support/referral-accepted';

const NOW = '2026-01-06T09:15:00.000Z';
const referralId = 'ref-alloc-api-1';
const caseId = caseIdForReferral(referralId);

const manager = claimsOf(people.manager, '[team-manager]');
const samOkafor = claimsOf(people.samOkafor, '[social-worker]');
const southManager = claimsOf({ userId: 'tm-0009', name: 'Hannah Brooks', teamId: 'team-south-2' }, '[team-manager]');
const frontDoor = claimsOf({ userId: 'fd-0001', name: 'Femi Adeyemi', teamId: 'front-door' }, '[front-door]');
const administrator = claimsOf({ userId: 'ad-0001', name: 'Ade Bello', teamId: 'platform' }, '[administrator]');

let table: TestTable;
let runtime: ServiceRuntime;
let api: ReturnType<typeof casesHttpHandler>;

beforeEach(async () => {
  ({ table, runtime } = await createTestRuntime('cases', fixedClock(NOW)));
  api = casesHttpHandler(runtime, { directory: fixtureDirectory() });
  await deliverUntilAccepted(createReferralAcceptedConsumer(runtime), [referralAccepted({ referralId, teamId: NORTH })]);
});
afterEach(async () => {
  await table.drop();
});

const get = (path: string, claims = manager) => api(apiGatewayEvent({ path, claims, requestId: `req-${randomUUID()}` }));
const put = (body: object, claims = manager, id = caseId) =>
  api(apiGatewayEvent({ method: 'PUT', path: `/api/cases/${id}/allocation`, claims, body, requestId: `req-${randomUUID()}` }));

const first = {
  version: 0,
  socialWorkerId: people.samOkafor.userId,
  specialists: { 'domestic-abuse-victim': people.danaLewis.userId },
};

describe('GET /api/cases/{caseId}/allocation', () => {
  it('shows a case never allocated as version 0 with nobody, and audits the read', async () => {
    const response = await get(`/api/cases/${caseId}/allocation`, samOkafor);
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['cache-control']).toBe('no-store');
    expect(JSON.parse(response.body ?? '{}')).toEqual({
      caseId,
      teamId: NORTH,
      version: 0,
      specialists: {},
      socialWorkerChanges: 0,
      history: [],
    });
    expect(await itemsOfKind(table, 'case-read')).toEqual([expect.objectContaining({ caseId, userId: people.samOkafor.userId })]);
  });

  it('answers another team’s worker as for a case that does not exist', async () => {
    const hidden = await get(`/api/cases/${caseId}/allocation`, southManager);
    const missing = await get('/api/cases/case-nothing-here/allocation', southManager);
    expect([hidden.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(problemOf(hidden).detail).toBe(problemOf(missing).detail);
  });

  it('refuses an administrator before anything is read', async () => {
    expect((await get(`/api/cases/${caseId}/allocation`, administrator)).statusCode).toBe(403);
  });
});

describe('PUT /api/cases/{caseId}/allocation', () => {
  it('allocates, answers the new version, and shows it with its history', async () => {
    const response = await put(first);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({
      version: 1,
      socialWorker: { userId: 'sw-0001', name: 'Sam Okafor', allocatedAt: NOW, allocatedBy: 'tm-0001' },
      specialists: { 'domestic-abuse-victim': { userId: 'as-0001', name: 'Dana Lewis' } },
      socialWorkerChanges: 0,
      updatedBy: { userId: 'tm-0001', name: 'Tara Mensah' },
    });
    const shown = JSON.parse((await get(`/api/cases/${caseId}/allocation`, samOkafor)).body ?? '{}');
    expect(shown.history).toEqual([
      expect.objectContaining({ version: 1, at: NOW, by: { userId: 'tm-0001', name: 'Tara Mensah' }, socialWorkerChanges: 0 }),
    ]);
    const published = (await itemsOfKind(table, 'outbox')).filter((item) => item.detailType === 'CaseAllocated');
    expect(published).toHaveLength(2);
    const detail = JSON.parse(published[0]?.detail as string);
    expect(detail.metadata).toMatchObject({ producer: 'fsp.cases', schemaVersion: 1 });
  });

  it('answers 400 naming the field for a worker the team does not have, a leaver, someone of another team, or a missing reason', async () => {
    const unknown = await put({ ...first, socialWorkerId: 'sw-nobody' });
    expect(unknown.statusCode).toBe(400);
    expect(problemOf(unknown).errors).toEqual([
      { in: 'body', path: '$.socialWorkerId', message: 'Select a social worker from the team that holds this case' },
    ]);

    const leaver = await put({ ...first, socialWorkerId: people.leaver.userId });
    expect(problemOf(leaver).errors).toEqual([
      { in: 'body', path: '$.socialWorkerId', message: 'Lee Carter can no longer use the platform: select someone else' },
    ]);

    const otherTeam = await put({ ...first, specialists: { 'mental-health': people.southWorker.userId } });
    expect(problemOf(otherTeam).errors).toEqual([
      { in: 'body', path: '$.specialists["mental-health"]', message: 'Select an adult specialist from the team that holds this case' },
    ]);

    expect((await put(first)).statusCode).toBe(200);
    const noReason = await put({ ...first, version: 1, socialWorkerId: people.ruthHale.userId });
    expect(noReason.statusCode).toBe(400);
    expect(problemOf(noReason).errors).toEqual([
      { in: 'body', path: '$.reason', message: 'Enter the reason for the change of social worker' },
    ]);
  });

  it('answers 400 naming the field for a body that is not an allocation', async () => {
    const response = await put({ version: -1, specialists: { 'family-therapy': 'as-0001' } });
    expect(response.statusCode).toBe(400);
    expect(
      problemOf(response)
        .errors?.map((error) => error.path)
        .sort(),
    ).toEqual(expect.arrayContaining(['$.socialWorkerId', '$.version']));
  });

  it('answers 409 with the current version when the allocation changed since the version sent, and changes nothing', async () => {
    expect((await put(first)).statusCode).toBe(200);
    const stale = await put({ ...first, socialWorkerId: people.ruthHale.userId, reason: 'Capacity' });
    expect(stale.statusCode).toBe(409);
    expect(problemOf(stale)).toMatchObject({ currentVersion: 1 });
    expect(problemOf(stale).detail).toContain('version 0');
    const shown = JSON.parse((await get(`/api/cases/${caseId}/allocation`)).body ?? '{}');
    expect(shown).toMatchObject({ version: 1, socialWorker: { userId: 'sw-0001' } });
  });

  it('answers a change that changes nothing with the allocation as it is, writing nothing', async () => {
    await put(first);
    const again = await put({ ...first, version: 1 });
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body ?? '{}')).toMatchObject({ version: 1 });
    expect(await itemsOfKind(table, 'allocation-change')).toHaveLength(1);
  });

  it('refuses workers who are not team managers (403), and a team manager of another team as for a missing case (404)', async () => {
    expect((await put(first, samOkafor)).statusCode).toBe(403);
    expect((await put(first, frontDoor)).statusCode).toBe(403);
    expect((await put(first, administrator)).statusCode).toBe(403);
    expect((await put(first, southManager)).statusCode).toBe(404);
    expect((await put(first, manager, 'case-nothing-here')).statusCode).toBe(404);
    expect(await itemsOfKind(table, 'allocation')).toEqual([]);
  });

  it('refuses (403) a team manager who sees the case but does not manage the team that holds it; one who does not see it gets 404', async () => {
    // Break-glass lets another team's manager read the case (ADR 0014 §6), never allocate it.
    const granted = await api(
      apiGatewayEvent({
        method: 'POST',
        path: `/api/cases/${caseId}/break-glass`,
        claims: southManager,
        body: { reason: 'Asked by the police out of hours' },
        requestId: `req-${randomUUID()}`,
      }),
    );
    expect(granted.statusCode).toBe(201);
    const response = await put(first, southManager);
    expect(response.statusCode).toBe(403);
    expect(problemOf(response).detail).toBe('Only a team manager of the team that holds this case can change its allocation.');
    // The front door's team manager has no relationship with the case: it is not there for them.
    const frontDoorManager = claimsOf({ userId: 'tm-0007', name: 'Pat Reid', teamId: 'front-door' }, '[front-door team-manager]');
    expect((await put(first, frontDoorManager)).statusCode).toBe(404);
  });
});

describe('GET /api/cases/caseload and /api/cases/team', () => {
  it("lists the worker's own cases with their slots, and the team's with their social worker", async () => {
    await put(first);
    const caseload = await get('/api/cases/caseload', claimsOf(people.danaLewis, '[adult-specialist]'));
    expect(caseload.statusCode).toBe(200);
    expect(JSON.parse(caseload.body ?? '{}')).toEqual({
      cases: [
        {
          caseId,
          reference: 'FSP-2026-000123',
          status: 'assessment',
          urgent: false,
          teamId: NORTH,
          assessmentDueDate: expect.any(String),
          assessmentDueBy: expect.any(String),
          nextDeadline: { timescale: 'assessment', dueDate: expect.any(String), dueBy: expect.any(String) },
          slots: ['domestic-abuse-victim'],
        },
      ],
    });
    expect(JSON.parse((await get('/api/cases/caseload', claimsOf(people.grace, '[adult-specialist]'))).body ?? '{}')).toEqual({
      cases: [],
    });

    const team = JSON.parse((await get('/api/cases/team', samOkafor)).body ?? '{}');
    expect(team).toEqual({
      teamId: NORTH,
      cases: [expect.objectContaining({ caseId, socialWorker: { userId: 'sw-0001', name: 'Sam Okafor' }, socialWorkerChanges: 0 })],
    });
  });

  it('answers 400 naming the cursor when it is not one the list gave', async () => {
    const response = await get('/api/cases/caseload?cursor=%21%21', samOkafor);
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors).toEqual([expect.objectContaining({ in: 'query', path: '$.cursor' })]);
    expect((await get('/api/cases/team?cursor=bm90LWEtcG9zaXRpb24', samOkafor)).statusCode).toBe(400);
  });

  it('refuses the front door and administrators', async () => {
    expect((await get('/api/cases/caseload', frontDoor)).statusCode).toBe(403);
    expect((await get('/api/cases/team', administrator)).statusCode).toBe(403);
  });
});
