import { type LocalDate, parseLocalDate } from '@fsp/shared/time/local-date';
import * as z from 'zod/mini';
import {
  type AssessmentInput,
  activeCinPlan,
  activeCpPlan,
  becomeLookedAfter,
  type CasePath,
  type ClosureInput,
  closeCase,
  completeAssessment,
  type PathResult,
  type PathStep,
  pendingConference,
  recordChildProtectionReview,
  recordConferenceNotRequired,
  recordInitialConference,
  recordStrategyDiscussion,
  startChildInNeedPlan,
  startPath,
} from '../../src/domain/path';
import { STEP_INPUTS } from '../../src/http/path-work';

const d = (value: string): LocalDate => parseLocalDate(value);

/** 10:00 on Tuesday 1 December 2026 in London (GMT). */
const NOW = new Date('2026-12-01T10:00:00.000Z');
const context = { now: NOW, by: 'tm-priya' };
const at = (iso: string) => ({ now: new Date(iso), by: 'sw-sam' });

/** Referred on Monday 5 January 2026; the assessment due 45 working days on. */
const opened = (): CasePath =>
  startPath({ caseId: 'case-01', referralDate: d('2026-01-05'), assessmentDueDate: d('2026-03-09'), familySafeguardingFlag: true });

function accepted(result: PathResult): PathStep {
  if (result.refused) throw new Error(`refused: ${result.field}: ${result.reason}`);
  return result;
}

function refusal(result: PathResult): { field: string; reason: string } {
  if (!result.refused) throw new Error(`accepted: ${result.kind} (${result.line})`);
  return { field: result.field, reason: result.reason };
}

const assessment = (over: Partial<AssessmentInput> = {}): AssessmentInput => ({
  completedOn: d('2026-02-20'),
  factors: ['16A', '3B', '4B'],
  primaryNeed: 'N1',
  outcome: 'strategy-discussion',
  familySafeguardingEligible: true,
  summary: 'Domestic abuse between the parents; mother’s low mood; the children’s needs neglected.',
  ...over,
});

const sustainability = {
  people: [{ name: 'June Fletcher', relationship: 'maternal grandmother', helps: 'Has the children after school twice a week' }],
  summary: 'Grandmother and the school keep an eye; mother knows whom to call.',
};

const closure = (over: Partial<ClosureInput> = {}): ClosureInput => ({
  closedOn: d('2026-12-01'),
  reasonCode: 'RC7',
  sustainabilityPlan: sustainability,
  stepDownToEarlyHelp: false,
  ...over,
});

const assessed = (over: Partial<AssessmentInput> = {}): CasePath => accepted(completeAssessment(opened(), assessment(over), context)).path;

/** Assessed, then a strategy discussion on Monday 23 February 2026 that started a section 47 enquiry. */
const inSection47 = (path: CasePath = assessed()): CasePath =>
  accepted(recordStrategyDiscussion(path, { heldOn: d('2026-02-23'), section47: true, reason: 'Bruising seen at school' }, context)).path;

/** On a CP plan (neglect) from Thursday 12 March 2026. */
const onPlan = (path: CasePath = inSection47()): CasePath =>
  accepted(recordInitialConference(path, { heldOn: d('2026-03-12'), outcome: 'cp-plan', category: 'NEG' }, context)).path;

/** On a CIN plan from 2 March 2026, straight after the assessment. */
const onCinPlan = (): CasePath =>
  accepted(startChildInNeedPlan(assessed({ outcome: 'child-in-need-plan' }), { startedOn: d('2026-03-02') }, context)).path;

