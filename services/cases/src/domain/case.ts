/**
 * Case records (DOMAIN.md, Cases): what opening a case from an accepted referral means, what the
 * chronology says about it (who may read it: domain/access.ts). Pure: no AWS, no I/O; the time is passed in.
 */
import { createHash } from 'node:crypto';
import type { AcceptedOutcome, ReferralSourceCode } from '@fsp/shared/events/codes';
import type { SupervisionRating } from '@fsp/shared/events/definitions/supervision';
import { londonDateOf } from '@fsp/shared/time/london';
import { workingDayDeadline } from '@fsp/shared/time/working-days';
import { type CasePath, startPath } from './path';
import type { NextDeadline } from './path-timescales';

/** DOMAIN.md: assessment → child in need / child protection / looked after → closed. */
export const CASE_STATUSES = ['assessment', 'child-in-need', 'child-protection', 'looked-after', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** DOMAIN.md, Time: the Child and Family assessment is due 45 working days from the referral date. */
export const ASSESSMENT_WORKING_DAYS = 45;

export interface CaseChild {
  childId: string;
  /** An unborn child's `dateOfBirth` is the expected date. */
  unborn: boolean;
  dateOfBirth?: string;
}

export interface CaseRecord {
  caseId: string;
  /** The referral the case was opened from, and the reference its referrer was given. */
  referralId: string;
  reference: string;
  status: CaseStatus;
  teamId: string;
  urgent: boolean;
  openedAt: string;
  /** London calendar day the assessment is due, and the last instant that meets it. */
  assessmentDueDate: string;
  assessmentDueBy: string;
  children: CaseChild[];
  /**
   * The soonest timescale the path waits on (path-timescales.ts `nextDeadlineOf`), written with each
   * step that moves it; null when it waits on none. Absent on a case whose path has not moved since
   * before it was kept: its assessment's, while in assessment (`nextDeadlineOfCase`).
   */
  nextDeadline?: NextDeadline | null;
  /** The allocated social worker, as allocation last named them; absent until the case is first allocated. */
  socialWorker?: { userId: string; name: string };
  /** Changes of social worker so far (domain/allocation.ts); absent (none) until the case is first allocated. */
  socialWorkerChanges?: number;
  /**
   * The London day its first social worker was allocated, from which its first group supervision is
   * due (domain/essentials.ts); absent until then, and on heads allocated before it was kept.
   */
  firstAllocatedOn?: string;
  /**
   * The case's latest group supervision as supervision told it (SupervisionHeld, domain/supervision.ts):
   * the highest sequence heard of; absent until the first is held.
   */
  latestSupervision?: LatestSupervision;
  /** Copies for the essentials check of the team's list (domain/essentials.ts), written with what they copy. */
  summaryUpdatedAt?: string;
  assessmentCompletedOn?: string;
  planLastReviewedOn?: string;
  planNextReviewDate?: string;
  /** Optimistic lock: every update of the case (a chronology append included) increments it. */
  version: number;
}

export interface LatestSupervision {
  rating: SupervisionRating;
  /** The London calendar day it was held. */
  heldOn: string;
  /** The case's supervisions so far, this one included. */
  sequence: number;
}

/**
 * What the chronology records. 'note-significant': a note a worker marked significant, when it is
 * completed; 'note-amended': an amendment of such a note (domain/notes.ts); 'allocation-changed':
 * who was allocated or unallocated, and why a social worker changed (store/allocation-store.ts);
 * 'supervision-held': a group supervision held, with its rating (domain/supervision.ts, from SupervisionHeld).
 */
export const CHRONOLOGY_ENTRY_KINDS = [
  'case-opened',
  'referral-linked',
  'note-significant',
  'note-amended',
  'allocation-changed',
  'supervision-held',
  // The statutory path (domain/path.ts): each step's line.
  'assessment-completed',
  'strategy-discussion',
  'child-protection-conference',
  'child-protection-review',
  'status-changed',
  'case-closed',
  // The plan agreed with the family (domain/plan.ts).
  'plan-agreed',
  'plan-reviewed',
  // The Family Safeguarding workbook (domain/workbook.ts): a chapter or a monthly summary written.
  'workbook-updated',
  // Family group decision making (domain/fgdm.ts): a conference held, the family's own plan.
  'fgdm-held',
  'family-plan-recorded',
  // Pre-proceedings (domain/fgdm.ts): started, and ended with their outcome.
  'pre-proceedings',
] as const;
export type ChronologyEntryKind = (typeof CHRONOLOGY_ENTRY_KINDS)[number];

export interface ChronologyEntry {
  /** Deterministic from the fact that caused it, so writing the same fact twice collides instead of duplicating. */
  entryId: string;
  caseId: string;
  kind: ChronologyEntryKind;
  at: string;
  text: string;
  referralId: string;
  /** The eventId of the fact the entry records (for a note's entry, the note, and its amendment's number). */
  sourceEventId: string;
  /** The note a note's entry records, for a link to it. */
  noteId?: string;
  /**
   * True when the entry records a restricted note: its text is already the line everyone in the
   * team may read ("Restricted entry — …"), and CaseChronologyEntryAdded says it is restricted.
   */
  restricted?: boolean;
}

/** The fields of ReferralAccepted v1 that case opening reads (the handler passes the validated event data). */
export interface AcceptedReferral {
  referralId: string;
  reference: string;
  outcome: AcceptedOutcome;
  urgent: boolean;
  teamId: string;
  receivedAt?: string;
  acceptedAt: string;
  existingCaseId?: string;
  children: CaseChild[];
  /** Family Safeguarding eligibility as flagged at intake; absent from referrals accepted before it was carried. */
  familySafeguardingFlag?: boolean;
  /** The referral's census source code; absent from referrals accepted before it was carried. */
  referralSource?: ReferralSourceCode;
}

export type CaseOpeningOutcome = Extract<AcceptedOutcome, 'assessment' | 'strategy-discussion'>;

export const opensCase = (outcome: AcceptedOutcome): outcome is CaseOpeningOutcome =>
  outcome === 'assessment' || outcome === 'strategy-discussion';

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * The one case a referral can open. Derived (not random) so that every delivery of the fact, under
 * any eventId, aims at the same item and a conditional put lets only the first one through. Hashed
 * because a referral id may be 64 characters and a case id must fit the same 64-character id rule.
 */
export const caseIdForReferral = (referralId: string): string => `case-${digest(`referral:${referralId}`)}`;

const entryIdFor = (kind: ChronologyEntryKind, sourceEventId: string): string => `${kind}-${sourceEventId}`;

const OPENING_DESCRIPTIONS: Record<CaseOpeningOutcome, string> = {
  assessment: 'Child and Family assessment',
  'strategy-discussion': 'strategy discussion (section 47)',
};

/**
 * The referral date starts the assessment clock. ReferralAccepted v1 made `receivedAt` optional
 * (it was published without it); the acceptance is the nearest date we have then, and never earlier
 * than receipt, so the fallback can only give a later due date, never a breached one at opening.
 */
export const referralDateOf = (referral: Pick<AcceptedReferral, 'receivedAt' | 'acceptedAt'>): Date =>
  new Date(referral.receivedAt ?? referral.acceptedAt);

export interface CaseOpening {
  /** A case always opens in assessment. */
  record: CaseRecord & { status: 'assessment' };
  openingEntry: ChronologyEntry;
  /** The statutory path, at its start: the assessment's clock running (domain/path.ts). */
  path: CasePath;
}

export function openCaseFromReferral(
  referral: AcceptedReferral & { outcome: CaseOpeningOutcome },
  context: { now: Date; sourceEventId: string },
): CaseOpening {
  const caseId = caseIdForReferral(referral.referralId);
  const openedAt = context.now.toISOString();
  const deadline = workingDayDeadline(referralDateOf(referral), ASSESSMENT_WORKING_DAYS);
  const record: CaseOpening['record'] = {
    caseId,
    referralId: referral.referralId,
    reference: referral.reference,
    status: 'assessment',
    teamId: referral.teamId,
    urgent: referral.urgent,
    openedAt,
    assessmentDueDate: deadline.dueDate,
    assessmentDueBy: deadline.dueBy.toISOString(),
    nextDeadline: { timescale: 'assessment', dueDate: deadline.dueDate, dueBy: deadline.dueBy.toISOString() },
    children: referral.children.map(({ childId, unborn, dateOfBirth }) => ({
      childId,
      unborn,
      ...(dateOfBirth !== undefined ? { dateOfBirth } : {}),
    })),
    version: 1,
  };
  const openingEntry: ChronologyEntry = {
    entryId: entryIdFor('case-opened', context.sourceEventId),
    caseId,
    kind: 'case-opened',
    at: openedAt,
    text: `Case opened from referral ${referral.reference}: ${OPENING_DESCRIPTIONS[referral.outcome]}`,
    referralId: referral.referralId,
    sourceEventId: context.sourceEventId,
  };
  const path = startPath({
    caseId,
    referralDate: londonDateOf(referralDateOf(referral)),
    assessmentDueDate: deadline.dueDate,
    ...(referral.familySafeguardingFlag !== undefined ? { familySafeguardingFlag: referral.familySafeguardingFlag } : {}),
    ...(referral.referralSource !== undefined ? { referralSource: referral.referralSource } : {}),
  });
  return { record, openingEntry, path };
}

export function referralLinkedEntry(
  caseId: string,
  referral: Pick<AcceptedReferral, 'referralId' | 'reference' | 'urgent'>,
  context: { now: Date; sourceEventId: string },
): ChronologyEntry {
  return {
    entryId: entryIdFor('referral-linked', context.sourceEventId),
    caseId,
    kind: 'referral-linked',
    at: context.now.toISOString(),
    text: `Referral ${referral.reference} added to this case${referral.urgent ? ' (urgent)' : ''}`,
    referralId: referral.referralId,
    sourceEventId: context.sourceEventId,
  };
}

/** Oldest first; entries at the same instant keep a stable order by id. */
export const chronologicalOrder = (a: ChronologyEntry, b: ChronologyEntry): number =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0;

/** The case's soonest deadline, from what its head (or a caseload item) copies; undefined when it has none. */
export function nextDeadlineOfCase(
  record: Pick<CaseRecord, 'nextDeadline' | 'status' | 'assessmentDueDate' | 'assessmentDueBy' | 'assessmentCompletedOn'>,
): NextDeadline | undefined {
  if (record.nextDeadline !== undefined) return record.nextDeadline ?? undefined;
  return record.status === 'assessment' && record.assessmentCompletedOn === undefined
    ? { timescale: 'assessment', dueDate: record.assessmentDueDate, dueBy: record.assessmentDueBy }
    : undefined;
}
