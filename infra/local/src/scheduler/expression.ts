/**
 * EventBridge Scheduler expressions: `rate(value unit)` and the six-field
 * `cron(minutes hours day-of-month month day-of-week year)`, read in an IANA time zone.
 */

export class ScheduleExpressionError extends Error {
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`invalid schedule expression ${JSON.stringify(expression)}: ${reason}`);
    this.name = 'ScheduleExpressionError';
  }
}

export type DayOfMonthSpec =
  | { kind: 'values'; values: ReadonlySet<number> }
  | { kind: 'last' }
  | { kind: 'nearest-weekday'; day: number }
  | { kind: 'last-weekday' };

/** Days of the week are 1 (Sunday) to 7 (Saturday), as EventBridge numbers them. */
export type DayOfWeekSpec =
  | { kind: 'values'; values: ReadonlySet<number> }
  | { kind: 'last'; day: number }
  | { kind: 'nth'; day: number; nth: number };

export interface CronSchedule {
  kind: 'cron';
  source: string;
  minutes: readonly number[];
  hours: readonly number[];
  /** `undefined` when the field is `?`; exactly one of the two day fields is. */
  dayOfMonth: DayOfMonthSpec | undefined;
  months: ReadonlySet<number>;
  dayOfWeek: DayOfWeekSpec | undefined;
  years: ReadonlySet<number>;
}

export interface RateSchedule {
  kind: 'rate';
  source: string;
  value: number;
  unit: 'minute' | 'hour' | 'day';
  intervalMs: number;
}

export type ParsedSchedule = CronSchedule | RateSchedule;

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199;

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS = {
  minutes: { name: 'minutes', min: 0, max: 59 },
  hours: { name: 'hours', min: 0, max: 23 },
  dayOfMonth: { name: 'day-of-month', min: 1, max: 31 },
  month: { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  dayOfWeek: { name: 'day-of-week', min: 1, max: 7, names: DAY_NAMES },
  year: { name: 'year', min: MIN_YEAR, max: MAX_YEAR },
} satisfies Record<string, FieldSpec>;

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

function parseRate(source: string, inner: string): RateSchedule {
  const match = /^\s*(\d+)\s+([a-z]+)\s*$/i.exec(inner);
  if (match === null) throw new ScheduleExpressionError(source, 'a rate is `rate(value unit)`, e.g. `rate(5 minutes)`');
  const value = Number(match[1]);
  const word = match[2]!.toLowerCase();
  const unit = word.replace(/s$/, '');
  if (unit !== 'minute' && unit !== 'hour' && unit !== 'day') {
    throw new ScheduleExpressionError(source, `rate unit must be minute(s), hour(s) or day(s), not "${match[2]}"`);
  }
  if (!Number.isSafeInteger(value) || value < 1)
    throw new ScheduleExpressionError(source, 'rate value must be a whole number of at least 1');
  // EventBridge insists on `1 minute` but `5 minutes`.
  if (value === 1 && word !== unit) throw new ScheduleExpressionError(source, `a rate of 1 is written in the singular: rate(1 ${unit})`);
  if (value > 1 && word === unit)
    throw new ScheduleExpressionError(source, `a rate above 1 is written in the plural: rate(${value} ${unit}s)`);
  return { kind: 'rate', source, value, unit, intervalMs: value * UNIT_MS[unit] };
}

function parseValue(source: string, field: FieldSpec, text: string): number {
  const upper = text.toUpperCase();
  const named = field.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(text)) {
    const hint = field.names ? ` or one of ${field.names.join(', ')}` : '';
    throw new ScheduleExpressionError(source, `${field.name} value "${text}" must be a number from ${field.min} to ${field.max}${hint}`);
  }
  const value = Number(text);
  if (value < field.min || value > field.max) {
    throw new ScheduleExpressionError(source, `${field.name} value ${value} is outside ${field.min}-${field.max}`);
  }
  return value;
}

/** A field built from `,` `-` `*` `/` only. */
function parseList(source: string, field: FieldSpec, text: string): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    if (part === '') throw new ScheduleExpressionError(source, `${field.name} has an empty list item`);
    const [rangeText, stepText, extra] = part.split('/');
    if (extra !== undefined) throw new ScheduleExpressionError(source, `${field.name} item "${part}" has more than one /`);
    let start: number;
    let end: number;
    if (rangeText === '*') {
      start = field.min;
      end = field.max;
    } else {
      const bounds = rangeText!.split('-');
      if (bounds.length > 2) throw new ScheduleExpressionError(source, `${field.name} item "${part}" is not a range a-b`);
      start = parseValue(source, field, bounds[0]!);
      end = bounds.length === 2 ? parseValue(source, field, bounds[1]!) : stepText !== undefined ? field.max : start;
      if (end < start) throw new ScheduleExpressionError(source, `${field.name} range "${rangeText}" runs backwards`);
    }
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) {
        throw new ScheduleExpressionError(source, `${field.name} increment "${stepText}" must be a whole number of at least 1`);
      }
      step = Number(stepText);
    }
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return values;
}

