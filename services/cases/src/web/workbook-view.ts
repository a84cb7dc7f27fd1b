/**
 * What the workbook's pages show (templates/workbook*.njk), in words (WEB.md): each role's chapter
 * with who wrote it when and its earlier versions, the monthly summaries by month (each with its
 * earlier versions' words), the programme per
 * adult as a summary list (it reflows at 320 px), the printable assessment document, and the two
 * forms read leniently from what was posted and judged by the very schemas the JSON routes use.
 * Pure: the clock is passed in.
 */
import { daysInMonth, type LocalDate, localDateFromParts, partsOf } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import { londonDateText } from '@fsp/shared/time/london-words';
import { localDateText } from '@fsp/shared/time/words';
import type { Allocation } from '../domain/allocation';
import type { FamilyNetwork, HouseholdAdult } from '../domain/family-network';
import {
  CHAPTER_MAX_LENGTH,
  type Contribution,
  chapterVersions,
  contributionSchema,
  MODULE_STATUS_NAMES,
  MODULE_STATUSES,
  type ModuleProgress,
  type ModuleProgressInput,
  type ModuleStatus,
  moduleProgressSchema,
  modulesOf,
  monthOf,
  monthText,
  programmeOf,
  ROLE_NAMES,
  SUMMARY_MAX_LENGTH,
  summariesInMonthOrder,
  summaryOf,
  summaryVersions,
  WORKBOOK_ROLES,
  type Workbook,
  type WorkbookRole,
} from '../domain/workbook';
import { MODULE_NUMBERS, moduleName } from '../domain/workbook-modules';

export const workbookHref = (caseId: string): string => `/cases/${caseId}/workbook`;
export const contributeHref = (caseId: string): string => `${workbookHref(caseId)}/contribute`;
export const programmeHref = (caseId: string): string => `${workbookHref(caseId)}/programme`;
export const printHref = (caseId: string): string => `${workbookHref(caseId)}/print`;

/** Plain text as paragraphs of lines: blank lines part paragraphs, line breaks stay within one. */
export const paragraphsOf = (text: string): string[][] => text.split(/\n\s*\n/).map((paragraph) => paragraph.split('\n'));

const writtenText = (by: { name: string }, at: string): string => `${londonDateText(new Date(at))} by ${by.name}`;
const nameOf = (person: { firstName: string; lastName: string }): string =>
  `${person.firstName} ${person.lastName}`.trim() || 'Name not known';

const holderOf = (allocation: Pick<Allocation, 'socialWorker' | 'specialists'> | undefined, role: WorkbookRole) =>
  role === 'social-worker' ? allocation?.socialWorker : allocation?.specialists[role];

const STATUS_TAGS: Readonly<Record<ModuleStatus, string>> = {
  'not-started': 'govuk-tag--grey',
  'in-progress': 'govuk-tag--blue',
  completed: 'govuk-tag--green',
};

function progressText(progress: ModuleProgress | undefined): string {
  if (!progress) return 'Nobody has recorded this module yet';
  const recorded = `recorded by ${progress.by.name} on ${londonDateText(new Date(progress.at))}`;
  if (progress.status === 'not-started' || !progress.on) return `Not started: ${recorded}`;
  return `${progress.status === 'completed' ? 'Completed' : 'Started'} on ${localDateText(progress.on)}, ${recorded}`;
}

/** "Mother of Mia and Tyler-James; mother's partner of Ben": each relationship once, with its children. */
function relationshipOf(adult: HouseholdAdult, network: FamilyNetwork): string | undefined {
  const children = new Map(network.children.map((child) => [child.personId, child.firstName]));
  const byRelationship = new Map<string, string[]>();
  for (const { relationship, childId } of adult.relationships) {
    if (!relationship) continue;
    byRelationship.set(relationship, [...(byRelationship.get(relationship) ?? []), children.get(childId) ?? 'a child']);
  }
  const said = [...byRelationship].map(([relationship, names]) => {
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
    return `${relationship} of ${list}`;
  });
  const text = said.length > 0 ? said.join('; ') : adult.relationshipAsReferred;
  return text ? `${text.charAt(0).toUpperCase()}${text.slice(1)}` : undefined;
}

