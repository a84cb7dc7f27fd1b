/**
 * The decision clock (DOMAIN.md, Time: a decision within 1 working day of receipt) as the front
 * door reads it: how many working days are left, or how many the decision is overdue by, or, once
 * decided, whether it was in time. Counted in London working days like the deadline itself
 * (shared/time/working-days), so "due today" means the London day the deadline ends. Pure: `now`
 * is passed in.
 */
import { type DeadlineState, deadlineInWords } from '@fsp/shared/time/deadline-words';
import type { LocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import { workingDaysBetween } from '@fsp/shared/time/working-days';
import type { Referral } from './referral';

export type DecisionClock =
  /** Undecided, deadline not passed: `deadline` is 'due-today' or 'upcoming', `text` WEB.md's words for it (shared/time/deadline-words). */
  | { state: 'due'; dueDate: LocalDate; dueBy: string; deadline: Exclude<DeadlineState, 'overdue'>; text: string }
  /** Undecided, deadline passed: at least 1 working day overdue, even on the weekend after a Friday deadline. */
  | { state: 'overdue'; dueDate: LocalDate; dueBy: string; text: string }
  /** Decided: in time, or how many working days late. */
  | { state: 'decided'; dueDate: LocalDate; dueBy: string; decidedAt: string; workingDaysLate: number };

export function decisionClock(referral: Pick<Referral, 'decisionDueBy' | 'decision'>, now: Date): DecisionClock {
  const dueBy = new Date(referral.decisionDueBy);
  const dueDate = londonDateOf(dueBy);
  const common = { dueDate, dueBy: referral.decisionDueBy };
  if (referral.decision) {
    const decidedAt = new Date(referral.decision.decidedAt);
    const late = decidedAt.getTime() > dueBy.getTime() ? Math.max(1, workingDaysBetween(dueDate, londonDateOf(decidedAt))) : 0;
    return { ...common, state: 'decided', decidedAt: referral.decision.decidedAt, workingDaysLate: late };
  }
  const deadline = deadlineInWords(now, dueBy);
  return deadline.state === 'overdue'
    ? { ...common, state: 'overdue', text: deadline.text }
    : { ...common, state: 'due', deadline: deadline.state, text: deadline.text };
}

const workingDays = (n: number): string => `${n} working day${n === 1 ? '' : 's'}`;

/** WEB.md's words: "due today", "due in 2 working days", "overdue by 1 working day"; "decided in time", "decided 1 working day late". */
export function decisionClockText(clock: DecisionClock): string {
  switch (clock.state) {
    case 'due':
    case 'overdue':
      return clock.text;
    case 'decided':
      return clock.workingDaysLate === 0 ? 'decided in time' : `decided ${workingDays(clock.workingDaysLate)} late`;
  }
}
