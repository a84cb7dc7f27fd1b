/**
 * Every supervision route (routes.ts, iterated, so a route added later is tried too) with every
 * relationship and role, through the real handlers against DynamoDB Local. No route answers 2xx to
 * anyone without a legitimate relationship to the case (or, for a team's list, shows them the
 * case); a worker whose role a route admits but who has no relationship gets 404, never 403, and
 * leaves a DENIED audit item in the case's supervision audit partition; a role a route does not
 * admit gets 403 whatever the case. Every read the allocated worker and the holding team make of
 * the case is 2xx and audited READ.
 *
 * A route the test does not know how to call (a parameter it cannot fill, a JSON body it has no
 * valid example of) fails the test, naming it: add it to PARAMETERS or BODIES below.
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CSRF_FORM_FIELD } from '@fsp/shared/http/page-session';
import { csrfTokenFor, generateSessionKey, serializeSessionKeys } from '@fsp/shared/http/session';
import type { HttpRoute } from '@fsp/shared/manifest';
import type { Role } from '@fsp/shared/people';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { type PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { routes } from '../../src/http/routes';
import { routeKeyOf } from '../../src/http/supervision-gate';
import { openAndAllocate } from '../support/cases';
import { fixtureDirectory, person } from '../support/directory';
import { supervisionHttpHandler } from '../support/http';
import { ORIGIN, supervisionPagesHandler } from '../support/pages';

/** Tuesday 10 March 2026, 9am in London. */
const NOW = '2026-03-10T09:00:00.000Z';
const NORTH = 'team-north-1';
const caseId = 'case-access-1';
const REFERENCE = 'FSP-2026-000777';
/** The social worker the CaseAllocated fixture allocates. */
const SW = '3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71';

type Relation = 'allocated' | 'team-member' | 'none';

interface Reader {
  label: string;
  userId: string;
  name: string;
  roles: Role[];
  teamId: string;
  relation: Relation;
}

const READERS: Reader[] = [
  // Allocated, then moved to another team: allocation alone lets them in.
  {
    label: 'allocated social worker',
    userId: SW,
    name: 'Sam Okafor',
    roles: ['social-worker'],
    teamId: 'team-moved-5',
    relation: 'allocated',
  },
  {
    label: 'social worker of the holding team',
    userId: 'sw-0002',
    name: 'Ruth Hale',
    roles: ['social-worker'],
    teamId: NORTH,
    relation: 'team-member',
  },
  {
    label: 'team manager of the holding team',
    userId: 'tm-0001',
    name: 'Tara Mensah',
    roles: ['team-manager'],
    teamId: NORTH,
    relation: 'team-member',
  },
  {
    label: 'worker of another team',
    userId: 'sw-0009',
    name: 'Kim Lee',
    roles: ['social-worker', 'team-manager'],
    teamId: 'team-south-2',
    relation: 'none',
  },
  { label: 'front door', userId: 'fd-0001', name: 'Femi Adeyemi', roles: ['front-door'], teamId: 'front-door', relation: 'none' },
  { label: 'administrator', userId: 'ad-0001', name: 'Ade Bello', roles: ['administrator'], teamId: NORTH, relation: 'none' },
  { label: 'worker with no role', userId: 'nr-0001', name: 'Nia Rowe', roles: [], teamId: NORTH, relation: 'none' },
];
const chair = READERS[2]!;

const directory = fixtureDirectory(READERS.map((reader) => person(reader.userId, reader.name, reader.roles, reader.teamId)));

interface Fixture {
  actionId: string;
}

/** How to fill each path parameter a route has: the scheduled second supervision, the first's action, the holding team. */
const PARAMETERS: Record<string, (fixture: Fixture) => string> = {
  caseId: () => caseId,
  sequence: () => '2',
  actionId: (fixture) => fixture.actionId,
  teamId: () => NORTH,
};

const record = (expectedVersion: number) => ({
  expectedVersion,
  heldOn: '2026-03-09',
  attendees: [SW, chair.userId],
  rating: 'amber',
  ratingRationale: 'Attendance has dropped.',
  discussion: 'We think the mother is frightened to ask for help.',
  decisions: 'Keep the case open.',
  actions: [{ what: 'Visit the grandmother', ownerId: SW, dueDate: '2026-03-20' }],
});

