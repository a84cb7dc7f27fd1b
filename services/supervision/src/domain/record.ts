/**
 * The record of a group supervision (DOMAIN.md, Group supervision; ADR 0015 §2): what the chair
 * (the team manager of the holding team) writes, checked as a draft (any part, each part given
 * valid) or to complete (the date, a rating and why, who attended, the discussion, the decisions).
 * Pure: the clock and the case's allocation are passed in.
 */

import { SUPERVISION_RATINGS } from '@fsp/shared/events/definitions/supervision';
import { onFirstUse } from '@fsp/shared/first-use';
import { addCalendarMonths, type LocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import { localDateText } from '@fsp/shared/time/words';
import * as z from 'zod/mini';
import {
  ACTION_WHAT_MAX_LENGTH,
  type FieldError,
  isAfter,
  isBefore,
  LAST_COVERED_DAY_TEXT,
  listOf,
  RATIONALE_MAX_LENGTH,
  REASON_MAX_LENGTH,
  readDate,
  readText,
  stringOrList,
  TEXT_MAX_LENGTH,
  workingDayOrNotCovered,
} from './fields';
import type { ActionDraft, RecordContent, SupervisionRating } from './model';
import { supervisionTimesFrom } from './supervision';

/** Completing writes every action in one transaction with the rest (ADR 0015 §3). */
export const MAX_ACTIONS_PER_SUPERVISION = 20;
/** An action further off than this is not a supervision action but a plan. */
export const ACTION_DUE_WITHIN_MONTHS = 12;

const RECORD_FIELDS = [
  'heldOn',
  'attendees',
  'apologies',
  'rating',
  'ratingRationale',
  'discussion',
  'risks',
  'strengths',
  'decisions',
  'actions',
  'nextDate',
] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];
export type AmendmentField = RecordField | 'reason';

const buildSchemas = onFirstUse(() => {
  const optionalText = (message: string) => z.optional(z.string(message));
  const actionRow = z.object({
    actionId: z.optional(z.string('Each action must be an action of this supervision')),
    what: optionalText('Enter what the action is'),
    ownerId: optionalText('Choose who owns the action'),
    dueDate: optionalText("Enter the action's due date"),
  });
  const shape = {
    heldOn: optionalText('Enter the date the supervision was held'),
    attendees: stringOrList('Choose who attended from the workers allocated to the case'),
    apologies: stringOrList('Choose who sent apologies from the workers allocated to the case'),
    rating: optionalText('Choose a rating: red, amber or green'),
    ratingRationale: optionalText('Enter why you gave this rating'),
    discussion: optionalText('Enter the reflective discussion and hypotheses'),
    risks: optionalText('Enter the risks'),
    strengths: optionalText('Enter the strengths'),
    decisions: optionalText('Enter the decisions made'),
    nextDate: optionalText('Enter the proposed date of the next supervision'),
    actions: z.optional(
      z.array(actionRow, 'Enter the actions as a list').check(z.maxLength(100, 'A supervision can set at most 20 actions')),
    ),
  };
  const record = z.object(shape);
  const amendment = z.object({ ...shape, reason: optionalText('Enter the reason for the amendment') });
  return { record, amendment };
});

/** The record as a form or a JSON body sends it (draft save and completion send the same shape). */
export const recordInputSchema = z.lazy(() => buildSchemas().record);
export type RecordInput = z.infer<typeof recordInputSchema>;
/** An amendment: the record's fields as amended, new actions (rows without an id), and the reason. */
export const amendmentInputSchema = z.lazy(() => buildSchemas().amendment);
export type AmendmentInput = z.infer<typeof amendmentInputSchema>;

export type RecordMode = 'draft' | 'complete';

