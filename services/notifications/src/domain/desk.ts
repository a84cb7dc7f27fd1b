/**
 * The worker's desk (WEB.md, "The worker's home"): what needs a worker today, by role, from small
 * projections this service keeps of other services' facts (it never asks them at request time).
 * Pure: the facts' payloads in, the projected records and the home's rules out; the clock is passed in.
 *
 * - The front door: referrals awaiting a decision (ReferralSubmitted, and the decision clock's
 *   ReferralDecisionDue and ReferralDecisionOverdue, which also fill in a referral whose submission
 *   arrived before this projection existed), until ReferralDecided.
 * - A team: the cases opened for it (CaseOpened) and the supervisions scheduled for it
 *   (SupervisionScheduled). Nothing says yet that a case was allocated or a supervision held, so
 *   the home shows recent cases and supervisions still to come, and says what comes later.
 */
import type { EventData } from '@fsp/shared/events/define';
import type { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import type {
  referralDecidedV1,
  referralDecisionDueV1,
  referralDecisionOverdueV1,
  referralSubmittedV1,
} from '@fsp/shared/events/definitions/referrals';
import type { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import type { Role } from '@fsp/shared/people';
import { addCalendarDays } from '@fsp/shared/time/local-date';
import { londonDateOf, startOfLondonDay } from '@fsp/shared/time/london';

/** Times are stored as `Date.toISOString()`, so that they sort as text in sort keys, whatever offset a fact used. */
const canonical = (instant: string): string => new Date(instant).toISOString();

/** A referral the front door has still to decide. */
export interface OpenReferral {
  referralId: string;
  reference: string;
  receivedAt: string;
  decisionDueBy: string;
  familySafeguardingFlag: boolean;
}

/** How a fact about an undecided referral changes it: ReferralDecisionOverdue also marks it escalated. */
export interface ReferralClockFact {
  referral: OpenReferral;
  escalated: boolean;
}

type ReferralClockData =
  | EventData<typeof referralSubmittedV1>
  | EventData<typeof referralDecisionDueV1>
  | EventData<typeof referralDecisionOverdueV1>;

const openReferralOf = (data: ReferralClockData): OpenReferral => ({
  referralId: data.referralId,
  reference: data.reference,
  receivedAt: canonical(data.receivedAt),
  decisionDueBy: canonical(data.decisionDueBy),
  familySafeguardingFlag: data.familySafeguardingFlag,
});

export const referralSubmittedDesk = (data: EventData<typeof referralSubmittedV1>): ReferralClockFact => ({
  referral: openReferralOf(data),
  escalated: false,
});
export const referralDecisionDueDesk = (data: EventData<typeof referralDecisionDueV1>): ReferralClockFact => ({
  referral: openReferralOf(data),
  escalated: false,
});
export const referralDecisionOverdueDesk = (data: EventData<typeof referralDecisionOverdueV1>): ReferralClockFact => ({
  referral: openReferralOf(data),
  escalated: true,
});

export interface DecidedReferral {
  referralId: string;
  reference: string;
  decidedAt: string;
}

export const referralDecidedDesk = (data: EventData<typeof referralDecidedV1>): DecidedReferral => ({
  referralId: data.referralId,
  reference: data.reference,
  decidedAt: canonical(data.decidedAt),
});

/** A case opened for a team. */
export interface OpenedCase {
  caseId: string;
  referralId: string;
  teamId: string;
  openedAt: string;
  assessmentDueBy: string;
  /**
   * The referral's reference ("FSP-2026-000123"), which CaseOpened does not carry: taken from the
   * front door's desk when it knows the referral, so that a worker recognises the case.
   */
  reference?: string;
}

export const caseOpenedDesk = (data: EventData<typeof caseOpenedV1>, reference: string | undefined): OpenedCase => ({
  caseId: data.caseId,
  referralId: data.referralId,
  teamId: data.teamId,
  openedAt: canonical(data.openedAt),
  assessmentDueBy: canonical(data.assessmentDueBy),
  ...(reference !== undefined ? { reference } : {}),
});

/** A group supervision scheduled for a team's case. */
export interface ScheduledSupervision {
  supervisionId: string;
  caseId: string;
  teamId: string;
  scheduledFor: string;
  dueBy: string;
  /** When the fact that set it happened: a later fact replaces an earlier one, never the other way round. */
  factAt: string;
}

export const supervisionScheduledDesk = (data: EventData<typeof supervisionScheduledV1>, occurredAt: string): ScheduledSupervision => ({
  supervisionId: data.supervisionId,
  caseId: data.caseId,
  teamId: data.teamId,
  scheduledFor: canonical(data.scheduledFor),
  dueBy: canonical(data.dueBy),
  factAt: canonical(occurredAt),
});

// --- The home ------------------------------------------------------------------------------------

/** The home's sections, in the order they appear. */
export const HOME_SECTIONS = ['front-door', 'team', 'caseload', 'admin'] as const;
export type HomeSection = (typeof HOME_SECTIONS)[number];

const MANAGING_ROLES: readonly Role[] = ['team-manager', 'service-manager'];
const CASE_HOLDING_ROLES: readonly Role[] = ['social-worker', 'adult-specialist'];

/**
 * What a worker's roles put on their home: the front door's due referrals; a manager's team (its
 * new cases and supervisions); a case holder's caseload (their team's new cases until allocation
 * exists; a manager who also holds cases sees the team section, which already lists them); an
 * administrator's failed webhook deliveries and partner agencies.
 */
export function homeSectionsFor(roles: readonly Role[]): HomeSection[] {
  const has = (candidates: readonly Role[]) => candidates.some((role) => roles.includes(role));
  const managing = has(MANAGING_ROLES);
  const shown: Record<HomeSection, boolean> = {
    'front-door': roles.includes('front-door'),
    team: managing,
    caseload: !managing && has(CASE_HOLDING_ROLES),
    admin: roles.includes('administrator'),
  };
  return HOME_SECTIONS.filter((section) => shown[section]);
}

/** The home shows this many of each list, and says when there are more. */
export const HOME_LIST_SIZE = 10;
/** "Newly opened": the cases opened for a team in the last four weeks. */
export const NEW_CASE_WINDOW_DAYS = 28;

export interface HomeWindow {
  /** Referrals due before this instant (London midnight ending today) are due today or overdue. */
  dueBefore: Date;
  /** Cases opened at or after this instant are new. */
  newCasesSince: Date;
  /** Supervisions scheduled at or after this instant (London midnight starting today) are still to come. */
  supervisionsFrom: Date;
}

export function homeWindowAt(now: Date): HomeWindow {
  const today = londonDateOf(now);
  return {
    dueBefore: startOfLondonDay(addCalendarDays(today, 1)),
    newCasesSince: startOfLondonDay(addCalendarDays(today, -NEW_CASE_WINDOW_DAYS)),
    supervisionsFrom: startOfLondonDay(today),
  };
}
