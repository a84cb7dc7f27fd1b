/**
 * Motivational interviewing's pages (templates/motivation.njk, motivation-form.njk): each adult's
 * stage of change per concern as summary cards, latest first with the change said ("Contemplation
 * → Preparation"); and the form recording one assessment, read leniently from the posted fields,
 * judged by the schema the JSON API uses (http/motivation-api.ts STAGE_INPUT), its errors in the
 * order the form shows them with the ids the error summary links to. Pure.
 */
import { daysInMonth, type LocalDate, localDateFromParts } from '@fsp/shared/time/local-date';
import { londonDateText } from '@fsp/shared/time/london-words';
import { localDateText } from '@fsp/shared/time/words';
import { type CaseMotivation, CONCERN_WORDS, CONCERNS, STAGE_WORDS, STAGES, type StageInput, stageHistories } from '../domain/motivation';
import { adultsOf, STAGE_INPUT } from '../http/motivation-api';
import type { CaseFile } from '../store/case-store';
import { caseHeaderView } from './case-view';

export type PostedForm = Readonly<Record<string, string | string[] | undefined>>;

export const motivationHref = (caseId: string) => `/cases/${caseId}/motivation`;
export const motivationFormHref = (caseId: string) => `/cases/${caseId}/motivation/new`;

const FIELDS = ['personId', 'concern', 'otherConcern', 'stage', 'assessedOn-day', 'assessedOn-month', 'assessedOn-year', 'note'] as const;
/** The form's fields in the order it shows them: the error summary lists errors in this order. */
const ORDER = ['personId', 'concern', 'otherConcern', 'stage', 'assessedOn', 'note'];

export type MotivationFormValues = Record<string, string>;
export interface FormError {
  field: string;
  text: string;
  href?: string;
}

const first = (value: string | string[] | undefined): string => (Array.isArray(value) ? (value[0] ?? '') : (value ?? ''));

export function motivationFormValues(body: PostedForm): MotivationFormValues {
  return Object.fromEntries(FIELDS.map((name) => [name, first(body[name])]));
}

const hrefOf = (field: string): string => (field === 'assessedOn' ? '#assessedOn-day' : `#${field}`);
const formError = (field: string, text: string): FormError => ({ field, text, ...(field === 'case' ? {} : { href: hrefOf(field) }) });

/** The date input's three boxes as a date, or GOV.UK's message for what is missing or impossible. */
export function dateFromBoxes(values: Record<string, string>, name: string, what: string): { date: LocalDate } | { error: string } {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => (values[`${name}-${part}`] ?? '').trim()) as [string, string, string];
  const capital = what.charAt(0).toUpperCase() + what.slice(1);
  if (!day && !month && !year) return { error: `Enter ${what}` };
  const missing = [!day && 'a day', !month && 'a month', !year && 'a year'].filter(Boolean);
  if (missing.length > 0) return { error: `${capital} must include ${missing.join(' and ')}` };
  if (![day, month, year].every((part) => /^\d+$/.test(part))) return { error: `${capital} must be a real date` };
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  if (year.length !== 4 || y < 1900) return { error: `The year of ${what} must include 4 numbers, like 2026` };
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return { error: `${capital} must be a real date` };
  return { date: localDateFromParts({ year: y, month: m, day: d }) };
}

const MISSING: Record<string, string> = {
  personId: 'Select the adult',
  concern: 'Select the concern',
  otherConcern: 'Enter what the other concern is',
  stage: 'Select the stage of change',
  note: 'Enter a short note on what you saw and heard',
};

export type MotivationFormCheck = { ok: true; input: StageInput } | { ok: false; errors: FormError[] };

export function checkMotivationForm(values: MotivationFormValues): MotivationFormCheck {
  const errors: FormError[] = [];
  const date = dateFromBoxes(values, 'assessedOn', 'the date you assessed the stage');
  if ('error' in date) errors.push(formError('assessedOn', date.error));
  const concern = values.concern ?? '';
  if (concern === 'other' && !(values.otherConcern ?? '').trim()) errors.push(formError('otherConcern', MISSING.otherConcern as string));
  const candidate = {
    personId: values.personId,
    concern,
    ...(concern === 'other' ? { otherConcern: values.otherConcern ?? '' } : {}),
    stage: values.stage,
    assessedOn: 'date' in date ? date.date : '2000-01-01',
    note: values.note ?? '',
  };
  const parsed = STAGE_INPUT.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'case');
      if (errors.some((error) => error.field === field)) continue;
      const tooLong = issue.code === 'too_big';
      const text =
        field === 'note' && tooLong
          ? 'The note must be 1,000 characters or fewer'
          : field === 'otherConcern' && tooLong
            ? 'The other concern must be 200 characters or fewer'
            : (MISSING[field] ?? 'Check this answer');
      errors.push(formError(field, text));
    }
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => ORDER.indexOf(a.field) - ORDER.indexOf(b.field)) };
  return { ok: true, input: (parsed as { data: StageInput }).data };
}