/** Each adult's eight modules, as rows of a summary list. */
export function programmeView(workbook: Workbook, network: FamilyNetwork, caseId: string, mayRecord: boolean) {
  return network.adults.map((adult) => {
    const programme = programmeOf(workbook, adult.personId);
    const modules = modulesOf(programme);
    const completed = modules.filter(({ progress }) => progress?.status === 'completed').length;
    return {
      personId: adult.personId,
      name: nameOf(adult),
      relationship: relationshipOf(adult, network),
      completedText: `${completed} of ${MODULE_NUMBERS.length} modules completed`,
      modules: modules.map(({ module, progress }) => {
        const status = progress?.status ?? 'not-started';
        return {
          module,
          name: `${module}. ${moduleName(module)}`,
          status: MODULE_STATUS_NAMES[status],
          statusClasses: STATUS_TAGS[status],
          text: progressText(progress),
          printText: progress ? progressText(progress) : 'Not started',
          ...(mayRecord ? { href: `${programmeHref(caseId)}?personId=${encodeURIComponent(adult.personId)}&module=${module}` } : {}),
        };
      }),
    };
  });
}

export interface WorkbookPageFacts {
  caseId: string;
  network: FamilyNetwork;
  allocation?: Pick<Allocation, 'socialWorker' | 'specialists'>;
  writable: readonly WorkbookRole[];
  mayRecordProgramme: boolean;
  now: Date;
}

/** The workbook page: chapters by role, summaries by month (newest first), the programme per adult. */
export function workbookPageView(workbook: Workbook, facts: WorkbookPageFacts) {
  const { caseId, writable } = facts;
  const mayWrite = (role: WorkbookRole) => writable.includes(role);
  const chapters = WORKBOOK_ROLES.map((role) => {
    const [current, ...earlier] = chapterVersions(workbook, role);
    const holder = holderOf(facts.allocation, role);
    return {
      role,
      name: ROLE_NAMES[role],
      allocated: holder ? `Allocated: ${holder.name}` : 'Nobody is allocated to this role',
      ...(current
        ? {
            paragraphs: paragraphsOf(current.text),
            written: `Version ${current.version}, written ${writtenText(current.by, current.at)}`,
            earlier: earlier.map((each) => `Version ${each.version}, written ${writtenText(each.by, each.at)}`),
          }
        : {}),
      ...(mayWrite(role)
        ? {
            href: `${contributeHref(caseId)}?kind=chapter&role=${role}`,
            linkText: current ? 'Write a new version of the chapter' : 'Write the chapter',
          }
        : {}),
    };
  });
  const thisMonth = monthOf(londonDateOf(facts.now));
  const months = [...new Set(summariesInMonthOrder(workbook).map((summary) => summary.month))].reverse();
  return {
    chapters,
    months: months.map((month) => ({
      month,
      text: monthText(month),
      summaries: summariesInMonthOrder(workbook)
        .filter((summary) => summary.month === month)
        .map((summary) => ({
          name: ROLE_NAMES[summary.role],
          paragraphs: paragraphsOf(summary.text),
          written: `${summary.version > 1 ? `Version ${summary.version}, written` : 'Written'} ${writtenText(summary.by, summary.at)}`,
          // Every earlier version's words, newest first: what the summary said before it was changed.
          earlier: summaryVersions(workbook, summary.role, summary.month)
            .slice(1)
            .map((each) => ({
              written: `Version ${each.version}, written ${writtenText(each.by, each.at)}`,
              paragraphs: paragraphsOf(each.text),
            })),
          ...(mayWrite(summary.role)
            ? {
                href: `${contributeHref(caseId)}?kind=monthly-summary&role=${summary.role}&month=${summary.month}`,
                linkText: 'Change this summary',
              }
            : {}),
        })),
    })),
    ...(writable.length > 0
      ? {
          newSummaryHref: `${contributeHref(caseId)}?kind=monthly-summary&month=${thisMonth}`,
          newSummaryText: `Write a summary for ${monthText(thisMonth)}`,
        }
      : {}),
    adults: programmeView(workbook, facts.network, caseId, facts.mayRecordProgramme),
    printHref: printHref(caseId),
  };
}

