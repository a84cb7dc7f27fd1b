/**
 * Dates and times as pages show them (WEB.md): in words, in London time. "Tuesday 3 December 2026",
 * "2:30pm", "midday". Names rather than Intl, like shared/src/time/words.ts: a formatter loads
 * ICU's data the first time it is built, tens of milliseconds in a request.
 *
 * MoJ Frontend's timeline formats its items' timestamps with a `mojDate` filter that MoJ ships
 * for the prototype kit (moment.js, the host's time zone). The platform registers its own
 * `mojDate` instead (environment.ts), built on these, so that a timeline reads like every other
 * date on the platform.
 */
import { isoDayOfWeek, localDateFromParts, parseLocalDate, partsOf } from '../time/local-date';
import { londonWallClockOf } from '../time/london';
import { MONTH_NAMES, WEEKDAY_NAMES } from '../time/words';

/** `mojDate`'s formats, as MoJ names them. */
export const MOJ_DATE_TYPES = ['datetime', 'shortdatetime', 'date', 'shortdate', 'time'] as const;
export type MojDateType = (typeof MOJ_DATE_TYPES)[number];

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** "2:30pm", "9am", "midday", "midnight" (GOV.UK style) for a London wall-clock time. */
export function clockText(hour: number, minute: number): string {
  if (minute === 0 && hour === 0) return 'midnight';
  if (minute === 0 && hour === 12) return 'midday';
  const suffix = hour < 12 ? 'am' : 'pm';
  const twelveHour = hour % 12 === 0 ? 12 : hour % 12;
  return minute === 0 ? `${twelveHour}${suffix}` : `${twelveHour}:${String(minute).padStart(2, '0')}${suffix}`;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  /** Absent for a calendar date without a time. */
  time?: { hour: number; minute: number };
}

function partsOfTimestamp(timestamp: unknown): Parts {
  if (typeof timestamp === 'string' && DATE_ONLY.test(timestamp)) return partsOf(parseLocalDate(timestamp));
  const instant = timestamp instanceof Date ? timestamp : typeof timestamp === 'string' ? new Date(timestamp) : undefined;
  if (instant === undefined || Number.isNaN(instant.getTime())) {
    throw new TypeError(`a date on a page must be an ISO 8601 timestamp, a YYYY-MM-DD date or a Date; got ${JSON.stringify(timestamp)}`);
  }
  const wall = londonWallClockOf(instant);
  return { year: wall.year, month: wall.month, day: wall.day, time: { hour: wall.hour, minute: wall.minute } };
}

function dateText({ year, month, day }: Parts, short: boolean): string {
  if (short) return `${day} ${MONTH_NAMES[month - 1]!.slice(0, 3)} ${year}`;
  const weekday = WEEKDAY_NAMES[isoDayOfWeek(localDateFromParts({ year, month, day })) % 7];
  return `${weekday} ${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

function timeText(parts: Parts, timestamp: unknown): string {
  if (!parts.time) throw new TypeError(`${JSON.stringify(timestamp)} is a date without a time; it has no time to show`);
  return clockText(parts.time.hour, parts.time.minute);
}

/**
 * `timestamp` (an instant, or a calendar date for the date-only types) in one of MoJ's `mojDate`
 * formats, in London time: `datetime` "Tuesday 3 December 2026 at 2:30pm", `shortdatetime`
 * "3 Dec 2026 at 2:30pm", `date` "Tuesday 3 December 2026", `shortdate` "3 Dec 2026",
 * `time` "2:30pm". Anything else is a mistake in a template and throws, naming it.
 */
export function mojDate(timestamp: unknown, type: unknown): string {
  const parts = partsOfTimestamp(timestamp);
  switch (type) {
    case 'datetime':
      return `${dateText(parts, false)} at ${timeText(parts, timestamp)}`;
    case 'shortdatetime':
      return `${dateText(parts, true)} at ${timeText(parts, timestamp)}`;
    case 'date':
      return dateText(parts, false);
    case 'shortdate':
      return dateText(parts, true);
    case 'time':
      return timeText(parts, timestamp);
    default:
      throw new TypeError(`mojDate has no format ${JSON.stringify(type)}; use one of ${MOJ_DATE_TYPES.join(', ')}`);
  }
}
