/**
 * The demo data set as dated steps (infra/local/src/seed/plan.ts), for any present: in order, never
 * after the present, each referral received before it is screened or decided; what the data calls
 * due today and overdue is so by the platform's deadline rule; every child was born before a
 * referral names them.
 */
import { londonDateOf, londonWallClockOf } from '@fsp/shared/time/london';
import { isWorkingDay, workingDayDeadline } from '@fsp/shared/time/working-days';
import fc from 'fast-check';
import { SEED_AGENCIES, SEED_FAMILIES } from '../../../src/seed/data';
import { instantOf, LATEST_BEFORE_PRESENT_MS, planSteps, referralName, type Step, submissionOf } from '../../../src/seed/plan';

/** Wednesday 25 November 2026, 2:30pm in London (GMT). */
const WEDNESDAY = new Date('2026-11-25T14:30:00Z');
const nameOf = (step: Step) => (step.kind === 'reminders' ? 'reminders' : `${step.kind} ${referralName(step.family, step.referral)}`);
const agencyReferrer = (step: Extract<Step, { kind: 'submit' }>) =>
  'agency' in step.referral.from
    ? SEED_AGENCIES.find((agency) => agency.key === (step.referral.from as { agency: string }).agency)?.referrer
    : undefined;

/** Presents the bank-holiday data covers, three weeks in from either end. */
const presents = fc.date({ min: new Date('2024-02-01T00:00:00Z'), max: new Date('2028-11-30T23:59:59Z'), noInvalidDate: true });

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
    const story = steps.filter((step) => step.kind !== 'reminders').map((step) => `${step.at.toISOString().slice(0, 16)} ${nameOf(step)}`);
    expect(story.slice(0, 5)).toEqual([
      '2026-11-04T10:20 submit khan/gp',
      '2026-11-05T09:10 screen khan/gp',
      '2026-11-05T11:05 decide khan/gp',
      '2026-11-06T10:30 allocate khan/gp',
      '2026-11-09T17:10 record khan/gp',
    ]);
    // Three of the four cases opened are allocated, each after its opening; the newest north case awaits allocation.
    expect(story.filter((line) => line.includes(' allocate '))).toEqual([
      '2026-11-06T10:30 allocate khan/gp',
      '2026-11-11T16:15 allocate walsh/police-assault',
      '2026-11-19T11:00 allocate price/health-visitor',
    ]);
    // What the workers recorded, after the allocations: notes (one amended the next day) and each allocated case's summary.
    expect(story.filter((line) => / (record|amend|summarise) /.test(line))).toEqual([
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
    expect(steps.filter((step) => step.kind === 'submit')).toHaveLength(15);
    expect(steps.at(-1)).toEqual({ kind: 'reminders', at: WEDNESDAY });
    const reminders = steps.filter((step) => step.kind === 'reminders').map((step) => step.at.toISOString());
    // 12:05 on working days only; 00:05 after working days only (not on Sunday or Monday).
    expect(reminders).toContain('2026-11-24T12:05:00.000Z');
    expect(reminders).toContain('2026-11-25T00:05:00.000Z');
    expect(reminders).not.toContain('2026-11-21T12:05:00.000Z');
    expect(reminders).not.toContain('2026-11-23T00:05:00.000Z');
    expect(reminders).toContain('2026-11-21T00:05:00.000Z');
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
          if (step.kind === 'reminders') continue;
          const name = referralName(step.family, step.referral);
          if (step.kind === 'submit') firstOf.set(name, index);
          else expect(firstOf.get(name)).toBeLessThan(index);
          if (step.kind === 'record' || step.kind === 'summarise' || step.kind === 'amend') {
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
