/**
 * Recording group supervision through the pages (the real handler, a sealed session, CSRF and
 * Origin as a browser sends them, DynamoDB Local), from a case opened and allocated through the real
 * consumers: the chair saves a draft as they go, adds action rows without JavaScript, completes the
 * record once however often it is sent, amends it with a reason, moves a supervision's date; an
 * owner marks their action as done; a consultation is recorded; every case page read is audited,
 * and another team's worker is told there is nothing, audited as denied.
 */
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { itemsOfKind } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { caseAuditItems, teamAuditItems } from '../support/audit';
import { openAndAllocate } from '../support/cases';
import { fixtureDirectory, person } from '../support/directory';
import { mainHrefsOf, mainTextOf, type PageWorker, pagesUnderTest } from '../support/pages';

/** Tuesday 10 March 2026, 9am in London (GMT). */
const NOW = '2026-03-10T09:00:00.000Z';
const NORTH = 'team-north-1';
/** The social worker the CaseAllocated fixture allocates. */
const SW = '3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71';

const manager: PageWorker = { userId: 'tm-0001', name: 'Tara Mensah', roles: ['team-manager'], teamId: NORTH };
const allocated: PageWorker = { userId: SW, name: 'Sam Okafor', roles: ['social-worker'], teamId: NORTH };
const teamWorker: PageWorker = { userId: 'sw-0002', name: 'Ruth Hale', roles: ['social-worker'], teamId: NORTH };
const southManager: PageWorker = { userId: 'tm-0002', name: 'Kim Lee', roles: ['team-manager'], teamId: 'team-south-2' };

const directory = fixtureDirectory([
  person(manager.userId, manager.name, ['team-manager'], NORTH),
  person(SW, 'Sam Okafor', ['social-worker'], NORTH),
  person(teamWorker.userId, teamWorker.name, ['social-worker'], NORTH),
]);

// The first supervision is due a calendar month after the allocation.
const RECORDED = { caseId: 'case-recorded', teamId: NORTH, openedAt: '2026-02-02T10:00:00.000Z', reference: 'FSP-2026-000501' }; // due Monday 2 March 2026
const MOVED = { caseId: 'case-moved', teamId: NORTH, openedAt: '2026-03-02T10:00:00.000Z', reference: 'FSP-2026-000502' }; // due Thursday 2 April 2026

const RECORD = '/supervision/cases/case-recorded/supervisions/1';

let table: TestTable;
let pages: ReturnType<typeof pagesUnderTest>;

beforeAll(async () => {
  const setup = await createTestRuntime('supervision', fixedClock(NOW));
  table = setup.table;
  pages = pagesUnderTest(setup.runtime, directory);
  await openAndAllocate(setup.runtime, [RECORDED, MOVED]);
});
afterAll(async () => {
  await table.drop();
});

const heldEvents = async () => (await itemsOfKind(table, 'outbox')).filter((item) => item.detailType === 'SupervisionHeld');
const versionIn = (html: string): string => /name="version" value="(\d+)"/.exec(html)?.[1] ?? 'none';

/** The whole record, complete, as the chair's browser sends it. */
const completeRecord = {
  'heldOn-day': '9',
  'heldOn-month': '3',
  'heldOn-year': '2026',
  [`presence-${SW}`]: 'attended',
  [`presence-${manager.userId}`]: 'attended',
  rating: 'amber',
  ratingRationale: 'School attendance has dropped again.',
  discussion: 'We think the mother is frightened to ask for help.',
  risks: 'Escalating arguments at home.',
  strengths: 'Grandmother is close by.',
  decisions: 'Keep the case open on a CIN plan.',
  actionRows: '1',
  action0What: 'Visit the grandmother',
  action0Owner: SW,
  'action0Due-day': '20',
  'action0Due-month': '3',
  'action0Due-year': '2026',
};