/** The family's assessment document: who the family are, each role's chapter, the summaries in month order, the programme. */
export function printView(workbook: Workbook, facts: Omit<WorkbookPageFacts, 'writable' | 'mayRecordProgramme'> & { reference: string }) {
  const { network } = facts;
  const chapters = WORKBOOK_ROLES.flatMap((role) => {
    const current = chapterVersions(workbook, role)[0];
    if (!current) return [];
    return [
      {
        name: ROLE_NAMES[role],
        paragraphs: paragraphsOf(current.text),
        written: `Version ${current.version}, written ${writtenText(current.by, current.at)}`,
      },
    ];
  });
  const unwritten = WORKBOOK_ROLES.filter((role) => holderOf(facts.allocation, role) && !chapterVersions(workbook, role)[0]).map(
    (role) => ROLE_NAMES[role],
  );
  return {
    reference: facts.reference,
    printedOn: londonDateText(facts.now),
    children: network.children.map((child) => ({
      name: nameOf(child),
      born: child.dateOfBirth ? `${child.unborn ? 'Due' : 'Born'} ${localDateText(child.dateOfBirth)}` : undefined,
    })),
    adults: network.adults.map((adult) => ({ name: nameOf(adult), relationship: relationshipOf(adult, network) })),
    chapters,
    unwritten,
    summaries: summariesInMonthOrder(workbook).map((summary, index, all) => ({
      month: monthText(summary.month),
      firstOfMonth: index === 0 || all[index - 1]?.month !== summary.month,
      name: ROLE_NAMES[summary.role],
      paragraphs: paragraphsOf(summary.text),
      written: `${summary.version > 1 ? `Version ${summary.version}, written` : 'Written'} ${writtenText(summary.by, summary.at)}`,
    })),
    programme: programmeView(workbook, network, facts.caseId, false),
    backHref: workbookHref(facts.caseId),
  };
}

// ---------------------------------------------------------------------------------------------
// Forms
// ---------------------------------------------------------------------------------------------

export type PostedForm = Readonly<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

export interface FormError {
  field: string;
  text: string;
  href: string;
}

export interface ContributionFormValues {
  kind: string;
  role: string;
  monthMonth: string;
  monthYear: string;
  text: string;
  /** The entry the version was read for (entryKeyOf), and that version. */
  entry: string;
  version: string;
}

export const entryKeyOf = (target: { kind: string; role: string; month?: string }): string =>
  target.kind === 'monthly-summary' ? `monthly-summary:${target.role}:${target.month ?? ''}` : `chapter:${target.role}`;

export function contributionFormValues(body: PostedForm): ContributionFormValues {
  return {
    kind: first(body.kind) ?? '',
    role: first(body.role) ?? '',
    monthMonth: first(body['month-month']) ?? '',
    monthYear: first(body['month-year']) ?? '',
    text: first(body.text) ?? '',
    entry: first(body.entry) ?? '',
    version: first(body.version) ?? '',
  };
}

/** The form as opened from a link (`?kind=&role=&month=`): the entry's text and version, when it has one. */
export function openedContributionValues(workbook: Workbook, query: PostedForm, writable: readonly WorkbookRole[]): ContributionFormValues {
  const kind = first(query.kind) === 'monthly-summary' ? 'monthly-summary' : first(query.kind) === 'chapter' ? 'chapter' : '';
  const askedRole = first(query.role) as WorkbookRole | undefined;
  const role = askedRole && writable.includes(askedRole) ? askedRole : writable.length === 1 ? (writable[0] as WorkbookRole) : '';
  const monthAsked = first(query.month);
  const month = monthAsked && /^\d{4}-(0[1-9]|1[0-2])$/.test(monthAsked) ? monthAsked : undefined;
  const values: ContributionFormValues = {
    kind,
    role,
    monthMonth: month ? String(Number(month.slice(5, 7))) : '',
    monthYear: month ? month.slice(0, 4) : '',
    text: '',
    entry: '',
    version: '0',
  };
  if (!role || !kind) return values;
  if (kind === 'chapter') {
    const current = chapterVersions(workbook, role)[0];
    return { ...values, text: current?.text ?? '', entry: entryKeyOf({ kind, role }), version: String(current?.version ?? 0) };
  }
  if (!month) return values;
  const summary = summaryOf(workbook, role, month);
  return { ...values, text: summary?.text ?? '', entry: entryKeyOf({ kind, role, month }), version: String(summary?.version ?? 0) };
}

