/**
 * The front door's queue page, as data for its template (templates/front-door/queue.njk): the
 * referrals awaiting a decision, filtered by status and by what is due, sorted, one page of them.
 * Pure: the route reads the queue once (the same read as GET /api/front-door/referrals) and passes
 * the clock's reading.
 *
 * A hand-edited address never fails: a value the filter does not know is read as its default, and a
 * page past the end shows the last page.
 */
import { REFERRAL_SOURCE_WORDS } from '@fsp/shared/events/code-words';
import { byCodeUnits } from '@fsp/shared/order';
import { type DecisionClock, decisionClock, decisionClockText } from '../../domain/decision-clock';
import type { MatchStrength } from '../../domain/known-family';
import type { QueueEntry } from '../../store/referrals-store';
import { capitalised, childrenText, STATUS_TAG_CLASSES, STATUS_WORDS } from './words';

export const QUEUE_PAGE_SIZE = 20;

export const STATUS_FILTERS = ['all', 'received', 'in-screening'] as const;
export const DUE_FILTERS = ['all', 'today', 'overdue'] as const;
export const SORTS = ['due', 'newest'] as const;

export interface QueueFilter {
  status: (typeof STATUS_FILTERS)[number];
  due: (typeof DUE_FILTERS)[number];
  sort: (typeof SORTS)[number];
  page: number;
}

const DEFAULT_FILTER: QueueFilter = { status: 'all', due: 'all', sort: 'due', page: 1 };

const firstOf = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
const oneOf = <T extends string>(allowed: readonly T[], value: string | undefined, fallback: T): T =>
  value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;

