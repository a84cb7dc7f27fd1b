import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, problemOf, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { caseAuditItems } from '../support/audit';
import { casesHttpHandler } from '../support/http';
import { referralAccepted } from '../support/referral-accepted';

const READ_AT = '2026-01-06T09:15:00.000Z';
let table: TestTable;
let runtime: ServiceRuntime;
let api: ReturnType<typeof casesHttpHandler>;
const referralId = '01JGZ8Q4V7K3M2N5P6R8S9T0VW';
const caseId = caseIdForReferral(referralId);

const teamMember = workerClaims({ sub: 'user-social-worker', 'cognito:username': 'alex.jones', 'cognito:groups': '[social-worker]' });
const frontDoor = workerClaims({
  sub: 'user-front-door',
  'cognito:username': 'sam.patel',
  'cognito:groups': '[front-door]',
  'custom:team': 'front-door',
});
const otherTeam = workerClaims({
  sub: 'user-other',
  'cognito:username': 'kim.lee',
  'cognito:groups': '[team-manager social-worker]',
  'custom:team': 'team-south-2',
});

beforeEach(async () => {
  const setup = await createTestRuntime('cases', fixedClock(READ_AT));
  table = setup.table;
  runtime = setup.runtime;
  api = casesHttpHandler(runtime);
  await deliverUntilAccepted(createReferralAcceptedConsumer(runtime), [referralAccepted({ referralId })]);
});
afterEach(async () => {
  await table.drop();
});

const get = (path: string, claims = teamMember, requestId = `req-${randomUUID()}`) => api(apiGatewayEvent({ path, claims, requestId }));

const auditOf = (id: string) => caseAuditItems(table, id);

