/**
 * The essentials check (DOMAIN.md, Cases; issue 14 Deliver 8): a case's summary, chronology,
 * assessment, plan and latest group supervision must each be present and current. Freshness is
 * configuration (ESSENTIALS_FRESHNESS; an authority may set its own), evaluated at `now`, so a
 * record goes stale by time passing, not by anyone writing. Pure.
 */
import { addCalendarDays, addCalendarMonths, compareLocalDates, type LocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
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

export const ESSENTIALS_FRESHNESS: EssentialsFreshness = {
  caseSummaryMonths: 3,
  chronologyMonths: 3,
  assessmentMonths: 12,
  planMonths: 3,
  supervisionDays: 38,
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
}

export type EssentialState = 'current' | 'in-progress' | 'stale' | 'missing' | 'not-needed';

export interface EssentialCheck {
  essential: Essential;
  state: EssentialState;
  /** Why, in a worker's words. */
  detail: string;
}

const needsPlan = (status: CaseStatus): boolean => status === 'child-in-need' || status === 'child-protection' || status === 'looked-after';

const olderThan = (day: LocalDate, limit: LocalDate): boolean => compareLocalDates(day, limit) < 0;

export function checkEssentials(
  facts: EssentialsFacts,
  now: Date,
  freshness: EssentialsFreshness = ESSENTIALS_FRESHNESS,
): EssentialCheck[] {
  if (facts.status === 'closed') {
    return ESSENTIALS.map((essential) => ({ essential, state: 'not-needed', detail: 'The case is closed' }));
  }
  const today = londonDateOf(now);
  const monthsAgo = (months: number) => addCalendarMonths(today, -months);
  const checks: EssentialCheck[] = [];

  if (!facts.summaryUpdatedOn) checks.push({ essential: 'case-summary', state: 'missing', detail: 'No case summary has been written' });
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
  } else if (olderThan(facts.assessmentDueDate, today)) {
    checks.push({ essential: 'assessment', state: 'missing', detail: 'Not completed, and past its due date' });
  } else {
    checks.push({ essential: 'assessment', state: 'in-progress', detail: 'In progress, within its timescale' });
  }

  if (!facts.plan) {
    checks.push(
      needsPlan(facts.status)
        ? { essential: 'plan', state: 'missing', detail: 'No plan has been agreed with the family' }
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
      olderThan(facts.openedOn, supervisionLimit)
        ? { essential: 'supervision', state: 'missing', detail: 'The case has not been discussed in group supervision' }
        : { essential: 'supervision', state: 'in-progress', detail: 'The first is due within a month of allocation' },
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
