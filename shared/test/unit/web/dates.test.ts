import { clockText, MOJ_DATE_TYPES, mojDate } from '@fsp/shared/web/dates';
import fc from 'fast-check';

/** Instants from 2000 to 2100, to the minute. */
const instants = fc
  .integer({ min: Date.UTC(2000, 0, 1) / 60_000, max: Date.UTC(2100, 0, 1) / 60_000 })
  .map((minute) => new Date(minute * 60_000));

describe('dates on pages (MoJ’s mojDate formats, in words, in London time)', () => {
  it.each([
    ['datetime', '2026-12-01T14:30:00Z', 'Tuesday 1 December 2026 at 2:30pm'],
    ['shortdatetime', '2026-12-01T14:30:00Z', '1 Dec 2026 at 2:30pm'],
    ['date', '2026-12-01T14:30:00Z', 'Tuesday 1 December 2026'],
    ['shortdate', '2026-12-01T14:30:00Z', '1 Dec 2026'],
    ['time', '2026-12-01T14:30:00Z', '2:30pm'],
    // British Summer Time: 23:30 UTC is already the next day in London.
    ['datetime', '2026-06-04T23:30:00Z', 'Friday 5 June 2026 at 12:30am'],
    ['time', '2026-07-01T11:00:00Z', 'midday'],
    ['time', '2026-01-01T00:00:00Z', 'midnight'],
    ['time', '2026-01-01T09:00:00Z', '9am'],
    // A calendar date has no zone: it is the same day wherever the server is.
    ['date', '2026-12-03', 'Thursday 3 December 2026'],
    ['shortdate', '2024-02-29', '29 Feb 2024'],
  ])('%s of %s is "%s"', (type, timestamp, text) => {
    expect(mojDate(timestamp, type)).toBe(text);
  });

  it('says what Intl says for London, for any instant this century', () => {
    const date = new Intl.DateTimeFormat('en-GB', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/London',
    });
    const time = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: 'numeric', hourCycle: 'h23', timeZone: 'Europe/London' });
    fc.assert(
      fc.property(instants, (instant) => {
        const [hour, minute] = time.format(instant).split(':').map(Number) as [number, number];
        expect(mojDate(instant, 'date')).toBe(date.format(instant).replace(',', ''));
        expect(mojDate(instant.toISOString(), 'time')).toBe(clockText(hour, minute));
        expect(mojDate(instant, 'datetime')).toBe(`${mojDate(instant, 'date')} at ${mojDate(instant, 'time')}`);
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes times as GOV.UK does: hours without :00, am and pm without spaces, midday and midnight in words', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (hour, minute) => {
        expect(clockText(hour, minute)).toMatch(/^(midnight|midday|(1[0-2]|[1-9])(:[0-5]\d)?(am|pm))$/);
        expect(clockText(hour, minute).includes(':00')).toBe(false);
      }),
    );
  });

  it('refuses what a template should not give it, naming it', () => {
    expect(() => mojDate('2026-12-01T14:30:00Z', 'long')).toThrow(`mojDate has no format "long"; use one of ${MOJ_DATE_TYPES.join(', ')}`);
    expect(() => mojDate('yesterday', 'date')).toThrow(/got "yesterday"/);
    expect(() => mojDate(undefined, 'date')).toThrow(/got undefined/);
    expect(() => mojDate('2026-02-30', 'date')).toThrow();
    expect(() => mojDate('2026-12-01', 'time')).toThrow(/a date without a time/);
  });
});
