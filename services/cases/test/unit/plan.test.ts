/**
 * The plan agreed with the family (domain/plan.ts): agreeing it (first and again, goals keeping
 * their ids, reviews kept) and reviewing it, each refusal on its field with its reason.
 */
import { parseLocalDate } from '@fsp/shared/time/local-date';
import {
  agreePlan,
  type CasePlan,
  isPlanRefusal,
  MAX_ACTIONS_PER_GOAL,
  MAX_GOALS,
  MAX_REVIEWS_KEPT,
  type PlanContext,
  type PlanInput,
  type PlanRefusal,
  planLastReviewedOn,
  type ReviewInput,
  reviewPlan,
} from '../../src/domain/plan';

const d = parseLocalDate;
const sam = { userId: 'sw-0001', name: 'Sam Okafor' };

/** Tuesday 10 February 2026, 2:30pm in London; the referral on Monday 5 January. */
const context = (now = '2026-02-10T14:30:00.000Z'): PlanContext => {
  let next = 0;
  return { now: new Date(now), by: sam, referralDate: d('2026-01-05'), newGoalId: () => `goal-${++next}` };
};

const action = (byWhen = '2026-02-20') => ({ what: 'Walk Mia to school', who: 'Kerry', byWhen: d(byWhen) });
const input = (changes: Partial<PlanInput> = {}): PlanInput => ({
  agreedOn: d('2026-02-10'),
  goals: [
    { inFamilysWords: 'Mia gets to school on time every day', actions: [action(), action('2026-02-13')] },
    { inFamilysWords: 'Dean stops shouting at home', actions: [action('2026-03-01')] },
  ],
  nextReviewDate: d('2026-03-10'),
  ...changes,
});

function agreed(result: CasePlan | PlanRefusal): CasePlan {
  if (isPlanRefusal(result)) throw new Error(`refused: ${result.field}: ${result.reason}`);
  return result;
}

const refusal = (result: CasePlan | PlanRefusal) => (isPlanRefusal(result) ? { field: result.field, reason: result.reason } : 'agreed');

describe('agreePlan', () => {
  it('agrees a first plan: version 1, a new id per goal, no reviews, who and when', () => {
    const plan = agreed(agreePlan(undefined, input(), context()));
    expect(plan).toMatchObject({
      agreedOn: '2026-02-10',
      nextReviewDate: '2026-03-10',
      reviews: [],
      version: 1,
      updatedAt: '2026-02-10T14:30:00.000Z',
      updatedBy: sam,
    });
    expect(plan.goals.map((goal) => [goal.goalId, goal.inFamilysWords, goal.actions.length])).toEqual([
      ['goal-1', 'Mia gets to school on time every day', 2],
      ['goal-2', 'Dean stops shouting at home', 1],
    ]);
  });

  it('re-agreed: goals named by id keep it, new ones get one, reviews are kept, the version moves on', () => {
    const first = agreed(agreePlan(undefined, input(), context()));
    const reviewed = agreed(
      reviewPlan(
        first,
        {
          reviewedOn: d('2026-02-10'),
          summary: 'Early days.',
          progress: first.goals.map((goal) => ({ goalId: goal.goalId, rating: 'not-started', note: '' })),
          nextReviewDate: d('2026-03-10'),
        },
        context(),
      ),
    );
    let ids = 10;
    const again = agreed(
      agreePlan(
        { ...reviewed, caseId: 'case-1' },
        input({
          goals: [
            { goalId: 'goal-2', inFamilysWords: 'Dean and Kerry talk without shouting', actions: [action()] },
            { inFamilysWords: 'The children sleep in their own beds', actions: [action()] },
          ],
        }),
        { ...context(), newGoalId: () => `goal-${++ids}` },
      ),
    );
    expect(again.goals.map((goal) => goal.goalId)).toEqual(['goal-2', 'goal-11']);
    expect(again.reviews).toHaveLength(1);
    expect(again.version).toBe(3);
    expect(again.caseId).toBe('case-1');
  });

  it('refuses each rule on its field', () => {
    const cases: Array<[Partial<PlanInput>, string, string]> = [
      [{ agreedOn: d('2026-02-11') }, 'agreedOn', 'The date the plan was agreed must be today or in the past'],
      [{ agreedOn: d('2026-01-04') }, 'agreedOn', 'The plan cannot be agreed before the referral date'],
      [{ nextReviewDate: d('2026-02-10') }, 'nextReviewDate', 'The next review must be after the day the plan was agreed'],
      [{ goals: [] }, 'goals', 'Add at least one goal, in the family’s words'],
      [
        { goals: Array.from({ length: MAX_GOALS + 1 }, () => ({ inFamilysWords: 'A goal', actions: [action()] })) },
        'goals',
        `A plan has at most ${MAX_GOALS} goals`,
      ],
      [
        { goals: [{ goalId: 'goal-nobody', inFamilysWords: 'A goal', actions: [action()] }] },
        'goals[0].goalId',
        'This goal is not one of the plan’s',
      ],
      [
        {
          goals: [
            { inFamilysWords: 'A goal', actions: [action()] },
            { inFamilysWords: 'No actions', actions: [] },
          ],
        },
        'goals[1].actions',
        'Say who does what by when for this goal',
      ],
      [
        { goals: [{ inFamilysWords: 'A goal', actions: Array.from({ length: MAX_ACTIONS_PER_GOAL + 1 }, () => action()) }] },
        'goals[0].actions',
        `A goal has at most ${MAX_ACTIONS_PER_GOAL} actions`,
      ],
      [
        { goals: [{ inFamilysWords: 'A goal', actions: [action(), action('2026-02-09')] }] },
        'goals[0].actions[1].byWhen',
        'An action’s date must be on or after the day the plan was agreed',
      ],
    ];
    for (const [changes, field, reason] of cases) {
      expect(refusal(agreePlan(undefined, input(changes), context()))).toEqual({ field, reason });
    }
  });

  it('takes the boundaries: agreed today or on the referral day, an action on the day agreed, a review the day after', () => {
    expect(
      refusal(
        agreePlan(
          undefined,
          input({
            agreedOn: d('2026-01-05'),
            goals: [{ inFamilysWords: 'A goal', actions: [action('2026-01-05')] }],
            nextReviewDate: d('2026-01-06'),
          }),
          context(),
        ),
      ),
    ).toBe('agreed');
    // 11:30pm in London on 10 February: still the 10th.
    expect(refusal(agreePlan(undefined, input(), context('2026-02-10T23:30:00.000Z')))).toBe('agreed');
    expect(
      refusal(
        agreePlan(undefined, input({ agreedOn: d('2026-02-11'), nextReviewDate: d('2026-03-11') }), context('2026-02-11T00:30:00.000Z')),
      ),
    ).toBe('agreed');
  });
});

