/**
 * The `supervision-timescales` schedule: from the timers due, SupervisionDueSoon and
 * SupervisionActionDueSoon once each (never after held, cancelled or done, never late), SupervisionBecameOverdue once per
 * supervision not held by its due date, and SupervisionActionBecameOverdue to the owner the day
 * after an action's due date, then to the team manager two working days after it; each once however
 * often, and however concurrently, the schedule runs. Clocks are injected; nothing sleeps.
 */
import { randomUUID } from 'node:crypto';
import { parseEventDetail } from '@fsp/shared/events/build';
import {
  supervisionActionBecameOverdueV1,
  supervisionActionDueSoonV1,
  supervisionBecameOverdueV1,
  supervisionDueSoonV1,
} from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fromEpochDay, type LocalDate, parseLocalDate, toEpochDay } from '@fsp/shared/time/local-date';
import fc from 'fast-check';
import { checkRecord } from '../../src/domain/record';
import { supervisionDueSoonFrom } from '../../src/domain/timers';
import { createSupervisionTimescales } from '../../src/schedules/supervision-timescales';
import { createSupervisionStore, type SupervisionStore } from '../../src/store/supervision-store';
import { openAndAllocate } from '../support/cases';

const WORKER = '3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71';
const CHAIR = { userId: 'user-north-tm', name: 'Pat Reid' };

let table: TestTable;
let runtime: ServiceRuntime;
let store: SupervisionStore;
let now = new Date('2026-11-02T09:00:00.000Z');

beforeEach(async () => {
  now = new Date('2026-11-02T09:00:00.000Z');
  const setup = await createTestRuntime('supervision', () => now);
  table = setup.table;
  runtime = setup.runtime;
  store = createSupervisionStore(runtime);
});
afterEach(async () => {
  await table.drop();
});

const at = (iso: string) => {
  now = new Date(iso);
};
const run = () => createSupervisionTimescales(runtime)({ id: 'run-0001' });
/** Runs again until a run fails nothing: what overlapping runs left after a collision is fired by the next. */
async function catchUp(): Promise<void> {
  let lastFailure: unknown;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const [outcome] = await Promise.allSettled([run()]);
    if (outcome?.status === 'fulfilled') return;
    lastFailure = outcome?.reason;
  }
  throw new Error('the schedule kept failing', { cause: lastFailure });
}
const NOTHING = {
  supervisionsOverdue: 0,
  actionsOverdueToOwner: 0,
  actionsOverdueToManager: 0,
  supervisionsDueSoon: 0,
  actionsDueSoon: 0,
  alreadySent: 0,
  dropped: 0,
  failed: 0,
};
const epochDay = (value: string) => toEpochDay(parseLocalDate(value));
const outbox = async (detailType: string) =>
  (await itemsOfKind(table, 'outbox')).filter((item) => item.detailType === detailType).map((item) => JSON.parse(String(item.detail)));

/** Opened and allocated on Monday 2 November 2026: the first supervision is due by the end of Wednesday 2 December. */
const openCase = (caseId = 'case-timers') =>
  openAndAllocate(runtime, [{ caseId, teamId: 'team-north-1', openedAt: '2026-11-02T09:00:00.000Z', reference: 'FSP-2026-000900' }]);

