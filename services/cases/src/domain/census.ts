/**
 * The Children in Need census return of one case, as the record holds it now (DOMAIN.md, Codes:
 * "What the record must be able to produce for the census"; issue 14 Deliver 10), and what is
 * still missing from it. The census is captured as the work happens: this says, at any moment,
 * which of its fields the case's state already requires and does not have, each with why the
 * census needs it and where a worker records it.
 *
 * Two kinds of gap, kept apart so that nobody is told to record what cannot yet be known:
 * - missing: the case's state requires it and it is not on the record (a child's ethnicity; the
 *   referral's source of a case opened before ReferralAccepted carried it, which the front door knows);
 * - in progress: it comes with a step the case has not reached yet (the assessment's authorisation
 *   date and factors while it is open, an initial conference still due, pre-proceedings running) —
 *   not missing.
 *
 * One case is one census episode (referral to closure) for each of its children: every child on
 * the case shares its path, its family group decision making and its pre-proceedings (domain/fgdm.ts).
 * Pure: no AWS, no I/O; `today` (London) is passed in.
 */
import type { CategoryOfAbuse, ClosureReasonCode, ReferralSourceCode } from '@fsp/shared/events/codes';
import { compareLocalDates, type LocalDate } from '@fsp/shared/time/local-date';
import { localDateText } from '@fsp/shared/time/words';
import type { DisabilityCode, EthnicityCode, NetworkChild, Sex, UpnUnknownReason } from './family-network';
import { type CaseFgdm, latestOffer, type OfferResponse, type PreProceedingsOutcome } from './fgdm';
import type { AssessmentFactorCode, CasePath, PrimaryNeedCode } from './path';

export interface CensusChild {
  /** The local authority's id of the child: the family network's person id. */
  laChildId: string;
  /** Not sent to the census: how the pages name the child. */
  firstName: string;
  lastName: string;
  unborn: boolean;
  upn?: string;
  upnUnknownReason?: UpnUnknownReason;
  dateOfBirth?: LocalDate;
  /** An unborn child's expected date (the census takes it in place of the date of birth). */
  expectedDateOfBirth?: LocalDate;
  sex?: Sex;
  ethnicity?: EthnicityCode;
  /** Empty until asked; ['NONE'] once the answer is "no disability". */
  disabilities: DisabilityCode[];
}

export interface CensusAssessment {
  /** The case opened for the assessment (or the strategy discussion, alongside it) the day the referral was accepted. */
  startDate: LocalDate;
  /** The team manager's authorisation; absent while the assessment is in progress. */
  authorisationDate?: LocalDate;
  factors: AssessmentFactorCode[];
}

export interface CensusSection47 {
  /** The strategy discussion that started the enquiry. */
  startDate: LocalDate;
  initialConferenceTargetDate?: LocalDate;
  initialConferenceDate?: LocalDate;
  initialConferenceNotRequired: boolean;
}

export interface CensusChildProtectionPlan {
  startDate: LocalDate;
  endDate?: LocalDate;
  initialCategory: CategoryOfAbuse;
  latestCategory: CategoryOfAbuse;
  reviewDates: LocalDate[];
}

export interface CensusChildInNeedPlan {
  startDate: LocalDate;
  endDate?: LocalDate;
}

/** Family group decision making as the census asks it: offered (and the family's answer), held, and its outcome (the family's plan). */
export interface CensusFamilyGroupDecisionMaking {
  offers: Array<{ offeredOn: LocalDate; response: OfferResponse }>;
  conferences: Array<{ heldOn: LocalDate; familyPlanAgreedOn?: LocalDate }>;
}

export interface CensusPreProceedings {
  startDate: LocalDate;
  endDate?: LocalDate;
  outcome?: PreProceedingsOutcome;
}

export interface CensusEpisode {
  caseId: string;
  /** The children the episode is theirs (all the case's). */
  childIds: string[];
  referralDate: LocalDate;
  /** Absent for a case opened before ReferralAccepted carried it (then a gap: ask the front door). */
  referralSource?: ReferralSourceCode;
  /** A case is opened only by a referral that needed more than no further action. */
  referralNfa: false;
  primaryNeed?: PrimaryNeedCode;
  closureDate?: LocalDate;
  closureReason?: ClosureReasonCode;
  assessments: CensusAssessment[];
  childInNeedPlans: CensusChildInNeedPlan[];
  section47Enquiries: CensusSection47[];
  childProtectionPlans: CensusChildProtectionPlan[];
  familyGroupDecisionMaking: CensusFamilyGroupDecisionMaking;
  preProceedings: CensusPreProceedings[];
}

