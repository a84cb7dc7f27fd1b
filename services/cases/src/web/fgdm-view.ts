/**
 * Family group decision making's pages (templates/fgdm.njk, fgdm-step.njk): the offers, the
 * conferences with who came and the family's own plan, and a warning while none has been held
 * (one is required before pre-proceedings); pre-proceedings, started and ended by the team manager;
 * and each step's form, read leniently from the posted
 * fields, judged by the schema the JSON API uses (http/fgdm-api.ts FGDM_INPUTS), its errors in the
 * order the form shows them with the ids the error summary links to. Pure.
 */
import { londonDateText } from '@fsp/shared/time/london-words';
import { localDateText } from '@fsp/shared/time/words';
import {
  type CaseFgdm,
  type FgdmStep,
  fgdmHeld,
  latestConference,
  MANAGER_FGDM_STEPS,
  PRE_PROCEEDINGS_OUTCOME_WORDS,
  PRE_PROCEEDINGS_OUTCOMES,
  type PreProceedings,
  preProceedingsBasis,
  whyNotNow,
} from '../domain/fgdm';
import { FGDM_INPUTS, type FgdmInput, networkAttendeesOf } from '../http/fgdm-api';
import type { CaseFile } from '../store/case-store';
import { caseHeaderView } from './case-view';
import { dateFromBoxes, type FormError, type PostedForm } from './motivation-view';

export const fgdmHref = (caseId: string) => `/cases/${caseId}/family-group-decision-making`;
export const fgdmStepHref = (caseId: string, step: FgdmStep) => `${fgdmHref(caseId)}/${step}`;

export const FGDM_STEP_WORDS: Readonly<Record<FgdmStep, { heading: string; button: string; done: string; link: string }>> = {
  offer: {
    heading: 'Record a family group conference offer',
    button: 'Record the offer',
    done: 'The offer was recorded.',
    link: 'Record an offer of a family group conference',
  },
  held: {
    heading: 'Record a family group conference held',
    button: 'Record the conference',
    done: 'The conference was recorded.',
    link: 'Record a conference held',
  },
  'family-plan': {
    heading: 'Record the family’s plan',
    button: 'Record the family’s plan',
    done: 'The family’s plan was recorded.',
    link: 'Record the family’s plan from the latest conference',
  },
  'pre-proceedings': {
    heading: 'Record pre-proceedings started',
    button: 'Record pre-proceedings started',
    done: 'Pre-proceedings were recorded as started.',
    link: 'Record pre-proceedings started',
  },
  'pre-proceedings-ended': {
    heading: 'Record pre-proceedings ended',
    button: 'Record pre-proceedings ended',
    done: 'Pre-proceedings were recorded as ended.',
    link: 'Record pre-proceedings ended, with the outcome',
  },
};

const DATES: Readonly<Record<FgdmStep, { name: string; what: string }>> = {
  offer: { name: 'offeredOn', what: 'the date the conference was offered' },
  held: { name: 'heldOn', what: 'the date the conference was held' },
  'family-plan': { name: 'agreedOn', what: 'the date the family agreed their plan' },
  'pre-proceedings': { name: 'startedOn', what: 'the date pre-proceedings started' },
  'pre-proceedings-ended': { name: 'endedOn', what: 'the date pre-proceedings ended' },
};

const ORDER: Readonly<Record<FgdmStep, readonly string[]>> = {
  offer: ['offeredOn', 'response', 'declinedReason'],
  held: ['heldOn', 'attendeeIds', 'others'],
  'family-plan': ['agreedOn', 'inFamilysWords'],
  'pre-proceedings': ['startedOn'],
  'pre-proceedings-ended': ['endedOn', 'outcome', 'otherOutcome'],
};

/** The field a union's choice is made by: its error when nothing was chosen. */
const CHOICE: Readonly<Partial<Record<FgdmStep, string>>> = { offer: 'response', 'pre-proceedings-ended': 'outcome' };

const MISSING: Record<string, string> = {
  response: 'Select whether the family accepted or declined',
  declinedReason: 'Enter why the family declined',
  attendeeIds: 'Select at least one person from the family’s network who attended',
  others: 'Each other person’s name must be 200 characters or fewer',
  inFamilysWords: 'Enter the family’s plan in their words',
  outcome: 'Select the outcome of pre-proceedings',
  otherOutcome: 'Enter what the outcome was',
};

const TOO_LONG: Record<string, string> = {
  declinedReason: 'Why the family declined must be 2,000 characters or fewer',
  inFamilysWords: 'The family’s plan must be 5,000 characters or fewer',
  otherOutcome: 'The outcome must be 2,000 characters or fewer',
};

export interface FgdmFormValues {
  fields: Record<string, string>;
  attendeeIds: string[];
}

const first = (value: string | string[] | undefined): string => (Array.isArray(value) ? (value[0] ?? '') : (value ?? ''));
const all = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const SINGLE = ['response', 'declinedReason', 'others', 'inFamilysWords', 'outcome', 'otherOutcome'];

