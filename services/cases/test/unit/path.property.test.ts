import { CATEGORIES_OF_ABUSE, CLOSURE_REASON_CODES } from '@fsp/shared/events/codes';
import { addCalendarDays, compareLocalDates, fromEpochDay, type LocalDate, parseLocalDate, toEpochDay } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import { addWorkingDays } from '@fsp/shared/time/working-days';
import fc from 'fast-check';
import {
  ASSESSMENT_FACTOR_CODES,
  ASSESSMENT_OUTCOMES,
  activeCinPlan,
  activeCpPlan,
  becomeLookedAfter,
  type CasePath,
  closeCase,
  completeAssessment,
  type PathResult,
  PRIMARY_NEED_CODES,
  recordChildProtectionReview,
  recordConferenceNotRequired,
  recordInitialConference,
  recordStrategyDiscussion,
  startChildInNeedPlan,
  startPath,
} from '../../src/domain/path';
import {
  nextDeadlineOf,
  openTimescales,
  type TimescaleTimer,
  timerChanges,
  timersOfPath,
  timescalesNoLongerOpen,
} from '../../src/domain/path-timescales';

/**
 * Random walks over the statutory path: each command is dated either relative to the last accepted
 * step (mostly forward, sometimes back) or on an arbitrary day from December 2024 to March 2028, so
 * that walks reach plans, reviews and closure and also try dates before the referral and in the
 * future. The clock is some instant in 2027; referrals are in 2025–2026.
 */

const epoch = (value: string): number => toEpochDay(parseLocalDate(value));

type When = { from: 'cursor'; delta: number } | { from: 'absolute'; day: LocalDate };

const when: fc.Arbitrary<When> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ from: fc.constant('cursor' as const), delta: fc.integer({ min: -10, max: 100 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      from: fc.constant('absolute' as const),
      day: fc.integer({ min: epoch('2024-12-01'), max: epoch('2028-03-31') }).map(fromEpochDay),
    }),
  },
);

const category = fc.constantFrom(...CATEGORIES_OF_ABUSE);

/** Weighted towards the steps that take a walk further (conferences, reviews), so that walks reach plans and their ends. */
const command = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('assess' as const),
      when,
      factors: fc.oneof(
        { weight: 4, arbitrary: fc.subarray(['1A', '3B', '4C', '16A', '17A'] as const, { minLength: 1 }) },
        { weight: 1, arbitrary: fc.array(fc.constantFrom(...ASSESSMENT_FACTOR_CODES), { maxLength: 4 }) },
      ),
      primaryNeed: fc.constantFrom(...PRIMARY_NEED_CODES),
      outcome: fc.constantFrom(...ASSESSMENT_OUTCOMES),
      eligible: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('strategy' as const), when, section47: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('not-required' as const), when }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('conference' as const), when, plan: fc.boolean(), category }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('review' as const), when, stepDown: fc.boolean(), category }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cin' as const), when }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('looked-after' as const), when }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('close' as const),
      when,
      reasonCode: fc.constantFrom(...CLOSURE_REASON_CODES),
      stepDown: fc.boolean(),
      named: fc.boolean(),
    }),
  },
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

const walk = fc.record({
  referralDate: fc.integer({ min: epoch('2025-01-01'), max: epoch('2026-12-31') }).map(fromEpochDay),
  now: fc.date({ min: new Date('2027-01-01T00:00:00.000Z'), max: new Date('2027-12-31T23:59:59.999Z'), noInvalidDate: true }),
  commands: fc.array(command, { minLength: 10, maxLength: 40, size: 'max' }),
});

function dayOf(when: When, cursor: LocalDate): LocalDate {
  return when.from === 'cursor' ? addCalendarDays(cursor, when.delta) : when.day;
}

