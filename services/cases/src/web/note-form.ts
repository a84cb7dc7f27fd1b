/**
 * The note form (templates/note-form.njk, partials/note-fields.njk) and the amendment form: what a
 * worker's answers mean, read leniently from the posted fields and then checked by the very schema
 * and rules the JSON routes use (domain/notes.ts), so a page can never store what the API would
 * refuse. Errors come back keyed by the form's fields, in the order the form shows them, each with
 * the id the GOV.UK error summary links to. Pure.
 */
import { validate } from '@fsp/shared/events/field-issues';
import type { CASE_WORKING_ROLES } from '@fsp/shared/people';
import { daysInMonth, localDateFromParts } from '@fsp/shared/time/local-date';
import { londonWallClockOf } from '@fsp/shared/time/london';
import {
  type AmendmentInput,
  amendmentInputSchema,
  type NoteContent,
  type NoteFieldError,
  type NoteInput,
  noteInputSchema,
  SEEN_ALONE_ANSWERS,
} from '../domain/notes';

/** A posted form as the handler parses it: a field sent twice (a checkbox group) is a list. */
export type PostedForm = Readonly<Record<string, string | string[] | undefined>>;

/** What the form shows again after a refused answer: the worker's own words, never lost. */
export interface NoteFormValues {
  type?: string;
  day?: string;
  month?: string;
  year?: string;
  time?: string;
  seen: string[];
  seenOthers?: string;
  /** By child id. */
  seenAlone: Record<string, string>;
  narrative?: string;
  significant: boolean;
  visibleTo: string[];
}

/** The form's fields, in the order it shows them: the error summary lists them in this order. */
export const NOTE_FORM_FIELDS = [
  'type',
  'contactDate',
  'contactTime',
  'seen',
  'seenOthers',
  'seenAlone',
  'narrative',
  'significant',
  'visibleTo',
] as const;
export type NoteFormField = (typeof NOTE_FORM_FIELDS)[number];

export interface FormError {
  field: NoteFormField | 'reason' | 'version';
  /** For a child's seen-alone answer: which child. */
  childId?: string;
  text: string;
  /** The id the error summary links to. */
  href: string;
}

export const SEEN_ALONE_FIELD_PREFIX = 'seenAlone-';

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
const all = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export function noteFormValues(body: PostedForm): NoteFormValues {
  const seenAlone: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    const answer = first(value);
    if (name.startsWith(SEEN_ALONE_FIELD_PREFIX) && answer !== undefined) seenAlone[name.slice(SEEN_ALONE_FIELD_PREFIX.length)] = answer;
  }
  const text = (name: string) => first(body[name]);
  const values: NoteFormValues = {
    seen: all(body.seen),
    seenAlone,
    significant: text('significant') === 'yes',
    visibleTo: all(body.visibleTo),
  };
  const optional = {
    type: text('type'),
    day: text('contactDate-day'),
    month: text('contactDate-month'),
    year: text('contactDate-year'),
    time: text('contactTime'),
    seenOthers: text('seenOthers'),
    narrative: text('narrative'),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (values as unknown as Record<string, string>)[key] = value;
  return values;
}

