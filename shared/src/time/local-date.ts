import * as z from 'zod/mini';

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isRealDate(value: string): boolean {
  const match = SHAPE.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

// Lazy: built when a schema using it first parses, not when a function's bundle loads.
export const localDateSchema = z.lazy(() =>
  z
    .string()
    .check(z.regex(SHAPE, { message: 'expected a date as YYYY-MM-DD' }), z.refine(isRealDate, { message: 'not a real calendar date' }))
    .brand<'LocalDate'>(),
);

/**
 * A calendar date with no time and no zone ('YYYY-MM-DD'): a due date, a date of birth, a
 * conference date. Branded so that an arbitrary string (or an instant's UTC date) cannot be passed
 * where a checked calendar date is expected.
 */
export type LocalDate = z.infer<typeof localDateSchema>;

/** Throws (a ZodError) on anything that is not a real calendar date: for trusted literals and tests. */
export function parseLocalDate(value: string): LocalDate {
  return localDateSchema.parse(value);
}

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export function partsOf(date: LocalDate): DateParts {
  // The brand guarantees the shape; re-matching keeps the indexing honest under noUncheckedIndexedAccess.
  const match = SHAPE.exec(date);
  if (!match) throw new TypeError(`not a LocalDate: ${date}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

export function localDateFromParts({ year, month, day }: DateParts): LocalDate {
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  // The same check as the schema without zod's overhead: working-day loops build thousands of dates.
  if (!isRealDate(text)) throw new RangeError(`not a real calendar date: ${year}-${month}-${day}`);
  return text as LocalDate;
}

// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
// Integer arithmetic, so no Date object and no host time zone can shift a calendar date.
export function toEpochDay(date: LocalDate): number {
  const { year, month, day } = partsOf(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function fromEpochDay(epochDay: number): LocalDate {
  const z0 = epochDay + 719468;
  const era = Math.floor(z0 / 146097);
  const dayOfEra = z0 - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return localDateFromParts({ year, month, day });
}

export function addCalendarDays(date: LocalDate, days: number): LocalDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return fromEpochDay(toEpochDay(date) + days);
}

/** ISO day of the week: 1 = Monday … 7 = Sunday. */
export function isoDayOfWeek(date: LocalDate): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((toEpochDay(date) + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(date: LocalDate): boolean {
  return isoDayOfWeek(date) >= 6;
}

/**
 * The same day of the month `months` later (or earlier), clamped to the month's last day: 31 January
 * + 1 month is 28 (or 29) February. Used for monthly supervision and CP reviews, which count
 * calendar months, not working days.
 */
export function addCalendarMonths(date: LocalDate, months: number): LocalDate {
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer, got ${months}`);
  const { year, month, day } = partsOf(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  return localDateFromParts({ year: targetYear, month: targetMonth, day: Math.min(day, daysInMonth(targetYear, targetMonth)) });
}

/** Negative, zero or positive, like a comparator; 'YYYY-MM-DD' strings order correctly as text. */
export function compareLocalDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
