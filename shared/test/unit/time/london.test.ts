import { addCalendarDays, fromEpochDay, parseLocalDate, toEpochDay } from '@fsp/shared/time/local-date';
import { endOfLondonDay, londonDateOf, londonOffsetMs, londonWallClockInstant, startOfLondonDay } from '@fsp/shared/time/london';
import fc from 'fast-check';

const d = parseLocalDate;
const HOUR = 3_600_000;

/*
 * Two oracles. One written from the statutory rule: British Summer Time runs from 01:00 UTC on the
 * last Sunday of March to 01:00 UTC on the last Sunday of October (the rule since 1996). The other
 * is the tz database through Intl, which the code no longer uses at run time (it cost cold starts):
 * if the rule were ever changed by law, the tz database would change first and this would fail.
 */
const tzDatabase = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
function tzOffset(instant: number): number {
  const parts = Object.fromEntries(tzDatabase.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]));
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}
function lastSundayAt0100Utc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month, 0));
  const sunday = lastDay.getUTCDate() - lastDay.getUTCDay();
  return Date.UTC(year, month - 1, sunday, 1);
}
function oracleOffset(instant: number): number {
  const year = new Date(instant).getUTCFullYear();
  return instant >= lastSundayAt0100Utc(year, 3) && instant < lastSundayAt0100Utc(year, 10) ? HOUR : 0;
}
const oracleLondonDate = (instant: number) => new Date(instant + oracleOffset(instant)).toISOString().slice(0, 10);

const instantIn2000To2037 = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2037, 11, 31) });
const dateIn2000To2037 = fc.integer({ min: toEpochDay(d('2000-01-01')), max: toEpochDay(d('2037-12-30')) }).map(fromEpochDay);

describe('londonDateOf', () => {
  it.each([
    // BST: London is an hour ahead, so late evening UTC is already tomorrow in London.
    ['2026-06-04T22:59:59.999Z', '2026-06-04'],
    ['2026-06-04T23:00:00.000Z', '2026-06-05'],
    ['2026-06-05T23:30:00.000Z', '2026-06-06'],
    // GMT: London and UTC agree.
    ['2026-01-08T23:59:59.999Z', '2026-01-08'],
    ['2026-01-09T00:00:00.000Z', '2026-01-09'],
    // Year end in GMT.
    ['2026-12-31T23:59:59.999Z', '2026-12-31'],
    ['2027-01-01T00:00:00.000Z', '2027-01-01'],
    // Spring forward, Sunday 29 March 2026: 01:00 GMT becomes 02:00 BST.
    ['2026-03-29T00:30:00.000Z', '2026-03-29'],
    ['2026-03-29T22:59:59.999Z', '2026-03-29'],
    ['2026-03-29T23:00:00.000Z', '2026-03-30'],
    // Fall back, Sunday 25 October 2026: 02:00 BST becomes 01:00 GMT.
    ['2026-10-24T22:59:59.999Z', '2026-10-24'],
    ['2026-10-24T23:00:00.000Z', '2026-10-25'],
    ['2026-10-25T23:59:59.999Z', '2026-10-25'],
    ['2026-10-26T00:00:00.000Z', '2026-10-26'],
  ])('places %s on %s in London', (instant, expected) => {
    expect(londonDateOf(new Date(instant))).toBe(expected);
  });

  it('refuses an invalid Date rather than inventing a day', () => {
    expect(() => londonDateOf(new Date('not a date'))).toThrow(RangeError);
  });

  it('agrees with the British Summer Time rule at any instant', () => {
    fc.assert(
      fc.property(instantIn2000To2037, (instant) => {
        expect(londonDateOf(new Date(instant))).toBe(oracleLondonDate(instant));
        expect(londonOffsetMs(new Date(instant))).toBe(oracleOffset(instant));
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees with the tz database's Europe/London at any instant from 1996 to 2099", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1996, 0, 1), max: Date.UTC(2099, 11, 31) }), (instant) => {
        expect(londonOffsetMs(new Date(instant))).toBe(tzOffset(instant));
      }),
      { numRuns: 3000 },
    );
    for (let year = 2024; year <= 2040; year += 1) {
      for (const change of [lastSundayAt0100Utc(year, 3), lastSundayAt0100Utc(year, 10)]) {
        for (const delta of [-1000, 0, 1000]) expect(londonOffsetMs(new Date(change + delta))).toBe(tzOffset(change + delta));
      }
    }
  });

  it('agrees with the rule in the seconds either side of every clock change 2024–2028', () => {
    for (let year = 2024; year <= 2028; year += 1) {
      for (const change of [lastSundayAt0100Utc(year, 3), lastSundayAt0100Utc(year, 10)]) {
        for (const delta of [-HOUR - 1, -HOUR, -1, 0, 1, HOUR - 1, HOUR]) {
          expect(londonOffsetMs(new Date(change + delta))).toBe(oracleOffset(change + delta));
          expect(londonDateOf(new Date(change + delta))).toBe(oracleLondonDate(change + delta));
        }
      }
    }
  });
});

