/**
 * Issue 12's Done-when: every case route (routes.ts, iterated, so a route added later is tried
 * too) with every relationship and role, through the real handlers against DynamoDB Local. No
 * route answers 2xx to anyone without a legitimate relationship to the case (or, for a list, shows
 * them the case); a worker whose role a route admits but who has no relationship gets 404, never
 * 403, and leaves a DENIED audit item; a role a route does not admit gets 403 whatever the case.
 * Every read the allocated worker and the holding team make of a case is 2xx and audited.
 *
 * Readers: the allocated social worker (who has since moved team, so allocation alone lets them
 * in), a social worker and the team manager of the holding team, a social worker and team manager
 * of another team, the front door with this case's referral, with another case's referral and with
 * none, an administrator, and a worker with no role.
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
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { type PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { routeKeyOf } from '../../src/http/case-access';
import { routes } from '../../src/http/routes';
import { createCaseStore } from '../../src/store/case-store';
import { fixtureDirectory, NORTH, people } from '../support/directory';
import { casesHttpHandler } from '../support/http';
import { casesPagesHandler } from '../support/pages';
import { referralAccepted } from '../support/referral-accepted';

/** Tuesday 10 February 2026, 2:30pm in London. */
const NOW = '2026-02-10T14:30:00.000Z';
const ORIGIN = 'http://127.0.0.1:3000';
const referralId = '01JGZ8Q4V7K3M2N5P6R8S9T0VW';
const otherReferralId = '01JGZ8Q4V7K3M2N5P6R8S9T0XX';
const caseId = caseIdForReferral(referralId);
const otherCaseId = caseIdForReferral(otherReferralId);
const REFERENCE = 'FSP-2026-000123';
const SOUTH = 'team-south-2';

type Relation = 'allocated' | 'team-member' | 'front-door' | 'none';

interface Reader {
  label: string;
  userId: string;
  name: string;
  roles: Role[];
  teamId: string;
  /** The referral the reader names (`?referralId=`): the front door's way to a case. */
  referralId?: string;
  /** The reader's relationship with the case (domain/access.ts), for the routes that take the front door's referral. */
  relation: Relation;
}

const READERS: Reader[] = [
  // Allocated, then moved to another team: allocation alone lets them in.
  { label: 'allocated social worker', ...worker(people.samOkafor), teamId: 'team-moved-5', relation: 'allocated' },
  { label: 'social worker of the holding team', ...worker(people.ruthHale), teamId: NORTH, relation: 'team-member' },
  { label: 'team manager of the holding team', ...worker(people.manager), teamId: NORTH, relation: 'team-member' },
  {
    label: 'worker of another team',
    userId: 'sw-0009',
    name: 'Kim Lee',
    roles: ['social-worker', 'team-manager'],
    teamId: SOUTH,
    relation: 'none',
  },
  {
    label: 'front door with this case’s referral',
    userId: 'fd-0001',
    name: 'Femi Adeyemi',
    roles: ['front-door'],
    teamId: 'front-door',
    referralId,
    relation: 'front-door',
  },
  {
    label: 'front door with another case’s referral',
    userId: 'fd-0002',
    name: 'Ali Khan',
    roles: ['front-door'],
    teamId: 'front-door',
    referralId: otherReferralId,
    relation: 'none',
  },
  {
    label: 'front door with no referral',
    userId: 'fd-0003',
    name: 'Jo Hart',
    roles: ['front-door'],
    teamId: 'front-door',
    relation: 'none',
  },
  { label: 'administrator', userId: 'ad-0001', name: 'Ade Bello', roles: ['administrator'], teamId: NORTH, relation: 'none' },
  { label: 'worker with no role', userId: 'nr-0001', name: 'Nia Rowe', roles: [], teamId: NORTH, relation: 'none' },
];

function worker(person: { userId: string; name: string; roles: readonly Role[] }) {
  return { userId: person.userId, name: person.name, roles: [...person.roles] };
}