describe('the statutory path from referral to closure (issue 14, Done when)', () => {
  it('walks assessment → strategy discussion → conference on time → CP plan → two reviews → CIN plan → closure', () => {
    const start = opened();
    expect(start).toMatchObject({ status: 'assessment', version: 1, statusChanges: [], strategyDiscussions: [] });

    const assessedStep = accepted(completeAssessment(start, assessment(), context));
    expect(assessedStep).toMatchObject({ kind: 'assessment-completed', on: '2026-02-20' });
    expect(assessedStep.statusChange).toBeUndefined();
    expect(assessedStep.path.status).toBe('assessment');
    expect(assessedStep.path.assessment).toEqual({
      completedOn: '2026-02-20',
      // In the census's order, whatever order they were ticked in.
      factors: ['3B', '4B', '16A'],
      primaryNeed: 'N1',
      outcome: 'strategy-discussion',
      familySafeguardingEligible: true,
      summary: assessment().summary,
      by: 'tm-priya',
    });
    expect(assessedStep.line).toBe(
      'Child and Family assessment completed: a strategy discussion; primary need N1 (Abuse or neglect); Family Safeguarding eligibility confirmed',
    );

    const discussed = accepted(
      recordStrategyDiscussion(assessedStep.path, { heldOn: d('2026-02-23'), section47: true, reason: 'Bruising seen at school' }, context),
    );
    expect(discussed).toMatchObject({ kind: 'strategy-discussion', on: '2026-02-23' });
    expect(discussed.path.status).toBe('assessment');
    // Monday 23 February + 15 working days (no bank holidays between) = Monday 16 March.
    expect(discussed.path.strategyDiscussions).toEqual([
      {
        sequence: 1,
        heldOn: '2026-02-23',
        section47: true,
        reason: 'Bruising seen at school',
        conferenceDueDate: '2026-03-16',
        by: 'tm-priya',
      },
    ]);
    expect(discussed.line).toBe(
      'Strategy discussion held: a section 47 enquiry started; the initial child protection conference is due within 15 working days',
    );

    const conference = accepted(
      recordInitialConference(discussed.path, { heldOn: d('2026-03-12'), outcome: 'cp-plan', category: 'NEG' }, context),
    );
    expect(conference).toMatchObject({ kind: 'initial-conference', on: '2026-03-12' });
    expect(conference.path.status).toBe('child-protection');
    expect(conference.statusChange).toEqual({
      sequence: 1,
      from: 'assessment',
      to: 'child-protection',
      on: '2026-03-12',
      reason: 'Initial child protection conference: child protection plan (Neglect)',
      by: 'tm-priya',
      recordedAt: NOW.toISOString(),
    });
    expect(conference.path.strategyDiscussions[0]?.conference).toEqual({ heldOn: '2026-03-12', outcome: 'cp-plan', by: 'tm-priya' });
    expect(conference.path.childProtectionPlans).toEqual([
      { sequence: 1, startedOn: '2026-03-12', initialCategory: 'NEG', latestCategory: 'NEG', reviews: [], nextReviewDueDate: '2026-06-12' },
    ]);
    expect(conference.line).toBe(
      'Initial child protection conference held (within 15 working days): child protection plan, category Neglect',
    );

    const firstReview = accepted(
      recordChildProtectionReview(conference.path, { heldOn: d('2026-06-10'), outcome: 'continue', category: 'EMO' }, context),
    );
    expect(firstReview.path.status).toBe('child-protection');
    expect(firstReview.statusChange).toBeUndefined();
    expect(firstReview.path.childProtectionPlans[0]).toMatchObject({
      initialCategory: 'NEG',
      latestCategory: 'EMO',
      nextReviewDueDate: '2026-12-10',
      reviews: [{ sequence: 1, heldOn: '2026-06-10', outcome: 'continue', category: 'EMO', by: 'tm-priya' }],
    });
    expect(firstReview.line).toBe('Child protection review 1 held: the plan continues (Emotional abuse)');

    const secondReview = accepted(
      recordChildProtectionReview(firstReview.path, { heldOn: d('2026-11-30'), outcome: 'step-down', category: 'EMO' }, context),
    );
    expect(secondReview.path.status).toBe('child-in-need');
    const plan = secondReview.path.childProtectionPlans[0];
    expect(plan).toMatchObject({
      endedOn: '2026-11-30',
      endReason: 'Stepped down to a child in need plan at review',
      latestCategory: 'EMO',
    });
    expect(plan?.reviews).toHaveLength(2);
    expect(plan).not.toHaveProperty('nextReviewDueDate');
    expect(secondReview.path.childInNeedPlans).toEqual([{ sequence: 1, startedOn: '2026-11-30' }]);
    expect(secondReview.statusChange).toMatchObject({ sequence: 2, from: 'child-protection', to: 'child-in-need', on: '2026-11-30' });
    expect(secondReview.line).toBe('Child protection review 2 held: the plan ends and the child steps down to a child in need plan');

    const closed = accepted(closeCase(secondReview.path, closure({ stepDownToEarlyHelp: true }), context));
    expect(closed).toMatchObject({ kind: 'closed', on: '2026-12-01' });
    expect(closed.path.status).toBe('closed');
    expect(closed.path.closure).toEqual({
      closedOn: '2026-12-01',
      reasonCode: 'RC7',
      sustainabilityPlan: sustainability,
      stepDownToEarlyHelp: true,
      by: 'tm-priya',
    });
    expect(closed.path.childInNeedPlans).toEqual([{ sequence: 1, startedOn: '2026-11-30', endedOn: '2026-12-01' }]);
    expect(closed.line).toBe(
      'Case closed (RC7: Services ceased for any other reason, including the child no longer in need), stepped down to early help',
    );

    // One version per step, and the status history chains from the referral's status to closed.
    expect(closed.path.version).toBe(start.version + 6);
    expect(closed.path.statusChanges.map(({ sequence, from, to, on }) => ({ sequence, from, to, on }))).toEqual([
      { sequence: 1, from: 'assessment', to: 'child-protection', on: '2026-03-12' },
      { sequence: 2, from: 'child-protection', to: 'child-in-need', on: '2026-11-30' },
      { sequence: 3, from: 'child-in-need', to: 'closed', on: '2026-12-01' },
    ]);
    expect(closed.path.statusChanges[2]?.reason).toBe('RC7: Services ceased for any other reason, including the child no longer in need');
  });
});

