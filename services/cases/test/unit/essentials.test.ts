/**
 * The essentials check (domain/essentials.ts): each rule and its boundary day, judged on the London
 * calendar at `now`; and the property that time only makes things staler — for a fixed case, a
 * later `now` never turns a stale or missing essential current (or anything else).
 */
import { addCalendarDays, fromEpochDay, type LocalDate, parseLocalDate, toEpochDay } from '@fsp/shared/time/local-date';
import { startOfLondonDay } from '@fsp/shared/time/london';
import fc from 'fast-check';
import { CASE_STATUSES } from '../../src/domain/case';
import {
  checkEssentials,
  ESSENTIALS,
  ESSENTIALS_FRESHNESS,
  ESSENTIALS_GRACE,
  type Essential,
  type EssentialState,
  type EssentialsFacts,
  needsAttention,
} from '../../src/domain/essentials';

const d = parseLocalDate;
/** Friday 20 March 2026, 10am in London (GMT). */
const NOW = new Date('2026-03-20T10:00:00.000Z');

/** A child in need case, everything current on 20 March 2026. */
const current: EssentialsFacts = {
  status: 'child-in-need',
  openedOn: d('2026-01-05'),
  summaryUpdatedOn: d('2026-03-01'),
  lastChronologyOn: d('2026-03-10'),
  assessmentDueDate: d('2026-03-09'),
  assessmentCompletedOn: d('2026-02-09'),
  plan: { lastReviewedOn: d('2026-02-10'), nextReviewDate: d('2026-04-10') },
  latestSupervisionOn: d('2026-03-02'),
  socialWorkerAllocated: { firstOn: d('2026-01-08') },
};

const stateOf = (facts: EssentialsFacts, essential: Essential, now = NOW): EssentialState | undefined =>
  checkEssentials(facts, now).find((check) => check.essential === essential)?.state;

