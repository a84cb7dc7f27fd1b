/**
 * What the cases pages show of a case, in words (WEB.md): dates as "Tuesday 3 December 2026",
 * the assessment deadline as "due in 2 working days" or "overdue by 1 working day" (red when
 * overdue). Pure: the clock is passed in.
 */
import { deadlineInWords } from '@fsp/shared/time/deadline-words';
import { type LocalDate, parseLocalDate } from '@fsp/shared/time/local-date';
import { londonDateText } from '@fsp/shared/time/london-words';
import { localDayText } from '@fsp/shared/time/words';
import type { CaseAccess } from '../domain/access';
import { type CaseChild, type CaseRecord, type CaseStatus, type ChronologyEntry, nextDeadlineOfCase } from '../domain/case';
import { firstSupervisionDueOn } from '../domain/essentials';
import type { NextDeadline, Timescale } from '../domain/path-timescales';
import { heldOnText, RATING_WORDS } from '../domain/supervision';
import type { CaseFile } from '../store/case-store';
import type { SummaryItem } from '../store/items/summary';
import { caseEssentialsView } from './essentials-view';
import { CHRONOLOGY_KIND_NAMES } from './notes-view';

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

/** The assessment's deadline, or nothing once it is completed or the case has left assessment (its deadline is met or moot). */
export function assessmentDeadlineOf(
  record: Pick<CaseRecord, 'status' | 'assessmentDueBy' | 'assessmentCompletedOn'>,
  now: Date,
): DeadlineView | undefined {
  if (record.status !== 'assessment' || record.assessmentCompletedOn !== undefined) return undefined;
  return deadlineViewOf(new Date(record.assessmentDueBy), now);
}

/** A deadline's last instant in words, at `now`. */
function deadlineViewOf(dueBy: Date, now: Date): DeadlineView {
  const words = deadlineInWords(now, dueBy);
  return { text: words.text, overdue: words.state === 'overdue', date: londonDateText(dueBy) };
}

/** What a deadline is for, as the caseload and the team's list name it. */
const TIMESCALE_NAMES: Readonly<Record<Timescale, string>> = {
  assessment: 'Assessment',
  'initial-conference': 'Initial child protection conference',
  'cp-review': 'Child protection review',
};

/** "Initial child protection conference: due in 3 working days", red when overdue. */
export function nextDeadlineView(deadline: NextDeadline, now: Date): DeadlineView & { what: string } {
  return { what: TIMESCALE_NAMES[deadline.timescale], ...deadlineViewOf(new Date(deadline.dueBy), now) };
}

/** The case's soonest deadline in words (domain/case.ts `nextDeadlineOfCase`), or undefined when it has none. */
export function caseDeadlineView(
  record: Pick<CaseRecord, 'nextDeadline' | 'status' | 'assessmentDueDate' | 'assessmentDueBy' | 'assessmentCompletedOn'>,
  now: Date,
): (DeadlineView & { what: string }) | undefined {
  const next = nextDeadlineOfCase(record);
  return next ? nextDeadlineView(next, now) : undefined;
}

export interface CaseRowView {
  href: string;
  reference: string;
  children: string;
  status: string;
  opened: string;
  assessment?: DeadlineView;
  /** The soonest deadline, whichever timescale it is. */
  deadline?: DeadlineView & { what: string };
}

export function caseRowView(record: CaseRecord, now: Date): CaseRowView {
  const assessment = assessmentDeadlineOf(record, now);
  const deadline = caseDeadlineView(record, now);
  return {
    href: `/cases/${record.caseId}`,
    reference: record.reference,
    children: childrenInWords(record.children),
    status: statusInWords(record.status),
    opened: londonDateText(new Date(record.openedAt)),
    ...(assessment ? { assessment } : {}),
    ...(deadline ? { deadline } : {}),
  };
}

/** An MoJ timeline item: newest first, as the timeline reads. */
export const timelineItemOf = (entry: ChronologyEntry) => ({
  // As the Chronology page names them (web/notes-view.ts), so a path step reads "Strategy discussion" on both.
  label: { text: (CHRONOLOGY_KIND_NAMES as Readonly<Record<string, string>>)[entry.kind] ?? 'Chronology entry' },
  text: entry.text,
  datetime: { timestamp: entry.at, type: 'datetime' },
});

