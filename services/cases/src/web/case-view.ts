/**
 * What the cases pages show of a case, in words (WEB.md): dates as "Tuesday 3 December 2026",
 * the assessment deadline as "due in 2 working days" or "overdue by 1 working day" (red when
 * overdue). Pure: the clock is passed in.
 */
import { deadlineInWords } from '@fsp/shared/time/deadline-words';
import { londonDateText } from '@fsp/shared/time/london-words';
import type { CaseChild, CaseRecord, CaseStatus, ChronologyEntry } from '../domain/case';

const STATUS_WORDS: Readonly<Record<CaseStatus, string>> = {
  assessment: 'Assessment',
  'child-in-need': 'Child in need',
  'child-protection': 'Child protection',
  'looked-after': 'Looked after',
  closed: 'Closed',
};

export const statusInWords = (status: CaseStatus): string => STATUS_WORDS[status];

/**
 * The case holds no names (they stay with the referral), so children are counted: "2 children",
 * "1 child and 1 unborn baby".
 */
export function childrenInWords(children: readonly CaseChild[]): string {
  const unborn = children.filter((child) => child.unborn).length;
  const born = children.length - unborn;
  const parts = [
    ...(born > 0 ? [`${born} ${born === 1 ? 'child' : 'children'}`] : []),
    ...(unborn > 0 ? [`${unborn} unborn ${unborn === 1 ? 'baby' : 'babies'}`] : []),
  ];
  return parts.length === 0 ? 'No children recorded' : parts.join(' and ');
}

export interface DeadlineView {
  text: string;
  overdue: boolean;
  /** "Friday 5 February 2027". */
  date: string;
}

/** The assessment's deadline, or nothing once the case has left assessment (its deadline is met or moot). */
export function assessmentDeadlineOf(record: Pick<CaseRecord, 'status' | 'assessmentDueBy'>, now: Date): DeadlineView | undefined {
  if (record.status !== 'assessment') return undefined;
  const dueBy = new Date(record.assessmentDueBy);
  const words = deadlineInWords(now, dueBy);
  return { text: words.text, overdue: words.state === 'overdue', date: londonDateText(dueBy) };
}

export interface CaseRowView {
  href: string;
  reference: string;
  children: string;
  status: string;
  opened: string;
  assessment?: DeadlineView;
}

export function caseRowView(record: CaseRecord, now: Date): CaseRowView {
  const assessment = assessmentDeadlineOf(record, now);
  return {
    href: `/cases/${record.caseId}`,
    reference: record.reference,
    children: childrenInWords(record.children),
    status: statusInWords(record.status),
    opened: londonDateText(new Date(record.openedAt)),
    ...(assessment ? { assessment } : {}),
  };
}

/** An MoJ timeline item: newest first, as the timeline reads. */
export const timelineItemOf = (entry: ChronologyEntry) => ({
  label: { text: entry.kind === 'case-opened' ? 'Case opened' : 'Referral added' },
  text: entry.text,
  datetime: { timestamp: entry.at, type: 'datetime' },
});

export function caseSummaryView(record: CaseRecord, chronology: readonly ChronologyEntry[], now: Date) {
  return {
    ...caseRowView(record, now),
    teamId: record.teamId,
    urgent: record.urgent,
    timeline: [...chronology].reverse().map(timelineItemOf),
  };
}
