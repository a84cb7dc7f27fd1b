import {
  addCalendarDays,
  addCalendarMonths,
  compareLocalDates,
  daysInMonth,
  fromEpochDay,
  isoDayOfWeek,
  type LocalDate,
  localDateSchema,
  parseLocalDate,
  partsOf,
  toEpochDay,
} from '@fsp/shared/time/local-date';
import fc from 'fast-check';

const d = parseLocalDate;

// Reference built on Date.UTC, independent of the integer arithmetic under test (years 1000–9999,
// where Date.UTC has no two-digit-year quirk).
const referenceIsRealDate = (year: number, month: number, day: number): boolean => {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};
const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** Dates from 1000-01-01 to 9999-12-31 as LocalDate, via epoch days. */
const anyLocalDate = fc.integer({ min: toEpochDay(d('1000-01-01')), max: toEpochDay(d('9999-12-31')) }).map(fromEpochDay);

describe('LocalDate schema', () => {
  it.each(['2026-02-28', '2028-02-29', '2000-02-29', '2026-12-31', '2026-04-30', '0001-01-01', '9999-12-31'])('accepts %s', (text) => {
    expect(localDateSchema.parse(text)).toBe(text);
  });

  it.each([
    '2026-02-30',
    '2026-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-1-5',
    '26-01-05',
    '2026-01-05T00:00:00Z',
    ' 2026-01-05',
    '',
    '0000-01-01',
  ])('rejects %j', (text) => {
    expect(localDateSchema.safeParse(text).success).toBe(false);
  });

  it('rejects non-strings', () => {
    for (const value of [20260105, null, undefined, new Date('2026-01-05'), {}])
      expect(localDateSchema.safeParse(value).success).toBe(false);
  });

  it('agrees with the calendar for every year/month/day triple, including impossible ones', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (year, month, day) => {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect(localDateSchema.safeParse(text).success).toBe(month >= 1 && month <= 12 && referenceIsRealDate(year, month, day));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects arbitrary strings unless they are real dates', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = localDateSchema.safeParse(text);
        if (result.success) expect(referenceIsRealDate(...(text.split('-').map(Number) as [number, number, number]))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('calendar arithmetic', () => {
  it('round-trips epoch days and agrees with Date on the day count and day of the week', () => {
    fc.assert(
      fc.property(anyLocalDate, (date) => {
        expect(fromEpochDay(toEpochDay(date))).toBe(date);
        const utc = Date.parse(`${date}T00:00:00Z`);
        expect(toEpochDay(date)).toBe(utc / 86_400_000);
        expect(isoDayOfWeek(date)).toBe(((new Date(utc).getUTCDay() + 6) % 7) + 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('knows the weekdays of dates around the clock changes and year ends', () => {
    expect(isoDayOfWeek(d('2026-03-29'))).toBe(7);
    expect(isoDayOfWeek(d('2026-10-25'))).toBe(7);
    expect(isoDayOfWeek(d('2026-12-28'))).toBe(1);
    expect(isoDayOfWeek(d('2027-12-31'))).toBe(5);
    expect(isoDayOfWeek(d('2028-01-01'))).toBe(6);
    expect(isoDayOfWeek(d('1970-01-01'))).toBe(4);
  });

  it('adds calendar days across month, year and leap-day boundaries', () => {
    expect(addCalendarDays(d('2026-12-31'), 1)).toBe('2027-01-01');
    expect(addCalendarDays(d('2028-02-28'), 1)).toBe('2028-02-29');
    expect(addCalendarDays(d('2027-02-28'), 1)).toBe('2027-03-01');
    expect(addCalendarDays(d('2027-01-01'), -1)).toBe('2026-12-31');
    expect(() => addCalendarDays(d('2027-01-01'), 0.5)).toThrow(RangeError);
  });

  it('orders dates like the calendar', () => {
    fc.assert(
      fc.property(anyLocalDate, anyLocalDate, (a, b) => {
        expect(Math.sign(compareLocalDates(a, b))).toBe(Math.sign(toEpochDay(a) - toEpochDay(b)));
      }),
    );
  });
});

describe('addCalendarMonths (monthly supervision, CP reviews)', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-01-15', 1, '2026-02-15'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2027-11-29', 3, '2028-02-29'],
    ['2026-10-15', 3, '2027-01-15'],
    ['2026-12-31', 2, '2027-02-28'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2026-05-20', -3, '2026-02-20'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-01-10', -1, '2025-12-10'],
    ['2026-06-30', 0, '2026-06-30'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addCalendarMonths(d(from), months)).toBe(expected);
  });

  it('rejects fractional months', () => {
    expect(() => addCalendarMonths(d('2026-01-31'), 1.5)).toThrow(RangeError);
  });

  it('lands in the right month on the same day, or the last day of a shorter month', () => {
    fc.assert(
      fc.property(anyLocalDate, fc.integer({ min: -600, max: 600 }), (date, months) => {
        const from = partsOf(date);
        const fromIndex = from.year * 12 + from.month - 1;
        fc.pre(fromIndex + months >= 1000 * 12 && fromIndex + months <= 9999 * 12 + 11);
        const to = partsOf(addCalendarMonths(date, months));
        expect(to.year * 12 + to.month - 1).toBe(fromIndex + months);
        expect(to.day).toBe(Math.min(from.day, daysInMonth(to.year, to.month)));
      }),
      { numRuns: 1000 },
    );
  });

  it('composes for days every month has (1st to 28th), and never moves backwards for positive months', () => {
    const early: fc.Arbitrary<LocalDate> = fc
      .record({ year: fc.integer({ min: 2000, max: 2100 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
      .map(({ year, month, day }) => parseLocalDate(`${year}-${pad(month, 2)}-${pad(day, 2)}`));
    fc.assert(
      fc.property(early, fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 120 }), (date, a, b) => {
        expect(addCalendarMonths(addCalendarMonths(date, a), b)).toBe(addCalendarMonths(date, a + b));
        expect(compareLocalDates(addCalendarMonths(date, a), date)).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