/** A new note's form: today's London date filled in (most notes are written the day of the contact); the time left to the worker. */
export function newNoteFormValues(now: Date): NoteFormValues {
  const wall = londonWallClockOf(now);
  return {
    day: String(wall.day),
    month: String(wall.month),
    year: String(wall.year),
    seen: [],
    seenAlone: {},
    significant: false,
    visibleTo: [],
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A draft's form: what it holds, its contact on the London wall clock. */
export function noteFormValuesOf(content: NoteContent): NoteFormValues {
  const wall = londonWallClockOf(new Date(content.occurredAt));
  return {
    type: content.type,
    day: String(wall.day),
    month: String(wall.month),
    year: String(wall.year),
    time: `${pad(wall.hour)}:${pad(wall.minute)}`,
    seen: [...content.seenPersonIds],
    ...(content.seenOthers ? { seenOthers: content.seenOthers } : {}),
    seenAlone: Object.fromEntries(content.childrenSeenAlone.map((entry) => [entry.childId, entry.answer])),
    narrative: content.narrative,
    significant: content.significant,
    visibleTo: [...content.visibleTo],
  };
}

/**
 * "9:30am", "9.30 am", "14:30", "2pm", "midday", "noon", "midnight" → "HH:MM" on the 24-hour clock;
 * undefined for anything else. A bare "9" or "9:30" is read on the 24-hour clock (9am), as people
 * write times in notes.
 */
export function parseTime(text: string): string | undefined {
  const value = text.trim().toLowerCase().replace(/\s+/g, '');
  if (value === 'midday' || value === 'noon' || value === '12noon') return '12:00';
  if (value === 'midnight' || value === '12midnight') return '00:00';
  const match = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm|a\.m\.|p\.m\.)?$/.exec(value);
  if (!match) return undefined;
  let hour = Number(match[1]);
  const minute = match[2] === undefined ? 0 : Number(match[2]);
  const suffix = match[3]?.replace(/\./g, '');
  if (minute > 59) return undefined;
  if (suffix) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (suffix === 'pm' ? 12 : 0);
  } else if (hour > 23 || match[2] === undefined) {
    // "14" alone is too easily a typo for a date; a 24-hour time has its minutes.
    return undefined;
  }
  return `${pad(hour)}:${pad(minute)}`;
}

/** The date input's three boxes as a date, or GOV.UK's message for what is missing or impossible. */
function dateOf(values: NoteFormValues): { date: string } | { error: string } {
  const [day, month, year] = [values.day, values.month, values.year].map((part) => (part ?? '').trim());
  if (!day && !month && !year) return { error: 'Enter the date of the contact' };
  const missing = [!day && 'a day', !month && 'a month', !year && 'a year'].filter(Boolean);
  if (missing.length > 0) return { error: `The date of the contact must include ${missing.join(' and ')}` };
  if (![day, month, year].every((part) => /^\d+$/.test(part ?? ''))) return { error: 'The date of the contact must be a real date' };
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  if (y < 1900 || y > 9999 || (year ?? '').length !== 4) return { error: 'The year of the contact must include 4 numbers' };
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return { error: 'The date of the contact must be a real date' };
  return { date: localDateFromParts({ year: y, month: m, day: d }) };
}

const hrefOf = (field: NoteFormField, childId?: string): string => {
  switch (field) {
    case 'contactDate':
      return '#contactDate-day';
    case 'seenAlone':
      return `#${SEEN_ALONE_FIELD_PREFIX}${childId ?? ''}`;
    default:
      return `#${field}`;
  }
};

const FIELD_OF_INPUT: Readonly<Record<keyof NoteInput, NoteFormField>> = {
  type: 'type',
  contactDate: 'contactDate',
  contactTime: 'contactTime',
  seenPersonIds: 'seen',
  seenOthers: 'seenOthers',
  childrenSeenAlone: 'seenAlone',
  narrative: 'narrative',
  significant: 'significant',
  visibleTo: 'visibleTo',
};

const formError = (field: NoteFormField, text: string, childId?: string): FormError => ({
  field,
  text,
  href: hrefOf(field, childId),
  ...(childId !== undefined ? { childId } : {}),
});