/** A valid body for each JSON route that takes one (valid, so that only the relationship can refuse it); undefined: no body. */
const BODIES: Record<string, () => unknown> = {
  saveRecord: () => ({ expectedVersion: 0, discussion: 'First thoughts.' }),
  completeRecord: () => record(0),
  amendRecord: () => ({ ...record(0), reason: 'The decision was wrong.' }),
  reschedule: () => ({ expectedVersion: 1, scheduledDate: '2026-03-16', reason: 'The chair is on leave.' }),
  completeAction: () => undefined,
  recordConsultation: () => ({ with: 'Dr Priya Shah, clinical psychologist', heldOn: '2026-03-09', notes: 'Talked it through.' }),
};

/** The fields of a page form the route needs to get past its own checks to the access rule. */
const PAGE_FORMS: Record<string, Record<string, string>> = {
  saveRecordPage: { version: '0', actionRows: '0', action: 'save' },
  amendRecordPage: { version: '0', actionRows: '0' },
  reschedulePage: { version: '0' },
};

let table: TestTable;
let api: ReturnType<typeof supervisionHttpHandler>;
let visitor: ReturnType<typeof pageVisitor>;
let fixture: Fixture;

const claimsOf = (reader: Reader) =>
  workerClaims({
    sub: reader.userId,
    'cognito:username': reader.userId,
    name: reader.name,
    'cognito:groups': `[${reader.roles.join(' ')}]`,
    'custom:team': reader.teamId,
  });
const pageWorkerOf = (reader: Reader): PageWorker => ({
  userId: reader.userId,
  name: reader.name,
  roles: reader.roles,
  teamId: reader.teamId,
});

function send(reader: Reader, method: string, path: string, body?: unknown) {
  return api(
    apiGatewayEvent({
      method,
      path,
      claims: claimsOf(reader),
      requestId: `req-${randomUUID()}`,
      ...(body === undefined ? {} : { body: body as object }),
    }),
  );
}

beforeAll(async () => {
  const setup = await createTestRuntime('supervision', fixedClock(NOW));
  table = setup.table;
  api = supervisionHttpHandler(setup.runtime, directory);
  const keys = [generateSessionKey(1)];
  const pages = supervisionPagesHandler(
    setup.runtime,
    { environment: { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: ORIGIN }, now: setup.runtime.clock },
    directory,
  );
  visitor = pageVisitor({ handler: pages, keys, origin: ORIGIN, clock: setup.runtime.clock });
  // Allocated on Monday 2 February 2026: the first supervision is due on Monday 2 March, held (with an action), and the second scheduled.
  await openAndAllocate(setup.runtime, [{ caseId, teamId: NORTH, openedAt: '2026-02-02T10:00:00.000Z', reference: REFERENCE }]);
  const drafted = await send(chair, 'PUT', `/api/supervision/cases/${caseId}/supervisions/1/record`, {
    expectedVersion: 0,
    discussion: 'First thoughts.',
  });
  expect(drafted.statusCode).toBe(200);
  const completed = await send(chair, 'POST', `/api/supervision/cases/${caseId}/supervisions/1/record/complete`, record(1));
  expect(completed.statusCode).toBe(200);
  const read = JSON.parse((await send(chair, 'GET', `/api/supervision/cases/${caseId}`)).body ?? '{}') as {
    actions: { actionId: string }[];
  };
  const actionId = read.actions[0]?.actionId;
  if (!actionId) throw new Error('the completed record set no action');
  fixture = { actionId };
});
afterAll(async () => {
  await table.drop();
});

function addressOf(name: string, route: HttpRoute): string {
  return route.path.replace(/\{(\w+)\+?\}/g, (_, parameter: string) => {
    const fill = PARAMETERS[parameter];
    if (!fill)
      throw new Error(
        `route ${name} (${routeKeyOf(route)}) has a parameter {${parameter}} the access test cannot fill: add it to PARAMETERS`,
      );
    return fill(fixture);
  });
}

