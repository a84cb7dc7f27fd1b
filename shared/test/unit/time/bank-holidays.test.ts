import { BANK_HOLIDAY_COVERAGE, ENGLAND_AND_WALES_BANK_HOLIDAYS } from '@fsp/shared/time/bank-holidays';
import { type LocalDate, localDateFromParts, localDateSchema } from '@fsp/shared/time/local-date';

/*
 * The shipped list is data someone typed in. These tests re-derive it from the standing rules
 * (Banking and Financial Dealings Act 1971 and the royal proclamations that follow it each year),
 * so a typo, a missed substitute day or a wrong Easter makes a test fail.
 */

// Announced one-off holidays and moved holidays in the covered years (none for 2024–2028).
// Past examples: 2020 early May moved to Fri 8 May (VE Day), 2022 Spring moved and Jubilee added,
// 2022-09-19 State Funeral, 2023-05-08 Coronation.
const ONE_OFF_HOLIDAYS: readonly { date: string; title: string }[] = [];

const utcDayOfWeek = (year: number, month: number, day: number): number => new Date(Date.UTC(year, month - 1, day)).getUTCDay();
const iso = (year: number, month: number, day: number): LocalDate => localDateFromParts({ year, month, day });

// Anonymous Gregorian computus (Meeus/Jones/Butcher).
function easterSunday(year: number): { month: number; day: number } {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

function shiftDays(year: number, month: number, day: number, days: number): LocalDate {
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return iso(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

function firstMonday(year: number, month: number): LocalDate {
  const offset = (8 - utcDayOfWeek(year, month, 1)) % 7;
  return iso(year, month, 1 + offset);
}

function lastMonday(year: number, month: number): LocalDate {
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offset = (utcDayOfWeek(year, month, lastDay) + 6) % 7;
  return iso(year, month, lastDay - offset);
}

interface Expected {
  date: string;
  title: string;
  substituteDay: boolean;
}

function ruleBasedHolidays(year: number): Expected[] {
  const isWeekendDay = (date: string) => {
    const day = new Date(`${date}T00:00:00Z`).getUTCDay();
    return day === 0 || day === 6;
  };
  const holidays: Expected[] = [];

  // New Year's Day on a weekend is taken on the following Monday.
  const newYear = iso(year, 1, 1);
  holidays.push(
    isWeekendDay(newYear)
      ? { date: utcDayOfWeek(year, 1, 1) === 6 ? iso(year, 1, 3) : iso(year, 1, 2), title: 'New Year’s Day', substituteDay: true }
      : { date: newYear, title: 'New Year’s Day', substituteDay: false },
  );

  const easter = easterSunday(year);
  holidays.push({ date: shiftDays(year, easter.month, easter.day, -2), title: 'Good Friday', substituteDay: false });
  holidays.push({ date: shiftDays(year, easter.month, easter.day, 1), title: 'Easter Monday', substituteDay: false });
  holidays.push({ date: firstMonday(year, 5), title: 'Early May bank holiday', substituteDay: false });
  holidays.push({ date: lastMonday(year, 5), title: 'Spring bank holiday', substituteDay: false });
  holidays.push({ date: lastMonday(year, 8), title: 'Summer bank holiday', substituteDay: false });

  // Christmas and Boxing Day: a day on a weekend moves to the first weekday after it not already taken,
  // Christmas first (so 25 Dec on a Sunday gives Boxing Day Mon 26 and Christmas Tue 27).
  const taken = new Set<string>();
  const christmas = [
    { date: iso(year, 12, 25), title: 'Christmas Day' },
    { date: iso(year, 12, 26), title: 'Boxing Day' },
  ];
  for (const day of christmas) if (!isWeekendDay(day.date)) taken.add(day.date);
  const christmasEntries: Expected[] = [];
  for (const day of christmas) {
    if (!isWeekendDay(day.date)) {
      christmasEntries.push({ ...day, substituteDay: false });
      continue;
    }
    let candidate = day.date as string;
    do candidate = shiftDays(year, 12, Number(candidate.slice(8)), 1);
    while (isWeekendDay(candidate) || taken.has(candidate));
    taken.add(candidate);
    christmasEntries.push({ date: candidate, title: day.title, substituteDay: true });
  }
  holidays.push(...christmasEntries.sort((a, b) => a.date.localeCompare(b.date)));

  for (const oneOff of ONE_OFF_HOLIDAYS) if (oneOff.date.startsWith(`${year}-`)) holidays.push({ ...oneOff, substituteDay: false });
  return holidays.sort((a, b) => a.date.localeCompare(b.date));
}

const coveredYears = Array.from(
  { length: BANK_HOLIDAY_COVERAGE.lastYear - BANK_HOLIDAY_COVERAGE.firstYear + 1 },
  (_, index) => BANK_HOLIDAY_COVERAGE.firstYear + index,
);

describe('England and Wales bank holidays shipped with the code', () => {
  it('covers at least 2024 to 2028, as the domain requires', () => {
    expect(BANK_HOLIDAY_COVERAGE.firstYear).toBeLessThanOrEqual(2024);
    expect(BANK_HOLIDAY_COVERAGE.lastYear).toBeGreaterThanOrEqual(2028);
  });

  it('covers next calendar year, so a 45-working-day assessment started this autumn has a due date', () => {
    // Deliberately reads the real clock: this test is the reminder to extend the data, and starts
    // failing on 1 January of the last covered year, a year before deadlines would start to throw.
    const nextYear = new Date().getUTCFullYear() + 1;
    if (nextYear > BANK_HOLIDAY_COVERAGE.lastYear) {
      throw new Error(
        `bank holidays cover up to ${BANK_HOLIDAY_COVERAGE.lastYear}; add ${nextYear} from GOV.UK to shared/src/time/bank-holidays.ts`,
      );
    }
    expect(nextYear).toBeLessThanOrEqual(BANK_HOLIDAY_COVERAGE.lastYear);
  });

  it.each(coveredYears)('lists exactly the rule-derived holidays for %i, with GOV.UK titles and substitute days', (year) => {
    const shipped = ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((holiday) => holiday.date.startsWith(`${year}-`)).map((holiday) => ({
      date: holiday.date,
      title: holiday.title,
      substituteDay: holiday.substituteDay,
    }));
    expect(shipped).toEqual(ruleBasedHolidays(year));
  });

  it('matches the GOV.UK substitute days a social worker would see on a calendar', () => {
    const byDate = new Map(ENGLAND_AND_WALES_BANK_HOLIDAYS.map((holiday) => [holiday.date as string, holiday]));
    expect(byDate.get('2026-12-28')).toEqual({ date: '2026-12-28', title: 'Boxing Day', substituteDay: true });
    expect(byDate.get('2027-12-27')).toEqual({ date: '2027-12-27', title: 'Christmas Day', substituteDay: true });
    expect(byDate.get('2027-12-28')).toEqual({ date: '2027-12-28', title: 'Boxing Day', substituteDay: true });
    expect(byDate.get('2028-01-03')).toEqual({ date: '2028-01-03', title: 'New Year’s Day', substituteDay: true });
    expect(byDate.has('2027-12-25')).toBe(false);
    expect(byDate.has('2028-01-01')).toBe(false);
  });

  it('has only real weekday dates, in strictly ascending order, inside the declared coverage', () => {
    const dates = ENGLAND_AND_WALES_BANK_HOLIDAYS.map((holiday) => holiday.date as string);
    for (const date of dates) {
      expect(localDateSchema.safeParse(date).success).toBe(true);
      expect([0, 6]).not.toContain(new Date(`${date}T00:00:00Z`).getUTCDay());
      const year = Number(date.slice(0, 4));
      expect(year).toBeGreaterThanOrEqual(BANK_HOLIDAY_COVERAGE.firstYear);
      expect(year).toBeLessThanOrEqual(BANK_HOLIDAY_COVERAGE.lastYear);
    }
    expect(dates).toEqual([...new Set(dates)].sort());
  });

  it('cannot be changed at run time by a caller', () => {
    expect(Object.isFrozen(ENGLAND_AND_WALES_BANK_HOLIDAYS)).toBe(true);
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.every((holiday) => Object.isFrozen(holiday))).toBe(true);
    expect(Object.isFrozen(BANK_HOLIDAY_COVERAGE)).toBe(true);
  });
});

describe('the computus the rule check relies on', () => {
  it.each([
    [2000, 4, 23],
    [2008, 3, 23],
    [2011, 4, 24],
    [2019, 4, 21],
    [2024, 3, 31],
    [2025, 4, 20],
    [2026, 4, 5],
    [2027, 3, 28],
    [2028, 4, 16],
    [2038, 4, 25],
    [2285, 3, 22],
  ])('puts Easter Sunday %i on %i/%i', (year, month, day) => {
    expect(easterSunday(year)).toEqual({ month, day });
    expect(utcDayOfWeek(year, month, day)).toBe(0);
  });
});
