/**
 * The forms of the statutory path's steps (templates/path-step.njk): what a worker's answers mean,
 * read leniently from the posted fields, turned into the JSON shape the API takes, and judged by
 * the very schema the API uses (http/path-work.ts STEP_INPUTS), so a page can never send what the
 * API would refuse. Errors come back keyed by the form's fields, in the order the form shows them,
 * each in GOV.UK's words with the id the error summary links to. Pure.
 */
import { wholeNumber } from '@fsp/shared/numbers';
import { daysInMonth, type LocalDate, localDateFromParts } from '@fsp/shared/time/local-date';
import type * as z from 'zod/mini';
import {
  ASSESSMENT_OUTCOME_WORDS,
  ASSESSMENT_OUTCOMES,
  CATEGORIES_OF_ABUSE,
  CLOSURE_REASON_CODES,
  PRIMARY_NEED_CODES,
} from '../domain/path';
import { type PathStepName, STEP_INPUTS, type StepInput } from '../http/path-work';
import { categoryText, closureReasonText, FACTOR_GROUPS, FACTOR_WORDS, primaryNeedText } from './path-codes';

/** A posted form as the handler parses it: a field sent twice (a checkbox group) is a list. */
export type PostedForm = Readonly<Record<string, string | string[] | undefined>>;

export interface PersonRow {
  name: string;
  relationship: string;
  helps: string;
}

/** What the form shows again after a refused answer: the worker's own words, never lost. */
export interface PathFormValues {
  /** Each single-valued field as typed or chosen; a date's three boxes as `<name>-day`, `-month`, `-year`. */
  fields: Record<string, string>;
  factors: string[];
  /** The closure's sustainability plan: every row shown, blank ones included. */
  people: PersonRow[];
}

export interface FormError {
  /** The form's field ('people-2-name' for a row's box), or 'case' for what the case's state forbids (no field to link). */
  field: string;
  text: string;
  /** The id the error summary links to; absent for 'case'. */
  href?: string;
}

/** The sustainability plan shows three rows of people, blank ones ignored; "Add another person" adds one, up to the API's 20. */
export const PEOPLE_ROWS = 3;
export const MAX_PEOPLE_ROWS = 20;
const PERSON_PARTS = ['name', 'relationship', 'helps'] as const;

type DateSpec = { kind: 'date'; name: string; what: string };
type ChoiceSpec = { kind: 'choice'; name: string; missing: string };
type TextSpec = { kind: 'text'; name: string; missing: string; label: string };
type FieldSpec = DateSpec | ChoiceSpec | TextSpec | { kind: 'factors' } | { kind: 'people' };

const date = (name: string, what: string): DateSpec => ({ kind: 'date', name, what });
const choice = (name: string, missing: string): ChoiceSpec => ({ kind: 'choice', name, missing });
const text = (name: string, missing: string, label: string): TextSpec => ({ kind: 'text', name, missing, label });

