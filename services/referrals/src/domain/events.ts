/**
 * The payloads of the events this service publishes, built from its records by named mappers, so
 * that what a fact carries is decided here and nowhere else: route handlers and the schedule call
 * `buildEvent(definition, mapper(record), context)`. Pure.
 *
 * Each event carries what its consumers act on and no more (shared/events/definitions/referrals.ts):
 * no child's or adult's name, address or the referral's narrative, save ReferralAccepted's `family`
 * (ADR 0014 §1): the people the case opens its family network with, and never the narrative.
 */
import type { EventDataInput } from '@fsp/shared/events/define';
import {
  type agencyOnboardedV1,
  type agencyRevokedV1,
  REFERRAL_GENDERS,
  type referralAcceptedV1,
  type referralDecidedV1,
  type referralDecisionDueV1,
  type referralDecisionOverdueV1,
  type referralSubmittedV1,
} from '@fsp/shared/events/definitions/referrals';
import type { Agency } from './agency';
import type { Handover } from './decision';
import { type Decision, isProfessionalReferrer, type Referral } from './referral';

export type ReferralSubmittedData = EventDataInput<typeof referralSubmittedV1>;
export type ReferralDecidedData = EventDataInput<typeof referralDecidedV1>;
export type ReferralAcceptedData = EventDataInput<typeof referralAcceptedV1>;
export type ReferralDecisionDueData = EventDataInput<typeof referralDecisionDueV1>;
export type ReferralDecisionOverdueData = EventDataInput<typeof referralDecisionOverdueV1>;
export type AgencyOnboardedData = EventDataInput<typeof agencyOnboardedV1>;
export type AgencyRevokedData = EventDataInput<typeof agencyRevokedV1>;

/** ReferralSubmitted v1: the new referral's ids, channel, source, how many children and its decision deadline. */
export const referralSubmittedData = (referral: Referral): ReferralSubmittedData => ({
  referralId: referral.referralId,
  reference: referral.reference,
  receivedAt: referral.receivedAt,
  decisionDueBy: referral.decisionDueBy,
  channel: referral.channel,
  ...(referral.agencyId ? { agencyId: referral.agencyId } : {}),
  referralSource: referral.referralSource,
  childCount: referral.children.length,
  familySafeguardingFlag: referral.familySafeguardingFlag,
});

/**
 * Whether a web-form referrer is told the outcome and the reason (DOMAIN.md, Referrals 5): they chose a
 * professional source and gave both their role and their organisation. Anyone else who left contact
 * details is a member of the public and is told only that the referral has been looked at.
 */
export const isProfessionalFormReferrer = (referral: Pick<Referral, 'channel' | 'referralSource' | 'referrer'>): boolean =>
  referral.channel === 'form' &&
  isProfessionalReferrer(referral) &&
  Boolean(referral.referrer?.role?.trim()) &&
  Boolean(referral.referrer?.organisation?.trim());

/**
 * ReferralDecided v1: the decision as the referrer is told it. A partner referral names its agency
 * (its webhook); a web-form referral names the least notifications needs to email its referrer and
 * whether they are told as a professional (DOMAIN.md, Referrals 5). An anonymous referrer (source 9)
 * left no contact details: nobody is told.
 */
export const referralDecidedData = (referral: Referral, decision: Decision): ReferralDecidedData => ({
  referralId: referral.referralId,
  reference: referral.reference,
  outcome: decision.outcome,
  reason: decision.reason,
  decidedAt: decision.decidedAt,
  decidedBy: decision.decidedBy,
  ...(referral.agencyId ? { agencyId: referral.agencyId } : {}),
  ...(decision.existingCaseId ? { caseId: decision.existingCaseId } : {}),
  ...(referral.channel === 'form' && referral.referrer
    ? {
        formReferrer: {
          name: referral.referrer.name,
          email: referral.referrer.email,
          professional: isProfessionalFormReferrer(referral),
        },
      }
    : {}),
});

type ReferralFamilyData = NonNullable<ReferralAcceptedData['family']>;

const GENDERS: ReadonlySet<string> = new Set(REFERRAL_GENDERS);
const isGender = (value: string | undefined): value is (typeof REFERRAL_GENDERS)[number] => value !== undefined && GENDERS.has(value);
/** Stored adults' dates were checked as YYYY-MM-DD at intake; one that is not is left out rather than refusing the decision. */
const isIsoDate = (value: string | undefined): value is string => value !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(value);

