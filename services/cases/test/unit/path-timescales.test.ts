import { type LocalDate, parseLocalDate } from '@fsp/shared/time/local-date';
import { addWorkingDays } from '@fsp/shared/time/working-days';
import {
  becomeLookedAfter,
  type CasePath,
  closeCase,
  completeAssessment,
  type PathResult,
  recordChildProtectionReview,
  recordConferenceNotRequired,
  recordInitialConference,
  recordStrategyDiscussion,
  startPath,
} from '../../src/domain/path';
import {
  momentReached,
  type OpenTimescale,
  openTimescales,
  type TimescaleTimer,
  timerChanges,
  timersOfPath,
  timescalesNoLongerOpen,
} from '../../src/domain/path-timescales';

const d = (value: string): LocalDate => parseLocalDate(value);
const context = { now: new Date('2028-06-30T12:00:00.000Z'), by: 'sw-sam' };

function accepted(result: PathResult): CasePath {
  if (result.refused) throw new Error(`refused: ${result.field}: ${result.reason}`);
  return result.path;
}

const opened = (referralDate: string, assessmentDueDate = '2028-12-29'): CasePath =>
  startPath({ caseId: 'case-07', referralDate: d(referralDate), assessmentDueDate: d(assessmentDueDate) });

const assessedFrom = (referralDate: string): CasePath =>
  accepted(
    completeAssessment(
      opened(referralDate),
      {
        completedOn: d(referralDate),
        factors: ['3B'],
        primaryNeed: 'N1',
        outcome: 'strategy-discussion',
        familySafeguardingEligible: true,
        summary: 'Domestic abuse',
      },
      context,
    ),
  );

/** An assessed case whose section 47 strategy discussion was held on `heldOn`. */
const discussedOn = (heldOn: string): CasePath =>
  accepted(recordStrategyDiscussion(assessedFrom(heldOn), { heldOn: d(heldOn), section47: true, reason: 'Injury' }, context));

const conference = (path: CasePath): OpenTimescale | undefined =>
  openTimescales(path).find((open) => open.timescale === 'initial-conference');
const review = (path: CasePath): OpenTimescale | undefined => openTimescales(path).find((open) => open.timescale === 'cp-review');

describe('the initial conference: 15 working days after the strategy discussion', () => {
  it.each([
    // Weekends only: Monday 23 February 2026 → Monday 16 March.
    { heldOn: '2026-02-23', dueDate: '2026-03-16', dueSoonFrom: '2026-03-09T00:00:00.000Z', dueBy: '2026-03-16T23:59:59.999Z' },
    // Christmas Day (Friday), Boxing Day (substitute Monday 28th) and New Year's Day 2027, across the year end.
    { heldOn: '2026-12-11', dueDate: '2027-01-06', dueSoonFrom: '2026-12-29T00:00:00.000Z', dueBy: '2027-01-06T23:59:59.999Z' },
    // Easter 2027 (Good Friday 26 March, Easter Monday 29 March) with the clocks going forward on Sunday 28 March: due in BST.
    { heldOn: '2027-03-15', dueDate: '2027-04-07', dueSoonFrom: '2027-03-30T23:00:00.000Z', dueBy: '2027-04-07T22:59:59.999Z' },
    // The spring bank holiday, Monday 31 May 2027.
    { heldOn: '2027-05-17', dueDate: '2027-06-08', dueSoonFrom: '2027-05-31T23:00:00.000Z', dueBy: '2027-06-08T22:59:59.999Z' },
    // The clocks go back on Sunday 25 October 2026: due soon from a BST morning, overdue after a GMT day.
    { heldOn: '2026-10-08', dueDate: '2026-10-29', dueSoonFrom: '2026-10-21T23:00:00.000Z', dueBy: '2026-10-29T23:59:59.999Z' },
    // Held on a Saturday (an urgent weekend discussion): counting starts on Monday.
    { heldOn: '2026-06-06', dueDate: '2026-06-26', dueSoonFrom: '2026-06-18T23:00:00.000Z', dueBy: '2026-06-26T22:59:59.999Z' },
  ])('held $heldOn: due $dueDate', ({ heldOn, dueDate, dueSoonFrom, dueBy }) => {
    const path = discussedOn(heldOn);
    expect(path.strategyDiscussions[0]?.conferenceDueDate).toBe(dueDate);
    expect(conference(path)).toEqual({ timescale: 'initial-conference', targetId: 'conference-1', dueDate, dueBy, dueSoonFrom });
    expect(timersOfPath(path).filter((timer) => timer.timescale === 'initial-conference')).toEqual([
      { moment: 'due-soon', fireAt: dueSoonFrom, caseId: 'case-07', timescale: 'initial-conference', targetId: 'conference-1' },
      { moment: 'overdue', fireAt: dueBy, caseId: 'case-07', timescale: 'initial-conference', targetId: 'conference-1' },
    ]);
  });

  it('no clock without a section 47 enquiry', () => {
    const path = accepted(
      recordStrategyDiscussion(assessedFrom('2026-02-23'), { heldOn: d('2026-02-23'), section47: false, reason: 'x' }, context),
    );
    expect(openTimescales(path)).toEqual([]);
  });

  it('its timers go when the conference is held, or when it is decided none is needed', () => {
    const path = discussedOn('2026-02-23');
    const held = accepted(recordInitialConference(path, { heldOn: d('2026-03-20'), outcome: 'no-plan' }, context));
    expect(openTimescales(held)).toEqual([]);
    expect(timerChanges(path, held)).toEqual({ remove: timersOfPath(path), add: [] });

    const notNeeded = accepted(recordConferenceNotRequired(path, { decidedOn: d('2026-03-02'), reason: 'x' }, context));
    expect(timerChanges(path, notNeeded)).toEqual({ remove: timersOfPath(path), add: [] });
  });

  it('a second section 47 enquiry has its own timers', () => {
    const first = accepted(recordInitialConference(discussedOn('2026-02-23'), { heldOn: d('2026-03-12'), outcome: 'no-plan' }, context));
    const second = accepted(recordStrategyDiscussion(first, { heldOn: d('2026-05-04'), section47: true, reason: 'New injury' }, context));
    expect(conference(second)).toMatchObject({ targetId: 'conference-2', dueDate: '2026-05-26' });
    expect(timerChanges(first, second).add.map((timer) => `${timer.targetId} ${timer.moment}`)).toEqual([
      'conference-2 due-soon',
      'conference-2 overdue',
    ]);
  });
});

