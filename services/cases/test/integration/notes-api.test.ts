/**
 * The notes JSON routes through the cases HTTP function against DynamoDB Local: a case opened by
 * the real consumer (with its family network from the referral), then drafts by a social worker and
 * an adult specialist, a conflict between two versions of a draft, completion, amendment, the
 * chronology, and a restricted note withheld from the roles it is not open to.
 */
import { randomUUID } from 'node:crypto';
import { caseChronologyEntryAddedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { createCaseStore } from '../../src/store/case-store';
import { caseAuditItems } from '../support/audit';
import { casesHttpHandler } from '../support/http';
import { outboxOf } from '../support/outbox';
import { referralAccepted } from '../support/referral-accepted';

/** Tuesday 10 February 2026, 2:30pm in London. */
const NOW = '2026-02-10T14:30:00.000Z';
/** The case opened the day before: its notes' contacts come after it in the chronology. */
const OPENED = new Date('2026-02-09T10:00:00.000Z');
const referralId = '01JGZ8Q4V7K3M2N5P6R8S9T0VW';
const caseId = caseIdForReferral(referralId);
const MIA = 'child-01JGZ8R1';

const socialWorker = workerClaims({
  sub: 'sw-0001',
  'cognito:username': 'sam.patel',
  name: 'Sam Patel',
  'cognito:groups': '[social-worker]',
});
const otherSocialWorker = workerClaims({
  sub: 'sw-0002',
  'cognito:username': 'ola.ade',
  name: 'Ola Ade',
  'cognito:groups': '[social-worker]',
});
const specialist = workerClaims({ sub: 'as-0001', 'cognito:username': 'jo.reid', name: 'Jo Reid', 'cognito:groups': '[adult-specialist]' });
const manager = workerClaims({
  sub: 'tm-0001',
  'cognito:username': 'tara.mensah',
  name: 'Tara Mensah',
  'cognito:groups': '[team-manager]',
});
const otherTeam = workerClaims({ sub: 'sw-0009', 'cognito:groups': '[social-worker]', 'custom:team': 'team-south-2' });
const frontDoor = workerClaims({ sub: 'fd-0001', 'cognito:groups': '[front-door]', 'custom:team': 'front-door' });
const administrator = workerClaims({ sub: 'ad-0001', 'cognito:groups': '[administrator]', 'custom:team': 'platform' });

let table: TestTable;
let runtime: ServiceRuntime;
let api: ReturnType<typeof casesHttpHandler>;
let adultId: string;

beforeEach(async () => {
  const setup = await createTestRuntime('cases', fixedClock(NOW));
  table = setup.table;
  runtime = setup.runtime;
  api = casesHttpHandler(runtime);
  await deliverUntilAccepted(createReferralAcceptedConsumer({ ...runtime, clock: () => OPENED }), [referralAccepted({ referralId })]);
  const file = await createCaseStore(runtime.documents, runtime.tableName).readCase(caseId);
  adultId = file?.network?.network.adults[0]?.personId ?? 'no-adult';
});
afterEach(async () => {
  await table.drop();
});

type Claims = ReturnType<typeof workerClaims>;
const call = async (method: string, path: string, claims: Claims, body?: unknown) => {
  const response = await api(
    apiGatewayEvent({
      method,
      path,
      claims,
      requestId: `req-${randomUUID()}`,
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    }),
  );
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
};

const visit = (overrides: Record<string, unknown> = {}) => ({
  type: 'home-visit',
  contactDate: '2026-02-10',
  contactTime: '09:30',
  seenPersonIds: [MIA, adultId],
  childrenSeenAlone: [{ childId: MIA, answer: 'yes' }],
  narrative: 'Mia showed me her bedroom and said she feels safe at home this week.',
  ...overrides,
});

async function startNote(claims: Claims, overrides: Record<string, unknown> = {}) {
  const started = await call('POST', `/api/cases/${caseId}/notes`, claims, visit(overrides));
  expect(started.status).toBe(201);
  return started.body as { id: string; version: number };
}

async function completedNote(claims: Claims, overrides: Record<string, unknown> = {}) {
  const note = await startNote(claims, overrides);
  const done = await call('POST', `/api/cases/${caseId}/notes/${note.id}/complete`, claims, { version: note.version });
  expect(done.status).toBe(200);
  return done.body as { id: string; version: number };
}

const auditOf = () => caseAuditItems(table, caseId);

describe('POST /api/cases/{caseId}/notes', () => {
  it('starts a draft by its author, with who was seen from the network and the contact’s London time', async () => {
    const started = await call('POST', `/api/cases/${caseId}/notes`, socialWorker, visit({ significant: true }));
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      caseId,
      status: 'draft',
      version: 1,
      type: 'home-visit',
      occurredAt: '2026-02-10T09:30:00.000Z',
      seenPersonIds: [MIA, adultId],
      childrenSeenAlone: [{ childId: MIA, answer: 'yes' }],
      significant: true,
      visibleTo: [],
      restricted: false,
      author: { userId: 'sw-0001', name: 'Sam Patel', roles: ['social-worker'] },
      amendments: [],
    });
  });

  it('answers every field to correct, nothing stored: a future contact, someone not in the network, a narrative over the limit', async () => {
    const refused = await call(
      'POST',
      `/api/cases/${caseId}/notes`,
      socialWorker,
      visit({ contactTime: '15:00', seenPersonIds: [MIA, 'stranger-1'], childrenSeenAlone: [{ childId: MIA, answer: 'no' }] }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { in: 'body', path: '$.contactDate', message: 'The date and time of the contact must be now or in the past' },
      { in: 'body', path: '$.seenPersonIds', message: 'Choose the people seen from the family network' },
    ]);
    const tooLong = await call('POST', `/api/cases/${caseId}/notes`, socialWorker, visit({ narrative: 'a'.repeat(20_001) }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors).toEqual([{ in: 'body', path: '$.narrative', message: 'What happened must be 20,000 characters or fewer' }]);
    expect((await call('GET', `/api/cases/${caseId}/notes`, socialWorker)).body.notes).toEqual([]);
  });

  it('is refused to the front door and an administrator (403) and to another team (404)', async () => {
    expect((await call('POST', `/api/cases/${caseId}/notes`, frontDoor, visit())).status).toBe(403);
    expect((await call('POST', `/api/cases/${caseId}/notes`, administrator, visit())).status).toBe(403);
    expect((await call('POST', `/api/cases/${caseId}/notes`, otherTeam, visit())).status).toBe(404);
    expect((await call('GET', `/api/cases/${caseId}/notes`, otherTeam)).status).toBe(404);
    expect((await call('GET', `/api/cases/${caseId}/notes`, frontDoor)).status).toBe(403);
  });
});