/**
 * The referral's people for the case's family network (ADR 0014 §1): every child with their
 * details, the household's adults with their relationship as the referrer put it, and the referrer
 * only when a professional (`isProfessionalReferrer`). Nothing else of the referral.
 */
export const referralFamilyData = (referral: Referral): ReferralFamilyData => {
  const referrer = referral.referrer;
  return {
    children: referral.children.map((child) => ({
      childId: child.childId,
      firstName: child.firstName,
      lastName: child.lastName,
      unborn: child.unborn,
      ...(child.dateOfBirth ? { dateOfBirth: child.dateOfBirth } : {}),
      ...(isGender(child.gender) ? { gender: child.gender } : {}),
      ...(child.school ? { school: child.school } : {}),
      ...(child.address
        ? {
            address: {
              line1: child.address.line1,
              ...(child.address.line2 ? { line2: child.address.line2 } : {}),
              town: child.address.town,
              postcode: child.address.postcode,
            },
          }
        : {}),
    })),
    adults: referral.adults.map((adult) => ({
      firstName: adult.firstName,
      lastName: adult.lastName,
      ...(isIsoDate(adult.dateOfBirth) ? { dateOfBirth: adult.dateOfBirth } : {}),
      relationship: adult.relationship,
    })),
    ...(referrer && isProfessionalReferrer(referral)
      ? {
          professionalReferrer: {
            name: referrer.name,
            ...(referrer.role ? { role: referrer.role } : {}),
            ...(referrer.organisation ? { organisation: referrer.organisation } : {}),
            email: referrer.email,
            ...(referrer.phone ? { phone: referrer.phone } : {}),
          },
        }
      : {}),
  };
};

/**
 * ReferralAccepted v1, for a decision that hands the family to a case-holding team: the team,
 * urgency, the children's ids and dates, the family's people the case opens with, and the
 * referral's census source (the case's census episode reports it).
 */
export const referralAcceptedData = (referral: Referral, decision: Decision, handover: Handover): ReferralAcceptedData => ({
  referralId: referral.referralId,
  reference: referral.reference,
  outcome: handover.outcome,
  urgent: handover.urgent,
  teamId: handover.teamId,
  receivedAt: referral.receivedAt,
  acceptedAt: decision.decidedAt,
  ...(handover.existingCaseId ? { existingCaseId: handover.existingCaseId } : {}),
  children: referral.children.map((child) => ({
    childId: child.childId,
    unborn: child.unborn,
    ...(child.dateOfBirth ? { dateOfBirth: child.dateOfBirth } : {}),
  })),
  family: referralFamilyData(referral),
  familySafeguardingFlag: referral.familySafeguardingFlag,
  referralSource: referral.referralSource,
});

/** What both decision reminders carry: the referral's clock and its Family Safeguarding flag. */
const decisionClockOf = (referral: Referral) => ({
  referralId: referral.referralId,
  reference: referral.reference,
  receivedAt: referral.receivedAt,
  decisionDueBy: referral.decisionDueBy,
  familySafeguardingFlag: referral.familySafeguardingFlag,
});

/** ReferralDecisionDue v1: an undecided referral is due by the end of today. */
export const referralDecisionDueData = (referral: Referral): ReferralDecisionDueData => decisionClockOf(referral);

/** ReferralDecisionOverdue v1: an undecided referral passed its deadline. */
export const referralDecisionOverdueData = (referral: Referral): ReferralDecisionOverdueData => decisionClockOf(referral);

/** AgencyOnboarded v1: who the agency is and the client its tokens carry; never a secret. */
export const agencyOnboardedData = (agency: Agency): AgencyOnboardedData => ({
  agencyId: agency.agencyId,
  clientId: agency.clientId,
  name: agency.name,
  type: agency.type,
  referralSource: agency.referralSource,
  contactEmail: agency.contactEmail,
  onboardedAt: agency.onboardedAt,
});

/**
 * AgencyRevoked v1: the agency and client whose access ended, and when. Takes the agency as revoked
 * (`revokeAgency`), so the time is the one recorded on it.
 */
export const agencyRevokedData = (agency: Agency & { revokedAt: string }): AgencyRevokedData => ({
  agencyId: agency.agencyId,
  clientId: agency.clientId,
  revokedAt: agency.revokedAt,
});
