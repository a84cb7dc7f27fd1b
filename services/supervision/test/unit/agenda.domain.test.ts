/** The timers a state implies, and the agenda and overdue lists assembled from a team's two Queries. */
import { parseLocalDate } from '@fsp/shared/time/local-date';
import fc from 'fast-check';
import { actionDueBy } from '../../src/domain/actions';
import { agendaEntries, overdueActions, overdueSupervisions } from '../../src/domain/agenda';
import type { Supervision, SupervisionAction } from '../../src/domain/model';
import { scheduleNextSupervision } from '../../src/domain/supervision';
import { timersOfAction, timersOfSupervision } from '../../src/domain/timers';

const supervision = (caseId: string, heldOn: string, extra: Partial<Supervision> = {}): Supervision => ({
  ...scheduleNextSupervision({
    caseId,
    teamId: 'team-north-1',
    caseReference: `FSP-${caseId}`,
    sequence: 1,
    heldOn: parseLocalDate(heldOn),
    rating: 'amber',
  }),
  ...extra,
});

const action = (caseId: string, actionId: string, dueDate: string, extra: Partial<SupervisionAction> = {}): SupervisionAction => ({
  actionId,
  supervisionId: 'sup-1',
  caseId,
  teamId: 'team-north-1',
  reference: `FSP-${caseId}`,
  sequence: 1,
  what: 'Visit school',
  ownerId: 'worker-1',
  ownerName: 'Alex Jones',
  dueDate: parseLocalDate(dueDate),
  dueBy: actionDueBy(parseLocalDate(dueDate)).toISOString(),
  assignedAt: '2026-11-25T12:00:00.000Z',
  assignedBy: 'tm-1',
  status: 'open',
  overdueTold: {},
  ...extra,
});

describe('the timers a state implies', () => {
  it('a scheduled supervision waits to be due soon and for its due instant until told; held or cancelled, nothing', () => {
    const scheduled = supervision('c1', '2026-11-25');
    // Due Christmas Day: five working days before it is Friday 18 December.
    expect(timersOfSupervision(scheduled)).toEqual([
      { kind: 'supervision-due-soon', fireAt: '2026-12-18T00:00:00.000Z', caseId: 'c1', targetId: '0002' },
      { kind: 'supervision-overdue', fireAt: '2026-12-25T23:59:59.999Z', caseId: 'c1', targetId: '0002' },
    ]);
    expect(timersOfSupervision({ ...scheduled, dueSoonAt: '2026-12-18T00:15:00.000Z' })).toEqual([
      { kind: 'supervision-overdue', fireAt: '2026-12-25T23:59:59.999Z', caseId: 'c1', targetId: '0002' },
    ]);
    expect(timersOfSupervision({ ...scheduled, overdueAt: '2026-12-26T00:15:00.000Z' })).toEqual([]);
    expect(timersOfSupervision({ ...scheduled, status: 'held' })).toEqual([]);
    expect(timersOfSupervision({ ...scheduled, status: 'cancelled' })).toEqual([]);
  });

  it('an open action waits to be due soon, for its owner, then its team manager; done or both told, nothing', () => {
    const open = action('c1', 'act-1', '2026-12-24');
    // Due Thursday 24 December: two working days before it is Tuesday 22 December.
    expect(timersOfAction(open)).toEqual([
      { kind: 'action-due-soon', fireAt: '2026-12-22T00:00:00.000Z', caseId: 'c1', targetId: 'act-1' },
      { kind: 'action-overdue-owner', fireAt: '2026-12-24T23:59:59.999Z', caseId: 'c1', targetId: 'act-1' },
    ]);
    expect(timersOfAction({ ...open, dueSoonAt: '2026-12-22T00:15:00.000Z' })).toEqual([
      { kind: 'action-overdue-owner', fireAt: '2026-12-24T23:59:59.999Z', caseId: 'c1', targetId: 'act-1' },
    ]);
    expect(timersOfAction({ ...open, overdueTold: { owner: 'x' } })).toEqual([
      { kind: 'action-overdue-manager', fireAt: '2026-12-30T23:59:59.999Z', caseId: 'c1', targetId: 'act-1' },
    ]);
    expect(timersOfAction({ ...open, overdueTold: { owner: 'x', 'team-manager': 'y' } })).toEqual([]);
    expect(timersOfAction({ ...open, status: 'completed' })).toEqual([]);
  });

  it('never fires an overdue timer before what it watches is due, nor a due-soon one after (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 900 }), fc.boolean(), (offset, toldOwner) => {
        const dueDate = new Date(Date.UTC(2025, 0, 1 + offset)).toISOString().slice(0, 10);
        const open = action('c', 'a', dueDate, toldOwner ? { overdueTold: { owner: 'x' } } : {});
        for (const timer of timersOfAction(open)) {
          if (timer.kind === 'action-due-soon') expect(timer.fireAt < open.dueBy).toBe(true);
          else expect(timer.fireAt >= open.dueBy).toBe(true);
        }
        // Told its owner it is overdue: nothing is due soon any more.
        if (toldOwner) expect(timersOfAction(open).map((timer) => timer.kind)).toEqual(['action-overdue-manager']);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the agenda', () => {
  const now = new Date('2026-12-29T12:00:00.000Z'); // Tuesday 29 December 2026
  const late = supervision('c-late', '2026-11-25', {
    agenda: {
      changes: [{ id: 'e1', at: '2026-12-01T10:00:00.000Z', kind: 'note-significant', text: 'Home visit recorded by Sam Okafor' }],
    },
  }); // due Christmas Day
  const soon = supervision('c-soon', '2026-12-10'); // due 10 January 2027

  it('lists scheduled supervisions earliest due first, with the case’s open actions, changes, last rating and overdue working days', () => {
    const entries = agendaEntries(
      [soon, late, { ...soon, supervisionId: 'held', status: 'held' }],
      [action('c-late', 'act-2', '2027-01-05'), action('c-late', 'act-1', '2026-12-24'), action('c-other', 'act-3', '2026-12-30')],
      now,
    );
    expect(
      entries.map((entry) => [entry.reference, entry.overdue, entry.overdueWorkingDays, entry.openActions.map((a) => a.actionId)]),
    ).toEqual([
      ['FSP-c-late', true, 1, ['act-1', 'act-2']],
      ['FSP-c-soon', false, 0, []],
    ]);
    expect(entries[0]).toMatchObject({ previousRating: 'amber', changes: [{ text: 'Home visit recorded by Sam Okafor' }] });
  });

  it('lists overdue supervisions and actions, most overdue first, saying which went to the team manager', () => {
    expect(overdueSupervisions([soon, late], [], now).map((entry) => entry.supervision.caseId)).toEqual(['c-late']);
    const overdue = overdueActions(
      [
        action('c1', 'act-a', '2026-12-24', { overdueTold: { owner: 'x' } }),
        // Due Monday 21 December: 22, 23, 24 and 29 December are the working days since.
        action('c1', 'act-b', '2026-12-21', { overdueTold: { owner: 'x', 'team-manager': 'y' } }),
        action('c1', 'act-c', '2026-12-29'),
      ],
      now,
    );
    expect(overdue.map((entry) => [entry.action.actionId, entry.overdueWorkingDays, entry.escalatedToManager])).toEqual([
      ['act-b', 4, true],
      ['act-a', 1, false],
    ]);
  });
});