describe('the assessment: due on the day the case opened with', () => {
  it('is open until the assessment is completed; its timers then go', () => {
    // 45 working days from Monday 2 March 2026 (Easter and the early May bank holiday between): Thursday 7 May, in BST.
    const path = opened('2026-03-02', '2026-05-07');
    expect(addWorkingDays(d('2026-03-02'), 45)).toBe('2026-05-07');
    expect(openTimescales(path)).toEqual([
      {
        timescale: 'assessment',
        targetId: 'assessment',
        dueDate: '2026-05-07',
        dueBy: '2026-05-07T22:59:59.999Z',
        // Five working days before: 6, 5, 1 May (4 May is a bank holiday), 30 and 29 April.
        dueSoonFrom: '2026-04-28T23:00:00.000Z',
      },
    ]);
    const assessed = accepted(
      completeAssessment(
        path,
        {
          completedOn: d('2026-05-07'),
          factors: ['21'],
          primaryNeed: 'N9',
          outcome: 'no-further-action',
          familySafeguardingEligible: false,
          summary: 'x',
        },
        context,
      ),
    );
    expect(openTimescales(assessed)).toEqual([]);
    expect(timerChanges(path, assessed)).toEqual({ remove: timersOfPath(path), add: [] });
  });

  it('due after the clocks went forward: the due day ends at 22:59:59.999Z, its due-soon morning (still GMT) starts at midnight UTC', () => {
    // Due Tuesday 31 March 2026 (BST from Sunday 29 March); five working days before is Tuesday 24 March (GMT).
    expect(openTimescales(opened('2026-01-05', '2026-03-31'))[0]).toMatchObject({
      dueBy: '2026-03-31T22:59:59.999Z',
      dueSoonFrom: '2026-03-24T00:00:00.000Z',
    });
  });
});

