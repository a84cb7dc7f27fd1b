import type { LocalDate } from './local-date';

/**
 * England and Wales bank holidays, as published on GOV.UK (https://www.gov.uk/bank-holidays.json,
 * division "england-and-wales"), shipped with the code so that a timescale never depends on a
 * network call. Substitute days are listed on the weekday they are taken.
 *
 * 2024–2028 contain no one-off holidays (the last were the Coronation, 8 May 2023, and the State
 * Funeral, 19 September 2022). If one is announced, add it here and to ONE_OFF_HOLIDAYS in the test,
 * which otherwise re-derives every date from the standing rules.
 *
 * Extend before 1 January 2028: a test fails when the data does not cover next year, and
 * working-day arithmetic throws for dates outside BANK_HOLIDAY_COVERAGE rather than guess.
 */
export interface BankHoliday {
  readonly date: LocalDate;
  readonly title: string;
  /** Taken in place of a holiday that fell on a weekend (GOV.UK notes: "Substitute day"). */
  readonly substituteDay: boolean;
}

/** Whole calendar years for which the list is complete. */
export const BANK_HOLIDAY_COVERAGE = Object.freeze({ firstYear: 2024, lastYear: 2028 });

const holiday = (date: string, title: string, substituteDay = false): BankHoliday =>
  // The data is checked against the rules and the schema in the tests; the cast only brands the literal.
  Object.freeze({ date: date as LocalDate, title, substituteDay });

export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly BankHoliday[] = Object.freeze([
  holiday('2024-01-01', 'New Year’s Day'),
  holiday('2024-03-29', 'Good Friday'),
  holiday('2024-04-01', 'Easter Monday'),
  holiday('2024-05-06', 'Early May bank holiday'),
  holiday('2024-05-27', 'Spring bank holiday'),
  holiday('2024-08-26', 'Summer bank holiday'),
  holiday('2024-12-25', 'Christmas Day'),
  holiday('2024-12-26', 'Boxing Day'),

  holiday('2025-01-01', 'New Year’s Day'),
  holiday('2025-04-18', 'Good Friday'),
  holiday('2025-04-21', 'Easter Monday'),
  holiday('2025-05-05', 'Early May bank holiday'),
  holiday('2025-05-26', 'Spring bank holiday'),
  holiday('2025-08-25', 'Summer bank holiday'),
  holiday('2025-12-25', 'Christmas Day'),
  holiday('2025-12-26', 'Boxing Day'),

  holiday('2026-01-01', 'New Year’s Day'),
  holiday('2026-04-03', 'Good Friday'),
  holiday('2026-04-06', 'Easter Monday'),
  holiday('2026-05-04', 'Early May bank holiday'),
  holiday('2026-05-25', 'Spring bank holiday'),
  holiday('2026-08-31', 'Summer bank holiday'),
  holiday('2026-12-25', 'Christmas Day'),
  holiday('2026-12-28', 'Boxing Day', true),

  holiday('2027-01-01', 'New Year’s Day'),
  holiday('2027-03-26', 'Good Friday'),
  holiday('2027-03-29', 'Easter Monday'),
  holiday('2027-05-03', 'Early May bank holiday'),
  holiday('2027-05-31', 'Spring bank holiday'),
  holiday('2027-08-30', 'Summer bank holiday'),
  holiday('2027-12-27', 'Christmas Day', true),
  holiday('2027-12-28', 'Boxing Day', true),

  holiday('2028-01-03', 'New Year’s Day', true),
  holiday('2028-04-14', 'Good Friday'),
  holiday('2028-04-17', 'Easter Monday'),
  holiday('2028-05-01', 'Early May bank holiday'),
  holiday('2028-05-29', 'Spring bank holiday'),
  holiday('2028-08-28', 'Summer bank holiday'),
  holiday('2028-12-25', 'Christmas Day'),
  holiday('2028-12-26', 'Boxing Day'),
]);
