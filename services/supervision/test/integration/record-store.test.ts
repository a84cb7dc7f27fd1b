/**
 * The record's writes in the store: drafts conditional on the version, completing in one
 * transaction (once, however often or concurrently it is asked), amendments, rescheduling,
 * completing actions and consultations; and a closed case's draft completed with nothing after it.
 */
import { parseEventDetail } from '@fsp/shared/events/build';
import { supervisionHeldV1, supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import { itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { parseLocalDate } from '@fsp/shared/time/local-date';
import type { RecordContent } from '../../src/domain/model';
import { checkRecord, type RecordInput } from '../../src/domain/record';
import { createSupervisionStore, type SupervisionStore } from '../../src/store/supervision-store';
import { openAndAllocate } from '../support/cases';

const WORKER = '3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71';
const CHAIR = { userId: 'user-north-tm', name: 'Pat Reid' };
const CAUSE = { correlationId: 'journey-record', causationId: 'request-1' };
// Wednesday 25 November 2026, 12:00 GMT.
const NOW = new Date('2026-11-25T12:00:00.000Z');

let table: TestTable;
let store: SupervisionStore;
let caseCount = 0;

beforeAll(async () => {
  const setup = await createTestRuntime('supervision', () => NOW);
  table = setup.table;
  store = createSupervisionStore(setup.runtime);
});
afterAll(async () => {
  await table.drop();
});

/** A case of team-north-1 opened and given its first social worker on Monday 2 November 2026. */
async function newCase(): Promise<string> {
  caseCount += 1;
  const caseId = `case-record-${caseCount}`;
  await openAndAllocate(
    { ...(await createTestRuntime('unused', () => NOW)).runtime, documents: table.documentClient, tableName: table.tableName },
    [{ caseId, teamId: 'team-north-1', openedAt: '2026-11-02T09:00:00.000Z', reference: `FSP-2026-00${caseCount}` }],
  );
  return caseId;
}

const FULL: RecordInput = {
  heldOn: '2026-11-25',
  attendees: [WORKER, CHAIR.userId],
  rating: 'amber',
  ratingRationale: 'Mum has engaged with the domestic abuse worker; dad’s drinking is unchanged.',
  discussion: 'Hypothesis: the children are safer when dad is at work.',
  decisions: 'Continue the plan; review the school’s report.',
  actions: [{ what: 'Visit school to discuss attendance', ownerId: WORKER, dueDate: '2026-12-24' }],
};

function content(input: RecordInput, mode: 'draft' | 'complete' = 'complete'): RecordContent {
  const checked = checkRecord(
    input,
    { now: NOW, openedAt: '2026-11-02T09:00:00.000Z', chairId: CHAIR.userId, allocatedWorkerIds: [WORKER] },
    mode,
  );
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return checked.content;
}

const completeInput = (expectedVersion: number, input: RecordInput = FULL) => ({
  expectedVersion,
  content: content(input),
  chair: CHAIR,
  ownerNames: { [WORKER]: 'Alex Jones' },
  now: NOW,
  ...CAUSE,
});

const outboxOf = async (caseId: string, detailType: string) =>
  (await itemsOfKind(table, 'outbox'))
    .filter((item) => item.detailType === detailType)
    .map((item) => JSON.parse(String(item.detail)))
    .filter((detail) => detail.data.caseId === caseId);

describe('drafts', () => {
  it('saves part of a record as it goes, each save conditional on the version the form had', async () => {
    const caseId = await newCase();
    const draft = { expectedVersion: 0, content: content({ discussion: 'Started' }, 'draft'), chair: CHAIR, now: NOW };
    expect(await store.saveDraft(caseId, 1, draft)).toEqual({ kind: 'saved', version: 1 });
    // A second tab still on version 0: stale, told the version now.
    expect(await store.saveDraft(caseId, 1, draft)).toEqual({ kind: 'stale', version: 1 });
    expect(await store.saveDraft(caseId, 1, { ...draft, expectedVersion: 1 })).toEqual({ kind: 'saved', version: 2 });
    const read = await store.readCase(caseId);
    expect(read?.supervisions[0]?.record).toMatchObject({ recordStatus: 'draft', recordVersion: 2, discussion: 'Started', chair: CHAIR });
    expect(read?.supervisions[0]?.status).toBe('scheduled');
    expect(await store.saveDraft(caseId, 9, draft)).toEqual({ kind: 'no-such-supervision' });
  });
});

describe('completing', () => {
  it('writes the record, holds the supervision, schedules the next, assigns the actions and publishes, in one go', async () => {
    const caseId = await newCase();
    const result = await store.complete(caseId, 1, completeInput(0));
    expect(result).toMatchObject({ kind: 'completed', version: 1 });

    const read = await store.readCase(caseId);
    const [held, next] = read?.supervisions ?? [];
    expect(held).toMatchObject({ status: 'held', heldOn: '2026-11-25', record: { recordStatus: 'completed', completedBy: CHAIR.userId } });
    // Held on 25 November: due Christmas Day, so planned for Thursday 24 December, 10:00 GMT.
    expect(next).toMatchObject({
      sequence: 2,
      status: 'scheduled',
      dueDate: '2026-12-25',
      dueBy: '2026-12-25T23:59:59.999Z',
      scheduledDate: '2026-12-24',
      scheduledFor: '2026-12-24T10:00:00.000Z',
      previousRating: 'amber',
      agenda: { changes: [] },
    });
    expect(read?.supervisedCase).toMatchObject({
      lastRating: 'amber',
      lastHeldOn: '2026-11-25',
      ratings: [{ sequence: 1, heldOn: '2026-11-25', rating: 'amber', rationale: FULL.ratingRationale }],
    });
    expect(read?.actions).toEqual([
      expect.objectContaining({
        what: 'Visit school to discuss attendance',
        ownerId: WORKER,
        ownerName: 'Alex Jones',
        dueDate: '2026-12-24',
        dueBy: '2026-12-24T23:59:59.999Z',
        status: 'open',
        reference: expect.any(String),
      }),
    ]);
    expect(held?.record?.actions[0]?.actionId).toBe(read?.actions[0]?.actionId);
    // Off the agenda; the next one on it; the action on the team's list and its owner's.
    expect((await store.teamAgenda('team-north-1')).filter((s) => s.caseId === caseId).map((s) => s.sequence)).toEqual([2]);
    expect((await store.myActions('team-north-1', WORKER)).filter((a) => a.caseId === caseId)).toHaveLength(1);

    const [heldEvent] = await outboxOf(caseId, 'SupervisionHeld');
    expect(parseEventDetail(supervisionHeldV1, heldEvent).data).toMatchObject({
      sequence: 1,
      heldOn: '2026-11-25',
      chairId: CHAIR.userId,
      rating: 'amber',
      actions: 1,
      nextDueBy: '2026-12-25T23:59:59.999Z',
    });
    expect(heldEvent.data.previousRating).toBeUndefined();
    const scheduled = (await outboxOf(caseId, 'SupervisionScheduled')).map(
      (detail) => parseEventDetail(supervisionScheduledV1, detail).data,
    );
    expect(scheduled.map((data) => data.sequence)).toEqual(expect.arrayContaining([1, 2]));
    expect(await outboxOf(caseId, 'SupervisionActionAssigned')).toHaveLength(1);
    // The words of the action are never in an event.
    expect(JSON.stringify(await itemsOfKind(table, 'outbox'))).not.toContain('Visit school');

    // Timers: the held one's gone (overdue and due soon); the next one's and the action's there, due soon and overdue.
    const timers = (await itemsOfKind(table, 'timer')).filter((timer) => timer.caseId === caseId);
    expect(timers.map((timer) => [timer.timerKind, timer.fireAt]).sort()).toEqual([
      ['action-due-soon', '2026-12-22T00:00:00.000Z'],
      ['action-overdue-owner', '2026-12-24T23:59:59.999Z'],
      ['supervision-due-soon', '2026-12-18T00:00:00.000Z'],
      ['supervision-overdue', '2026-12-25T23:59:59.999Z'],
    ]);
  });

  it('completes once: a repeat is already-completed and publishes nothing more', async () => {
    const caseId = await newCase();
    expect((await store.complete(caseId, 1, completeInput(0))).kind).toBe('completed');
    expect(await store.complete(caseId, 1, completeInput(0))).toEqual({ kind: 'already-completed' });
    expect(await store.complete(caseId, 1, completeInput(1))).toEqual({ kind: 'already-completed' });
    expect(await store.saveDraft(caseId, 1, { expectedVersion: 1, content: content({}, 'draft'), chair: CHAIR, now: NOW })).toEqual({
      kind: 'already-completed',
    });
    expect(await outboxOf(caseId, 'SupervisionHeld')).toHaveLength(1);
    expect(await outboxOf(caseId, 'SupervisionActionAssigned')).toHaveLength(1);
  });

  it('completes once when two tabs complete at the same moment', async () => {
    const caseId = await newCase();
    const results = await Promise.all([store.complete(caseId, 1, completeInput(0)), store.complete(caseId, 1, completeInput(0))]);
    expect(results.filter((result) => result.kind === 'completed')).toHaveLength(1);
    expect(results.filter((result) => result.kind !== 'completed').map((result) => result.kind)).toEqual([
      expect.stringMatching(/^(already-completed|stale)$/),
    ]);
    expect(await outboxOf(caseId, 'SupervisionHeld')).toHaveLength(1);
    expect((await store.readCase(caseId))?.supervisions).toHaveLength(2);
  });

  it('answers stale to a form behind the saved draft', async () => {
    const caseId = await newCase();
    await store.saveDraft(caseId, 1, { expectedVersion: 0, content: content({ discussion: 'x' }, 'draft'), chair: CHAIR, now: NOW });
    expect(await store.complete(caseId, 1, completeInput(0))).toEqual({ kind: 'stale', version: 1 });
    expect((await store.complete(caseId, 1, completeInput(1))).kind).toBe('completed');
  });

  it('gives the previous rating at the next supervision', async () => {
    const caseId = await newCase();
    await store.complete(caseId, 1, completeInput(0));
    const result = await store.complete(caseId, 2, completeInput(0, { ...FULL, rating: 'red', actions: [] }));
    expect(result).toMatchObject({ kind: 'completed', next: { sequence: 3, previousRating: 'red' } });
    const held = (await outboxOf(caseId, 'SupervisionHeld')).find((detail) => detail.data.sequence === 2);
    expect(held?.data).toMatchObject({ rating: 'red', previousRating: 'amber', actions: 0 });
    expect((await store.readCase(caseId))?.supervisedCase.ratings.map((entry) => entry.rating)).toEqual(['amber', 'red']);
  });
});

describe('a closed case', () => {
  it('cancels the scheduled supervision; a draft already begun may be completed, and nothing is scheduled after it', async () => {
    const caseId = await newCase();
    await store.saveDraft(caseId, 1, { expectedVersion: 0, content: content({ discussion: 'Begun' }, 'draft'), chair: CHAIR, now: NOW });
    expect(await store.closeCase({ caseId, teamId: 'team-north-1', reference: 'FSP-X', closedAt: NOW.toISOString() }, NOW)).toBe('closed');
    expect(await store.closeCase({ caseId, teamId: 'team-north-1', reference: 'FSP-X', closedAt: NOW.toISOString() }, NOW)).toBe(
      'already-closed',
    );
    const read = await store.readCase(caseId);
    expect(read?.supervisedCase.closedAt).toBe(NOW.toISOString());
    expect(read?.supervisions[0]).toMatchObject({ status: 'cancelled', record: { recordStatus: 'draft' } });
    expect((await store.teamAgenda('team-north-1')).some((s) => s.caseId === caseId)).toBe(false);
    expect((await itemsOfKind(table, 'timer')).some((timer) => timer.caseId === caseId)).toBe(false);

    const result = await store.complete(caseId, 1, completeInput(1));
    expect(result).toEqual({ kind: 'completed', version: 2 });
    const [held] = await outboxOf(caseId, 'SupervisionHeld');
    expect(held.data.nextDueBy).toBeUndefined();
    expect((await store.readCase(caseId))?.supervisions.map((s) => [s.sequence, s.status])).toEqual([[1, 'held']]);
  });

  it('answers cancelled to a record started after the case closed', async () => {
    const caseId = await newCase();
    await store.closeCase({ caseId, teamId: 'team-north-1', reference: 'FSP-X', closedAt: NOW.toISOString() }, NOW);
    expect(await store.saveDraft(caseId, 1, { expectedVersion: 0, content: content({}, 'draft'), chair: CHAIR, now: NOW })).toEqual({
      kind: 'cancelled',
    });
    expect(await store.complete(caseId, 1, completeInput(0))).toEqual({ kind: 'cancelled' });
  });
});

describe('amending', () => {
  it('keeps the before and after with the reason, keeps assigned actions and assigns new ones', async () => {
    const caseId = await newCase();
    await store.complete(caseId, 1, completeInput(0));
    const completed = (await store.readCase(caseId))?.supervisions[0]?.record;
    const kept = completed?.actions[0]?.actionId;
    const amended = {
      ...content(FULL),
      rating: 'red' as const,
      actions: [...(completed?.actions ?? []), { what: 'Ring the GP', ownerId: CHAIR.userId, dueDate: parseLocalDate('2026-12-01') }],
    };
    expect(
      await store.amend(caseId, 1, { expectedVersion: 0, content: amended, reason: 'Typo', by: CHAIR, ownerNames: {}, now: NOW, ...CAUSE }),
    ).toEqual({
      kind: 'stale',
      version: 1,
    });
    const result = await store.amend(caseId, 1, {
      expectedVersion: 1,
      content: amended,
      reason: 'The rating was agreed as red at the end of the meeting',
      by: CHAIR,
      ownerNames: { [CHAIR.userId]: 'Pat Reid' },
      now: NOW,
      ...CAUSE,
    });
    expect(result).toEqual({ kind: 'amended', version: 2 });
    const read = await store.readCase(caseId);
    expect(read?.amendments).toEqual([
      expect.objectContaining({
        sequence: 1,
        number: 1,
        reason: 'The rating was agreed as red at the end of the meeting',
        before: { rating: 'amber', actions: [] },
        after: { rating: 'red', actions: [{ what: 'Ring the GP', ownerId: CHAIR.userId, dueDate: '2026-12-01' }] },
      }),
    ]);
    expect(read?.supervisedCase).toMatchObject({ lastRating: 'red', ratings: [{ sequence: 1, rating: 'red' }] });
    expect(read?.actions.map((action) => action.what).sort()).toEqual(['Ring the GP', 'Visit school to discuss attendance']);
    expect(read?.supervisions[0]?.record?.actions[0]?.actionId).toBe(kept);
    expect(await outboxOf(caseId, 'SupervisionActionAssigned')).toHaveLength(2);
    expect(
      await store.amend(caseId, 2, { expectedVersion: 0, content: amended, reason: 'x', by: CHAIR, ownerNames: {}, now: NOW, ...CAUSE }),
    ).toEqual({
      kind: 'not-completed',
    });
  });
});

describe('rescheduling', () => {
  it('moves the planned date, never the due date, once per version, and says so', async () => {
    const caseId = await newCase();
    const before = await store.supervision(caseId, 1);
    const move = { scheduledDate: parseLocalDate('2026-11-30'), reason: 'The DA worker is in court', by: CHAIR, now: NOW, ...CAUSE };
    const result = await store.reschedule(caseId, 1, { ...move, expectedVersion: 1 });
    expect(result).toMatchObject({
      kind: 'rescheduled',
      supervision: { scheduledDate: '2026-11-30', scheduledFor: '2026-11-30T10:00:00.000Z', dueBy: before?.dueBy, version: 2 },
    });
    expect(await store.reschedule(caseId, 1, { ...move, expectedVersion: 1 })).toEqual({ kind: 'stale', version: 2 });
    const after = await store.supervision(caseId, 1);
    expect(after?.reschedules).toEqual([
      {
        at: NOW.toISOString(),
        by: CHAIR,
        previousScheduledFor: before?.scheduledFor,
        scheduledFor: '2026-11-30T10:00:00.000Z',
        reason: move.reason,
      },
    ]);
    const moved = (await outboxOf(caseId, 'SupervisionScheduled')).find((detail) => detail.data.rescheduled);
    expect(moved?.data.rescheduled).toEqual({ previousScheduledFor: before?.scheduledFor, reason: move.reason, by: CHAIR.userId });

    await store.complete(caseId, 1, completeInput(0));
    expect(await store.reschedule(caseId, 1, { ...move, expectedVersion: 3 })).toEqual({ kind: 'not-scheduled' });
    expect(await store.reschedule(caseId, 7, { ...move, expectedVersion: 1 })).toEqual({ kind: 'no-such-supervision' });
  });
});

describe('actions and consultations', () => {
  it('completes an action once, off the lists, its timer gone', async () => {
    const caseId = await newCase();
    await store.complete(caseId, 1, completeInput(0));
    const [action] = (await store.readCase(caseId))?.actions ?? [];
    const done = { by: WORKER, now: NOW, ...CAUSE };
    expect(await store.completeAction(caseId, action!.actionId, done)).toEqual({ kind: 'completed' });
    expect(await store.completeAction(caseId, action!.actionId, done)).toEqual({ kind: 'already-completed' });
    expect(await store.completeAction(caseId, 'act-none', done)).toEqual({ kind: 'no-such-action' });
    expect(await store.action(caseId, action!.actionId)).toMatchObject({ status: 'completed', completedBy: WORKER });
    expect((await store.teamOpenActions('team-north-1')).some((open) => open.caseId === caseId)).toBe(false);
    expect(
      (await itemsOfKind(table, 'timer'))
        .filter((timer) => timer.caseId === caseId)
        .map((timer) => timer.timerKind)
        .sort(),
    ).toEqual(['supervision-due-soon', 'supervision-overdue']);
    expect(await outboxOf(caseId, 'SupervisionActionCompleted')).toHaveLength(1);
  });

  it('records a consultation with the case, newest first', async () => {
    const caseId = await newCase();
    const consult = {
      with: 'Dr Shah, clinical psychologist',
      heldOn: parseLocalDate('2026-11-24'),
      notes: 'Discussed attachment.',
      by: CHAIR,
      now: NOW,
    };
    expect(await store.recordConsultation(caseId, consult)).toMatchObject({ kind: 'recorded', consultation: { with: consult.with } });
    expect(await store.recordConsultation('case-nobody-knows', consult)).toEqual({ kind: 'no-such-case' });
    expect((await store.readCase(caseId))?.consultations).toEqual([
      expect.objectContaining({ caseId, notes: 'Discussed attachment.', by: CHAIR }),
    ]);
  });
});