function parseDayOfMonth(source: string, text: string): DayOfMonthSpec | undefined {
  if (text === '?') return undefined;
  const upper = text.toUpperCase();
  if (upper === 'L') return { kind: 'last' };
  if (upper === 'LW') return { kind: 'last-weekday' };
  const weekday = /^(\d+)W$/.exec(upper);
  if (weekday !== null) return { kind: 'nearest-weekday', day: parseValue(source, FIELDS.dayOfMonth, weekday[1]!) };
  if (/[LW#]/.test(upper)) {
    throw new ScheduleExpressionError(source, 'day-of-month accepts L, LW or nW (nearest weekday) only on their own, e.g. `L` or `15W`');
  }
  return { kind: 'values', values: parseList(source, FIELDS.dayOfMonth, text) };
}

function parseDayOfWeek(source: string, text: string): DayOfWeekSpec | undefined {
  if (text === '?') return undefined;
  const upper = text.toUpperCase();
  // `L` alone is the last day of the week, Saturday.
  if (upper === 'L') return { kind: 'values', values: new Set([7]) };
  const last = /^([A-Z0-9]+)L$/.exec(upper);
  if (last !== null) return { kind: 'last', day: parseValue(source, FIELDS.dayOfWeek, last[1]!) };
  const nth = /^([A-Z0-9]+)#(\d+)$/.exec(upper);
  if (nth !== null) {
    const n = Number(nth[2]);
    if (n < 1 || n > 5) throw new ScheduleExpressionError(source, `day-of-week "${text}": the week in the month after # must be 1 to 5`);
    return { kind: 'nth', day: parseValue(source, FIELDS.dayOfWeek, nth[1]!), nth: n };
  }
  if (upper.includes('#') || /\dL|L\d/.test(upper)) {
    throw new ScheduleExpressionError(source, 'day-of-week accepts nL (last) and n#k (k-th in the month) only on their own');
  }
  return { kind: 'values', values: parseList(source, FIELDS.dayOfWeek, text) };
}

function parseCron(source: string, inner: string): CronSchedule {
  const fields = inner.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new ScheduleExpressionError(
      source,
      `cron needs six fields (minutes hours day-of-month month day-of-week year), found ${inner.trim() === '' ? 0 : fields.length}`,
    );
  }
  const [minutes, hours, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  for (const [spec, text] of [
    [FIELDS.minutes, minutes],
    [FIELDS.hours, hours],
    [FIELDS.month, month],
    [FIELDS.year, year],
  ] as const) {
    if (text === '?') throw new ScheduleExpressionError(source, `? is only allowed in day-of-month or day-of-week, not ${spec.name}`);
  }
  if ((dom === '?') === (dow === '?')) {
    throw new ScheduleExpressionError(
      source,
      'exactly one of day-of-month and day-of-week must be ?, e.g. `cron(0 7 ? * MON-FRI *)` or `cron(0 7 1 * ? *)`',
    );
  }
  return {
    kind: 'cron',
    source,
    minutes: [...parseList(source, FIELDS.minutes, minutes)].sort((a, b) => a - b),
    hours: [...parseList(source, FIELDS.hours, hours)].sort((a, b) => a - b),
    dayOfMonth: parseDayOfMonth(source, dom),
    months: parseList(source, FIELDS.month, month),
    dayOfWeek: parseDayOfWeek(source, dow),
    years: parseList(source, FIELDS.year, year),
  };
}

export function parseScheduleExpression(expression: string): ParsedSchedule {
  const match = /^\s*(rate|cron)\((.*)\)\s*$/s.exec(expression);
  if (match === null)
    throw new ScheduleExpressionError(
      expression,
      'expected `rate(value unit)` or `cron(minutes hours day-of-month month day-of-week year)`',
    );
  return match[1] === 'rate' ? parseRate(expression, match[2]!) : parseCron(expression, match[2]!);
}

// ---- Calendar and time-zone arithmetic ----

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (error) {
      if (error instanceof RangeError) throw new Error(`unknown time zone ${JSON.stringify(timeZone)}`);
      throw error;
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock reading in `timeZone` at instant `epochMs` (seconds included, for offsets). */
export function wallClockAt(epochMs: number, timeZone: string): WallTime & { second: number } {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type in out) out[part.type as keyof typeof out] = Number(part.value);
  }
  return out;
}

/** Milliseconds the zone is ahead of UTC at `epochMs`. */
export function utcOffsetAt(epochMs: number, timeZone: string): number {
  const w = wallClockAt(epochMs, timeZone);
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - wholeSecond;
}

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** 1 (Sunday) to 7 (Saturday). */
export const dayOfWeekOf = (year: number, month: number, day: number): number => new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;