/** The pages of one case, as its sub-navigation lists them. */
export type CaseSection = 'overview' | 'family' | 'notes' | 'chronology' | 'path' | 'plan';

const SECTIONS: ReadonlyArray<{ section: CaseSection; text: string; path: string }> = [
  { section: 'overview', text: 'Overview', path: '' },
  { section: 'family', text: 'Family and network', path: '/family' },
  { section: 'notes', text: 'Notes', path: '/notes' },
  { section: 'chronology', text: 'Chronology', path: '/chronology' },
  { section: 'path', text: 'Statutory path', path: '/path' },
  { section: 'plan', text: 'Plan', path: '/plan' },
];

/** A status's tag colour: child protection and looked after stand out; a closed case is grey. */
const STATUS_TAG_CLASSES: Readonly<Record<CaseStatus, string>> = {
  assessment: 'govuk-tag--blue',
  'child-in-need': 'govuk-tag--yellow',
  'child-protection': 'govuk-tag--red',
  'looked-after': 'govuk-tag--purple',
  closed: 'govuk-tag--grey',
};

export interface CaseHeaderView {
  reference: string;
  status: string;
  statusClasses: string;
  urgent: boolean;
  navigation: Array<{ text: string; href: string; active: boolean }>;
}

/**
 * The head every page of a case shows (templates/partials/case-header.njk), with `current` marked in
 * its sub-navigation. A page of the case that is not one of its sections (the census, the workbook:
 * linked from the overview) names itself, and is added to the navigation as the current page.
 */
export function caseHeaderView(
  record: Pick<CaseRecord, 'caseId' | 'reference' | 'status' | 'urgent'>,
  current: CaseSection | { text: string; href: string },
): CaseHeaderView {
  const sections = SECTIONS.map(({ section, text, path }) => ({
    text,
    href: `/cases/${record.caseId}${path}`,
    active: section === current,
  }));
  return {
    reference: record.reference,
    status: statusInWords(record.status),
    statusClasses: STATUS_TAG_CLASSES[record.status],
    urgent: record.urgent,
    navigation: typeof current === 'string' ? sections : [...sections, { ...current, active: true }],
  };
}

/** How many chronology entries the overview shows, newest first; the Chronology page has them all. */
export const OVERVIEW_CHRONOLOGY_ENTRIES = 5;

export interface SummaryView {
  /** The text's paragraphs (it is plain text: blank lines separate paragraphs, line breaks stay within one). */
  paragraphs: string[][];
  /** "Last updated Tuesday 3 December 2026 by Sam Patel". */
  lastUpdated: string;
}

export function summaryView(summary: Pick<SummaryItem, 'text' | 'updatedAt' | 'updatedBy'>): SummaryView {
  return {
    paragraphs: summary.text.split(/\n\s*\n/).map((paragraph) => paragraph.split('\n')),
    lastUpdated: `Last updated ${londonDateText(new Date(summary.updatedAt))} by ${summary.updatedBy.name}`,
  };
}

export interface LatestSupervisionView {
  /** "Tuesday 3 February 2026, rated Amber", or that none has been held. */
  text: string;
  /**
   * The case's group supervision in the supervision service (its history, ratings and what is
   * scheduled); absent for a reader supervision would not show it to (break-glass, the front door).
   */
  href?: string;
}

/**
 * The overview's line on group supervision: the latest one held (the case head keeps it from
 * SupervisionHeld), or when none has been, the day the first is due by (a month from the first social
 * worker's allocation, as supervision schedules it): not said before allocation, which the essentials
 * and the allocation say, nor for a head allocated before it kept that day. Linked to supervision's
 * page of the case when `linked`.
 */
export function latestSupervisionView(
  head: Pick<CaseRecord, 'caseId' | 'latestSupervision' | 'firstAllocatedOn'>,
  linked = true,
): LatestSupervisionView {
  const latest = head.latestSupervision;
  return {
    text: latest ? `${heldOnText(latest.heldOn)}, rated ${RATING_WORDS[latest.rating]}` : `None held yet${firstSupervisionWords(head)}`,
    ...(linked ? { href: `/supervision/cases/${head.caseId}` } : {}),
  };
}