describe('drafts', () => {
  it('a second edit from the same version is told, with the note as it now stands; nothing overwritten', async () => {
    const note = await startNote(socialWorker);
    const first = await call('PUT', `/api/cases/${caseId}/notes/${note.id}`, socialWorker, {
      ...visit({ narrative: 'First tab.' }),
      version: 1,
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ version: 2, narrative: 'First tab.' });
    const second = await call('PUT', `/api/cases/${caseId}/notes/${note.id}`, socialWorker, {
      ...visit({ narrative: 'Second tab.' }),
      version: 1,
    });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ status: 409, version: 2, note: { id: note.id, narrative: 'First tab.', version: 2 } });
    expect((await call('GET', `/api/cases/${caseId}/notes/${note.id}`, socialWorker)).body.narrative).toBe('First tab.');
  });

  it('are their author’s: not listed for anyone else, and another worker cannot change or complete one', async () => {
    const note = await startNote(socialWorker);
    expect((await call('GET', `/api/cases/${caseId}/notes`, manager)).body.notes).toEqual([]);
    expect((await call('GET', `/api/cases/${caseId}/notes/${note.id}`, manager)).status).toBe(404);
    expect((await call('PUT', `/api/cases/${caseId}/notes/${note.id}`, otherSocialWorker, { ...visit(), version: 1 })).status).toBe(404);
    expect((await call('POST', `/api/cases/${caseId}/notes/${note.id}/complete`, otherSocialWorker, { version: 1 })).status).toBe(404);
  });

  it('PUT names a missing version with the content’s fields', async () => {
    const note = await startNote(socialWorker);
    const refused = await call('PUT', `/api/cases/${caseId}/notes/${note.id}`, socialWorker, { ...visit(), type: 'chat' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((error: { path: string }) => error.path)).toEqual(['$.version', '$.type']);
  });
});

describe('completing', () => {
  it('is final: the note cannot be edited or completed again, and a significant note is in the chronology', async () => {
    const note = await completedNote(socialWorker, { significant: true });
    expect(note).toMatchObject({ status: 'completed', version: 2, completedAt: NOW });
    const edit = await call('PUT', `/api/cases/${caseId}/notes/${note.id}`, socialWorker, {
      ...visit({ narrative: 'Later.' }),
      version: 2,
    });
    expect(edit.status).toBe(409);
    expect(edit.body.detail).toBe('The note is completed: it cannot be changed, only amended.');
    expect((await call('POST', `/api/cases/${caseId}/notes/${note.id}/complete`, socialWorker, { version: 2 })).status).toBe(409);

    const shown = await call('GET', `/api/cases/${caseId}`, manager);
    expect(shown.body.chronology.map((entry: { kind: string }) => entry.kind)).toEqual(['case-opened', 'note-significant']);
    expect(shown.body.chronology[1].text).toBe(
      'Home visit recorded by Sam Patel: Mia showed me her bedroom and said she feels safe at home this week.',
    );
  });

  it('publishes a significant note’s entry as CaseChronologyEntryAdded, in the request’s journey', async () => {
    const note = await startNote(socialWorker, { significant: true });
    const done = await api(
      apiGatewayEvent({
        method: 'POST',
        path: `/api/cases/${caseId}/notes/${note.id}/complete`,
        claims: socialWorker,
        requestId: 'req-complete-note',
        headers: { 'content-type': 'application/json', 'x-correlation-id': 'journey-note-1' },
        body: JSON.stringify({ version: note.version }),
      }),
    );
    expect(done.statusCode).toBe(200);
    const published = (await outboxOf(table, caseChronologyEntryAddedV1)).filter((event) => event.data.kind === 'note-significant');
    expect(published).toHaveLength(1);
    expect(published[0]?.metadata).toMatchObject({ correlationId: 'journey-note-1', causationId: 'req-complete-note' });
    expect(published[0]?.data).toMatchObject({
      caseId,
      entryId: `note-significant-${note.id}`,
      text: 'Home visit recorded by Sam Patel: Mia showed me her bedroom and said she feels safe at home this week.',
      restricted: false,
    });
  });

  it('needs a narrative', async () => {
    const note = await startNote(socialWorker, { narrative: '' });
    const refused = await call('POST', `/api/cases/${caseId}/notes/${note.id}/complete`, socialWorker, { version: 1 });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ in: 'body', path: '$.narrative', message: 'Enter what happened before completing the note' }]);
  });
});