describe('GET /api/cases/{caseId}', () => {
  it('shows a team member the case with its chronology, and audits the read', async () => {
    const response = await get(`/api/cases/${caseId}`, teamMember, 'req-team-read-1');
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['cache-control']).toBe('no-store');
    const body = JSON.parse(response.body ?? '{}');
    expect(body).toMatchObject({
      id: caseId,
      referralId,
      reference: 'FSP-2026-000123',
      status: 'assessment',
      teamId: 'team-north-1',
      urgent: false,
      openedAt: READ_AT,
      assessmentDueBy: '2026-03-09T23:59:59.999Z',
      children: [
        { childId: 'child-01JGZ8R1', unborn: false, dateOfBirth: '2017-03-14' },
        { childId: 'child-01JGZ8R2', unborn: true, dateOfBirth: '2026-04-02' },
      ],
    });
    expect(body.chronology).toEqual([
      expect.objectContaining({ text: 'Case opened from referral FSP-2026-000123: Child and Family assessment' }),
    ]);

    expect(await auditOf(caseId)).toEqual([
      expect.objectContaining({
        kind: 'case-read',
        caseId,
        userId: 'user-social-worker',
        username: 'alex.jones',
        reason: 'team-member',
        requestId: 'req-team-read-1',
        at: READ_AT,
        gsi1pk: 'AUDIT#USER#user-social-worker',
      }),
    ]);
  });

  it('shows the front door the case only through the referral it names, audited as read through it; without, the same 404', async () => {
    const response = await get(`/api/cases/${caseId}?referralId=${referralId}`, frontDoor, 'req-front-door-1');
    expect(response.statusCode).toBe(200);
    expect((await get(`/api/cases/${caseId}`, frontDoor, 'req-front-door-2')).statusCode).toBe(404);
    expect((await get(`/api/cases/${caseId}?referralId=ref-of-another-case`, frontDoor, 'req-front-door-3')).statusCode).toBe(404);
    expect(await auditOf(caseId)).toEqual([
      expect.objectContaining({
        kind: 'case-read-denied',
        userId: 'user-front-door',
        reason: 'no-relationship',
        requestId: 'req-front-door-2',
      }),
      expect.objectContaining({
        kind: 'case-read-denied',
        userId: 'user-front-door',
        reason: 'no-relationship',
        requestId: 'req-front-door-3',
      }),
      expect.objectContaining({
        kind: 'case-read',
        userId: 'user-front-door',
        reason: 'front-door-referral',
        requestId: 'req-front-door-1',
      }),
    ]);
  });

  it('writes one audit item per read', async () => {
    for (let read = 0; read < 3; read += 1) expect((await get(`/api/cases/${caseId}`)).statusCode).toBe(200);
    expect(await auditOf(caseId)).toHaveLength(3);
  });

  it('answers a worker of another team exactly as for a case that does not exist, and audits the denial', async () => {
    const hidden = await get(`/api/cases/${caseId}`, otherTeam);
    const missing = await get('/api/cases/case-nothing-here', otherTeam);
    expect(hidden.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    const { requestId: _a, instance: _b, ...hiddenProblem } = problemOf(hidden);
    const { requestId: _c, instance: _d, ...missingProblem } = problemOf(missing);
    expect(hiddenProblem).toEqual(missingProblem);
    expect(await auditOf(caseId)).toEqual([
      expect.objectContaining({
        kind: 'case-read-denied',
        userId: 'user-other',
        reason: 'no-relationship',
        what: 'GET /api/cases/{caseId}',
      }),
    ]);
    expect(await auditOf('case-nothing-here')).toEqual([
      expect.objectContaining({ kind: 'case-read-denied', userId: 'user-other', reason: 'no-such-case' }),
    ]);
  });

  it('answers 404 to a team member for a case that does not exist', async () => {
    expect((await get('/api/cases/case-nothing-here')).statusCode).toBe(404);
  });

  it("refuses (403) a worker whose roles neither work with families nor are the front door, even in the case's team", async () => {
    const administrator = workerClaims({ sub: 'user-admin', 'cognito:username': 'pat.admin', 'cognito:groups': '[administrator]' });
    for (const path of [`/api/cases/${caseId}`, `/api/cases?referralId=${referralId}`]) {
      const response = await get(path, administrator);
      expect({ path, status: response.statusCode }).toEqual({ path, status: 403 });
      expect(response.body).not.toContain('FSP-2026-000123');
    }
    expect(await auditOf(caseId)).toEqual([]);
  });

  it('answers 401 without a sign-in and 400 for a malformed id', async () => {
    expect((await api(apiGatewayEvent({ path: `/api/cases/${caseId}` }))).statusCode).toBe(401);
    expect((await get('/api/cases/not%20an%20id')).statusCode).toBe(400);
  });

  it('fails the read (5xx, no case in the answer) when the audit cannot be written', async () => {
    const failingAudit = {
      send: (command: unknown) => {
        if (command instanceof PutCommand) return Promise.reject(new Error('audit store unavailable'));
        return runtime.documents.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const response = await casesHttpHandler({ ...runtime, documents: failingAudit })(
      apiGatewayEvent({ path: `/api/cases/${caseId}`, claims: teamMember }),
    );
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('FSP-2026-000123');
  });

  it('fails a read whose request id already has this read audited at this instant, rather than show it unaudited', async () => {
    expect((await get(`/api/cases/${caseId}`, teamMember, 'req-replayed')).statusCode).toBe(200);
    const replayed = await get(`/api/cases/${caseId}`, teamMember, 'req-replayed');
    expect(replayed.statusCode).toBe(500);
    expect(replayed.body).not.toContain('FSP-2026-000123');
    expect(await auditOf(caseId)).toHaveLength(1);
  });
});

describe('GET /api/cases?referralId=', () => {
  it('follows a referral to the case opened from it, for the front door and the team', async () => {
    const response = await get(`/api/cases?referralId=${referralId}`, frontDoor, 'req-follow-1');
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ id: caseId, referralId });
    expect((await get(`/api/cases?referralId=${referralId}`, teamMember)).statusCode).toBe(200);
    // The fixed clock gives both reads the same instant, so their order in the partition is the request ids'.
    const audit = await auditOf(caseId);
    expect(audit).toHaveLength(2);
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'front-door-referral', requestId: 'req-follow-1' }),
        expect.objectContaining({ reason: 'team-member', userId: 'user-social-worker' }),
      ]),
    );
  });

  it('follows a referral added to an open case to that case', async () => {
    const added = referralAccepted({
      referralId: 'ref-added',
      reference: 'FSP-2026-000200',
      outcome: 'added-to-open-case',
      existingCaseId: caseId,
    });
    await deliverUntilAccepted(createReferralAcceptedConsumer(runtime), [added]);
    const response = await get('/api/cases?referralId=ref-added', frontDoor);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ id: caseId, referralId });
  });

  it('answers 404 to another team, and for a referral with no case', async () => {
    expect((await get(`/api/cases?referralId=${referralId}`, otherTeam)).statusCode).toBe(404);
    expect((await get('/api/cases?referralId=ref-unknown', frontDoor)).statusCode).toBe(404);
    expect(await itemsOfKind(table, 'case-read')).toEqual([]);
  });

  it('answers 400 without a referral id', async () => {
    const response = await get('/api/cases');
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors).toEqual([expect.objectContaining({ in: 'query', path: '$.referralId' })]);
  });
});

describe('stored items are validated when read back', () => {
  it('fails loudly (500) on a malformed case item rather than showing it', async () => {
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { pk: 'CASE#case-broken', sk: 'CASE', kind: 'case', caseId: 'case-broken', teamId: 'team-north-1' },
      }),
    );
    expect((await get('/api/cases/case-broken')).statusCode).toBe(500);
  });

  it('fails loudly (500) on an item the case partition should not hold, and audits nothing', async () => {
    await table.documentClient.send(
      new PutCommand({ TableName: table.tableName, Item: { pk: `CASE#${caseId}`, sk: 'NOTE#2026-01-06', kind: 'note' } }),
    );
    const response = await get(`/api/cases/${caseId}`);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('FSP-2026-000123');
    expect(await auditOf(caseId)).toEqual([]);
  });

  it('fails loudly (500) on chronology entries whose case item is missing', async () => {
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          pk: 'CASE#case-headless',
          sk: 'CHRONO#2026-01-05T15:10:02.000Z#case-opened-1',
          kind: 'chronology',
          entryId: 'case-opened-1',
          caseId: 'case-headless',
          entryKind: 'case-opened',
          at: '2026-01-05T15:10:02.000Z',
          text: 'Case opened from referral FSP-2026-000999: Child and Family assessment',
          referralId: 'ref-headless',
          sourceEventId: 'event-1',
        },
      }),
    );
    expect((await get('/api/cases/case-headless')).statusCode).toBe(500);
  });
});