describe('child protection reviews: 3 calendar months after the conference, then 6 after each review', () => {
  const onPlanFrom = (heldOn: string): CasePath =>
    accepted(recordInitialConference(discussedOn(heldOn), { heldOn: d(heldOn), outcome: 'cp-plan', category: 'NEG' }, context));

  it('31 January → 30 April (the month has no 31st), then 6 months after the review', () => {
    const path = onPlanFrom('2025-01-31');
    expect(review(path)).toEqual({
      timescale: 'cp-review',
      targetId: 'review-1-1',
      sequence: 1,
      dueDate: '2025-04-30',
      dueBy: '2025-04-30T22:59:59.999Z',
      dueSoonFrom: '2025-04-22T23:00:00.000Z',
    });
    const reviewed = accepted(
      recordChildProtectionReview(path, { heldOn: d('2025-04-28'), outcome: 'continue', category: 'NEG' }, context),
    );
    // Tuesday 28 October 2025, after the clocks went back: overdue after a GMT day, due soon from a BST morning.
    expect(review(reviewed)).toEqual({
      timescale: 'cp-review',
      targetId: 'review-1-2',
      sequence: 2,
      dueDate: '2025-10-28',
      dueBy: '2025-10-28T23:59:59.999Z',
      dueSoonFrom: '2025-10-20T23:00:00.000Z',
    });
    const changes = timerChanges(path, reviewed);
    expect(changes.remove.map((timer) => `${timer.targetId} ${timer.moment}`)).toEqual(['review-1-1 due-soon', 'review-1-1 overdue']);
    expect(changes.add.map((timer) => `${timer.targetId} ${timer.moment} ${timer.fireAt}`)).toEqual([
      'review-1-2 due-soon 2025-10-20T23:00:00.000Z',
      'review-1-2 overdue 2025-10-28T23:59:59.999Z',
    ]);
  });

  it('30 November → 28 February, a Sunday: due soon from the Monday of that week', () => {
    expect(review(onPlanFrom('2026-11-30'))).toMatchObject({
      dueDate: '2027-02-28',
      dueBy: '2027-02-28T23:59:59.999Z',
      dueSoonFrom: '2027-02-22T00:00:00.000Z',
    });
  });

  it('a review on the summer bank holiday, 31 August, is next due on 28 February (29 in a leap year)', () => {
    const path = onPlanFrom('2026-06-01');
    const reviewed = accepted(
      recordChildProtectionReview(path, { heldOn: d('2026-08-31'), outcome: 'continue', category: 'NEG' }, context),
    );
    expect(review(reviewed)?.dueDate).toBe('2027-02-28');
    const leap = accepted(
      recordChildProtectionReview(onPlanFrom('2027-06-01'), { heldOn: d('2027-08-31'), outcome: 'continue', category: 'NEG' }, context),
    );
    expect(review(leap)?.dueDate).toBe('2028-02-29');
  });

  it('no review waits once the plan ends at a review or when the child becomes looked after', () => {
    const path = onPlanFrom('2026-03-12');
    const steppedDown = accepted(
      recordChildProtectionReview(path, { heldOn: d('2026-06-10'), outcome: 'step-down', category: 'NEG' }, context),
    );
    expect(openTimescales(steppedDown)).toEqual([]);
    expect(timerChanges(path, steppedDown)).toEqual({ remove: timersOfPath(path), add: [] });
    const lookedAfter = accepted(becomeLookedAfter(path, { from: d('2026-04-01'), reason: 'Interim care order' }, context));
    expect(review(lookedAfter)).toBeUndefined();
  });
});

describe('closed cases', () => {
  it('have no timers, whatever the path still holds', () => {
    const assessed = assessedFrom('2026-03-02');
    const closed = accepted(
      closeCase(
        assessed,
        {
          closedOn: d('2026-03-05'),
          reasonCode: 'RC8',
          sustainabilityPlan: { people: [{ name: 'A', relationship: 'aunt', helps: 'Visits' }], summary: 'x' },
          stepDownToEarlyHelp: false,
        },
        context,
      ),
    );
    expect(timersOfPath(closed)).toEqual([]);
    // A case closed before paths were kept: its assessment was never recorded, and it waits on nothing.
    const legacy: CasePath = { ...opened('2026-03-02', '2026-05-07'), status: 'closed', version: 0 };
    expect(openTimescales(legacy)).toEqual([]);
    expect(timerChanges(opened('2026-03-02', '2026-05-07'), legacy)).toEqual({
      remove: timersOfPath(opened('2026-03-02', '2026-05-07')),
      add: [],
    });
  });
});

describe('momentReached', () => {
  const open = conference(discussedOn('2026-10-08')) as OpenTimescale;
  const at = (iso: string) => new Date(iso);

  it('due soon from the first instant of the morning, overdue only after the last instant of the due day', () => {
    expect(momentReached(open, 'due-soon', at('2026-10-21T22:59:59.999Z'))).toBe(false);
    expect(momentReached(open, 'due-soon', at('2026-10-21T23:00:00.000Z'))).toBe(true);
    expect(momentReached(open, 'overdue', at('2026-10-29T23:59:59.999Z'))).toBe(false);
    expect(momentReached(open, 'overdue', at('2026-10-30T00:00:00.000Z'))).toBe(true);
  });
});

describe('timerChanges', () => {
  it('from no path adds every timer; between equal paths changes nothing', () => {
    const path = discussedOn('2026-02-23');
    expect(timerChanges(undefined, path)).toEqual({ remove: [], add: timersOfPath(path) });
    expect(timerChanges(path, structuredClone(path))).toEqual({ remove: [], add: [] });
  });

  it('a timer whose due instant moved is removed and added again, so the stored one never fires at the old instant', () => {
    const path = opened('2026-03-02', '2026-05-07');
    const moved: CasePath = { ...path, assessmentDueDate: d('2026-05-08') };
    const { remove, add } = timerChanges(path, moved);
    const fireAts = (timers: TimescaleTimer[]) => timers.map((timer) => `${timer.moment} ${timer.fireAt}`);
    expect(fireAts(remove)).toEqual(['due-soon 2026-04-28T23:00:00.000Z', 'overdue 2026-05-07T22:59:59.999Z']);
    expect(fireAts(add)).toEqual(['due-soon 2026-04-29T23:00:00.000Z', 'overdue 2026-05-08T22:59:59.999Z']);
  });
});

