import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '@fsp/shared/time/bank-holidays';
import { fixedClock } from '@fsp/shared/time/clock';
import { addCalendarDays, addCalendarMonths, fromEpochDay, type LocalDate, parseLocalDate, toEpochDay } from '@fsp/shared/time/local-date';
import { endOfLondonDay, londonDateOf } from '@fsp/shared/time/london';
import {
  addWorkingDays,
  BankHolidaysNotCoveredError,
  calendarDayDeadline,
  dueStatus,
  isBankHoliday,
  isWorkingDay,
  nextWorkingDay,
  workingDayDeadline,
  workingDaysBetween,
} from '@fsp/shared/time/working-days';
import fc from 'fast-check';

const d = parseLocalDate;
const HOUR = 3_600_000;

/** What a handler does: read the injected clock, compute the deadline. */
const deadlineAt = (iso: string, workingDays: number) => {
  const deadline = workingDayDeadline(fixedClock(iso)(), workingDays);
  return { dueDate: deadline.dueDate as string, dueBy: deadline.dueBy.toISOString() };
};

// Dates and instants well inside the bank-holiday coverage, leaving room for 100 working days.
const FIRST = toEpochDay(d('2024-01-01'));
const LAST = toEpochDay(d('2028-06-30'));
const coveredDate: fc.Arbitrary<LocalDate> = fc.integer({ min: FIRST, max: LAST }).map(fromEpochDay);
const coveredInstant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 5, 30) }).map((ms) => new Date(ms));
const workingDayCount = fc.integer({ min: 1, max: 100 });

describe('isWorkingDay', () => {
  it.each([
    ['2026-06-01', true],
    ['2026-06-05', true],
    ['2026-06-06', false],
    ['2026-06-07', false],
    ['2026-12-24', true],
    ['2026-12-25', false],
    ['2026-12-26', false],
    ['2026-12-28', false],
    ['2026-12-29', true],
    ['2027-12-27', false],
    ['2027-12-28', false],
    ['2028-01-03', false],
    ['2028-01-04', true],
  ])('%s is a working day: %s', (date, expected) => {
    expect(isWorkingDay(d(date))).toBe(expected);
  });

  it('is false on every shipped bank holiday', () => {
    for (const holiday of ENGLAND_AND_WALES_BANK_HOLIDAYS) {
      expect(isBankHoliday(holiday.date)).toBe(true);
      expect(isWorkingDay(holiday.date)).toBe(false);
    }
  });

  it('is Monday to Friday except bank holidays, for every day 2024–2028', () => {
    const holidays = new Set<string>(ENGLAND_AND_WALES_BANK_HOLIDAYS.map((holiday) => holiday.date));
    let workingDays = 0;
    for (let day = toEpochDay(d('2024-01-01')); day <= toEpochDay(d('2028-12-31')); day += 1) {
      const date = fromEpochDay(day);
      const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
      const expected = weekday !== 0 && weekday !== 6 && !holidays.has(date);
      expect(isWorkingDay(date)).toBe(expected);
      if (expected) workingDays += 1;
    }
    // Weekdays 2024 (leap, starts Monday) 262, 2025–2027 261 each, 2028 (leap, starts Saturday) 260; minus 40 bank holidays.
    expect(workingDays).toBe(262 + 261 + 261 + 261 + 260 - 40);
  });

  it('refuses dates the bank-holiday data does not cover, instead of assuming there are none', () => {
    expect(() => isWorkingDay(d('2029-01-01'))).toThrow(BankHolidaysNotCoveredError);
    expect(() => isWorkingDay(d('2023-12-29'))).toThrow(BankHolidaysNotCoveredError);
    expect(() => isWorkingDay(d('2029-01-01'))).toThrow(/bank-holidays\.ts/);
  });
});

