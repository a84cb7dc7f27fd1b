/**
 * Deadlines as pages say them (WEB.md): "due today", "due in 2 working days", "overdue by 1 working
 * day", judged on the London calendar and the working days of England and Wales. Pure: the clock
 * is passed in.
 */
import type { LocalDate } from './local-date';
import { londonDateOf } from './london';
import { londonDateText, londonTimeText } from './london-words';
import { workingDaysBetween } from './working-days';

export type DeadlineState = 'overdue' | 'due-today' | 'upcoming';

export interface DeadlineInWords {
  state: DeadlineState;
  /** "overdue by 1 working day", "due today", "due in 2 working days". */
  text: string;
}

const workingDays = (n: number): string => `${n} working ${n === 1 ? 'day' : 'days'}`;

/**
 * `dueBy` is the last instant that still meets the deadline (the platform's deadlines end at London
 * midnight, shared/time/working-days). A deadline missed on a weekend counts as 1 working day late,
 * not 0, so that "overdue" never reads as on time.
 */
export function deadlineInWords(now: Date, dueBy: Date): DeadlineInWords {
  const today: LocalDate = londonDateOf(now);
  const dueDate: LocalDate = londonDateOf(dueBy);
  if (now.getTime() > dueBy.getTime()) {
    if (dueDate === today) return { state: 'overdue', text: `overdue since ${londonTimeText(dueBy)} today` };
    return { state: 'overdue', text: `overdue by ${workingDays(Math.max(1, workingDaysBetween(dueDate, today)))}` };
  }
  if (dueDate === today) return { state: 'due-today', text: 'due today' };
  const ahead = workingDaysBetween(today, dueDate);
  // A deadline on a day that is not a working day, seen from the weekend before it: no working day lies between.
  return { state: 'upcoming', text: ahead >= 1 ? `due in ${workingDays(ahead)}` : `due on ${londonDateText(dueBy)}` };
}