/** Each step's fields in the order its form shows them: the error summary lists errors in this order. */
const FIELDS: Readonly<Record<PathStepName, readonly FieldSpec[]>> = {
  'complete-assessment': [
    date('completedOn', 'the date you authorised the assessment'),
    { kind: 'factors' },
    choice('primaryNeed', 'Select the child’s primary need'),
    choice('outcome', 'Select what the assessment concluded'),
    choice('familySafeguardingEligible', 'Select whether the family is eligible for Family Safeguarding'),
    text('summary', 'Enter a summary of the assessment', 'The summary'),
  ],
  'strategy-discussion': [
    date('heldOn', 'the date of the strategy discussion'),
    choice('section47', 'Select whether the strategy discussion decided on a section 47 enquiry'),
    text('reason', 'Enter what the strategy discussion decided and why', 'What it decided'),
  ],
  'conference-not-required': [
    date('decidedOn', 'the date it was decided'),
    text('reason', 'Enter why an initial child protection conference is not required', 'The reason'),
  ],
  'initial-conference': [
    date('heldOn', 'the date of the conference'),
    choice('outcome', 'Select what the conference decided'),
    choice('category', 'Select the category of abuse'),
  ],
  'cp-review': [
    date('heldOn', 'the date of the review'),
    choice('outcome', 'Select what the review decided'),
    choice('category', 'Select the latest category of abuse'),
  ],
  'start-cin-plan': [date('startedOn', 'the date the plan started')],
  'looked-after': [
    date('from', 'the date the child became looked after'),
    text('reason', 'Enter why the child became looked after', 'The reason'),
  ],
  close: [
    date('closedOn', 'the date the case closed'),
    choice('reasonCode', 'Select the reason for closing the case'),
    { kind: 'people' },
    text('sustainabilitySummary', 'Enter how the family’s network will keep progress going', 'The plan'),
    choice('stepDownToEarlyHelp', 'Select whether the family steps down to early help'),
  ],
};

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
const all = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The rows of people posted (`people-<n>-name` …), numbered from 1 as the form shows them. */
function peopleOf(body: PostedForm): PersonRow[] {
  let rows = 0;
  for (const name of Object.keys(body)) {
    const row = Number(/^people-(\d{1,2})-(?:name|relationship|helps)$/.exec(name)?.[1]);
    if (row >= 1 && row <= MAX_PEOPLE_ROWS) rows = Math.max(rows, row);
  }
  return Array.from({ length: Math.max(rows, PEOPLE_ROWS) }, (_, index) => ({
    name: first(body[`people-${index + 1}-name`]) ?? '',
    relationship: first(body[`people-${index + 1}-relationship`]) ?? '',
    helps: first(body[`people-${index + 1}-helps`]) ?? '',
  }));
}

/** The names a step's form posts, besides the factors and the people. */
function singleNamesOf(step: PathStepName): string[] {
  return FIELDS[step].flatMap((spec) => {
    if (spec.kind === 'date') return [`${spec.name}-day`, `${spec.name}-month`, `${spec.name}-year`];
    if (spec.kind === 'choice' || spec.kind === 'text') return [spec.name];
    return [];
  });
}

export function pathFormValues(step: PathStepName, body: PostedForm): PathFormValues {
  const fields: Record<string, string> = {};
  for (const name of singleNamesOf(step)) {
    const value = first(body[name]);
    if (value !== undefined) fields[name] = value;
  }
  return {
    fields,
    factors: step === 'complete-assessment' ? all(body.factors) : [],
    people: step === 'close' ? peopleOf(body) : [],
  };
}

/** A step's form before anything is typed. */
export const emptyPathFormValues = (step: PathStepName): PathFormValues => ({
  fields: {},
  factors: [],
  people: step === 'close' ? Array.from({ length: PEOPLE_ROWS }, () => ({ name: '', relationship: '', helps: '' })) : [],
});

/** The values with one more blank row of people (the no-JavaScript "Add another person"), up to the most the API takes. */
export const withAnotherPerson = (values: PathFormValues): PathFormValues => ({
  ...values,
  people: values.people.length < MAX_PEOPLE_ROWS ? [...values.people, { name: '', relationship: '', helps: '' }] : values.people,
});

const capitalised = (words: string): string => words.charAt(0).toUpperCase() + words.slice(1);

/** The date input's three boxes as a date, or GOV.UK's message for what is missing or impossible. */
function dateOf(values: PathFormValues, spec: DateSpec): { date: LocalDate } | { error: string } {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => (values.fields[`${spec.name}-${part}`] ?? '').trim());
  if (!day && !month && !year) return { error: `Enter ${spec.what}` };
  const missing = [!day && 'a day', !month && 'a month', !year && 'a year'].filter(Boolean);
  if (missing.length > 0) return { error: `${capitalised(spec.what)} must include ${missing.join(' and ')}` };
  if (![day, month, year].every((part) => /^\d+$/.test(part ?? ''))) return { error: `${capitalised(spec.what)} must be a real date` };
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  if ((year ?? '').length !== 4 || y < 1900) return { error: `The year of ${spec.what} must include 4 numbers, like 2026` };
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return { error: `${capitalised(spec.what)} must be a real date` };
  return { date: localDateFromParts({ year: y, month: m, day: d }) };
}

const hrefOfField = (step: PathStepName, field: string): string => {
  const spec = FIELDS[step].find((candidate) => 'name' in candidate && candidate.name === field);
  if (spec?.kind === 'date') return `#${field}-day`;
  if (field === 'people') return '#people-1-name';
  return `#${field}`;
};