describe('reviewPlan', () => {
  const plan = agreed(agreePlan(undefined, input(), context()));
  const review = (changes: Partial<ReviewInput> = {}): ReviewInput => ({
    reviewedOn: d('2026-03-10'),
    summary: 'Kerry walks Mia to school most days.',
    progress: [
      { goalId: 'goal-2', rating: 'some-progress', note: 'Dean started the course' },
      { goalId: 'goal-1', rating: 'good-progress', note: '' },
    ],
    nextReviewDate: d('2026-04-10'),
    ...changes,
  });
  const march = context('2026-03-11T09:00:00.000Z');

  it('records the review: numbered, progress in the goals’ order, the next review moved, the version on', () => {
    const reviewed = agreed(reviewPlan(plan, review(), march));
    expect(reviewed.reviews).toEqual([
      {
        sequence: 1,
        reviewedOn: '2026-03-10',
        by: sam,
        summary: 'Kerry walks Mia to school most days.',
        progress: [
          { goalId: 'goal-1', rating: 'good-progress', note: '' },
          { goalId: 'goal-2', rating: 'some-progress', note: 'Dean started the course' },
        ],
        nextReviewDate: '2026-04-10',
      },
    ]);
    expect(reviewed.nextReviewDate).toBe('2026-04-10');
    expect(reviewed.version).toBe(2);
    expect(planLastReviewedOn(reviewed)).toBe('2026-03-10');
    expect(planLastReviewedOn(plan)).toBe('2026-02-10');
    const second = agreed(reviewPlan(reviewed, review({ reviewedOn: d('2026-03-10'), nextReviewDate: d('2026-05-01') }), march));
    expect(second.reviews.map((each) => each.sequence)).toEqual([1, 2]);
  });

  it('refuses each rule on its field', () => {
    expect(refusal(reviewPlan(undefined, review(), march))).toEqual({
      field: 'plan',
      reason: 'Agree a plan with the family before reviewing it',
    });
    const cases: Array<[Partial<ReviewInput>, string, string]> = [
      [{ reviewedOn: d('2026-03-12') }, 'reviewedOn', 'The review date must be today or in the past'],
      [{ reviewedOn: d('2026-02-09') }, 'reviewedOn', 'The review date must be on or after the day the plan was agreed'],
      [{ nextReviewDate: d('2026-03-10') }, 'nextReviewDate', 'The next review must be after this one'],
      [
        { progress: [...review().progress, { goalId: 'goal-9', rating: 'achieved', note: '' }] },
        'progress[2].goalId',
        'This goal is not one of the plan’s',
      ],
      [{ progress: [review().progress[0]!] }, 'progress[0]', 'Say how far the family has got with every goal'],
    ];
    for (const [changes, field, reason] of cases) {
      expect(refusal(reviewPlan(plan, review(changes), march))).toEqual({ field, reason });
    }
    const reviewed = agreed(reviewPlan(plan, review(), march));
    expect(refusal(reviewPlan(reviewed, review({ reviewedOn: d('2026-03-09') }), march))).toEqual({
      field: 'reviewedOn',
      reason: 'The review date must be on or after the last review',
    });
  });

  it(`keeps the latest ${MAX_REVIEWS_KEPT} reviews`, () => {
    let current = plan;
    for (let index = 0; index < MAX_REVIEWS_KEPT + 2; index++) {
      current = agreed(reviewPlan(current, review({ reviewedOn: d('2026-03-10') }), march));
    }
    expect(current.reviews).toHaveLength(MAX_REVIEWS_KEPT);
    expect(current.reviews[0]?.sequence).toBe(3);
    expect(current.reviews.at(-1)?.sequence).toBe(MAX_REVIEWS_KEPT + 2);
  });
});
