/**
 * What the supervision pages show, as plain data for their templates (WEB.md: dates in words in
 * London time, deadlines in working days with a red tag when overdue, a case by its reference).
 * Pure: the clock and the names of people are passed in.
 */
import type { SupervisionRating } from '@fsp/shared/events/definitions/supervision';
import { deadlineInWords } from '@fsp/shared/time/deadline-words';
import type { LocalDate } from '@fsp/shared/time/local-date';
import { startOfLondonDay } from '@fsp/shared/time/london';
import { londonDateText, londonDateTimeText } from '@fsp/shared/time/london-words';
import { isActionOverdue, overdueWorkingDays } from '../domain/actions';
import type { Amendment, Consultation, RecordContent, Supervision, SupervisionAction, SupervisionRecord } from '../domain/model';
import { casePagePath } from './supervision-view';

export const recordPagePath = (caseId: string, sequence: number): string => `${casePagePath(caseId)}/supervisions/${sequence}`;

/** "Tuesday 3 February 2026" for a London calendar day. */
export const dayText = (day: LocalDate | string): string =>
  londonDateText(new Date(startOfLondonDay(day as LocalDate).getTime() + 12 * 3_600_000));

export const RATING_WORDS: Readonly<Record<SupervisionRating, string>> = { red: 'Red', amber: 'Amber', green: 'Green' };
const RATING_TAG_CLASSES: Readonly<Record<SupervisionRating, string>> = {
  red: 'govuk-tag--red',
  amber: 'govuk-tag--orange',
  green: 'govuk-tag--green',
};

export interface TagView {
  text: string;
  classes: string;
}

export const ratingTag = (rating: SupervisionRating | undefined): TagView | undefined =>
  rating === undefined ? undefined : { text: RATING_WORDS[rating], classes: RATING_TAG_CLASSES[rating] };

export interface DueWords {
  text: string;
  overdue: boolean;
}

/** "due in 2 working days" / "overdue by 1 working day" of a deadline (its last instant). */
export const dueWords = (dueBy: string, now: Date): DueWords => {
  const deadline = deadlineInWords(now, new Date(dueBy));
  return { text: deadline.text, overdue: deadline.state === 'overdue' };
};

/** An action as the lists show it: its words, owner, due date in words and its timescale. */
export interface ActionView {
  actionId: string;
  caseId: string;
  what: string;
  owner: string;
  caseName: string;
  caseHref: string;
  dueDate: string;
  due?: DueWords;
  status: 'Open' | 'Done';
  completed?: string;
  /** The "Mark as done" form's address. */
  completeAction: string;
}

export function actionView(action: SupervisionAction, now: Date): ActionView {
  const overdueDays = overdueWorkingDays(action.dueDate, action.dueBy, now);
  const due =
    action.status === 'open'
      ? isActionOverdue(action, now) && overdueDays > 0
        ? { text: `overdue by ${overdueDays} working ${overdueDays === 1 ? 'day' : 'days'}`, overdue: true }
        : dueWords(action.dueBy, now)
      : undefined;
  return {
    actionId: action.actionId,
    caseId: action.caseId,
    what: action.what,
    owner: action.ownerName,
    caseName: `Case ${action.reference}`,
    caseHref: casePagePath(action.caseId),
    dueDate: dayText(action.dueDate),
    ...(due ? { due } : {}),
    status: action.status === 'open' ? 'Open' : 'Done',
    ...(action.completedAt ? { completed: londonDateText(new Date(action.completedAt)) } : {}),
    completeAction: `/supervision/actions/${encodeURIComponent(action.caseId)}/${encodeURIComponent(action.actionId)}/complete`,
  };
}

/** Names of the people a record names: the directory's, else a plain stand-in. */
export type Names = Readonly<Record<string, string>>;
export const nameIn = (names: Names, userId: string): string => names[userId] ?? 'A worker no longer in the directory';

const paragraphsOf = (text: string | undefined): string[] =>
  (text ?? '')
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');

/** One row of a GOV.UK summary list; `paragraphs` keep the worker's own line breaks. */
export interface RecordRow {
  key: string;
  paragraphs?: string[];
  tag?: TagView;
  list?: string[];
}

/** The completed record (or a version of it) as summary-list rows, in the form's order. */
export function recordRows(content: Partial<RecordContent>, names: Names, whole = true): RecordRow[] {
  const rows: RecordRow[] = [];
  const text = (key: string, value: string | undefined, has: boolean) => {
    if (whole || has) rows.push({ key, paragraphs: value === undefined ? ['Not recorded'] : paragraphsOf(value) });
  };
  if (whole || 'heldOn' in content) rows.push({ key: 'Held on', paragraphs: [content.heldOn ? dayText(content.heldOn) : 'Not recorded'] });
  if (whole || 'attendees' in content) rows.push({ key: 'Attended', list: (content.attendees ?? []).map((id) => nameIn(names, id)) });
  if (whole || 'apologies' in content) rows.push({ key: 'Apologies', list: (content.apologies ?? []).map((id) => nameIn(names, id)) });
  if (whole || 'rating' in content) {
    const tag = ratingTag(content.rating);
    rows.push(tag ? { key: 'Rating', tag } : { key: 'Rating', paragraphs: ['Not rated'] });
  }
  text('Why this rating', content.ratingRationale, 'ratingRationale' in content);
  text('Reflective discussion and hypotheses', content.discussion, 'discussion' in content);
  text('Risks', content.risks, 'risks' in content);
  text('Strengths', content.strengths, 'strengths' in content);
  text('Decisions', content.decisions, 'decisions' in content);
  if (whole || 'nextDate' in content) {
    rows.push({ key: 'Proposed next date', paragraphs: [content.nextDate ? dayText(content.nextDate) : 'None proposed'] });
  }
  return rows.map((row) => (row.list && row.list.length === 0 ? { key: row.key, paragraphs: ['Nobody'] } : row));
}