/** The routes through which the front door reads a case, by the referral it names (ADR 0014 §6). */
const FOLLOW_REFERRAL: ReadonlySet<string> = new Set(['showCase', 'casePage', 'findCaseOfReferral']);
/** Break-glass: any case worker may ask (the form reads nothing; the POST grants access by design, with the reason recorded). */
const BREAK_GLASS: ReadonlySet<string> = new Set(['breakGlassApi', 'breakGlassForm', 'breakGlass']);

interface Fixture {
  noteId: string;
  personId: string;
}

/** How to fill each path parameter a case route has. */
const PARAMETERS: Record<string, (fixture: Fixture) => string> = {
  caseId: () => caseId,
  noteId: (fixture) => fixture.noteId,
  // An adult: a child leaves a case by a decision about it, never by a change of its network, so the remove form has no child.
  group: () => 'adults',
  personId: (fixture) => fixture.personId,
  // A step any case worker of the team may record (the manager's steps differ only in the role check after access).
  step: () => 'strategy-discussion',
  fgdmStep: () => 'offer',
};

/** A valid body for each JSON route that takes one (valid, so that only the relationship can refuse it). */
const BODIES: Record<string, (fixture: Fixture) => unknown> = {
  changeCaseNetwork: () => ({
    version: 1,
    kind: 'add',
    group: 'widerFamily',
    person: { firstName: 'Pat', lastName: 'Jones', relationship: 'maternal grandmother', possibleFamilyGroupConferenceParticipant: true },
  }),
  writeCaseSummary: () => ({ version: 0, text: 'Mia (8) lives with her mother.' }),
  changeCaseAllocation: () => ({ version: 1, socialWorkerId: people.samOkafor.userId, specialists: {} }),
  startNote: () => visit(),
  editNote: () => ({ version: 1, ...visit() }),
  completeNote: () => ({ version: 1 }),
  amendNote: () => ({ reason: 'The date was wrong', narrative: 'Mia showed me her bedroom.', amendmentCount: 0 }),
  breakGlassApi: () => ({ reason: 'Police called out of hours about the youngest child' }),
  writeCasePlan: () => ({
    version: 0,
    agreedOn: '2026-01-05',
    goals: [
      { inFamilysWords: 'Mia gets to school every day', actions: [{ what: 'Walk Mia to school', who: 'Kerry', byWhen: '2026-01-30' }] },
    ],
    nextReviewDate: '2026-02-05',
  }),
  reviewCasePlan: () => ({ version: 1, reviewedOn: '2026-01-05', summary: 'Going well.', progress: [], nextReviewDate: '2026-02-05' }),
  recordPathStep: () => ({ version: 1, heldOn: '2026-01-05', section47: false, reason: 'Police and school shared what they know.' }),
  recordMotivation: (fixture) => ({
    version: 0,
    personId: fixture.personId,
    concern: 'alcohol',
    stage: 'contemplation',
    assessedOn: '2026-02-09',
    note: 'Says she drinks more than she would like to.',
  }),
  recordFgdm: () => ({ version: 0, offeredOn: '2026-02-09', response: 'accepted' }),
  contributeToWorkbook: () => ({ version: 0, kind: 'chapter', role: 'social-worker', text: 'Mia is safe when her mother is supported.' }),
  recordProgrammeModule: (fixture) => ({ version: 0, personId: fixture.personId, module: 1, status: 'in-progress', on: '2026-02-09' }),
};

/** The fields of a page form the route needs to get past its own checks to the access rule (every other page form posts the token alone). */
const PAGE_FORMS: Record<string, Record<string, string>> = {
  breakGlass: { reason: 'Police called out of hours about the youngest child' },
};

const MIA = 'child-01JGZ8R1';
const visit = () => ({
  type: 'home-visit',
  contactDate: '2026-02-10',
  contactTime: '09:30',
  seenPersonIds: [MIA],
  childrenSeenAlone: [{ childId: MIA, answer: 'yes' }],
  narrative: 'Mia showed me her bedroom and said she feels safe at home this week.',
});

let table: TestTable;
let runtime: ServiceRuntime;
let api: ReturnType<typeof casesHttpHandler>;
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

