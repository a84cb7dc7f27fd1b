/**
 * The Family Safeguarding workbook (DOMAIN.md, Cases; issue 14 Deliver 5): each worker role on the
 * case (the allocation's slots: the social worker and the four adult specialisms) writes a chapter
 * of the family's assessment and a summary for each calendar month, and the eight-module
 * intervention programme (domain/workbook-modules.ts) is tracked for each adult in the family's
 * network. A chapter, and a role's summary of a month, is replaced by a newer version written only
 * over the version it was read at, every version kept (who, when and its words); an adult's
 * programme is one entry replaced on its version. Each chapter or summary written is a line in the
 * case's chronology (workbookChronologyLine). Pure: no I/O, the time is passed in; the store writes each change on its
 * version.
 */
import { onFirstUse } from '@fsp/shared/first-use';
import type { Role } from '@fsp/shared/people';
import { plainText } from '@fsp/shared/text';
import { compareLocalDates, type LocalDate, localDateSchema } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import { MONTH_NAMES } from '@fsp/shared/time/words';
import * as z from 'zod/mini';
import { type CaseAccess, mayWrite } from './access';
import type { Allocation } from './allocation';
import { SLOT_NAMES, SLOTS, type Slot, slotsByWorker } from './allocation-change';
import type { Actor } from './family-network';
import { MODULE_NUMBERS, type ModuleNumber } from './workbook-modules';

/** The roles that write the workbook: the allocation's slots, in their order. */
export const WORKBOOK_ROLES = SLOTS;
export type WorkbookRole = Slot;
export const ROLE_NAMES = SLOT_NAMES;

export const CONTRIBUTION_KINDS = ['chapter', 'monthly-summary'] as const;
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number];

export const CHAPTER_MAX_LENGTH = 20_000;
export const SUMMARY_MAX_LENGTH = 5_000;

export const MODULE_STATUSES = ['not-started', 'in-progress', 'completed'] as const;
export type ModuleStatus = (typeof MODULE_STATUSES)[number];
export const MODULE_STATUS_NAMES: Readonly<Record<ModuleStatus, string>> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  completed: 'Completed',
};

/** A calendar month, `YYYY-MM`. */
export type Month = string;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** One version of a role's chapter; the highest version is the chapter, the others its history. */
export interface ChapterVersion {
  role: WorkbookRole;
  version: number;
  text: string;
  by: Actor;
  at: string;
}

/** One version of a role's summary of one calendar month; the highest version is the summary, the others its history. */
export interface MonthlySummary {
  role: WorkbookRole;
  month: Month;
  text: string;
  by: Actor;
  at: string;
  version: number;
}

/** Where one adult stands in one module, and who recorded it when; `on` is the day it started or was completed. */
export interface ModuleProgress {
  module: ModuleNumber;
  status: ModuleStatus;
  on?: LocalDate;
  by: Actor;
  at: string;
}

/** One adult's programme: the modules recorded so far (a module never recorded is not started). */
export interface AdultProgramme {
  personId: string;
  modules: ModuleProgress[];
  version: number;
}

export interface Workbook {
  caseId: string;
  /** Every version of every chapter. */
  chapters: ChapterVersion[];
  /** Every version of every monthly summary. */
  summaries: MonthlySummary[];
  programmes: AdultProgramme[];
}

export const emptyWorkbook = (caseId: string): Workbook => ({ caseId, chapters: [], summaries: [], programmes: [] });

// ---------------------------------------------------------------------------------------------
// What a worker sends (JSON body; the pages build the same shape from their forms).
// ---------------------------------------------------------------------------------------------

const textOf = (what: string, max: number) =>
  z
    .string(`Enter the ${what}`)
    .check(
      z.trim(),
      z.minLength(1, `Enter the ${what}`),
      z.maxLength(max, `The ${what} must be ${max} characters or fewer`),
      plainText({ multiline: true, message: `The ${what} must not contain invisible or control characters` }),
    );

const roleSchema = () => z.enum(SLOTS, 'Select the role you are writing for');

const buildSchemas = onFirstUse(() => ({
  contribution: z.discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('chapter'), role: roleSchema(), text: textOf('chapter', CHAPTER_MAX_LENGTH) }),
      z.object({
        kind: z.literal('monthly-summary'),
        role: roleSchema(),
        month: z.string('Enter the month the summary is for').check(z.regex(MONTH, 'The month must be a real month written as YYYY-MM')),
        text: textOf('monthly summary', SUMMARY_MAX_LENGTH),
      }),
    ],
    'Select whether you are writing a chapter or a monthly summary',
  ),
  moduleProgress: z.object({
    personId: z.string('Select the adult').check(z.minLength(1, 'Select the adult'), z.maxLength(64, 'Select an adult of the family')),
    module: z.int('Select the module').check(z.gte(1, 'Select the module'), z.lte(MODULE_NUMBERS.length, 'Select the module')),
    status: z.enum(MODULE_STATUSES, 'Select where the adult is with the module'),
    on: z.optional(localDateSchema),
  }),
}));

