/**
 * Stages of change (issue 14 Deliver 6) through the real JSON handler and the real pages handler
 * against DynamoDB Local, on one case opened by the real consumer (referral received Monday 5
 * January 2026; now Tuesday 10 February): the API's refusals naming their fields, a recorded
 * assessment and a stale version, the form's error summary, a stage recorded from the page shown
 * with its change, and the same 404 for another team's worker as for an unknown case.
 */
import { randomUUID } from 'node:crypto';
import { csrfTokenFor } from '@fsp/shared/http/session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { mainTextOf } from '@fsp/shared/testing/html';
import type { PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { createCaseStore } from '../../src/store/case-store';
import { claimsOf } from '../support/claims';
import { NORTH, people } from '../support/directory';
import { casesHttpHandler } from '../support/http';
import { casesPagesVisitor } from '../support/pages';
import { referralAccepted } from '../support/referral-accepted';

const NOW = '2026-02-10T14:30:00.000Z';
const ORIGIN = 'http://127.0.0.1:3000';
const referralId = 'ref-motivation-1';
const caseId = caseIdForReferral(referralId);
const page = `/cases/${caseId}/motivation`;

const samOkafor = claimsOf(people.samOkafor, '[social-worker]');
const southWorker = claimsOf({ userId: 'sw-0099', name: 'Jo South', teamId: 'team-south-2' }, '[social-worker]');
const ruth: PageWorker = { userId: 'sw-0002', name: 'Ruth Hale', roles: ['social-worker'], teamId: NORTH };
const south: PageWorker = { userId: 'sw-0099', name: 'Jo South', roles: ['social-worker'], teamId: 'team-south-2' };

let table: TestTable;
let runtime: ServiceRuntime;
let api: ReturnType<typeof casesHttpHandler>;
let visitor: ReturnType<typeof pageVisitor>;
let adult: { personId: string; name: string };

beforeAll(async () => {
  ({ table, runtime } = await createTestRuntime('cases', fixedClock(NOW)));
  api = casesHttpHandler(runtime);
  ({ visitor } = casesPagesVisitor(runtime, ORIGIN));
  await deliverUntilAccepted(createReferralAcceptedConsumer({ ...runtime, clock: () => new Date('2026-01-05T15:10:01.000Z') }), [
    referralAccepted({ referralId, teamId: NORTH }),
  ]);
  const first = (await createCaseStore(runtime.documents, runtime.tableName).readCase(caseId))?.network?.network.adults[0];
  if (!first) throw new Error('the case opened without an adult in its network');
  adult = { personId: first.personId, name: `${first.firstName} ${first.lastName}` };
});
afterAll(async () => {
  await table.drop();
});

const send = async (method: string, body?: object, claims = samOkafor) => {
  const response = await api(
    apiGatewayEvent({
      method,
      path: `/api/cases/${caseId}/motivation`,
      claims,
      requestId: `req-${randomUUID()}`,
      ...(body ? { body } : {}),
    }),
  );
  return { status: response.statusCode, body: JSON.parse(response.body ?? '{}') };
};
const assessment = (change: object = {}) => ({
  version: 0,
  personId: adult.personId,
  concern: 'alcohol',
  stage: 'precontemplation',
  assessedOn: '2026-01-20',
  note: 'Says her drinking is not a problem for the children.',
  ...change,
});
const post = (worker: PageWorker, fields: Record<string, string>) =>
  visitor.post(worker, `${page}/new`, { csrfToken: csrfTokenFor(visitor.sessionOf(worker)), ...fields });

test('the API refuses an adult not in the network and a date in the future or before the case opened, naming the field', async () => {
  expect((await send('GET')).body).toMatchObject({ caseId, version: 0, adults: [] });
  for (const [change, path] of [
    [{ personId: 'child-01JGZ8R1' }, '$.personId'],
    [{ assessedOn: '2026-02-11' }, '$.assessedOn'],
    [{ assessedOn: '2026-01-04' }, '$.assessedOn'],
    [{ concern: 'other' }, '$.otherConcern'],
    [{ stage: 'denial' }, '$.stage'],
  ] as const) {
    const refused = await send('POST', assessment(change));
    expect({ change, status: refused.status, paths: JSON.stringify(refused.body) }).toEqual({
      change,
      status: 400,
      paths: expect.stringContaining(path),
    });
  }
});

test('the API records an assessment on its version; the same version again is a 409', async () => {
  const recorded = await send('POST', assessment());
  expect(recorded.status).toBe(201);
  expect(recorded.body).toMatchObject({
    version: 1,
    adults: [{ personId: adult.personId, name: adult.name, concerns: [{ concern: 'alcohol', latestStage: 'precontemplation' }] }],
  });
  expect((await send('POST', assessment({ stage: 'contemplation' }))).status).toBe(409);
  expect((await send('GET', undefined, southWorker)).status).toBe(404);
  expect((await send('POST', assessment({ version: 1 }), southWorker)).status).toBe(404);
});

test('the form: refused answers in the error summary, a stale version told, a recorded stage shown with its change', async () => {
  const form = await visitor.get(ruth, `${page}/new?personId=${adult.personId}&concern=alcohol`);
  expect(form.statusCode).toBe(200);
  expect(form.body).toContain('name="version" value="1"');

  const empty = await post(ruth, { version: '1' });
  expect(empty.statusCode).toBe(400);
  const emptyText = mainTextOf(empty.body ?? '');
  for (const message of [
    'Select the adult',
    'Select the concern',
    'Select the stage of change',
    'Enter the date you assessed',
    'Enter a short note',
  ])
    expect(emptyText).toContain(message);

  const answers = {
    personId: adult.personId,
    concern: 'alcohol',
    stage: 'contemplation',
    'assessedOn-day': '9',
    'assessedOn-month': '2',
    'assessedOn-year': '2026',
    note: 'Asked what cutting down would look like.',
  };
  const future = await post(ruth, { ...answers, version: '1', 'assessedOn-day': '12' });
  expect(future.statusCode).toBe(400);
  expect(mainTextOf(future.body ?? '')).toContain('The date assessed must be today or in the past');

  const stale = await post(ruth, { ...answers, version: '0' });
  expect(stale.statusCode).toBe(409);
  expect(mainTextOf(stale.body ?? '')).toContain('changed since you opened this form');

  const recorded = await post(ruth, { ...answers, version: '1' });
  expect(recorded.statusCode).toBe(303);
  expect(recorded.headers?.location).toBe(`${page}?done=recorded`);

  const shown = await visitor.get(ruth, `${page}?done=recorded`);
  const text = mainTextOf(shown.body ?? '');
  expect(text).toContain('The stage of change was recorded.');
  expect(text).toContain(adult.name);
  expect(text).toContain('Precontemplation → Contemplation');
  expect(text.indexOf('Precontemplation → Contemplation')).toBeLessThan(text.indexOf('First assessed'));
  expect(text).toContain('Assessed 9 February 2026');
});

test('another team’s worker gets the page of a case that does not exist', async () => {
  for (const path of [page, `${page}/new`]) {
    const response = await visitor.get(south, path);
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('There is no such case that you can see');
  }
});
