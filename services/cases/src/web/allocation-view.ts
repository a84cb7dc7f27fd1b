/**
 * What the allocation pages show, in words (WEB.md): the team manager's allocation form, the team's
 * cases with their social worker, and a worker's caseload with each case's next deadline ("due in
 * 2 working days", "overdue by 1 working day", red when overdue). Pure: the clock is passed in.
 */
import type { DirectoryWorker } from '@fsp/shared/directory';
import {
  type AllocatedWorker,
  type Allocation,
  type AllocationIssue,
  type AllocationRequest,
  SPECIALISMS,
  type Specialism,
} from '../domain/allocation';
import { SLOT_NAMES, type Slot } from '../domain/allocation-change';
import type { CaseRecord } from '../domain/case';
import type { CaseloadEntry } from '../store/items/caseload';
import { caseDeadlineView, caseRowView, type DeadlineView, statusInWords } from './case-view';

/** The form's field for a specialism (one select each); `specialists.mental-health` in the domain's words. */
export const specialistField = (specialism: Specialism): string => `specialist-${specialism}`;

/** The form's field (and the id the error summary links to) for a domain issue's field. */
export const formFieldOf = (field: AllocationIssue['field']): string =>
  field.startsWith('specialists.') ? specialistField(field.slice('specialists.'.length) as Specialism) : field;

/** What the form holds: as posted, or as the allocation stands. */
export interface AllocationFormValues {
  socialWorkerId?: string;
  reason?: string;
  specialists: Partial<Record<Specialism, string>>;
}

export const formValuesOf = (allocation: Allocation | undefined): AllocationFormValues => ({
  ...(allocation?.socialWorker ? { socialWorkerId: allocation.socialWorker.userId } : {}),
  specialists: Object.fromEntries(
    SPECIALISMS.flatMap((specialism) => {
      const worker = allocation?.specialists[specialism];
      return worker ? [[specialism, worker.userId]] : [];
    }),
  ),
});

const one = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? undefined : value);

/** A posted form, read leniently: whatever is not a single value is left out, and the domain's schema judges the rest. */
export function postedValues(form: Readonly<Record<string, string | string[]>>): AllocationFormValues & { version: number } {
  const version = one(form.version);
  const specialists: Partial<Record<Specialism, string>> = {};
  for (const specialism of SPECIALISMS) {
    const chosen = one(form[specialistField(specialism)])?.trim();
    if (chosen) specialists[specialism] = chosen;
  }
  const socialWorkerId = one(form.socialWorkerId);
  const reason = one(form.reason);
  return {
    // Anything but a whole number cannot be a version this page gave out: answered as a change since.
    version: version !== undefined && /^\d{1,9}$/.test(version) ? Number(version) : -1,
    ...(socialWorkerId !== undefined ? { socialWorkerId } : {}),
    ...(reason !== undefined ? { reason } : {}),
    specialists,
  };
}

export const requestOf = (values: AllocationFormValues): AllocationRequest => ({
  socialWorkerId: values.socialWorkerId ?? '',
  ...(values.reason !== undefined && values.reason.trim() !== '' ? { reason: values.reason } : {}),
  specialists: values.specialists,
});

interface Choice {
  value: string;
  text: string;
  checked?: boolean;
  selected?: boolean;
  hint?: { text: string };
}

/**
 * The people offered for a slot: the team's, as the directory lists them now, and the one holding it
 * if they are no longer among them (a leaver keeps the slot until replaced, and must be seen to).
 */
function choicesFor(
  people: readonly DirectoryWorker[],
  holder: AllocatedWorker | undefined,
): Array<{ userId: string; name: string; hint?: string }> {
  const offered = people.map((person) => ({ userId: person.userId, name: person.name }));
  if (holder && !offered.some((person) => person.userId === holder.userId)) {
    return [
      { userId: holder.userId, name: holder.name, hint: 'Allocated now, but no longer in the team or able to use the platform' },
      ...offered,
    ];
  }
  return offered;
}

