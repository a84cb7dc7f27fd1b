/**
 * Reading the fields of supervision's forms and JSON bodies: plain text and calendar dates, each
 * problem a GOV.UK message naming the field. Pure.
 */
import { wholeNumber } from '@fsp/shared/numbers';
import { isPlainText } from '@fsp/shared/text';
import { BANK_HOLIDAY_COVERAGE } from '@fsp/shared/time/bank-holidays';
import { compareLocalDates, type LocalDate, localDateSchema } from '@fsp/shared/time/local-date';
import { BankHolidaysNotCoveredError, isWorkingDay } from '@fsp/shared/time/working-days';
import * as z from 'zod/mini';

export interface FieldError<F extends string = string> {
  field: F;
  message: string;
  /** For a row of a list (an action): which row, from 0, as the form numbered it. */
  index?: number;
}

export const TEXT_MAX_LENGTH = 10_000;
export const RATIONALE_MAX_LENGTH = 2_000;
export const REASON_MAX_LENGTH = 1_000;
export const ACTION_WHAT_MAX_LENGTH = 500;

/** A form field that may come as one value or several (one ticked checkbox is sent as a string). */
export const stringOrList = (message: string) =>
  z.optional(z.union([z.string(message), z.array(z.string(message)).check(z.maxLength(100, message))], message));

export const listOf = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((item) => item.trim()).filter((item) => item !== '');

const capitalised = (label: string) => label.charAt(0).toUpperCase() + label.slice(1);

/**
 * Free text as kept: line endings made \n, surrounding white space dropped; undefined when nothing
 * is left. Pushes a message when it is too long or holds invisible or control characters.
 */
export function readText<F extends string>(
  errors: FieldError<F>[],
  field: F,
  value: string | undefined,
  rule: { label: string; max: number; multiline?: boolean; index?: number },
): string | undefined {
  if (value === undefined) return undefined;
  const text = value.replace(/\r\n?/g, '\n').trim();
  if (text === '') return undefined;
  const at = rule.index === undefined ? {} : { index: rule.index };
  if (text.length > rule.max) {
    errors.push({ field, message: `${capitalised(rule.label)} must be ${wholeNumber(rule.max)} characters or fewer`, ...at });
    return undefined;
  }
  if (!isPlainText(text, { multiline: rule.multiline ?? true })) {
    errors.push({ field, message: `${capitalised(rule.label)} must not contain invisible or control characters`, ...at });
    return undefined;
  }
  return text;
}

/** A real calendar date written YYYY-MM-DD, or undefined (with a message) when it is not one. '' or absent: undefined, no message. */
export function readDate<F extends string>(
  errors: FieldError<F>[],
  field: F,
  value: string | undefined,
  rule: { label: string; index?: number },
): LocalDate | undefined {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  const parsed = localDateSchema.safeParse(text);
  if (parsed.success) return parsed.data;
  errors.push({
    field,
    message: `${capitalised(rule.label)} must be a real date, written as YYYY-MM-DD`,
    ...(rule.index === undefined ? {} : { index: rule.index }),
  });
  return undefined;
}

export const isBefore = (a: LocalDate, b: LocalDate) => compareLocalDates(a, b) < 0;
export const isAfter = (a: LocalDate, b: LocalDate) => compareLocalDates(a, b) > 0;

/** Whether `day` is a working day; 'not-covered' beyond the bank-holiday data the platform ships. */
export function workingDayOrNotCovered(day: LocalDate): boolean | 'not-covered' {
  try {
    return isWorkingDay(day);
  } catch (error) {
    if (error instanceof BankHolidaysNotCoveredError) return 'not-covered';
    throw error;
  }
}

export const LAST_COVERED_DAY_TEXT = `31 December ${BANK_HOLIDAY_COVERAGE.lastYear}`;