/** The filter a query string asks for; anything it does not know is the default. */
export function queueFilterOf(query: Readonly<Record<string, string | string[] | undefined>>): QueueFilter {
  const page = Number(firstOf(query.page));
  return {
    status: oneOf(STATUS_FILTERS, firstOf(query.status), DEFAULT_FILTER.status),
    due: oneOf(DUE_FILTERS, firstOf(query.due), DEFAULT_FILTER.due),
    sort: oneOf(SORTS, firstOf(query.sort), DEFAULT_FILTER.sort),
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

/** `/front-door?status=…`, naming only what differs from the defaults, so the plain queue is plainly `/front-door`. */
export function queueHref(filter: QueueFilter): string {
  const query = new URLSearchParams();
  if (filter.status !== DEFAULT_FILTER.status) query.set('status', filter.status);
  if (filter.due !== DEFAULT_FILTER.due) query.set('due', filter.due);
  if (filter.sort !== DEFAULT_FILTER.sort) query.set('sort', filter.sort);
  if (filter.page !== 1) query.set('page', String(filter.page));
  const text = query.toString();
  return text ? `/front-door?${text}` : '/front-door';
}

export interface QueueRow {
  referralId: string;
  href: string;
  reference: string;
  receivedAt: string;
  children: string;
  source: string;
  status: { text: string; classes: string };
  /** Who is screening it, when someone is. */
  screeningBy?: string;
  dueBy: string;
  clock: string;
  overdue: boolean;
  /** The strongest known-family match, 'pending' until the check has run, undefined when none. */
  knownFamily?: MatchStrength | 'pending';
  familySafeguarding: boolean;
}

export interface PaginationItem {
  number?: number;
  href?: string;
  current?: boolean;
  ellipsis?: boolean;
}

export interface QueueView {
  filter: QueueFilter;
  /** How many referrals each "due" choice would show, within the status chosen. */
  counts: Record<QueueFilter['due'], number>;
  rows: QueueRow[];
  /** Referrals the filter shows, over every page. */
  total: number;
  /** 1-based positions of the first and last row shown. */
  from: number;
  to: number;
  pagination?: { previous?: { href: string }; next?: { href: string }; items: PaginationItem[] };
  /** Links for the "due" sub-navigation and the status and sort choices. */
  dueLinks: { text: string; href: string; active: boolean }[];
  /** The queue held more than the page read: only the soonest due were shown. */
  truncated: boolean;
  /** The plain queue, for "clear filters". */
  filtered: boolean;
}

const strongestOf = (entry: QueueEntry): QueueRow['knownFamily'] => {
  if (!entry.familyMatches) return 'pending';
  if (entry.familyMatches.some((match) => match.strength === 'strong')) return 'strong';
  return entry.familyMatches.length > 0 ? 'possible' : undefined;
};

const dueBucketOf = (clock: DecisionClock): 'today' | 'overdue' | undefined =>
  clock.state === 'overdue' ? 'overdue' : clock.state === 'due' && clock.deadline === 'due-today' ? 'today' : undefined;

function rowOf(entry: QueueEntry, clock: DecisionClock): QueueRow {
  return {
    referralId: entry.referralId,
    href: `/front-door/referrals/${encodeURIComponent(entry.referralId)}`,
    reference: entry.reference,
    receivedAt: entry.receivedAt,
    children: childrenText(entry.childCount),
    source: REFERRAL_SOURCE_WORDS[entry.referralSource],
    status: { text: STATUS_WORDS[entry.status], classes: STATUS_TAG_CLASSES[entry.status] },
    ...(entry.screening ? { screeningBy: entry.screening.startedByName ?? 'another worker' } : {}),
    dueBy: entry.decisionDueBy,
    clock: capitalised(decisionClockText(clock)),
    overdue: clock.state === 'overdue',
    ...(strongestOf(entry) ? { knownFamily: strongestOf(entry) } : {}),
    familySafeguarding: entry.familySafeguardingFlag,
  };
}

/** Page numbers around the current one, with the first and last, and ellipses between (GOV.UK pagination). */
export function pageNumbers(current: number, pageCount: number): (number | 'ellipsis')[] {
  const shown = new Set([1, pageCount, current - 1, current, current + 1].filter((n) => n >= 1 && n <= pageCount));
  const sorted = [...shown].sort((a, b) => a - b);
  const out: (number | 'ellipsis')[] = [];
  for (const [index, number] of sorted.entries()) {
    if (index > 0 && number - sorted[index - 1]! > 1) out.push('ellipsis');
    out.push(number);
  }
  return out;
}

export function queueView(entries: readonly QueueEntry[], requested: QueueFilter, now: Date, options: { truncated: boolean }): QueueView {
  const withClocks = entries.map((entry) => ({ entry, clock: decisionClock({ decisionDueBy: entry.decisionDueBy }, now) }));
  const ofStatus = withClocks.filter(({ entry }) => requested.status === 'all' || entry.status === requested.status);
  const counts = {
    all: ofStatus.length,
    today: ofStatus.filter(({ clock }) => dueBucketOf(clock) === 'today').length,
    overdue: ofStatus.filter(({ clock }) => dueBucketOf(clock) === 'overdue').length,
  };
  const shown = ofStatus.filter(({ clock }) => requested.due === 'all' || dueBucketOf(clock) === requested.due);
  // Ties by receipt, then id, so that pages never overlap: the queue index orders equal deadlines by id alone.
  const byId = (a: QueueEntry, b: QueueEntry) => byCodeUnits(a.referralId, b.referralId);
  shown.sort(({ entry: a }, { entry: b }) =>
    requested.sort === 'newest'
      ? byCodeUnits(b.receivedAt, a.receivedAt) || byId(a, b)
      : byCodeUnits(a.decisionDueBy, b.decisionDueBy) || byCodeUnits(a.receivedAt, b.receivedAt) || byId(a, b),
  );
  const pageCount = Math.max(1, Math.ceil(shown.length / QUEUE_PAGE_SIZE));
  const filter = { ...requested, page: Math.min(requested.page, pageCount) };
  const start = (filter.page - 1) * QUEUE_PAGE_SIZE;
  const rows = shown.slice(start, start + QUEUE_PAGE_SIZE).map(({ entry, clock }) => rowOf(entry, clock));
  const hrefOf = (page: number) => queueHref({ ...filter, page });
  return {
    filter,
    counts,
    rows,
    total: shown.length,
    from: rows.length === 0 ? 0 : start + 1,
    to: start + rows.length,
    ...(pageCount > 1
      ? {
          pagination: {
            ...(filter.page > 1 ? { previous: { href: hrefOf(filter.page - 1) } } : {}),
            ...(filter.page < pageCount ? { next: { href: hrefOf(filter.page + 1) } } : {}),
            items: pageNumbers(filter.page, pageCount).map((item) =>
              item === 'ellipsis' ? { ellipsis: true } : { number: item, href: hrefOf(item), current: item === filter.page },
            ),
          },
        }
      : {}),
    dueLinks: (
      [
        ['all', 'All'],
        ['today', 'Due today'],
        ['overdue', 'Overdue'],
      ] as const
    ).map(([due, text]) => ({
      text: `${text} (${counts[due]})`,
      href: queueHref({ ...filter, due, page: 1 }),
      active: filter.due === due,
    })),
    truncated: options.truncated,
    filtered: filter.status !== 'all' || filter.due !== 'all',
  };
}