const formError = (step: PathStepName, field: string, message: string): FormError => ({
  field,
  text: message,
  href: hrefOfField(step, field),
});

/** Where a field sits in its form, for the error summary's order: a person's boxes at the people's place, row by row. */
function orderOf(step: PathStepName, field: string): number {
  const person = /^people-(\d+)-(\w+)$/.exec(field);
  const key = person ? 'people' : field;
  const index = FIELDS[step].findIndex((spec) => ('name' in spec ? spec.name : spec.kind) === key);
  const within = person ? Number(person[1]) * 3 + PERSON_PARTS.indexOf(person[2] as (typeof PERSON_PARTS)[number]) : 0;
  return (index < 0 ? FIELDS[step].length : index) * 1000 + within;
}

function ordered(step: PathStepName, errors: FormError[]): FormError[] {
  const seen = new Set<string>();
  return errors
    .filter((error) => {
      if (seen.has(error.field)) return false;
      seen.add(error.field);
      return true;
    })
    .sort((a, b) => orderOf(step, a.field) - orderOf(step, b.field));
}

const yesNo = (value: string | undefined): boolean | undefined => (value === 'yes' ? true : value === 'no' ? false : undefined);
const chosen = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** A row counts when any of its boxes is filled; blank rows are the form's spare ones. */
const filledRows = (values: PathFormValues) =>
  values.people
    .map((person, index) => ({ person, row: index + 1 }))
    .filter(({ person }) => PERSON_PARTS.some((part) => person[part].trim()));

/** The JSON shape STEP_INPUTS[step] takes, from the answers; a date the form could not read is left out (its error is the form's). */
function candidateOf(step: PathStepName, values: PathFormValues, dates: Record<string, LocalDate>): Record<string, unknown> {
  const field = (name: string) => values.fields[name];
  const base: Record<string, unknown> = { ...dates };
  switch (step) {
    case 'complete-assessment':
      return {
        ...base,
        factors: values.factors,
        primaryNeed: chosen(field('primaryNeed')),
        outcome: chosen(field('outcome')),
        familySafeguardingEligible: yesNo(field('familySafeguardingEligible')),
        summary: field('summary') ?? '',
      };
    case 'strategy-discussion':
      return { ...base, section47: yesNo(field('section47')), reason: field('reason') ?? '' };
    case 'conference-not-required':
    case 'looked-after':
      return { ...base, reason: field('reason') ?? '' };
    case 'initial-conference': {
      const outcome = chosen(field('outcome'));
      // The category belongs to a plan: a conference without one sends none, whatever the hidden radios hold.
      return { ...base, outcome, ...(outcome === 'cp-plan' ? { category: chosen(field('category')) } : {}) };
    }
    case 'cp-review':
      return { ...base, outcome: chosen(field('outcome')), category: chosen(field('category')) };
    case 'start-cin-plan':
      return base;
    case 'close':
      return {
        ...base,
        reasonCode: chosen(field('reasonCode')),
        sustainabilityPlan: {
          people: filledRows(values).map(({ person }) => person),
          summary: field('sustainabilitySummary') ?? '',
        },
        stepDownToEarlyHelp: yesNo(field('stepDownToEarlyHelp')),
      };
  }
}

type Issue = z.core.$ZodIssue;

const PERSON_WORDS: Readonly<Record<(typeof PERSON_PARTS)[number], { missing: string; label: string; max: string }>> = {
  name: { missing: 'Enter the name of person', label: 'The name of person', max: '200' },
  relationship: { missing: 'Enter who person', label: 'Who person', max: '200' },
  helps: { missing: 'Enter how person', label: 'How person', max: '1,000' },
};

/** A person's box's message: "Enter the name of person 2", "Enter who person 2 is to the family". */
function personMessage(part: (typeof PERSON_PARTS)[number], row: number, tooLong: boolean): string {
  const words = PERSON_WORDS[part];
  const tail = part === 'relationship' ? ' is to the family' : part === 'helps' ? ' helps' : '';
  return tooLong ? `${words.label} ${row}${tail} must be ${words.max} characters or fewer` : `${words.missing} ${row}${tail}`;
}

