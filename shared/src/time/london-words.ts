/**
 * Dates and times as people in England read them (GOV.UK style: "9:30am on Tuesday 6 January
 * 2026"), always on the London wall clock whatever zone the function runs in (UTC in Lambda).
 */
import { londonWallClockOf } from './london';
import { MONTH_NAMES, WEEKDAY_NAMES } from './words';

// Names rather than Intl: a time-zone formatter loads ICU's zone data at cold start, and the
// London wall clock is already known from the statutory rule (shared/src/time/london.ts).

interface LondonParts {
  weekday: string;
  day: string;
  month: string;
  year: string;
  hour: number;
  minute: number;
}

function partsOf(instant: Date): LondonParts {
  if (Number.isNaN(instant.getTime())) throw new RangeError('cannot show an invalid Date in London time');
  const wall = londonWallClockOf(instant);
  const weekday = WEEKDAY_NAMES[new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay()];
  const month = MONTH_NAMES[wall.month - 1];
  if (!weekday || !month) throw new Error(`no London date for ${instant.toISOString()}`);
  return { weekday, day: String(wall.day), month, year: String(wall.year), hour: wall.hour, minute: wall.minute };
}

/** "Tuesday 6 January 2026" in London. */
export function londonDateText(instant: Date): string {
  const { weekday, day, month, year } = partsOf(instant);
  return `${weekday} ${day} ${month} ${year}`;
}

/** "9:30am", "10am", "midday", "midnight" in London (GOV.UK style: 12-hour clock, no leading zero). */
export function londonTimeText(instant: Date): string {
  const { hour, minute } = partsOf(instant);
  if (minute === 0 && hour === 0) return 'midnight';
  if (minute === 0 && hour === 12) return 'midday';
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 ? 'am' : 'pm';
  return minute === 0 ? `${hour12}${suffix}` : `${hour12}:${String(minute).padStart(2, '0')}${suffix}`;
}

/** "9:30am on Tuesday 6 January 2026" in London. */
export function londonDateTimeText(instant: Date): string {
  return `${londonTimeText(instant)} on ${londonDateText(instant)}`;
}

/**
 * A deadline as a person reads it: working-day deadlines fall at the very end of a London day
 * (23:59:59.999), which reads as "the end of Tuesday 24 November 2026", not "11:59pm on …".
 */
export function londonDeadlineText(instant: Date): string {
  const { hour, minute } = partsOf(instant);
  return hour === 23 && minute === 59 ? `the end of ${londonDateText(instant)}` : londonDateTimeText(instant);
}