describe('a supervision not held by its due date', () => {
  it('is told overdue once, after its due date has passed, and never again', async () => {
    await openCase();
    at('2026-12-02T23:59:59.999Z');
    // Not told due soon before (no run since 25 November): told now, while it is still not late.
    expect(await run()).toEqual({ ...NOTHING, supervisionsDueSoon: 1 });
    at('2026-12-03T00:15:00.000Z');
    expect(await run()).toEqual({ ...NOTHING, supervisionsOverdue: 1 });
    expect(await run()).toEqual(NOTHING);
    at('2026-12-10T00:15:00.000Z');
    expect(await run()).toEqual(NOTHING);

    const [overdue] = await outbox('SupervisionBecameOverdue');
    expect(parseEventDetail(supervisionBecameOverdueV1, overdue).data).toMatchObject({
      caseId: 'case-timers',
      reference: 'FSP-2026-000900',
      sequence: 1,
      dueBy: '2026-12-02T23:59:59.999Z',
      detectedAt: '2026-12-03T00:15:00.000Z',
    });
    expect(await outbox('SupervisionBecameOverdue')).toHaveLength(1);
    expect(await store.supervision('case-timers', 1)).toMatchObject({ status: 'scheduled', overdueAt: '2026-12-03T00:15:00.000Z' });
  });

  it('is told once when runs overlap', async () => {
    await Promise.all(['case-a', 'case-b', 'case-c'].map((caseId) => openCase(caseId)));
    at('2026-12-03T00:15:00.000Z');
    // A run whose transaction collides with another's fails (the next run tries again): whatever the timing, each is told once.
    await Promise.allSettled([run(), run(), run()]);
    await catchUp();
    expect(await run()).toEqual(NOTHING);
    expect((await outbox('SupervisionBecameOverdue')).map((detail) => detail.data.caseId).sort()).toEqual(['case-a', 'case-b', 'case-c']);
  });

  it('is not told when held in time, nor when the case closed', async () => {
    await openCase('case-held');
    await openCase('case-closed');
    at('2026-11-25T12:00:00.000Z');
    const checked = checkRecord(
      { heldOn: '2026-11-25', attendees: [WORKER], rating: 'green', ratingRationale: 'Safe', discussion: 'd', decisions: 'd' },
      { now, chairId: CHAIR.userId, allocatedWorkerIds: [WORKER] },
      'complete',
    );
    if (!checked.ok) throw new Error('invalid record');
    const cause = { correlationId: 'journey', causationId: 'request' };
    expect(
      (await store.complete('case-held', 1, { expectedVersion: 0, content: checked.content, chair: CHAIR, ownerNames: {}, now, ...cause }))
        .kind,
    ).toBe('completed');
    await store.closeCase({ caseId: 'case-closed', teamId: 'team-north-1', reference: 'FSP-X', closedAt: now.toISOString() }, now);
    at('2026-12-03T00:15:00.000Z');
    expect(await run()).toEqual(NOTHING);
    expect(await outbox('SupervisionBecameOverdue')).toEqual([]);
  });
});

describe('an action not done by its due date', () => {
  /** Held Wednesday 25 November; one action due Thursday 24 December (Christmas Eve). */
  async function heldWithAction() {
    await openCase();
    at('2026-11-25T12:00:00.000Z');
    const checked = checkRecord(
      {
        heldOn: '2026-11-25',
        attendees: [WORKER],
        rating: 'amber',
        ratingRationale: 'r',
        discussion: 'd',
        decisions: 'd',
        actions: [{ what: 'Visit school', ownerId: WORKER, dueDate: '2026-12-24' }],
      },
      { now, chairId: CHAIR.userId, allocatedWorkerIds: [WORKER] },
      'complete',
    );
    if (!checked.ok) throw new Error('invalid record');
    await store.complete('case-timers', 1, {
      expectedVersion: 0,
      content: checked.content,
      chair: CHAIR,
      ownerNames: { [WORKER]: 'Alex Jones' },
      now,
      correlationId: 'journey',
      causationId: 'request',
    });
    const [action] = (await store.readCase('case-timers'))?.actions ?? [];
    return action!;
  }

  it('goes to its owner the day after, then to the team manager two working days after, across Christmas and Boxing Day', async () => {
    const action = await heldWithAction();
    at('2026-12-24T23:00:00.000Z');
    // Still due today: told due soon (the action), as is the next supervision (due Christmas Day); not overdue.
    expect(await run()).toEqual({ ...NOTHING, actionsDueSoon: 1, supervisionsDueSoon: 1 });
    at('2026-12-25T00:15:00.000Z');
    expect(await run()).toEqual({ ...NOTHING, actionsOverdueToOwner: 1 });
    expect(await run()).toEqual(NOTHING);
    // Christmas Day (Friday), the weekend and Boxing Day's substitute (Monday 28) are not working days:
    // the two working days after the 24th are Tuesday 29 and Wednesday 30 December.
    at('2026-12-30T23:45:00.000Z');
    // The next supervision (due Christmas Day, not held) is overdue by now; the action is not the manager's yet.
    expect(await run()).toEqual({ ...NOTHING, supervisionsOverdue: 1 });
    at('2026-12-31T00:15:00.000Z');
    expect(await run()).toEqual({ ...NOTHING, actionsOverdueToManager: 1 });
    expect(await run()).toEqual(NOTHING);

    const told = (await outbox('SupervisionActionBecameOverdue'))
      .map((detail) => parseEventDetail(supervisionActionBecameOverdueV1, detail).data)
      .sort((a, b) => a.detectedAt.localeCompare(b.detectedAt));
    expect(told.map((data) => [data.escalatedTo, data.detectedAt])).toEqual([
      ['owner', '2026-12-25T00:15:00.000Z'],
      ['team-manager', '2026-12-31T00:15:00.000Z'],
    ]);
    expect(told[0]).toMatchObject({ actionId: action.actionId, ownerId: WORKER, dueDate: '2026-12-24', reference: 'FSP-2026-000900' });
    expect(await store.action('case-timers', action.actionId)).toMatchObject({
      overdueTold: { owner: '2026-12-25T00:15:00.000Z', 'team-manager': '2026-12-31T00:15:00.000Z' },
    });
  });

  it('tells the owner and then the manager once each when runs overlap, even after days without a run', async () => {
    await heldWithAction();
    at('2027-01-05T00:15:00.000Z');
    await Promise.allSettled([run(), run()]);
    await catchUp();
    expect((await outbox('SupervisionActionBecameOverdue')).map((detail) => detail.data.escalatedTo)).toContain('owner');
    // The manager's timer, written when the owner was told, is already due: the next runs tell the manager.
    await Promise.allSettled([run(), run()]);
    await catchUp();
    expect(await run()).toEqual(NOTHING);
    expect((await outbox('SupervisionActionBecameOverdue')).map((detail) => detail.data.escalatedTo).sort()).toEqual([
      'owner',
      'team-manager',
    ]);
  });

  it('tells nobody once done, and the manager nobody once done after the owner was told', async () => {
    const action = await heldWithAction();
    at('2026-12-25T00:15:00.000Z');
    await run();
    at('2026-12-29T09:00:00.000Z');
    await store.completeAction('case-timers', action.actionId, { by: WORKER, now, correlationId: 'journey', causationId: 'request' });
    at('2026-12-31T00:15:00.000Z');
    const after = await run();
    expect(after.actionsOverdueToManager).toBe(0);
    expect((await outbox('SupervisionActionBecameOverdue')).map((detail) => detail.data.escalatedTo)).toEqual(['owner']);
    expect((await itemsOfKind(table, 'timer')).filter((timer) => String(timer.timerKind).startsWith('action'))).toEqual([]);
  });
});

