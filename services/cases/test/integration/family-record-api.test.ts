/**
 * The family network's and the case summary's JSON routes through the real handler against
 * DynamoDB Local: reading (audited), changing on the version read (409 with the current version
 * when it has moved), the fields a refused body must correct (400), and 404 for a case the worker
 * may not see, exactly as for one that does not exist.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, problemOf, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { caseAuditItems } from '../support/audit';
import { casesHttpHandler } from '../support/http';
import { referralAccepted } from '../support/referral-accepted';

const NOW = '2026-01-06T09:15:00.000Z';
const referralId = '01JGZ8Q4V7K3M2N5P6R8S9T0VW';
const caseId = caseIdForReferral(referralId);

const socialWorker = workerClaims({
  sub: 'user-social-worker',
  'cognito:username': 'alex.jones',
  name: 'Alex Jones',
  'cognito:groups': '[social-worker]',
});
const specialist = workerClaims({
  sub: 'user-specialist',
  'cognito:username': 'jo.reed',
  name: 'Jo Reed',
  'cognito:groups': '[adult-specialist]',
});
const frontDoor = workerClaims({
  sub: 'user-front-door',
  'cognito:username': 'femi',
  'cognito:groups': '[front-door]',
  'custom:team': 'front-door',
});
const otherTeam = workerClaims({
  sub: 'user-other',
  'cognito:username': 'kim.lee',
  'cognito:groups': '[social-worker]',
  'custom:team': 'team-south-2',
});
const administrator = workerClaims({ sub: 'user-admin', 'cognito:username': 'pat.admin', 'cognito:groups': '[administrator]' });

let table: TestTable;
let runtime: ServiceRuntime;
let api: ReturnType<typeof casesHttpHandler>;

beforeEach(async () => {
  const setup = await createTestRuntime('cases', fixedClock(NOW));
  table = setup.table;
  runtime = setup.runtime;
  api = casesHttpHandler(runtime);
  await deliverUntilAccepted(createReferralAcceptedConsumer(runtime), [referralAccepted({ referralId })]);
});
afterEach(async () => {
  await table.drop();
});

const call = (method: string, path: string, claims = socialWorker, body?: object) =>
  api(apiGatewayEvent({ method, path, claims, requestId: `req-${randomUUID()}`, ...(body ? { body } : {}) }));
const bodyOf = (response: { body?: string }) => JSON.parse(response.body ?? '{}');

const auditOf = (id: string) => caseAuditItems(table, id);

const grandmother = {
  kind: 'add',
  group: 'widerFamily',
  person: { firstName: 'Pat', lastName: 'Jones', relationship: 'maternal grandmother', possibleFamilyGroupConferenceParticipant: true },
};

describe('GET /api/cases/{caseId}/network', () => {
  it('shows the network the case opened with, at version 1, and audits the read', async () => {
    const response = await call('GET', `/api/cases/${caseId}/network`);
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['cache-control']).toBe('no-store');
    expect(response.headers?.etag).toBe('"1"');
    const body = bodyOf(response);
    expect(body).toMatchObject({ caseId, version: 1, updatedAt: NOW });
    expect(body.network.children.map((child: { firstName: string }) => child.firstName)).toEqual(['Mia', 'Baby']);
    expect(body.network.adults.map((adult: { firstName: string }) => adult.firstName)).toEqual(['Kerry', 'Dean']);
    expect(await auditOf(caseId)).toEqual([expect.objectContaining({ userId: 'user-social-worker', reason: 'team-member' })]);
  });

  it('answers another team’s worker exactly as a case that does not exist (404), audits the denial, and refuses an administrator (403)', async () => {
    const hidden = await call('GET', `/api/cases/${caseId}/network`, otherTeam);
    const missing = await call('GET', '/api/cases/case-nothing-here/network', otherTeam);
    expect([hidden.statusCode, missing.statusCode]).toEqual([404, 404]);
    const { requestId: _a, instance: _b, ...hiddenProblem } = problemOf(hidden);
    const { requestId: _c, instance: _d, ...missingProblem } = problemOf(missing);
    expect(hiddenProblem).toEqual(missingProblem);
    expect((await call('GET', `/api/cases/${caseId}/network`, administrator)).statusCode).toBe(403);
    expect(await auditOf(caseId)).toEqual([
      expect.objectContaining({ kind: 'case-read-denied', reason: 'no-relationship', what: 'GET /api/cases/{caseId}/network' }),
    ]);
  });
});

describe('POST /api/cases/{caseId}/network/changes', () => {
  it('adds a person (making their id), moves the version on and says who changed it', async () => {
    const response = await call('POST', `/api/cases/${caseId}/network/changes`, specialist, { version: 1, ...grandmother });
    expect(response.statusCode).toBe(200);
    const body = bodyOf(response);
    expect(body).toMatchObject({ version: 2, updatedBy: { userId: 'user-specialist', name: 'Jo Reed' } });
    expect(body.network.widerFamily).toEqual([
      expect.objectContaining({
        firstName: 'Pat',
        possibleFamilyGroupConferenceParticipant: true,
        personId: expect.stringMatching(/^person-/),
      }),
    ]);
    expect((await call('GET', `/api/cases/${caseId}/network`)).headers?.etag).toBe('"2"');
  });

  it('answers 409 with the current version when the change was made from an older one, and changes nothing', async () => {
    expect((await call('POST', `/api/cases/${caseId}/network/changes`, socialWorker, { version: 1, ...grandmother })).statusCode).toBe(200);
    const stale = await call('POST', `/api/cases/${caseId}/network/changes`, specialist, {
      version: 1,
      kind: 'remove',
      group: 'adults',
      personId: 'adult-anything',
      reason: 'Moved out',
    });
    expect(stale.statusCode).toBe(409);
    expect(problemOf(stale)).toMatchObject({ status: 409, type: 'urn:fsp:problem:stale-version', currentVersion: 2 });
    expect((problemOf(stale).network as { widerFamily: unknown[] }).widerFamily).toHaveLength(1);
    expect(bodyOf(await call('GET', `/api/cases/${caseId}/network`)).version).toBe(2);
  });

  it('lets exactly one of two changes sent at once from the same version through; the other is a 409', async () => {
    const [one, two] = await Promise.all([
      call('POST', `/api/cases/${caseId}/network/changes`, socialWorker, { version: 1, ...grandmother }),
      call('POST', `/api/cases/${caseId}/network/changes`, specialist, {
        version: 1,
        ...grandmother,
        person: { ...grandmother.person, firstName: 'Sue' },
      }),
    ]);
    expect([one.statusCode, two.statusCode].sort()).toEqual([200, 409]);
    expect(bodyOf(await call('GET', `/api/cases/${caseId}/network`)).network.widerFamily).toHaveLength(1);
  });

  it('answers 400 naming each field to correct, and changes nothing', async () => {
    const response = await call('POST', `/api/cases/${caseId}/network/changes`, socialWorker, {
      version: 'one',
      kind: 'add',
      group: 'children',
      person: {
        personId: 'child-new',
        firstName: '',
        lastName: 'Jones',
        unborn: false,
        nhsNumber: '1234567890',
        disabilities: ['NONE', 'MOB'],
      },
    });
    expect(response.statusCode).toBe(400);
    const paths = (problemOf(response).errors ?? []).map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['$.version', '$.person.firstName', '$.person.nhsNumber', '$.person.disabilities']));
    expect(problemOf(response).errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: '$.person.firstName', message: 'Enter the child’s first name' })]),
    );
    expect(bodyOf(await call('GET', `/api/cases/${caseId}/network`)).version).toBe(1);
  });

  it('answers 400 for what the network refuses: a child cannot be removed, an unknown person, a future birth date, a relationship to a stranger', async () => {
    const network = bodyOf(await call('GET', `/api/cases/${caseId}/network`)).network;
    const kerry = network.adults[0];
    const cases: Array<[object, string]> = [
      [{ kind: 'remove', group: 'children', personId: 'child-01JGZ8R1', reason: 'Left' }, '$.group'],
      [{ kind: 'remove', group: 'adults', personId: 'adult-nobody', reason: 'Left' }, '$.personId'],
      [
        { kind: 'correct', group: 'adults', personId: kerry.personId, person: { ...kerry, dateOfBirth: '2030-01-01' } },
        '$.person.dateOfBirth',
      ],
      [
        {
          kind: 'correct',
          group: 'adults',
          personId: kerry.personId,
          person: { ...kerry, relationships: [{ childId: 'child-elsewhere', relationship: 'aunt' }] },
        },
        '$.person.relationships',
      ],
      [{ kind: 'correct', group: 'adults', personId: kerry.personId, person: kerry }, '$.person'],
    ];
    for (const [change, path] of cases) {
      const response = await call('POST', `/api/cases/${caseId}/network/changes`, socialWorker, { version: 1, ...change });
      expect({ path, status: response.statusCode }).toEqual({ path, status: 400 });
      expect((problemOf(response).errors ?? []).map((error) => error.path)).toContain(path);
    }
    expect(bodyOf(await call('GET', `/api/cases/${caseId}/network`)).version).toBe(1);
  });

  it('answers 404 to another team’s worker and for a missing case, and 403 to the front door (it only reads)', async () => {
    expect((await call('POST', `/api/cases/${caseId}/network/changes`, otherTeam, { version: 1, ...grandmother })).statusCode).toBe(404);
    expect(
      (await call('POST', '/api/cases/case-nothing-here/network/changes', socialWorker, { version: 1, ...grandmother })).statusCode,
    ).toBe(404);
    expect((await call('POST', `/api/cases/${caseId}/network/changes`, frontDoor, { version: 1, ...grandmother })).statusCode).toBe(403);
    expect(bodyOf(await call('GET', `/api/cases/${caseId}/network`)).version).toBe(1);
  });
});

describe('the case summary’s routes', () => {
  it('writes the first summary at version 0, changes it on the version read, answers a stale write 409 and a bad one 400', async () => {
    expect(bodyOf(await call('GET', `/api/cases/${caseId}/summary`))).toEqual({ caseId, version: 0 });

    const first = await call('PUT', `/api/cases/${caseId}/summary`, socialWorker, {
      version: 0,
      text: '  Mia (8) lives with her mother.\r\n\r\nBaby due in April.  ',
    });
    expect(first.statusCode).toBe(200);
    expect(bodyOf(first)).toEqual({
      caseId,
      version: 1,
      text: 'Mia (8) lives with her mother.\n\nBaby due in April.',
      updatedAt: NOW,
      updatedBy: { userId: 'user-social-worker', name: 'Alex Jones' },
    });

    const stale = await call('PUT', `/api/cases/${caseId}/summary`, specialist, { version: 0, text: 'Another start' });
    expect(stale.statusCode).toBe(409);
    expect(problemOf(stale)).toMatchObject({ currentVersion: 1, text: 'Mia (8) lives with her mother.\n\nBaby due in April.' });

    const tooLong = await call('PUT', `/api/cases/${caseId}/summary`, specialist, { version: 1, text: 'x'.repeat(2001) });
    const empty = await call('PUT', `/api/cases/${caseId}/summary`, specialist, { version: 1, text: '   ' });
    const hidden = await call('PUT', `/api/cases/${caseId}/summary`, specialist, { version: 1, text: 'Right\u202Eto left' });
    for (const [response, message] of [
      [tooLong, 'The case summary must be 2000 characters or fewer'],
      [empty, 'Enter the case summary'],
      [hidden, 'The case summary must not contain invisible or control characters'],
    ] as const) {
      expect(response.statusCode).toBe(400);
      expect(problemOf(response).errors).toEqual([expect.objectContaining({ path: '$.text', message })]);
    }

    const second = await call('PUT', `/api/cases/${caseId}/summary`, specialist, { version: 1, text: 'x'.repeat(2000) });
    expect(bodyOf(second)).toMatchObject({ version: 2, updatedBy: { name: 'Jo Reed' } });
  });

  it('answers 404 for another team’s case, 403 to the front door’s write, and 404 to its read: the front door reads a case only through its referral', async () => {
    expect((await call('GET', `/api/cases/${caseId}/summary`, otherTeam)).statusCode).toBe(404);
    expect((await call('PUT', `/api/cases/${caseId}/summary`, otherTeam, { version: 0, text: 'Hello' })).statusCode).toBe(404);
    expect((await call('PUT', `/api/cases/${caseId}/summary`, frontDoor, { version: 0, text: 'Hello' })).statusCode).toBe(403);
    expect((await call('GET', `/api/cases/${caseId}/summary`, frontDoor)).statusCode).toBe(404);
  });
});