export function fgdmFormValues(step: FgdmStep, body: PostedForm): FgdmFormValues {
  const date = DATES[step].name;
  const names = [`${date}-day`, `${date}-month`, `${date}-year`, ...SINGLE];
  return { fields: Object.fromEntries(names.map((name) => [name, first(body[name])])), attendeeIds: all(body.attendeeIds) };
}

export const emptyFgdmValues = (step: FgdmStep): FgdmFormValues => fgdmFormValues(step, {});

const hrefOf = (step: FgdmStep, field: string): string => {
  const base = field.replace(/\[\d+\]$/, '');
  if (base === DATES[step].name) return `#${base}-day`;
  return `#${base}`;
};

const formError = (step: FgdmStep, field: string, text: string): FormError => {
  const base = field.replace(/\[\d+\]$/, '');
  return { field: base, text, ...(field === 'case' ? {} : { href: hrefOf(step, field) }) };
};

export type FgdmFormCheck = { ok: true; input: FgdmInput<FgdmStep> } | { ok: false; errors: FormError[] };

export function checkFgdmForm(step: FgdmStep, values: FgdmFormValues): FgdmFormCheck {
  const errors: FormError[] = [];
  const spec = DATES[step];
  const date = dateFromBoxes(values.fields, spec.name, spec.what);
  if ('error' in date) errors.push(formError(step, spec.name, date.error));
  const day = 'date' in date ? date.date : '2000-01-01';
  const field = (name: string) => values.fields[name] ?? '';
  const candidate =
    step === 'offer'
      ? {
          offeredOn: day,
          response: field('response'),
          ...(field('response') === 'declined' ? { declinedReason: field('declinedReason') } : {}),
        }
      : step === 'held'
        ? {
            heldOn: day,
            attendeeIds: values.attendeeIds,
            others: field('others')
              .split(/\r?\n/)
              .map((line) => line.trim())
              .filter((line) => line.length > 0),
          }
        : step === 'family-plan'
          ? { agreedOn: day, inFamilysWords: field('inFamilysWords') }
          : step === 'pre-proceedings'
            ? { startedOn: day }
            : {
                endedOn: day,
                outcome: field('outcome'),
                ...(field('outcome') === 'other' ? { otherOutcome: field('otherOutcome') } : {}),
              };
  const parsed = FGDM_INPUTS[step].safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? CHOICE[step] ?? DATES[step].name);
      if (errors.some((error) => error.field === name)) continue;
      const text = issue.code === 'too_big' && TOO_LONG[name] ? (TOO_LONG[name] as string) : (MISSING[name] ?? 'Check this answer');
      errors.push(formError(step, name, text));
    }
  }
  if (errors.length > 0) {
    const order = ORDER[step];
    return { ok: false, errors: errors.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field)) };
  }
  return { ok: true, input: (parsed as { data: FgdmInput<FgdmStep> }).data };
}

export const fgdmRefusalError = (step: FgdmStep, field: string, reason: string): FormError => formError(step, field, reason);

/** Who the person is to the family, beside their name on the form: a household adult, a child, or the wider family's words. */
function roleOf(file: Pick<CaseFile, 'network'>, personId: string): string {
  const network = file.network?.network;
  if (network?.adults.some((adult) => adult.personId === personId)) return 'Household adult';
  if (network?.children.some((child) => child.personId === personId)) return 'Child';
  const wider = network?.widerFamily.find((person) => person.personId === personId);
  return wider ? `Wider family: ${wider.relationship}` : 'In the family’s network';
}

export function fgdmFormView(step: FgdmStep, file: Pick<CaseFile, 'network'>, values: FgdmFormValues, errors: readonly FormError[]) {
  const field = (name: string) => values.fields[name];
  return {
    dateName: DATES[step].name,
    values: values.fields,
    errors: errors.map((error) => ({ text: error.text, ...(error.href ? { href: error.href } : {}) })),
    errorOf: Object.fromEntries(errors.map((error) => [error.field, error.text])),
    responses: [
      { value: 'accepted', text: 'The family accepted', checked: field('response') === 'accepted' },
      { value: 'declined', text: 'The family declined', checked: field('response') === 'declined' },
    ],
    outcomes: PRE_PROCEEDINGS_OUTCOMES.map((outcome) => ({
      value: outcome,
      text: PRE_PROCEEDINGS_OUTCOME_WORDS[outcome],
      checked: field('outcome') === outcome,
    })),
    attendees: networkAttendeesOf(file).map((person) => ({
      value: person.personId,
      text: person.name,
      hint: { text: roleOf(file, person.personId) },
      checked: values.attendeeIds.includes(person.personId),
    })),
  };
}

const offerRows = (offer: CaseFgdm['offers'][number]) => [
  { key: { text: 'Offered' }, value: { text: localDateText(offer.offeredOn) } },
  { key: { text: 'The family' }, value: { text: offer.response === 'accepted' ? 'Accepted' : 'Declined' } },
  ...(offer.declinedReason ? [{ key: { text: 'Why they declined' }, value: { text: offer.declinedReason } }] : []),
  { key: { text: 'Recorded by' }, value: { text: `${offer.by.name}, ${londonDateText(new Date(offer.recordedAt))}` } },
];