describe('completing the assessment', () => {
  it('leaves the status in assessment and says when the family is not eligible for Family Safeguarding', () => {
    const step = accepted(
      completeAssessment(
        opened(),
        assessment({ factors: ['21'], outcome: 'no-further-action', familySafeguardingEligible: false, primaryNeed: 'N9' }),
        context,
      ),
    );
    expect(step.path.status).toBe('assessment');
    expect(step.line).toBe(
      'Child and Family assessment completed: no further action; primary need N9 (Cases other than children in need); not eligible for Family Safeguarding',
    );
  });

  it('is refused once completed, or once the case is closed', () => {
    expect(refusal(completeAssessment(assessed(), assessment(), context))).toEqual({
      field: 'case',
      reason: 'The assessment is already completed',
    });
    const closedInAssessment = accepted(
      closeCase(assessed({ outcome: 'no-further-action' }), closure({ closedOn: d('2026-02-25'), reasonCode: 'RC8' }), context),
    ).path;
    expect(refusal(completeAssessment(closedInAssessment, assessment(), context))).toEqual({ field: 'case', reason: 'The case is closed' });
  });

  it('is refused dated in the future or before the referral', () => {
    expect(refusal(completeAssessment(opened(), assessment({ completedOn: d('2026-12-02') }), context))).toEqual({
      field: 'completedOn',
      reason: 'The date must be today or in the past',
    });
    expect(refusal(completeAssessment(opened(), assessment({ completedOn: d('2026-01-02') }), context))).toEqual({
      field: 'completedOn',
      reason: 'The date must be on or after the referral date',
    });
    // Today is the London day: 23:30Z on 30 November in GMT is still 30 November.
    expect(completeAssessment(opened(), assessment({ completedOn: d('2026-12-01') }), at('2026-11-30T23:30:00.000Z')).refused).toBe(true);
    // In BST 23:30Z is already the next London day.
    expect(completeAssessment(opened(), assessment({ completedOn: d('2026-07-01') }), at('2026-06-30T23:30:00.000Z')).refused).toBe(false);
    expect(completeAssessment(opened(), assessment({ completedOn: d('2026-01-05') }), context).refused).toBe(false);
  });

  it('needs the factors: at least one, each once, and ‘No factors identified’ alone', () => {
    expect(refusal(completeAssessment(opened(), assessment({ factors: [] }), context))).toEqual({
      field: 'factors',
      reason: 'Select the factors identified, or ‘No factors identified’',
    });
    expect(refusal(completeAssessment(opened(), assessment({ factors: ['21', '3B'] }), context))).toEqual({
      field: 'factors',
      reason: '‘No factors identified’ cannot be selected with other factors',
    });
    expect(refusal(completeAssessment(opened(), assessment({ factors: ['3B', '3B'] }), context))).toEqual({
      field: 'factors',
      reason: 'Each factor can be selected once',
    });
  });

  it('confirms Family Safeguarding eligibility only when an adult’s domestic abuse, substance misuse or mental health is a factor', () => {
    expect(
      refusal(completeAssessment(opened(), assessment({ factors: ['16A', '3A'], familySafeguardingEligible: true }), context)),
    ).toEqual({
      field: 'familySafeguardingEligible',
      reason:
        'Family Safeguarding eligibility is confirmed when a parent, carer or other adult in the household has domestic abuse, alcohol or drug misuse or mental health among the factors',
    });
    for (const adultFactor of ['1B', '1C', '2B', '2C', '3B', '3C', '4B', '4C'] as const) {
      expect(
        completeAssessment(opened(), assessment({ factors: ['16A', adultFactor], familySafeguardingEligible: true }), context).refused,
      ).toBe(false);
    }
    expect(completeAssessment(opened(), assessment({ factors: ['16A'], familySafeguardingEligible: false }), context).refused).toBe(false);
  });
});