describe('recording a supervision', () => {
  it('shows the chair the form: who may attend by name, the rating, one blank action row; and audits the read', async () => {
    const response = await pages.get(manager, RECORD);
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['cache-control']).toBe('no-store');
    const text = mainTextOf(response.body!);
    expect(text).toContain('Case FSP-2026-000501 Record group supervision 1');
    expect(text).toContain('Due by the end of Overdue Monday 2 March 2026 (overdue by 6 working days)');
    expect(text).toContain('Sam Okafor Attended Sent apologies Neither');
    expect(text).toContain('Tara Mensah Attended Sent apologies Neither');
    expect(response.body).toContain('name="action0What"');
    expect(response.body).not.toContain('name="action1What"');
    expect(versionIn(response.body!)).toBe('0');
    const audit = await caseAuditItems(table, 'case-recorded');
    expect(audit).toContainEqual(
      expect.objectContaining({
        kind: 'supervision-read',
        userId: manager.userId,
        reason: 'team-member',
        what: `GET /supervision/cases/{caseId}/supervisions/{sequence}`,
      }),
    );
  });

  it('saves a draft of any valid part ("Save and continue later"), and shows it again', async () => {
    const saved = await pages.post(manager, RECORD, { version: '0', action: 'save', actionRows: '1', discussion: 'First thoughts.' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers?.location).toBe(`${RECORD}?done=saved`);
    const page = await pages.get(manager, saved.headers!.location!);
    expect(mainTextOf(page.body!)).toContain('Your draft was saved.');
    expect(page.body).toContain('First thoughts.');
    expect(versionIn(page.body!)).toBe('1');
  });

  it('"Add another action" saves and shows one more blank row, without JavaScript', async () => {
    const added = await pages.post(manager, RECORD, {
      version: '1',
      action: 'add-action',
      actionRows: '1',
      discussion: 'First thoughts.',
      action0What: 'Ring the school',
      action0Owner: manager.userId,
      'action0Due-day': '13',
      'action0Due-month': '3',
      'action0Due-year': '2026',
    });
    expect(added.statusCode).toBe(303);
    const page = await pages.get(manager, added.headers!.location!);
    expect(page.body).toContain('Ring the school');
    expect(page.body).toContain('name="action1What"');
    expect(page.body).toContain('name="actionRows" value="2"');
  });

  it('refuses a half-filled action row and an incomplete record, each message by its field, what was typed kept', async () => {
    const response = await pages.post(manager, RECORD, {
      version: '2',
      action: 'complete',
      actionRows: '1',
      discussion: 'Typed but not saved.',
      action0What: 'Half an action',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<title>Error: ');
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('href="#heldOn-day"');
    expect(response.body).toContain('href="#action0Owner"');
    expect(response.body).toContain('Typed but not saved.');
    expect(mainTextOf(response.body!)).toContain('Enter the date the supervision was held');
  });

  it('answers a stale save with the form again, saying someone else changed the record, and the record as it stands', async () => {
    const response = await pages.post(manager, RECORD, { version: '1', action: 'save', actionRows: '1', discussion: 'An older tab.' });
    expect(response.statusCode).toBe(409);
    const text = mainTextOf(response.body!);
    expect(text).toContain('Someone else changed this record since you opened it');
    expect(text).toContain('The record as it now stands');
    expect(response.body).toContain('An older tab.');
    expect(versionIn(response.body!)).toBe('2');
  });

  it('shows a worker who does not chair that the record is not complete yet, and refuses them the form', async () => {
    const page = await pages.get(allocated, RECORD);
    expect(page.statusCode).toBe(200);
    expect(mainTextOf(page.body!)).toContain('It has not been recorded yet.');
    expect(page.body).not.toContain('First thoughts.');
    const refused = await pages.post(allocated, RECORD, { version: '2', action: 'save', actionRows: '0' });
    expect(refused.statusCode).toBe(403);
  });

  it('completes the record once: the second tab sees the completed record and a notice, and nothing is published twice', async () => {
    const completed = await pages.post(manager, RECORD, { ...completeRecord, version: '2', action: 'complete' });
    expect(completed.statusCode).toBe(303);
    expect(completed.headers?.location).toBe(`${RECORD}?done=completed`);
    const again = await pages.post(manager, RECORD, { ...completeRecord, version: '2', action: 'complete' });
    expect(again.statusCode).toBe(200);
    expect(mainTextOf(again.body!)).toContain('This record was already completed');
    expect(await heldEvents()).toHaveLength(1);

    const page = await pages.get(manager, completed.headers!.location!);
    const text = mainTextOf(page.body!);
    expect(text).toContain('The supervision record is complete.');
    expect(text).toContain('Held on Monday 9 March 2026');
    expect(text).toContain('Attended Sam Okafor Tara Mensah');
    expect(text).toContain('Rating Amber');
    expect(text).toContain('Visit the grandmother Sam Okafor, due Friday 20 March 2026 (due in 8 working days)');
    expect(mainHrefsOf(page.body!)).toContain(`${RECORD}/amend`);
  });

  it('shows the case’s history: the supervision held and rated, the next one scheduled, the rating over time', async () => {
    const page = await pages.get(allocated, '/supervision/cases/case-recorded');
    expect(page.statusCode).toBe(200);
    const text = mainTextOf(page.body!);
    expect(text).toContain('Group supervision 1 View (Group supervision 1) Status Held Amber When Held on Monday 9 March 2026');
    expect(text).toContain('Group supervision 2 View (Group supervision 2) Status Scheduled');
    expect(text).toContain('Monday 9 March 2026 Amber School attendance has dropped again.');
  });
});

describe('amending a completed record', () => {
  it('requires a reason, then keeps the amendment with what changed before and after', async () => {
    const form = await pages.get(manager, `${RECORD}/amend`);
    expect(form.statusCode).toBe(200);
    const version = versionIn(form.body!);
    const fields = {
      ...completeRecord,
      action0Id: 'kept',
      version,
      action: 'amend',
      decisions: 'Step up to a child protection conference.',
    };
    // The assigned action comes back as the form carries it (hidden, unchanged): take the form's own id.
    fields.action0Id = /name="action0Id" value="([^"]+)"/.exec(form.body!)?.[1] ?? 'missing';
    const refused = await pages.post(manager, `${RECORD}/amend`, { ...fields, actionRows: '2' });
    expect(refused.statusCode).toBe(400);
    expect(mainTextOf(refused.body!)).toContain('Enter the reason for the amendment');
    const amended = await pages.post(manager, `${RECORD}/amend`, {
      ...fields,
      actionRows: '2',
      reason: 'The conference was agreed after the meeting.',
    });
    expect(amended.statusCode).toBe(303);
    const page = await pages.get(manager, amended.headers!.location!);
    const text = mainTextOf(page.body!);
    expect(text).toContain('Amendment 1');
    expect(text).toContain('The conference was agreed after the meeting.');
    expect(text).toContain('Before Decisions Keep the case open on a CIN plan. After Decisions Step up to a child protection conference.');
  });
});

