/**
 * Break-glass (issue 12 Deliver 6, ADR 0014 §6) through the real handlers against DynamoDB Local:
 * the JSON route and the pages, who may ask, what is recorded (the grant and its audit item), that
 * the grant opens the case for 8 hours and no longer, and that asking says nothing of whether a
 * case exists until a reason is given (and then the same 404).
 */
import { randomUUID } from 'node:crypto';
import { CSRF_FORM_FIELD } from '@fsp/shared/http/page-session';
import { csrfTokenFor } from '@fsp/shared/http/session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, problemOf, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { mainLinksOf, mainTextOf } from '@fsp/shared/testing/html';
import type { PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { caseAuditItems } from '../support/audit';
import { casesHttpHandler } from '../support/http';
import { casesPagesVisitor } from '../support/pages';
import { referralAccepted } from '../support/referral-accepted';

const OPENED = new Date('2026-01-06T09:00:00.000Z');
const ORIGIN = 'http://127.0.0.1:3000';
const referralId = '01JGZ8Q4V7K3M2N5P6R8S9T0VW';
const caseId = caseIdForReferral(referralId);
const REFERENCE = 'FSP-2026-000123';
const REASON = 'Police called at 11pm about the youngest child; the duty team has no access';

let table: TestTable;
let runtime: ServiceRuntime;
let now: Date;
let api: ReturnType<typeof casesHttpHandler>;
let visitor: ReturnType<typeof pageVisitor>;

const hoursLater = (hours: number) => new Date(OPENED.getTime() + hours * 3_600_000);

beforeEach(async () => {
  now = OPENED;
  const setup = await createTestRuntime('cases', () => now);
  table = setup.table;
  runtime = setup.runtime;
  api = casesHttpHandler(runtime);
  ({ visitor } = casesPagesVisitor(runtime, ORIGIN));
  await deliverUntilAccepted(createReferralAcceptedConsumer(runtime), [referralAccepted({ referralId })]);
});
afterEach(async () => {
  await table.drop();
});

// --- JSON ---------------------------------------------------------------------------------------

const southWorker = workerClaims({
  sub: 'user-south',
  'cognito:username': 'kim.lee',
  name: 'Kim Lee',
  'cognito:groups': '[social-worker]',
  'custom:team': 'team-south-2',
});
const northWorker = workerClaims({ sub: 'user-north', 'cognito:username': 'alex.jones', 'cognito:groups': '[social-worker]' });
const frontDoor = workerClaims({
  sub: 'user-fd',
  'cognito:username': 'sam.patel',
  'cognito:groups': '[front-door]',
  'custom:team': 'front-door',
});

const send = (method: 'GET' | 'POST', path: string, claims: ReturnType<typeof workerClaims>, body?: unknown) =>
  api(
    apiGatewayEvent({
      method,
      path,
      claims,
      requestId: `req-${randomUUID()}`,
      ...(body === undefined ? {} : { body: body as object }),
    }),
  );

const auditOf = (id = caseId) => caseAuditItems(table, id);
const grantsOf = async () => (await allItems(table)).filter((item) => item.kind === 'break-glass');

describe('POST /api/cases/{caseId}/break-glass', () => {
  it('grants a worker of another team the case for 8 hours with their reason, recorded and audited; then no longer', async () => {
    expect((await send('GET', `/api/cases/${caseId}`, southWorker)).statusCode).toBe(404);
    const granted = await send('POST', `/api/cases/${caseId}/break-glass`, southWorker, { reason: `  ${REASON}  ` });
    expect(granted.statusCode).toBe(201);
    expect(JSON.parse(granted.body ?? '{}')).toEqual({
      caseId,
      access: 'break-glass',
      reason: REASON,
      grantedAt: OPENED.toISOString(),
      expiresAt: hoursLater(8).toISOString(),
    });
    expect(await grantsOf()).toEqual([expect.objectContaining({ caseId, userId: 'user-south', name: 'Kim Lee', reason: REASON })]);

    now = hoursLater(7.9);
    const read = await send('GET', `/api/cases/${caseId}`, southWorker);
    expect(read.statusCode).toBe(200);
    expect(JSON.parse(read.body ?? '{}')).toMatchObject({ id: caseId, reference: REFERENCE });

    now = hoursLater(8);
    expect((await send('GET', `/api/cases/${caseId}`, southWorker)).statusCode).toBe(404);

    const audit = await auditOf();
    expect(audit.map(({ kind, reason, userId, what }) => ({ kind, reason, userId, what }))).toEqual([
      { kind: 'case-break-glass', reason: REASON, userId: 'user-south', what: 'POST /api/cases/{caseId}/break-glass' },
      { kind: 'case-read-denied', reason: 'no-relationship', userId: 'user-south', what: 'GET /api/cases/{caseId}' },
      { kind: 'case-read-denied', reason: 'no-relationship', userId: 'user-south', what: 'GET /api/cases/{caseId}' },
      { kind: 'case-read', reason: 'break-glass', userId: 'user-south', what: 'GET /api/cases/{caseId}' },
    ]);
  });

  it('records nothing for a worker who can see the case already', async () => {
    const response = await send('POST', `/api/cases/${caseId}/break-glass`, northWorker, { reason: REASON });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '{}')).toEqual({ caseId, access: 'team-member' });
    expect(await grantsOf()).toEqual([]);
    expect(await auditOf()).toEqual([]);
  });

  it('answers a case that does not exist as any case the worker may not see, audited as denied, with nothing granted', async () => {
    const missing = await send('POST', '/api/cases/case-nothing-here/break-glass', southWorker, { reason: REASON });
    const hidden = await send('GET', `/api/cases/${caseId}`, southWorker);
    expect(missing.statusCode).toBe(404);
    const { requestId: _a, instance: _b, ...missingProblem } = problemOf(missing);
    const { requestId: _c, instance: _d, ...hiddenProblem } = problemOf(hidden);
    expect(missingProblem).toEqual(hiddenProblem);
    expect(await auditOf('case-nothing-here')).toEqual([
      expect.objectContaining({ kind: 'case-read-denied', reason: 'no-such-case', userId: 'user-south' }),
    ]);
    expect(await grantsOf()).toEqual([]);
  });

  it('needs a reason (400 naming it, nothing stored), and is for case-working roles only (403 for the front door)', async () => {
    for (const body of [{}, { reason: '   ' }, { reason: 'x'.repeat(1001) }, { reason: 'bidi\u202Etext' }]) {
      const response = await send('POST', `/api/cases/${caseId}/break-glass`, southWorker, body);
      expect(response.statusCode).toBe(400);
      expect(problemOf(response).errors).toEqual([expect.objectContaining({ path: '$.reason' })]);
    }
    expect((await send('POST', `/api/cases/${caseId}/break-glass`, frontDoor, { reason: REASON })).statusCode).toBe(403);
    expect(await grantsOf()).toEqual([]);
    expect(await auditOf()).toEqual([]);
  });
});