export interface AllocationFormState {
  values: AllocationFormValues;
  errors?: AllocationIssue[];
  /** Someone else changed the allocation since the form was opened: the form shows the allocation as it is now. */
  changed?: boolean;
}

export function allocationFormView(
  record: Pick<CaseRecord, 'caseId' | 'reference' | 'teamId'>,
  current: { allocation?: Allocation; version: number },
  team: { socialWorkers: readonly DirectoryWorker[]; specialists: readonly DirectoryWorker[] },
  state: AllocationFormState,
) {
  const { values } = state;
  const allocation = current.allocation;
  const errors = (state.errors ?? []).map((issue) => ({ text: issue.message, href: `#${formFieldOf(issue.field)}` }));
  const errorOf = Object.fromEntries((state.errors ?? []).map((issue) => [formFieldOf(issue.field), issue.message]));
  const socialWorkerChoices: Choice[] = choicesFor(team.socialWorkers, allocation?.socialWorker).map((person) => ({
    value: person.userId,
    text: person.name,
    checked: values.socialWorkerId === person.userId,
    ...(person.hint ? { hint: { text: person.hint } } : {}),
  }));
  const specialisms = SPECIALISMS.map((specialism) => ({
    field: specialistField(specialism),
    label: SLOT_NAMES[specialism],
    error: errorOf[specialistField(specialism)],
    items: [
      { value: '', text: 'Not needed', selected: values.specialists[specialism] === undefined },
      ...choicesFor(team.specialists, allocation?.specialists[specialism]).map((person) => ({
        value: person.userId,
        text: person.hint ? `${person.name} (no longer in the team)` : person.name,
        selected: values.specialists[specialism] === person.userId,
      })),
    ],
  }));
  const changes = allocation?.socialWorkerChanges ?? 0;
  return {
    caseHref: `/cases/${record.caseId}`,
    action: `/cases/${record.caseId}/allocation`,
    reference: record.reference,
    version: current.version,
    firstAllocation: !allocation?.socialWorker,
    currentSocialWorker: allocation?.socialWorker?.name,
    socialWorkerChanges:
      changes === 0
        ? 'This is the case’s first social worker.'
        : changes === 1
          ? 'The social worker has changed once.'
          : `The social worker has changed ${changes} times.`,
    socialWorkerChoices,
    noSocialWorkers: team.socialWorkers.length === 0,
    noSpecialists: team.specialists.length === 0,
    specialisms,
    values,
    errors,
    errorOf,
    changed: state.changed === true,
  };
}

/** A row of the team's cases: the case, its social worker (or that it has none) and its deadline. */
export function teamCaseRowView(record: CaseRecord, now: Date, options: { mayAllocate: boolean }) {
  return {
    ...caseRowView(record, now),
    ...(record.socialWorker ? { socialWorker: record.socialWorker.name } : {}),
    ...(options.mayAllocate ? { allocateHref: `/cases/${record.caseId}/allocation` } : {}),
  };
}

/** "Social worker", "Domestic abuse worker (victims) and mental health worker". */
export function slotsInWords(slots: readonly Slot[]): string {
  const names = slots.map((slot, index) =>
    index === 0 ? SLOT_NAMES[slot] : SLOT_NAMES[slot].charAt(0).toLowerCase() + SLOT_NAMES[slot].slice(1),
  );
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export interface CaseloadRowView {
  href: string;
  reference: string;
  role: string;
  status: string;
  urgent: boolean;
  /** The case's soonest deadline, whichever timescale it is (the assessment, a conference, a CP review). */
  deadline?: DeadlineView & { what: string };
}

export function caseloadRowView(entry: CaseloadEntry, now: Date): CaseloadRowView {
  const deadline = caseDeadlineView(entry, now);
  return {
    href: `/cases/${entry.caseId}`,
    reference: entry.reference,
    role: slotsInWords(entry.slots),
    status: statusInWords(entry.status),
    urgent: entry.urgent,
    ...(deadline ? { deadline } : {}),
  };
}
