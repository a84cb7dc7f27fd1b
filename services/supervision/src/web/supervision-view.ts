/**
 * Supervisions as the pages say them (WEB.md): dates in words in London time, the due date as a
 * deadline ("due in 2 working days", "overdue by 1 working day") with a red tag when overdue. A
 * case is named by its reference, as the cases pages head it, never by its internal id; one stored
 * without a reference is named by what this service knows of it. Pure: the clock is passed in.
 */
import { deadlineInWords } from '@fsp/shared/time/deadline-words';
import { londonDateText, londonTimeText } from '@fsp/shared/time/london-words';
import type { SupervisedCase, Supervision } from '../domain/supervision';

export interface DueView {
  /** "due in 2 working days", "overdue by 1 working day"; a held supervision has no deadline. */
  text: string;
  overdue: boolean;
}

export interface SupervisionView {
  id: string;
  /** "Case FSP-2026-000123"; without a reference, "Case due group supervision by Thursday 5 February 2026". */
  caseName: string;
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

const STATUS_WORDS: Readonly<Record<Supervision['status'], string>> = { scheduled: 'Scheduled', held: 'Held', cancelled: 'Cancelled' };

export const casePagePath = (caseId: string): string => `/supervision/cases/${encodeURIComponent(caseId)}`;

/** A case page's heading: the case's name, and the page's title. */
export interface SupervisedCaseView {
  /** "Case FSP-2026-000123"; without a reference, "Case opened on Monday 5 January 2026". */
  name: string;
  /** "Group supervision of case FSP-2026-000123". */
  title: string;
}

export function supervisedCaseView(supervisedCase: SupervisedCase): SupervisedCaseView {
  if (supervisedCase.reference !== undefined) {
    return { name: `Case ${supervisedCase.reference}`, title: `Group supervision of case ${supervisedCase.reference}` };
  }
  // A case known without a reference came from a CaseOpened, so it has its opening; the last line
  // is only for a stored item that has neither, which this service never writes.
  if (supervisedCase.openedAt === undefined) return { name: 'Case', title: 'Group supervision of a case' };
  const opened = londonDateText(new Date(supervisedCase.openedAt));
  return { name: `Case opened on ${opened}`, title: `Group supervision of the case opened on ${opened}` };
}

export function supervisionView(supervision: Supervision, now: Date): SupervisionView {
  const scheduledFor = new Date(supervision.scheduledFor);
  const dueBy = new Date(supervision.dueBy);
  const deadline = deadlineInWords(now, dueBy);
  return {
    id: supervision.supervisionId,
    // The agenda reads supervisions only, so a case without a reference is named by its own deadline.
    caseName:
      supervision.caseReference !== undefined
        ? `Case ${supervision.caseReference}`
        : `Case due group supervision by ${londonDateText(dueBy)}`,
    href: casePagePath(supervision.caseId),
    title: `Group supervision ${supervision.sequence}`,
    status: STATUS_WORDS[supervision.status],
    scheduledFor: `${londonDateText(scheduledFor)} at ${londonTimeText(scheduledFor)}`,
    dueDate: londonDateText(dueBy),
    ...(supervision.status === 'scheduled' ? { due: { text: deadline.text, overdue: deadline.state === 'overdue' } } : {}),
  };
}