describe('checkEssentials', () => {
  it('judges a case with everything recent current, in the order of ESSENTIALS, with a reason each', () => {
    const checks = checkEssentials(current, NOW);
    expect(checks.map((check) => check.essential)).toEqual([...ESSENTIALS]);
    expect(checks.every((check) => check.state === 'current' && check.detail.length > 0)).toBe(true);
    expect(needsAttention(checks)).toEqual([]);
  });

  it('needs nothing of a closed case', () => {
    const checks = checkEssentials({ ...current, status: 'closed', summaryUpdatedOn: undefined, plan: undefined }, NOW);
    expect(checks.map((check) => check.state)).toEqual(ESSENTIALS.map(() => 'not-needed'));
    expect(needsAttention(checks)).toEqual([]);
  });

  it('case summary: due for 5 working days after the case opened, then missing; stale when last updated more than 3 months ago, current on the day 3 months back', () => {
    expect(stateOf({ ...current, summaryUpdatedOn: undefined }, 'case-summary')).toBe('missing');
    // Opened Friday 13 March 2026: due by the end of Friday 20 March.
    expect(stateOf({ ...current, openedOn: d('2026-03-13'), summaryUpdatedOn: undefined }, 'case-summary')).toBe('due');
    expect(stateOf({ ...current, openedOn: d('2026-03-12'), summaryUpdatedOn: undefined }, 'case-summary')).toBe('missing');
    expect(stateOf({ ...current, summaryUpdatedOn: d('2025-12-20') }, 'case-summary')).toBe('current');
    expect(stateOf({ ...current, summaryUpdatedOn: d('2025-12-19') }, 'case-summary')).toBe('stale');
  });

  it('chronology: missing when empty, stale after 3 months of silence, and not judged where it was not read (the team’s list)', () => {
    expect(stateOf({ ...current, lastChronologyOn: undefined }, 'chronology')).toBe('missing');
    expect(stateOf({ ...current, lastChronologyOn: d('2025-12-20') }, 'chronology')).toBe('current');
    expect(stateOf({ ...current, lastChronologyOn: d('2025-12-19') }, 'chronology')).toBe('stale');
    const unread = checkEssentials({ ...current, lastChronologyOn: 'not-read' }, NOW);
    expect(unread.map((check) => check.essential)).toEqual(['case-summary', 'assessment', 'plan', 'supervision']);
  });

  it('assessment: due until its due day, missing the day after; completed is current for 12 months, then stale', () => {
    const open = { ...current, status: 'assessment' as const, assessmentCompletedOn: undefined, plan: undefined };
    expect(stateOf({ ...open, assessmentDueDate: d('2026-03-20') }, 'assessment')).toBe('due');
    expect(stateOf({ ...open, assessmentDueDate: d('2026-03-19') }, 'assessment')).toBe('missing');
    expect(stateOf({ ...current, assessmentCompletedOn: d('2025-03-20') }, 'assessment')).toBe('current');
    expect(stateOf({ ...current, assessmentCompletedOn: d('2025-03-19') }, 'assessment')).toBe('stale');
  });

  it('plan: not needed in assessment, missing on a plan once its grace has run; stale once its review day has passed or 3 months without a review', () => {
    expect(stateOf({ ...current, status: 'assessment', plan: undefined }, 'plan')).toBe('not-needed');
    for (const status of ['child-in-need', 'child-protection', 'looked-after'] as const) {
      expect(stateOf({ ...current, status, plan: undefined }, 'plan')).toBe('missing');
    }
    // Authorised Friday 6 March 2026: 10 working days later is Friday 20 March, today.
    expect(stateOf({ ...current, assessmentCompletedOn: d('2026-03-06'), plan: undefined }, 'plan')).toBe('due');
    expect(stateOf({ ...current, assessmentCompletedOn: d('2026-03-05'), plan: undefined }, 'plan')).toBe('missing');
    // A child protection plan made at a conference before the assessment is authorised: counted from the case's opening.
    const cp = { ...current, status: 'child-protection' as const, assessmentCompletedOn: undefined, plan: undefined };
    expect(stateOf({ ...cp, openedOn: d('2026-03-06') }, 'plan')).toBe('due');
    expect(stateOf({ ...cp, openedOn: d('2026-03-05') }, 'plan')).toBe('missing');
    const plan = (lastReviewedOn: string, nextReviewDate: string) => ({
      ...current,
      plan: { lastReviewedOn: d(lastReviewedOn), nextReviewDate: d(nextReviewDate) },
    });
    expect(stateOf(plan('2026-02-10', '2026-03-20'), 'plan')).toBe('current');
    expect(stateOf(plan('2026-02-10', '2026-03-19'), 'plan')).toBe('stale');
    expect(checkEssentials(plan('2026-02-10', '2026-03-19'), NOW).find((check) => check.essential === 'plan')?.detail).toBe(
      'Its review date has passed',
    );
    expect(stateOf(plan('2025-12-20', '2026-06-01'), 'plan')).toBe('current');
    expect(stateOf(plan('2025-12-19', '2026-06-01'), 'plan')).toBe('stale');
  });

  it('supervision: the first is due a calendar month after the first social worker was allocated, then missing', () => {
    const none = { ...current, latestSupervisionOn: undefined };
    const supervisionOf = (facts: EssentialsFacts) => checkEssentials(facts, NOW).find((check) => check.essential === 'supervision');
    // Allocated on 20 February: due by Friday 20 March, today.
    expect(supervisionOf({ ...none, socialWorkerAllocated: { firstOn: d('2026-02-20') } })).toEqual({
      essential: 'supervision',
      state: 'due',
      detail: 'Due by Friday 20 March 2026, a month after the first social worker was allocated',
      dueOn: d('2026-03-20'),
    });
    expect(supervisionOf({ ...none, socialWorkerAllocated: { firstOn: d('2026-02-19') } })).toEqual({
      essential: 'supervision',
      state: 'missing',
      detail: 'The case has not been discussed in group supervision; the first was due by Thursday 19 March 2026',
    });
    // A month from 31 January is the last day of February, not 3 March; and it is not moved off a weekend.
    expect(supervisionOf({ ...none, socialWorkerAllocated: { firstOn: d('2026-01-31') } })?.detail).toBe(
      'The case has not been discussed in group supervision; the first was due by Saturday 28 February 2026',
    );
  });

  it('supervision: none is due before a social worker is allocated, however long the case has been open', () => {
    const unallocated = { ...current, openedOn: d('2025-06-01'), latestSupervisionOn: undefined, socialWorkerAllocated: undefined };
    expect(checkEssentials(unallocated, NOW).find((check) => check.essential === 'supervision')).toEqual({
      essential: 'supervision',
      state: 'due',
      detail: 'Scheduled when a social worker is allocated, to be held within a month',
    });
  });

  it(`supervision: on a case allocated before the day was kept, due ${ESSENTIALS_GRACE.firstSupervisionDays} days after opening, then missing; stale ${ESSENTIALS_FRESHNESS.supervisionDays} days after the latest`, () => {
    const firstLimit = addCalendarDays(d('2026-03-20'), -ESSENTIALS_GRACE.firstSupervisionDays);
    const none = { ...current, latestSupervisionOn: undefined, socialWorkerAllocated: {} };
    expect(stateOf({ ...none, openedOn: firstLimit }, 'supervision')).toBe('due');
    expect(stateOf({ ...none, openedOn: addCalendarDays(firstLimit, -1) }, 'supervision')).toBe('missing');
    const limit = addCalendarDays(d('2026-03-20'), -ESSENTIALS_FRESHNESS.supervisionDays);
    expect(stateOf({ ...current, latestSupervisionOn: limit }, 'supervision')).toBe('current');
    expect(stateOf({ ...current, latestSupervisionOn: addCalendarDays(limit, -1) }, 'supervision')).toBe('stale');
  });

  it('judges the day in London: 11:30pm UTC on 19 June is already the 20th there (summer time)', () => {
    // 2026-06-19T23:30Z is 00:30 on 20 June in London (BST).
    const facts = { ...current, plan: { lastReviewedOn: d('2026-05-01'), nextReviewDate: d('2026-06-19') } };
    expect(stateOf(facts, 'plan', new Date('2026-06-19T22:59:00.000Z'))).toBe('current');
    expect(stateOf(facts, 'plan', new Date('2026-06-19T23:30:00.000Z'))).toBe('stale');
  });

  it('needsAttention keeps the stale and missing checks only', () => {
    const checks = checkEssentials({ ...current, summaryUpdatedOn: undefined, latestSupervisionOn: d('2025-01-01') }, NOW);
    expect(needsAttention(checks).map((check) => [check.essential, check.state])).toEqual([
      ['case-summary', 'missing'],
      ['supervision', 'stale'],
    ]);
  });
});