/** A schema issue as the form's field and GOV.UK's words for it. */
function errorOfIssue(step: PathStepName, issue: Issue, rows: readonly number[]): FormError | undefined {
  const [top, second, index, part] = issue.path;
  if (step === 'close' && top === 'sustainabilityPlan') {
    if (
      second === 'people' &&
      typeof index === 'number' &&
      typeof part === 'string' &&
      (PERSON_PARTS as readonly string[]).includes(part)
    ) {
      const row = rows[index] ?? index + 1;
      const personPart = part as (typeof PERSON_PARTS)[number];
      return {
        field: `people-${row}-${part}`,
        text: personMessage(personPart, row, issue.code === 'too_big'),
        href: `#people-${row}-${part}`,
      };
    }
    if (second === 'people') return formError(step, 'people', 'No more than 20 people can be named in the plan');
    return errorOfIssue(step, { ...issue, path: ['sustainabilitySummary'] } as Issue, rows);
  }
  const name = typeof top === 'string' ? top : undefined;
  if (name === 'factors') return formError(step, 'factors', 'Select the factors identified from the list, or ‘No factors identified’');
  const spec = FIELDS[step].find((candidate) => 'name' in candidate && candidate.name === name);
  if (!spec || !('name' in spec)) return undefined;
  if (spec.kind === 'text') {
    const maximum = issue.code === 'too_big' ? Number(issue.maximum) : undefined;
    return formError(
      step,
      spec.name,
      maximum !== undefined ? `${spec.label} must be ${wholeNumber(maximum)} characters or fewer` : spec.missing,
    );
  }
  if (spec.kind === 'choice') return formError(step, spec.name, spec.missing);
  return undefined;
}

export type PathFormCheck<S extends PathStepName> = { ok: true; input: StepInput<S> } | { ok: false; errors: FormError[] };

/**
 * The answers as the API's input, or the errors to show. Dates are read as people type them; then
 * the API's own schema judges everything, its issues put beside the form's fields in the form's words.
 */
export function checkPathForm<S extends PathStepName>(step: S, values: PathFormValues): PathFormCheck<S> {
  const errors: FormError[] = [];
  const dates: Record<string, LocalDate> = {};
  for (const spec of FIELDS[step]) {
    if (spec.kind !== 'date') continue;
    const read = dateOf(values, spec);
    if ('error' in read) errors.push(formError(step, spec.name, read.error));
    else dates[spec.name] = read.date;
  }
  // The schema takes an empty list (the domain refuses it); said here too, so that one send names every field to answer.
  if (step === 'complete-assessment' && values.factors.length === 0) {
    errors.push(formError(step, 'factors', 'Select the factors identified, or ‘No factors identified’'));
  }
  const unreadDates = new Set(FIELDS[step].flatMap((spec) => (spec.kind === 'date' && !(spec.name in dates) ? [spec.name] : [])));
  const rows = filledRows(values).map(({ row }) => row);
  const parsed = STEP_INPUTS[step].safeParse(candidateOf(step, values, dates));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // A date the form could not read is already named, in the form's words.
      if (unreadDates.has(String(issue.path[0]))) continue;
      const error = errorOfIssue(step, issue, rows);
      // Every field a schema can name is one the form shows; anything else would be a change to STEP_INPUTS the form has not caught up with.
      errors.push(error ?? { field: 'case', text: `${String(issue.path.join('.'))}: ${issue.message}` });
    }
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors: ordered(step, errors) };
  return { ok: true, input: parsed.data as StepInput<S> };
}

/** The domain's refusal on the form: its field's message, or the case's (no field to link) at the top. */
export function refusalError(step: PathStepName, field: string, reason: string): FormError {
  if (field === 'case') return { field: 'case', text: reason };
  if (field === 'sustainabilityPlan') return formError(step, 'people', reason);
  return formError(step, field, reason);
}

// ---- What the template shows ----

interface ChoiceItem {
  value: string;
  text: string;
  checked: boolean;
  hint?: { text: string };
}

const items = (values: readonly string[], textOf: (value: string) => string, selected: string | undefined): ChoiceItem[] =>
  values.map((value) => ({ value, text: textOf(value), checked: value === selected }));

