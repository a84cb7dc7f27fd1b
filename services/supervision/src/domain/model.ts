/**
 * What supervision keeps about a case, as plain data (the store maps its items to and from these;
 * the pages and JSON read them). Pure types and constants: no I/O.
 */
import type { ADULT_SPECIALISMS } from '@fsp/shared/events/definitions/cases';
import type { SupervisionRating } from '@fsp/shared/events/definitions/supervision';
import type { LocalDate } from '@fsp/shared/time/local-date';

export type { SupervisionRating } from '@fsp/shared/events/definitions/supervision';
export type AdultSpecialism = (typeof ADULT_SPECIALISMS)[number];

/** Scheduled (on the team's agenda), held (its record completed), or cancelled (the case closed before it was held). */
export const SUPERVISION_STATUSES = ['scheduled', 'held', 'cancelled'] as const;
export type SupervisionStatus = (typeof SUPERVISION_STATUSES)[number];

/** A worker as a record names them: the directory's `sub` and the name shown. */
export interface Person {
  userId: string;
  name: string;
}

/** The case as events tell of it (CaseOpened, CaseAllocated), whichever arrives first. */
export interface SupervisedCase {
  caseId: string;
  teamId: string;
  /** From CaseOpened; absent while only its allocation has arrived (facts may arrive in any order). */
  openedAt?: string;
  /** The reference workers know the case by (its referral's). Absent only from a case known from a CaseOpened without one. */
  reference?: string;
}

/** Who is allocated to the case now (from CaseAllocated; a change replaces the slot's holder). */
export interface Allocation {
  socialWorker?: string;
  specialists: Partial<Record<AdultSpecialism, string>>;
}

/** A rating given at a supervision: the case's ratings over time. */
export interface RatingEntry {
  sequence: number;
  heldOn: LocalDate;
  rating: SupervisionRating;
  rationale: string;
}

/** The case head (sk CASE): its facts, who is allocated, its ratings and whether it closed. */
export interface CaseHead extends SupervisedCase {
  closedAt?: string;
  allocation: Allocation;
  lastRating?: SupervisionRating;
  lastHeldOn?: LocalDate;
  /** Oldest first. */
  ratings: RatingEntry[];
  version: number;
}

/** Something that changed on the case since it was last discussed (an allocation, a chronology line). */
export interface AgendaChange {
  /** Idempotency key: the chronology entry's id, or the allocation's. */
  id: string;
  at: string;
  kind: string;
  text: string;
}

/** Agenda changes kept per supervision: the newest 50. */
export const AGENDA_CHANGES_CAP = 50;

export interface Reschedule {
  at: string;
  by: Person;
  previousScheduledFor: string;
  scheduledFor: string;
  reason: string;
}

export interface ActionDraft {
  /** Given when the action is assigned (completion or amendment); absent on a draft's rows. */
  actionId?: string;
  what: string;
  ownerId: string;
  dueDate: LocalDate;
}

/** What the chair writes; in a draft every field may be absent. */
export interface RecordContent {
  heldOn?: LocalDate;
  attendees: string[];
  apologies: string[];
  rating?: SupervisionRating;
  ratingRationale?: string;
  discussion?: string;
  risks?: string;
  strengths?: string;
  decisions?: string;
  actions: ActionDraft[];
  /** A proposed date for the next supervision; the schedule rule still decides when it is due. */
  nextDate?: LocalDate;
}

export const RECORD_STATUSES = ['draft', 'completed'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export interface SupervisionRecord extends RecordContent {
  chair: Person;
  recordStatus: RecordStatus;
  /** 1 at the first save, one more at each save, completion and amendment; 0 means no record yet. */
  recordVersion: number;
  savedAt: string;
  completedAt?: string;
  completedBy?: string;
}

export interface Supervision {
  supervisionId: string;
  caseId: string;
  teamId: string;
  sequence: number;
  status: SupervisionStatus;
  dueDate: string;
  dueBy: string;
  scheduledDate: string;
  scheduledFor: string;
  /**
   * The case's reference, which the agenda names it by (it reads supervisions only). CaseAllocated
   * always carries it; supervisions scheduled at opening from a CaseOpened without one have none.
   */
  caseReference?: string;
  /** When the schedule found it not held by its due date (set once). */
  overdueAt?: string;
  /** When the schedule told it due within five working days (set once: SupervisionDueSoon). */
  dueSoonAt?: string;
  /** Moves of the planned date, oldest first (the store always gives the list). */
  reschedules?: Reschedule[];
  /** What changed since the case's last supervision, oldest first, newest 50 (the store always gives it). */
  agenda?: { changes: AgendaChange[] };
  /** The case's rating when this one was scheduled: the agenda shows it. */
  previousRating?: SupervisionRating;
  heldOn?: LocalDate;
  /** When the case closed before it was held: cancelled. */
  cancelledAt?: string;
  record?: SupervisionRecord;
  /** Scheduling version (created 1; reschedule, hold and cancel add one): a reschedule's expectedVersion. */
  version?: number;
}

export interface Amendment {
  sequence: number;
  /** 1, 2, … per supervision. */
  number: number;
  at: string;
  by: Person;
  reason: string;
  /** Only the fields that changed. */
  before: Partial<RecordContent>;
  after: Partial<RecordContent>;
  addedActionIds: string[];
}

export const ACTION_STATUSES = ['open', 'completed'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export type ActionEscalation = 'owner' | 'team-manager';

export interface SupervisionAction {
  actionId: string;
  supervisionId: string;
  caseId: string;
  teamId: string;
  reference: string;
  sequence: number;
  what: string;
  ownerId: string;
  ownerName: string;
  dueDate: LocalDate;
  dueBy: string;
  assignedAt: string;
  assignedBy: string;
  status: ActionStatus;
  completedAt?: string;
  completedBy?: string;
  /** When each escalation was published (once each). */
  overdueTold: Partial<Record<ActionEscalation, string>>;
  /** When the schedule told it due within two working days (set once: SupervisionActionDueSoon). */
  dueSoonAt?: string;
}

export interface Consultation {
  consultationId: string;
  caseId: string;
  at: string;
  by: Person;
  /** Who was consulted: the manager or clinician's name and role. */
  with: string;
  heldOn: LocalDate;
  notes: string;
}

/** Every user id allocated to the case (the social worker and each specialist), once each. */
export function allocatedWorkerIds(allocation: Allocation): string[] {
  const ids = [allocation.socialWorker, ...Object.values(allocation.specialists)].filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}
