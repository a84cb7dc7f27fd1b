/**
 * Dates in words, GOV.UK style ("14 March 2018"). Names rather than Intl: a formatter loads ICU's
 * locale data the first time it is built (tens of milliseconds), in a request or at a cold start.
 */
import { isoDayOfWeek, type LocalDate, parseLocalDate, partsOf } from './local-date';

export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** "14 March 2018" for the calendar date `2018-03-14`; throws for anything that is not a real calendar date. */
export function localDateText(iso: string): string {
  const { year, month, day } = partsOf(parseLocalDate(iso));
  return `${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

/** "Tuesday 22 September 2026" for the calendar date `2026-09-22`: a day as the pages say it, with no time zone involved. */
export const localDayText = (day: LocalDate): string => `${WEEKDAY_NAMES[isoDayOfWeek(day) % 7]} ${localDateText(day)}`;