// --- pages --------------------------------------------------------------------------------------

const southPage: PageWorker = { userId: 'user-south', name: 'Kim Lee', roles: ['social-worker'], teamId: 'team-south-2' };
const frontDoorPage: PageWorker = { userId: 'user-fd', name: 'Sam Patel', roles: ['front-door'], teamId: 'front-door' };
const formFields = (worker: PageWorker, reason: string) => ({ reason, [CSRF_FORM_FIELD]: csrfTokenFor(visitor.sessionOf(worker)) });
/** A page's main content without what differs by request (the CSRF token is the session's, so it is the same). */
const mainOf = (html: string | undefined) => mainTextOf(html ?? '');

describe('the break-glass pages', () => {
  it('show the same form for a case that exists and one that does not, with the warning, reading nothing', async () => {
    const existing = await visitor.get(southPage, `/cases/${caseId}/break-glass`);
    const missing = await visitor.get(southPage, '/cases/case-nothing-here/break-glass');
    expect(existing.statusCode).toBe(200);
    expect(missing.statusCode).toBe(200);
    const strip = (html: string | undefined) => (html ?? '').replaceAll(caseId, 'ID').replaceAll('case-nothing-here', 'ID');
    expect(strip(existing.body)).toEqual(strip(missing.body));
    expect(existing.body).not.toContain(REFERENCE);
    expect(mainOf(existing.body)).toContain(
      'Warning Your name, the time and your reason are recorded and shown to the team manager of the team that holds the case. You can see the case for 8 hours.',
    );
    expect(await auditOf()).toEqual([]);
  });

  it('ask again for a reason with the GOV.UK error summary, storing nothing', async () => {
    const page = await visitor.post(southPage, `/cases/${caseId}/break-glass`, formFields(southPage, ' '));
    expect(page.statusCode).toBe(400);
    expect(mainOf(page.body)).toContain('There is a problem Enter why you need to see this case');
    expect(page.body).toContain('href="#reason"');
    expect(await grantsOf()).toEqual([]);
  });

  it('record the grant and send the worker to the case, which they can then see', async () => {
    const posted = await visitor.post(southPage, `/cases/${caseId}/break-glass`, formFields(southPage, REASON));
    expect(posted.statusCode).toBe(303);
    expect(posted.headers?.location).toBe(`/cases/${caseId}`);
    expect(await grantsOf()).toEqual([expect.objectContaining({ userId: 'user-south', name: 'Kim Lee', reason: REASON })]);
    const page = await visitor.get(southPage, `/cases/${caseId}`);
    expect(page.statusCode).toBe(200);
    expect(mainOf(page.body)).toContain(REFERENCE);
  });

  it('are shown to the team manager of the holding team on the case overview, and to no one else', async () => {
    const northManager: PageWorker = { userId: 'user-tm', name: 'Tara Mensah', roles: ['team-manager'], teamId: 'team-north-1' };
    const northSocialWorker: PageWorker = { userId: 'user-north', name: 'Alex Jones', roles: ['social-worker'], teamId: 'team-north-1' };
    const before = mainOf((await visitor.get(northManager, `/cases/${caseId}`)).body);
    expect(before).toContain('Break-glass use No one from outside the team has asked to see this case.');
    expect((await visitor.post(southPage, `/cases/${caseId}/break-glass`, formFields(southPage, REASON))).statusCode).toBe(303);
    now = hoursLater(1);
    const overview = mainOf((await visitor.get(northManager, `/cases/${caseId}`)).body);
    expect(overview).toContain(`Kim Lee asked on Tuesday 6 January 2026 at 9am Open until 5pm Their reason: ${REASON}`);
    now = hoursLater(9);
    // A session lasts 8 hours at most (WEB.md): the manager signs in again.
    const later = mainOf((await visitor.get({ ...northManager, userId: 'user-tm-next-day' }, `/cases/${caseId}`)).body);
    expect(later).toContain(`Kim Lee asked on Tuesday 6 January 2026 at 9am Their reason: ${REASON}`);
    expect(later).not.toContain('Open until');
    for (const who of [northSocialWorker, { ...southPage, userId: 'user-south-again' }]) {
      const page = await visitor.get(who, `/cases/${caseId}`);
      expect(mainOf(page.body)).not.toContain('Break-glass use');
    }
  });

  it('answer a case that does not exist, once the reason is given, with the same 404 page as any case the worker may not see', async () => {
    const missing = await visitor.post(southPage, '/cases/case-nothing-here/break-glass', formFields(southPage, REASON));
    const hidden = await visitor.get(southPage, '/cases/case-nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(mainOf(missing.body)).toEqual(mainOf(hidden.body));
    expect(mainLinksOf(missing.body ?? '').map((link) => link.href)).toContain('/cases/case-nothing-here/break-glass');
    expect(await auditOf('case-nothing-here')).toEqual([
      expect.objectContaining({ kind: 'case-read-denied', reason: 'no-such-case', what: 'POST /cases/{caseId}/break-glass' }),
      expect.objectContaining({ kind: 'case-read-denied', reason: 'no-such-case', what: 'GET /cases/{caseId}' }),
    ]);
  });

  it('refuse a post without the session’s CSRF token, or from another origin, and the front door altogether', async () => {
    const withoutToken = await visitor.post(southPage, `/cases/${caseId}/break-glass`, { reason: REASON });
    expect(withoutToken.statusCode).toBe(403);
    const foreign = await visitor.post(southPage, `/cases/${caseId}/break-glass`, formFields(southPage, REASON), {
      origin: 'https://evil.example',
    });
    expect(foreign.statusCode).toBe(403);
    expect((await visitor.get(frontDoorPage, `/cases/${caseId}/break-glass`)).statusCode).toBe(403);
    expect(await grantsOf()).toEqual([]);
  });
});
