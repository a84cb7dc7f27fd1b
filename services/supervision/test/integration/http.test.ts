import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createHttpHandler, type HttpHandler } from '@fsp/shared/http/handler';
import { apiGatewayEvent, problemOf, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { workerRoutes } from '../../src/http/workers';
import { openAndAllocate } from '../support/cases';

let table: TestTable;
let api: HttpHandler;

const northWorker = workerClaims({ sub: 'user-north', 'cognito:username': 'alex.jones', 'cognito:groups': '[social-worker]' });
const northManager = workerClaims({ sub: 'user-north-tm', 'cognito:username': 'pat.reid', 'cognito:groups': '[team-manager]' });
const southManager = workerClaims({
  sub: 'user-south-tm',
  'cognito:username': 'kim.lee',
  'cognito:groups': '[team-manager]',
  'custom:team': 'team-south-2',
});
const frontDoor = workerClaims({
  sub: 'user-fd',
  'cognito:username': 'sam.patel',
  'cognito:groups': '[front-door]',
  'custom:team': 'front-door',
});
// An administrator placed in a case-holding team: team membership alone does not admit a role that does not work with families.
const administrator = workerClaims({
  sub: 'user-admin',
  'cognito:username': 'alex.green',
  'cognito:groups': '[administrator]',
  'custom:team': 'team-north-1',
});

// Opened (and each given its first social worker as it opened) in an order different from their due order, across
// teams; one opened but not allocated yet.
const CASES = [
  { caseId: 'case-north-unallocated', teamId: 'team-north-1', openedAt: '2026-03-09T10:00:00.000Z', allocatedAt: null },
  { caseId: 'case-north-late', teamId: 'team-north-1', openedAt: '2026-03-06T10:00:00.000Z' }, // due 2026-04-06
  { caseId: 'case-north-early', teamId: 'team-north-1', openedAt: '2026-01-05T15:10:02.000Z' }, // due 2026-02-05
  { caseId: 'case-south', teamId: 'team-south-2', openedAt: '2026-01-02T10:00:00.000Z' }, // due 2026-02-02
  { caseId: 'case-north-middle', teamId: 'team-north-1', openedAt: '2026-02-28T12:00:00.000Z' }, // due 2026-03-28
];

beforeAll(async () => {
  const setup = await createTestRuntime('supervision', fixedClock('2026-03-10T09:00:00.000Z'));
  table = setup.table;
  api = createHttpHandler(workerRoutes(setup.runtime), { logger: setup.runtime.logger });
  await openAndAllocate(setup.runtime, CASES);
});
afterAll(async () => {
  await table.drop();
});

const get = (path: string, claims = northWorker) => api(apiGatewayEvent({ path, claims }));
const bodyOf = (response: { body?: string }) => JSON.parse(response.body ?? '{}');

describe('GET /api/supervision/cases/{caseId}', () => {
  it("shows a member of the case's team its scheduled supervisions", async () => {
    const response = await get('/api/supervision/cases/case-north-early');
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['cache-control']).toBe('no-store');
    expect(bodyOf(response)).toEqual({
      caseId: 'case-north-early',
      teamId: 'team-north-1',
      reference: expect.any(String),
      ratings: [],
      supervisions: [
        expect.objectContaining({
          id: expect.stringMatching(/^sup-/),
          caseId: 'case-north-early',
          sequence: 1,
          status: 'scheduled',
          dueDate: '2026-02-05',
          dueBy: '2026-02-05T23:59:59.999Z',
          scheduledFor: '2026-02-05T10:00:00.000Z',
        }),
      ],
      amendments: [],
      actions: [],
      consultations: [],
    });
  });

  it('shows a case opened but not yet allocated with no supervision: the first waits for its social worker', async () => {
    const response = await get('/api/supervision/cases/case-north-unallocated');
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({
      caseId: 'case-north-unallocated',
      teamId: 'team-north-1',
      ...(bodyOf(response).reference ? { reference: bodyOf(response).reference } : {}),
      ratings: [],
      supervisions: [],
      amendments: [],
      actions: [],
      consultations: [],
    });
  });

  it('answers a worker of another team exactly as for a case it does not know', async () => {
    const hidden = await get('/api/supervision/cases/case-north-early', southManager);
    const missing = await get('/api/supervision/cases/case-unknown', southManager);
    for (const response of [hidden, missing]) expect(response.statusCode).toBe(404);
    const { requestId: _a, instance: _b, ...hiddenProblem } = problemOf(hidden);
    const { requestId: _c, instance: _d, ...missingProblem } = problemOf(missing);
    expect(hiddenProblem).toEqual(missingProblem);
  });

  it('answers 401 without a sign-in', async () => {
    expect((await api(apiGatewayEvent({ path: '/api/supervision/cases/case-north-early' }))).statusCode).toBe(401);
  });
});