describe('strategy discussions and section 47 enquiries', () => {
  it('without a section 47 enquiry sets no conference clock and leaves nothing pending', () => {
    const step = accepted(
      recordStrategyDiscussion(assessed(), { heldOn: d('2026-02-23'), section47: false, reason: 'Police shared information' }, context),
    );
    expect(step.path.strategyDiscussions[0]).not.toHaveProperty('conferenceDueDate');
    expect(pendingConference(step.path)).toBeUndefined();
    expect(step.line).toBe('Strategy discussion held: no section 47 enquiry');
    expect(refusal(recordInitialConference(step.path, { heldOn: d('2026-03-01'), outcome: 'cp-plan', category: 'PHY' }, context))).toEqual({
      field: 'case',
      reason: 'An initial child protection conference follows a strategy discussion that started a section 47 enquiry',
    });
  });

  it('can be held before the assessment is completed (a case opened for a strategy discussion)', () => {
    const step = accepted(
      recordStrategyDiscussion(opened(), { heldOn: d('2026-01-06'), section47: true, reason: 'Police referral' }, context),
    );
    expect(step.path.strategyDiscussions[0]?.conferenceDueDate).toBe('2026-01-27');
  });

  it('is refused while a section 47 enquiry waits for its conference, on a CP plan, or when closed', () => {
    expect(refusal(recordStrategyDiscussion(inSection47(), { heldOn: d('2026-02-24'), section47: true, reason: 'More' }, context))).toEqual(
      {
        field: 'case',
        reason: 'Section 47 enquiry 1 is still waiting for its initial conference',
      },
    );
    expect(refusal(recordStrategyDiscussion(onPlan(), { heldOn: d('2026-04-01'), section47: true, reason: 'More' }, context))).toEqual({
      field: 'case',
      reason: 'The child already has a child protection plan: new concerns are considered at its review',
    });
    const closed = accepted(closeCase(onCinPlan(), closure(), context)).path;
    expect(refusal(recordStrategyDiscussion(closed, { heldOn: d('2026-12-01'), section47: true, reason: 'More' }, context))).toEqual({
      field: 'case',
      reason: 'The case is closed',
    });
  });

  it('is refused dated before the referral, in the future, or before the last strategy discussion', () => {
    expect(refusal(recordStrategyDiscussion(opened(), { heldOn: d('2026-01-04'), section47: true, reason: 'x' }, context))).toEqual({
      field: 'heldOn',
      reason: 'The date must be on or after the referral date',
    });
    expect(refusal(recordStrategyDiscussion(opened(), { heldOn: d('2026-12-02'), section47: true, reason: 'x' }, context))).toEqual({
      field: 'heldOn',
      reason: 'The date must be today or in the past',
    });
    const first = accepted(recordStrategyDiscussion(assessed(), { heldOn: d('2026-02-23'), section47: false, reason: 'x' }, context)).path;
    expect(refusal(recordStrategyDiscussion(first, { heldOn: d('2026-02-20'), section47: true, reason: 'y' }, context))).toEqual({
      field: 'heldOn',
      reason: 'The date must be on or after the last strategy discussion',
    });
    const second = accepted(recordStrategyDiscussion(first, { heldOn: d('2026-02-23'), section47: true, reason: 'y' }, context)).path;
    expect(second.strategyDiscussions.map((each) => each.sequence)).toEqual([1, 2]);
    expect(pendingConference(second)?.sequence).toBe(2);
  });

  it('a section 47 enquiry may conclude that no conference is needed: nothing waits any more', () => {
    expect(refusal(recordConferenceNotRequired(assessed(), { decidedOn: d('2026-03-01'), reason: 'x' }, context))).toEqual({
      field: 'case',
      reason: 'No section 47 enquiry is waiting for an initial conference',
    });
    expect(refusal(recordConferenceNotRequired(inSection47(), { decidedOn: d('2026-02-20'), reason: 'x' }, context))).toEqual({
      field: 'decidedOn',
      reason: 'The date must be on or after the strategy discussion',
    });
    expect(refusal(recordConferenceNotRequired(inSection47(), { decidedOn: d('2026-12-02'), reason: 'x' }, context))).toEqual({
      field: 'decidedOn',
      reason: 'The date must be today or in the past',
    });
    const step = accepted(
      recordConferenceNotRequired(inSection47(), { decidedOn: d('2026-03-05'), reason: 'Concerns not substantiated' }, context),
    );
    expect(step).toMatchObject({ kind: 'conference-not-required', on: '2026-03-05' });
    expect(step.path.status).toBe('assessment');
    expect(step.path.strategyDiscussions[0]?.conference).toEqual({
      notRequiredOn: '2026-03-05',
      reason: 'Concerns not substantiated',
      by: 'tm-priya',
    });
    expect(pendingConference(step.path)).toBeUndefined();
    expect(step.line).toBe('Section 47 enquiry concluded: an initial child protection conference is not required');
    expect(recordInitialConference(step.path, { heldOn: d('2026-03-10'), outcome: 'no-plan' }, context).refused).toBe(true);
  });
});