describe('a supervision due soon (ADR 0015 §9)', () => {
  const dueSoon = async (caseId?: string) =>
    (await outbox('SupervisionDueSoon'))
      .map((detail) => parseEventDetail(supervisionDueSoonV1, detail).data)
      .filter((data) => caseId === undefined || data.caseId === caseId);

  it('is told once from the morning of the fifth working day before its due day, and a move out and back tells nothing more', async () => {
    // Due Wednesday 2 December 2026: five working days before is Wednesday 25 November (GMT).
    await openCase();
    at('2026-11-24T23:59:59.999Z');
    expect(await run()).toEqual(NOTHING);
    at('2026-11-25T00:15:00.000Z');
    expect(await run()).toEqual({ ...NOTHING, supervisionsDueSoon: 1 });
    expect(await run()).toEqual(NOTHING);

    // Moved to the Friday, then back to the Tuesday: its due day never moves, and it was told.
    const by = { userId: CHAIR.userId, name: CHAIR.name };
    const cause = { correlationId: 'journey', causationId: 'request' };
    const moved = await store.reschedule('case-timers', 1, {
      expectedVersion: 1,
      scheduledDate: parseLocalDate('2026-11-27'),
      reason: 'Court',
      by,
      now,
      ...cause,
    });
    expect(moved.kind).toBe('rescheduled');
    at('2026-11-26T09:00:00.000Z');
    expect(
      (
        await store.reschedule('case-timers', 1, {
          expectedVersion: 2,
          scheduledDate: parseLocalDate('2026-12-01'),
          reason: 'Back',
          by,
          now,
          ...cause,
        })
      ).kind,
    ).toBe('rescheduled');
    expect(await run()).toEqual(NOTHING);
    at('2026-12-02T12:00:00.000Z');
    expect(await run()).toEqual(NOTHING);

    expect(await dueSoon()).toEqual([
      {
        supervisionId: expect.any(String),
        caseId: 'case-timers',
        teamId: 'team-north-1',
        reference: 'FSP-2026-000900',
        sequence: 1,
        scheduledFor: expect.any(String),
        dueBy: '2026-12-02T23:59:59.999Z',
        detectedAt: '2026-11-25T00:15:00.000Z',
      },
    ]);
    expect(await store.supervision('case-timers', 1)).toMatchObject({ dueSoonAt: '2026-11-25T00:15:00.000Z' });
    // Told due soon, then (not held) overdue: each once.
    at('2026-12-03T00:15:00.000Z');
    expect(await run()).toEqual({ ...NOTHING, supervisionsOverdue: 1 });
  });

  it('in summer time, from midnight London (23:00 the day before in UTC)', async () => {
    // Allocated Monday 1 June 2026, due Wednesday 1 July: due soon from Wednesday 24 June, 00:00 BST.
    await openAndAllocate(runtime, [
      { caseId: 'case-bst', teamId: 'team-north-1', openedAt: '2026-06-01T09:00:00.000Z', reference: 'FSP-2026-000901' },
    ]);
    at('2026-06-23T22:59:00.000Z');
    expect(await run()).toEqual(NOTHING);
    at('2026-06-23T23:05:00.000Z');
    expect(await run()).toEqual({ ...NOTHING, supervisionsDueSoon: 1 });
    expect((await dueSoon()).map((data) => data.detectedAt)).toEqual(['2026-06-23T23:05:00.000Z']);
  });

  it('is not told once held or cancelled before its moment, nor late once its due day has passed', async () => {
    await openCase('case-held');
    await openCase('case-closed');
    await openCase('case-late');
    at('2026-11-20T12:00:00.000Z');
    const checked = checkRecord(
      { heldOn: '2026-11-20', attendees: [WORKER], rating: 'green', ratingRationale: 'Safe', discussion: 'd', decisions: 'd' },
      { now, chairId: CHAIR.userId, allocatedWorkerIds: [WORKER] },
      'complete',
    );
    if (!checked.ok) throw new Error('invalid record');
    const cause = { correlationId: 'journey', causationId: 'request' };
    expect(
      (await store.complete('case-held', 1, { expectedVersion: 0, content: checked.content, chair: CHAIR, ownerNames: {}, now, ...cause }))
        .kind,
    ).toBe('completed');
    await store.closeCase({ caseId: 'case-closed', teamId: 'team-north-1', reference: 'FSP-X', closedAt: now.toISOString() }, now);
    // No run from before the moment until after the due day: the overdue speaks, the reminder is dropped.
    at('2026-12-03T00:15:00.000Z');
    expect(await run()).toEqual({ ...NOTHING, supervisionsOverdue: 1, dropped: 1 });
    expect(await dueSoon()).toEqual([]);
    expect(
      (await itemsOfKind(table, 'timer'))
        .filter((timer) => String(timer.timerKind) === 'supervision-due-soon')
        .map((timer) => timer.caseId),
    ).toEqual([
      // The one held on 20 November has its next, due 20 December: due soon from Monday 14 December.
      'case-held',
    ]);
  });

  it('is told exactly once, whenever the schedule runs and whether or not the case closes first (property)', async () => {
    const DAY = 86_400_000;
    let told = 0;
    let untold = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: epochDay('2025-02-01'), max: epochDay('2027-10-31') }),
        fc.array(fc.integer({ min: -2 * DAY, max: 14 * DAY }), { minLength: 1, maxLength: 5 }),
        fc.option(fc.integer({ min: -2 * DAY, max: 14 * DAY }), { nil: undefined }),
        async (allocationDay, runOffsets, closeOffset) => {
          const caseId = `case-p-${randomUUID().slice(0, 8)}`;
          const allocatedAt = `${fromEpochDay(allocationDay)}T09:00:00.000Z`;
          await openAndAllocate(runtime, [{ caseId, teamId: 'team-north-1', openedAt: allocatedAt, reference: 'FSP-2026-000902' }]);
          const first = await store.supervision(caseId, 1);
          if (!first) throw new Error('no first supervision');
          const from = supervisionDueSoonFrom(first.dueDate as LocalDate).getTime();
          const dueBy = new Date(first.dueBy).getTime();
          const steps = [
            ...runOffsets.map((offset) => ({ at: from + offset, close: false })),
            ...(closeOffset === undefined ? [] : [{ at: from + closeOffset, close: true }]),
          ].sort((a, b) => a.at - b.at || Number(a.close) - Number(b.close));
          let expected: string | undefined;
          let closed = false;
          for (const step of steps) {
            at(new Date(Math.max(step.at, new Date(allocatedAt).getTime())).toISOString());
            if (step.close) {
              await store.closeCase({ caseId, teamId: 'team-north-1', reference: 'FSP-2026-000902', closedAt: now.toISOString() }, now);
              closed = true;
            } else {
              await catchUp();
              if (!closed && expected === undefined && now.getTime() > from && now.getTime() <= dueBy) expected = now.toISOString();
            }
          }
          const mine = await dueSoon(caseId);
          expect(mine.map((data) => data.detectedAt)).toEqual(expected === undefined ? [] : [expected]);
          if (expected === undefined) untold += 1;
          else told += 1;
        },
      ),
      { numRuns: 20 },
    );
    // The walks reach both ends: some told, some never.
    expect(told).toBeGreaterThan(0);
    expect(untold).toBeGreaterThan(0);
  }, 120_000);
});

