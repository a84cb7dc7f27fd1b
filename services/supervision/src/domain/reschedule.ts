/**
 * Moving a scheduled supervision (ADR 0015 §1): the team manager of the holding team picks a new
 * working day, today or later, and says why. The due date does not move: monthly stays monthly.
 * Pure.
 */
import { onFirstUse } from '@fsp/shared/first-use';
import type { LocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import * as z from 'zod/mini';
import { type FieldError, isBefore, LAST_COVERED_DAY_TEXT, REASON_MAX_LENGTH, readDate, readText, workingDayOrNotCovered } from './fields';
import type { Person, Supervision } from './model';
import { supervisionStartOn } from './supervision';

export type RescheduleField = 'scheduledDate' | 'reason';

const buildSchema = onFirstUse(() =>
  z.object({
    scheduledDate: z.optional(z.string('Enter the new date of the supervision')),
    reason: z.optional(z.string('Enter the reason for moving the supervision')),
  }),
);
export const rescheduleInputSchema = z.lazy(buildSchema);
export type RescheduleInput = z.infer<typeof rescheduleInputSchema>;

export type RescheduleCheck = { ok: true; scheduledDate: LocalDate; reason: string } | { ok: false; errors: FieldError<RescheduleField>[] };

export function checkReschedule(input: RescheduleInput, context: { now: Date }): RescheduleCheck {
  const errors: FieldError<RescheduleField>[] = [];
  const today = londonDateOf(context.now);
  const scheduledDate = readDate(errors, 'scheduledDate', input.scheduledDate, { label: 'the new date' });
  if (scheduledDate === undefined) {
    if (errors.length === 0) errors.push({ field: 'scheduledDate', message: 'Enter the new date of the supervision' });
  } else if (isBefore(scheduledDate, today)) {
    errors.push({ field: 'scheduledDate', message: 'The new date must be today or in the future' });
  } else {
    const working = workingDayOrNotCovered(scheduledDate);
    if (working === 'not-covered')
      errors.push({ field: 'scheduledDate', message: `The new date must be on or before ${LAST_COVERED_DAY_TEXT}` });
    else if (!working)
      errors.push({ field: 'scheduledDate', message: 'The new date must be a working day (not a weekend or bank holiday)' });
  }
  const before = errors.length;
  const reason = readText(errors, 'reason', input.reason, { label: 'the reason for moving the supervision', max: REASON_MAX_LENGTH });
  if (reason === undefined && errors.length === before)
    errors.push({ field: 'reason', message: 'Enter the reason for moving the supervision' });
  if (errors.length > 0 || scheduledDate === undefined || reason === undefined) return { ok: false, errors };
  return { ok: true, scheduledDate, reason };
}

/** The supervision moved to 10:00 London on `scheduledDate`, the move kept with who and why; due as before. */
export function rescheduled(
  supervision: Supervision,
  move: { scheduledDate: LocalDate; reason: string; by: Person; at: Date },
): Supervision {
  const scheduledFor = supervisionStartOn(move.scheduledDate).toISOString();
  return {
    ...supervision,
    scheduledDate: move.scheduledDate,
    scheduledFor,
    reschedules: [
      ...(supervision.reschedules ?? []),
      { at: move.at.toISOString(), by: move.by, previousScheduledFor: supervision.scheduledFor, scheduledFor, reason: move.reason },
    ],
  };
}
