/**
 * Issue 12's "Done when", on the running local cloud (gateway, functions, DynamoDB Local, outbox
 * relay, bus and queues): a school's referral about two children, their mother and her partner is
 * screened and decided by the front door for the north team; the case opens with the referral's
 * people; the north team's manager allocates Sam Okafor (social worker) and Dana Lewis (domestic
 * abuse worker for victims), so that the first group supervision is scheduled and both are told in
 * their inboxes; Sam records a significant home visit, Dana a significant note restricted to adult
 * specialists; the team manager reads Sam's in full and Dana's only as a restricted entry; the
 * chronology shows the opening, the allocation and both notes (Dana's without its content). Then
 * the audit trail, read from DynamoDB Local as the audit reader reads it: every read of the case's
 * record the journey made (JSON and pages) left a READ item naming its worker, route and request
 * id (the gateway's `apigw-requestid`), Dana's restricted note shown to her a RESTRICTED item, and
 * the south team's worker, answered 404, a DENIED one.
 */

import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { HttpRoute } from '@fsp/shared/manifest';
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { sealedSessionCookie } from '@fsp/shared/testing/pages';
import { londonWallClockOf } from '@fsp/shared/time/london';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../src/dynamodb-local';
import { type LocalCloud, startLocalCloud } from '../../src/local-cloud';
import { SEED_WORKERS } from '../../src/seed/data';
import { eventually, partnerToken, verboseLog, workerToken } from './local-cloud/support';

jest.setTimeout(120_000);

/** A cold function on a busy two-core machine takes seconds: waits are long, and end as soon as the fact is there. */
const WAIT_MS = 60_000;

const referral = {
  referrer: {
    name: 'Amara Okafor',
    role: 'Designated safeguarding lead',
    organisation: 'Oakfield Primary School',
    email: 'dsl@oakfield.example.sch.uk',
  },
  referralSource: '2A',
  children: [
    { firstName: 'Mia', lastName: 'Jones', dateOfBirth: '2016-05-09', gender: 'female', school: 'Oakfield Primary School' },
    { firstName: 'Tyler', lastName: 'Jones', dateOfBirth: '2020-11-21', gender: 'male' },
  ],
  adults: [
    { firstName: 'Kerry', lastName: 'Jones', dateOfBirth: '1991-02-17', relationship: 'mother' },
    { firstName: 'Dean', lastName: 'Hughes', relationship: 'mother’s partner' },
  ],
  concerns: {
    whatHappened: 'Mia told her teacher that Dean pushed her mother against the kitchen door and that she hid with Tyler.',
    whyNow: 'The third disclosure this term; Mia is frightened to go home.',
  },
  factors: ['3B', '17A'],
  consent: { familyKnows: true, consentGiven: true },
};

const SAM_VISIT =
  'Home visit after school. I saw Mia alone in her bedroom: she said Dean shouted at her mum on Friday and she hid under the bed with Tyler. Kerry agreed to meet the domestic abuse worker.';
/** Dana's words: none of them may reach anyone outside the adult specialists. */
const DANA_NARRATIVE =
  'Kerry described coercive control over two years and disclosed a previous injury treated at the walk-in centre. Safety plan agreed; MARAC referral considered.';
/** Phrases of Dana's narrative, none of which may appear in an answer to anyone outside its roles. */
const DANA_PHRASES = ['coercive control', 'walk-in centre', 'MARAC'];
const withoutDanasWords = (text: string): string[] => DANA_PHRASES.filter((phrase) => text.includes(phrase));

type Who = 'partner' | 'frontdoor' | 'socialworker' | 'specialist' | 'manager' | 'southworker';

/** One request the journey sent, as the gateway answered it. */
interface Sent {
  who: Who;
  method: string;
  path: string;
  /** The route's key as the audit trail writes it (`GET /api/cases/{caseId}`), when a route serves it. */
  route?: string;
  status: number;
  requestId: string;
}