describe('timescalesNoLongerOpen (CaseTimescaleMet)', () => {
  const ended = (before: CasePath, after: CasePath, on: string) =>
    timescalesNoLongerOpen(before, after, d(on)).map(({ open, ...rest }) => ({ targetId: open.targetId, dueDate: open.dueDate, ...rest }));
  const onPlanFrom = (heldOn: string): CasePath =>
    accepted(recordInitialConference(discussedOn(heldOn), { heldOn: d(heldOn), outcome: 'cp-plan', category: 'NEG' }, context));

  it('the assessment completed on its due day is met on time; a day late, met late', () => {
    const path = opened('2026-03-02', '2026-05-07');
    const assess = (completedOn: string) =>
      accepted(
        completeAssessment(
          path,
          {
            completedOn: d(completedOn),
            factors: ['21'],
            primaryNeed: 'N9',
            outcome: 'no-further-action',
            familySafeguardingEligible: false,
            summary: 'x',
          },
          context,
        ),
      );
    expect(ended(path, assess('2026-05-07'), '2026-05-07')).toEqual([
      { targetId: 'assessment', dueDate: '2026-05-07', outcome: 'met', onTime: true, on: '2026-05-07' },
    ]);
    expect(ended(path, assess('2026-05-08'), '2026-05-08')).toEqual([
      { targetId: 'assessment', dueDate: '2026-05-07', outcome: 'met', onTime: false, on: '2026-05-08' },
    ]);
  });

  it('the initial conference: met when held, withdrawn when none is needed', () => {
    const path = discussedOn('2026-02-23');
    const held = accepted(recordInitialConference(path, { heldOn: d('2026-03-20'), outcome: 'no-plan' }, context));
    expect(ended(path, held, '2026-03-20')).toEqual([
      { targetId: 'conference-1', dueDate: '2026-03-16', outcome: 'met', onTime: false, on: '2026-03-20' },
    ]);
    const notNeeded = accepted(recordConferenceNotRequired(path, { decidedOn: d('2026-03-02'), reason: 'x' }, context));
    expect(ended(path, notNeeded, '2026-03-02')).toEqual([
      { targetId: 'conference-1', dueDate: '2026-03-16', outcome: 'withdrawn', on: '2026-03-02' },
    ]);
  });

  it('a review held is met (its next opens, untold); a plan ended by becoming looked after withdraws the review', () => {
    const path = onPlanFrom('2025-01-31');
    const reviewed = accepted(
      recordChildProtectionReview(path, { heldOn: d('2025-04-28'), outcome: 'continue', category: 'NEG' }, context),
    );
    expect(ended(path, reviewed, '2025-04-28')).toEqual([
      { targetId: 'review-1-1', dueDate: '2025-04-30', outcome: 'met', onTime: true, on: '2025-04-28' },
    ]);
    const steppedDown = accepted(
      recordChildProtectionReview(reviewed, { heldOn: d('2025-10-28'), outcome: 'step-down', category: 'NEG' }, context),
    );
    expect(ended(reviewed, steppedDown, '2025-10-28')).toEqual([
      { targetId: 'review-1-2', dueDate: '2025-10-28', outcome: 'met', onTime: true, on: '2025-10-28' },
    ]);
    const lookedAfter = accepted(becomeLookedAfter(path, { from: d('2025-03-01'), reason: 'Interim care order' }, context));
    expect(ended(path, lookedAfter, '2025-03-01')).toEqual([
      { targetId: 'review-1-1', dueDate: '2025-04-30', outcome: 'withdrawn', on: '2025-03-01' },
    ]);
  });

  it('a step that ends nothing, or a case closed that waited on nothing, tells nothing', () => {
    const first = accepted(recordInitialConference(discussedOn('2026-02-23'), { heldOn: d('2026-03-12'), outcome: 'no-plan' }, context));
    const second = accepted(recordStrategyDiscussion(first, { heldOn: d('2026-05-04'), section47: true, reason: 'New injury' }, context));
    expect(timescalesNoLongerOpen(first, second, d('2026-05-04'))).toEqual([]);
    const closed = accepted(
      closeCase(
        first,
        {
          closedOn: d('2026-03-20'),
          reasonCode: 'RC8',
          sustainabilityPlan: { people: [{ name: 'A', relationship: 'aunt', helps: 'Visits' }], summary: 'x' },
          stepDownToEarlyHelp: false,
        },
        context,
      ),
    );
    expect(timescalesNoLongerOpen(first, closed, d('2026-03-20'))).toEqual([]);
  });
});