/** In the order the form shows its fields, one error per field (per child for "seen alone"). */
function ordered(errors: FormError[]): FormError[] {
  const seen = new Set<string>();
  return errors
    .filter((error) => {
      const key = `${error.field}#${error.childId ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => NOTE_FORM_FIELDS.indexOf(a.field as NoteFormField) - NOTE_FORM_FIELDS.indexOf(b.field as NoteFormField));
}

export type NoteFormCheck = { ok: true; input: NoteInput } | { ok: false; errors: FormError[] };

/**
 * The answers as the API's input, or the errors to show. The date and time are read as people type
 * them; then the API's own schema judges everything, its messages put beside the form's fields.
 */
export function checkNoteForm(values: NoteFormValues): NoteFormCheck {
  const errors: FormError[] = [];
  const date = dateOf(values);
  if ('error' in date) errors.push(formError('contactDate', date.error));
  const time = values.time?.trim() ? parseTime(values.time) : undefined;
  if (!values.time?.trim()) errors.push(formError('contactTime', 'Enter the time of the contact'));
  else if (time === undefined)
    errors.push(formError('contactTime', 'Enter the time of the contact as it shows on a clock, like 9:30am or 14:30'));

  const seenAlone = Object.entries(values.seenAlone)
    .filter(([, answer]) => (SEEN_ALONE_ANSWERS as readonly string[]).includes(answer))
    .map(([childId, answer]) => ({ childId, answer }));
  const candidate = {
    ...(values.type ? { type: values.type } : {}),
    contactDate: 'date' in date ? date.date : '2000-01-01',
    contactTime: time ?? '00:00',
    seenPersonIds: values.seen,
    ...(values.seenOthers?.trim() ? { seenOthers: values.seenOthers } : {}),
    childrenSeenAlone: seenAlone,
    narrative: values.narrative ?? '',
    significant: values.significant,
    visibleTo: values.visibleTo,
  };
  const parsed = validate(noteInputSchema, candidate);
  if (!parsed.success) {
    for (const issue of parsed.issues) {
      const key = /^\$\.(\w+)/.exec(issue.path)?.[1] as keyof NoteInput | undefined;
      const field = key ? FIELD_OF_INPUT[key] : undefined;
      // The date and time are the form's to judge (above); the schema only ever sees well-formed ones.
      if (field && field !== 'contactDate' && field !== 'contactTime') errors.push(formError(field, issue.message));
    }
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors: ordered(errors) };
  return { ok: true, input: parsed.data as NoteInput };
}

/** The domain's errors (checked against the case's network and the clock) on the form's fields. */
export const formErrorsOf = (errors: readonly NoteFieldError[]): FormError[] =>
  ordered(errors.map((error) => formError(FIELD_OF_INPUT[error.field], error.message, error.childId)));

/** The roles a note can be restricted to, in the form's words. */
export const RESTRICTION_CHOICES: ReadonlyArray<{ value: (typeof CASE_WORKING_ROLES)[number]; text: string }> = [
  { value: 'social-worker', text: 'Social workers' },
  { value: 'adult-specialist', text: 'Adult specialists' },
  { value: 'team-manager', text: 'Team managers' },
  { value: 'service-manager', text: 'Service managers' },
];

// ---- The amendment form ----

export interface AmendmentFormValues {
  reason?: string;
  narrative?: string;
  amendmentCount?: string;
}

export function amendmentFormValues(body: PostedForm): AmendmentFormValues {
  const values: AmendmentFormValues = {};
  for (const field of ['reason', 'narrative', 'amendmentCount'] as const) {
    const value = first(body[field]);
    if (value !== undefined) values[field] = value;
  }
  return values;
}

export type AmendmentFormCheck = { ok: true; input: AmendmentInput; amendmentCount?: number } | { ok: false; errors: FormError[] };

export function checkAmendmentForm(values: AmendmentFormValues): AmendmentFormCheck {
  const parsed = validate(amendmentInputSchema, { reason: values.reason ?? '', narrative: values.narrative ?? '' });
  if (!parsed.success) {
    const errors = parsed.issues.map((issue): FormError => {
      const field = issue.path === '$.reason' ? 'reason' : 'narrative';
      return { field, text: issue.message, href: `#${field}` };
    });
    return { ok: false, errors };
  }
  const count = values.amendmentCount !== undefined && /^\d{1,4}$/.test(values.amendmentCount) ? Number(values.amendmentCount) : undefined;
  return { ok: true, input: parsed.data, ...(count !== undefined ? { amendmentCount: count } : {}) };
}