interface AuditItem {
  pk: string;
  sk: string;
  kind: string;
  userId: string;
  username: string;
  name: string;
  what: string;
  requestId: string;
  reason: string;
  noteId?: string;
  at: string;
}

interface NetworkJson {
  caseId: string;
  version: number;
  network: {
    children: Array<{ personId: string; firstName: string; lastName: string; dateOfBirth?: string }>;
    adults: Array<{
      personId: string;
      firstName: string;
      lastName: string;
      relationships: Array<{ childId: string; relationship: string }>;
    }>;
    widerFamily: unknown[];
    professionals: Array<{ personId: string; name: string; role?: string; agency?: string; email?: string; referrer?: boolean }>;
  };
}

interface ChronologyJson {
  id: string;
  kind: string;
  at: string;
  text: string;
}

let cloud: LocalCloud;
let routes: HttpRoute[];
const sent: Sent[] = [];
const tokens = new Map<Who, string>();
/** Each worker's directory user id (the local issuer's `sub`): what tokens, sessions and the audit trail carry. */
const subOf = (username: string): string => {
  const entry = cloud.issuer.directoryEntries().find((candidate) => candidate.username === username);
  if (!entry) throw new Error(`the directory has no ${username}`);
  return entry.sub;
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The manifests' route serving `method path` (literal segments before `{parameters}`), as the audit trail names it. */
function routeKeyOf(method: string, path: string): string | undefined {
  const pathname = path.split('?')[0]!;
  const matching = routes.filter(
    (route) =>
      route.method === method &&
      new RegExp(
        `^${route.path
          .split(/\{[^}]+\}/)
          .map(escapeRegExp)
          .join('[^/]+')}$`,
      ).test(pathname),
  );
  const route = matching.sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0))[0];
  return route ? `${route.method} ${route.path}` : undefined;
}

function record(who: Who, method: string, path: string, response: Response): Sent {
  const requestId = response.headers.get('apigw-requestid');
  if (!requestId) throw new Error(`${method} ${path} answered without the gateway's request id`);
  const route = routeKeyOf(method, path);
  const entry: Sent = { who, method, path, ...(route ? { route } : {}), status: response.status, requestId };
  sent.push(entry);
  return entry;
}

/** JSON through the gateway with the worker's bearer token. */
async function call(
  who: Who,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown>; requestId: string }> {
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
  const { requestId } = record(who, method, path, response);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, requestId };
}

/** A page, as the worker's browser asks for it: their session (sealed as sign-in seals it, with their directory user id). */
async function page(who: Who, path: string): Promise<{ status: number; html: string; text: string }> {
  const worker = cloud.demoWorkers.find((candidate) => candidate.username === who);
  if (!worker) throw new Error(`no demo worker ${who}`);
  const cookie = sealedSessionCookie(cloud.sessionKeys, {
    userId: subOf(who),
    username: worker.username,
    name: worker.name,
    roles: worker.roles,
    teamId: worker.teamId,
  });
  const response = await fetch(`${cloud.url}${path}`, { headers: { cookie }, redirect: 'manual' });
  record(who, 'GET', path, response);
  const html = await response.text();
  return { status: response.status, html, text: visibleText(html) };
}

