import { addCalendarDays, type LocalDate, localDateFromParts, partsOf } from './local-date';

/**
 * Europe/London conversions. Timescales are counted in London calendar days, whatever zone the
 * server runs in (UTC in Lambda), so every conversion names the zone explicitly and none reads the
 * host's zone.
 */
export const LONDON_TIME_ZONE = 'Europe/London';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * 01:00 UTC on the last Sunday of a month: when London's clocks change (The Summer Time Order
 * 2002: British Summer Time runs from 01:00 GMT on the last Sunday of March to 01:00 GMT on the
 * last Sunday of October). Computed rather than asked of Intl: constructing a time-zone formatter
 * loads ICU's zone data, which cost every function about 20 ms of cold start, and a test holds this
 * rule to Intl's tz database for every year the platform can meet.
 */
function lastSundayAtOneUtc(year: number, monthIndex: number): number {
  const lastDayOfMonth = Date.UTC(year, monthIndex + 1, 0);
  return lastDayOfMonth - new Date(lastDayOfMonth).getUTCDay() * DAY_MS + HOUR_MS;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** How far London's wall clock is ahead of UTC at `instant`, in ms (0 in GMT, 3,600,000 in BST). */
export function londonOffsetMs(instant: Date): number {
  const time = instant.getTime();
  if (Number.isNaN(time)) throw new RangeError('cannot place an invalid Date in London time');
  const year = instant.getUTCFullYear();
  return time >= lastSundayAtOneUtc(year, 2) && time < lastSundayAtOneUtc(year, 9) ? HOUR_MS : 0;
}

/** What a clock on a London wall shows at `instant`. */
export function londonWallClockOf(instant: Date): WallClock {
  const wall = new Date(instant.getTime() + londonOffsetMs(instant));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

/** The London calendar date at `instant`: 2026-06-04T23:30:00Z is already Friday 5 June in London (BST). */
export function londonDateOf(instant: Date): LocalDate {
  const { year, month, day } = londonWallClockOf(instant);
  return localDateFromParts({ year, month, day });
}

/**
 * The first instant of `date` in London. London's clocks change at 01:00 UTC, so local midnight is
 * never skipped or repeated; but the offset at midnight can differ from the offset at the end of the
 * same day (the last Sundays of March and October have 23 and 25 hours), so it is found from the
 * offset in force at midnight itself, not at noon.
 */
export function startOfLondonDay(date: LocalDate): Date {
  const { year, month, day } = partsOf(date);
  const midnightAsUtc = Date.UTC(year, month - 1, day);
  // Guess with the offset at UTC midnight, then correct once if the offset at the guessed instant differs.
  const firstGuess = midnightAsUtc - londonOffsetMs(new Date(midnightAsUtc));
  const start = midnightAsUtc - londonOffsetMs(new Date(firstGuess));
  const wall = londonWallClockOf(new Date(start));
  if (wall.hour !== 0 || wall.minute !== 0 || wall.second !== 0 || londonDateOf(new Date(start)) !== date) {
    // Only reachable if the zone rules changed so that London midnight no longer exists; a wrong deadline would be worse.
    throw new Error(`could not find London midnight for ${date}`);
  }
  return new Date(start);
}

/**
 * The last instant (to the millisecond) of `date` in London: the next London midnight minus 1 ms.
 * A deadline "by the end of" a day is met by anything at or before this instant.
 */
export function endOfLondonDay(date: LocalDate): Date {
  return new Date(startOfLondonDay(addCalendarDays(date, 1)).getTime() - 1);
}

/**
 * The instant London's wall clock shows `hour:minute` on `date` (10:00 on 29 March 2026 is 09:00Z,
 * BST; on 25 October 2026 it is 10:00Z, GMT). Found from the offset in force at that time, not at
 * midnight: on the last Sundays of March and October they differ. In the hour repeated when the
 * clocks go back (01:00–01:59 on the last Sunday of October) it is the first, BST, occurrence; a time
 * the clocks skip (01:00–01:59 on the last Sunday of March) does not exist and throws a RangeError.
 */
export function londonWallClockInstant(date: LocalDate, hour: number, minute: number): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23 || !Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw new RangeError(`not a wall-clock time: ${hour}:${minute}`);
  }
  const midnight = startOfLondonDay(date);
  const naive = new Date(midnight.getTime() + (hour * 60 + minute) * 60_000);
  const corrected = new Date(naive.getTime() + londonOffsetMs(midnight) - londonOffsetMs(naive));
  const wall = londonWallClockOf(corrected);
  if (londonDateOf(corrected) !== date || wall.hour !== hour || wall.minute !== minute) {
    const shown = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    throw new RangeError(`${shown} does not occur on ${date} in London (the clocks skip it)`);
  }
  return corrected;
}