describe('the initial child protection conference', () => {
  it('a CP plan without a conference is refused: the conference follows a section 47 strategy discussion', () => {
    expect(refusal(recordInitialConference(assessed(), { heldOn: d('2026-03-01'), outcome: 'cp-plan', category: 'NEG' }, context))).toEqual(
      {
        field: 'case',
        reason: 'An initial child protection conference follows a strategy discussion that started a section 47 enquiry',
      },
    );
    expect(
      refusal(recordChildProtectionReview(assessed(), { heldOn: d('2026-03-01'), outcome: 'continue', category: 'NEG' }, context)),
    ).toEqual({
      field: 'case',
      reason: 'The case has no child protection plan to review',
    });
  });

  it('is refused before the strategy discussion or in the future', () => {
    expect(refusal(recordInitialConference(inSection47(), { heldOn: d('2026-02-22'), outcome: 'no-plan' }, context))).toEqual({
      field: 'heldOn',
      reason: 'The date must be on or after the strategy discussion',
    });
    expect(refusal(recordInitialConference(inSection47(), { heldOn: d('2026-12-02'), outcome: 'no-plan' }, context))).toEqual({
      field: 'heldOn',
      reason: 'The date must be today or in the past',
    });
  });

  it('says whether it was held within 15 working days: on the due day is on time, the day after is late', () => {
    const onDueDay = accepted(
      recordInitialConference(inSection47(), { heldOn: d('2026-03-16'), outcome: 'cp-plan', category: 'PHY' }, context),
    );
    expect(onDueDay.line).toBe(
      'Initial child protection conference held (within 15 working days): child protection plan, category Physical abuse',
    );
    const late = accepted(
      recordInitialConference(inSection47(), { heldOn: d('2026-03-17'), outcome: 'cp-plan', category: 'PHY' }, context),
    );
    expect(late.line).toBe(
      'Initial child protection conference held (later than 15 working days): child protection plan, category Physical abuse',
    );
  });

  it('with no plan changes no status and starts no plan', () => {
    const step = accepted(recordInitialConference(inSection47(), { heldOn: d('2026-03-12'), outcome: 'no-plan' }, context));
    expect(step.path.status).toBe('assessment');
    expect(step.statusChange).toBeUndefined();
    expect(step.path.childProtectionPlans).toEqual([]);
    expect(step.path.strategyDiscussions[0]?.conference).toEqual({ heldOn: '2026-03-12', outcome: 'no-plan', by: 'tm-priya' });
    expect(step.line).toBe('Initial child protection conference held (within 15 working days): no child protection plan');
  });

  it('a CP plan replaces a child in need plan, which ends the day the CP plan starts', () => {
    const cin = onCinPlan();
    const discussed = accepted(
      recordStrategyDiscussion(cin, { heldOn: d('2026-05-04'), section47: true, reason: 'New injury' }, context),
    ).path;
    expect(discussed.status).toBe('child-in-need');
    const step = accepted(recordInitialConference(discussed, { heldOn: d('2026-05-20'), outcome: 'cp-plan', category: 'PHY' }, context));
    expect(step.path.status).toBe('child-protection');
    expect(step.statusChange).toMatchObject({ from: 'child-in-need', to: 'child-protection', on: '2026-05-20' });
    expect(step.path.childInNeedPlans).toEqual([{ sequence: 1, startedOn: '2026-03-02', endedOn: '2026-05-20' }]);
    expect(activeCinPlan(step.path)).toBeUndefined();
    expect(activeCpPlan(step.path)?.startedOn).toBe('2026-05-20');
  });

  it('a CP plan cannot start before the last change of status (a CIN plan cannot end before it began)', () => {
    const cin = onCinPlan();
    // The strategy discussion may be recorded late, dated before the CIN plan; the conference still cannot end the CIN plan before it started.
    const discussed = accepted(
      recordStrategyDiscussion(cin, { heldOn: d('2026-02-24'), section47: true, reason: 'Police information' }, context),
    ).path;
    expect(refusal(recordInitialConference(discussed, { heldOn: d('2026-02-27'), outcome: 'cp-plan', category: 'PHY' }, context))).toEqual({
      field: 'heldOn',
      reason: 'The date must be on or after the last change of status',
    });
    expect(recordInitialConference(discussed, { heldOn: d('2026-03-02'), outcome: 'cp-plan', category: 'PHY' }, context).refused).toBe(
      false,
    );
  });
});

describe('child protection reviews', () => {
  it('the first is due 3 months after the conference, each later one 6 months after the last review', () => {
    const first = accepted(
      recordChildProtectionReview(onPlan(), { heldOn: d('2026-06-12'), outcome: 'continue', category: 'NEG' }, context),
    ).path;
    expect(activeCpPlan(first)?.nextReviewDueDate).toBe('2026-12-12');
    const second = accepted(
      recordChildProtectionReview(first, { heldOn: d('2026-11-02'), outcome: 'continue', category: 'MUL' }, context),
    ).path;
    expect(activeCpPlan(second)).toMatchObject({ nextReviewDueDate: '2027-05-02', initialCategory: 'NEG', latestCategory: 'MUL' });
  });

  it('is refused before the conference or before the last review, and in the future', () => {
    expect(
      refusal(recordChildProtectionReview(onPlan(), { heldOn: d('2026-03-11'), outcome: 'continue', category: 'NEG' }, context)),
    ).toEqual({
      field: 'heldOn',
      reason: 'The date must be on or after the initial conference',
    });
    const reviewed = accepted(
      recordChildProtectionReview(onPlan(), { heldOn: d('2026-06-10'), outcome: 'continue', category: 'NEG' }, context),
    ).path;
    expect(
      refusal(recordChildProtectionReview(reviewed, { heldOn: d('2026-06-09'), outcome: 'continue', category: 'NEG' }, context)),
    ).toEqual({
      field: 'heldOn',
      reason: 'The date must be on or after the last review',
    });
    expect(
      refusal(recordChildProtectionReview(reviewed, { heldOn: d('2026-12-02'), outcome: 'continue', category: 'NEG' }, context)),
    ).toEqual({
      field: 'heldOn',
      reason: 'The date must be today or in the past',
    });
  });

  it('is refused once the plan has ended', () => {
    const steppedDown = accepted(
      recordChildProtectionReview(onPlan(), { heldOn: d('2026-06-10'), outcome: 'step-down', category: 'NEG' }, context),
    ).path;
    expect(
      refusal(recordChildProtectionReview(steppedDown, { heldOn: d('2026-07-10'), outcome: 'continue', category: 'NEG' }, context)),
    ).toEqual({
      field: 'case',
      reason: 'The case has no child protection plan to review',
    });
  });
});