export const contributionSchema = z.lazy(() => buildSchemas().contribution);
export const moduleProgressSchema = z.lazy(() => buildSchemas().moduleProgress);
export type Contribution = z.infer<typeof contributionSchema>;
export type ModuleProgressInput = z.infer<typeof moduleProgressSchema>;

// ---------------------------------------------------------------------------------------------
// Who writes what
// ---------------------------------------------------------------------------------------------

export interface WorkbookWriter {
  userId: string;
  roles: readonly Role[];
  teamId: string;
}

/**
 * The roles whose chapter and summaries `writer` may write: the team manager of the holding team any;
 * a worker allocated to the case the slots they hold; a social worker of the holding team the social
 * worker's (covering for a colleague). An adult specialist not allocated to the case holds no
 * specialism on it (the directory does not say which they practise), so writes none. Only a working
 * relationship writes (break-glass and the front door read).
 */
export function rolesWritableBy(
  writer: WorkbookWriter,
  facts: { teamId: string; allocation?: Pick<Allocation, 'socialWorker' | 'specialists'> },
  access: CaseAccess | undefined,
): WorkbookRole[] {
  if (!mayWrite(access)) return [];
  if (writer.roles.includes('team-manager') && writer.teamId === facts.teamId) return [...SLOTS];
  const roles = new Set<WorkbookRole>(slotsByWorker(facts.allocation).get(writer.userId) ?? []);
  if (writer.roles.includes('social-worker')) roles.add('social-worker');
  return SLOTS.filter((role) => roles.has(role));
}

/** The programme is recorded by anyone working with the family (allocated, or in the holding team). */
export const mayRecordProgramme = (access: CaseAccess | undefined): boolean => mayWrite(access);

// ---------------------------------------------------------------------------------------------
// Reading the workbook
// ---------------------------------------------------------------------------------------------

/** Every version of the role's chapter, newest first (the first is the chapter). */
export const chapterVersions = (workbook: Pick<Workbook, 'chapters'>, role: WorkbookRole): ChapterVersion[] =>
  workbook.chapters.filter((chapter) => chapter.role === role).sort((a, b) => b.version - a.version);

export const currentChapter = (workbook: Pick<Workbook, 'chapters'>, role: WorkbookRole): ChapterVersion | undefined =>
  chapterVersions(workbook, role)[0];

/** Every version of the role's summary of `month`, newest first (the first is the summary). */
export const summaryVersions = (workbook: Pick<Workbook, 'summaries'>, role: WorkbookRole, month: Month): MonthlySummary[] =>
  workbook.summaries.filter((summary) => summary.role === role && summary.month === month).sort((a, b) => b.version - a.version);

export const summaryOf = (workbook: Pick<Workbook, 'summaries'>, role: WorkbookRole, month: Month): MonthlySummary | undefined =>
  summaryVersions(workbook, role, month)[0];

/** The summaries (each the latest version of its role's month) in month order, oldest first, each month's in the roles' order. */
export const summariesInMonthOrder = (workbook: Pick<Workbook, 'summaries'>): MonthlySummary[] =>
  workbook.summaries
    .filter((summary) => summaryOf(workbook, summary.role, summary.month)?.version === summary.version)
    .sort((a, b) => (a.month === b.month ? SLOTS.indexOf(a.role) - SLOTS.indexOf(b.role) : a.month < b.month ? -1 : 1));

export const programmeOf = (workbook: Pick<Workbook, 'programmes'>, personId: string): AdultProgramme | undefined =>
  workbook.programmes.find((programme) => programme.personId === personId);

/** Each of the eight modules for the adult, in order: as recorded, or not started (nobody has recorded it). */
export const modulesOf = (programme: AdultProgramme | undefined): Array<{ module: ModuleNumber; progress?: ModuleProgress }> =>
  MODULE_NUMBERS.map((module) => {
    const progress = programme?.modules.find((each) => each.module === module);
    return progress ? { module, progress } : { module };
  });

