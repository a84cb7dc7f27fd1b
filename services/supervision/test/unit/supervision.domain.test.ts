import { addCalendarDays, daysInMonth, type LocalDate, partsOf } from '@fsp/shared/time/local-date';
import { isWorkingDay } from '@fsp/shared/time/working-days';
import fc from 'fast-check';
import {
  firstSupervisionTimes,
  isFirstSocialWorker,
  isTeamMember,
  scheduleFirstSupervision,
  supervisionIdFor,
} from '../../src/domain/supervision';

// An independent reading of London wall-clock time (not the code under test's helpers).
const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});
function inLondon(instant: Date) {
  const parts = Object.fromEntries(londonParts.formatToParts(instant).map((part) => [part.type, part.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}` as LocalDate,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
    weekday: parts.weekday,
  };
}

// Every first allocation whose due date stays inside the shipped bank-holiday years (2024–2028).
const allocationInstants = fc.date({
  min: new Date('2024-01-01T00:00:00.000Z'),
  max: new Date('2028-11-30T23:59:59.999Z'),
  noInvalidDate: true,
});

describe('first supervision timescale (properties over first-allocation instants)', () => {
  it('is due by the end of the London day one calendar month after the London day of the first allocation', () => {
    fc.assert(
      fc.property(allocationInstants, (allocatedAt) => {
        const { dueDate, dueBy } = firstSupervisionTimes(allocatedAt);
        const allocation = partsOf(inLondon(allocatedAt).date);
        const due = partsOf(dueDate);
        const monthIndex = allocation.year * 12 + allocation.month; // the month after, as an index
        expect(due.year * 12 + due.month - 1).toBe(monthIndex);
        expect(due.day).toBe(Math.min(allocation.day, daysInMonth(due.year, due.month)));
        // dueBy is the last millisecond of dueDate in London: the next instant is London midnight of the day after.
        expect(inLondon(dueBy)).toMatchObject({ date: dueDate, time: '23:59:59' });
        expect(inLondon(new Date(dueBy.getTime() + 1))).toMatchObject({ date: addCalendarDays(dueDate, 1), time: '00:00:00' });
      }),
      { numRuns: 500 },
    );
  });

  it('is scheduled for 10:00 London time on a working day, not before the allocation day and not after dueBy', () => {
    fc.assert(
      fc.property(allocationInstants, (allocatedAt) => {
        const { dueBy, dueDate, scheduledDate, scheduledFor } = firstSupervisionTimes(allocatedAt);
        const scheduled = inLondon(scheduledFor);
        expect(scheduled.time).toBe('10:00:00');
        expect(scheduled.date).toBe(scheduledDate);
        expect(['Sat', 'Sun']).not.toContain(scheduled.weekday);
        expect(isWorkingDay(scheduledDate)).toBe(true);
        expect(scheduledFor.getTime()).toBeLessThanOrEqual(dueBy.getTime());
        expect(scheduledDate >= inLondon(allocatedAt).date).toBe(true);
        expect(scheduledDate <= dueDate).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('is the last working day before the due date: no working day lies after it, up to the due date', () => {
    fc.assert(
      fc.property(allocationInstants, (allocatedAt) => {
        const { dueDate, scheduledDate } = firstSupervisionTimes(allocatedAt);
        for (let day = addCalendarDays(scheduledDate, 1); day <= dueDate; day = addCalendarDays(day, 1)) {
          expect(isWorkingDay(day)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('first supervision timescale (worked examples)', () => {
  it.each([
    // allocated at                due date       dueBy                        scheduled for               why
    ['2026-01-05T15:10:02.000Z', '2026-02-05', '2026-02-05T23:59:59.999Z', '2026-02-05T10:00:00.000Z'], // due on a working Thursday: that day, GMT
    ['2026-07-31T09:00:00.000Z', '2026-08-31', '2026-08-31T22:59:59.999Z', '2026-08-28T09:00:00.000Z'], // due on the Summer bank holiday: the Friday before, BST
    ['2026-02-28T12:00:00.000Z', '2026-03-28', '2026-03-28T23:59:59.999Z', '2026-03-27T10:00:00.000Z'], // due on a Saturday: the Friday
    ['2026-03-06T10:00:00.000Z', '2026-04-06', '2026-04-06T22:59:59.999Z', '2026-04-02T09:00:00.000Z'], // allocated in GMT, due Easter Monday in BST: Maundy Thursday
    ['2026-09-25T23:30:00.000Z', '2026-10-26', '2026-10-26T23:59:59.999Z', '2026-10-26T10:00:00.000Z'], // 00:30 BST Saturday 26 Sept allocates the case; due the Monday after the change to GMT
    ['2027-01-31T11:00:00.000Z', '2027-02-28', '2027-02-28T23:59:59.999Z', '2027-02-26T10:00:00.000Z'], // 31 January + 1 month = 28 February (a Sunday): Friday 26th
    ['2026-11-28T10:00:00.000Z', '2026-12-28', '2026-12-28T23:59:59.999Z', '2026-12-24T10:00:00.000Z'], // due on the Boxing Day substitute: Christmas Eve
  ])('a case first allocated at %s is due %s (by %s), scheduled for %s', (allocatedAt, dueDate, dueBy, scheduledFor) => {
    const times = firstSupervisionTimes(new Date(allocatedAt));
    expect(times.dueDate).toBe(dueDate);
    expect(times.dueBy.toISOString()).toBe(dueBy);
    expect(times.scheduledFor.toISOString()).toBe(scheduledFor);
  });

  it('refuses to guess outside the shipped bank-holiday years', () => {
    expect(() => firstSupervisionTimes(new Date('2028-12-15T10:00:00.000Z'))).toThrow(/bank-holiday data/);
  });
});

describe('isFirstSocialWorker: which allocation schedules the first supervision', () => {
  it('is the case’s first social worker only: not a specialist, not a change of social worker', () => {
    expect(isFirstSocialWorker({ role: 'social-worker' })).toBe(true);
    expect(isFirstSocialWorker({ role: 'social-worker', previousWorkerId: 'sw-1' })).toBe(false);
    expect(isFirstSocialWorker({ role: 'adult-specialist' })).toBe(false);
    expect(isFirstSocialWorker({ role: 'adult-specialist', previousWorkerId: 'as-1' })).toBe(false);
  });
});

const firstAllocation = { caseId: 'case-1', teamId: 'team-north-1', reference: 'FSP-2026-000123', allocatedAt: '2026-01-05T15:10:02.000Z' };

describe('scheduleFirstSupervision', () => {
  it('schedules supervision number 1 of the case for its team, under an id derived from the case', () => {
    const supervision = scheduleFirstSupervision(firstAllocation);
    expect(supervision).toEqual({
      supervisionId: supervisionIdFor('case-1', 1),
      caseId: 'case-1',
      teamId: 'team-north-1',
      sequence: 1,
      status: 'scheduled',
      dueDate: '2026-02-05',
      dueBy: '2026-02-05T23:59:59.999Z',
      scheduledDate: '2026-02-05',
      scheduledFor: '2026-02-05T10:00:00.000Z',
      caseReference: 'FSP-2026-000123',
    });
    expect(supervisionIdFor('case-1', 1)).not.toBe(supervisionIdFor('case-1', 2));
    expect(supervisionIdFor('x'.repeat(64), 1).length).toBeLessThanOrEqual(64);
  });

  it('keeps the case’s reference with the supervision, for the agenda to name the case by', () => {
    expect(scheduleFirstSupervision({ ...firstAllocation, reference: 'FSP-2026-000777' }).caseReference).toBe('FSP-2026-000777');
  });

  it('lets only members of the team see its supervisions', () => {
    expect(isTeamMember({ teamId: 'team-north-1' }, 'team-north-1')).toBe(true);
    expect(isTeamMember({ teamId: 'team-south-2' }, 'team-north-1')).toBe(false);
  });
});