describe('child in need plans', () => {
  it('start after the completed assessment and move the case to child in need', () => {
    const step = accepted(startChildInNeedPlan(assessed({ outcome: 'child-in-need-plan' }), { startedOn: d('2026-03-02') }, context));
    expect(step).toMatchObject({ kind: 'cin-plan-started', on: '2026-03-02', line: 'Child in need plan started' });
    expect(step.path.status).toBe('child-in-need');
    expect(step.statusChange).toMatchObject({
      sequence: 1,
      from: 'assessment',
      to: 'child-in-need',
      on: '2026-03-02',
      reason: 'Child in need plan started',
    });
    expect(step.path.childInNeedPlans).toEqual([{ sequence: 1, startedOn: '2026-03-02' }]);
  });

  it('are refused before the assessment is completed, or dated before its completion', () => {
    expect(refusal(startChildInNeedPlan(opened(), { startedOn: d('2026-02-02') }, context))).toEqual({
      field: 'case',
      reason: 'A child in need plan follows the completed assessment',
    });
    expect(refusal(startChildInNeedPlan(assessed(), { startedOn: d('2026-02-19') }, context))).toEqual({
      field: 'startedOn',
      reason: 'The date must be on or after the assessment’s completion',
    });
  });

  it('are refused when one is already running, or while the child has a CP plan', () => {
    expect(refusal(startChildInNeedPlan(onCinPlan(), { startedOn: d('2026-04-01') }, context))).toEqual({
      field: 'case',
      reason: 'The case already has a child in need plan',
    });
    expect(refusal(startChildInNeedPlan(onPlan(), { startedOn: d('2026-04-01') }, context))).toEqual({
      field: 'case',
      reason: 'The child has a child protection plan: it steps down to a child in need plan at a review',
    });
  });

  it('may follow a child returning home from care, not dated before the child became looked after', () => {
    const lookedAfter = accepted(becomeLookedAfter(onCinPlan(), { from: d('2026-04-10'), reason: 'Section 20 agreement' }, context)).path;
    expect(refusal(startChildInNeedPlan(lookedAfter, { startedOn: d('2026-04-09') }, context))).toEqual({
      field: 'startedOn',
      reason: 'The date must be on or after the last change of status',
    });
    const home = accepted(startChildInNeedPlan(lookedAfter, { startedOn: d('2026-09-01') }, context));
    expect(home.statusChange).toMatchObject({ from: 'looked-after', to: 'child-in-need', on: '2026-09-01' });
    expect(home.path.childInNeedPlans.map((plan) => plan.sequence)).toEqual([1, 2]);
    expect(activeCinPlan(home.path)?.sequence).toBe(2);
  });
});

describe('becoming looked after', () => {
  it('ends a CP plan (and its next review) and moves the case to looked after', () => {
    const step = accepted(becomeLookedAfter(onPlan(), { from: d('2026-04-01'), reason: 'Interim care order' }, context));
    expect(step).toMatchObject({ kind: 'looked-after', on: '2026-04-01', line: 'The child became looked after: Interim care order' });
    expect(step.path).toMatchObject({ status: 'looked-after', lookedAfterFrom: '2026-04-01' });
    expect(step.statusChange).toMatchObject({
      from: 'child-protection',
      to: 'looked-after',
      on: '2026-04-01',
      reason: 'Interim care order',
    });
    expect(step.path.childProtectionPlans[0]).toMatchObject({ endedOn: '2026-04-01', endReason: 'The child became looked after' });
    expect(step.path.childProtectionPlans[0]).not.toHaveProperty('nextReviewDueDate');
    expect(activeCpPlan(step.path)).toBeUndefined();
  });

  it('ends a CIN plan', () => {
    const step = accepted(becomeLookedAfter(onCinPlan(), { from: d('2026-04-10'), reason: 'Section 20 agreement' }, context));
    expect(step.path.childInNeedPlans).toEqual([{ sequence: 1, startedOn: '2026-03-02', endedOn: '2026-04-10' }]);
  });

  it('may happen during the assessment (an emergency)', () => {
    const step = accepted(becomeLookedAfter(opened(), { from: d('2026-01-05'), reason: 'Police protection' }, context));
    expect(step.statusChange).toMatchObject({ from: 'assessment', to: 'looked-after' });
  });

  it('is refused when already looked after, before the last change of status, or before the CP plan’s last review', () => {
    const lookedAfter = accepted(becomeLookedAfter(onCinPlan(), { from: d('2026-04-10'), reason: 'x' }, context)).path;
    expect(refusal(becomeLookedAfter(lookedAfter, { from: d('2026-05-10'), reason: 'x' }, context))).toEqual({
      field: 'case',
      reason: 'The child is already looked after',
    });
    expect(refusal(becomeLookedAfter(onPlan(), { from: d('2026-03-11'), reason: 'x' }, context))).toEqual({
      field: 'from',
      reason: 'The date must be on or after the last change of status',
    });
    const reviewed = accepted(
      recordChildProtectionReview(onPlan(), { heldOn: d('2026-06-10'), outcome: 'continue', category: 'NEG' }, context),
    ).path;
    expect(refusal(becomeLookedAfter(reviewed, { from: d('2026-06-01'), reason: 'x' }, context))).toEqual({
      field: 'from',
      reason: 'The date must be on or after the last review',
    });
    expect(refusal(becomeLookedAfter(reviewed, { from: d('2026-12-02'), reason: 'x' }, context))).toEqual({
      field: 'from',
      reason: 'The date must be today or in the past',
    });
  });
});