describe('GET /api/supervision/teams/{teamId}/agenda', () => {
  it("lists the team's scheduled supervisions, earliest due first, and no other team's", async () => {
    for (const member of [northManager, northWorker]) {
      const response = await get('/api/supervision/teams/team-north-1/agenda', member);
      expect(response.statusCode).toBe(200);
      const body = bodyOf(response);
      expect(body.teamId).toBe('team-north-1');
      expect(body.supervisions.map((s: { caseId: string }) => s.caseId)).toEqual([
        'case-north-early',
        'case-north-middle',
        'case-north-late',
      ]);
      expect(body.supervisions.map((s: { dueBy: string }) => s.dueBy)).toEqual([
        '2026-02-05T23:59:59.999Z',
        '2026-03-28T23:59:59.999Z',
        '2026-04-06T22:59:59.999Z',
      ]);
    }
    expect(bodyOf(await get('/api/supervision/teams/team-south-2/agenda', southManager)).supervisions).toEqual([
      expect.objectContaining({ caseId: 'case-south', dueDate: '2026-02-02' }),
    ]);
  });

  it("refuses another team's agenda with 403", async () => {
    expect((await get('/api/supervision/teams/team-north-1/agenda', southManager)).statusCode).toBe(403);
    expect((await get('/api/supervision/teams/team-north-1/agenda', frontDoor)).statusCode).toBe(403);
  });

  it('shows an empty agenda to the members of a team with nothing scheduled', async () => {
    const westManager = workerClaims({
      sub: 'user-west-tm',
      'cognito:username': 'lee.west',
      'cognito:groups': '[team-manager]',
      'custom:team': 'team-west-3',
    });
    const response = await get('/api/supervision/teams/team-west-3/agenda', westManager);
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response).supervisions).toEqual([]);
  });

  it('refuses the front door, which holds no cases, even its own team’s agenda', async () => {
    for (const path of ['/api/supervision/teams/front-door/agenda', '/api/supervision/cases/case-north-early']) {
      expect((await get(path, frontDoor)).statusCode).toBe(403);
    }
  });
});

describe('who is admitted', () => {
  it('refuses a role that does not work with families (an administrator) with 403 on both routes, even in the team', async () => {
    for (const path of ['/api/supervision/cases/case-north-early', '/api/supervision/teams/team-north-1/agenda']) {
      const response = await get(path, administrator);
      expect(response.statusCode).toBe(403);
      expect(problemOf(response).detail).toMatch(/your account does not have that role/);
    }
  });
});

describe('stored items are validated when read back', () => {
  it('fails loudly (500) on a malformed supervision item', async () => {
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          pk: 'CASE#case-broken',
          sk: 'CASE',
          kind: 'case',
          caseId: 'case-broken',
          teamId: 'team-north-1',
          openedAt: '2026-01-05T10:00:00.000Z',
        },
      }),
    );
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { pk: 'CASE#case-broken', sk: 'SUPERVISION#0001', kind: 'supervision', status: 'lost' },
      }),
    );
    expect((await get('/api/supervision/cases/case-broken')).statusCode).toBe(500);
  });
});