/** The values of the entry as it now stands (after a lost race): its text, its version, for the form again. */
export function currentEntryOf(workbook: Workbook, input: Contribution): { text: string; version: number; by?: string } | undefined {
  if (input.kind === 'chapter') {
    const current = chapterVersions(workbook, input.role)[0];
    return current ? { text: current.text, version: current.version, by: writtenText(current.by, current.at) } : undefined;
  }
  const summary = summaryOf(workbook, input.role, input.month);
  return summary ? { text: summary.text, version: summary.version, by: writtenText(summary.by, summary.at) } : undefined;
}

const CONTRIBUTION_ORDER = ['kind', 'role', 'month', 'text'];
const hrefOf = (field: string) => (field === 'month' ? '#month-month' : field === 'on' ? '#on-day' : `#${field}`);
const errorOf = (field: string, text: string): FormError => ({ field, text, href: hrefOf(field) });
const orderedErrors = (errors: FormError[], order: readonly string[]) => {
  const seen = new Set<string>();
  return errors
    .filter((error) => !seen.has(error.field) && seen.add(error.field))
    .sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
};

function monthFrom(values: ContributionFormValues): { month: string } | { error: string } {
  const month = values.monthMonth.trim();
  const year = values.monthYear.trim();
  if (!month && !year) return { error: 'Enter the month the summary is for' };
  if (!month) return { error: 'The month the summary is for must include a month' };
  if (!year) return { error: 'The month the summary is for must include a year' };
  if (!/^\d{1,2}$/.test(month) || Number(month) < 1 || Number(month) > 12) return { error: 'The month must be a real month, from 1 to 12' };
  if (!/^\d{4}$/.test(year)) return { error: 'The year must include 4 numbers, like 2026' };
  return { month: `${year}-${month.padStart(2, '0')}` };
}

/** The form as the API's body, or its errors in the form's order. */
export function checkContributionForm(
  values: ContributionFormValues,
): { ok: true; input: Contribution } | { ok: false; errors: FormError[] } {
  const errors: FormError[] = [];
  if (values.kind !== 'chapter' && values.kind !== 'monthly-summary')
    errors.push(errorOf('kind', 'Select whether you are writing a chapter or a monthly summary'));
  let month: string | undefined;
  if (values.kind === 'monthly-summary') {
    const found = monthFrom(values);
    if ('error' in found) errors.push(errorOf('month', found.error));
    else month = found.month;
  }
  const candidate = { kind: values.kind || 'chapter', role: values.role, text: values.text, ...(month ? { month } : { month: '2000-01' }) };
  const parsed = contributionSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'text');
      if (field === 'month' || field === 'kind') continue;
      errors.push(errorOf(field, field === 'role' ? 'Select the role you are writing for' : issue.message));
    }
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors: orderedErrors(errors, CONTRIBUTION_ORDER) };
  const input = parsed.data;
  return { ok: true, input: input.kind === 'monthly-summary' ? { ...input, month: month as string } : input };
}

/** The contribution form's view: the roles this worker may write as radios (or the one, said), kinds, the month, the text. */
export function contributionFormView(values: ContributionFormValues, writable: readonly WorkbookRole[], errors: readonly FormError[]) {
  return {
    values,
    errors: errors.map((error) => ({ text: error.text, href: error.href })),
    errorOf: Object.fromEntries(errors.map((error) => [error.field, error.text])),
    roleItems: writable.map((role) => ({ value: role, text: ROLE_NAMES[role], checked: values.role === role })),
    ...(writable.length === 1 ? { onlyRole: { value: writable[0], text: ROLE_NAMES[writable[0] as WorkbookRole] } } : {}),
    chapterChecked: values.kind === 'chapter',
    summaryChecked: values.kind === 'monthly-summary',
    chapterMaxLength: CHAPTER_MAX_LENGTH,
    summaryMaxLength: SUMMARY_MAX_LENGTH,
  };
}

export interface ProgrammeFormValues {
  personId: string;
  module: string;
  status: string;
  onDay: string;
  onMonth: string;
  onYear: string;
  /** The adult whose programme's version was read, and that version. */
  entry: string;
  version: string;
}