describe('amendments', () => {
  it('keep both versions; the second of two amending from the same reading is told', async () => {
    const note = await completedNote(socialWorker);
    const amended = await call('POST', `/api/cases/${caseId}/notes/${note.id}/amendments`, manager, {
      reason: 'The visit was on Monday',
      narrative: 'On Monday Mia showed me her bedroom.',
      amendmentCount: 0,
    });
    expect(amended.status).toBe(201);
    expect(amended.body).toMatchObject({
      narrative: 'On Monday Mia showed me her bedroom.',
      originalNarrative: 'Mia showed me her bedroom and said she feels safe at home this week.',
      amendments: [{ number: 1, reason: 'The visit was on Monday', by: { userId: 'tm-0001', name: 'Tara Mensah' }, at: NOW }],
    });
    const stale = await call('POST', `/api/cases/${caseId}/notes/${note.id}/amendments`, socialWorker, {
      reason: 'Typo',
      narrative: 'Mia showed me her bedroom.',
      amendmentCount: 0,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.note.amendments).toHaveLength(1);
  });

  it('a draft cannot be amended, and a reason is required', async () => {
    const draft = await startNote(socialWorker);
    expect(
      (await call('POST', `/api/cases/${caseId}/notes/${draft.id}/amendments`, socialWorker, { reason: 'r', narrative: 'n' })).status,
    ).toBe(409);
    const note = await completedNote(socialWorker);
    const refused = await call('POST', `/api/cases/${caseId}/notes/${note.id}/amendments`, socialWorker, { reason: '', narrative: 'n' });
    expect(refused.body.errors).toEqual([{ in: 'body', path: '$.reason', message: 'Enter the reason for the amendment' }]);
  });
});

describe('a restricted note', () => {
  it('is withheld from the roles it is not open to, who see that it exists; its views in full are audited', async () => {
    const note = await completedNote(specialist, {
      type: 'direct-work',
      seenPersonIds: [adultId],
      childrenSeenAlone: [],
      narrative: 'Kerry talked about her mental health and the medication she has stopped.',
      visibleTo: ['adult-specialist', 'team-manager'],
      significant: true,
    });

    const forSocialWorker = await call('GET', `/api/cases/${caseId}/notes`, socialWorker);
    expect(forSocialWorker.body.notes).toEqual([
      {
        id: note.id,
        caseId,
        restricted: true,
        withheld: true,
        type: 'direct-work',
        author: { userId: 'as-0001', name: 'Jo Reid' },
        occurredAt: '2026-02-10T09:30:00.000Z',
        completedAt: NOW,
      },
    ]);
    expect(JSON.stringify(forSocialWorker.body)).not.toContain('medication');
    const single = await call('GET', `/api/cases/${caseId}/notes/${note.id}`, socialWorker);
    expect(single.body.withheld).toBe(true);
    // Nor may a worker who cannot read it amend it.
    expect(
      (await call('POST', `/api/cases/${caseId}/notes/${note.id}/amendments`, socialWorker, { reason: 'r', narrative: 'n' })).status,
    ).toBe(403);
    // The chronology says a restricted entry was recorded, never what it says.
    const shown = await call('GET', `/api/cases/${caseId}`, socialWorker);
    expect(shown.body.chronology[1].text).toBe('Restricted entry — direct work recorded by Jo Reid');

    const forManager = await call('GET', `/api/cases/${caseId}/notes`, manager);
    expect(forManager.body.notes[0]).toMatchObject({ restricted: true, narrative: expect.stringContaining('medication') });
    const restrictedViews = (await auditOf()).filter((item) => String(item.sk).startsWith('RESTRICTED#'));
    expect(restrictedViews).toHaveLength(1);
    expect(restrictedViews[0]).toMatchObject({ userId: 'tm-0001', noteId: note.id });
  });
});