describe('nextWorkingDay and addWorkingDays', () => {
  it.each([
    ['2026-06-05', '2026-06-08'],
    ['2026-06-06', '2026-06-08'],
    ['2026-06-07', '2026-06-08'],
    ['2026-06-08', '2026-06-09'],
    ['2026-12-24', '2026-12-29'],
    ['2026-12-31', '2027-01-04'],
    ['2027-12-24', '2027-12-29'],
    ['2027-12-31', '2028-01-04'],
    ['2028-12-22', '2028-12-27'],
  ])('the working day after %s is %s', (date, expected) => {
    expect(nextWorkingDay(d(date))).toBe(expected);
  });

  it.each([
    ['2026-06-08', 0, '2026-06-08'],
    ['2026-06-06', 0, '2026-06-06'],
    ['2026-06-08', 5, '2026-06-15'],
    ['2026-06-08', -1, '2026-06-05'],
    ['2026-06-06', -1, '2026-06-05'],
    ['2026-12-29', -1, '2026-12-24'],
    ['2028-01-04', -2, '2027-12-30'],
  ])('%s plus %i working days is %s', (date, n, expected) => {
    expect(addWorkingDays(d(date), n)).toBe(expected);
  });

  it('refuses fractional counts', () => {
    expect(() => addWorkingDays(d('2026-06-08'), 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays(d('2026-06-08'), Number.NaN)).toThrow(RangeError);
  });

  it('refuses to count into a year with no bank-holiday data', () => {
    expect(() => addWorkingDays(d('2028-12-29'), 1)).toThrow(BankHolidaysNotCoveredError);
    expect(() => addWorkingDays(d('2024-01-02'), -1)).toThrow(BankHolidaysNotCoveredError);
  });

  it('composes: adding a then b working days is adding a + b (same sign)', () => {
    fc.assert(
      fc.property(coveredDate, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.boolean(), (date, a, b, backwards) => {
        const sign = backwards ? -1 : 1;
        fc.pre(toEpochDay(date) - FIRST > 200 || !backwards);
        expect(addWorkingDays(addWorkingDays(date, sign * a), sign * b)).toBe(addWorkingDays(date, sign * (a + b)));
      }),
      { numRuns: 500 },
    );
  });

  it('lands on a working day, with exactly n - 1 working days strictly in between', () => {
    fc.assert(
      fc.property(coveredDate, workingDayCount, (date, n) => {
        const result = addWorkingDays(date, n);
        expect(isWorkingDay(result)).toBe(true);
        let between = 0;
        for (let day = addCalendarDays(date, 1); day < result; day = addCalendarDays(day, 1)) if (isWorkingDay(day)) between += 1;
        expect(between).toBe(n - 1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('workingDaysBetween', () => {
  it.each([
    ['2026-06-05', '2026-06-08', 1],
    ['2026-06-06', '2026-06-07', 0],
    ['2026-06-08', '2026-06-08', 0],
    ['2026-12-24', '2027-01-04', 4],
    ['2026-06-08', '2026-06-05', -1],
    // (1 Jan, 31 Dec]: 261 weekdays after New Year's Day, 7 more bank holidays.
    ['2024-01-01', '2024-12-31', 261 - 7],
  ])('from %s to %s is %i working days', (from, to, expected) => {
    expect(workingDaysBetween(d(from), d(to))).toBe(expected);
  });

  it('inverts addWorkingDays, forwards and backwards', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST + 200, max: LAST }).map(fromEpochDay), fc.integer({ min: -100, max: 100 }), (date, n) => {
        expect(workingDaysBetween(date, addWorkingDays(date, n))).toBe(n);
      }),
      { numRuns: 500 },
    );
  });

  it('counted forward to any working day, addWorkingDays gets back to it', () => {
    fc.assert(
      fc.property(coveredDate, coveredDate, (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        fc.pre(isWorkingDay(to));
        const count = workingDaysBetween(from, to);
        if (from !== to) expect(addWorkingDays(from, count)).toBe(to);
      }),
      { numRuns: 500 },
    );
  });

  it('adds up over consecutive intervals', () => {
    fc.assert(
      fc.property(coveredDate, coveredDate, coveredDate, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort();
        expect(workingDaysBetween(x!, y!) + workingDaysBetween(y!, z!)).toBe(workingDaysBetween(x!, z!));
      }),
      { numRuns: 200 },
    );
  });
});

describe('workingDayDeadline: referral decision, 1 working day of receipt', () => {
  it.each([
    // received (London offset written out), due date, last instant of the due date
    ['2026-06-01T09:00:00+01:00', '2026-06-02', '2026-06-02T22:59:59.999Z'],
    ['2026-06-04T16:00:00+01:00', '2026-06-05', '2026-06-05T22:59:59.999Z'],
    ['2026-06-05T16:30:00+01:00', '2026-06-08', '2026-06-08T22:59:59.999Z'],
    ['2026-06-06T11:00:00+01:00', '2026-06-08', '2026-06-08T22:59:59.999Z'],
    ['2026-06-07T23:59:59.999+01:00', '2026-06-08', '2026-06-08T22:59:59.999Z'],
    ['2026-06-08T00:00:00+01:00', '2026-06-09', '2026-06-09T22:59:59.999Z'],
  ])('across a weekend: received %s is due %s (by %s)', (received, dueDate, dueBy) => {
    expect(deadlineAt(received, 1)).toEqual({ dueDate, dueBy });
  });

  it.each([
    // Midnight UTC is not midnight in London during BST.
    ['2026-06-04T22:59:59.999Z', '2026-06-05', '2026-06-05T22:59:59.999Z'],
    ['2026-06-04T23:00:00.000Z', '2026-06-08', '2026-06-08T22:59:59.999Z'],
    ['2026-06-05T23:30:00.000Z', '2026-06-08', '2026-06-08T22:59:59.999Z'],
    ['2026-01-08T23:30:00.000Z', '2026-01-09', '2026-01-09T23:59:59.999Z'],
    ['2026-01-09T00:30:00.000Z', '2026-01-12', '2026-01-12T23:59:59.999Z'],
  ])('near midnight: received %s is due %s (by %s)', (received, dueDate, dueBy) => {
    expect(deadlineAt(received, 1)).toEqual({ dueDate, dueBy });
  });

  it.each([
    // 2026: BST starts Sun 29 March (23-hour day), ends Sun 25 October (25-hour day).
    ['2026-03-27T23:30:00+00:00', '2026-03-30', '2026-03-30T22:59:59.999Z'],
    ['2026-03-28T00:30:00+00:00', '2026-03-30', '2026-03-30T22:59:59.999Z'],
    ['2026-03-28T23:30:00+00:00', '2026-03-30', '2026-03-30T22:59:59.999Z'],
    ['2026-03-29T00:30:00+00:00', '2026-03-30', '2026-03-30T22:59:59.999Z'],
    ['2026-03-29T03:30:00+01:00', '2026-03-30', '2026-03-30T22:59:59.999Z'],
    ['2026-03-29T23:30:00+01:00', '2026-03-30', '2026-03-30T22:59:59.999Z'],
    ['2026-03-30T00:30:00+01:00', '2026-03-31', '2026-03-31T22:59:59.999Z'],
    ['2026-03-30T23:30:00+01:00', '2026-03-31', '2026-03-31T22:59:59.999Z'],
    ['2026-10-23T23:30:00+01:00', '2026-10-26', '2026-10-26T23:59:59.999Z'],
    ['2026-10-24T23:30:00+01:00', '2026-10-26', '2026-10-26T23:59:59.999Z'],
    ['2026-10-25T00:30:00+01:00', '2026-10-26', '2026-10-26T23:59:59.999Z'],
    ['2026-10-25T01:30:00+01:00', '2026-10-26', '2026-10-26T23:59:59.999Z'],
    ['2026-10-25T01:30:00+00:00', '2026-10-26', '2026-10-26T23:59:59.999Z'],
    ['2026-10-25T23:30:00+00:00', '2026-10-26', '2026-10-26T23:59:59.999Z'],
    ['2026-10-26T00:30:00+00:00', '2026-10-27', '2026-10-27T23:59:59.999Z'],
    ['2026-10-26T23:30:00+00:00', '2026-10-27', '2026-10-27T23:59:59.999Z'],
    // 2024: BST started on Easter Sunday, inside the Good Friday–Easter Monday weekend.
    ['2024-03-28T23:30:00+00:00', '2024-04-02', '2024-04-02T22:59:59.999Z'],
    ['2024-03-28T00:30:00+00:00', '2024-04-02', '2024-04-02T22:59:59.999Z'],
    ['2024-10-25T23:30:00+01:00', '2024-10-28', '2024-10-28T23:59:59.999Z'],
    ['2025-03-29T12:00:00+00:00', '2025-03-31', '2025-03-31T22:59:59.999Z'],
    ['2025-10-26T23:30:00+00:00', '2025-10-27', '2025-10-27T23:59:59.999Z'],
    // 2027: BST starts on Easter Sunday again.
    ['2027-03-25T23:30:00+00:00', '2027-03-30', '2027-03-30T22:59:59.999Z'],
    ['2027-10-29T17:00:00+01:00', '2027-11-01', '2027-11-01T23:59:59.999Z'],
    ['2028-03-26T00:30:00+00:00', '2028-03-27', '2028-03-27T22:59:59.999Z'],
    ['2028-10-29T00:30:00+01:00', '2028-10-30', '2028-10-30T23:59:59.999Z'],
  ])('around a clock change: received %s is due %s (by %s)', (received, dueDate, dueBy) => {
    expect(deadlineAt(received, 1)).toEqual({ dueDate, dueBy });
  });

  it.each([
    ['2024-12-24T15:00:00Z', '2024-12-27', '2024-12-27T23:59:59.999Z'],
    ['2024-12-31T15:00:00Z', '2025-01-02', '2025-01-02T23:59:59.999Z'],
    ['2025-12-24T15:00:00Z', '2025-12-29', '2025-12-29T23:59:59.999Z'],
    ['2025-12-31T23:59:00Z', '2026-01-02', '2026-01-02T23:59:59.999Z'],
    ['2026-12-24T15:00:00Z', '2026-12-29', '2026-12-29T23:59:59.999Z'],
    ['2026-12-31T15:00:00Z', '2027-01-04', '2027-01-04T23:59:59.999Z'],
    ['2027-12-23T15:00:00Z', '2027-12-24', '2027-12-24T23:59:59.999Z'],
    ['2027-12-24T15:00:00Z', '2027-12-29', '2027-12-29T23:59:59.999Z'],
    ['2027-12-31T15:00:00Z', '2028-01-04', '2028-01-04T23:59:59.999Z'],
    ['2028-12-22T15:00:00Z', '2028-12-27', '2028-12-27T23:59:59.999Z'],
  ])('over Christmas and New Year: received %s is due %s (by %s)', (received, dueDate, dueBy) => {
    expect(deadlineAt(received, 1)).toEqual({ dueDate, dueBy });
  });

  // Received at noon London time on each bank holiday; the due date is worked out by hand.
  it.each([
    ['2024-01-01', '2024-01-02'],
    ['2024-03-29', '2024-04-02'],
    ['2024-04-01', '2024-04-02'],
    ['2024-05-06', '2024-05-07'],
    ['2024-05-27', '2024-05-28'],
    ['2024-08-26', '2024-08-27'],
    ['2024-12-25', '2024-12-27'],
    ['2024-12-26', '2024-12-27'],
    ['2025-01-01', '2025-01-02'],
    ['2025-04-18', '2025-04-22'],
    ['2025-04-21', '2025-04-22'],
    ['2025-05-05', '2025-05-06'],
    ['2025-05-26', '2025-05-27'],
    ['2025-08-25', '2025-08-26'],
    ['2025-12-25', '2025-12-29'],
    ['2025-12-26', '2025-12-29'],
    ['2026-01-01', '2026-01-02'],
    ['2026-04-03', '2026-04-07'],
    ['2026-04-06', '2026-04-07'],
    ['2026-05-04', '2026-05-05'],
    ['2026-05-25', '2026-05-26'],
    ['2026-08-31', '2026-09-01'],
    ['2026-12-25', '2026-12-29'],
    ['2026-12-28', '2026-12-29'],
    ['2027-01-01', '2027-01-04'],
    ['2027-03-26', '2027-03-30'],
    ['2027-03-29', '2027-03-30'],
    ['2027-05-03', '2027-05-04'],
    ['2027-05-31', '2027-06-01'],
    ['2027-08-30', '2027-08-31'],
    ['2027-12-27', '2027-12-29'],
    ['2027-12-28', '2027-12-29'],
    ['2028-01-03', '2028-01-04'],
    ['2028-04-14', '2028-04-18'],
    ['2028-04-17', '2028-04-18'],
    ['2028-05-01', '2028-05-02'],
    ['2028-05-29', '2028-05-30'],
    ['2028-08-28', '2028-08-29'],
    ['2028-12-25', '2028-12-27'],
    ['2028-12-26', '2028-12-27'],
  ])('received on bank holiday %s is due %s', (holiday, dueDate) => {
    const noonLondon = new Date(startOfDayPlus(holiday, 12 * HOUR));
    expect(workingDayDeadline(noonLondon, 1).dueDate).toBe(dueDate);
  });

  it('has a hand-checked case for every shipped bank holiday', () => {
    // Keeps the table above in step with the data when years are added.
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS).toHaveLength(40);
  });

  it('refuses a timescale of less than one whole working day', () => {
    const received = fixedClock('2026-06-01T09:00:00Z')();
    for (const bad of [0, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => workingDayDeadline(received, bad)).toThrow(RangeError);
  });

  it('refuses a deadline that falls after the bank-holiday data ends', () => {
    expect(() => workingDayDeadline(fixedClock('2028-12-29T10:00:00Z')(), 1)).toThrow(BankHolidaysNotCoveredError);
  });
});

function startOfDayPlus(date: string, ms: number): number {
  return endOfLondonDay(addCalendarDays(d(date), -1)).getTime() + 1 + ms;
}

describe('workingDayDeadline: assessment (45) and initial CP conference (15)', () => {
  it.each([
    // Easter (3 and 6 April) and the early May bank holiday (4 May) push day 45 from Mon 4 to Thu 7 May.
    ['2026-03-02T10:00:00Z', 45, '2026-05-07', '2026-05-07T22:59:59.999Z'],
    // Christmas, Boxing Day substitute and New Year's Day push it from Mon 18 to Thu 21 January.
    ['2026-11-16T10:00:00Z', 45, '2027-01-21', '2027-01-21T23:59:59.999Z'],
    // Crosses the BST start and Easter 2027.
    ['2027-02-05T10:00:00Z', 45, '2027-04-13', '2027-04-13T22:59:59.999Z'],
    // Strategy discussion before Christmas 2027: both substitute days and the New Year substitute.
    ['2027-12-09T10:00:00Z', 15, '2028-01-04', '2028-01-04T23:59:59.999Z'],
    ['2024-12-18T10:00:00Z', 15, '2025-01-13', '2025-01-13T23:59:59.999Z'],
  ])('referral %s + %i working days is due %s (by %s)', (received, workingDays, dueDate, dueBy) => {
    expect(deadlineAt(received, workingDays)).toEqual({ dueDate, dueBy });
  });
});

describe('workingDayDeadline properties', () => {
  it('is due on a working day, by the end of that London day, strictly after receipt', () => {
    fc.assert(
      fc.property(coveredInstant, workingDayCount, (receivedAt, n) => {
        const { dueDate, dueBy } = workingDayDeadline(receivedAt, n);
        expect(isWorkingDay(dueDate)).toBe(true);
        expect(dueBy.getTime()).toBeGreaterThan(receivedAt.getTime());
        expect(londonDateOf(dueBy)).toBe(dueDate);
        expect(londonDateOf(new Date(dueBy.getTime() + 1))).toBe(addCalendarDays(dueDate, 1));
      }),
      { numRuns: 1000 },
    );
  });

  it('is exactly N working days after the London day of receipt', () => {
    fc.assert(
      fc.property(coveredInstant, workingDayCount, (receivedAt, n) => {
        const { dueDate } = workingDayDeadline(receivedAt, n);
        expect(workingDaysBetween(londonDateOf(receivedAt), dueDate)).toBe(n);
      }),
      { numRuns: 500 },
    );
  });

  it('never falls earlier for a later receipt, nor for a longer timescale', () => {
    fc.assert(
      fc.property(coveredInstant, fc.integer({ min: 0, max: 10 * 24 * HOUR }), workingDayCount, (first, laterBy, n) => {
        const second = new Date(first.getTime() + laterBy);
        expect(workingDayDeadline(second, n).dueBy.getTime()).toBeGreaterThanOrEqual(workingDayDeadline(first, n).dueBy.getTime());
        expect(workingDayDeadline(first, n + 1).dueBy.getTime()).toBeGreaterThan(workingDayDeadline(first, n).dueBy.getTime());
      }),
      { numRuns: 500 },
    );
  });

  it('is the same for every receipt within one London day', () => {
    fc.assert(
      fc.property(coveredDate, fc.double({ min: 0, max: 1, noNaN: true }), workingDayCount, (date, fraction, n) => {
        const start = startOfDayPlus(date, 0);
        const end = endOfLondonDay(date).getTime();
        const receivedAt = new Date(start + Math.floor(fraction * (end - start)));
        expect(workingDayDeadline(receivedAt, n)).toEqual(workingDayDeadline(new Date(start), n));
      }),
      { numRuns: 300 },
    );
  });
});

describe('calendar-month timescales', () => {
  it('first CP review 3 months after the conference, then every 6 months, each due by the end of the London day', () => {
    const conference = d('2026-11-30');
    const firstReview = calendarDayDeadline(addCalendarMonths(conference, 3));
    expect(firstReview.dueDate).toBe('2027-02-28');
    expect(firstReview.dueBy.toISOString()).toBe('2027-02-28T23:59:59.999Z');
    const secondReview = calendarDayDeadline(addCalendarMonths(firstReview.dueDate, 6));
    expect(secondReview.dueDate).toBe('2027-08-28');
    expect(secondReview.dueBy.toISOString()).toBe('2027-08-28T22:59:59.999Z');
  });

  it('a supervision due on the day the clocks go back ends at midnight GMT, 25 hours after it began', () => {
    const due = calendarDayDeadline(addCalendarMonths(d('2026-09-25'), 1));
    expect(due.dueDate).toBe('2026-10-25');
    expect(due.dueBy.toISOString()).toBe('2026-10-25T23:59:59.999Z');
  });
});

describe('dueStatus', () => {
  const dueBy = new Date('2026-06-08T22:59:59.999Z');
  const soon = { dueSoonWithinMs: 4 * HOUR };

  it.each([
    [dueBy.getTime() - 4 * HOUR - 1, 'on-track'],
    [dueBy.getTime() - 4 * HOUR, 'due-soon'],
    [dueBy.getTime(), 'due-soon'],
    [dueBy.getTime() + 1, 'overdue'],
  ])('at %i the decision is %s', (now, expected) => {
    expect(dueStatus(new Date(now), dueBy, soon)).toBe(expected);
  });

  it('refuses a negative window and invalid dates', () => {
    expect(() => dueStatus(new Date(0), dueBy, { dueSoonWithinMs: -1 })).toThrow(RangeError);
    expect(() => dueStatus(new Date('x'), dueBy, soon)).toThrow(RangeError);
  });

  it('only ever moves from on-track to due-soon to overdue as time passes', () => {
    const rank = { 'on-track': 0, 'due-soon': 1, overdue: 2 } as const;
    fc.assert(
      fc.property(coveredInstant, coveredInstant, fc.integer({ min: 0, max: 48 * HOUR }), (a, b, windowMs) => {
        const [earlier, later] = a <= b ? [a, b] : [b, a];
        const options = { dueSoonWithinMs: windowMs };
        expect(rank[dueStatus(later, dueBy, options)]).toBeGreaterThanOrEqual(rank[dueStatus(earlier, dueBy, options)]);
      }),
    );
  });
});
