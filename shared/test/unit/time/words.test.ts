import { fromEpochDay } from '@fsp/shared/time/local-date';
import { localDateText, localDayText } from '@fsp/shared/time/words';
import fc from 'fast-check';

describe('dates in words', () => {
  it('writes a calendar date as GOV.UK does: 14 March 2018', () => {
    expect(localDateText('2018-03-14')).toBe('14 March 2018');
    expect(localDateText('2024-02-29')).toBe('29 February 2024');
    expect(localDateText('2026-01-01')).toBe('1 January 2026');
  });

  it('says the same as the en-GB formatter for every date from 1900 to 2100', () => {
    const formatter = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    fc.assert(
      fc.property(fc.integer({ min: -25_567, max: 47_482 }), (epochDay) => {
        const date = fromEpochDay(epochDay);
        expect(localDateText(date)).toBe(formatter.format(new Date(`${date}T12:00:00Z`)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('says a day with its weekday, as the en-GB formatter does, for every date from 1900 to 2100', () => {
    const formatter = new Intl.DateTimeFormat('en-GB', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    expect(localDayText(fromEpochDay(20_718))).toBe('Tuesday 22 September 2026');
    fc.assert(
      fc.property(fc.integer({ min: -25_567, max: 47_482 }), (epochDay) => {
        const date = fromEpochDay(epochDay);
        expect(localDayText(date)).toBe(formatter.format(new Date(`${date}T12:00:00Z`)).replace(',', ''));
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses what is not a real calendar date', () => {
    expect(() => localDateText('2023-02-29')).toThrow();
    expect(() => localDateText('14/03/2018')).toThrow();
  });
});