describe('actions', () => {
  it('lists the owner’s open actions, and "Mark as done" completes one', async () => {
    const list = await pages.get(allocated, '/supervision/actions');
    expect(list.statusCode).toBe(200);
    expect(mainTextOf(list.body!)).toContain('Visit the grandmother');
    const form = /<form method="post" action="([^"]+\/complete)"/.exec(list.body!)?.[1];
    expect(form).toBeDefined();
    const done = await pages.post(allocated, form!.replaceAll('&#x2F;', '/'), {});
    expect(done.statusCode).toBe(303);
    const after = await pages.get(allocated, done.headers!.location!);
    expect(mainTextOf(after.body!)).toContain('The action was marked as done.');
    expect(mainTextOf(after.body!)).not.toContain('Visit the grandmother');
    expect(await teamAuditItems(table, NORTH)).toContainEqual(expect.objectContaining({ kind: 'supervision-team-read', userId: SW }));
  });
});

describe('moving a supervision', () => {
  const MOVE = '/supervision/cases/case-moved/supervisions/1/reschedule';

  it('refuses a weekend and a missing reason, then moves it; its due date stays', async () => {
    const form = await pages.get(manager, MOVE);
    expect(form.statusCode).toBe(200);
    const version = versionIn(form.body!);
    const refused = await pages.post(manager, MOVE, {
      version,
      'scheduledDate-day': '14',
      'scheduledDate-month': '3',
      'scheduledDate-year': '2026',
    });
    expect(refused.statusCode).toBe(400);
    const text = mainTextOf(refused.body!);
    expect(text).toContain('The new date must be a working day');
    expect(text).toContain('Enter the reason for moving the supervision');
    const moved = await pages.post(manager, MOVE, {
      version,
      'scheduledDate-day': '16',
      'scheduledDate-month': '3',
      'scheduledDate-year': '2026',
      reason: 'The chair is on leave that week.',
    });
    expect(moved.statusCode).toBe(303);
    const page = await pages.get(manager, moved.headers!.location!);
    expect(mainTextOf(page.body!)).toContain('The supervision was moved to its new date.');
    expect(mainTextOf(page.body!)).toContain('Scheduled for Monday 16 March 2026 at 10am');
    expect(mainTextOf(page.body!)).toContain('Thursday 2 April 2026');
  });

  it('is the chair’s: a social worker of the team is refused', async () => {
    expect((await pages.get(teamWorker, MOVE)).statusCode).toBe(403);
  });
});

describe('consultations', () => {
  const NEW = '/supervision/cases/case-moved/consultations/new';

  it('refuses an empty form, then records one, shown on the case’s page', async () => {
    const refused = await pages.post(teamWorker, NEW, {});
    expect(refused.statusCode).toBe(400);
    expect(mainTextOf(refused.body!)).toContain('Enter who you consulted');
    const recorded = await pages.post(teamWorker, NEW, {
      with: 'Dr Priya Shah, clinical psychologist',
      'heldOn-day': '9',
      'heldOn-month': '3',
      'heldOn-year': '2026',
      notes: 'Talked through the hypotheses.',
    });
    expect(recorded.statusCode).toBe(303);
    const page = await pages.get(teamWorker, recorded.headers!.location!);
    expect(mainTextOf(page.body!)).toContain('Monday 9 March 2026: consulted Dr Priya Shah, clinical psychologist');
  });
});

describe('another team', () => {
  it('is told there is no such case, exactly as for an unknown one, and the attempt is audited as denied', async () => {
    const other = await pages.get(southManager, RECORD);
    const unknown = await pages.get(southManager, '/supervision/cases/case-nobody/supervisions/1');
    expect(other.statusCode).toBe(404);
    expect(mainTextOf(other.body!)).toBe(mainTextOf(unknown.body!));
    expect(await caseAuditItems(table, 'case-recorded')).toContainEqual(
      expect.objectContaining({ kind: 'supervision-read-denied', userId: southManager.userId, reason: 'no-relationship' }),
    );
  });
});
