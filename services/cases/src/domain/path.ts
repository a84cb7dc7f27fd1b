/**
 * The statutory path of a case (DOMAIN.md, Cases and Time; ADR 0016): the Child and Family
 * assessment, strategy discussions and section 47 enquiries, the initial child protection
 * conference, CP plans and their reviews, child in need plans, becoming looked after, and closure.
 * Each step is a command on the case's path: it is refused with the reason a worker reads when the
 * rules forbid it, or it gives the new path, the status change (if any) and the chronology lines.
 * The timescales each state implies are domain/path-timescales.ts's. Pure: no AWS, no I/O; `now`
 * is passed in.
 *
 * Dates: no step is dated before the referral or after today (London). A step that changes the
 * status, or starts or ends a plan, is not dated before the last change of status (nor, becoming
 * looked after, before the CP plan's last review; starting a CIN plan, before the assessment's
 * completion), so no plan ends before it began and the status history runs in date order. Strategy
 * discussions are dated in their order, and closure after everything already on the path.
 */
import {
  CATEGORIES_OF_ABUSE,
  type CategoryOfAbuse,
  CLOSURE_REASON_CODES,
  type ClosureReasonCode,
  type ReferralSourceCode,
} from '@fsp/shared/events/codes';
import type { Role } from '@fsp/shared/people';
import { addCalendarMonths, compareLocalDates, type LocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import { addWorkingDays } from '@fsp/shared/time/working-days';
import type { CaseStatus } from './case';

export { CATEGORIES_OF_ABUSE, CLOSURE_REASON_CODES };

/** DOMAIN.md, Time. */
export const INITIAL_CONFERENCE_WORKING_DAYS = 15;
export const FIRST_REVIEW_MONTHS = 3;
export const LATER_REVIEW_MONTHS = 6;

/** DOMAIN.md, Codes: the primary need of the child in need (census N0–N9). */
export const PRIMARY_NEED_CODES = ['N0', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9'] as const;
export type PrimaryNeedCode = (typeof PRIMARY_NEED_CODES)[number];

export const PRIMARY_NEED_WORDS: Readonly<Record<PrimaryNeedCode, string>> = {
  N0: 'Not stated',
  N1: 'Abuse or neglect',
  N2: 'Child’s disability or illness',
  N3: 'Parental disability or illness',
  N4: 'Family in acute stress',
  N5: 'Family dysfunction',
  N6: 'Socially unacceptable behaviour',
  N7: 'Low income',
  N8: 'Absent parenting',
  N9: 'Cases other than children in need',
};

/**
 * The factors identified at assessment, as the census accepts them (DOMAIN.md, Codes): 18A and 19A
 * are no longer accepted, and private fostering is one of 8B–8F.
 */
const FOR_CHILD_PARENT_OR_OTHER = ['1', '2', '3', '4', '5', '6'] as const;
export const ASSESSMENT_FACTOR_CODES = [
  ...FOR_CHILD_PARENT_OR_OTHER.flatMap((factor) => (['A', 'B', 'C'] as const).map((suffix) => `${factor}${suffix}` as const)),
  '7A',
  '8B',
  '8C',
  '8D',
  '8E',
  '8F',
  '9A',
  '10A',
  '11A',
  '12A',
  '13A',
  '14A',
  '15A',
  '16A',
  '17A',
  '18B',
  '18C',
  '19B',
  '19C',
  '20',
  '21',
  '22A',
  '23A',
  '24A',
] as const;
export type AssessmentFactorCode = (typeof ASSESSMENT_FACTOR_CODES)[number];

/**
 * The factors that make a family eligible for Family Safeguarding (DOMAIN.md, Referrals 6): alcohol
 * or drug misuse, domestic abuse or mental health of a parent or carer (B) or of another person in
 * the household (C). The assessment confirms eligibility only when it found one of them.
 */
export const FAMILY_SAFEGUARDING_FACTOR_CODES: readonly AssessmentFactorCode[] = ['1B', '1C', '2B', '2C', '3B', '3C', '4B', '4C'];

/** What the assessment concluded the case needs next. */
export const ASSESSMENT_OUTCOMES = [
  'child-in-need-plan',
  'strategy-discussion',
  'looked-after',
  'no-further-action',
  'early-help',
] as const;
export type AssessmentOutcome = (typeof ASSESSMENT_OUTCOMES)[number];

export const ASSESSMENT_OUTCOME_WORDS: Readonly<Record<AssessmentOutcome, string>> = {
  'child-in-need-plan': 'a child in need plan',
  'strategy-discussion': 'a strategy discussion',
  'looked-after': 'the child to be looked after',
  'no-further-action': 'no further action',
  'early-help': 'early help',
};

export const CATEGORY_WORDS: Readonly<Record<CategoryOfAbuse, string>> = {
  NEG: 'Neglect',
  PHY: 'Physical abuse',
  SAB: 'Sexual abuse',
  EMO: 'Emotional abuse',
  MUL: 'Multiple categories',
};

export const CLOSURE_REASON_WORDS: Readonly<Record<ClosureReasonCode, string>> = {
  RC1: 'Adopted',
  RC2: 'Died',
  RC3: 'Child arrangements order',
  RC4: 'Special guardianship order',
  RC5: 'Transferred to another local authority',
  RC6: 'Transferred to adult services',
  RC7: 'Services ceased for any other reason, including the child no longer in need',
  RC8: 'Case closed after assessment, no further action',
  RC9: 'Case closed after assessment, referred to early help',
};

/**
 * Who recorded a step, as they were when they recorded it: their name and roles copied at write
 * time, as a note's author is (the path page says "Tara Mensah (team manager)"). `by` keeps their
 * user id; steps recorded before names were kept have no recorder, and are shown without one.
 */
export interface Recorder {
  name: string;
  roles: Role[];
}

export interface CompletedAssessment {
  /** The day the team manager authorised it: the census's assessment authorisation date. */
  completedOn: LocalDate;
  factors: AssessmentFactorCode[];
  primaryNeed: PrimaryNeedCode;
  outcome: AssessmentOutcome;
  /** Family Safeguarding eligibility as the assessment found it (flagged at intake, confirmed or cleared here). */
  familySafeguardingEligible: boolean;
  summary: string;
  by: string;
  recorder?: Recorder;
}

export interface StrategyDiscussion {
  /** 1, 2, …: a case may need more than one over its life. */
  sequence: number;
  heldOn: LocalDate;
  /** Whether it decided on a section 47 enquiry (which starts the initial conference's clock). */
  section47: boolean;
  reason: string;
  /** For a section 47 enquiry: the conference's due day (15 working days on), and what became of it. */
  conferenceDueDate?: LocalDate;
  /** What became of the enquiry, with who recorded it (absent on those recorded before it was kept). */
  conference?: ({ heldOn: LocalDate; outcome: 'cp-plan' | 'no-plan' } | { notRequiredOn: LocalDate; reason: string }) & {
    by?: string;
    recorder?: Recorder;
  };
  by: string;
  recorder?: Recorder;
}

export interface ChildProtectionReview {
  sequence: number;
  heldOn: LocalDate;
  outcome: 'continue' | 'step-down';
  category: CategoryOfAbuse;
  by: string;
  recorder?: Recorder;
}

export interface ChildProtectionPlan {
  sequence: number;
  startedOn: LocalDate;
  initialCategory: CategoryOfAbuse;
  latestCategory: CategoryOfAbuse;
  reviews: ChildProtectionReview[];
  /** The next review's due day: 3 months after the conference, then 6 months after each review. */
  nextReviewDueDate?: LocalDate;
  endedOn?: LocalDate;
  endReason?: string;
}

export interface ChildInNeedPlan {
  sequence: number;
  startedOn: LocalDate;
  endedOn?: LocalDate;
}

export interface SustainabilityPerson {
  name: string;
  /** To the family, in the family's words: "maternal grandmother", "neighbour". */
  relationship: string;
  /** How they help keep progress going. */
  helps: string;
}

export interface Closure {
  closedOn: LocalDate;
  reasonCode: ClosureReasonCode;
  sustainabilityPlan: { people: SustainabilityPerson[]; summary: string };
  stepDownToEarlyHelp: boolean;
  by: string;
  recorder?: Recorder;
}

export interface StatusChange {
  sequence: number;
  from: CaseStatus;
  to: CaseStatus;
  /** The day it took effect (the conference's, the review's, the closure's). */
  on: LocalDate;
  reason: string;
  by: string;
  recorder?: Recorder;
  recordedAt: string;
}

/** Everything the statutory path has recorded of a case. A new case's is `startPath`'s. */
export interface CasePath {
  caseId: string;
  status: CaseStatus;
  /** The referral date (London day): no step can be dated before it. */
  referralDate: LocalDate;
  assessmentDueDate: LocalDate;
  /** Flagged at intake (ReferralAccepted); absent when the referral said nothing of it. */
  familySafeguardingFlag?: boolean;
  /** The referral's census source code (ReferralAccepted); absent for a case opened before it was carried. */
  referralSource?: ReferralSourceCode;
  assessment?: CompletedAssessment;
  strategyDiscussions: StrategyDiscussion[];
  childProtectionPlans: ChildProtectionPlan[];
  childInNeedPlans: ChildInNeedPlan[];
  lookedAfterFrom?: LocalDate;
  closure?: Closure;
  statusChanges: StatusChange[];
  /** Optimistic lock of the path item. */
  version: number;
}

export function startPath(args: {
  caseId: string;
  referralDate: LocalDate;
  assessmentDueDate: LocalDate;
  familySafeguardingFlag?: boolean;
  referralSource?: ReferralSourceCode;
}): CasePath {
  return {
    caseId: args.caseId,
    status: 'assessment',
    referralDate: args.referralDate,
    assessmentDueDate: args.assessmentDueDate,
    ...(args.familySafeguardingFlag !== undefined ? { familySafeguardingFlag: args.familySafeguardingFlag } : {}),
    ...(args.referralSource !== undefined ? { referralSource: args.referralSource } : {}),
    strategyDiscussions: [],
    childProtectionPlans: [],
    childInNeedPlans: [],
    statusChanges: [],
    // Written with the case when it opens (a case opened before paths were kept has none: version 0, written at its first step).
    version: 1,
  };
}

/** A step the rules forbid, with the field it is about (for the form's error) and the reason in words. */
export interface Refusal {
  refused: true;
  field: string;
  reason: string;
}

export type PathKind =
  | 'assessment-completed'
  | 'strategy-discussion'
  | 'conference-not-required'
  | 'initial-conference'
  | 'cp-review'
  | 'cin-plan-started'
  | 'looked-after'
  | 'closed';

/** One accepted step: the path after it, what changed status, and the lines for the chronology. */
export interface PathStep {
  refused: false;
  kind: PathKind;
  path: CasePath;
  statusChange?: StatusChange;
  /** The step's own line ("Initial child protection conference held: …"), dated at the step's day. */
  line: string;
  /** The step's day. */
  on: LocalDate;
}

export type PathResult = PathStep | Refusal;

const refuse = (field: string, reason: string): Refusal => ({ refused: true, field, reason });

export const isOpen = (path: Pick<CasePath, 'status'>): boolean => path.status !== 'closed';
export const activeCpPlan = (path: Pick<CasePath, 'childProtectionPlans'>): ChildProtectionPlan | undefined =>
  path.childProtectionPlans.find((plan) => plan.endedOn === undefined);
export const activeCinPlan = (path: Pick<CasePath, 'childInNeedPlans'>): ChildInNeedPlan | undefined =>
  path.childInNeedPlans.find((plan) => plan.endedOn === undefined);
/** The strategy discussion whose section 47 enquiry still waits for its initial conference. */
export const pendingConference = (path: Pick<CasePath, 'strategyDiscussions'>): StrategyDiscussion | undefined =>
  path.strategyDiscussions.find((discussion) => discussion.section47 && discussion.conference === undefined);

/** Who did it and when it was recorded: every step is attributed (`by`, their user id) and names who recorded it (`recorder`). */
export interface StepContext {
  now: Date;
  by: string;
  recorder?: Recorder;
}

/** The step's attribution as each record keeps it: the user id, and the recorder's name and roles when given. */
const attribution = (context: StepContext): { by: string; recorder?: Recorder } => ({
  by: context.by,
  ...(context.recorder ? { recorder: { name: context.recorder.name, roles: [...context.recorder.roles] } } : {}),
});

/** A step's day must be on or after the referral date, on or after `notBefore` (an earlier step's), and not in the future. */
function checkDay(
  path: CasePath,
  field: string,
  day: LocalDate,
  now: Date,
  notBefore?: { day: LocalDate; what: string },
): Refusal | undefined {
  const today = londonDateOf(now);
  if (compareLocalDates(day, today) > 0) return refuse(field, 'The date must be today or in the past');
  if (compareLocalDates(day, path.referralDate) < 0) return refuse(field, 'The date must be on or after the referral date');
  if (notBefore && compareLocalDates(day, notBefore.day) < 0) return refuse(field, `The date must be on or after ${notBefore.what}`);
  return undefined;
}

/** A day already on the path that a later step cannot be dated before, with what it was (for the refusal). */
interface Mark {
  day: LocalDate;
  what: string;
}

/** The latest of the marks; on a tie the first listed (so the reason names it). */
function latest(...marks: (Mark | undefined)[]): Mark | undefined {
  let found: Mark | undefined;
  for (const mark of marks) if (mark && (!found || compareLocalDates(mark.day, found.day) > 0)) found = mark;
  return found;
}

function lastStatusChange(path: CasePath): Mark | undefined {
  const change = path.statusChanges.at(-1);
  return change ? { day: change.on, what: 'the last change of status' } : undefined;
}

function assessmentMark(path: CasePath): Mark | undefined {
  return path.assessment ? { day: path.assessment.completedOn, what: 'the assessment’s completion' } : undefined;
}

/** The strategy discussions and what became of their conferences. */
function discussionMarks(path: CasePath): Mark[] {
  return path.strategyDiscussions.flatMap((discussion): Mark[] => {
    const held: Mark = { day: discussion.heldOn, what: 'the last strategy discussion' };
    const conference = discussion.conference;
    if (!conference) return [held];
    return 'heldOn' in conference
      ? [held, { day: conference.heldOn, what: 'the initial conference' }]
      : [held, { day: conference.notRequiredOn, what: 'the decision that no conference was needed' }];
  });
}

function reviewMarks(plans: readonly ChildProtectionPlan[]): Mark[] {
  return plans.flatMap((plan) => plan.reviews.map((review) => ({ day: review.heldOn, what: 'the last review' })));
}

function withStatus(
  path: CasePath,
  to: CaseStatus,
  on: LocalDate,
  reason: string,
  context: StepContext,
): { path: CasePath; change?: StatusChange } {
  if (path.status === to) return { path };
  const change: StatusChange = {
    sequence: path.statusChanges.length + 1,
    from: path.status,
    to,
    on,
    reason,
    ...attribution(context),
    recordedAt: context.now.toISOString(),
  };
  return { path: { ...path, status: to, statusChanges: [...path.statusChanges, change] }, change };
}

function step(kind: PathKind, before: CasePath, after: CasePath, on: LocalDate, line: string, change?: StatusChange): PathStep {
  return { refused: false, kind, path: { ...after, version: before.version + 1 }, on, line, ...(change ? { statusChange: change } : {}) };
}

function refuseClosed(path: CasePath): Refusal | undefined {
  return isOpen(path) ? undefined : refuse('case', 'The case is closed');
}

export interface AssessmentInput {
  completedOn: LocalDate;
  factors: AssessmentFactorCode[];
  primaryNeed: PrimaryNeedCode;
  outcome: AssessmentOutcome;
  familySafeguardingEligible: boolean;
  summary: string;
}

export function completeAssessment(path: CasePath, input: AssessmentInput, context: StepContext): PathResult {
  const closed = refuseClosed(path);
  if (closed) return closed;
  if (path.assessment) return refuse('case', 'The assessment is already completed');
  const badDay = checkDay(path, 'completedOn', input.completedOn, context.now);
  if (badDay) return badDay;
  if (input.factors.length === 0) return refuse('factors', 'Select the factors identified, or ‘No factors identified’');
  if (input.factors.includes('21') && input.factors.length > 1) {
    return refuse('factors', '‘No factors identified’ cannot be selected with other factors');
  }
  if (new Set(input.factors).size !== input.factors.length) return refuse('factors', 'Each factor can be selected once');
  if (input.familySafeguardingEligible && !input.factors.some((factor) => FAMILY_SAFEGUARDING_FACTOR_CODES.includes(factor))) {
    return refuse(
      'familySafeguardingEligible',
      'Family Safeguarding eligibility is confirmed when a parent, carer or other adult in the household has domestic abuse, alcohol or drug misuse or mental health among the factors',
    );
  }
  const assessment: CompletedAssessment = { ...input, factors: [...input.factors].sort(byFactorOrder), ...attribution(context) };
  const eligibility = input.familySafeguardingEligible
    ? 'Family Safeguarding eligibility confirmed'
    : 'not eligible for Family Safeguarding';
  return step(
    'assessment-completed',
    path,
    { ...path, assessment },
    input.completedOn,
    `Child and Family assessment completed: ${ASSESSMENT_OUTCOME_WORDS[input.outcome]}; primary need ${input.primaryNeed} (${PRIMARY_NEED_WORDS[input.primaryNeed]}); ${eligibility}`,
  );
}

const byFactorOrder = (a: AssessmentFactorCode, b: AssessmentFactorCode): number =>
  ASSESSMENT_FACTOR_CODES.indexOf(a) - ASSESSMENT_FACTOR_CODES.indexOf(b);

export interface StrategyDiscussionInput {
  heldOn: LocalDate;
  section47: boolean;
  reason: string;
}

export function recordStrategyDiscussion(path: CasePath, input: StrategyDiscussionInput, context: StepContext): PathResult {
  const closed = refuseClosed(path);
  if (closed) return closed;
  if (path.status === 'child-protection') {
    return refuse('case', 'The child already has a child protection plan: new concerns are considered at its review');
  }
  const pending = pendingConference(path);
  if (pending) return refuse('case', `Section 47 enquiry ${pending.sequence} is still waiting for its initial conference`);
  // Numbered in order: a discussion cannot be dated before the last one or what its enquiry concluded.
  const badDay = checkDay(path, 'heldOn', input.heldOn, context.now, latest(...discussionMarks(path)));
  if (badDay) return badDay;
  const discussion: StrategyDiscussion = {
    sequence: path.strategyDiscussions.length + 1,
    heldOn: input.heldOn,
    section47: input.section47,
    reason: input.reason,
    ...(input.section47 ? { conferenceDueDate: addWorkingDays(input.heldOn, INITIAL_CONFERENCE_WORKING_DAYS) } : {}),
    ...attribution(context),
  };
  return step(
    'strategy-discussion',
    path,
    { ...path, strategyDiscussions: [...path.strategyDiscussions, discussion] },
    input.heldOn,
    input.section47
      ? 'Strategy discussion held: a section 47 enquiry started; the initial child protection conference is due within 15 working days'
      : 'Strategy discussion held: no section 47 enquiry',
  );
}

export function recordConferenceNotRequired(
  path: CasePath,
  input: { decidedOn: LocalDate; reason: string },
  context: StepContext,
): PathResult {
  const closed = refuseClosed(path);
  if (closed) return closed;
  const pending = pendingConference(path);
  if (!pending) return refuse('case', 'No section 47 enquiry is waiting for an initial conference');
  const badDay = checkDay(path, 'decidedOn', input.decidedOn, context.now, { day: pending.heldOn, what: 'the strategy discussion' });
  if (badDay) return badDay;
  const discussions = path.strategyDiscussions.map((discussion) =>
    discussion.sequence === pending.sequence
      ? { ...discussion, conference: { notRequiredOn: input.decidedOn, reason: input.reason, ...attribution(context) } }
      : discussion,
  );
  return step(
    'conference-not-required',
    path,
    { ...path, strategyDiscussions: discussions },
    input.decidedOn,
    'Section 47 enquiry concluded: an initial child protection conference is not required',
  );
}

export type InitialConferenceInput = { heldOn: LocalDate } & ({ outcome: 'cp-plan'; category: CategoryOfAbuse } | { outcome: 'no-plan' });

export function recordInitialConference(path: CasePath, input: InitialConferenceInput, context: StepContext): PathResult {
  const closed = refuseClosed(path);
  if (closed) return closed;
  const pending = pendingConference(path);
  if (!pending)
    return refuse('case', 'An initial child protection conference follows a strategy discussion that started a section 47 enquiry');
  const discussed: Mark = { day: pending.heldOn, what: 'the strategy discussion' };
  // A CP plan changes the status (and ends a CIN plan): not before the last change of status, or the CIN plan would end before it began.
  const notBefore = input.outcome === 'cp-plan' ? latest(lastStatusChange(path), discussed) : discussed;
  const badDay = checkDay(path, 'heldOn', input.heldOn, context.now, notBefore);
  if (badDay) return badDay;
  const discussions = path.strategyDiscussions.map((discussion) =>
    discussion.sequence === pending.sequence
      ? { ...discussion, conference: { heldOn: input.heldOn, outcome: input.outcome, ...attribution(context) } }
      : discussion,
  );
  const onTime = pending.conferenceDueDate === undefined || compareLocalDates(input.heldOn, pending.conferenceDueDate) <= 0;
  const timing = onTime ? 'within 15 working days' : 'later than 15 working days';
  if (input.outcome === 'no-plan') {
    return step(
      'initial-conference',
      path,
      { ...path, strategyDiscussions: discussions },
      input.heldOn,
      `Initial child protection conference held (${timing}): no child protection plan`,
    );
  }
  const plan: ChildProtectionPlan = {
    sequence: path.childProtectionPlans.length + 1,
    startedOn: input.heldOn,
    initialCategory: input.category,
    latestCategory: input.category,
    reviews: [],
    nextReviewDueDate: addCalendarMonths(input.heldOn, FIRST_REVIEW_MONTHS),
  };
  // A CP plan replaces a child in need plan: the CIN plan ends the day the CP plan starts.
  const cinPlans = path.childInNeedPlans.map((cin) => (cin.endedOn === undefined ? { ...cin, endedOn: input.heldOn } : cin));
  const { path: moved, change } = withStatus(
    { ...path, strategyDiscussions: discussions, childProtectionPlans: [...path.childProtectionPlans, plan], childInNeedPlans: cinPlans },
    'child-protection',
    input.heldOn,
    `Initial child protection conference: child protection plan (${CATEGORY_WORDS[input.category]})`,
    context,
  );
  return step(
    'initial-conference',
    path,
    moved,
    input.heldOn,
    `Initial child protection conference held (${timing}): child protection plan, category ${CATEGORY_WORDS[input.category]}`,
    change,
  );
}

export interface ReviewInput {
  heldOn: LocalDate;
  outcome: 'continue' | 'step-down';
  /** The latest category of abuse as the review found it. */
  category: CategoryOfAbuse;
}

export function recordChildProtectionReview(path: CasePath, input: ReviewInput, context: StepContext): PathResult {
  const closed = refuseClosed(path);
  if (closed) return closed;
  const plan = activeCpPlan(path);
  if (!plan) return refuse('case', 'The case has no child protection plan to review');
  const previous = plan.reviews.at(-1)?.heldOn ?? plan.startedOn;
  const badDay = checkDay(path, 'heldOn', input.heldOn, context.now, {
    day: previous,
    what: plan.reviews.length > 0 ? 'the last review' : 'the initial conference',
  });
  if (badDay) return badDay;
  const review: ChildProtectionReview = { sequence: plan.reviews.length + 1, ...input, ...attribution(context) };
  const continuing = input.outcome === 'continue';
  const reviewed: ChildProtectionPlan = {
    ...plan,
    latestCategory: input.category,
    reviews: [...plan.reviews, review],
    ...(continuing
      ? { nextReviewDueDate: addCalendarMonths(input.heldOn, LATER_REVIEW_MONTHS) }
      : { endedOn: input.heldOn, endReason: 'Stepped down to a child in need plan at review' }),
  };
  if (!continuing) delete reviewed.nextReviewDueDate;
  const plans = path.childProtectionPlans.map((each) => (each.sequence === plan.sequence ? reviewed : each));
  if (continuing) {
    return step(
      'cp-review',
      path,
      { ...path, childProtectionPlans: plans },
      input.heldOn,
      `Child protection review ${review.sequence} held: the plan continues (${CATEGORY_WORDS[input.category]})`,
    );
  }
  const cin: ChildInNeedPlan = { sequence: path.childInNeedPlans.length + 1, startedOn: input.heldOn };
  const { path: moved, change } = withStatus(
    { ...path, childProtectionPlans: plans, childInNeedPlans: [...path.childInNeedPlans, cin] },
    'child-in-need',
    input.heldOn,
    'Child protection plan ended at review: stepped down to a child in need plan',
    context,
  );
  return step(
    'cp-review',
    path,
    moved,
    input.heldOn,
    `Child protection review ${review.sequence} held: the plan ends and the child steps down to a child in need plan`,
    change,
  );
}

export function startChildInNeedPlan(path: CasePath, input: { startedOn: LocalDate }, context: StepContext): PathResult {
  const closed = refuseClosed(path);
  if (closed) return closed;
  if (activeCinPlan(path)) return refuse('case', 'The case already has a child in need plan');
  if (activeCpPlan(path)) return refuse('case', 'The child has a child protection plan: it steps down to a child in need plan at a review');
  if (!path.assessment && path.status === 'assessment') return refuse('case', 'A child in need plan follows the completed assessment');
  const badDay = checkDay(path, 'startedOn', input.startedOn, context.now, latest(lastStatusChange(path), assessmentMark(path)));
  if (badDay) return badDay;
  const plan: ChildInNeedPlan = { sequence: path.childInNeedPlans.length + 1, startedOn: input.startedOn };
  const { path: moved, change } = withStatus(
    { ...path, childInNeedPlans: [...path.childInNeedPlans, plan] },
    'child-in-need',
    input.startedOn,
    'Child in need plan started',
    context,
  );
  return step('cin-plan-started', path, moved, input.startedOn, 'Child in need plan started', change);
}

export function becomeLookedAfter(path: CasePath, input: { from: LocalDate; reason: string }, context: StepContext): PathResult {
  const closed = refuseClosed(path);
  if (closed) return closed;
  if (path.status === 'looked-after') return refuse('case', 'The child is already looked after');
  // The plans it ends cannot end before they began or before their last review.
  const running = activeCpPlan(path);
  const badDay = checkDay(path, 'from', input.from, context.now, latest(lastStatusChange(path), ...reviewMarks(running ? [running] : [])));
  if (badDay) return badDay;
  // Looked after, the child's care plan replaces a CP or CIN plan: both end that day.
  const ended = {
    ...path,
    lookedAfterFrom: input.from,
    childProtectionPlans: path.childProtectionPlans.map((plan) => {
      if (plan.endedOn !== undefined) return plan;
      const { nextReviewDueDate: _next, ...rest } = plan;
      return { ...rest, endedOn: input.from, endReason: 'The child became looked after' };
    }),
    childInNeedPlans: path.childInNeedPlans.map((plan) => (plan.endedOn === undefined ? { ...plan, endedOn: input.from } : plan)),
  };
  const { path: moved, change } = withStatus(ended, 'looked-after', input.from, input.reason, context);
  return step('looked-after', path, moved, input.from, `The child became looked after: ${input.reason}`, change);
}

export interface ClosureInput {
  closedOn: LocalDate;
  reasonCode: ClosureReasonCode;
  sustainabilityPlan: { people: SustainabilityPerson[]; summary: string };
  stepDownToEarlyHelp: boolean;
}

export function closeCase(path: CasePath, input: ClosureInput, context: StepContext): PathResult {
  const closed = refuseClosed(path);
  if (closed) return closed;
  if (activeCpPlan(path)) return refuse('case', 'The child protection plan must end at a review before the case can close');
  const pending = pendingConference(path);
  if (pending) return refuse('case', `Section 47 enquiry ${pending.sequence} is still waiting for its initial conference`);
  if (path.status === 'assessment' && !path.assessment) return refuse('case', 'Complete the assessment before closing the case');
  if ((input.reasonCode === 'RC8' || input.reasonCode === 'RC9') && path.status !== 'assessment') {
    return refuse('reasonCode', `${input.reasonCode} is for a case closed straight after its assessment`);
  }
  // The census tells RC8 (no further action) from RC9 (referred to early help): a step down to early help is RC9.
  if (input.reasonCode === 'RC8' && input.stepDownToEarlyHelp) {
    return refuse('reasonCode', 'A case closed after its assessment and stepped down to early help is RC9');
  }
  if (input.reasonCode === 'RC9' && !input.stepDownToEarlyHelp) {
    return refuse('stepDownToEarlyHelp', 'RC9 closes the case to early help: say that it steps down to early help');
  }
  if (input.sustainabilityPlan.people.length === 0 && input.reasonCode !== 'RC2') {
    return refuse('sustainabilityPlan', 'Name at least one person in the family’s network who helps keep progress going');
  }
  // Closure is the path's last step: not dated before anything already on it.
  const notBefore = latest(
    lastStatusChange(path),
    assessmentMark(path),
    ...discussionMarks(path),
    ...reviewMarks(path.childProtectionPlans),
  );
  const badDay = checkDay(path, 'closedOn', input.closedOn, context.now, notBefore);
  if (badDay) return badDay;
  const closure: Closure = { ...input, ...attribution(context) };
  const ended = {
    ...path,
    closure,
    childInNeedPlans: path.childInNeedPlans.map((plan) => (plan.endedOn === undefined ? { ...plan, endedOn: input.closedOn } : plan)),
  };
  const { path: moved, change } = withStatus(
    ended,
    'closed',
    input.closedOn,
    `${input.reasonCode}: ${CLOSURE_REASON_WORDS[input.reasonCode]}`,
    context,
  );
  const earlyHelp = input.stepDownToEarlyHelp ? ', stepped down to early help' : '';
  return step(
    'closed',
    path,
    moved,
    input.closedOn,
    `Case closed (${input.reasonCode}: ${CLOSURE_REASON_WORDS[input.reasonCode]})${earlyHelp}`,
    change,
  );
}
