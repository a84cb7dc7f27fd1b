/**
 * The essentials check (DOMAIN.md, Cases; issue 14 Deliver 8): a case's summary, chronology,
 * assessment, plan and latest group supervision must each be present and current. Freshness is
 * configuration (ESSENTIALS_FRESHNESS; an authority may set its own), evaluated at `now`, so a
 * record goes stale by time passing, not by anyone writing. Each is missing only once it should
 * exist: until its grace from the case's opening has run (ESSENTIALS_GRACE, in working days where
 * practice counts them) it is "due by" a day instead. Pure.
 */
import { addCalendarDays, addCalendarMonths, compareLocalDates, type LocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import { localDayText } from '@fsp/shared/time/words';
import { addWorkingDays } from '@fsp/shared/time/working-days';
import type { CaseStatus } from './case';

export const ESSENTIALS = ['case-summary', 'chronology', 'assessment', 'plan', 'supervision'] as const;
export type Essential = (typeof ESSENTIALS)[number];

export const ESSENTIAL_NAMES: Readonly<Record<Essential, string>> = {
  'case-summary': 'Case summary',
  chronology: 'Chronology',
  assessment: 'Assessment',
  plan: 'Plan',
  supervision: 'Latest group supervision',
};

export interface EssentialsFreshness {
  /** A case summary not updated for this many months is stale. */
  caseSummaryMonths: number;
  /** A chronology with no entry for this many months is stale (it is built from the case's events, so silence means nothing is being recorded). */
  chronologyMonths: number;
  /** An assessment completed this many months ago is stale for a case still open: time to re-assess. */
  assessmentMonths: number;
  /** A plan not reviewed (or re-agreed) for this many months is stale, as is one past its review date. */
  planMonths: number;
  /** Group supervision is monthly: stale when the latest was held more than this many days ago. */
  supervisionDays: number;
}

/**
 * When each essential is first due: until then a case without it is "due by" that day, not missing
 * (a worker cannot have written a summary in the case's first hour). The chronology has no grace:
 * the case's opening writes its first entry, so an empty one is a fault at once. The assessment is
 * due on its statutory day (45 working days from the referral date, the case's own).
 */
export interface EssentialsGrace {
  /** The case summary: this many working days after the day the case opened. */
  caseSummaryWorkingDays: number;
  /**
   * The plan, once the case needs one (child in need, child protection, looked after): this many
   * working days after the assessment was authorised (the day the case opened when it needs a plan
   * with no assessment authorised, as when a conference makes a child protection plan first).
   */
  planWorkingDays: number;
  /**
   * The first group supervision of a case allocated before its head kept the day of its first
   * allocation: this many calendar days after the case opened (a month from allocation, DOMAIN.md,
   * and allocation follows within the first week). A case whose first allocation day is known is
   * judged from that day, by the rule the supervision service schedules by.
   */
  firstSupervisionDays: number;
}

export const ESSENTIALS_FRESHNESS: EssentialsFreshness = {
  caseSummaryMonths: 3,
  chronologyMonths: 3,
  assessmentMonths: 12,
  planMonths: 3,
  supervisionDays: 38,
};

export const ESSENTIALS_GRACE: EssentialsGrace = {
  caseSummaryWorkingDays: 5,
  planWorkingDays: 10,
  firstSupervisionDays: 38,
};

/** What the check reads of a case (the case file on its page; the head's copies in the team's list). */
export interface EssentialsFacts {
  status: CaseStatus;
  openedOn: LocalDate;
  summaryUpdatedOn?: LocalDate;
  /** The latest chronology entry's day; undefined where the reader does not hold the chronology (the team's list). */
  lastChronologyOn?: LocalDate | 'not-read';
  assessmentDueDate: LocalDate;
  assessmentCompletedOn?: LocalDate;
  plan?: { lastReviewedOn: LocalDate; nextReviewDate: LocalDate };
  latestSupervisionOn?: LocalDate;
  /**
   * Absent until a social worker is first allocated: the first group supervision is scheduled then
   * (DOMAIN.md), so until then it has no due day. `firstOn` is the London day of that first
   * allocation; absent on heads written before it was kept.
   */
  socialWorkerAllocated?: { firstOn?: LocalDate };
}

/**
 * 'due': not there yet, and not yet expected (`dueOn` says by when, where a day is set yet); 'missing':
 * not there when it should be.
 */
export type EssentialState = 'current' | 'due' | 'stale' | 'missing' | 'not-needed';

export interface EssentialCheck {
  essential: Essential;
  state: EssentialState;
  /** Why, in a worker's words. */
  detail: string;
  /** For a 'due' essential: the last day it is expected by; absent while none is set (the first supervision before allocation). */
  dueOn?: LocalDate;
}

const needsPlan = (status: CaseStatus): boolean => status === 'child-in-need' || status === 'child-protection' || status === 'looked-after';

const olderThan = (day: LocalDate, limit: LocalDate): boolean => compareLocalDates(day, limit) < 0;

/**
 * The first group supervision's due day: one calendar month after the London day the first social
 * worker was allocated, not moved off a weekend (DOMAIN.md; the supervision service schedules by the
 * same rule).
 */
export const firstSupervisionDueOn = (firstAllocatedOn: LocalDate): LocalDate => addCalendarMonths(firstAllocatedOn, 1);

/** The day the first group supervision is due by (firstSupervisionDueOn); none before a social worker is allocated. */
export function firstSupervisionDueDay(
  facts: Pick<EssentialsFacts, 'openedOn' | 'socialWorkerAllocated'>,
  grace: EssentialsGrace = ESSENTIALS_GRACE,
): LocalDate | undefined {
  const allocated = facts.socialWorkerAllocated;
  if (!allocated) return undefined;
  return allocated.firstOn ? firstSupervisionDueOn(allocated.firstOn) : addCalendarDays(facts.openedOn, grace.firstSupervisionDays);
}

/** The day each essential is first expected by, for a case with these facts (the first supervision's: none until allocation). */
export function essentialDueDays(
  facts: Pick<EssentialsFacts, 'openedOn' | 'assessmentDueDate' | 'assessmentCompletedOn' | 'socialWorkerAllocated'>,
  grace: EssentialsGrace = ESSENTIALS_GRACE,
): { caseSummary: LocalDate; assessment: LocalDate; plan: LocalDate; supervision: LocalDate | undefined } {
  return {
    caseSummary: addWorkingDays(facts.openedOn, grace.caseSummaryWorkingDays),
    assessment: facts.assessmentDueDate,
    plan: addWorkingDays(facts.assessmentCompletedOn ?? facts.openedOn, grace.planWorkingDays),
    supervision: firstSupervisionDueDay(facts, grace),
  };
}

export function checkEssentials(
  facts: EssentialsFacts,
  now: Date,
  freshness: EssentialsFreshness = ESSENTIALS_FRESHNESS,
  grace: EssentialsGrace = ESSENTIALS_GRACE,
): EssentialCheck[] {
  if (facts.status === 'closed') {
    return ESSENTIALS.map((essential) => ({ essential, state: 'not-needed', detail: 'The case is closed' }));
  }
  const today = londonDateOf(now);
  const monthsAgo = (months: number) => addCalendarMonths(today, -months);
  const dueDays = essentialDueDays(facts, grace);
  /** Not there: 'due' until its day has passed (the day itself included), then 'missing'. */
  const notThere = (essential: Essential, dueOn: LocalDate, due: string, missing: string): EssentialCheck =>
    olderThan(dueOn, today)
      ? { essential, state: 'missing', detail: missing }
      : { essential, state: 'due', detail: `Due by ${localDayText(dueOn)}, ${due}`, dueOn };
  const checks: EssentialCheck[] = [];

  if (!facts.summaryUpdatedOn)
    checks.push(
      notThere(
        'case-summary',
        dueDays.caseSummary,
        `${grace.caseSummaryWorkingDays} working days after the case opened`,
        `No case summary has been written, and it was due by ${localDayText(dueDays.caseSummary)}`,
      ),
    );
  else if (olderThan(facts.summaryUpdatedOn, monthsAgo(freshness.caseSummaryMonths)))
    checks.push({ essential: 'case-summary', state: 'stale', detail: `Not updated for more than ${freshness.caseSummaryMonths} months` });
  else checks.push({ essential: 'case-summary', state: 'current', detail: 'Updated recently' });

  if (facts.lastChronologyOn !== 'not-read') {
    if (!facts.lastChronologyOn) checks.push({ essential: 'chronology', state: 'missing', detail: 'The chronology has no entries' });
    else if (olderThan(facts.lastChronologyOn, monthsAgo(freshness.chronologyMonths)))
      checks.push({ essential: 'chronology', state: 'stale', detail: `Nothing added for more than ${freshness.chronologyMonths} months` });
    else checks.push({ essential: 'chronology', state: 'current', detail: 'Kept up to date from the case’s events and significant notes' });
  }

  if (facts.assessmentCompletedOn) {
    if (olderThan(facts.assessmentCompletedOn, monthsAgo(freshness.assessmentMonths)))
      checks.push({ essential: 'assessment', state: 'stale', detail: `Completed more than ${freshness.assessmentMonths} months ago` });
    else checks.push({ essential: 'assessment', state: 'current', detail: 'Completed' });
  } else {
    checks.push(
      notThere(
        'assessment',
        dueDays.assessment,
        '45 working days from the referral date',
        `Not completed, and it was due by ${localDayText(dueDays.assessment)}`,
      ),
    );
  }

  if (!facts.plan) {
    checks.push(
      needsPlan(facts.status)
        ? notThere(
            'plan',
            dueDays.plan,
            facts.assessmentCompletedOn
              ? `${grace.planWorkingDays} working days after the assessment was authorised`
              : `${grace.planWorkingDays} working days after the case opened`,
            `No plan has been agreed with the family, and it was due by ${localDayText(dueDays.plan)}`,
          )
        : { essential: 'plan', state: 'not-needed', detail: 'Agreed after the assessment' },
    );
  } else if (olderThan(facts.plan.nextReviewDate, today)) {
    checks.push({ essential: 'plan', state: 'stale', detail: 'Its review date has passed' });
  } else if (olderThan(facts.plan.lastReviewedOn, monthsAgo(freshness.planMonths))) {
    checks.push({ essential: 'plan', state: 'stale', detail: `Not reviewed for more than ${freshness.planMonths} months` });
  } else {
    checks.push({ essential: 'plan', state: 'current', detail: 'Agreed and reviewed on time' });
  }

  const supervisionLimit = addCalendarDays(today, -freshness.supervisionDays);
  if (!facts.latestSupervisionOn) {
    checks.push(
      dueDays.supervision === undefined
        ? { essential: 'supervision', state: 'due', detail: 'Scheduled when a social worker is allocated, to be held within a month' }
        : notThere(
            'supervision',
            dueDays.supervision,
            facts.socialWorkerAllocated?.firstOn
              ? 'a month after the first social worker was allocated'
              : 'the first is held within a month of allocation',
            `The case has not been discussed in group supervision; the first was due by ${localDayText(dueDays.supervision)}`,
          ),
    );
  } else if (olderThan(facts.latestSupervisionOn, supervisionLimit)) {
    checks.push({ essential: 'supervision', state: 'stale', detail: `Last held more than ${freshness.supervisionDays} days ago` });
  } else {
    checks.push({ essential: 'supervision', state: 'current', detail: 'Held this month' });
  }
  return checks;
}

/** The checks a worker must act on. */
export const needsAttention = (checks: readonly EssentialCheck[]): EssentialCheck[] =>
  checks.filter((check) => check.state === 'stale' || check.state === 'missing');