function firstSupervisionWords(head: Pick<CaseRecord, 'firstAllocatedOn'>): string {
  if (!head.firstAllocatedOn) return '';
  return `; the first is due by ${localDayText(firstSupervisionDueOn(parseLocalDate(head.firstAllocatedOn)))}`;
}

/** Supervision shows a case's records to those allocated to it and the holding team's members only (no break-glass there). */
export const readsSupervisionOf = (access: CaseAccess): boolean => access === 'allocated' || access === 'team-member';

/**
 * The front door reads a case only through the referral it is handling, and then only its overview
 * (ADR 0014 §6): every other page of the case answers it as a case it cannot see. So
 * its overview links none of them (no sub-navigation, no section links, essentials without links
 * off the page) and leads back to the referral it came from.
 */
export const seesOverviewOnly = (access: CaseAccess): boolean => access === 'front-door-referral';

/** The front door's referral page (services/referrals), where it came from. */
export const frontDoorReferralHref = (referralId: string): string => `/front-door/referrals/${encodeURIComponent(referralId)}`;

/**
 * An essential's link for a reader who sees the overview alone: one to a place on the overview
 * (`/cases/<id>#summary`) becomes that place (`#summary`), so that it keeps the address the reader
 * came by; one to another page goes.
 */
function linkedOnOverview<T extends { href?: string }>(item: T, caseId: string): T {
  const { href, ...rest } = item;
  if (href === undefined) return item;
  const hash = href.indexOf('#');
  const page = hash < 0 ? href : href.slice(0, hash);
  return hash >= 0 && (page === '' || page === `/cases/${caseId}`) ? { ...item, href: href.slice(hash) } : (rest as T);
}

/**
 * The case overview (templates/case.njk): its header, summary, key dates, allocation panel and latest
 * chronology. `referralId`: the referral the front door followed to the case (its way back).
 */
export function caseOverviewView(
  file: Pick<CaseFile, 'record' | 'summary' | 'chronology'> & Partial<Pick<CaseFile, 'plan' | 'path'>>,
  now: Date,
  options: { mayChange: boolean; access: CaseAccess; referralId?: string },
) {
  const { record } = file;
  const overviewOnly = seesOverviewOnly(options.access);
  const header = caseHeaderView(record, 'overview');
  const essentials = caseEssentialsView(file, now, { mayChangeSummary: options.mayChange, access: options.access });
  return {
    caseHeader: overviewOnly ? { ...header, navigation: [] } : header,
    /** The links to the case's other pages (family, path, census, stages of change, FGDM, workbook, chronology). */
    sectionLinks: !overviewOnly,
    back:
      overviewOnly && options.referralId !== undefined
        ? { href: frontDoorReferralHref(options.referralId), text: 'Back to the referral' }
        : overviewOnly
          ? { href: '/front-door', text: 'Back to the front door’s referrals' }
          : { href: '/cases', text: 'Back to your team’s cases' },
    case: {
      ...caseRowView(record, now),
      teamId: record.teamId,
      urgent: record.urgent,
      timeline: [...file.chronology].reverse().slice(0, OVERVIEW_CHRONOLOGY_ENTRIES).map(timelineItemOf),
      moreChronology: file.chronology.length > OVERVIEW_CHRONOLOGY_ENTRIES,
      chronologyHref: `/cases/${record.caseId}/chronology`,
      familyHref: `/cases/${record.caseId}/family`,
      // Once authorised the assessment's deadline is moot: the overview says when it was authorised instead.
      ...(record.assessmentCompletedOn ? { assessmentAuthorised: localDayText(record.assessmentCompletedOn as LocalDate) } : {}),
      latestSupervision: latestSupervisionView(record, readsSupervisionOf(options.access)),
    },
    ...(file.summary ? { summary: summaryView(file.summary) } : {}),
    ...(options.mayChange ? { summaryHref: `/cases/${record.caseId}/summary` } : {}),
    // The essentials check (web/essentials-view.ts; templates/partials/essentials-list.njk).
    essentials: overviewOnly ? { ...essentials, items: essentials.items.map((item) => linkedOnOverview(item, record.caseId)) } : essentials,
  };
}