function nearestWeekday(year: number, month: number, day: number): number | undefined {
  const last = daysInMonth(year, month);
  if (day > last) return undefined;
  const dow = dayOfWeekOf(year, month, day);
  // Never crosses into another month: the 1st on a Saturday moves to Monday the 3rd.
  if (dow === 7) return day === 1 ? 3 : day - 1;
  if (dow === 1) return day === last ? day - 2 : day + 1;
  return day;
}

export function dayMatches(schedule: CronSchedule, year: number, month: number, day: number): boolean {
  const dom = schedule.dayOfMonth;
  const dow = schedule.dayOfWeek;
  if (dom !== undefined) {
    switch (dom.kind) {
      case 'values':
        return dom.values.has(day);
      case 'last':
        return day === daysInMonth(year, month);
      case 'nearest-weekday':
        return nearestWeekday(year, month, dom.day) === day;
      case 'last-weekday':
        return nearestWeekday(year, month, daysInMonth(year, month)) === day;
    }
  }
  if (dow === undefined) return false;
  const weekday = dayOfWeekOf(year, month, day);
  switch (dow.kind) {
    case 'values':
      return dow.values.has(weekday);
    case 'last':
      return weekday === dow.day && day + 7 > daysInMonth(year, month);
    case 'nth':
      return weekday === dow.day && Math.ceil(day / 7) === dow.nth;
  }
}

/**
 * The first instant at which the zone's clock reads `wall`, or undefined when the clock skips it
 * (spring forward). Offsets a day either side cover both sides of any transition on that day.
 */
export function firstInstantOf(wall: WallTime, timeZone: string): number | undefined {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const offsets = new Set([
    utcOffsetAt(naive - 86_400_000, timeZone),
    utcOffsetAt(naive + 86_400_000, timeZone),
    utcOffsetAt(naive, timeZone),
  ]);
  let first: number | undefined;
  for (const offset of offsets) {
    const candidate = naive - offset;
    const w = wallClockAt(candidate, timeZone);
    if (w.year === wall.year && w.month === wall.month && w.day === wall.day && w.hour === wall.hour && w.minute === wall.minute) {
      if (first === undefined || candidate < first) first = candidate;
    }
  }
  return first;
}

/** The earliest matching minute on one local day that is at or after `notBefore`. */
function firstOnDay(
  schedule: CronSchedule,
  year: number,
  month: number,
  day: number,
  notBefore: number,
  timeZone: string,
): number | undefined {
  const midnight = Date.UTC(year, month - 1, day);
  // Any zone's local day lies within these instants (offsets run from -12 h to +14 h).
  const before = utcOffsetAt(midnight - 14 * 3_600_000, timeZone);
  const after = utcOffsetAt(midnight + 36 * 3_600_000, timeZone);
  for (const hour of schedule.hours) {
    if (before === after) {
      // No transition today: local time is a fixed offset from UTC, so plain arithmetic will do.
      if (midnight + hour * 3_600_000 + 59 * 60_000 - before < notBefore) continue;
      for (const minute of schedule.minutes) {
        const instant = midnight + hour * 3_600_000 + minute * 60_000 - before;
        if (instant >= notBefore) return instant;
      }
      continue;
    }
    for (const minute of schedule.minutes) {
      // On a transition day, skipped times do not fire and repeated times fire once, at their first occurrence,
      // which is what EventBridge Scheduler documents for daylight-saving changes.
      const instant = firstInstantOf({ year, month, day, hour, minute }, timeZone);
      if (instant !== undefined && instant >= notBefore) return instant;
    }
  }
  return undefined;
}

/**
 * The first time strictly after `after` that the schedule fires, or null if it never fires again.
 * A rate has no calendar anchor: its next time is simply one interval after `after`, so callers
 * pass the previous fire time (or the moment the schedule started).
 */
export function nextFireTime(expression: string | ParsedSchedule, after: Date, timezone = 'Europe/London'): Date | null {
  const schedule = typeof expression === 'string' ? parseScheduleExpression(expression) : expression;
  if (schedule.kind === 'rate') return new Date(after.getTime() + schedule.intervalMs);
  const notBefore = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
  // Start a day early: a transition at midnight can make an instant after `after` read as the previous date.
  const start = wallClockAt(notBefore - 86_400_000, timezone);
  for (let year = start.year; year <= MAX_YEAR; year++) {
    if (!schedule.years.has(year)) continue;
    for (let month = year === start.year ? start.month : 1; month <= 12; month++) {
      if (!schedule.months.has(month)) continue;
      const firstDay = year === start.year && month === start.month ? start.day : 1;
      const lastDay = daysInMonth(year, month);
      for (let day = firstDay; day <= lastDay; day++) {
        if (!dayMatches(schedule, year, month, day)) continue;
        const instant = firstOnDay(schedule, year, month, day, notBefore, timezone);
        if (instant !== undefined) return new Date(instant);
      }
    }
  }
  return null;
}