/**
 * Where a field comes from: a child on the family page, a step of the statutory path, the family
 * group decision making page (pre-proceedings too), or the front door (what the referral held and
 * the case did not receive), with why.
 */
export type CensusPlace =
  | { kind: 'family-child'; childId: string }
  | { kind: 'path' }
  | { kind: 'fgdm' }
  | { kind: 'front-door'; why: string };

export interface CensusGap {
  /** Stable, for tests and anchors: 'child:<id>:ethnicity', 'episode:closure'. */
  key: string;
  /** Whose it is: the child's id, or undefined for the episode. */
  childId?: string;
  /** The field, in words: "Ethnicity". */
  field: string;
  /** Why the census needs it, in words. */
  why: string;
  where: CensusPlace;
  /** For a step in progress: the day it is due by, when the path knows it. */
  dueBy?: LocalDate;
}

export interface CensusReturn {
  children: CensusChild[];
  episodes: CensusEpisode[];
  /** What the case's state requires and a worker can record now. */
  missing: CensusGap[];
  /** What comes with a step the case has not reached yet. */
  inProgress: CensusGap[];
}

export interface CensusInput {
  caseId: string;
  /** The London day the case opened: the assessment's start. */
  openedOn: LocalDate;
  children: readonly NetworkChild[];
  path: CasePath;
  /** The case's family group decision making and pre-proceedings (their own partition). */
  fgdm: CaseFgdm;
}

/** The census's own reasons, said once. */
const WHY = {
  upn: 'The census links each child to their school records by the unique pupil number, or says why there is none',
  dateOfBirth: 'The census counts children by age, from the date of birth',
  bornSince: 'The expected date of birth has passed: the census needs the date of birth once the child is born, or a new expected date',
  expectedDate: 'The census counts an unborn child by the expected date of birth',
  sex: 'The census reports every child’s sex',
  ethnicity: 'The census reports every child’s ethnicity, or that it was refused or not yet obtained',
  disabilities: 'The census reports each child’s disabilities, or that they have none',
  assessment: 'The census reports each assessment’s authorisation date and the factors it identified',
  primaryNeed: 'The census reports the primary need of every episode',
  closure: 'The census reports the date and reason every closed episode ended',
  conference: 'The census reports each section 47 enquiry’s initial conference date, or that none was required',
  review: 'The census reports the date of every child protection review',
  referralSource: 'The census reports who made the referral (its source code)',
  preProceedings: 'The census reports when pre-proceedings started and ended',
  fgdm: 'The census reports whether family group decision making was offered, held and its outcome',
} as const;

const nameOf = (child: Pick<NetworkChild, 'firstName' | 'lastName'>): string => `${child.firstName} ${child.lastName}`.trim();

function censusChild(child: NetworkChild): CensusChild {
  return {
    laChildId: child.personId,
    firstName: child.firstName,
    lastName: child.lastName,
    unborn: child.unborn,
    ...(child.upn !== undefined ? { upn: child.upn } : {}),
    ...(child.upnUnknownReason !== undefined ? { upnUnknownReason: child.upnUnknownReason } : {}),
    ...(child.dateOfBirth !== undefined
      ? child.unborn
        ? { expectedDateOfBirth: child.dateOfBirth }
        : { dateOfBirth: child.dateOfBirth }
      : {}),
    ...(child.sex !== undefined ? { sex: child.sex } : {}),
    ...(child.ethnicity !== undefined ? { ethnicity: child.ethnicity } : {}),
    disabilities: [...child.disabilities],
  };
}

/**
 * What a child's record still lacks. An unborn child needs only the expected date (and, once it
 * has passed, the birth); the rest is asked of a child once born.
 */
