/**
 * The record form as the browser sends it and as the page draws it. GOV.UK date inputs (day,
 * month, year) become the YYYY-MM-DD the domain reads; who attended is one radio group per worker
 * (attended, sent apologies, neither), so nobody can be in both lists; actions are numbered rows.
 * The rules are the domain's (domain/record.ts checkRecord): this module only carries values and
 * puts each message by its field. Pure.
 */
import type { LocalDate } from '@fsp/shared/time/local-date';
import type { FieldError } from '../domain/fields';
import type { ActionDraft, RecordContent } from '../domain/model';

export type FormBody = Readonly<Record<string, string | string[] | undefined>>;

export const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

export interface DateValues {
  day: string;
  month: string;
  year: string;
}

export interface ActionRowValues {
  actionId?: string;
  what: string;
  ownerId: string;
  due: DateValues;
}

export const PRESENCE = ['attended', 'apologies', 'absent'] as const;
export type Presence = (typeof PRESENCE)[number];

export interface RecordFormValues {
  heldOn: DateValues;
  presence: Record<string, Presence>;
  rating: string;
  ratingRationale: string;
  discussion: string;
  risks: string;
  strengths: string;
  decisions: string;
  nextDate: DateValues;
  actions: ActionRowValues[];
  reason: string;
}

const BLANK_DATE: DateValues = { day: '', month: '', year: '' };
export const MAX_ROWS = 20;

const dateValues = (body: FormBody, prefix: string): DateValues => ({
  day: (first(body[`${prefix}-day`]) ?? '').trim(),
  month: (first(body[`${prefix}-month`]) ?? '').trim(),
  year: (first(body[`${prefix}-year`]) ?? '').trim(),
});

const splitDate = (date: LocalDate | undefined): DateValues => {
  if (date === undefined) return BLANK_DATE;
  const [year = '', month = '', day = ''] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
};

/** YYYY-MM-DD from the three boxes; '' when all are blank; something the domain refuses as "not a real date" when they do not make one. */
export function dateOf(values: DateValues): string {
  const { day, month, year } = values;
  if (day === '' && month === '' && year === '') return '';
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return 'not-a-date';
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

export const rowIsBlank = (row: ActionRowValues) =>
  row.actionId === undefined && row.what.trim() === '' && row.ownerId === '' && dateOf(row.due) === '';

/** What the browser sent, as the form holds it. `people` are those who may attend (for the radios). */
export function recordFormValues(body: FormBody, people: readonly string[]): RecordFormValues {
  const rowsText = first(body.actionRows) ?? '0';
  const rows = /^\d{1,2}$/.test(rowsText) ? Math.min(Number(rowsText), MAX_ROWS + 1) : 0;
  const actions: ActionRowValues[] = [];
  for (let index = 0; index < rows; index += 1) {
    const actionId = first(body[`action${index}Id`]);
    actions.push({
      ...(actionId ? { actionId } : {}),
      what: first(body[`action${index}What`]) ?? '',
      ownerId: first(body[`action${index}Owner`]) ?? '',
      due: dateValues(body, `action${index}Due`),
    });
  }
  const presence: Record<string, Presence> = {};
  for (const userId of people) {
    const value = first(body[`presence-${userId}`]);
    presence[userId] = value === 'attended' || value === 'apologies' ? value : 'absent';
  }
  return {
    heldOn: dateValues(body, 'heldOn'),
    presence,
    rating: first(body.rating) ?? '',
    ratingRationale: first(body.ratingRationale) ?? '',
    discussion: first(body.discussion) ?? '',
    risks: first(body.risks) ?? '',
    strengths: first(body.strengths) ?? '',
    decisions: first(body.decisions) ?? '',
    nextDate: dateValues(body, 'nextDate'),
    actions,
    reason: first(body.reason) ?? '',
  };
}

/** The stored content (a draft, or the completed record to amend) as the form's values. */
export function recordFormValuesOf(content: RecordContent | undefined, people: readonly string[]): RecordFormValues {
  const presence: Record<string, Presence> = {};
  for (const userId of new Set([...people, ...(content?.attendees ?? []), ...(content?.apologies ?? [])])) {
    presence[userId] = content?.attendees.includes(userId) ? 'attended' : content?.apologies.includes(userId) ? 'apologies' : 'absent';
  }
  return {
    heldOn: splitDate(content?.heldOn),
    presence,
    rating: content?.rating ?? '',
    ratingRationale: content?.ratingRationale ?? '',
    discussion: content?.discussion ?? '',
    risks: content?.risks ?? '',
    strengths: content?.strengths ?? '',
    decisions: content?.decisions ?? '',
    nextDate: splitDate(content?.nextDate),
    actions: (content?.actions ?? []).map((action: ActionDraft) => ({
      ...(action.actionId ? { actionId: action.actionId } : {}),
      what: action.what,
      ownerId: action.ownerId,
      due: splitDate(action.dueDate),
    })),
    reason: '',
  };
}

/** The values as the domain's input (recordInputSchema's shape): blank rows left out, as the domain would. */
export function recordInputOf(values: RecordFormValues) {
  const ids = (wanted: Presence) =>
    Object.entries(values.presence)
      .filter(([, presence]) => presence === wanted)
      .map(([userId]) => userId);
  return {
    heldOn: dateOf(values.heldOn),
    attendees: ids('attended'),
    apologies: ids('apologies'),
    rating: values.rating,
    ratingRationale: values.ratingRationale,
    discussion: values.discussion,
    risks: values.risks,
    strengths: values.strengths,
    decisions: values.decisions,
    nextDate: dateOf(values.nextDate),
    actions: values.actions
      .filter((row) => !rowIsBlank(row))
      .map((row) => ({
        ...(row.actionId ? { actionId: row.actionId } : {}),
        what: row.what,
        ownerId: row.ownerId,
        dueDate: dateOf(row.due),
      })),
    reason: values.reason,
  };
}

/** Each row's index in the input the domain checked → its row on the form (blank rows were left out). */
export function rowIndexes(values: RecordFormValues): number[] {
  return values.actions.flatMap((row, index) => (rowIsBlank(row) ? [] : [index]));
}

export interface FormError {
  field: string;
  text: string;
  href: string;
}

/** GOV.UK's date messages do not ask for a format the boxes do not have. */
const plain = (message: string) => message.replace(/, written as YYYY-MM-DD$/, '');

/** The domain's messages on the form's fields (the error summary's links and each field's own message). */
export function recordFormErrors(errors: readonly FieldError[], values: RecordFormValues, people: readonly string[]): FormError[] {
  const rows = rowIndexes(values);
  return errors.map((error) => {
    const text = plain(error.message);
    switch (error.field) {
      case 'heldOn':
      case 'nextDate':
        return { field: error.field, text, href: `#${error.field}-day` };
      case 'attendees':
      case 'apologies':
        return { field: 'presence', text, href: people[0] ? `#presence-${people[0]}` : '#presence' };
      case 'actions': {
        const row = error.index === undefined ? 0 : (rows[error.index] ?? error.index);
        const part = /\bown/i.test(text) ? 'Owner' : /due date/i.test(text) ? 'Due' : 'What';
        const field = `action${row}${part}`;
        return { field, text, href: part === 'Due' ? `#${field}-day` : `#${field}` };
      }
      default:
        return { field: error.field, text, href: `#${error.field}` };
    }
  });
}

/** The error summary and each field's message, as the templates read them. */
export const formErrorsData = (errors: readonly FormError[]) => ({
  errors: errors.map((error) => ({ text: error.text, href: error.href })),
  errorOf: Object.fromEntries(errors.map((error) => [error.field, error.text])),
});