const yesNoItems = (selected: string | undefined, yes = 'Yes', no = 'No'): ChoiceItem[] => [
  { value: 'yes', text: yes, checked: selected === 'yes' },
  { value: 'no', text: no, checked: selected === 'no' },
];

const CONFERENCE_OUTCOMES: ReadonlyArray<{ value: string; text: string }> = [
  { value: 'cp-plan', text: 'A child protection plan' },
  { value: 'no-plan', text: 'No child protection plan' },
];

const REVIEW_OUTCOMES: ReadonlyArray<{ value: string; text: string; hint: string }> = [
  { value: 'continue', text: 'The plan continues', hint: 'The next review is due in 6 months.' },
  {
    value: 'step-down',
    text: 'The plan ends: step down to a child in need plan',
    hint: 'The child in need plan starts on the day of the review.',
  },
];

/** What the closure reasons mean for the worker choosing one. */
const CLOSURE_HINTS: Readonly<Partial<Record<string, string>>> = {
  RC8: 'Only for a case closed straight after its assessment.',
  RC9: 'Only for a case closed straight after its assessment. Say below that the family steps down to early help.',
};

/** The step form's view (templates/path-step.njk): each field's items, values and message. */
export function pathFormView(values: PathFormValues, errors: readonly FormError[]) {
  const field = (name: string) => values.fields[name];
  const errorOf = Object.fromEntries(errors.filter((error) => error.field !== 'case').map((error) => [error.field, error.text]));
  const selectedFactors = new Set(values.factors);
  return {
    values: values.fields,
    errors: errors.map((error) => ({ text: error.text, ...(error.href ? { href: error.href } : {}) })),
    errorOf,
    items: {
      primaryNeed: items(PRIMARY_NEED_CODES, (code) => primaryNeedText(code as (typeof PRIMARY_NEED_CODES)[number]), field('primaryNeed')),
      assessmentOutcome: items(
        ASSESSMENT_OUTCOMES,
        (outcome) => capitalised(ASSESSMENT_OUTCOME_WORDS[outcome as (typeof ASSESSMENT_OUTCOMES)[number]]),
        field('outcome'),
      ),
      familySafeguardingEligible: yesNoItems(field('familySafeguardingEligible'), 'Yes, eligible', 'No, not eligible'),
      section47: yesNoItems(field('section47'), 'Yes, a section 47 enquiry starts', 'No section 47 enquiry'),
      conferenceOutcome: CONFERENCE_OUTCOMES.map((outcome) => ({ ...outcome, checked: field('outcome') === outcome.value })),
      reviewOutcome: REVIEW_OUTCOMES.map(({ hint, ...outcome }) => ({
        ...outcome,
        hint: { text: hint },
        checked: field('outcome') === outcome.value,
      })),
      category: items(CATEGORIES_OF_ABUSE, (code) => categoryText(code as (typeof CATEGORIES_OF_ABUSE)[number]), field('category')),
      reasonCode: CLOSURE_REASON_CODES.map((code) => ({
        value: code,
        text: closureReasonText(code),
        checked: field('reasonCode') === code,
        ...(CLOSURE_HINTS[code] ? { hint: { text: CLOSURE_HINTS[code] } } : {}),
      })),
      stepDownToEarlyHelp: yesNoItems(field('stepDownToEarlyHelp'), 'Yes, the family steps down to early help', 'No'),
    },
    factorGroups: FACTOR_GROUPS.map((group, index) => ({
      legend: group.legend,
      // The first group's first box is the field the error summary links to (`#factors`).
      idPrefix: index === 0 ? 'factors' : `factors-${group.subject}`,
      items: group.codes.map((code) => ({ value: code, text: `${code} ${FACTOR_WORDS[code]}`, checked: selectedFactors.has(code) })),
    })),
    people: values.people.map((person, index) => {
      const row = index + 1;
      return {
        row,
        ...person,
        errorOf: Object.fromEntries(PERSON_PARTS.map((part) => [part, errorOf[`people-${row}-${part}`]]).filter(([, message]) => message)),
      };
    }),
    mayAddPerson: values.people.length < MAX_PEOPLE_ROWS,
  };
}