const preProceedingsOutcomeText = (ended: NonNullable<PreProceedings['ended']>): string =>
  ended.outcome === 'other' && ended.otherOutcome ? ended.otherOutcome : PRE_PROCEEDINGS_OUTCOME_WORDS[ended.outcome];

const preProceedingsRows = (pre: PreProceedings) => [
  { key: { text: 'Started' }, value: { text: localDateText(pre.startedOn) } },
  { key: { text: 'Ended' }, value: { text: pre.ended ? localDateText(pre.ended.endedOn) : 'Running' } },
  ...(pre.ended ? [{ key: { text: 'Outcome' }, value: { text: preProceedingsOutcomeText(pre.ended) } }] : []),
  { key: { text: 'Start recorded by' }, value: { text: `${pre.by.name}, ${londonDateText(new Date(pre.recordedAt))}` } },
  ...(pre.ended
    ? [{ key: { text: 'End recorded by' }, value: { text: `${pre.ended.by.name}, ${londonDateText(new Date(pre.ended.recordedAt))}` } }]
    : []),
];

/**
 * The page: the case's header with this page beside its others, the warning while none was held (nor declined), the steps possible now
 * (`mayRecord`: a working relationship; `mayRecordPreProceedings`: the holding team's manager), then what was recorded, latest first.
 */
export function fgdmPageView(file: CaseFile, fgdm: CaseFgdm, options: { mayRecord: boolean; mayRecordPreProceedings: boolean }) {
  const { record } = file;
  const caseId = record.caseId;
  const header = caseHeaderView(record, 'overview');
  const permitted = (step: FgdmStep) => options.mayRecord && (!MANAGER_FGDM_STEPS.has(step) || options.mayRecordPreProceedings);
  const steps = (['offer', 'held', 'family-plan'] as const).filter((step) => whyNotNow(fgdm, step) === undefined);
  const preSteps = (['pre-proceedings', 'pre-proceedings-ended'] as const).filter(
    (step) => permitted(step) && whyNotNow(fgdm, step) === undefined,
  );
  const basis = preProceedingsBasis(fgdm);
  const running = fgdm.preProceedings.some((pre) => !pre.ended);
  return {
    caseHeader: {
      ...header,
      navigation: [
        ...header.navigation.map((item) => ({ ...item, active: false })),
        { text: 'Family group decision making', href: fgdmHref(caseId), active: true },
      ],
    },
    held: fgdmHeld(fgdm),
    // The warning stands while nothing allows pre-proceedings: once the family declined a conference, it would mislead.
    warnNoConference: 'why' in basis,
    actions: options.mayRecord
      ? steps.map((step) => ({
          href: fgdmStepHref(caseId, step),
          // A plan already recorded for the latest conference is revised, the earlier one kept.
          text:
            step === 'family-plan' && latestConference(fgdm)?.familyPlan
              ? 'Revise the family’s plan from the latest conference'
              : FGDM_STEP_WORDS[step].link,
        }))
      : [],
    conferences: [...fgdm.conferences].reverse().map((conference) => ({
      title: `Conference held ${localDateText(conference.heldOn)}`,
      id: `conference-${conference.sequence}`,
      attendees: conference.attendees.map((person) => person.name),
      others: conference.others,
      recordedBy: `${conference.by.name}, ${londonDateText(new Date(conference.recordedAt))}`,
      ...(conference.familyPlan
        ? {
            plan: {
              paragraphs: conference.familyPlan.inFamilysWords.split(/\n\s*\n/).map((paragraph) => paragraph.split('\n')),
              agreedOn: localDateText(conference.familyPlan.agreedOn),
              recordedBy: `${conference.familyPlan.by.name}, ${londonDateText(new Date(conference.familyPlan.recordedAt))}`,
              revised: (conference.earlierPlans ?? []).length > 0,
            },
          }
        : {}),
    })),
    offers: [...fgdm.offers].reverse().map((offer) => ({ title: `Offer ${offer.sequence}`, rows: offerRows(offer) })),
    preProceedings: {
      actions: preSteps.map((step) => ({ href: fgdmStepHref(caseId, step), text: FGDM_STEP_WORDS[step].link })),
      // Why pre-proceedings cannot start yet (none running), or who records them, for everyone who sees the page.
      ...(!running && 'why' in basis ? { notYet: `${basis.why}.` } : {}),
      ...(options.mayRecordPreProceedings
        ? {}
        : { whoRecords: 'Only the manager of the team that holds the case records pre-proceedings.' }),
      items: [...fgdm.preProceedings].reverse().map((pre) => ({
        title: `Pre-proceedings ${pre.sequence}`,
        id: `pre-proceedings-${pre.sequence}`,
        rows: preProceedingsRows(pre),
      })),
    },
    version: fgdm.version,
  };
}
