/**
 * The demo data set as dated steps (infra/local/src/seed/plan.ts), for any present: in order, never
 * after the present, each referral received before it is screened or decided; what the data calls
 * due today and overdue is so by the platform's deadline rule; every child was born before a
 * referral names them; group supervision held on the days the platform's rule schedules it, and
 * at the present one supervision and one action overdue, each escalated by a schedule run.
 */
import { addCalendarDays, type LocalDate, parseLocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf, londonWallClockOf } from '@fsp/shared/time/london';
import { isWorkingDay, workingDayDeadline } from '@fsp/shared/time/working-days';
import fc from 'fast-check';
import { supervisionTimesFrom as platformSupervisionTimesFrom } from '../../../../../services/supervision/src/domain/supervision';
import { SEED_AGENCIES, SEED_FAMILIES } from '../../../src/seed/data';
import {
  actionDueDate,
  actionEscalations,
  instantOf,
  isScheduleStep,
  LATEST_BEFORE_PRESENT_MS,
  planSteps,
  referralName,
  type Step,
  submissionOf,
  supervisionsOf,
  supervisionTimesFrom,
} from '../../../src/seed/plan';

/** Wednesday 25 November 2026, 2:30pm in London (GMT). */
const WEDNESDAY = new Date('2026-11-25T14:30:00Z');
const nameOf = (step: Step) => (isScheduleStep(step) ? step.kind : `${step.kind} ${referralName(step.family, step.referral)}`);
const decisionOf = (familyKey: string) => SEED_FAMILIES.find((family) => family.key === familyKey)!.referrals[0]!.decided!;
const agencyReferrer = (step: Extract<Step, { kind: 'submit' }>) =>
  'agency' in step.referral.from
    ? SEED_AGENCIES.find((agency) => agency.key === (step.referral.from as { agency: string }).agency)?.referrer
    : undefined;

/**
 * Presents the bank-holiday data (2024–2028) covers with the data's history: the Fletchers' case opened
 * over four months before the present, and its next supervision is due a month after the last.
 */
const presents = fc.date({ min: new Date('2024-07-01T00:00:00Z'), max: new Date('2028-11-30T23:59:59Z'), noInvalidDate: true });