beforeAll(async () => {
  const setup = await createTestRuntime('cases', fixedClock(NOW));
  table = setup.table;
  runtime = setup.runtime;
  const directory = fixtureDirectory();
  api = casesHttpHandler(runtime, { directory });
  const keys = [generateSessionKey(1)];
  const pages = casesPagesHandler(
    runtime,
    { environment: { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: ORIGIN }, now: runtime.clock },
    { directory },
  );
  visitor = pageVisitor({ handler: pages, keys, origin: ORIGIN, clock: runtime.clock });

  // The case, in the north team; another case in the south team, whose referral the front door may wrongly name.
  await deliverUntilAccepted(createReferralAcceptedConsumer(runtime), [
    referralAccepted({ referralId, reference: REFERENCE, teamId: NORTH }),
    referralAccepted({ referralId: otherReferralId, reference: 'FSP-2026-000999', teamId: SOUTH }),
  ]);
  const manager = READERS.find((reader) => reader.userId === people.manager.userId)!;
  const member = READERS.find((reader) => reader.userId === people.ruthHale.userId)!;
  const allocated = await send(manager, 'PUT', `/api/cases/${caseId}/allocation`, {
    version: 0,
    socialWorkerId: people.samOkafor.userId,
    specialists: {},
  });
  expect(allocated.statusCode).toBe(200);
  const started = await send(member, 'POST', `/api/cases/${caseId}/notes`, visit());
  expect(started.statusCode).toBe(201);
  const note = JSON.parse(started.body ?? '{}') as { id: string; version: number };
  expect((await send(member, 'POST', `/api/cases/${caseId}/notes/${note.id}/complete`, { version: note.version })).statusCode).toBe(200);
  const file = await createCaseStore(runtime.documents, runtime.tableName).readCase(caseId);
  const personId = file?.network?.network.adults[0]?.personId;
  if (!personId) throw new Error('the case opened without an adult in its network');
  fixture = { noteId: note.id, personId };
});
afterAll(async () => {
  await table.drop();
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

/** The front door names its referral; everyone asks for a case by this case's referral on the route that finds it so. */
const namedReferral = (name: string, reader: Reader): string | undefined =>
  name === 'findCaseOfReferral' ? referralId : reader.referralId;

/** The route's address for this reader, or a reason the test cannot call it. */
function addressOf(name: string, route: HttpRoute, reader: Reader): string {
  const path = route.path.replace(/\{(\w+)\+?\}/g, (_, parameter: string) => {
    const fill = PARAMETERS[parameter];
    if (!fill)
      throw new Error(
        `route ${name} (${routeKeyOf(route)}) has a parameter {${parameter}} the access test cannot fill: add it to PARAMETERS`,
      );
    return fill(fixture);
  });
  const named = namedReferral(name, reader);
  return named === undefined ? path : `${path}?referralId=${named}`;
}

async function call(name: string, route: HttpRoute, reader: Reader) {
  const address = addressOf(name, route, reader);
  if (route.auth.kind === 'page') {
    const who = pageWorkerOf(reader);
    if (route.method === 'GET') return visitor.get(who, address);
    // Pages read their forms leniently and judge them in the route: the session's token is all a post needs to reach it.
    return visitor.post(who, address, { ...PAGE_FORMS[name], [CSRF_FORM_FIELD]: csrfTokenFor(visitor.sessionOf(who)) });
  }
  if (route.auth.kind !== 'worker')
    throw new Error(`route ${name} (${routeKeyOf(route)}) is not a worker's: the access test knows worker routes and pages`);
  if (route.method === 'GET') return send(reader, 'GET', address);
  const body = BODIES[name];
  if (!body) throw new Error(`route ${name} (${routeKeyOf(route)}) takes a body the access test has no example of: add one to BODIES`);
  return send(reader, route.method, address, body(fixture));
}

async function deniedAuditsOf(reader: Reader, route: HttpRoute): Promise<number> {
  const result = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :denied)',
      ExpressionAttributeValues: { ':pk': `AUDIT#CASE#${caseId}`, ':denied': 'DENIED#' },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).filter((item) => item.userId === reader.userId && item.what === routeKeyOf(route)).length;
}

