/**
 * A consultation about a case outside group supervision (DOMAIN.md): with a manager or clinician,
 * on a day, with notes. Pure.
 */
import { onFirstUse } from '@fsp/shared/first-use';
import type { LocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import * as z from 'zod/mini';
import { type FieldError, isAfter, readDate, readText, TEXT_MAX_LENGTH } from './fields';

export type ConsultationField = 'with' | 'heldOn' | 'notes';
export const CONSULTED_MAX_LENGTH = 200;

const buildSchema = onFirstUse(() =>
  z.object({
    with: z.optional(z.string('Enter who you consulted')),
    heldOn: z.optional(z.string('Enter the date of the consultation')),
    notes: z.optional(z.string('Enter the notes of the consultation')),
  }),
);
export const consultationInputSchema = z.lazy(buildSchema);
export type ConsultationInput = z.infer<typeof consultationInputSchema>;

export interface ConsultationContent {
  with: string;
  heldOn: LocalDate;
  notes: string;
}

export type ConsultationCheck = { ok: true; value: ConsultationContent } | { ok: false; errors: FieldError<ConsultationField>[] };

export function checkConsultation(input: ConsultationInput, context: { now: Date }): ConsultationCheck {
  const errors: FieldError<ConsultationField>[] = [];
  const required = <T>(field: ConsultationField, value: T | undefined, message: string): T | undefined => {
    if (value === undefined && !errors.some((error) => error.field === field)) errors.push({ field, message });
    return value;
  };
  const consulted = required(
    'with',
    readText(errors, 'with', input.with, { label: 'who you consulted', max: CONSULTED_MAX_LENGTH, multiline: false }),
    'Enter who you consulted',
  );
  const heldOn = required(
    'heldOn',
    readDate(errors, 'heldOn', input.heldOn, { label: 'the date of the consultation' }),
    'Enter the date of the consultation',
  );
  if (heldOn !== undefined && isAfter(heldOn, londonDateOf(context.now))) {
    errors.push({ field: 'heldOn', message: 'The date of the consultation must be today or in the past' });
  }
  const notes = required(
    'notes',
    readText(errors, 'notes', input.notes, { label: 'the notes of the consultation', max: TEXT_MAX_LENGTH }),
    'Enter the notes of the consultation',
  );
  if (errors.length > 0 || consulted === undefined || heldOn === undefined || notes === undefined) return { ok: false, errors };
  return { ok: true, value: { with: consulted, heldOn, notes } };
}