describe('the seed’s plan', () => {
  it('dates each step in working days before the present, at its London time', () => {
    expect(instantOf({ workingDaysAgo: 0, at: '09:50' }, WEDNESDAY).toISOString()).toBe('2026-11-25T09:50:00.000Z');
    // 15 working days before Wednesday 25 November: Wednesday 4 November.
    expect(instantOf({ workingDaysAgo: 15, at: '10:20' }, WEDNESDAY).toISOString()).toBe('2026-11-04T10:20:00.000Z');
    // Before a Monday, the Friday; in summer time, London is an hour ahead of UTC.
    expect(instantOf({ workingDaysAgo: 1, at: '14:25' }, new Date('2026-06-01T09:00:00Z')).toISOString()).toBe('2026-05-29T13:25:00.000Z');
    expect(() => instantOf({ workingDaysAgo: 1, at: '9:5' }, WEDNESDAY)).toThrow(RangeError);
    expect(() => instantOf({ workingDaysAgo: -1, at: '09:05' }, WEDNESDAY)).toThrow(RangeError);
  });

  it('on a Wednesday afternoon: the families’ story in order, the reminders as the schedule would have run, the last at the present', () => {
    const steps = planSteps(SEED_FAMILIES, WEDNESDAY);
    const story = steps.filter((step) => !isScheduleStep(step)).map((step) => `${step.at.toISOString().slice(0, 16)} ${nameOf(step)}`);
    // The Fletchers' police referral, over four months ago (Thursday 16 July, in summer time), decided and allocated that day.
    expect(story.slice(0, 5)).toEqual([
      '2026-07-16T06:55 submit fletcher/police',
      '2026-07-16T08:05 screen fletcher/police',
      '2026-07-16T10:30 decide fletcher/police',
      '2026-07-16T13:40 allocate fletcher/police',
      '2026-07-17T15:30 summarise fletcher/police',
    ]);
    // Five of the six cases opened are allocated, each after its opening; the newest north case awaits allocation.
    expect(story.filter((line) => line.includes(' allocate '))).toEqual([
      '2026-07-16T13:40 allocate fletcher/police',
      '2026-10-13T10:15 allocate robinson/school',
      '2026-11-06T10:30 allocate khan/gp',
      '2026-11-11T16:15 allocate walsh/police-assault',
      '2026-11-19T11:00 allocate price/health-visitor',
    ]);
    // What the workers recorded, after the allocations: notes (one amended the next day) and each allocated case's summary.
    expect(story.filter((line) => / (record|amend|summarise) /.test(line))).toEqual([
      '2026-07-17T15:30 summarise fletcher/police',
      '2026-10-15T16:00 summarise robinson/school',
      '2026-11-09T17:10 record khan/gp',
      '2026-11-09T17:30 summarise khan/gp',
      '2026-11-10T09:20 amend khan/gp',
      '2026-11-11T14:20 record khan/gp',
      '2026-11-12T16:20 record walsh/police-assault',
      '2026-11-12T16:45 summarise walsh/police-assault',
      '2026-11-20T16:00 summarise price/health-visitor',
      '2026-11-23T15:50 record khan/gp',
      '2026-11-24T10:40 record khan/gp',
    ]);
    expect(story.at(-1)).toBe('2026-11-25T09:50 submit thompson/housing');
    expect(steps.filter((step) => step.kind === 'submit')).toHaveLength(17);
    expect(steps.at(-1)).toEqual({ kind: 'reminders', at: WEDNESDAY });
    const reminders = steps.filter((step) => step.kind === 'reminders').map((step) => step.at.toISOString());
    // 12:05 on working days only; 00:05 after working days only (not on Sunday or Monday).
    expect(reminders).toContain('2026-11-24T12:05:00.000Z');
    expect(reminders).toContain('2026-11-25T00:05:00.000Z');
    expect(reminders).not.toContain('2026-11-21T12:05:00.000Z');
    expect(reminders).not.toContain('2026-11-23T00:05:00.000Z');
    expect(reminders).toContain('2026-11-21T00:05:00.000Z');
    // Only while a referral awaits its decision: not on a summer's day when none did, nor at midday after the Fletchers' was decided.
    expect(reminders).not.toContain('2026-08-14T11:05:00.000Z');
    expect(reminders).not.toContain('2026-07-16T11:05:00.000Z');
    expect(reminders).toHaveLength(18);
  });

  it('on a Wednesday afternoon: the Fletchers’ four supervisions, each on the day it was scheduled, their actions done, and the schedule run just after each escalation', () => {
    const steps = planSteps(SEED_FAMILIES, WEDNESDAY);
    const supervision = steps
      .filter((step) => step.kind === 'supervise' || step.kind === 'complete-action' || step.kind === 'timescales')
      .map((step) => `${step.at.toISOString().slice(0, 16)} ${step.kind}${'sequence' in step ? ` ${step.sequence}` : ''}`);
    expect(supervision).toEqual([
      // Allocated Thursday 16 July: due Sunday 16 August, so held on Friday 14 August; then monthly from the day held.
      '2026-08-14T14:40 supervise 1',
      '2026-08-17T10:10 complete-action 1',
      '2026-08-18T15:05 complete-action 1',
      '2026-08-19T14:20 complete-action 1',
      '2026-09-14T13:50 supervise 2',
      '2026-09-23T13:30 complete-action 2',
      '2026-09-24T15:40 complete-action 2',
      '2026-10-14T15:15 supervise 3',
      '2026-10-20T09:30 complete-action 3',
      // The third's open action, due Monday 26 October: its owner told just after, the team manager two working days later.
      '2026-10-27T00:05 timescales',
      '2026-10-29T00:05 timescales',
      // Due Saturday 14 November, held on Friday 13 November.
      '2026-11-13T15:05 supervise 4',
      // The Robinsons' first supervision, due Friday 13 November (a month after their allocation), not held.
      '2026-11-14T00:05 timescales',
    ]);
    const fletcher = supervisionsOf(decisionOf('fletcher'), WEDNESDAY)!;
    expect(fletcher.held.map(({ heldOn }) => heldOn)).toEqual(['2026-08-14', '2026-09-14', '2026-10-14', '2026-11-13']);
    expect(fletcher.next).toMatchObject({ sequence: 5, dueDate: '2026-12-13', scheduledDate: '2026-12-11' });
    expect(supervisionsOf(decisionOf('robinson'), WEDNESDAY)!).toMatchObject({ held: [], next: { sequence: 1, dueDate: '2026-11-13' } });
    expect(supervisionsOf(decisionOf('adeyemi'), WEDNESDAY)).toBeUndefined();
  });

  it('works out a supervision’s days as the platform does: a calendar month on, held on the last working day on or before it', () => {
    expect(supervisionTimesFrom(parseLocalDate('2026-01-31'))).toMatchObject({ dueDate: '2026-02-28', scheduledDate: '2026-02-27' });
    // Due on the summer bank holiday (Monday 31 August 2026): held on the Friday before.
    expect(supervisionTimesFrom(parseLocalDate('2026-07-31'))).toMatchObject({ dueDate: '2026-08-31', scheduledDate: '2026-08-28' });
    expect(supervisionTimesFrom(parseLocalDate('2026-11-25')).dueBy.toISOString()).toBe('2026-12-25T23:59:59.999Z');
    const days = fc
      .integer({ min: 0, max: 4 * 365 + 300 })
      .map((offset): LocalDate => addCalendarDays(parseLocalDate('2024-01-01'), offset));
    fc.assert(
      fc.property(days, (day) => {
        const platform = platformSupervisionTimesFrom(day);
        expect(supervisionTimesFrom(day)).toEqual({
          dueDate: platform.dueDate,
          dueBy: platform.dueBy,
          scheduledDate: platform.scheduledDate,
        });
      }),
      { numRuns: 200 },
    );
  });

  it('for any present: supervisions held on working days by their due dates, actions done on time; at the present one supervision and one action overdue, each escalated, the Fletchers’ next not yet due', () => {
    fc.assert(
      fc.property(presents, (present) => {
        const steps = planSteps(SEED_FAMILIES, present);
        const runs = steps.filter((step) => step.kind === 'timescales').map((step) => step.at.getTime());
        const ranAfter = (moment: Date) => runs.some((run) => run > moment.getTime() && run < present.getTime());
        let overdueSupervisions = 0;
        let overdueActions = 0;
        for (const family of SEED_FAMILIES) {
          for (const referral of family.referrals) {
            const supervised = referral.decided && supervisionsOf(referral.decided, present);
            if (!supervised) continue;
            let due = supervisionTimesFrom(londonDateOf(instantOf(referral.decided!.allocated!.at, present)));
            for (const { heldOn, recordedAt, supervision } of supervised.held) {
              expect(isWorkingDay(heldOn)).toBe(true);
              expect(heldOn <= due.dueDate).toBe(true);
              expect(recordedAt.getTime()).toBeLessThan(present.getTime());
              for (const action of supervision.actions) {
                const dueDate = actionDueDate(heldOn, action);
                const done = steps.find((step) => step.kind === 'complete-action' && step.action === action);
                if (action.done) {
                  expect(done && londonDateOf(done.at) <= dueDate && done.at.getTime() > recordedAt.getTime()).toBe(true);
                } else if (actionEscalations(dueDate).owner.getTime() < present.getTime()) {
                  overdueActions += 1;
                  expect(ranAfter(actionEscalations(dueDate).owner)).toBe(true);
                  expect(ranAfter(actionEscalations(dueDate).teamManager)).toBe(true);
                }
              }
              due = supervisionTimesFrom(heldOn);
            }
            expect(supervised.next.dueDate).toBe(due.dueDate);
            if (supervised.next.dueBy.getTime() < present.getTime()) {
              overdueSupervisions += 1;
              expect(ranAfter(supervised.next.dueBy)).toBe(true);
            }
          }
        }
        expect({ overdueSupervisions, overdueActions }).toEqual({ overdueSupervisions: 1, overdueActions: 1 });
        const fletcher = supervisionsOf(decisionOf('fletcher'), present)!;
        expect(fletcher.held.map(({ supervision }) => supervision.rating)).toEqual(['red', 'amber', 'amber', 'green']);
        expect(fletcher.next.dueBy.getTime()).toBeGreaterThan(present.getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('moves steps the data puts later than the present back to just before it, keeping their order', () => {
    const early = new Date('2026-11-25T04:28:00Z');
    const steps = planSteps(SEED_FAMILIES, early);
    const today = steps.filter((step) => step.kind !== 'reminders' && londonDateOf(step.at) === '2026-11-25').map(nameOf);
    expect(today).toEqual([
      'submit ali/police',
      'submit walsh/police-bail-breach',
      'screen murphy/health-visitor',
      'submit thompson/housing',
    ]);
    expect(steps.at(-2)!.at.getTime()).toBe(early.getTime() - LATEST_BEFORE_PRESENT_MS);
  });

  it('for any present: every step in order and not after it, each referral received before it is screened and decided, its case opened before it is allocated and recorded in, each contact before its note', () => {
    fc.assert(
      fc.property(presents, (present) => {
        const steps = planSteps(SEED_FAMILIES, present);
        for (let index = 1; index < steps.length; index += 1) {
          expect(steps[index]!.at.getTime()).toBeGreaterThan(steps[index - 1]!.at.getTime());
        }
        expect(steps.at(-1)!.at.getTime()).toBe(present.getTime());
        const firstOf = new Map<string, number>();
        for (const [index, step] of steps.entries()) {
          if (isScheduleStep(step)) continue;
          const name = referralName(step.family, step.referral);
          if (step.kind === 'submit') firstOf.set(name, index);
          else expect(firstOf.get(name)).toBeLessThan(index);
          if (step.kind === 'record' || step.kind === 'summarise' || step.kind === 'amend' || step.kind === 'supervise') {
            // Recorded only in an allocated case, after its allocation.
            const allocated = steps.findIndex((other) => other.kind === 'allocate' && referralName(other.family, other.referral) === name);
            expect(allocated).toBeGreaterThanOrEqual(0);
            expect(allocated).toBeLessThan(index);
          }
          if (step.kind === 'record') expect(instantOf(step.note.contact, present).getTime()).toBeLessThan(step.at.getTime());
          if (step.kind === 'amend') {
            const recorded = steps.findIndex((other) => other.kind === 'record' && other.note === step.note);
            expect(recorded).toBeGreaterThanOrEqual(0);
            expect(recorded).toBeLessThan(index);
          }
          // A supervision is held after the one before it; an action is done after the supervision that set it.
          if (step.kind === 'supervise' && step.sequence > 1) {
            const before = steps.findIndex(
              (other) => other.kind === 'supervise' && other.referral === step.referral && other.sequence === step.sequence - 1,
            );
            expect(before).toBeGreaterThanOrEqual(0);
            expect(before).toBeLessThan(index);
          }
          if (step.kind === 'complete-action') {
            const held = steps.findIndex(
              (other) => other.kind === 'supervise' && other.referral === step.referral && other.sequence === step.sequence,
            );
            expect(held).toBeGreaterThanOrEqual(0);
            expect(held).toBeLessThan(index);
          }
          if (step.kind === 'allocate') {
            const opened = steps.findIndex((other) => other.kind === 'decide' && referralName(other.family, other.referral) === name);
            expect(opened).toBeGreaterThanOrEqual(0);
            expect(opened).toBeLessThan(index);
          }
          if (step.kind === 'decide' && step.decision.addedToCaseOf) {
            const opened = steps.findIndex(
              (other) => other.kind === 'decide' && referralName(other.family, other.referral) === step.decision.addedToCaseOf,
            );
            expect(opened).toBeGreaterThanOrEqual(0);
            expect(opened).toBeLessThan(index);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('for any present on a working day: referrals left undecided from the day before are due today, older ones overdue', () => {
    const workingPresents = presents.filter((present) => isWorkingDay(londonDateOf(present)) && londonWallClockOf(present).hour >= 1);
    fc.assert(
      fc.property(workingPresents, (present) => {
        const today = londonDateOf(present);
        const undecided = planSteps(SEED_FAMILIES, present).filter(
          (step): step is Extract<Step, { kind: 'submit' }> => step.kind === 'submit' && step.referral.decided === undefined,
        );
        const deadlines = undecided.map((step) => ({
          ago: step.referral.received.workingDaysAgo,
          deadline: workingDayDeadline(step.at, 1),
        }));
        for (const { ago, deadline } of deadlines) {
          if (ago === 1) expect(deadline.dueDate).toBe(today);
          if (ago >= 2) expect(deadline.dueBy.getTime()).toBeLessThan(present.getTime());
        }
        expect(deadlines.filter(({ ago }) => ago === 1)).toHaveLength(3);
        expect(deadlines.filter(({ ago }) => ago >= 2)).toHaveLength(2);
      }),
      { numRuns: 300 },
    );
  });

  it('for any present: every child was born, and every unborn child is still expected, on the day each referral names them', () => {
    fc.assert(
      fc.property(presents, (present) => {
        for (const step of planSteps(SEED_FAMILIES, present)) {
          if (step.kind !== 'submit') continue;
          const received = londonDateOf(step.at);
          const submission = submissionOf(step.family, step.referral, present, agencyReferrer(step));
          for (const child of submission.children) {
            if (child.dateOfBirth) expect(child.dateOfBirth < received).toBe(true);
            if (child.expectedDateOfBirth) expect(child.expectedDateOfBirth > received).toBe(true);
          }
          for (const adult of submission.adults ?? []) if (adult.dateOfBirth) expect(adult.dateOfBirth < received).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('dates a child the same in every referral, so that the known-family check can match them', () => {
    const khan = SEED_FAMILIES.find((family) => family.key === 'khan')!;
    const [first, second] = khan.referrals.map((referral) => submissionOf(khan, referral, WEDNESDAY, SEED_AGENCIES[1]!.referrer));
    expect(second!.children).toEqual(first!.children);
    expect(first!.children[0]).toMatchObject({ firstName: 'Zara', dateOfBirth: '2020-05-09', address: { postcode: 'XN2 4LD' } });
  });

  it('sends an anonymous referral without a referrer, dates of birth or schools, and a partner’s with its agency’s referrer', () => {
    const okoro = SEED_FAMILIES.find((family) => family.key === 'okoro')!;
    const anonymous = submissionOf(okoro, okoro.referrals[0]!, WEDNESDAY);
    expect(anonymous.referrer).toBeUndefined();
    expect(anonymous.referralSource).toBe('9');
    expect(anonymous.children.every((child) => !child.dateOfBirth && !child.school)).toBe(true);
    const ali = SEED_FAMILIES.find((family) => family.key === 'ali')!;
    const police = SEED_AGENCIES.find((agency) => agency.key === 'police')!;
    expect(submissionOf(ali, ali.referrals[0]!, WEDNESDAY, police.referrer).referrer).toEqual(police.referrer);
    expect(() => submissionOf(ali, ali.referrals[0]!, WEDNESDAY)).toThrow(/needs a referrer/);
  });
});
