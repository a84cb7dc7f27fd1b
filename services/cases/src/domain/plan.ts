/**
 * The plan agreed with the family (DOMAIN.md, Cases; issue 14 Deliver 4): goals in the family's own
 * words, who does what by when, when it is next reviewed, and its reviews with the progress against
 * each goal. One plan per case, rewritten as it is re-agreed (each version kept by the store's
 * history); its reviews accumulate. The CIN or CP plan's start and end are the statutory path's
 * (domain/path.ts); this is what the plan says. Pure: no I/O; `now` is passed in.
 */
import { compareLocalDates, type LocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';

export const PROGRESS_RATINGS = ['not-started', 'some-progress', 'good-progress', 'achieved'] as const;
export type ProgressRating = (typeof PROGRESS_RATINGS)[number];

export const PROGRESS_WORDS: Readonly<Record<ProgressRating, string>> = {
  'not-started': 'Not started',
  'some-progress': 'Some progress',
  'good-progress': 'Good progress',
  achieved: 'Achieved',
};

/** At most this many goals and actions per goal: a plan a family can hold in their head. */
export const MAX_GOALS = 10;
export const MAX_ACTIONS_PER_GOAL = 10;
/** Reviews kept on the plan item (the oldest beyond this stay in the chronology). */
export const MAX_REVIEWS_KEPT = 40;

export interface PlanAction {
  what: string;
  /** Who does it, as the family and workers say it: "Kelly", "Sam (social worker)", "Grandma Jean". */
  who: string;
  byWhen: LocalDate;
}

export interface PlanGoal {
  goalId: string;
  /** The goal in the family's own words. */
  inFamilysWords: string;
  actions: PlanAction[];
}

export interface GoalProgress {
  goalId: string;
  rating: ProgressRating;
  note: string;
}

export interface PlanReview {
  sequence: number;
  reviewedOn: LocalDate;
  by: { userId: string; name: string };
  summary: string;
  progress: GoalProgress[];
  nextReviewDate: LocalDate;
}

export interface CasePlan {
  caseId: string;
  /** The day the family agreed this version. */
  agreedOn: LocalDate;
  goals: PlanGoal[];
  nextReviewDate: LocalDate;
  reviews: PlanReview[];
  updatedAt: string;
  updatedBy: { userId: string; name: string };
  version: number;
}

export interface PlanRefusal {
  refused: true;
  field: string;
  reason: string;
}

const refuse = (field: string, reason: string): PlanRefusal => ({ refused: true, field, reason });

export interface PlanInput {
  agreedOn: LocalDate;
  goals: Array<{ goalId?: string; inFamilysWords: string; actions: PlanAction[] }>;
  nextReviewDate: LocalDate;
}

export interface PlanContext {
  now: Date;
  by: { userId: string; name: string };
  /** The case's referral date: nothing in the plan is dated before it. */
  referralDate: LocalDate;
  /** A fresh goal id for a goal that has none yet (injected: the domain makes no random ids). */
  newGoalId: () => string;
}

/** Writes the plan as agreed now (a first plan, or a re-agreed one keeping its reviews). */
export function agreePlan(current: CasePlan | undefined, input: PlanInput, context: PlanContext): CasePlan | PlanRefusal {
  const today = londonDateOf(context.now);
  if (compareLocalDates(input.agreedOn, today) > 0) return refuse('agreedOn', 'The date the plan was agreed must be today or in the past');
  if (compareLocalDates(input.agreedOn, context.referralDate) < 0)
    return refuse('agreedOn', 'The plan cannot be agreed before the referral date');
  if (compareLocalDates(input.nextReviewDate, input.agreedOn) <= 0)
    return refuse('nextReviewDate', 'The next review must be after the day the plan was agreed');
  if (input.goals.length === 0) return refuse('goals', 'Add at least one goal, in the family’s words');
  if (input.goals.length > MAX_GOALS) return refuse('goals', `A plan has at most ${MAX_GOALS} goals`);
  const known = new Set(current?.goals.map((goal) => goal.goalId) ?? []);
  const goals: PlanGoal[] = [];
  for (const [index, goal] of input.goals.entries()) {
    if (goal.goalId !== undefined && !known.has(goal.goalId)) return refuse(`goals[${index}].goalId`, 'This goal is not one of the plan’s');
    if (goal.actions.length === 0) return refuse(`goals[${index}].actions`, 'Say who does what by when for this goal');
    if (goal.actions.length > MAX_ACTIONS_PER_GOAL)
      return refuse(`goals[${index}].actions`, `A goal has at most ${MAX_ACTIONS_PER_GOAL} actions`);
    for (const [actionIndex, action] of goal.actions.entries()) {
      if (compareLocalDates(action.byWhen, input.agreedOn) < 0) {
        return refuse(`goals[${index}].actions[${actionIndex}].byWhen`, 'An action’s date must be on or after the day the plan was agreed');
      }
    }
    goals.push({ goalId: goal.goalId ?? context.newGoalId(), inFamilysWords: goal.inFamilysWords, actions: goal.actions });
  }
  return {
    caseId: current?.caseId ?? '',
    agreedOn: input.agreedOn,
    goals,
    nextReviewDate: input.nextReviewDate,
    reviews: current?.reviews ?? [],
    updatedAt: context.now.toISOString(),
    updatedBy: context.by,
    version: (current?.version ?? 0) + 1,
  };
}

export interface ReviewInput {
  reviewedOn: LocalDate;
  summary: string;
  progress: GoalProgress[];
  nextReviewDate: LocalDate;
}

/** Records a review of the plan: the progress against every goal, and when it is next reviewed. */
export function reviewPlan(
  current: CasePlan | undefined,
  input: ReviewInput,
  context: Omit<PlanContext, 'newGoalId'>,
): CasePlan | PlanRefusal {
  if (!current) return refuse('plan', 'Agree a plan with the family before reviewing it');
  const today = londonDateOf(context.now);
  if (compareLocalDates(input.reviewedOn, today) > 0) return refuse('reviewedOn', 'The review date must be today or in the past');
  const last = current.reviews.at(-1)?.reviewedOn ?? current.agreedOn;
  if (compareLocalDates(input.reviewedOn, last) < 0) {
    return refuse(
      'reviewedOn',
      current.reviews.length > 0
        ? 'The review date must be on or after the last review'
        : 'The review date must be on or after the day the plan was agreed',
    );
  }
  if (compareLocalDates(input.nextReviewDate, input.reviewedOn) <= 0)
    return refuse('nextReviewDate', 'The next review must be after this one');
  const goalIds = current.goals.map((goal) => goal.goalId);
  for (const [index, progress] of input.progress.entries()) {
    if (!goalIds.includes(progress.goalId)) return refuse(`progress[${index}].goalId`, 'This goal is not one of the plan’s');
  }
  const given = new Set(input.progress.map((each) => each.goalId));
  const missing = goalIds.findIndex((goalId) => !given.has(goalId));
  if (missing >= 0) return refuse(`progress[${missing}]`, 'Say how far the family has got with every goal');
  const review: PlanReview = {
    sequence: (current.reviews.at(-1)?.sequence ?? 0) + 1,
    reviewedOn: input.reviewedOn,
    by: context.by,
    summary: input.summary,
    progress: goalIds.map((goalId) => input.progress.find((progress) => progress.goalId === goalId) as GoalProgress),
    nextReviewDate: input.nextReviewDate,
  };
  return {
    ...current,
    reviews: [...current.reviews, review].slice(-MAX_REVIEWS_KEPT),
    nextReviewDate: input.nextReviewDate,
    updatedAt: context.now.toISOString(),
    updatedBy: context.by,
    version: current.version + 1,
  };
}

/** The day the plan last changed in substance: agreed, or reviewed since. */
export const planLastReviewedOn = (plan: Pick<CasePlan, 'agreedOn' | 'reviews'>): LocalDate => {
  const reviewed = plan.reviews.at(-1)?.reviewedOn;
  return reviewed !== undefined && compareLocalDates(reviewed, plan.agreedOn) > 0 ? reviewed : plan.agreedOn;
};

export const isPlanRefusal = (result: CasePlan | PlanRefusal): result is PlanRefusal => 'refused' in result;