function apply(path: CasePath, c: Command, day: LocalDate, now: Date): PathResult {
  const context = { now, by: 'sw-prop' };
  switch (c.kind) {
    case 'assess':
      return completeAssessment(
        path,
        {
          completedOn: day,
          factors: c.factors,
          primaryNeed: c.primaryNeed,
          outcome: c.outcome,
          familySafeguardingEligible: c.eligible,
          summary: 's',
        },
        context,
      );
    case 'strategy':
      return recordStrategyDiscussion(path, { heldOn: day, section47: c.section47, reason: 'r' }, context);
    case 'not-required':
      return recordConferenceNotRequired(path, { decidedOn: day, reason: 'r' }, context);
    case 'conference':
      return recordInitialConference(
        path,
        c.plan ? { heldOn: day, outcome: 'cp-plan', category: c.category } : { heldOn: day, outcome: 'no-plan' },
        context,
      );
    case 'review':
      return recordChildProtectionReview(
        path,
        { heldOn: day, outcome: c.stepDown ? 'step-down' : 'continue', category: c.category },
        context,
      );
    case 'cin':
      return startChildInNeedPlan(path, { startedOn: day }, context);
    case 'looked-after':
      return becomeLookedAfter(path, { from: day, reason: 'r' }, context);
    case 'close':
      return closeCase(
        path,
        {
          closedOn: day,
          reasonCode: c.reasonCode,
          stepDownToEarlyHelp: c.stepDown,
          sustainabilityPlan: { people: c.named ? [{ name: 'n', relationship: 'aunt', helps: 'h' }] : [], summary: 's' },
        },
        context,
      );
  }
}

const notAfter = (a: LocalDate | undefined, b: LocalDate | undefined): boolean =>
  a === undefined || b === undefined || compareLocalDates(a, b) <= 0;

/** What a social worker would notice if it broke, checked on every path a walk reaches. */
function expectInvariants(path: CasePath): void {
  expect(path.childProtectionPlans.filter((plan) => plan.endedOn === undefined).length).toBeLessThanOrEqual(1);
  expect(path.childInNeedPlans.filter((plan) => plan.endedOn === undefined).length).toBeLessThanOrEqual(1);
  expect(path.status === 'child-protection').toBe(activeCpPlan(path) !== undefined);
  expect(path.status === 'child-in-need').toBe(activeCinPlan(path) !== undefined);
  expect(path.status === 'closed').toBe(path.closure !== undefined);
  expect(path.strategyDiscussions.filter((each) => each.section47 && each.conference === undefined).length).toBeLessThanOrEqual(1);

  // The status history chains from 'assessment' to the status, in date order.
  path.statusChanges.forEach((change, index) => {
    expect(change.sequence).toBe(index + 1);
    expect(change.from).toBe(index === 0 ? 'assessment' : path.statusChanges[index - 1]?.to);
    expect(change.to).not.toBe(change.from);
    if (index > 0) expect(notAfter(path.statusChanges[index - 1]?.on, change.on)).toBe(true);
  });
  expect(path.statusChanges.at(-1)?.to ?? 'assessment').toBe(path.status);

  // No plan ends before it began or before its last review; reviews in order.
  for (const plan of path.childProtectionPlans) {
    expect(notAfter(plan.startedOn, plan.endedOn)).toBe(true);
    const reviewDays = plan.reviews.map((review) => review.heldOn);
    expect([...reviewDays].sort()).toEqual(reviewDays);
    expect(notAfter(plan.startedOn, reviewDays[0])).toBe(true);
    expect(notAfter(reviewDays.at(-1), plan.endedOn)).toBe(true);
    expect(plan.latestCategory).toBe(plan.reviews.at(-1)?.category ?? plan.initialCategory);
    expect(plan.nextReviewDueDate === undefined).toBe(plan.endedOn !== undefined);
  }
  for (const plan of path.childInNeedPlans) expect(notAfter(plan.startedOn, plan.endedOn)).toBe(true);

  // Closure is the last thing on the path.
  if (path.closure) {
    const closedOn = path.closure.closedOn;
    const days = [
      path.assessment?.completedOn,
      ...path.strategyDiscussions.flatMap((each) => [
        each.heldOn,
        each.conference && ('heldOn' in each.conference ? each.conference.heldOn : each.conference.notRequiredOn),
      ]),
      ...path.childProtectionPlans.flatMap((plan) => [plan.startedOn, plan.endedOn, ...plan.reviews.map((review) => review.heldOn)]),
      ...path.childInNeedPlans.flatMap((plan) => [plan.startedOn, plan.endedOn]),
      path.lookedAfterFrom,
    ];
    for (const day of days) expect(notAfter(day, closedOn)).toBe(true);
  }
}

