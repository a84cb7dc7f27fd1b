/**
 * The payloads of the events this service publishes, built from its records by named mappers, so
 * that what a fact carries is decided here and nowhere else. Pure.
 */
import type { EventData } from '@fsp/shared/events/define';
import type {
  ADULT_SPECIALISMS,
  assessmentCompletedV1,
  CASE_ALLOCATION_ROLES,
  caseAllocatedV1,
  caseChronologyEntryAddedV1,
  caseClosedV1,
  caseOpenedV1,
  caseStatusChangedV1,
  caseTimescaleDueSoonV1,
  caseTimescaleMetV1,
} from '@fsp/shared/events/definitions/cases';
import type { AllocationRole, CaseAllocatedData, Specialism } from './allocation';
import type { CaseOpening, CaseRecord, ChronologyEntry } from './case';
import { excerptOf } from './notes';
import type { CasePath, Closure, CompletedAssessment, StatusChange } from './path';
import type { EndedTimescale, OpenTimescale } from './path-timescales';

export type CaseOpenedData = EventData<typeof caseOpenedV1>;

/**
 * CaseOpened v1: the new case, the reference workers know it by (its referral's), its team and the
 * assessment deadline its clock started.
 */
export const caseOpenedData = (record: CaseOpening['record']): CaseOpenedData => ({
  caseId: record.caseId,
  referralId: record.referralId,
  reference: record.reference,
  teamId: record.teamId,
  openedAt: record.openedAt,
  status: record.status,
  assessmentDueBy: record.assessmentDueBy,
});

export type CaseAllocatedEventData = EventData<typeof caseAllocatedV1>;

/** The event's vocabulary and the domain's are one: a specialism or role added on one side only fails to compile. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameSpecialisms: Same<Specialism, (typeof ADULT_SPECIALISMS)[number]> = true;
const sameRoles: Same<AllocationRole, (typeof CASE_ALLOCATION_ROLES)[number]> = true;
void sameSpecialisms;
void sameRoles;

/**
 * CaseAllocated v1: one per worker newly allocated (domain/allocation.ts decides which), with the
 * case's reference so that the worker is told which family without another read.
 */
export const caseAllocatedData = (allocated: CaseAllocatedData, record: Pick<CaseRecord, 'reference'>): CaseAllocatedEventData => ({
  ...allocated,
  reference: record.reference,
});

export type CaseChronologyEntryAddedData = EventData<typeof caseChronologyEntryAddedV1>;

/** The event's limit on a chronology line: a longer line (an amendment's reason and narrative, long names) is cut, marked "…". */
export const CHRONOLOGY_EVENT_TEXT_LENGTH = 500;

/**
 * CaseChronologyEntryAdded v1: the entry as any member of the holding team reads it in the
 * chronology. The stored text is already that line (a restricted note's entry says only
 * "Restricted entry — <type> recorded by <name>", domain/notes.ts), so the event carries it, never
 * more; `restricted` says the full note is open to some roles only.
 */
export const chronologyEntryAddedData = (
  entry: ChronologyEntry,
  record: Pick<CaseRecord, 'reference' | 'teamId'>,
): CaseChronologyEntryAddedData => ({
  caseId: entry.caseId,
  reference: record.reference,
  teamId: record.teamId,
  entryId: entry.entryId,
  kind: entry.kind,
  at: entry.at,
  // One short of the limit: a cut line ends with "…".
  text: excerptOf(entry.text, CHRONOLOGY_EVENT_TEXT_LENGTH - 1),
  restricted: entry.restricted === true,
});

export type CaseStatusChangedData = EventData<typeof caseStatusChangedV1>;

/** CaseStatusChanged v1: the move, the day it took effect, the step's reason and who recorded it. */
export const caseStatusChangedData = (
  change: StatusChange,
  record: Pick<CaseRecord, 'caseId' | 'reference' | 'teamId'>,
): CaseStatusChangedData => ({
  caseId: record.caseId,
  reference: record.reference,
  teamId: record.teamId,
  from: change.from,
  to: change.to,
  on: change.on,
  reason: excerptOf(change.reason, 499),
  changedBy: change.by,
  changedAt: change.recordedAt,
  sequence: change.sequence,
});

export type AssessmentCompletedData = EventData<typeof assessmentCompletedV1>;

/**
 * AssessmentCompleted v1: the outcome, primary need and Family Safeguarding eligibility; never the
 * factors (special category detail that stays in the case) or the assessment's words.
 */
export const assessmentCompletedData = (
  assessment: CompletedAssessment,
  path: Pick<CasePath, 'assessmentDueDate'>,
  record: Pick<CaseRecord, 'caseId' | 'reference' | 'teamId'>,
): AssessmentCompletedData => ({
  caseId: record.caseId,
  reference: record.reference,
  teamId: record.teamId,
  completedOn: assessment.completedOn,
  onTime: assessment.completedOn <= path.assessmentDueDate,
  outcome: assessment.outcome,
  primaryNeed: assessment.primaryNeed,
  familySafeguardingEligible: assessment.familySafeguardingEligible,
  completedBy: assessment.by,
});

export type CaseClosedData = EventData<typeof caseClosedV1>;

/** CaseClosed v1: the census reason and day, and whether the family steps down to early help; not the sustainability plan's people. */
export const caseClosedData = (
  closure: Closure,
  record: Pick<CaseRecord, 'caseId' | 'reference' | 'teamId'>,
  now: Date,
): CaseClosedData => ({
  caseId: record.caseId,
  reference: record.reference,
  teamId: record.teamId,
  closedAt: now.toISOString(),
  reasonCode: closure.reasonCode,
  closedBy: closure.by,
  closedOn: closure.closedOn,
  stepDownToEarlyHelp: closure.stepDownToEarlyHelp,
});

export type CaseTimescaleData = EventData<typeof caseTimescaleDueSoonV1>;

/** CaseTimescaleDueSoon / CaseTimescaleOverdue v1: which timescale, when it is due, and the social worker to tell. */
export const caseTimescaleData = (
  open: OpenTimescale,
  record: Pick<CaseRecord, 'caseId' | 'reference' | 'teamId' | 'socialWorker'>,
): CaseTimescaleData => ({
  caseId: record.caseId,
  reference: record.reference,
  teamId: record.teamId,
  timescale: open.timescale,
  targetId: open.targetId,
  dueDate: open.dueDate,
  dueBy: open.dueBy,
  ...(record.socialWorker ? { socialWorkerId: record.socialWorker.userId } : {}),
});

export type CaseTimescaleMetData = EventData<typeof caseTimescaleMetV1>;

/** CaseTimescaleMet v1: which timescale stopped being awaited, met (and whether on time) or withdrawn, and on which day. */
export const caseTimescaleMetData = (
  ended: EndedTimescale,
  record: Pick<CaseRecord, 'caseId' | 'reference' | 'teamId'>,
  recordedAt: Date,
): CaseTimescaleMetData => ({
  caseId: record.caseId,
  reference: record.reference,
  teamId: record.teamId,
  timescale: ended.open.timescale,
  targetId: ended.open.targetId,
  dueDate: ended.open.dueDate,
  outcome: ended.outcome,
  ...(ended.onTime !== undefined ? { onTime: ended.onTime } : {}),
  on: ended.on,
  recordedAt: recordedAt.toISOString(),
});