/** A refusal of the domain's, on the form's field. */
export const motivationRefusalError = (field: string, reason: string): FormError => formError(field, reason);

/** The form's data: each choice with what was chosen, what was typed, each field's message. */
export function motivationFormView(file: Pick<CaseFile, 'network'>, values: MotivationFormValues, errors: readonly FormError[]) {
  const chosen = (name: string, value: string) => values[name] === value;
  return {
    values,
    errors: errors.map((error) => ({ text: error.text, ...(error.href ? { href: error.href } : {}) })),
    errorOf: Object.fromEntries(errors.map((error) => [error.field, error.text])),
    adults: adultsOf(file).map((adult) => ({ value: adult.personId, text: adult.name, checked: chosen('personId', adult.personId) })),
    concerns: CONCERNS.map((concern) => ({ value: concern, text: CONCERN_WORDS[concern], checked: chosen('concern', concern) })),
    stages: STAGES.map((stage) => ({
      value: stage,
      text: STAGE_WORDS[stage].name,
      hint: { text: STAGE_WORDS[stage].meaning },
      checked: chosen('stage', stage),
    })),
  };
}

export const emptyMotivationValues = (query: PostedForm): MotivationFormValues => ({
  ...Object.fromEntries(FIELDS.map((name) => [name, ''])),
  personId: first(query.personId),
  concern: (CONCERNS as readonly string[]).includes(first(query.concern)) ? first(query.concern) : '',
  otherConcern: first(query.otherConcern).slice(0, 200),
});

const stageName = (stage: keyof typeof STAGE_WORDS) => STAGE_WORDS[stage].name;

/** The page: the case's header with this page beside its others, each adult's histories, and whether this worker may record. */
export function motivationPageView(file: CaseFile, motivation: CaseMotivation, options: { mayRecord: boolean }) {
  const { record } = file;
  const caseId = record.caseId;
  const header = caseHeaderView(record, 'overview');
  const adults = adultsOf(file);
  const histories = stageHistories(
    motivation.records,
    adults.map((adult) => adult.personId),
  );
  return {
    caseHeader: {
      ...header,
      navigation: [
        ...header.navigation.map((item) => ({ ...item, active: false })),
        { text: 'Stages of change', href: motivationHref(caseId), active: true },
      ],
    },
    ...(options.mayRecord && adults.length > 0 ? { recordHref: motivationFormHref(caseId) } : {}),
    noAdults: adults.length === 0,
    familyHref: `/cases/${caseId}/family`,
    adults: [
      ...histories.map((history) => {
        const adult = adults.find((each) => each.personId === history.personId);
        return {
          id: `adult-${history.personId}`,
          name: adult?.name ?? 'An adult no longer in the network',
          concerns: history.concerns.map((concern) => {
            const latest = concern.entries[0]?.record;
            const concernText = concern.otherConcern ? `Other: ${concern.otherConcern}` : CONCERN_WORDS[concern.concern];
            const query = new URLSearchParams({
              personId: history.personId,
              concern: concern.concern,
              ...(concern.otherConcern ? { otherConcern: concern.otherConcern } : {}),
            });
            return {
              title: concernText,
              latest: latest ? stageName(latest.stage) : '',
              ...(options.mayRecord && adult ? { recordHref: `${motivationFormHref(caseId)}?${query.toString()}` } : {}),
              entries: concern.entries.map(({ record: entry, changedFrom, first: isFirst }) => ({
                stage: stageName(entry.stage),
                change: changedFrom
                  ? `${stageName(changedFrom)} → ${stageName(entry.stage)}`
                  : isFirst
                    ? 'First assessed'
                    : `Still ${stageName(entry.stage).toLowerCase()}`,
                changed: changedFrom !== undefined,
                assessedOn: localDateText(entry.assessedOn),
                note: entry.note,
                by: `${entry.by.name}, recorded ${londonDateText(new Date(entry.recordedAt))}`,
              })),
            };
          }),
        };
      }),
      ...adults
        .filter((adult) => !histories.some((history) => history.personId === adult.personId))
        .map((adult) => ({ id: `adult-${adult.personId}`, name: adult.name, concerns: [] })),
    ],
    version: motivation.version,
  };
}