/** Is the timescale this timer is for still unmet on the path? Decided from the path's facts, not from openTimescales. */
function unmet(path: CasePath, timer: TimescaleTimer): boolean {
  if (path.status === 'closed') return false;
  if (timer.targetId === 'assessment') return timer.timescale === 'assessment' && path.assessment === undefined;
  const conference = /^conference-(\d+)$/.exec(timer.targetId);
  if (conference) {
    const discussion = path.strategyDiscussions.find((each) => each.sequence === Number(conference[1]));
    return (
      timer.timescale === 'initial-conference' && discussion !== undefined && discussion.section47 && discussion.conference === undefined
    );
  }
  const review = /^review-(\d+)-(\d+)$/.exec(timer.targetId);
  if (review) {
    const plan = path.childProtectionPlans.find((each) => each.sequence === Number(review[1]));
    return (
      timer.timescale === 'cp-review' && plan !== undefined && plan.endedOn === undefined && plan.reviews.length === Number(review[2]) - 1
    );
  }
  return false;
}

const timerKey = (timer: TimescaleTimer): string => `${timer.fireAt}#${timer.caseId}#${timer.timescale}#${timer.targetId}#${timer.moment}`;
const keys = (timers: TimescaleTimer[]): string[] => timers.map(timerKey).sort();

function expectTimers(path: CasePath): void {
  const timers = timersOfPath(path);
  for (const timer of timers) expect(unmet(path, timer)).toBe(true);
  // Every unmet timescale has its two timers: the assessment and a waiting conference at least.
  if (path.status !== 'closed' && !path.assessment) expect(timers.some((timer) => timer.targetId === 'assessment')).toBe(true);
  const targets = new Set(timers.map((timer) => timer.targetId));
  for (const target of targets) {
    const mine = timers.filter((timer) => timer.targetId === target);
    expect(mine.map((timer) => timer.moment)).toEqual(['due-soon', 'overdue']);
    const [dueSoon, overdue] = mine;
    expect(new Date(dueSoon?.fireAt ?? '').getTime()).toBeLessThan(new Date(overdue?.fireAt ?? '').getTime());
  }
  for (const open of openTimescales(path)) {
    // Overdue after the last instant of the due day in London; due soon from the first instant of the fifth working day before.
    const dueBy = new Date(open.dueBy);
    expect(londonDateOf(dueBy)).toBe(open.dueDate);
    expect(londonDateOf(new Date(dueBy.getTime() + 1))).toBe(addCalendarDays(open.dueDate, 1));
    const dueSoonFrom = new Date(open.dueSoonFrom);
    expect(londonDateOf(dueSoonFrom)).toBe(addWorkingDays(open.dueDate, -5));
    expect(londonDateOf(new Date(dueSoonFrom.getTime() - 1))).toBe(addCalendarDays(addWorkingDays(open.dueDate, -5), -1));
  }
  // The caseload's next deadline: one of the open timescales, due no later than any other; none only when none is open.
  const next = nextDeadlineOf(path);
  const open = openTimescales(path);
  expect(next === null).toBe(open.length === 0);
  if (next) {
    expect(open).toContainEqual(expect.objectContaining(next));
    for (const each of open) expect(new Date(next.dueBy).getTime()).toBeLessThanOrEqual(new Date(each.dueBy).getTime());
  }
}

