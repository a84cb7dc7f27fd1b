/**
 * Supervisions as the pages say them (WEB.md): dates in words in London time, the due date as a
 * deadline ("due in 2 working days", "overdue by 1 working day") with a red tag when overdue. Pure:
 * the clock is passed in.
 */
import { deadlineInWords } from '@fsp/shared/time/deadline-words';
import { londonDateText, londonTimeText } from '@fsp/shared/time/london-words';
import type { Supervision } from '../domain/supervision';

export interface DueView {
  /** "due in 2 working days", "overdue by 1 working day"; a held supervision has no deadline. */
  text: string;
  overdue: boolean;
}

export interface SupervisionView {
  id: string;
  caseId: string;
  /** The case's supervision page. */
  href: string;
  /** "Group supervision 1". */
  title: string;
  /** "Scheduled", "Held". */
  status: string;
  /** "Thursday 31 December 2026 at 10am". */
  scheduledFor: string;
  /** "Monday 4 January 2027": the last day that meets the monthly timescale. */
  dueDate: string;
  due?: DueView;
}

const STATUS_WORDS: Readonly<Record<Supervision['status'], string>> = { scheduled: 'Scheduled', held: 'Held' };

export const casePagePath = (caseId: string): string => `/supervision/cases/${encodeURIComponent(caseId)}`;

export function supervisionView(supervision: Supervision, now: Date): SupervisionView {
  const scheduledFor = new Date(supervision.scheduledFor);
  const dueBy = new Date(supervision.dueBy);
  const deadline = deadlineInWords(now, dueBy);
  return {
    id: supervision.supervisionId,
    caseId: supervision.caseId,
    href: casePagePath(supervision.caseId),
    title: `Group supervision ${supervision.sequence}`,
    status: STATUS_WORDS[supervision.status],
    scheduledFor: `${londonDateText(scheduledFor)} at ${londonTimeText(scheduledFor)}`,
    dueDate: londonDateText(dueBy),
    ...(supervision.status === 'scheduled' ? { due: { text: deadline.text, overdue: deadline.state === 'overdue' } } : {}),
  };
}