/** The version a write of this entry is made over: the entry's (0 while there is none). */
export function versionOfEntry(
  workbook: Workbook,
  target: { kind: 'chapter'; role: WorkbookRole } | { kind: 'monthly-summary'; role: WorkbookRole; month: Month },
): number {
  if (target.kind === 'chapter') return currentChapter(workbook, target.role)?.version ?? 0;
  return summaryOf(workbook, target.role, target.month)?.version ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Months
// ---------------------------------------------------------------------------------------------

export const monthOf = (date: LocalDate): Month => date.slice(0, 7);

/** "February 2026". */
export function monthText(month: Month): string {
  const match = MONTH.exec(month);
  if (!match) throw new Error(`Not a month: ${month}`);
  return `${MONTH_NAMES[Number(match[2]) - 1]} ${match[1]}`;
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

export interface WriteContext {
  who: Actor;
  now: Date;
}

/** What the worker must correct, on the field it names. */
export interface WorkbookRefusal {
  refused: 'invalid';
  field: string;
  message: string;
}

/** Someone else wrote the entry since the version the worker read: nothing is written. */
export interface WorkbookChanged {
  refused: 'changed';
}

export type ContributionResult = WorkbookRefusal | WorkbookChanged | { chapter: ChapterVersion } | { summary: MonthlySummary };

/**
 * A chapter's next version, or a month's summary, over `readVersion` (the entry's version as read,
 * 0 for none). A summary's month must be a month the case has been open in, and not in the future
 * (London's calendar).
 */
export function contribute(
  workbook: Workbook,
  input: Contribution,
  readVersion: number,
  context: WriteContext & { openedOn: LocalDate },
): ContributionResult {
  const at = context.now.toISOString();
  if (input.kind === 'monthly-summary') {
    const thisMonth = monthOf(londonDateOf(context.now));
    if (input.month > thisMonth) return { refused: 'invalid', field: 'month', message: 'The month must be this month or before' };
    const opened = monthOf(context.openedOn);
    if (input.month < opened) {
      return { refused: 'invalid', field: 'month', message: `The month must be ${monthText(opened)}, when the case opened, or later` };
    }
  }
  const current = versionOfEntry(workbook, input);
  if (current !== readVersion) return { refused: 'changed' };
  const version = current + 1;
  if (input.kind === 'chapter') return { chapter: { role: input.role, version, text: input.text, by: context.who, at } };
  return { summary: { role: input.role, month: input.month, text: input.text, by: context.who, at, version } };
}

export type ProgrammeResult = WorkbookRefusal | WorkbookChanged | { programme: AdultProgramme };

/**
 * Where an adult of the family's network (`adultIds`) stands in one module, over the version of their
 * programme as read (0: nothing recorded for them yet). A module in progress or completed needs the
 * day it started or was completed, today or before; a module back to not started has no day.
 */
export function recordModule(
  workbook: Workbook,
  input: ModuleProgressInput,
  readVersion: number,
  context: WriteContext & { adultIds: readonly string[] },
): ProgrammeResult {
  if (!context.adultIds.includes(input.personId)) {
    return { refused: 'invalid', field: 'personId', message: 'Select an adult in the family’s network' };
  }
  const module = input.module as ModuleNumber;
  if (input.status !== 'not-started') {
    const what = input.status === 'completed' ? 'the date the module was completed' : 'the date the module started';
    if (input.on === undefined) return { refused: 'invalid', field: 'on', message: `Enter ${what}` };
    if (compareLocalDates(input.on, londonDateOf(context.now)) > 0) {
      return { refused: 'invalid', field: 'on', message: `${what.charAt(0).toUpperCase()}${what.slice(1)} must be today or in the past` };
    }
  }
  const before = programmeOf(workbook, input.personId);
  if ((before?.version ?? 0) !== readVersion) return { refused: 'changed' };
  const progress: ModuleProgress = {
    module,
    status: input.status,
    ...(input.status !== 'not-started' && input.on !== undefined ? { on: input.on } : {}),
    by: context.who,
    at: context.now.toISOString(),
  };
  const modules = [...(before?.modules ?? []).filter((each) => each.module !== module), progress].sort((a, b) => a.module - b.module);
  return { programme: { personId: input.personId, modules, version: readVersion + 1 } };
}

/**
 * The chronology's line for a chapter or monthly summary written: which role's, written or updated,
 * and who by; never its words (the workbook holds them, and the line travels in
 * CaseChronologyEntryAdded to everyone the case's events reach).
 */
export function workbookChronologyLine(written: { chapter: ChapterVersion } | { summary: MonthlySummary }): string {
  const entry = 'chapter' in written ? written.chapter : written.summary;
  const what =
    'chapter' in written
      ? `${ROLE_NAMES[entry.role]} chapter`
      : `${ROLE_NAMES[entry.role]} monthly summary for ${monthText(written.summary.month)}`;
  return `Workbook: ${what} ${entry.version === 1 ? 'written' : `updated (version ${entry.version})`} by ${entry.by.name}`;
}

/** The chronology entry's id: one per version written, so the same version written twice collides. */
export const workbookEntryId = (written: { chapter: ChapterVersion } | { summary: MonthlySummary }): string =>
  'chapter' in written
    ? `workbook-chapter-${written.chapter.role}-${written.chapter.version}`
    : `workbook-summary-${written.summary.month}-${written.summary.role}-${written.summary.version}`;

export const isRefusal = (result: object): result is WorkbookRefusal | WorkbookChanged => 'refused' in result;
