/**
 * The due-soon moments (ADR 0015 §9), pure: a supervision from the first instant (London) of the
 * fifth working day before its due day, an action from that of the second working day before its due
 * date; each told only inside its window, which ends at the due instant. Across weekends, bank
 * holidays, the clocks changing and year ends.
 */
import { addCalendarDays, fromEpochDay, type LocalDate, parseLocalDate, toEpochDay } from '@fsp/shared/time/local-date';
import { endOfLondonDay, londonDateOf } from '@fsp/shared/time/london';
import { isWorkingDay, workingDaysBetween } from '@fsp/shared/time/working-days';
import fc from 'fast-check';
import { actionDueBy } from '../../src/domain/actions';
import {
  ACTION_DUE_SOON_WORKING_DAYS,
  actionDueSoonFrom,
  actionDueSoonTimer,
  allActionTimers,
  dueSoonWindow,
  newActionTimers,
  SUPERVISION_DUE_SOON_WORKING_DAYS,
  supervisionDueSoonFrom,
  supervisionTimers,
} from '../../src/domain/timers';

const epoch = (value: string) => toEpochDay(parseLocalDate(value));
/** Due days from 2025 to the end of 2027: every weekend, bank holiday and clock change in between. */
const dueDate = fc.integer({ min: epoch('2025-01-15'), max: epoch('2027-12-31') }).map(fromEpochDay);

const londonTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function expectMorningOf(from: Date, due: LocalDate, workingDays: number): void {
  const day = londonDateOf(from);
  expect(isWorkingDay(day)).toBe(true);
  // Exactly that many working days from it up to (not including) the due day, which may itself be a weekend.
  expect(workingDaysBetween(due, day)).toBe(-workingDays);
  // The first instant of that London day, GMT or BST: a millisecond earlier is the day before.
  expect(londonTime.format(from)).toBe('00:00:00');
  expect(londonDateOf(new Date(from.getTime() - 1))).toBe(addCalendarDays(day, -1));
}

describe('the due-soon moments', () => {
  it('a supervision: the first instant of the fifth working day before its due day (property)', () => {
    fc.assert(
      fc.property(dueDate, (due) => {
        expectMorningOf(supervisionDueSoonFrom(due), due, SUPERVISION_DUE_SOON_WORKING_DAYS);
      }),
      { numRuns: 500 },
    );
  });

  it('an action: the first instant of the second working day before its due date (property)', () => {
    fc.assert(
      fc.property(dueDate, (due) => {
        expectMorningOf(actionDueSoonFrom(due), due, ACTION_DUE_SOON_WORKING_DAYS);
      }),
      { numRuns: 500 },
    );
  });

  it('over Christmas, Easter and the clocks changing', () => {
    // Due Tuesday 29 December 2026: the 28th (Boxing Day's substitute), the weekend and the 25th do not count; from Wednesday 23.
    expect(actionDueSoonFrom(parseLocalDate('2026-12-29')).toISOString()).toBe('2026-12-23T00:00:00.000Z');
    // Due Tuesday 6 April 2027 (Easter Monday the 29th of March is a bank holiday): from Tuesday 30 March, 00:00 BST.
    expect(supervisionDueSoonFrom(parseLocalDate('2027-04-06')).toISOString()).toBe('2027-03-29T23:00:00.000Z');
    // Due Wednesday 1 July 2026, in BST: from Wednesday 24 June, 00:00 London.
    expect(supervisionDueSoonFrom(parseLocalDate('2026-07-01')).toISOString()).toBe('2026-06-23T23:00:00.000Z');
    // Due Monday 2 November 2026 (GMT since 25 October): from Monday 26 October, 00:00 London.
    expect(supervisionDueSoonFrom(parseLocalDate('2026-11-02')).toISOString()).toBe('2026-10-26T00:00:00.000Z');
    // A due day on a weekend (monthly is not moved), after New Year's Day and Christmas: from Wednesday 23 December.
    expect(supervisionDueSoonFrom(parseLocalDate('2027-01-02')).toISOString()).toBe('2026-12-23T00:00:00.000Z');
  });

  it('is told only from its moment up to the due instant, never after (property)', () => {
    fc.assert(
      fc.property(dueDate, fc.integer({ min: -20 * 86_400_000, max: 3 * 86_400_000 }), (due, offset) => {
        const dueBy = actionDueBy(due).toISOString();
        const from = actionDueSoonFrom(due);
        const now = new Date(new Date(dueBy).getTime() + offset);
        expect(dueSoonWindow(from, dueBy, now)).toBe(now >= from && now.getTime() <= endOfLondonDay(due).getTime());
      }),
      { numRuns: 500 },
    );
  });

  it('what scheduling and assigning put is what holding, cancelling and completing remove', () => {
    const supervision = { caseId: 'c1', sequence: 3, dueDate: '2026-12-02', dueBy: '2026-12-02T23:59:59.999Z' };
    expect(supervisionTimers(supervision).map((timer) => timer.kind)).toEqual(['supervision-due-soon', 'supervision-overdue']);
    expect(supervisionTimers(supervision).map((timer) => timer.targetId)).toEqual(['0003', '0003']);
    const action = { caseId: 'c1', actionId: 'act-1', dueDate: parseLocalDate('2026-12-24') };
    const removed = allActionTimers(action).map((timer) => `${timer.fireAt}#${timer.kind}`);
    for (const timer of newActionTimers(action)) expect(removed).toContain(`${timer.fireAt}#${timer.kind}`);
    expect(actionDueSoonTimer(action)).toEqual({
      kind: 'action-due-soon',
      fireAt: '2026-12-22T00:00:00.000Z',
      caseId: 'c1',
      targetId: 'act-1',
    });
  });
});