export interface RecordContext {
  now: Date;
  /** When the case opened (CaseOpened); the supervision cannot have been held before. */
  openedAt?: string;
  /** The chair (the session's team manager): may attend and own actions. */
  chairId: string;
  /** Everyone allocated to the case now (`allocatedWorkerIds`). */
  allocatedWorkerIds: readonly string[];
  /**
   * Amending: the record as completed. Its people stay choosable even if no longer allocated, and
   * its actions (already assigned) are kept as they are.
   */
  completed?: RecordContent;
}

export type RecordCheck = { ok: true; content: RecordContent } | { ok: false; errors: FieldError<RecordField>[] };

const ratingOf = (value: string | undefined): SupervisionRating | 'invalid' | undefined => {
  const text = value?.trim().toLowerCase();
  if (text === undefined || text === '') return undefined;
  return (SUPERVISION_RATINGS as readonly string[]).includes(text) ? (text as SupervisionRating) : 'invalid';
};

/** The latest the next supervision may be proposed for: its due date from the day held, else (not known yet) a month from today. */
function nextDateBound(heldOn: LocalDate | undefined, today: LocalDate): LocalDate {
  return heldOn === undefined ? addCalendarMonths(today, 1) : supervisionTimesFrom(heldOn).dueDate;
}

/**
 * The record's content, or every field the chair must change. A draft may leave anything out but
 * what it gives must be valid; completing also needs the date held, the rating and why, at least
 * one attendee, the discussion and the decisions. Action rows wholly blank are dropped; a row
 * partly filled in must be finished.
 */