describe('an action due soon (ADR 0015 §9)', () => {
  const dueSoon = async () =>
    (await outbox('SupervisionActionDueSoon')).map((detail) => parseEventDetail(supervisionActionDueSoonV1, detail).data);

  /** Held Wednesday 25 November; one action due `dueDate`. */
  async function heldWithActionDue(dueDate: string) {
    await openCase();
    at('2026-11-25T12:00:00.000Z');
    const checked = checkRecord(
      {
        heldOn: '2026-11-25',
        attendees: [WORKER],
        rating: 'amber',
        ratingRationale: 'r',
        discussion: 'd',
        decisions: 'd',
        actions: [{ what: 'Visit school', ownerId: WORKER, dueDate }],
      },
      { now, chairId: CHAIR.userId, allocatedWorkerIds: [WORKER] },
      'complete',
    );
    if (!checked.ok) throw new Error('invalid record');
    await store.complete('case-timers', 1, {
      expectedVersion: 0,
      content: checked.content,
      chair: CHAIR,
      ownerNames: { [WORKER]: 'Alex Jones' },
      now,
      correlationId: 'journey',
      causationId: 'request',
    });
    const [action] = (await store.readCase('case-timers'))?.actions ?? [];
    return action!;
  }

  it('is told its owner once from the second working day before, across Christmas and Boxing Day', async () => {
    // Due Tuesday 29 December: Monday 28 (Boxing Day's substitute), the weekend and Christmas Day do not count; from Wednesday 23.
    const action = await heldWithActionDue('2026-12-29');
    at('2026-12-22T23:59:00.000Z');
    await run();
    expect(await dueSoon()).toEqual([]);
    at('2026-12-23T00:15:00.000Z');
    expect((await run()).actionsDueSoon).toBe(1);
    expect((await run()).actionsDueSoon).toBe(0);
    at('2026-12-29T10:00:00.000Z');
    expect((await run()).actionsDueSoon).toBe(0);
    expect(await dueSoon()).toEqual([
      {
        actionId: action.actionId,
        supervisionId: action.supervisionId,
        caseId: 'case-timers',
        teamId: 'team-north-1',
        reference: 'FSP-2026-000900',
        ownerId: WORKER,
        dueDate: '2026-12-29',
        dueBy: '2026-12-29T23:59:59.999Z',
        detectedAt: '2026-12-23T00:15:00.000Z',
      },
    ]);
    // The words of the action are never in an event.
    expect(JSON.stringify(await itemsOfKind(table, 'outbox'))).not.toContain('Visit school');
    expect(await store.action('case-timers', action.actionId)).toMatchObject({ dueSoonAt: '2026-12-23T00:15:00.000Z' });
  });

  it('is told once when runs overlap', async () => {
    await heldWithActionDue('2026-12-29');
    at('2026-12-23T00:15:00.000Z');
    await Promise.allSettled([run(), run(), run()]);
    await catchUp();
    expect(await dueSoon()).toHaveLength(1);
  });

  it('tells nothing once done before its moment, and its timers are gone', async () => {
    const action = await heldWithActionDue('2026-12-29');
    at('2026-12-21T09:00:00.000Z');
    await store.completeAction('case-timers', action.actionId, { by: WORKER, now, correlationId: 'journey', causationId: 'request' });
    for (const instant of ['2026-12-24T00:15:00.000Z', '2026-12-30T00:15:00.000Z', '2027-01-05T00:15:00.000Z']) {
      at(instant);
      await run();
    }
    expect(await dueSoon()).toEqual([]);
    expect(await outbox('SupervisionActionBecameOverdue')).toEqual([]);
    expect((await itemsOfKind(table, 'timer')).filter((timer) => String(timer.timerKind).startsWith('action'))).toEqual([]);
  });
});