describe('closing the case', () => {
  it('closing a CP case without ending the plan is refused', () => {
    expect(refusal(closeCase(onPlan(), closure(), context))).toEqual({
      field: 'case',
      reason: 'The child protection plan must end at a review before the case can close',
    });
  });

  it('is refused while a section 47 enquiry waits for its conference, or before the assessment is completed', () => {
    expect(refusal(closeCase(inSection47(), closure(), context))).toEqual({
      field: 'case',
      reason: 'Section 47 enquiry 1 is still waiting for its initial conference',
    });
    expect(refusal(closeCase(opened(), closure(), context))).toEqual({
      field: 'case',
      reason: 'Complete the assessment before closing the case',
    });
  });

  it('is refused twice', () => {
    const closed = accepted(closeCase(onCinPlan(), closure(), context)).path;
    expect(refusal(closeCase(closed, closure(), context))).toEqual({ field: 'case', reason: 'The case is closed' });
  });

  it('RC8 and RC9 close straight after the assessment, RC9 to early help and RC8 not', () => {
    const rc8 = accepted(
      closeCase(assessed({ outcome: 'no-further-action' }), closure({ closedOn: d('2026-02-20'), reasonCode: 'RC8' }), context),
    );
    expect(rc8.statusChange).toMatchObject({
      from: 'assessment',
      to: 'closed',
      reason: 'RC8: Case closed after assessment, no further action',
    });
    expect(rc8.line).toBe('Case closed (RC8: Case closed after assessment, no further action)');

    const rc9 = accepted(
      closeCase(assessed({ outcome: 'early-help' }), closure({ reasonCode: 'RC9', stepDownToEarlyHelp: true }), context),
    );
    expect(rc9.line).toBe('Case closed (RC9: Case closed after assessment, referred to early help), stepped down to early help');
    expect(rc9.path.closure?.stepDownToEarlyHelp).toBe(true);

    expect(refusal(closeCase(assessed(), closure({ reasonCode: 'RC9', stepDownToEarlyHelp: false }), context))).toEqual({
      field: 'stepDownToEarlyHelp',
      reason: 'RC9 closes the case to early help: say that it steps down to early help',
    });
    expect(refusal(closeCase(assessed(), closure({ reasonCode: 'RC8', stepDownToEarlyHelp: true }), context))).toEqual({
      field: 'reasonCode',
      reason: 'A case closed after its assessment and stepped down to early help is RC9',
    });
    expect(refusal(closeCase(onCinPlan(), closure({ reasonCode: 'RC8' }), context))).toEqual({
      field: 'reasonCode',
      reason: 'RC8 is for a case closed straight after its assessment',
    });
    expect(refusal(closeCase(onCinPlan(), closure({ reasonCode: 'RC9', stepDownToEarlyHelp: true }), context))).toEqual({
      field: 'reasonCode',
      reason: 'RC9 is for a case closed straight after its assessment',
    });
  });

  it('needs a sustainability plan naming someone in the family’s network, except when the child has died', () => {
    const nobody = { people: [], summary: 'Nobody named' };
    expect(refusal(closeCase(onCinPlan(), closure({ sustainabilityPlan: nobody }), context))).toEqual({
      field: 'sustainabilityPlan',
      reason: 'Name at least one person in the family’s network who helps keep progress going',
    });
    expect(closeCase(onCinPlan(), closure({ reasonCode: 'RC2', sustainabilityPlan: nobody }), context).refused).toBe(false);
  });

  it('is refused in the future, before the last change of status, or before the last step on the path', () => {
    expect(refusal(closeCase(onCinPlan(), closure({ closedOn: d('2026-12-02') }), context))).toEqual({
      field: 'closedOn',
      reason: 'The date must be today or in the past',
    });
    expect(refusal(closeCase(onCinPlan(), closure({ closedOn: d('2026-03-01') }), context))).toEqual({
      field: 'closedOn',
      reason: 'The date must be on or after the last change of status',
    });
    // Still in assessment (no status change yet): not before the assessment was completed.
    expect(
      refusal(closeCase(assessed({ outcome: 'no-further-action' }), closure({ closedOn: d('2026-02-10'), reasonCode: 'RC8' }), context)),
    ).toEqual({
      field: 'closedOn',
      reason: 'The date must be on or after the assessment’s completion',
    });
    // Nor before a conference decided against a plan.
    const noPlan = accepted(recordInitialConference(inSection47(), { heldOn: d('2026-03-12'), outcome: 'no-plan' }, context)).path;
    expect(refusal(closeCase(noPlan, closure({ closedOn: d('2026-03-02'), reasonCode: 'RC8' }), context))).toEqual({
      field: 'closedOn',
      reason: 'The date must be on or after the initial conference',
    });
    expect(closeCase(noPlan, closure({ closedOn: d('2026-03-12'), reasonCode: 'RC8' }), context).refused).toBe(false);
  });

  it('from looked after, ends no plan that is not running and keeps when the child became looked after', () => {
    const lookedAfter = accepted(becomeLookedAfter(onCinPlan(), { from: d('2026-04-10'), reason: 'x' }, context)).path;
    const step = accepted(closeCase(lookedAfter, closure({ reasonCode: 'RC4', closedOn: d('2026-11-20') }), context));
    expect(step.path).toMatchObject({ status: 'closed', lookedAfterFrom: '2026-04-10' });
    expect(step.path.childInNeedPlans).toEqual([{ sequence: 1, startedOn: '2026-03-02', endedOn: '2026-04-10' }]);
    expect(step.statusChange).toMatchObject({ from: 'looked-after', to: 'closed', reason: 'RC4: Special guardianship order' });
  });
});

