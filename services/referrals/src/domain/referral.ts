/**
 * A referral as the front door works with it: received, then decided. Pure rules; the handler
 * supplies the clock's reading, the ids and the reference.
 */
import type { ReferralOutcome, ReferralSourceCode } from '@fsp/shared/events/codes';
import { type LocalDate, parseLocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import { workingDayDeadline } from '@fsp/shared/time/working-days';
import { isFamilySafeguardingEligible } from './eligibility';
import type { FamilyMatch } from './known-family';
import type { ReferralSubmission, Referrer } from './submission';

/** DOMAIN.md, Time: the decision is due within one working day of receipt. */
export const DECISION_WORKING_DAYS = 1;

export type ReferralChannel = 'form' | 'partner-api';
/** received → in-screening (a front-door worker has picked it up) → decided; a decision may come from either. */
export type ReferralStatus = 'received' | 'in-screening' | 'decided';

export interface Screening {
  startedBy: string;
  /** The worker's name as their session or token gave it when they started: what pages show (a user id means nothing to a colleague). */
  startedByName?: string;
  startedAt: string;
}

/** The case opened from this referral (CaseOpened), as the known-family check shows it. */
export interface OpenCase {
  caseId: string;
  openedAt: string;
}

export interface ReferralChild {
  childId: string;
  firstName: string;
  lastName: string;
  unborn: boolean;
  /** For an unborn child, the expected date. */
  dateOfBirth?: LocalDate;
  gender?: string;
  address?: { line1: string; line2?: string; town: string; postcode: string };
  school?: string;
}

export interface Decision {
  outcome: ReferralOutcome;
  reason: string;
  decidedAt: string;
  decidedBy: string;
  /** The worker's name when they decided; absent from decisions recorded before names were kept. */
  decidedByName?: string;
  teamId?: string;
  existingCaseId?: string;
  /** The reference of the case it was added to (the reference of the referral that case was opened from), when it was known. */
  existingCaseReference?: string;
}

export interface Referral {
  referralId: string;
  reference: string;
  status: ReferralStatus;
  channel: ReferralChannel;
  agencyId?: string;
  receivedAt: string;
  decisionDueBy: string;
  referralSource: ReferralSourceCode;
  familySafeguardingFlag: boolean;
  /** Absent only from an anonymous referral (source 9): nobody to contact, and nobody is told the outcome. */
  referrer?: Referrer;
  children: ReferralChild[];
  adults: NonNullable<ReferralSubmission['adults']>;
  concerns: ReferralSubmission['concerns'];
  factors: ReferralSubmission['factors'];
  consent: ReferralSubmission['consent'];
  decision?: Decision;
  /** Who picked it up for screening, and when. */
  screening?: Screening;
  /** The known-family check's findings: children met in earlier referrals. Absent until the check has run, just after intake. */
  familyMatches?: FamilyMatch[];
  openCase?: OpenCase;
  /** When ReferralDecisionDue was put in the outbox: set once, so it is published once. */
  decisionDueNotifiedAt?: string;
  /** When ReferralDecisionOverdue was put in the outbox: set once, so it is published once. */
  decisionOverdueNotifiedAt?: string;
  /** Optimistic locking: every change is conditional on the version it read. */
  version: number;
}

/**
 * Census sources a member of the public refers from (DOMAIN.md, Codes): family, acquaintance, the
 * child themselves, another individual, anonymous. 10 (unknown) is never offered by the form.
 */
const PUBLIC_REFERRAL_SOURCES: ReadonlySet<ReferralSourceCode> = new Set<ReferralSourceCode>(['1A', '1B', '1C', '1D', '9', '10']);

/**
 * Whether the referrer is a professional, and so the first professional around the family (ADR 0014
 * §1): an onboarded partner agency always is; a form referrer is when they chose a professional
 * source (schools, health, housing, the council, police, legal agencies, another organisation).
 * A member of the public, or an anonymous referral, is not: their details stay with the referral.
 */
export const isProfessionalReferrer = (referral: Pick<Referral, 'channel' | 'referralSource' | 'referrer'>): boolean =>
  referral.referrer !== undefined && (referral.channel === 'partner-api' || !PUBLIC_REFERRAL_SOURCES.has(referral.referralSource));

export interface Receipt {
  referralId: string;
  reference: string;
  receivedAt: Date;
  channel: ReferralChannel;
  agencyId?: string;
  newChildId: () => string;
}

export function receiveReferral(submission: ReferralSubmission, receipt: Receipt): Referral {
  const children: ReferralChild[] = submission.children.map((child) => {
    const unborn = child.expectedDateOfBirth !== undefined;
    const date = child.dateOfBirth ?? child.expectedDateOfBirth;
    return {
      childId: receipt.newChildId(),
      firstName: child.firstName,
      lastName: child.lastName,
      unborn,
      ...(date ? { dateOfBirth: parseLocalDate(date) } : {}),
      ...(child.gender ? { gender: child.gender } : {}),
      ...(child.address ? { address: child.address } : {}),
      ...(child.school ? { school: child.school } : {}),
    };
  });
  return {
    referralId: receipt.referralId,
    reference: receipt.reference,
    status: 'received',
    channel: receipt.channel,
    ...(receipt.agencyId ? { agencyId: receipt.agencyId } : {}),
    receivedAt: receipt.receivedAt.toISOString(),
    decisionDueBy: workingDayDeadline(receipt.receivedAt, DECISION_WORKING_DAYS).dueBy.toISOString(),
    referralSource: submission.referralSource,
    familySafeguardingFlag: isFamilySafeguardingEligible(submission.factors, children, londonDateOf(receipt.receivedAt)),
    ...(submission.referrer ? { referrer: submission.referrer } : {}),
    children,
    adults: submission.adults ?? [],
    concerns: submission.concerns,
    factors: submission.factors,
    consent: submission.consent,
    version: 1,
  };
}