export interface AmendmentView {
  title: string;
  by: string;
  reason: string[];
  before: RecordRow[];
  after: RecordRow[];
  /** Actions the amendment set, in words. */
  addedActions: string[];
}

/** Only what an amendment changed (a stored amendment may carry the lists it did not change, empty on both sides). */
function changedOnly(amendment: Amendment): { before: Partial<RecordContent>; after: Partial<RecordContent> } {
  const keys = new Set([...Object.keys(amendment.before), ...Object.keys(amendment.after)] as (keyof RecordContent)[]);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === 'actions') continue;
    if (JSON.stringify(amendment.before[key] ?? null) === JSON.stringify(amendment.after[key] ?? null)) continue;
    before[key] = amendment.before[key];
    after[key] = amendment.after[key];
  }
  return { before: before as Partial<RecordContent>, after: after as Partial<RecordContent> };
}

export function amendmentView(amendment: Amendment, names: Names): AmendmentView {
  const { before, after } = changedOnly(amendment);
  const added = amendment.after.actions?.filter((action) => amendment.addedActionIds.includes(action.actionId ?? '')) ?? [];
  return {
    title: `Amendment ${amendment.number}, ${londonDateTimeText(new Date(amendment.at))}`,
    by: amendment.by.name,
    reason: paragraphsOf(amendment.reason),
    before: recordRows(before, names, false),
    after: recordRows(after, names, false),
    addedActions: added.map((action) => `${action.what} (${nameIn(names, action.ownerId)}, due ${dayText(action.dueDate)})`),
  };
}

export interface ConsultationView {
  title: string;
  by: string;
  recorded: string;
  notes: string[];
}

export const consultationView = (consultation: Consultation): ConsultationView => ({
  title: `${dayText(consultation.heldOn)}: consulted ${consultation.with}`,
  by: consultation.by.name,
  recorded: londonDateTimeText(new Date(consultation.at)),
  notes: paragraphsOf(consultation.notes),
});

/** A supervision in a case's list: when, its state, and where to go. */
export interface SupervisionRowView {
  title: string;
  href: string;
  status: string;
  statusTag: TagView;
  when: string;
  due?: DueWords;
  dueDate: string;
  rating?: TagView;
  rescheduleHref?: string;
  /** "Record" (the chair, before it is held), "Continue the record" (their draft), else "View". */
  linkText: string;
}

const STATUS_TAGS: Readonly<Record<Supervision['status'], TagView>> = {
  scheduled: { text: 'Scheduled', classes: 'govuk-tag--blue' },
  held: { text: 'Held', classes: 'govuk-tag--green' },
  cancelled: { text: 'Cancelled', classes: 'govuk-tag--grey' },
};

export function supervisionRowView(supervision: Supervision, now: Date, chair: boolean): SupervisionRowView {
  const held = supervision.status === 'held';
  const draft = supervision.record?.recordStatus === 'draft';
  const tag = draft && !held ? { text: 'Draft record', classes: 'govuk-tag--yellow' } : STATUS_TAGS[supervision.status];
  return {
    title: `Group supervision ${supervision.sequence}`,
    href: recordPagePath(supervision.caseId, supervision.sequence),
    linkText: chair && !held && supervision.status !== 'cancelled' ? (draft ? 'Continue the record' : 'Record') : 'View',
    status: tag.text,
    statusTag: tag,
    when:
      held && supervision.heldOn
        ? `Held on ${dayText(supervision.heldOn)}`
        : `${supervision.status === 'cancelled' ? 'Was scheduled for' : 'Scheduled for'} ${londonDateTimeText(new Date(supervision.scheduledFor)).replace(/^(.*) on (.*)$/, '$2 at $1')}`,
    dueDate: dayText(supervision.dueDate),
    ...(supervision.status === 'scheduled' ? { due: dueWords(supervision.dueBy, now) } : {}),
    ...(held && supervision.record?.rating ? { rating: ratingTag(supervision.record.rating) as TagView } : {}),
    ...(chair && supervision.status === 'scheduled'
      ? { rescheduleHref: `${recordPagePath(supervision.caseId, supervision.sequence)}/reschedule` }
      : {}),
  };
}

/** "Monday 6 July 2026 at 10am". */
export const scheduledText = (instant: string): string => londonDateTimeText(new Date(instant)).replace(/^(.*) on (.*)$/, '$2 at $1');

export type { SupervisionRecord };