describe('startOfLondonDay and endOfLondonDay', () => {
  it.each([
    // date, London midnight starting it, last millisecond of it, hours in the day
    ['2026-01-09', '2026-01-09T00:00:00.000Z', '2026-01-09T23:59:59.999Z', 24],
    ['2026-06-05', '2026-06-04T23:00:00.000Z', '2026-06-05T22:59:59.999Z', 24],
    ['2026-03-28', '2026-03-28T00:00:00.000Z', '2026-03-28T23:59:59.999Z', 24],
    ['2026-03-29', '2026-03-29T00:00:00.000Z', '2026-03-29T22:59:59.999Z', 23],
    ['2026-03-30', '2026-03-29T23:00:00.000Z', '2026-03-30T22:59:59.999Z', 24],
    ['2026-10-24', '2026-10-23T23:00:00.000Z', '2026-10-24T22:59:59.999Z', 24],
    ['2026-10-25', '2026-10-24T23:00:00.000Z', '2026-10-25T23:59:59.999Z', 25],
    ['2026-10-26', '2026-10-26T00:00:00.000Z', '2026-10-26T23:59:59.999Z', 24],
    ['2024-03-31', '2024-03-31T00:00:00.000Z', '2024-03-31T22:59:59.999Z', 23],
    ['2024-10-27', '2024-10-26T23:00:00.000Z', '2024-10-27T23:59:59.999Z', 25],
    ['2027-03-28', '2027-03-28T00:00:00.000Z', '2027-03-28T22:59:59.999Z', 23],
    ['2027-10-31', '2027-10-30T23:00:00.000Z', '2027-10-31T23:59:59.999Z', 25],
    ['2028-03-26', '2028-03-26T00:00:00.000Z', '2028-03-26T22:59:59.999Z', 23],
    ['2028-10-29', '2028-10-28T23:00:00.000Z', '2028-10-29T23:59:59.999Z', 25],
    ['2026-12-31', '2026-12-31T00:00:00.000Z', '2026-12-31T23:59:59.999Z', 24],
  ])('%s runs from %s to %s (%i hours)', (date, start, end, hours) => {
    expect(startOfLondonDay(d(date)).toISOString()).toBe(start);
    expect(endOfLondonDay(d(date)).toISOString()).toBe(end);
    expect(endOfLondonDay(d(date)).getTime() + 1 - startOfLondonDay(d(date)).getTime()).toBe(hours * HOUR);
  });

  it('starts each day at the London midnight the rule gives, and the instant before is the previous day', () => {
    fc.assert(
      fc.property(dateIn2000To2037, (date) => {
        const start = startOfLondonDay(date).getTime();
        expect(londonDateOf(new Date(start))).toBe(date);
        expect(oracleLondonDate(start)).toBe(date);
        expect(new Date(start + oracleOffset(start)).toISOString().slice(11)).toBe('00:00:00.000Z');
        expect(londonDateOf(new Date(start - 1))).toBe(addCalendarDays(date, -1));
      }),
      { numRuns: 2000 },
    );
  });

  it('ends each day 1 ms before the next one starts, and every instant in between is that London day', () => {
    fc.assert(
      fc.property(dateIn2000To2037, fc.double({ min: 0, max: 1, noNaN: true }), (date, fraction) => {
        const start = startOfLondonDay(date).getTime();
        const end = endOfLondonDay(date).getTime();
        expect(end + 1).toBe(startOfLondonDay(addCalendarDays(date, 1)).getTime());
        expect([23 * HOUR, 24 * HOUR, 25 * HOUR]).toContain(end + 1 - start);
        const inside = start + Math.floor(fraction * (end - start));
        expect(londonDateOf(new Date(inside))).toBe(date);
        expect(londonDateOf(new Date(end))).toBe(date);
      }),
      { numRuns: 1000 },
    );
  });

  it('londonDateOf(startOfLondonDay(d)) is d, and startOfLondonDay(londonDateOf(t)) is at or before t', () => {
    fc.assert(
      fc.property(instantIn2000To2037, (instant) => {
        const date = londonDateOf(new Date(instant));
        expect(londonDateOf(startOfLondonDay(date))).toBe(date);
        expect(startOfLondonDay(date).getTime()).toBeLessThanOrEqual(instant);
        expect(endOfLondonDay(date).getTime()).toBeGreaterThanOrEqual(instant);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('londonWallClockInstant', () => {
  it.each([
    // date, wall-clock time, the instant
    // GMT: London and UTC agree.
    ['2026-01-09', 10, 0, '2026-01-09T10:00:00.000Z'],
    ['2026-01-09', 0, 0, '2026-01-09T00:00:00.000Z'],
    ['2026-01-09', 23, 59, '2026-01-09T23:59:00.000Z'],
    // BST: London is an hour ahead, so its midnight is the previous UTC day.
    ['2026-06-05', 10, 0, '2026-06-05T09:00:00.000Z'],
    ['2026-06-05', 0, 0, '2026-06-04T23:00:00.000Z'],
    ['2026-06-05', 23, 59, '2026-06-05T22:59:00.000Z'],
    // Spring forward, Sunday 29 March 2026: 01:00 GMT becomes 02:00 BST.
    ['2026-03-29', 0, 0, '2026-03-29T00:00:00.000Z'],
    ['2026-03-29', 0, 59, '2026-03-29T00:59:00.000Z'],
    ['2026-03-29', 2, 0, '2026-03-29T01:00:00.000Z'],
    ['2026-03-29', 10, 0, '2026-03-29T09:00:00.000Z'],
    ['2026-03-29', 23, 59, '2026-03-29T22:59:00.000Z'],
    // Fall back, Sunday 25 October 2026: 02:00 BST becomes 01:00 GMT; 01:xx happens twice, the BST one is meant.
    ['2026-10-25', 0, 0, '2026-10-24T23:00:00.000Z'],
    ['2026-10-25', 1, 30, '2026-10-25T00:30:00.000Z'],
    ['2026-10-25', 2, 0, '2026-10-25T02:00:00.000Z'],
    ['2026-10-25', 10, 0, '2026-10-25T10:00:00.000Z'],
    ['2026-10-25', 23, 59, '2026-10-25T23:59:00.000Z'],
    // The days either side of the changes.
    ['2026-03-28', 10, 0, '2026-03-28T10:00:00.000Z'],
    ['2026-03-30', 10, 0, '2026-03-30T09:00:00.000Z'],
    ['2026-10-24', 10, 0, '2026-10-24T09:00:00.000Z'],
    ['2026-10-26', 10, 0, '2026-10-26T10:00:00.000Z'],
  ])('%s at %i:%i in London is %s', (date, hour, minute, instant) => {
    expect(londonWallClockInstant(d(date), hour, minute).toISOString()).toBe(instant);
  });

  it.each([
    [1, 0],
    [1, 30],
    [1, 59],
  ])('refuses %i:%i on 29 March 2026, a time the clocks skip', (hour, minute) => {
    expect(() => londonWallClockInstant(d('2026-03-29'), hour, minute)).toThrow(RangeError);
  });

  it.each([
    [24, 0],
    [-1, 0],
    [10, 60],
    [10.5, 0],
    [Number.NaN, 0],
  ])('refuses %d:%d, which no clock shows', (hour, minute) => {
    expect(() => londonWallClockInstant(d('2026-01-09'), hour, minute)).toThrow(RangeError);
  });

  it('agrees with the British Summer Time rule for every date and time', () => {
    fc.assert(
      fc.property(dateIn2000To2037, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (date, hour, minute) => {
        const [year, month, day] = date.split('-').map(Number) as [number, number, number];
        const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute);
        // The instants whose London wall clock shows that time: in GMT the same, in BST an hour earlier.
        const showing = [wallAsUtc - HOUR, wallAsUtc].filter((instant) => instant + oracleOffset(instant) === wallAsUtc);
        if (showing.length === 0) {
          expect(() => londonWallClockInstant(date, hour, minute)).toThrow(RangeError);
        } else {
          expect(londonWallClockInstant(date, hour, minute).getTime()).toBe(showing[0]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses exactly the hour skipped on every spring-forward day 2024–2028', () => {
    for (let year = 2024; year <= 2028; year += 1) {
      const change = lastSundayAt0100Utc(year, 3);
      const date = londonDateOf(new Date(change));
      expect(londonWallClockInstant(date, 0, 59).getTime()).toBe(change - 60_000);
      expect(() => londonWallClockInstant(date, 1, 0)).toThrow(RangeError);
      expect(londonWallClockInstant(date, 2, 0).getTime()).toBe(change);
    }
  });
});
