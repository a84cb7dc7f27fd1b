/**
 * The `supervision-timescales` schedule: from the timers due, SupervisionBecameOverdue once per
 * supervision not held by its due date, and SupervisionActionBecameOverdue to the owner the day
 * after an action's due date, then to the team manager two working days after it; each once however
 * often, and however concurrently, the schedule runs. Clocks are injected; nothing sleeps.
 */
import { parseEventDetail } from '@fsp/shared/events/build';
import { supervisionActionBecameOverdueV1, supervisionBecameOverdueV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { checkRecord } from '../../src/domain/record';
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
const NOTHING = { supervisionsOverdue: 0, actionsOverdueToOwner: 0, actionsOverdueToManager: 0, alreadySent: 0, dropped: 0, failed: 0 };
const outbox = async (detailType: string) =>
  (await itemsOfKind(table, 'outbox')).filter((item) => item.detailType === detailType).map((item) => JSON.parse(String(item.detail)));

/** Opened and allocated on Monday 2 November 2026: the first supervision is due by the end of Wednesday 2 December. */
const openCase = (caseId = 'case-timers') =>
  openAndAllocate(runtime, [{ caseId, teamId: 'team-north-1', openedAt: '2026-11-02T09:00:00.000Z', reference: 'FSP-2026-000900' }]);

describe('a supervision not held by its due date', () => {
  it('is told overdue once, after its due date has passed, and never again', async () => {
    await openCase();
    at('2026-12-02T23:59:59.999Z');
    expect(await run()).toEqual(NOTHING);
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
    expect(await run()).toEqual(NOTHING);
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
