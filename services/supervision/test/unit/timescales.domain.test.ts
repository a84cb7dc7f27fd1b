/**
 * Supervision's timescales, pure: the next supervision from the day held (the same rule as the
 * first), rescheduling's rules, and actions' overdue and escalation times, across bank holidays,
 * the clocks changing and year ends.
 */
import {
  addCalendarDays,
  addCalendarMonths,
  compareLocalDates,
  fromEpochDay,
  type LocalDate,
  parseLocalDate,
  toEpochDay,
} from '@fsp/shared/time/local-date';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from '@fsp/shared/time/working-days';
import fc from 'fast-check';
import {
  ACTION_MANAGER_ESCALATION_WORKING_DAYS,
  actionDueBy,
  escalationDue,
  managerEscalationAt,
  nextEscalation,
  overdueWorkingDays,
} from '../../src/domain/actions';
import { checkReschedule, rescheduled } from '../../src/domain/reschedule';
import { firstSupervisionTimes, scheduleNextSupervision, supervisionIdFor, supervisionTimesFrom } from '../../src/domain/supervision';

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
function inLondon(instant: Date) {
  const parts = Object.fromEntries(londonParts.formatToParts(instant).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

// Days held whose next due date stays inside the shipped bank-holiday years (2024–2028).
const days = fc.integer({ min: toEpochDay(parseLocalDate('2024-01-01')), max: toEpochDay(parseLocalDate('2028-11-30')) }).map(fromEpochDay);
const held = (day: string, nextDate?: string) =>
  scheduleNextSupervision({
    caseId: 'case-1',
    teamId: 'team-north-1',
    caseReference: 'FSP-2026-000123',
    sequence: 1,
    heldOn: parseLocalDate(day),
    ...(nextDate ? { nextDate: parseLocalDate(nextDate) } : {}),
    rating: 'amber',
  });

describe('the next supervision, from the day held', () => {
  it('is due a calendar month later, by the end of that London day, planned for 10:00 London on the last working day on or before it', () => {
    fc.assert(
      fc.property(days, (day) => {
        const times = supervisionTimesFrom(day);
        expect(times.dueDate).toBe(addCalendarMonths(day, 1));
        expect(inLondon(times.dueBy)).toEqual({ date: times.dueDate, time: '23:59' });
        expect(inLondon(new Date(times.dueBy.getTime() + 1)).date).toBe(addCalendarDays(times.dueDate, 1));
        expect(compareLocalDates(times.scheduledDate, times.dueDate)).toBeLessThanOrEqual(0);
        expect(compareLocalDates(times.scheduledDate, day)).toBeGreaterThanOrEqual(0);
        expect(isWorkingDay(times.scheduledDate)).toBe(true);
        // Nothing later in the window is a working day: the team has the most time to prepare.
        for (
          let later = addCalendarDays(times.scheduledDate, 1);
          compareLocalDates(later, times.dueDate) <= 0;
          later = addCalendarDays(later, 1)
        ) {
          expect(isWorkingDay(later)).toBe(false);
        }
        expect(inLondon(times.scheduledFor)).toEqual({ date: times.scheduledDate, time: '10:00' });
      }),
      { numRuns: 200 },
    );
  });

  it('follows the same rule as the first supervision, counted from the allocation day', () => {
    fc.assert(
      fc.property(days, fc.integer({ min: 0, max: 86_399_999 }), (day, offset) => {
        const allocatedAt = new Date(Date.parse(`${day}T00:00:00.000Z`) + offset);
        const londonDay = parseLocalDate(inLondon(allocatedAt).date);
        if (compareLocalDates(londonDay, parseLocalDate('2028-11-30')) > 0) return;
        expect(firstSupervisionTimes(allocatedAt)).toEqual(supervisionTimesFrom(londonDay));
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    // Held the day before a month's end: due on Christmas Day, planned for Christmas Eve (Thursday).
    ['2026-11-25', '2026-12-25', '2026-12-25T23:59:59.999Z', '2026-12-24', '2026-12-24T10:00:00.000Z'],
    // Across the year end: due Saturday 30 January 2027, planned for Friday 29 January.
    ['2026-12-30', '2027-01-30', '2027-01-30T23:59:59.999Z', '2027-01-29', '2027-01-29T10:00:00.000Z'],
    // Due on New Year's Day (a bank holiday, a Friday): planned for Thursday 31 December.
    ['2026-12-01', '2027-01-01', '2027-01-01T23:59:59.999Z', '2026-12-31', '2026-12-31T10:00:00.000Z'],
    // 31 January → 28 February (no 31st): a Saturday, planned for Friday 27 February.
    ['2026-01-31', '2026-02-28', '2026-02-28T23:59:59.999Z', '2026-02-27', '2026-02-27T10:00:00.000Z'],
    // Held in GMT, due in BST (the clocks go forward on 29 March 2026): due Friday 10 April, a working day,
    // planned for that day at 10:00 BST (09:00Z); the day ends 22:59:59.999Z.
    ['2026-03-10', '2026-04-10', '2026-04-10T22:59:59.999Z', '2026-04-10', '2026-04-10T09:00:00.000Z'],
    // Good Friday 2026 is 3 April, Easter Monday 6 April: due Monday 6 April, planned for Thursday 2 April.
    ['2026-03-06', '2026-04-06', '2026-04-06T22:59:59.999Z', '2026-04-02', '2026-04-02T09:00:00.000Z'],
    // Held in BST, due in GMT (the clocks go back on 25 October 2026): due Sunday 25 October, planned for Friday 23 (BST).
    ['2026-09-25', '2026-10-25', '2026-10-25T23:59:59.999Z', '2026-10-23', '2026-10-23T09:00:00.000Z'],
  ])('held %s: due %s (by %s), planned for %s at %s', (day, dueDate, dueBy, scheduledDate, scheduledFor) => {
    expect(held(day)).toMatchObject({
      sequence: 2,
      dueDate,
      dueBy,
      scheduledDate,
      scheduledFor,
      previousRating: 'amber',
      status: 'scheduled',
    });
    expect(held(day).supervisionId).toBe(supervisionIdFor('case-1', 2));
  });

  it('is planned for the chair’s proposed date when one is given; the due date stays the rule’s', () => {
    expect(held('2026-11-25', '2026-12-15')).toMatchObject({
      dueDate: '2026-12-25',
      scheduledDate: '2026-12-15',
      scheduledFor: '2026-12-15T10:00:00.000Z',
    });
  });
});

describe('rescheduling', () => {
  const now = new Date('2026-12-21T15:00:00.000Z'); // Monday 21 December 2026

  it('takes a working day today or later and a reason', () => {
    expect(checkReschedule({ scheduledDate: '2026-12-21', reason: ' In court ' }, { now })).toEqual({
      ok: true,
      scheduledDate: '2026-12-21',
      reason: 'In court',
    });
  });

  it.each([
    [{ reason: 'x' }, 'scheduledDate', 'Enter the new date of the supervision'],
    [{ scheduledDate: '2026-02-30', reason: 'x' }, 'scheduledDate', 'The new date must be a real date, written as YYYY-MM-DD'],
    [{ scheduledDate: '2026-12-18', reason: 'x' }, 'scheduledDate', 'The new date must be today or in the future'],
    [{ scheduledDate: '2026-12-25', reason: 'x' }, 'scheduledDate', 'The new date must be a working day (not a weekend or bank holiday)'],
    [{ scheduledDate: '2026-12-28', reason: 'x' }, 'scheduledDate', 'The new date must be a working day (not a weekend or bank holiday)'],
    [{ scheduledDate: '2026-12-26', reason: 'x' }, 'scheduledDate', 'The new date must be a working day (not a weekend or bank holiday)'],
    [{ scheduledDate: '2031-01-06', reason: 'x' }, 'scheduledDate', 'The new date must be on or before 31 December 2028'],
    [{ scheduledDate: '2026-12-22', reason: '  ' }, 'reason', 'Enter the reason for moving the supervision'],
    [
      { scheduledDate: '2026-12-22', reason: 'x'.repeat(1001) },
      'reason',
      'The reason for moving the supervision must be 1,000 characters or fewer',
    ],
    [
      { scheduledDate: '2026-12-22', reason: 'a\u202Eb' },
      'reason',
      'The reason for moving the supervision must not contain invisible or control characters',
    ],
  ])('refuses %j: %s "%s"', (input, field, message) => {
    expect(checkReschedule(input, { now })).toEqual({ ok: false, errors: [{ field, message }] });
  });

  it('accepts exactly the working days from today on (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 400 }), (offset) => {
        const day = addCalendarDays(parseLocalDate('2026-12-21'), offset);
        const result = checkReschedule({ scheduledDate: day, reason: 'Moved' }, { now });
        expect(result.ok).toBe(offset >= 0 && isWorkingDay(day));
      }),
      { numRuns: 200 },
    );
  });

  it('moves the planned time to 10:00 London on the new day, keeps the due date and records the move', () => {
    const supervision = held('2026-02-20'); // due 20 March 2026
    const moved = rescheduled(supervision, {
      scheduledDate: parseLocalDate('2026-03-30'), // after the clocks went forward
      reason: 'In court',
      by: { userId: 'tm-1', name: 'Pat Reid' },
      at: new Date('2026-03-01T09:00:00.000Z'),
    });
    expect(moved).toMatchObject({ scheduledDate: '2026-03-30', scheduledFor: '2026-03-30T09:00:00.000Z', dueBy: supervision.dueBy });
    expect(moved.reschedules).toEqual([
      {
        at: '2026-03-01T09:00:00.000Z',
        by: { userId: 'tm-1', name: 'Pat Reid' },
        previousScheduledFor: supervision.scheduledFor,
        scheduledFor: '2026-03-30T09:00:00.000Z',
        reason: 'In court',
      },
    ]);
  });
});

describe('actions overdue and escalated', () => {
  const dueDays = fc
    .integer({ min: toEpochDay(parseLocalDate('2024-01-01')), max: toEpochDay(parseLocalDate('2028-12-01')) })
    .map(fromEpochDay);
  const open = (dueDate: LocalDate, told: { owner?: string; 'team-manager'?: string } = {}) => ({
    dueDate,
    status: 'open' as const,
    overdueTold: told,
  });

  it('goes to the owner once its London day has ended, and to the team manager once the 2nd working day after it has ended (property)', () => {
    fc.assert(
      fc.property(dueDays, (dueDate) => {
        const dueBy = actionDueBy(dueDate);
        expect(inLondon(dueBy)).toEqual({ date: dueDate, time: '23:59' });
        expect(escalationDue(open(dueDate), dueBy)).toBeUndefined();
        expect(escalationDue(open(dueDate), new Date(dueBy.getTime() + 1))).toBe('owner');
        const managerAt = managerEscalationAt(dueDate);
        const managerDay = parseLocalDate(inLondon(managerAt).date);
        expect(workingDaysBetween(dueDate, managerDay)).toBe(ACTION_MANAGER_ESCALATION_WORKING_DAYS);
        expect(isWorkingDay(managerDay)).toBe(true);
        const told = open(dueDate, { owner: dueBy.toISOString() });
        expect(escalationDue(told, managerAt)).toBeUndefined();
        expect(escalationDue(told, new Date(managerAt.getTime() + 1))).toBe('team-manager');
        // The owner is always told first, even when both are due.
        expect(escalationDue(open(dueDate), new Date(managerAt.getTime() + 1))).toBe('owner');
        expect(escalationDue(open(dueDate, { owner: 'x', 'team-manager': 'y' }), new Date(managerAt.getTime() + 1))).toBeUndefined();
        expect(escalationDue({ ...open(dueDate), status: 'completed' }, new Date(managerAt.getTime() + 1))).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    // Due Thursday 24 December 2026: Christmas, the weekend and Boxing Day's substitute (Monday 28) skipped.
    ['2026-12-24', '2026-12-30T23:59:59.999Z'],
    // Due Friday 27 March 2026 (GMT): Monday 30 and Tuesday 31 March, in BST.
    ['2026-03-27', '2026-03-31T22:59:59.999Z'],
    // Due Thursday 30 December 2027: New Year's Eve Friday, then Monday 3 January 2028 (the substitute New Year holiday) skipped.
    ['2027-12-30', '2028-01-04T23:59:59.999Z'],
  ])('due %s: the team manager is told after %s', (dueDate, instant) => {
    expect(managerEscalationAt(parseLocalDate(dueDate)).toISOString()).toBe(instant);
    expect(addWorkingDays(parseLocalDate(dueDate), ACTION_MANAGER_ESCALATION_WORKING_DAYS)).toBe(instant.slice(0, 10));
  });

  it('waits for the owner, then the manager, then nothing', () => {
    expect(nextEscalation({ status: 'open', overdueTold: {} })).toBe('owner');
    expect(nextEscalation({ status: 'open', overdueTold: { owner: 'x' } })).toBe('team-manager');
    expect(nextEscalation({ status: 'open', overdueTold: { owner: 'x', 'team-manager': 'y' } })).toBeUndefined();
    expect(nextEscalation({ status: 'completed', overdueTold: {} })).toBeUndefined();
  });

  it('counts the working days overdue, London', () => {
    const dueDate = parseLocalDate('2026-12-24');
    const dueBy = actionDueBy(dueDate).toISOString();
    expect(overdueWorkingDays(dueDate, dueBy, new Date('2026-12-24T20:00:00.000Z'))).toBe(0);
    expect(overdueWorkingDays(dueDate, dueBy, new Date('2026-12-28T12:00:00.000Z'))).toBe(0);
    expect(overdueWorkingDays(dueDate, dueBy, new Date('2026-12-29T12:00:00.000Z'))).toBe(1);
    expect(overdueWorkingDays(dueDate, dueBy, new Date('2027-01-04T12:00:00.000Z'))).toBe(4);
  });
});