async function readAuditsOf(reader: Reader, route: HttpRoute): Promise<number> {
  const result = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :read)',
      ExpressionAttributeValues: { ':pk': `AUDIT#CASE#${caseId}`, ':read': 'READ#' },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).filter((item) => item.userId === reader.userId && item.what === routeKeyOf(route)).length;
}

const admits = (route: HttpRoute, reader: Reader): boolean =>
  (route.auth.kind === 'worker' || route.auth.kind === 'page') &&
  reader.roles.some((role) => (route.auth as { roles: readonly Role[] }).roles.includes(role));

/** What this reader may legitimately get from this route. */
function expectation(name: string, route: HttpRoute, reader: Reader): 'refused' | 'denied' | 'shown' | 'list' | 'break-glass' {
  if (!admits(route, reader)) return 'refused';
  if (BREAK_GLASS.has(name)) return 'break-glass';
  const aboutTheCase = route.path.includes('{caseId}') || name === 'findCaseOfReferral';
  if (!aboutTheCase) return 'list';
  if (reader.relation === 'allocated' || reader.relation === 'team-member') return 'shown';
  const followsThisCase = reader.roles.includes('front-door') && namedReferral(name, reader) === referralId;
  if (followsThisCase && FOLLOW_REFERRAL.has(name)) return 'shown';
  return 'denied';
}

const ALL = Object.entries(routes) as [string, HttpRoute][];
// Break-glass last: a grant opens the case to its worker for 8 hours, which would change what every later route shows them.
const ORDERED = [...ALL.filter(([name]) => !BREAK_GLASS.has(name)), ...ALL.filter(([name]) => BREAK_GLASS.has(name))];

test('the access test knows how to call every route (a route it cannot call fails here, named)', () => {
  expect(ALL.length).toBeGreaterThan(10);
  for (const [name, route] of ALL) {
    for (const reader of READERS) expect(() => addressOf(name, route, reader)).not.toThrow();
    if (route.auth.kind === 'worker' && route.method !== 'GET') expect({ name, body: name in BODIES }).toEqual({ name, body: true });
    expect({ name, kind: route.auth.kind === 'worker' || route.auth.kind === 'page' }).toEqual({ name, kind: true });
  }
});

describe.each(ORDERED)('%s', (name, route) => {
  test.each(READERS)('$label', async (reader) => {
    const expected = expectation(name, route, reader);
    const deniedBefore = expected === 'denied' ? await deniedAuditsOf(reader, route) : 0;
    const readBefore = expected === 'shown' && route.method === 'GET' ? await readAuditsOf(reader, route) : 0;
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
        expect({ ...outcome, deniedAudits: await deniedAuditsOf(reader, route) }).toEqual({ ...outcome, deniedAudits: deniedBefore + 1 });
        break;
      case 'shown':
        if (route.method === 'GET') {
          expect({ ...outcome, ok }).toEqual({ ...outcome, ok: true });
          expect({ ...outcome, readAudits: await readAuditsOf(reader, route) }).toEqual({ ...outcome, readAudits: readBefore + 1 });
        } else {
          expect({ ...outcome, serverError: status >= 500 }).toEqual({ ...outcome, serverError: false });
        }
        break;
      case 'list':
        // A list is the reader's own (their team's cases, their caseload): this case appears only to those it belongs to.
        expect({ ...outcome, serverError: status >= 500 }).toEqual({ ...outcome, serverError: false });
        if (reader.relation !== 'allocated' && reader.relation !== 'team-member') {
          expect({ ...outcome, showsTheCase: (response.body ?? '').includes(REFERENCE) }).toEqual({ ...outcome, showsTheCase: false });
        }
        break;
      case 'break-glass':
        // By design: the form for any case worker, and a grant (recorded, audited) for one without a relationship.
        expect({ ...outcome, ok }).toEqual({ ...outcome, ok: true });
        break;
    }
  });
});

test('the other case stays the other team’s: nothing here showed it to the north team', async () => {
  const result = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :read)',
      ExpressionAttributeValues: { ':pk': `AUDIT#CASE#${otherCaseId}`, ':read': 'READ#' },
    }),
  );
  expect((result.Items ?? []).filter((item) => item.userId !== 'fd-0002')).toEqual([]);
});