export function childGaps(child: NetworkChild, today: LocalDate): CensusGap[] {
  const gap = (field: string, key: string, why: string): CensusGap => ({
    key: `child:${child.personId}:${key}`,
    childId: child.personId,
    field,
    why,
    where: { kind: 'family-child', childId: child.personId },
  });
  if (child.unborn) {
    if (child.dateOfBirth === undefined) return [gap('Expected date of birth', 'dateOfBirth', WHY.expectedDate)];
    return compareLocalDates(child.dateOfBirth, today) < 0 ? [gap('Date of birth', 'dateOfBirth', WHY.bornSince)] : [];
  }
  const gaps: CensusGap[] = [];
  if (child.upn === undefined && child.upnUnknownReason === undefined)
    gaps.push(gap('Unique pupil number, or why it is unknown', 'upn', WHY.upn));
  if (child.dateOfBirth === undefined) gaps.push(gap('Date of birth', 'dateOfBirth', WHY.dateOfBirth));
  if (child.sex === undefined) gaps.push(gap('Sex', 'sex', WHY.sex));
  if (child.ethnicity === undefined) gaps.push(gap('Ethnicity', 'ethnicity', WHY.ethnicity));
  if (child.disabilities.length === 0) gaps.push(gap('Disabilities', 'disabilities', WHY.disabilities));
  return gaps;
}

function censusEpisode(input: CensusInput): CensusEpisode {
  const { path, fgdm } = input;
  const { assessment, closure } = path;
  return {
    caseId: input.caseId,
    childIds: input.children.map((child) => child.personId),
    referralDate: path.referralDate,
    ...(path.referralSource !== undefined ? { referralSource: path.referralSource } : {}),
    referralNfa: false,
    ...(assessment ? { primaryNeed: assessment.primaryNeed } : {}),
    ...(closure ? { closureDate: closure.closedOn, closureReason: closure.reasonCode } : {}),
    assessments: [
      {
        startDate: input.openedOn,
        ...(assessment ? { authorisationDate: assessment.completedOn } : {}),
        factors: assessment ? [...assessment.factors] : [],
      },
    ],
    childInNeedPlans: path.childInNeedPlans.map((plan) => ({
      startDate: plan.startedOn,
      ...(plan.endedOn !== undefined ? { endDate: plan.endedOn } : {}),
    })),
    section47Enquiries: path.strategyDiscussions
      .filter((discussion) => discussion.section47)
      .map((discussion) => {
        const conference = discussion.conference;
        return {
          startDate: discussion.heldOn,
          ...(discussion.conferenceDueDate !== undefined ? { initialConferenceTargetDate: discussion.conferenceDueDate } : {}),
          ...(conference && 'heldOn' in conference ? { initialConferenceDate: conference.heldOn } : {}),
          initialConferenceNotRequired: conference !== undefined && 'notRequiredOn' in conference,
        };
      }),
    childProtectionPlans: path.childProtectionPlans.map((plan) => ({
      startDate: plan.startedOn,
      ...(plan.endedOn !== undefined ? { endDate: plan.endedOn } : {}),
      initialCategory: plan.initialCategory,
      latestCategory: plan.latestCategory,
      reviewDates: plan.reviews.map((review) => review.heldOn),
    })),
    familyGroupDecisionMaking: {
      offers: fgdm.offers.map((offer) => ({ offeredOn: offer.offeredOn, response: offer.response })),
      conferences: fgdm.conferences.map((conference) => ({
        heldOn: conference.heldOn,
        ...(conference.familyPlan ? { familyPlanAgreedOn: conference.familyPlan.agreedOn } : {}),
      })),
    },
    preProceedings: fgdm.preProceedings.map((pre) => ({
      startDate: pre.startedOn,
      ...(pre.ended ? { endDate: pre.ended.endedOn, outcome: pre.ended.outcome } : {}),
    })),
  };
}

