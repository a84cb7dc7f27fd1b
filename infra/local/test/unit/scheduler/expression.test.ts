import fc from 'fast-check';
import { nextFireTime, parseScheduleExpression, ScheduleExpressionError } from '../../../src/scheduler/expression';

const next = (expression: string, after: string, tz?: string) => nextFireTime(expression, new Date(after), tz)?.toISOString() ?? null;

describe('parseScheduleExpression', () => {
  it('parses rates', () => {
    expect(parseScheduleExpression('rate(1 minute)')).toMatchObject({ kind: 'rate', value: 1, unit: 'minute', intervalMs: 60_000 });
    expect(parseScheduleExpression('rate(5 minutes)')).toMatchObject({ intervalMs: 300_000 });
    expect(parseScheduleExpression('rate(2 hours)')).toMatchObject({ intervalMs: 7_200_000 });
    expect(parseScheduleExpression('rate(1 day)')).toMatchObject({ intervalMs: 86_400_000 });
  });

  it('parses cron fields with lists, ranges, increments and names', () => {
    const cron = parseScheduleExpression('cron(0/20 8-10,14 ? JAN,MAR-APR MON-FRI 2025-2026)');
    expect(cron).toMatchObject({ kind: 'cron', minutes: [0, 20, 40], hours: [8, 9, 10, 14], dayOfMonth: undefined });
    if (cron.kind !== 'cron') throw new Error('expected cron');
    expect([...cron.months]).toEqual([1, 3, 4]);
    expect(cron.dayOfWeek).toEqual({ kind: 'values', values: new Set([2, 3, 4, 5, 6]) });
    expect([...cron.years]).toEqual([2025, 2026]);
    expect(parseScheduleExpression('cron(*/15 * L * ? *)')).toMatchObject({ dayOfMonth: { kind: 'last' } });
    expect(parseScheduleExpression('cron(0 9 15W * ? *)')).toMatchObject({ dayOfMonth: { kind: 'nearest-weekday', day: 15 } });
    expect(parseScheduleExpression('cron(0 9 ? * 6L *)')).toMatchObject({ dayOfWeek: { kind: 'last', day: 6 } });
    expect(parseScheduleExpression('cron(0 9 ? * TUE#2 *)')).toMatchObject({ dayOfWeek: { kind: 'nth', day: 3, nth: 2 } });
  });

  it.each([
    ['every day', /expected `rate/],
    ['rate(0 minutes)', /at least 1/],
    ['rate(1 minutes)', /singular/],
    ['rate(5 minute)', /plural/],
    ['rate(5 weeks)', /minute\(s\), hour\(s\) or day\(s\)/],
    ['cron(0 7 * * ?)', /six fields/],
    ['cron(0 7 * * MON *)', /exactly one of day-of-month and day-of-week must be \?/],
    ['cron(0 7 ? * ? *)', /exactly one of day-of-month and day-of-week must be \?/],
    ['cron(60 7 * * ? *)', /minutes value 60 is outside 0-59/],
    ['cron(0 24 * * ? *)', /hours value 24 is outside 0-23/],
    ['cron(0 7 32 * ? *)', /day-of-month value 32/],
    ['cron(0 7 ? * MOX *)', /day-of-week value "MOX"/],
    ['cron(0 7 1 FOO ? *)', /month value "FOO"/],
    ['cron(0 7 1 * ? 1969)', /year value 1969 is outside 1970-2199/],
    ['cron(? 7 1 * ? *)', /only allowed in day-of-month or day-of-week/],
    ['cron(10-5 7 1 * ? *)', /runs backwards/],
    ['cron(0/0 7 1 * ? *)', /increment "0"/],
    ['cron(0 7 1,L * ? *)', /day-of-month accepts L/],
    ['cron(0 7 ? * 2#6 *)', /must be 1 to 5/],
    ['cron(0 7 ? * 2#1,3 *)', /only on their own/],
    ['cron(0 7 1,,2 * ? *)', /empty list item/],
  ])('rejects %s with a clear message', (expression, message) => {
    expect(() => parseScheduleExpression(expression)).toThrow(ScheduleExpressionError);
    expect(() => parseScheduleExpression(expression)).toThrow(message);
  });
});

describe('nextFireTime', () => {
  it('reads cron in Europe/London by default, across BST and GMT', () => {
    expect(next('cron(0 7 ? * MON-FRI *)', '2025-03-28T12:00:00Z')).toBe('2025-03-31T06:00:00.000Z');
    expect(next('cron(0 7 ? * MON-FRI *)', '2025-10-24T12:00:00Z')).toBe('2025-10-27T07:00:00.000Z');
    expect(next('cron(0 7 ? * MON-FRI *)', '2025-06-02T06:00:00Z')).toBe('2025-06-03T06:00:00.000Z');
  });

  it('skips a time the clocks jump over and fires once in a repeated hour', () => {
    expect(next('cron(30 1 * * ? *)', '2025-03-29T12:00:00Z')).toBe('2025-03-31T00:30:00.000Z');
    expect(next('cron(30 1 * * ? *)', '2025-10-25T12:00:00Z')).toBe('2025-10-26T00:30:00.000Z');
    expect(next('cron(30 1 * * ? *)', '2025-10-26T00:30:00Z')).toBe('2025-10-27T01:30:00.000Z');
    // 01:00 BST (00:00Z) has fired; 01:00 GMT is the same wall-clock hour again, so the next is 02:00 GMT.
    expect(next('cron(0 * * * ? *)', '2025-10-26T00:00:00Z')).toBe('2025-10-26T02:00:00.000Z');
  });

  it('is strictly after `after`', () => {
    expect(next('cron(0 9 * * ? *)', '2025-01-15T09:00:00.000Z', 'UTC')).toBe('2025-01-16T09:00:00.000Z');
    expect(next('cron(* * * * ? *)', '2025-01-15T09:00:59.999Z', 'UTC')).toBe('2025-01-15T09:01:00.000Z');
  });

  it('handles L, W, # and leap days', () => {
    expect(next('cron(0 9 L * ? *)', '2024-02-01T00:00:00Z', 'UTC')).toBe('2024-02-29T09:00:00.000Z');
    expect(next('cron(0 9 1W * ? *)', '2025-02-01T00:00:00Z', 'UTC')).toBe('2025-02-03T09:00:00.000Z');
    expect(next('cron(0 9 30W * ? *)', '2025-11-01T00:00:00Z', 'UTC')).toBe('2025-11-28T09:00:00.000Z');
    expect(next('cron(0 9 LW * ? *)', '2025-05-01T00:00:00Z', 'UTC')).toBe('2025-05-30T09:00:00.000Z');
    expect(next('cron(0 9 ? * 2#1 *)', '2025-01-01T00:00:00Z', 'UTC')).toBe('2025-01-06T09:00:00.000Z');
    expect(next('cron(0 9 ? * FRIL *)', '2025-01-01T00:00:00Z', 'UTC')).toBe('2025-01-31T09:00:00.000Z');
    expect(next('cron(0 0 29 2 ? *)', '2025-01-01T00:00:00Z', 'UTC')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('returns null when the expression never fires again', () => {
    expect(next('cron(0 0 30 2 ? *)', '2025-01-01T00:00:00Z')).toBeNull();
    expect(next('cron(0 0 1 1 ? 2020)', '2025-01-01T00:00:00Z')).toBeNull();
  });

  it('adds the interval for a rate', () => {
    expect(next('rate(15 minutes)', '2025-01-01T10:07:30Z')).toBe('2025-01-01T10:22:30.000Z');
  });

  it('refuses an unknown time zone', () => {
    expect(() => nextFireTime('cron(0 9 * * ? *)', new Date(), 'Mars/Olympus_Mons')).toThrow(/unknown time zone/);
  });
});

// ---- Property: agreement with a brute-force, minute-by-minute search ----

/** A cron expression as data, matched below straight from the definitions, independently of the parser. */
interface Model {
  minutes: number[] | '*';
  hours: number[] | '*';
  dom: { kind: '?' } | { kind: '*' } | { kind: 'list'; days: number[] } | { kind: 'L' } | { kind: 'W'; day: number } | { kind: 'LW' };
  months: number[] | '*';
  dow:
    | { kind: '?' }
    | { kind: '*' }
    | { kind: 'list'; days: number[] }
    | { kind: 'range'; from: number; to: number }
    | { kind: 'nL'; day: number }
    | { kind: 'nth'; day: number; n: number };
  years: '*' | { from: number; to: number };
}

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function render(m: Model, useNames: boolean): string {
  const list = (v: number[] | '*') => (v === '*' ? '*' : v.join(','));
  const dom = m.dom.kind === 'list' ? m.dom.days.join(',') : m.dom.kind === 'W' ? `${m.dom.day}W` : m.dom.kind;
  const dayName = (d: number) => (useNames ? DAY_NAMES[d - 1]! : String(d));
  const dow =
    m.dow.kind === 'list'
      ? m.dow.days.map(dayName).join(',')
      : m.dow.kind === 'range'
        ? `${dayName(m.dow.from)}-${dayName(m.dow.to)}`
        : m.dow.kind === 'nL'
          ? `${m.dow.day}L`
          : m.dow.kind === 'nth'
            ? `${m.dow.day}#${m.dow.n}`
            : m.dow.kind;
  const months = m.months === '*' ? '*' : m.months.map((x) => (useNames ? MONTH_NAMES[x - 1]! : String(x))).join(',');
  const years = m.years === '*' ? '*' : `${m.years.from}-${m.years.to}`;
  return `cron(${list(m.minutes)} ${list(m.hours)} ${dom} ${months} ${dow} ${years})`;
}

const dim = (y: number, mo: number) => new Date(Date.UTC(y, mo, 0)).getUTCDate();
const weekday = (y: number, mo: number, d: number) => new Date(Date.UTC(y, mo - 1, d)).getUTCDay() + 1;
const isWeekday = (y: number, mo: number, d: number) => weekday(y, mo, d) >= 2 && weekday(y, mo, d) <= 6;

/** The weekday in the same month closest to `day` (there is never a tie within two days). */
function nearestWeekdayBrute(y: number, mo: number, day: number): number | undefined {
  if (day > dim(y, mo)) return undefined;
  for (const distance of [0, 1, 2]) {
    for (const d of [day - distance, day + distance]) if (d >= 1 && d <= dim(y, mo) && isWeekday(y, mo, d)) return d;
  }
  return undefined;
}

function matches(m: Model, w: { year: number; month: number; day: number; hour: number; minute: number }): boolean {
  const inList = (v: number[] | '*', x: number) => v === '*' || v.includes(x);
  if (!inList(m.minutes, w.minute) || !inList(m.hours, w.hour) || !inList(m.months, w.month)) return false;
  if (m.years !== '*' && (w.year < m.years.from || w.year > m.years.to)) return false;
  const { year: y, month: mo, day: d } = w;
  switch (m.dom.kind) {
    case '*':
      return true;
    case 'list':
      return m.dom.days.includes(d);
    case 'L':
      return d === dim(y, mo);
    case 'W':
      return nearestWeekdayBrute(y, mo, m.dom.day) === d;
    case 'LW': {
      let last = dim(y, mo);
      while (!isWeekday(y, mo, last)) last--;
      return d === last;
    }
    case '?':
      break;
  }
  const wd = weekday(y, mo, d);
  switch (m.dow.kind) {
    case '*':
      return true;
    case 'list':
      return m.dow.days.includes(wd);
    case 'range':
      return wd >= m.dow.from && wd <= m.dow.to;
    case 'nL': {
      if (wd !== m.dow.day) return false;
      for (let later = d + 1; later <= dim(y, mo); later++) if (weekday(y, mo, later) === wd) return false;
      return true;
    }
    case 'nth': {
      let count = 0;
      for (let earlier = 1; earlier <= d; earlier++) if (weekday(y, mo, earlier) === wd) count++;
      return wd === m.dow.day && count === m.dow.n;
    }
    case '?':
      return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function intlWall(t: number, tz: string) {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(t).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/**
 * Asks Intl once per quarter hour (every real offset change falls on one) and derives the minutes in
 * between, which keeps the brute force fast enough to run hundreds of times.
 */
const offsets = new Map<string, number>();
function wallOf(t: number, tz: string) {
  const block = Math.floor(t / 900_000) * 900_000;
  const key = `${tz}@${block}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const w = intlWall(block, tz);
    offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - block;
    offsets.set(key, offset);
  }
  const local = new Date(t + offset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

/**
 * Walks every minute from just after `after`; a minute fires if the wall clock matches and the same
 * wall-clock minute has not already been seen in the previous three hours (a repeated hour fires once).
 */
function bruteForce(m: Model, after: number, tz: string, windowMinutes: number): number | null {
  const first = Math.floor(after / 60_000) * 60_000 + 60_000;
  const recent: string[] = [];
  for (let t = first - 180 * 60_000; t < first + windowMinutes * 60_000; t += 60_000) {
    const w = wallOf(t, tz);
    const key = `${w.year}-${w.month}-${w.day} ${w.hour}:${w.minute}`;
    if (t >= first && matches(m, w) && !recent.includes(key)) return t;
    recent.push(key);
    if (recent.length > 180) recent.shift();
  }
  return null;
}

const sortedUnique = (max: number, min = 0) =>
  fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 4 }).map((a) => a.sort((x, y) => x - y));

const modelArb: fc.Arbitrary<Model> = fc
  .record({
    minutes: fc.oneof(fc.constant('*' as const), sortedUnique(59)),
    hours: fc.oneof(fc.constant('*' as const), sortedUnique(23)),
    useDom: fc.boolean(),
    dom: fc.oneof(
      fc.constant({ kind: '*' as const }),
      sortedUnique(31, 1).map((days) => ({ kind: 'list' as const, days })),
      fc.constant({ kind: 'L' as const }),
      fc.integer({ min: 1, max: 31 }).map((day) => ({ kind: 'W' as const, day })),
      fc.constant({ kind: 'LW' as const }),
    ),
    dow: fc.oneof(
      fc.constant({ kind: '*' as const }),
      sortedUnique(7, 1).map((days) => ({ kind: 'list' as const, days })),
      fc
        .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }))
        .map(([a, b]) => ({ kind: 'range' as const, from: Math.min(a, b), to: Math.max(a, b) })),
      fc.integer({ min: 1, max: 7 }).map((day) => ({ kind: 'nL' as const, day })),
      fc.record({ day: fc.integer({ min: 1, max: 7 }), n: fc.integer({ min: 1, max: 5 }) }).map((r) => ({ kind: 'nth' as const, ...r })),
    ),
    months: fc.oneof({ weight: 3, arbitrary: fc.constant('*' as const) }, { weight: 1, arbitrary: sortedUnique(12, 1) }),
    years: fc.oneof(
      fc.constant('*' as const),
      fc.integer({ min: 2016, max: 2028 }).map((from) => ({ from, to: from + 1 })),
    ),
  })
  .map(({ useDom, dom, dow, ...rest }) => ({
    ...rest,
    dom: useDom ? dom : { kind: '?' as const },
    dow: useDom ? { kind: '?' as const } : dow,
  }));

/** Instants near daylight-saving changes (including São Paulo's old midnight ones), where mistakes hide. */
const TRANSITIONS: [string, string][] = [
  ['Europe/London', '2025-03-30T01:00:00Z'],
  ['Europe/London', '2025-10-26T01:00:00Z'],
  ['America/New_York', '2025-03-09T07:00:00Z'],
  ['America/New_York', '2025-11-02T06:00:00Z'],
  ['Australia/Lord_Howe', '2025-04-05T15:00:00Z'],
  ['Australia/Lord_Howe', '2025-10-04T15:30:00Z'],
  ['America/Sao_Paulo', '2017-10-15T03:00:00Z'],
  ['America/Sao_Paulo', '2018-02-18T02:00:00Z'],
  ['Asia/Kolkata', '2025-06-01T00:00:00Z'],
  ['UTC', '2024-02-28T00:00:00Z'],
];

const WINDOW_MINUTES = 10 * 24 * 60;

describe('nextFireTime property', () => {
  it('is the earliest matching minute strictly after `after`, as a minute-by-minute search finds it', () => {
    fc.assert(
      fc.property(
        modelArb,
        fc.constantFrom(...TRANSITIONS),
        fc.integer({ min: -8 * 24 * 3600, max: 2 * 24 * 3600 }),
        fc.integer({ min: 0, max: 59_999 }),
        fc.boolean(),
        (model, [tz, anchor], offsetSeconds, ms, useNames) => {
          const after = new Date(Date.parse(anchor) + offsetSeconds * 1000 + ms);
          const expression = render(model, useNames);
          const actual = nextFireTime(expression, after, tz);
          const expected = bruteForce(model, after.getTime(), tz, WINDOW_MINUTES);
          if (expected !== null) {
            expect({ expression, tz, after: after.toISOString(), next: actual?.toISOString() }).toEqual({
              expression,
              tz,
              after: after.toISOString(),
              next: new Date(expected).toISOString(),
            });
          } else if (actual !== null) {
            // Nothing in the window: the answer must lie beyond it, and still match the fields there.
            expect(actual.getTime()).toBeGreaterThanOrEqual(
              Math.floor(after.getTime() / 60_000) * 60_000 + 60_000 + WINDOW_MINUTES * 60_000,
            );
            expect(matches(model, wallOf(actual.getTime(), tz))).toBe(true);
          }
          if (actual !== null) {
            expect(actual.getTime()).toBeGreaterThan(after.getTime());
            expect(actual.getTime() % 60_000).toBe(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