export const programmeFormValues = (body: PostedForm): ProgrammeFormValues => ({
  personId: first(body.personId) ?? '',
  module: first(body.module) ?? '',
  status: first(body.status) ?? '',
  onDay: first(body['on-day']) ?? '',
  onMonth: first(body['on-month']) ?? '',
  onYear: first(body['on-year']) ?? '',
  entry: first(body.entry) ?? '',
  version: first(body.version) ?? '',
});

/** The form as opened from a module's link (`?personId=&module=`): where the module stands now. */
export function openedProgrammeValues(workbook: Workbook, query: PostedForm, adults: readonly HouseholdAdult[]): ProgrammeFormValues {
  const askedPerson = first(query.personId);
  const personId = adults.some((adult) => adult.personId === askedPerson)
    ? (askedPerson as string)
    : adults.length === 1
      ? (adults[0] as HouseholdAdult).personId
      : '';
  const askedModule = Number(first(query.module));
  const module = MODULE_NUMBERS.find((each) => each === askedModule);
  const programme = personId ? programmeOf(workbook, personId) : undefined;
  const progress = module ? programme?.modules.find((each) => each.module === module) : undefined;
  const on = progress?.on ? partsOf(progress.on) : undefined;
  return {
    personId,
    module: module ? String(module) : '',
    status: progress?.status ?? '',
    onDay: on ? String(on.day) : '',
    onMonth: on ? String(on.month) : '',
    onYear: on ? String(on.year) : '',
    entry: personId,
    version: String(programme?.version ?? 0),
  };
}

function dayFrom(values: ProgrammeFormValues): { on?: LocalDate } | { error: string } {
  const [day, month, year] = [values.onDay, values.onMonth, values.onYear].map((part) => part.trim());
  if (!day && !month && !year) return {};
  const missing = [!day && 'a day', !month && 'a month', !year && 'a year'].filter(Boolean);
  if (missing.length > 0) return { error: `The date must include ${missing.join(' and ')}` };
  if (![day, month, year].every((part) => /^\d+$/.test(part ?? ''))) return { error: 'The date must be a real date' };
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  if ((year ?? '').length !== 4) return { error: 'The year must include 4 numbers, like 2026' };
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return { error: 'The date must be a real date' };
  return { on: localDateFromParts({ year: y, month: m, day: d }) };
}

const PROGRAMME_ORDER = ['personId', 'module', 'status', 'on'];

export function checkProgrammeForm(
  values: ProgrammeFormValues,
): { ok: true; input: ModuleProgressInput } | { ok: false; errors: FormError[] } {
  const errors: FormError[] = [];
  const day = dayFrom(values);
  if ('error' in day) errors.push(errorOf('on', day.error));
  const candidate = {
    personId: values.personId,
    module: /^\d$/.test(values.module) ? Number(values.module) : -1,
    status: values.status,
    ...('on' in day && day.on ? { on: day.on } : {}),
  };
  const parsed = moduleProgressSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'status');
      const text =
        field === 'personId'
          ? 'Select the adult'
          : field === 'module'
            ? 'Select the module'
            : field === 'status'
              ? 'Select where the adult is with the module'
              : issue.message;
      errors.push(errorOf(field, text));
    }
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors: orderedErrors(errors, PROGRAMME_ORDER) };
  return { ok: true, input: parsed.data };
}

export function programmeFormView(values: ProgrammeFormValues, adults: readonly HouseholdAdult[], errors: readonly FormError[]) {
  return {
    values,
    errors: errors.map((error) => ({ text: error.text, href: error.href })),
    errorOf: Object.fromEntries(errors.map((error) => [error.field, error.text])),
    adultItems: adults.map((adult) => ({ value: adult.personId, text: nameOf(adult), checked: values.personId === adult.personId })),
    moduleItems: MODULE_NUMBERS.map((module) => ({
      value: String(module),
      text: `${module}. ${moduleName(module)}`,
      checked: values.module === String(module),
    })),
    statusItems: MODULE_STATUSES.map((status) => ({ value: status, text: MODULE_STATUS_NAMES[status], checked: values.status === status })),
  };
}