/** What the episode still lacks, or waits for: decided by the path's state and the family group decision making's. */
export function episodeGaps(path: CasePath, fgdm: CaseFgdm): Pick<CensusReturn, 'missing' | 'inProgress'> {
  const missing: CensusGap[] = [];
  const inProgress: CensusGap[] = [];
  const closed = path.status === 'closed';
  const onPath = { kind: 'path' } as const;

  if (!path.assessment) {
    // An open case's assessment is in progress, whatever else has happened alongside it (a CP plan
    // can start before it is authorised). Only a case closed without one lacks it: such a case was
    // closed before the path was kept, since the path refuses to close a case in assessment.
    const gaps: CensusGap[] = [
      { key: 'episode:assessment', field: 'Assessment authorisation date and factors identified', why: WHY.assessment, where: onPath },
      { key: 'episode:primaryNeed', field: 'Primary need', why: WHY.primaryNeed, where: onPath },
    ];
    if (closed) missing.push(...gaps);
    else inProgress.push(...gaps.map((gap) => ({ ...gap, dueBy: path.assessmentDueDate })));
  }

  for (const discussion of path.strategyDiscussions) {
    if (!discussion.section47 || discussion.conference !== undefined) continue;
    const gap: CensusGap = {
      key: `episode:section47:${discussion.sequence}`,
      field: `Initial child protection conference (section 47 enquiry ${discussion.sequence})`,
      why: WHY.conference,
      where: onPath,
      ...(discussion.conferenceDueDate !== undefined ? { dueBy: discussion.conferenceDueDate } : {}),
    };
    (closed ? missing : inProgress).push(gap);
  }

  for (const plan of path.childProtectionPlans) {
    if (plan.endedOn !== undefined) continue;
    const gap: CensusGap = {
      key: `episode:cpPlan:${plan.sequence}:review`,
      field: `Child protection plan ${plan.sequence}: its next review`,
      why: WHY.review,
      where: onPath,
      ...(plan.nextReviewDueDate !== undefined ? { dueBy: plan.nextReviewDueDate } : {}),
    };
    // A running plan with the case closed has lost its end: the path ends plans before closing.
    if (closed) missing.push({ ...gap, field: `Child protection plan ${plan.sequence}: its end date` });
    else inProgress.push(gap);
  }

  if (closed && !path.closure) {
    missing.push({ key: 'episode:closure', field: 'Closure date and reason', why: WHY.closure, where: onPath });
  }

  // A case opened before ReferralAccepted carried the source: the front door's record of the referral has it.
  if (path.referralSource === undefined) {
    missing.push({
      key: 'episode:referralSource',
      field: 'Referral source',
      why: WHY.referralSource,
      where: { kind: 'front-door', why: 'The case was opened before the referral’s source was carried onto it: ask the front door' },
    });
  }

  const onFgdm = { kind: 'fgdm' } as const;
  // Pre-proceedings still running: their end comes later; on a closed case it is missing (the manager can still record it).
  for (const pre of fgdm.preProceedings) {
    if (pre.ended) continue;
    const gap: CensusGap = {
      key: `episode:preProceedings:${pre.sequence}`,
      field: `Pre-proceedings started on ${localDateText(pre.startedOn)}: their end and outcome`,
      why: WHY.preProceedings,
      where: onFgdm,
    };
    (closed ? missing : inProgress).push(gap);
  }
  // Family group decision making under way on an open case: a conference the family accepted, and the family's plan from one held.
  // Neither can be required of a closed case (the conference may never have happened, the family may have made no plan).
  if (!closed) {
    const offer = latestOffer(fgdm);
    const lastHeld = fgdm.conferences[fgdm.conferences.length - 1];
    // The conference of the latest offer is one recorded after it (a conference is recorded only once its offer was accepted).
    if (offer?.response === 'accepted' && (!lastHeld || lastHeld.recordedAt < offer.recordedAt)) {
      inProgress.push({
        key: `episode:fgdm:offer:${offer.sequence}`,
        field: `Family group conference offered on ${localDateText(offer.offeredOn)}: the day it was held`,
        why: WHY.fgdm,
        where: onFgdm,
      });
    }
    if (lastHeld && !lastHeld.familyPlan) {
      inProgress.push({
        key: `episode:fgdm:conference:${lastHeld.sequence}`,
        field: `Family group conference held on ${localDateText(lastHeld.heldOn)}: the family’s plan`,
        why: WHY.fgdm,
        where: onFgdm,
      });
    }
  }
  return { missing, inProgress };
}

/** The census return of the case and its gaps, as at `today`. */
export function censusReturn(input: CensusInput, today: LocalDate): CensusReturn {
  const episode = episodeGaps(input.path, input.fgdm);
  return {
    children: input.children.map(censusChild),
    episodes: [censusEpisode(input)],
    missing: [...input.children.flatMap((child) => childGaps(child, today)), ...episode.missing],
    inProgress: episode.inProgress,
  };
}

/** The child's name as the pages show it; a child opened from ids alone has none yet. */
export const censusChildName = (child: Pick<NetworkChild, 'firstName' | 'lastName'>): string => nameOf(child) || 'Name not recorded';