export function checkRecord(input: RecordInput, context: RecordContext, mode: RecordMode): RecordCheck {
  const errors: FieldError<RecordField>[] = [];
  const today = londonDateOf(context.now);
  const completing = mode === 'complete';

  // The day held.
  const heldOn = readDate(errors, 'heldOn', input.heldOn, { label: 'the date the supervision was held' });
  if (heldOn !== undefined) {
    if (isAfter(heldOn, today)) {
      errors.push({ field: 'heldOn', message: 'The date the supervision was held must be today or in the past' });
    } else if (context.openedAt !== undefined && isBefore(heldOn, londonDateOf(new Date(context.openedAt)))) {
      errors.push({
        field: 'heldOn',
        message: `The date the supervision was held must be on or after the day the case opened, ${localDateText(londonDateOf(new Date(context.openedAt)))}`,
      });
    }
  } else if (completing && !errors.some((error) => error.field === 'heldOn')) {
    errors.push({ field: 'heldOn', message: 'Enter the date the supervision was held' });
  }

  // Who attended and who sent apologies: the allocated workers and the chair.
  const choosable = new Set([...context.allocatedWorkerIds, context.chairId]);
  for (const id of [...(context.completed?.attendees ?? []), ...(context.completed?.apologies ?? [])]) choosable.add(id);
  const attendees = [...new Set(listOf(input.attendees))];
  const apologies = [...new Set(listOf(input.apologies))];
  if (attendees.some((id) => !choosable.has(id))) {
    errors.push({ field: 'attendees', message: 'Choose who attended from the workers allocated to the case and the chair' });
  } else if (completing && attendees.length === 0) {
    errors.push({ field: 'attendees', message: 'Choose at least one person who attended' });
  }
  if (apologies.some((id) => !choosable.has(id))) {
    errors.push({ field: 'apologies', message: 'Choose who sent apologies from the workers allocated to the case and the chair' });
  } else if (apologies.some((id) => attendees.includes(id))) {
    errors.push({ field: 'apologies', message: 'A person cannot both attend and send apologies' });
  }

  // The rating and why.
  const rating = ratingOf(input.rating);
  if (rating === 'invalid') errors.push({ field: 'rating', message: 'Choose a rating: red, amber or green' });
  else if (completing && rating === undefined) errors.push({ field: 'rating', message: 'Choose a rating: red, amber or green' });
  const ratingRationale = readText(errors, 'ratingRationale', input.ratingRationale, {
    label: 'why you gave this rating',
    max: RATIONALE_MAX_LENGTH,
  });
  if (completing && ratingRationale === undefined && !errors.some((error) => error.field === 'ratingRationale')) {
    errors.push({ field: 'ratingRationale', message: 'Enter why you gave this rating' });
  }

  // The discussion.
  const discussion = readText(errors, 'discussion', input.discussion, {
    label: 'the reflective discussion and hypotheses',
    max: TEXT_MAX_LENGTH,
  });
  const risks = readText(errors, 'risks', input.risks, { label: 'the risks', max: TEXT_MAX_LENGTH });
  const strengths = readText(errors, 'strengths', input.strengths, { label: 'the strengths', max: TEXT_MAX_LENGTH });
  const decisions = readText(errors, 'decisions', input.decisions, { label: 'the decisions made', max: TEXT_MAX_LENGTH });
  if (completing && discussion === undefined && !errors.some((error) => error.field === 'discussion')) {
    errors.push({ field: 'discussion', message: 'Enter the reflective discussion and hypotheses' });
  }
  if (completing && decisions === undefined && !errors.some((error) => error.field === 'decisions')) {
    errors.push({ field: 'decisions', message: 'Enter the decisions made' });
  }

  // The actions.
  const kept = new Set((context.completed?.actions ?? []).flatMap((action) => (action.actionId ? [action.actionId] : [])));
  const owners = new Set([...context.allocatedWorkerIds, context.chairId]);
  const latestDue = addCalendarMonths(today, ACTION_DUE_WITHIN_MONTHS);
  const actions: ActionDraft[] = [];
  (input.actions ?? []).forEach((row, index) => {
    if (row.actionId !== undefined && row.actionId.trim() !== '') {
      // An action already assigned is kept as it was: only the amendment's new rows are read.
      if (!kept.has(row.actionId.trim()))
        errors.push({ field: 'actions', index, message: 'Each action must be an action of this supervision' });
      return;
    }
    const what = readText(errors, 'actions', row.what, { label: 'what the action is', max: ACTION_WHAT_MAX_LENGTH, index });
    const ownerId = row.ownerId?.trim() || undefined;
    const problemsBefore = errors.length;
    const dueDate = readDate(errors, 'actions', row.dueDate, { label: "the action's due date", index });
    const badText = errors.length > problemsBefore || errors.some((error) => error.field === 'actions' && error.index === index);
    if (what === undefined && ownerId === undefined && dueDate === undefined && !badText) return; // a blank row
    if (what === undefined && !errors.some((error) => error.index === index && error.message.startsWith('What the action is'))) {
      errors.push({ field: 'actions', index, message: 'Enter what the action is' });
    }
    if (ownerId === undefined) errors.push({ field: 'actions', index, message: 'Choose who owns the action' });
    else if (!owners.has(ownerId)) {
      errors.push({ field: 'actions', index, message: "Choose the action's owner from the workers allocated to the case or the chair" });
    }
    if (dueDate === undefined) {
      if (!errors.some((error) => error.index === index && error.message.startsWith("The action's due date"))) {
        errors.push({ field: 'actions', index, message: "Enter the action's due date" });
      }
    } else if (isBefore(dueDate, today)) {
      errors.push({ field: 'actions', index, message: "The action's due date must be today or in the future" });
    } else if (isAfter(dueDate, latestDue)) {
      errors.push({ field: 'actions', index, message: `The action's due date must be on or before ${localDateText(latestDue)}` });
    }
    if (what !== undefined && ownerId !== undefined && dueDate !== undefined) actions.push({ what, ownerId, dueDate });
  });
  if (kept.size + actions.length > MAX_ACTIONS_PER_SUPERVISION) {
    errors.push({ field: 'actions', message: `A supervision can set at most ${MAX_ACTIONS_PER_SUPERVISION} actions` });
  }

  // The proposed next date.
  const nextDate = readDate(errors, 'nextDate', input.nextDate, { label: 'the proposed date of the next supervision' });
  if (nextDate !== undefined) {
    const latest = nextDateBound(heldOn, today);
    if (heldOn !== undefined && !isAfter(nextDate, heldOn)) {
      errors.push({
        field: 'nextDate',
        message: 'The proposed date of the next supervision must be after the date the supervision was held',
      });
    } else if (isBefore(nextDate, today)) {
      errors.push({ field: 'nextDate', message: 'The proposed date of the next supervision must be today or in the future' });
    } else if (isAfter(nextDate, latest)) {
      errors.push({
        field: 'nextDate',
        message: `The proposed date of the next supervision must be on or before ${localDateText(latest)}, when it is due`,
      });
    } else {
      const working = workingDayOrNotCovered(nextDate);
      if (working === 'not-covered') {
        errors.push({
          field: 'nextDate',
          message: `The proposed date of the next supervision must be on or before ${LAST_COVERED_DAY_TEXT}`,
        });
      } else if (!working) {
        errors.push({
          field: 'nextDate',
          message: 'The proposed date of the next supervision must be a working day (not a weekend or bank holiday)',
        });
      }
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  const content: RecordContent = {
    attendees,
    apologies,
    actions: [...(context.completed?.actions.filter((action) => action.actionId !== undefined) ?? []), ...actions],
    ...(heldOn !== undefined ? { heldOn } : {}),
    ...(rating !== undefined && rating !== 'invalid' ? { rating } : {}),
    ...(ratingRationale !== undefined ? { ratingRationale } : {}),
    ...(discussion !== undefined ? { discussion } : {}),
    ...(risks !== undefined ? { risks } : {}),
    ...(strengths !== undefined ? { strengths } : {}),
    ...(decisions !== undefined ? { decisions } : {}),
    ...(nextDate !== undefined ? { nextDate } : {}),
  };
  return { ok: true, content };
}

export type AmendmentCheck = { ok: true; content: RecordContent; reason: string } | { ok: false; errors: FieldError<AmendmentField>[] };

/**
 * An amendment of a completed record: the record as amended, checked as for completing (with the
 * completed record's people still choosable and its actions kept as assigned; new rows are new
 * actions), and the reason, which is required.
 */
export function checkAmendment(input: AmendmentInput, context: RecordContext & { completed: RecordContent }): AmendmentCheck {
  const errors: FieldError<AmendmentField>[] = [];
  const reason = readText(errors, 'reason', input.reason, { label: 'the reason for the amendment', max: REASON_MAX_LENGTH });
  if (reason === undefined && errors.length === 0) errors.push({ field: 'reason', message: 'Enter the reason for the amendment' });
  const { reason: _reason, ...recordInput } = input;
  const record = checkRecord(recordInput, context, 'complete');
  if (!record.ok) errors.push(...record.errors);
  if (errors.length > 0 || !record.ok || reason === undefined) return { ok: false, errors };
  return { ok: true, content: record.content, reason };
}

/** The fields an amendment changed, before and after (actions: only those it added). */
export function amendmentDiff(
  before: RecordContent,
  after: RecordContent,
): { before: Partial<RecordContent>; after: Partial<RecordContent> } {
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const field of RECORD_FIELDS) {
    if (field === 'actions') continue;
    const a = before[field];
    const b = after[field];
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      if (a !== undefined) was[field] = a;
      if (b !== undefined) now[field] = b;
    }
  }
  const added = after.actions.filter((action) => action.actionId === undefined);
  if (added.length > 0) {
    was.actions = [];
    now.actions = added;
  }
  return { before: was as Partial<RecordContent>, after: now as Partial<RecordContent> };
}

/** Whether an amendment changes anything at all. */
export const amendmentChangesSomething = (diff: { before: Partial<RecordContent>; after: Partial<RecordContent> }): boolean =>
  Object.keys(diff.before).length > 0 || Object.keys(diff.after).length > 0;