async function call(name: string, route: HttpRoute, reader: Reader) {
  const address = addressOf(name, route);
  if (route.auth.kind === 'page') {
    const who = pageWorkerOf(reader);
    if (route.method === 'GET') return visitor.get(who, address);
    return visitor.post(who, address, { ...PAGE_FORMS[name], [CSRF_FORM_FIELD]: csrfTokenFor(visitor.sessionOf(who)) });
  }
  if (route.auth.kind !== 'worker') throw new Error(`route ${name} (${routeKeyOf(route)}) is not a worker's`);
  if (route.method === 'GET') return send(reader, 'GET', address);
  const body = BODIES[name];
  if (!body) throw new Error(`route ${name} (${routeKeyOf(route)}) takes a body the access test has no example of: add one to BODIES`);
  return send(reader, route.method, address, body());
}

async function auditsOf(reader: Reader, route: HttpRoute, prefix: 'READ#' | 'DENIED#'): Promise<number> {
  const result = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `AUDIT#SUPERVISION#${caseId}`, ':prefix': prefix },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).filter((item) => item.userId === reader.userId && item.what === routeKeyOf(route)).length;
}

const admits = (route: HttpRoute, reader: Reader): boolean =>
  (route.auth.kind === 'worker' || route.auth.kind === 'page') &&
  reader.roles.some((role) => (route.auth as { roles: readonly Role[] }).roles.includes(role));

function expectation(route: HttpRoute, reader: Reader): 'refused' | 'denied' | 'shown' | 'list' {
  if (!admits(route, reader)) return 'refused';
  if (!route.path.includes('{caseId}')) return 'list';
  return reader.relation === 'none' ? 'denied' : 'shown';
}

const ALL = Object.entries(routes) as [string, HttpRoute][];

test('the access test knows how to call every route (a route it cannot call fails here, named)', () => {
  expect(ALL.length).toBeGreaterThan(20);
  for (const [name, route] of ALL) {
    expect(() => addressOf(name, route)).not.toThrow();
    if (route.auth.kind === 'worker' && route.method !== 'GET') expect({ name, body: name in BODIES }).toEqual({ name, body: true });
    expect({ name, kind: route.auth.kind === 'worker' || route.auth.kind === 'page' }).toEqual({ name, kind: true });
  }
});

describe.each(ALL)('%s', (name, route) => {
  test.each(READERS)('$label', async (reader) => {
    const expected = expectation(route, reader);
    const deniedBefore = expected === 'denied' ? await auditsOf(reader, route, 'DENIED#') : 0;
    const readBefore = expected === 'shown' && route.method === 'GET' ? await auditsOf(reader, route, 'READ#') : 0;
    const response = await call(name, route, reader);
    const status = response.statusCode;
    const outcome = { route: routeKeyOf(route), reader: reader.label, status };
    const ok = status >= 200 && status < 400;
    switch (expected) {
      case 'refused':
        expect(outcome).toEqual({ ...outcome, status: 403 });
        expect(response.body ?? '').not.toContain(REFERENCE);
        break;
      case 'denied':
        // Not 403: a case the reader has no relationship with is answered as one that does not exist.
        expect(outcome).toEqual({ ...outcome, status: 404 });
        expect(response.body ?? '').not.toContain(REFERENCE);
        expect({ ...outcome, deniedAudits: await auditsOf(reader, route, 'DENIED#') }).toEqual({
          ...outcome,
          deniedAudits: deniedBefore + 1,
        });
        break;
      case 'shown':
        if (route.method === 'GET') {
          expect({ ...outcome, ok }).toEqual({ ...outcome, ok: true });
          expect({ ...outcome, readAudits: await auditsOf(reader, route, 'READ#') }).toEqual({ ...outcome, readAudits: readBefore + 1 });
        } else {
          expect({ ...outcome, serverError: status >= 500 }).toEqual({ ...outcome, serverError: false });
        }
        break;
      case 'list':
        // A team's list: only its own members see it, and it names the case only to them.
        expect({ ...outcome, serverError: status >= 500 }).toEqual({ ...outcome, serverError: false });
        if (reader.relation !== 'team-member') {
          expect({ ...outcome, showsTheCase: (response.body ?? '').includes(REFERENCE) }).toEqual({ ...outcome, showsTheCase: false });
        }
        break;
    }
  });
});