describe('time only makes things staler', () => {
  const BASE = toEpochDay(d('2025-01-01'));
  const day = fc.integer({ min: 0, max: 900 }).map((offset): LocalDate => fromEpochDay(BASE + offset));
  const facts: fc.Arbitrary<EssentialsFacts> = fc.record(
    {
      status: fc.constantFrom(...CASE_STATUSES),
      openedOn: day,
      summaryUpdatedOn: day,
      lastChronologyOn: fc.oneof(day, fc.constant('not-read' as const)),
      assessmentDueDate: day,
      assessmentCompletedOn: day,
      plan: fc.record({ lastReviewedOn: day, nextReviewDate: day }),
      latestSupervisionOn: day,
      socialWorkerAllocated: fc.record({ firstOn: day }, { requiredKeys: [] }),
    },
    { requiredKeys: ['status', 'openedOn', 'assessmentDueDate'] },
  );
  const instant = fc
    .integer({ min: 0, max: 1200 * 24 })
    .map((hours) => new Date(startOfLondonDay(fromEpochDay(BASE)).getTime() + hours * 3_600_000));

  it('for a fixed case, a later now never turns a stale or missing essential into anything else', () => {
    fc.assert(
      fc.property(facts, instant, instant, (case_, a, b) => {
        const [earlier, later] = a <= b ? [a, b] : [b, a];
        const before = checkEssentials(case_, earlier);
        const after = new Map(checkEssentials(case_, later).map((check) => [check.essential, check.state]));
        for (const check of needsAttention(before)) {
          const state = after.get(check.essential);
          if (state !== 'stale' && state !== 'missing') return false;
          // Missing stays missing: time cannot write what was never written.
          if (check.state === 'missing' && state !== 'missing') return false;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('and a current essential only ever becomes stale, never missing, as time passes', () => {
    fc.assert(
      fc.property(facts, instant, instant, (case_, a, b) => {
        const [earlier, later] = a <= b ? [a, b] : [b, a];
        const after = new Map(checkEssentials(case_, later).map((check) => [check.essential, check.state]));
        return checkEssentials(case_, earlier)
          .filter((check) => check.state === 'current')
          .every((check) => after.get(check.essential) === 'current' || after.get(check.essential) === 'stale');
      }),
      { numRuns: 500 },
    );
  });
});