/** The page's words as a reader meets them: the main element's text, tags dropped and white space folded. */
function visibleText(html: string): string {
  const main = /<main[\s\S]*?<\/main>/.exec(html)?.[0] ?? html;
  return main
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** This minute on the London wall clock: a contact just now, never in the future. */
function justNow(): { contactDate: string; contactTime: string } {
  const wall = londonWallClockOf(new Date());
  const two = (value: number) => String(value).padStart(2, '0');
  return { contactDate: `${wall.year}-${two(wall.month)}-${two(wall.day)}`, contactTime: `${two(wall.hour)}:${two(wall.minute)}` };
}

async function auditTrail(caseId: string): Promise<AuditItem[]> {
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: cloud.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
  );
  try {
    const items: AuditItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new QueryCommand({
          TableName: cloud.tableNames.cases,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `AUDIT#CASE#${caseId}` },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...((page.Items ?? []) as AuditItem[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  } finally {
    documents.destroy();
  }
}

const failed = (answer: { status: number; body: unknown }, request: string) => ({ request, status: answer.status, body: answer.body });

beforeAll(async () => {
  routes = (await loadServiceManifests()).flatMap((manifest) => manifest.http?.routes ?? []);
  cloud = await startLocalCloud({
    manifests: await loadServiceManifests(),
    dynamoEndpoint: testDynamoEndpoint(),
    tablePrefix: `srj${Date.now().toString(36)}-`,
    queueOverrides: { backoff: () => 50, visibilityTimeoutMs: 10_000 },
    log: verboseLog,
    ...(process.env.FSP_TEST_VERBOSE ? {} : { functionLogLevel: 'WARN' as const }),
  });
  // The south team's worker joins the user pool as `--seed` adds them (seed/index.ts): a case worker of another team.
  const south = SEED_WORKERS.find((worker) => worker.username === 'southworker')!;
  const { password } = cloud.issuer.registerWorker({ ...south, roles: [...south.roles] });
  const sub = cloud.issuer.directoryEntries().find((entry) => entry.username === south.username)?.sub;
  if (!sub) throw new Error('the local user pool did not register southworker');
  cloud.demoWorkers.push({ ...south, roles: [...south.roles], password, sub });
  tokens.set('partner', await partnerToken(cloud, 'referrals/submit'));
  for (const who of ['frontdoor', 'socialworker', 'specialist', 'manager', 'southworker'] as const) {
    tokens.set(who, await workerToken(cloud, who));
  }
}, 120_000);
afterAll(() => cloud?.stop());

describe('the family’s shared record, from referral to audit trail', () => {
  let referralId: string;
  let reference: string;
  let caseId: string;
  let network: NetworkJson['network'];
  let samNoteId: string;
  let danaNoteId: string;

  it('opens the case from the referral the front door screened and decided, with the referral’s people', async () => {
    const submitted = await call('partner', '/v1/referrals', { method: 'POST', body: referral });
    expect(failed(submitted, 'POST /v1/referrals')).toMatchObject({ status: 201 });
    referralId = submitted.body.id as string;
    reference = submitted.body.reference as string;

    const screening = await call('frontdoor', `/api/front-door/referrals/${referralId}/screening`, { method: 'POST' });
    expect(failed(screening, 'POST screening')).toMatchObject({ status: 200, body: { status: 'in-screening' } });
    const decided = await call('frontdoor', `/api/front-door/referrals/${referralId}/decision`, {
      method: 'POST',
      body: {
        outcome: 'assessment',
        reason: 'Repeated disclosures of domestic abuse meet the threshold for a Child and Family assessment.',
        teamId: 'north',
      },
    });
    expect(failed(decided, 'POST decision')).toMatchObject({ status: 200, body: { status: 'decided' } });

    // The north team's social worker finds the case by its referral once cases has heard of the decision.
    const found = await eventually(
      async () => {
        const answer = await call('socialworker', `/api/cases?referralId=${referralId}`);
        return answer.status === 200 ? answer.body : undefined;
      },
      'the case opened from the referral',
      WAIT_MS,
    );
    caseId = found.id as string;
    expect(found).toMatchObject({ referralId, reference, status: 'assessment', teamId: 'north' });

    const answer = await call('socialworker', `/api/cases/${caseId}/network`);
    expect(failed(answer, 'GET network')).toMatchObject({ status: 200 });
    network = (answer.body as unknown as NetworkJson).network;
    // The children, by the ids the case holds, with their names and dates as the referrer gave them.
    const childIds = (found.children as Array<{ childId: string }>).map((child) => child.childId);
    expect(network.children.map((child) => child.personId).sort()).toEqual([...childIds].sort());
    expect(network.children.map(({ firstName, lastName, dateOfBirth }) => ({ firstName, lastName, dateOfBirth }))).toEqual([
      { firstName: 'Mia', lastName: 'Jones', dateOfBirth: '2016-05-09' },
      { firstName: 'Tyler', lastName: 'Jones', dateOfBirth: '2020-11-21' },
    ]);
    // The adults, each related to each child as the referrer put it.
    const childName = new Map(network.children.map((child) => [child.personId, child.firstName]));
    expect(
      network.adults.map((adult) => ({
        name: `${adult.firstName} ${adult.lastName}`,
        relationships: adult.relationships.map((entry) => `${entry.relationship} of ${childName.get(entry.childId)}`).sort(),
      })),
    ).toEqual([
      { name: 'Kerry Jones', relationships: ['mother of Mia', 'mother of Tyler'] },
      { name: 'Dean Hughes', relationships: ['mother’s partner of Mia', 'mother’s partner of Tyler'] },
    ]);
    // The referrer, as the professional around the family.
    expect(network.professionals).toEqual([
      expect.objectContaining({
        name: 'Amara Okafor',
        role: 'Designated safeguarding lead',
        agency: 'Oakfield Primary School',
        email: 'dsl@oakfield.example.sch.uk',
        referrer: true,
      }),
    ]);
    expect(network.widerFamily).toEqual([]);
  });

  it('allocates Sam Okafor and Dana Lewis: the first group supervision is scheduled and both are told', async () => {
    // Supervision has heard of the case, and schedules nothing before it has its social worker.
    const known = await eventually(
      async () => {
        const answer = await call('manager', `/api/supervision/cases/${caseId}`);
        return answer.status === 200 ? answer.body : undefined;
      },
      'supervision hearing of the case',
      WAIT_MS,
    );
    expect(known).toMatchObject({ caseId, supervisions: [] });

    const before = await call('manager', `/api/cases/${caseId}/allocation`);
    expect(failed(before, 'GET allocation')).toMatchObject({ status: 200, body: { version: 0, socialWorkerChanges: 0 } });
    const allocated = await call('manager', `/api/cases/${caseId}/allocation`, {
      method: 'PUT',
      body: {
        version: 0,
        socialWorkerId: subOf('socialworker'),
        specialists: { 'domestic-abuse-victim': subOf('specialist') },
      },
    });
    expect(failed(allocated, 'PUT allocation')).toMatchObject({
      status: 200,
      body: {
        socialWorker: { userId: subOf('socialworker'), name: 'Sam Okafor' },
        specialists: { 'domestic-abuse-victim': { userId: subOf('specialist'), name: 'Dana Lewis' } },
      },
    });

    const supervisions = await eventually(
      async () => {
        const answer = await call('manager', `/api/supervision/cases/${caseId}`);
        const list = answer.body.supervisions as Array<Record<string, unknown>> | undefined;
        return answer.status === 200 && list && list.length > 0 ? list : undefined;
      },
      'the first group supervision',
      WAIT_MS,
    );
    expect(supervisions).toEqual([expect.objectContaining({ caseId, sequence: 1 })]);

    const allocationItem = async (who: Who) =>
      eventually(
        async () => {
          const inbox = await call(who, '/api/inbox');
          const items = (inbox.body.items ?? []) as Array<{ kind: string; title: string; link: string; read: boolean }>;
          return items.find((item) => item.kind === 'case-allocated' && item.link === `/cases/${caseId}`);
        },
        `${who}'s allocation item`,
        WAIT_MS,
      );
    const [sams, danas] = await Promise.all([allocationItem('socialworker'), allocationItem('specialist')]);
    expect(sams).toMatchObject({ title: `You have been allocated to case ${reference} as social worker`, read: false });
    expect(danas).toMatchObject({
      title: `You have been allocated to case ${reference} as domestic abuse worker (victims)`,
      read: false,
    });

    const after = await call('socialworker', `/api/cases/${caseId}/allocation`);
    expect(failed(after, 'GET allocation')).toMatchObject({ status: 200, body: { version: 1, socialWorkerChanges: 0 } });
  });

  it('records Sam’s home visit and Dana’s restricted note, and the team manager reads only what she may', async () => {
    const [mia, tyler] = network.children;
    const kerry = network.adults.find((adult) => adult.firstName === 'Kerry')!;

    const samDraft = await call('socialworker', `/api/cases/${caseId}/notes`, {
      method: 'POST',
      body: {
        type: 'home-visit',
        ...justNow(),
        seenPersonIds: [mia!.personId, tyler!.personId, kerry.personId],
        childrenSeenAlone: [
          { childId: mia!.personId, answer: 'yes' },
          { childId: tyler!.personId, answer: 'no' },
        ],
        narrative: SAM_VISIT,
        significant: true,
      },
    });
    expect(failed(samDraft, 'POST Sam’s note')).toMatchObject({ status: 201, body: { status: 'draft' } });
    samNoteId = samDraft.body.id as string;
    const samDone = await call('socialworker', `/api/cases/${caseId}/notes/${samNoteId}/complete`, {
      method: 'POST',
      body: { version: samDraft.body.version },
    });
    expect(failed(samDone, 'complete Sam’s note')).toMatchObject({ status: 200, body: { status: 'completed', significant: true } });

    const danaDraft = await call('specialist', `/api/cases/${caseId}/notes`, {
      method: 'POST',
      body: {
        type: 'office-appointment',
        ...justNow(),
        seenPersonIds: [kerry.personId],
        narrative: DANA_NARRATIVE,
        significant: true,
        visibleTo: ['adult-specialist'],
      },
    });
    expect(failed(danaDraft, 'POST Dana’s note')).toMatchObject({ status: 201, body: { status: 'draft', restricted: true } });
    danaNoteId = danaDraft.body.id as string;
    const danaDone = await call('specialist', `/api/cases/${caseId}/notes/${danaNoteId}/complete`, {
      method: 'POST',
      body: { version: danaDraft.body.version },
    });
    expect(failed(danaDone, 'complete Dana’s note')).toMatchObject({ status: 200, body: { status: 'completed', restricted: true } });

    // Dana opens her own note: in full (and, being restricted, audited as such).
    const hers = await call('specialist', `/api/cases/${caseId}/notes/${danaNoteId}`);
    expect(failed(hers, 'GET Dana’s note as Dana')).toMatchObject({ status: 200, body: { narrative: DANA_NARRATIVE, restricted: true } });

    // The team manager: Sam's note in full, Dana's as a restricted entry that exists, its content nowhere in the answer.
    const jos = await call('manager', `/api/cases/${caseId}/notes`);
    expect(failed(jos, 'GET notes as Jo')).toMatchObject({ status: 200 });
    const notes = jos.body.notes as Array<Record<string, unknown>>;
    expect(notes.find((note) => note.id === samNoteId)).toMatchObject({
      restricted: false,
      status: 'completed',
      narrative: SAM_VISIT,
      author: { name: 'Sam Okafor' },
    });
    expect(notes.find((note) => note.id === danaNoteId)).toEqual({
      id: danaNoteId,
      caseId,
      restricted: true,
      withheld: true,
      type: 'office-appointment',
      author: { userId: subOf('specialist'), name: 'Dana Lewis' },
      occurredAt: expect.any(String),
      completedAt: expect.any(String),
    });
    expect(withoutDanasWords(JSON.stringify(jos.body))).toEqual([]);
    const refused = await call('manager', `/api/cases/${caseId}/notes/${danaNoteId}`);
    expect(failed(refused, 'GET Dana’s note as Jo')).toMatchObject({ status: 200, body: { withheld: true } });
    expect(withoutDanasWords(JSON.stringify(refused.body))).toEqual([]);

    // The same on the notes page she reads.
    const notesPage = await page('manager', `/cases/${caseId}/notes`);
    expect({ status: notesPage.status }).toEqual({ status: 200 });
    expect(notesPage.text).toContain('Restricted entry — recorded by Dana Lewis');
    expect(notesPage.text).toContain('Sam Okafor');
    expect(withoutDanasWords(notesPage.html)).toEqual([]);
  });

  it('keeps the chronology: the opening, the allocation, Sam’s note and Dana’s entry without its content', async () => {
    const opened = await call('manager', `/api/cases/${caseId}`);
    expect(failed(opened, 'GET case')).toMatchObject({ status: 200 });
    const chronology = opened.body.chronology as ChronologyJson[];
    expect(chronology.map((entry) => entry.kind).sort()).toEqual([
      'allocation-changed',
      'case-opened',
      'note-significant',
      'note-significant',
    ]);
    const texts = chronology.map((entry) => entry.text);
    expect(texts.find((text) => text.startsWith('Home visit recorded by Sam Okafor'))).toContain('I saw Mia alone');
    expect(texts).toContainEqual(expect.stringMatching(/^Restricted entry — office appointment recorded by Dana Lewis$/));
    const allocation = chronology.find((entry) => entry.kind === 'allocation-changed')!;
    expect(allocation.text).toContain('Sam Okafor');
    expect(allocation.text).toContain('Dana Lewis');
    expect(withoutDanasWords(JSON.stringify(opened.body))).toEqual([]);

    // The chronology page, as the team manager reads it.
    const chronologyPage = await page('manager', `/cases/${caseId}/chronology`);
    expect({ status: chronologyPage.status }).toEqual({ status: 200 });
    expect(chronologyPage.text).toContain('Home visit recorded by Sam Okafor');
    expect(chronologyPage.text).toContain('Restricted entry — office appointment recorded by Dana Lewis');
    expect(withoutDanasWords(chronologyPage.html)).toEqual([]);

    // The summary is read like the rest of the record (none written yet).
    const summary = await call('socialworker', `/api/cases/${caseId}/summary`);
    expect(failed(summary, 'GET summary')).toMatchObject({ status: 200, body: { caseId, version: 0 } });
  });

  it('answers the south team’s worker 404, as for a case that does not exist', async () => {
    const json = await call('southworker', `/api/cases/${caseId}`);
    expect(json.status).toBe(404);
    expect(JSON.stringify(json.body)).not.toContain(reference);
    const missing = await call('southworker', `/api/cases/case-${'0'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(json.body.title).toBe(missing.body.title);
    const casePage = await page('southworker', `/cases/${caseId}`);
    expect(casePage.status).toBe(404);
    expect(casePage.html).not.toContain(reference);
  });

  it('audited every read: READ per request, RESTRICTED for Dana’s note shown to her, DENIED for the south team', async () => {
    const trail = await auditTrail(caseId);
    const byRequest = new Map<string, AuditItem[]>();
    for (const item of trail) byRequest.set(item.requestId, [...(byRequest.get(item.requestId) ?? []), item]);
    const onThisCase = (entry: Sent) => entry.path.includes(caseId) || entry.path === `/api/cases?referralId=${referralId}`;

    // Every read of the case's record that showed it: one READ item, its worker, route and request id.
    const reads = sent.filter(
      (entry) => entry.method === 'GET' && entry.status === 200 && onThisCase(entry) && !entry.path.startsWith('/api/supervision'),
    );
    // Of every part of the record: the case (by id and by its referral), its network, allocation, summary, notes, a note, and the pages.
    expect(new Set(reads.map((entry) => entry.route))).toEqual(
      new Set([
        'GET /api/cases',
        'GET /api/cases/{caseId}',
        'GET /api/cases/{caseId}/network',
        'GET /api/cases/{caseId}/allocation',
        'GET /api/cases/{caseId}/summary',
        'GET /api/cases/{caseId}/notes',
        'GET /api/cases/{caseId}/notes/{noteId}',
        'GET /cases/{caseId}/notes',
        'GET /cases/{caseId}/chronology',
      ]),
    );
    const readItems = reads.map((entry) => {
      const items = (byRequest.get(entry.requestId) ?? []).filter((item) => item.kind === 'case-read');
      return { request: `${entry.who} ${entry.method} ${entry.path}`, items: items.map(({ userId, what }) => ({ userId, what })) };
    });
    expect(readItems).toEqual(
      reads.map((entry) => ({
        request: `${entry.who} ${entry.method} ${entry.path}`,
        items: [{ userId: subOf(entry.who), what: entry.route }],
      })),
    );
    // Why each was allowed: the team before allocation, the allocation after it for those allocated.
    const allocatedAt = sent.findIndex((entry) => entry.method === 'PUT' && entry.path.endsWith('/allocation'));
    for (const [index, entry] of sent.entries()) {
      if (!reads.includes(entry)) continue;
      const reason = byRequest.get(entry.requestId)!.find((item) => item.kind === 'case-read')!.reason;
      const allocated = index > allocatedAt && (entry.who === 'socialworker' || entry.who === 'specialist');
      expect({ request: `${entry.who} ${entry.path}`, reason }).toEqual({
        request: `${entry.who} ${entry.path}`,
        reason: allocated ? 'allocated' : 'team-member',
      });
    }
    // Reads per worker: nothing audited that the journey did not ask for (its writes open the case too, and are audited).
    const requestIds = new Set(sent.map((entry) => entry.requestId));
    expect(trail.filter((item) => !requestIds.has(item.requestId))).toEqual([]);
    const readsPerWorker = (items: AuditItem[]) =>
      Object.fromEntries(
        (['socialworker', 'specialist', 'manager'] as const).map((who) => [
          who,
          items.filter((item) => item.kind === 'case-read' && item.userId === subOf(who) && item.what.startsWith('GET ')).length,
        ]),
      );
    const readsSent = (who: Who) => reads.filter((entry) => entry.who === who).length;
    expect(readsPerWorker(trail)).toEqual({
      socialworker: readsSent('socialworker'),
      specialist: readsSent('specialist'),
      manager: readsSent('manager'),
    });

    // Dana's restricted note shown to her in full: one RESTRICTED item for that request and note; nobody else saw it in full.
    const danaRead = sent.find((entry) => entry.who === 'specialist' && entry.path === `/api/cases/${caseId}/notes/${danaNoteId}`)!;
    const restricted = trail.filter((item) => item.kind === 'restricted-entry-read');
    expect(restricted.map(({ userId, requestId, noteId, what }) => ({ userId, requestId, noteId, what }))).toEqual([
      { userId: subOf('specialist'), requestId: danaRead.requestId, noteId: danaNoteId, what: 'GET /api/cases/{caseId}/notes/{noteId}' },
    ]);
    expect(restricted[0]!.sk).toMatch(/^RESTRICTED#/);

    // The south team's worker: a DENIED item for each 404 on this case (JSON and page), no READ.
    const southAsks = sent.filter((entry) => entry.who === 'southworker' && entry.path.includes(caseId));
    expect(southAsks.map((entry) => entry.status)).toEqual([404, 404]);
    const denied = trail.filter((item) => item.kind === 'case-read-denied');
    expect(denied.map(({ userId, requestId, reason, what }) => ({ userId, requestId, reason, what }))).toEqual(
      southAsks.map((entry) => ({
        userId: subOf('southworker'),
        requestId: entry.requestId,
        reason: 'no-relationship',
        what: entry.route,
      })),
    );
    expect(denied.every((item) => item.sk.startsWith('DENIED#'))).toBe(true);
    expect(trail.filter((item) => item.userId === subOf('southworker') && item.kind !== 'case-read-denied')).toEqual([]);
  });
});