describe('a refused step changes nothing', () => {
  it('leaves the path as it was', () => {
    const path = onPlan();
    const snapshot = structuredClone(path);
    closeCase(path, closure(), context);
    recordStrategyDiscussion(path, { heldOn: d('2026-04-01'), section47: true, reason: 'x' }, context);
    startChildInNeedPlan(path, { startedOn: d('2026-04-01') }, context);
    expect(path).toEqual(snapshot);
  });
});

describe('STEP_INPUTS: unknown codes are refused at the boundary', () => {
  const valid = {
    completedOn: '2026-02-20',
    factors: ['3B'],
    primaryNeed: 'N1',
    outcome: 'child-in-need-plan',
    familySafeguardingEligible: true,
    summary: 'Summary',
  };
  const failsAt = (schema: z.ZodMiniType, input: unknown): string[] => {
    const parsed = z.safeParse(schema, input);
    return parsed.success ? [] : [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))];
  };

  it('accepts census codes and refuses unknown or retired ones', () => {
    expect(failsAt(STEP_INPUTS['complete-assessment'], valid)).toEqual([]);
    // 18A and 19A are no longer accepted by the census; 25A never existed.
    expect(failsAt(STEP_INPUTS['complete-assessment'], { ...valid, factors: ['18A'] })).toEqual(['factors.0']);
    expect(failsAt(STEP_INPUTS['complete-assessment'], { ...valid, factors: ['3B', '19A'] })).toEqual(['factors.1']);
    expect(failsAt(STEP_INPUTS['complete-assessment'], { ...valid, factors: ['25A'] })).toEqual(['factors.0']);
    expect(failsAt(STEP_INPUTS['complete-assessment'], { ...valid, primaryNeed: 'N10' })).toEqual(['primaryNeed']);
    expect(failsAt(STEP_INPUTS['complete-assessment'], { ...valid, outcome: 'adoption' })).toEqual(['outcome']);
    expect(failsAt(STEP_INPUTS['cp-review'], { heldOn: '2026-06-10', outcome: 'continue', category: 'CSE' })).toEqual(['category']);
    expect(failsAt(STEP_INPUTS['initial-conference'], { heldOn: '2026-03-12', outcome: 'cp-plan', category: 'NEG' })).toEqual([]);
    expect(failsAt(STEP_INPUTS['initial-conference'], { heldOn: '2026-03-12', outcome: 'cp-plan' })).toEqual(['category']);
    expect(failsAt(STEP_INPUTS['initial-conference'], { heldOn: '2026-03-12', outcome: 'plan' }).length).toBeGreaterThan(0);
    const close = { closedOn: '2026-12-01', reasonCode: 'RC7', sustainabilityPlan: sustainability, stepDownToEarlyHelp: false };
    expect(failsAt(STEP_INPUTS.close, close)).toEqual([]);
    expect(failsAt(STEP_INPUTS.close, { ...close, reasonCode: 'RC10' })).toEqual(['reasonCode']);
    expect(failsAt(STEP_INPUTS.close, { ...close, reasonCode: 'rc7' })).toEqual(['reasonCode']);
  });

  it('refuses dates that are not real calendar dates', () => {
    expect(failsAt(STEP_INPUTS['start-cin-plan'], { startedOn: '2026-02-30' })).toEqual(['startedOn']);
    expect(failsAt(STEP_INPUTS['start-cin-plan'], { startedOn: '02/03/2026' })).toEqual(['startedOn']);
    expect(failsAt(STEP_INPUTS['start-cin-plan'], { startedOn: '2028-02-29' })).toEqual([]);
  });

  it('refuses a blank reason or summary', () => {
    expect(failsAt(STEP_INPUTS['strategy-discussion'], { heldOn: '2026-02-23', section47: true, reason: '   ' })).toEqual(['reason']);
    expect(failsAt(STEP_INPUTS['complete-assessment'], { ...valid, summary: '' })).toEqual(['summary']);
  });
});
