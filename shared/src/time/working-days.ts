import { BANK_HOLIDAY_COVERAGE, ENGLAND_AND_WALES_BANK_HOLIDAYS } from './bank-holidays';
import { fromEpochDay, type LocalDate, localDateFromParts, toEpochDay } from './local-date';
import { endOfLondonDay, londonDateOf } from './london';

/**
 * Working days: Monday to Friday, excluding England and Wales bank holidays, counted in London
 * calendar days. See docs/adr/0003-working-day-deadlines.md for the deadline rule.
 */

// Epoch days, so that counting over months of calendar days is integer arithmetic, not string parsing.
const BANK_HOLIDAY_EPOCH_DAYS: ReadonlySet<number> = new Set(ENGLAND_AND_WALES_BANK_HOLIDAYS.map((holiday) => toEpochDay(holiday.date)));
const FIRST_COVERED_EPOCH_DAY = toEpochDay(localDateFromParts({ year: BANK_HOLIDAY_COVERAGE.firstYear, month: 1, day: 1 }));
const LAST_COVERED_EPOCH_DAY = toEpochDay(localDateFromParts({ year: BANK_HOLIDAY_COVERAGE.lastYear, month: 12, day: 31 }));

/** Thrown rather than treating an unlisted year as having no bank holidays, which would give early deadlines. */
export class BankHolidaysNotCoveredError extends Error {
  override readonly name = 'BankHolidaysNotCoveredError';
  constructor(readonly date: LocalDate) {
    super(
      `no England and Wales bank-holiday data for ${date} (covered: ${BANK_HOLIDAY_COVERAGE.firstYear}–${BANK_HOLIDAY_COVERAGE.lastYear}); extend shared/src/time/bank-holidays.ts`,
    );
  }
}

function assertCovered(epochDay: number): void {
  if (epochDay < FIRST_COVERED_EPOCH_DAY || epochDay > LAST_COVERED_EPOCH_DAY)
    throw new BankHolidaysNotCoveredError(fromEpochDay(epochDay));
}

function isWorkingEpochDay(epochDay: number): boolean {
  assertCovered(epochDay);
  // 1970-01-01 (epoch day 0) was a Thursday, so (epochDay + 3) mod 7 is 5 on Saturday and 6 on Sunday.
  const mondayBased = (((epochDay + 3) % 7) + 7) % 7;
  return mondayBased < 5 && !BANK_HOLIDAY_EPOCH_DAYS.has(epochDay);
}

export function isBankHoliday(date: LocalDate): boolean {
  const epochDay = toEpochDay(date);
  assertCovered(epochDay);
  return BANK_HOLIDAY_EPOCH_DAYS.has(epochDay);
}

export function isWorkingDay(date: LocalDate): boolean {
  return isWorkingEpochDay(toEpochDay(date));
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: LocalDate): LocalDate {
  return addWorkingDays(date, 1);
}

/**
 * n > 0: the nth working day strictly after `date`; n < 0: the |n|th working day strictly before it;
 * n = 0: `date` itself, even if it is not a working day. So addWorkingDays(Saturday, 1) is Monday,
 * and addWorkingDays(addWorkingDays(d, a), b) = addWorkingDays(d, a + b) when a and b share a sign.
 */
export function addWorkingDays(date: LocalDate, n: number): LocalDate {
  if (!Number.isSafeInteger(n)) throw new RangeError(`working days must be an integer, got ${n}`);
  let current = toEpochDay(date);
  assertCovered(current);
  const step = n < 0 ? -1 : 1;
  let remaining = Math.abs(n);
  while (remaining > 0) {
    current += step;
    if (isWorkingEpochDay(current)) remaining -= 1;
  }
  return fromEpochDay(current);
}

/**
 * The inverse of addWorkingDays: from <= to counts the working days in (from, to]; from > to counts
 * those in [to, from) and negates. So workingDaysBetween(d, addWorkingDays(d, n)) = n for every n.
 * Both ends count the way a deadline does: the day of receipt is day 0.
 */
export function workingDaysBetween(from: LocalDate, to: LocalDate): number {
  const start = toEpochDay(from);
  const end = toEpochDay(to);
  assertCovered(start);
  assertCovered(end);
  let count = 0;
  if (start <= end) {
    for (let day = start + 1; day <= end; day += 1) if (isWorkingEpochDay(day)) count += 1;
    return count;
  }
  for (let day = end; day < start; day += 1) if (isWorkingEpochDay(day)) count -= 1;
  return count;
}

export interface Deadline {
  /** The London calendar day the work is due: what a social worker sees. */
  dueDate: LocalDate;
  /** The last instant that still meets the deadline (London midnight ending dueDate, minus 1 ms). */
  dueBy: Date;
}

/**
 * Due by the end of the Nth working day after the London calendar day of receipt. Receipt at any
 * time on Friday, Saturday or Sunday with N = 1 is due by the end of Monday (a working Monday).
 * Used for "decision within 1 working day of receipt" and "assessment within 45 working days of the
 * referral date".
 */
export function workingDayDeadline(receivedAt: Date, workingDays: number): Deadline {
  if (!Number.isSafeInteger(workingDays) || workingDays < 1) {
    throw new RangeError(`a working-day timescale is at least 1 working day, got ${workingDays}`);
  }
  const dueDate = addWorkingDays(londonDateOf(receivedAt), workingDays);
  return { dueDate, dueBy: endOfLondonDay(dueDate) };
}

/** A calendar-day deadline (CP reviews, supervision): due by the end of `dueDate` in London. */
export function calendarDayDeadline(dueDate: LocalDate): Deadline {
  return { dueDate, dueBy: endOfLondonDay(dueDate) };
}

export type DueStatus = 'on-track' | 'due-soon' | 'overdue';

/**
 * 'overdue' once `now` is past `dueBy`; 'due-soon' from `dueSoonWithinMs` before it up to and
 * including `dueBy`; 'on-track' before that. Drives the "nearly due" and "overdue" notifications.
 */
export function dueStatus(now: Date, dueBy: Date, options: { dueSoonWithinMs: number }): DueStatus {
  if (!(options.dueSoonWithinMs >= 0)) throw new RangeError(`dueSoonWithinMs must be >= 0, got ${options.dueSoonWithinMs}`);
  const remaining = dueBy.getTime() - now.getTime();
  if (Number.isNaN(remaining)) throw new RangeError('dueStatus needs valid Dates');
  if (remaining < 0) return 'overdue';
  return remaining <= options.dueSoonWithinMs ? 'due-soon' : 'on-track';
}