describe('random walks over the statutory path', () => {
  it('every accepted step keeps the invariants; a refused step changes nothing', () => {
    let accepted = 0;
    let closed = 0;
    let reviewed = 0;
    fc.assert(
      fc.property(walk, ({ referralDate, now, commands }) => {
        const today = londonDateOf(now);
        let path = startPath({ caseId: 'case-prop', referralDate, assessmentDueDate: addWorkingDays(referralDate, 45) });
        let cursor = referralDate;
        for (const c of commands) {
          // Paths are plain JSON (they are stored as such): its text shows any change.
          const before = JSON.stringify(path);
          const day = dayOf(c.when, cursor);
          const result = apply(path, c, day, now);
          // Neither an accepted nor a refused step touches the path it was given.
          expect(JSON.stringify(path)).toBe(before);
          if (result.refused) {
            expect(result.reason.length).toBeGreaterThan(0);
            continue;
          }
          accepted += 1;
          expect(result.on).toBe(day);
          expect(compareLocalDates(day, referralDate)).toBeGreaterThanOrEqual(0);
          expect(compareLocalDates(day, today)).toBeLessThanOrEqual(0);
          expect(result.path.version).toBe(path.version + 1);
          expect(result.path.statusChanges.slice(0, path.statusChanges.length)).toEqual(path.statusChanges);
          expect(result.path.statusChanges.length - path.statusChanges.length).toBe(result.statusChange ? 1 : 0);
          if (result.statusChange) {
            expect(result.path.statusChanges.at(-1)).toEqual(result.statusChange);
            expect(result.statusChange.on).toBe(day);
          } else expect(result.path.status).toBe(path.status);
          expectInvariants(result.path);
          path = result.path;
          cursor = compareLocalDates(day, cursor) > 0 ? day : cursor;
        }
        if (path.status === 'closed') closed += 1;
        if (path.childProtectionPlans.some((plan) => plan.reviews.length > 0)) reviewed += 1;
      }),
      { numRuns: 200 },
    );
    // The walks reach the far end of the path, not just the assessment.
    expect(accepted).toBeGreaterThan(400);
    expect(closed).toBeGreaterThan(0);
    expect(reviewed).toBeGreaterThan(0);
  });

  it('timers: never for a met timescale, due soon before overdue, and timerChanges moves exactly from one set to the next', () => {
    fc.assert(
      fc.property(walk, ({ referralDate, now, commands }) => {
        let path = startPath({ caseId: 'case-prop', referralDate, assessmentDueDate: addWorkingDays(referralDate, 45) });
        let cursor = referralDate;
        expectTimers(path);
        expect(timerChanges(undefined, path)).toEqual({ remove: [], add: timersOfPath(path) });
        for (const c of commands) {
          const day = dayOf(c.when, cursor);
          const result = apply(path, c, day, now);
          if (result.refused) continue;
          const after = result.path;
          expectTimers(after);
          const before = keys(timersOfPath(path));
          const { remove, add } = timerChanges(path, after);
          // Removes only what is stored, adds only what is not: a transaction never touches one timer twice.
          for (const key of keys(remove)) expect(before).toContain(key);
          for (const key of keys(add)) expect(before).not.toContain(key);
          const removed = new Set(keys(remove));
          expect([...before.filter((key) => !removed.has(key)), ...keys(add)].sort()).toEqual(keys(timersOfPath(after)));
          path = after;
          cursor = compareLocalDates(day, cursor) > 0 ? day : cursor;
        }
        if (path.status === 'closed') expect(timersOfPath(path)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('CaseTimescaleMet: every timescale that stops being open is told once, met exactly when its step was recorded', () => {
    let met = 0;
    let withdrawn = 0;
    fc.assert(
      fc.property(walk, ({ referralDate, now, commands }) => {
        let path = startPath({ caseId: 'case-prop', referralDate, assessmentDueDate: addWorkingDays(referralDate, 45) });
        let cursor = referralDate;
        const told = new Set<string>();
        const everOpen = new Set<string>();
        const keyOf = (open: { timescale: string; targetId: string }) => `${open.timescale}#${open.targetId}`;
        for (const open of openTimescales(path)) everOpen.add(keyOf(open));
        for (const c of commands) {
          const day = dayOf(c.when, cursor);
          const result = apply(path, c, day, now);
          if (result.refused) continue;
          const after = result.path;
          const ended = timescalesNoLongerOpen(path, after, result.on);
          const stillOpen = new Set(openTimescales(after).map(keyOf));
          // Exactly those open before and not after.
          expect(ended.map((each) => keyOf(each.open)).sort()).toEqual(
            openTimescales(path)
              .map(keyOf)
              .filter((key) => !stillOpen.has(key))
              .sort(),
          );
          for (const each of ended) {
            // Once per target: a timescale never opens again after it ended.
            expect(told.has(keyOf(each.open))).toBe(false);
            told.add(keyOf(each.open));
            if (each.outcome === 'met') {
              met += 1;
              // Met on the step's own day (the step recorded it), on time exactly when by its due day.
              expect(each.on).toBe(result.on);
              expect(each.onTime).toBe(compareLocalDates(each.on, each.open.dueDate) <= 0);
              expect(['assessment-completed', 'initial-conference', 'cp-review']).toContain(result.kind);
            } else {
              withdrawn += 1;
              expect(each.on).toBe(result.on);
              expect(each.onTime).toBeUndefined();
            }
          }
          for (const open of openTimescales(after)) {
            expect(told.has(keyOf(open))).toBe(false);
            everOpen.add(keyOf(open));
          }
          path = after;
          cursor = compareLocalDates(day, cursor) > 0 ? day : cursor;
        }
        // A closed case has told every timescale it ever waited on.
        if (path.status === 'closed') expect([...told].sort()).toEqual([...everOpen].sort());
      }),
      { numRuns: 200 },
    );
    expect(met).toBeGreaterThan(0);
    expect(withdrawn).toBeGreaterThan(0);
  });
});
