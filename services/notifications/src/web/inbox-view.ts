/** What the inbox page shows of a page of the store's inbox (src/store/inbox-store.ts). Pure. */
import { filterQueryOf, type InboxFilter, isFiltered, isUrgentKind } from '../domain/inbox-filter';
import type { InboxEntry } from '../store/inbox-store';
import { capitalised, whenInWords } from './when';

export interface InboxItemView {
  id: string;
  /** The item's element id, which "Mark as read" returns to. */
  anchor: string;
  title: string;
  href: string;
  /** "Today at 2:30pm". */
  when: string;
  /** The machine-readable time for `<time datetime>`. */
  at: string;
  unread: boolean;
  /** A timescale due today, breached or escalated (src/domain/inbox-filter.ts). */
  urgent: boolean;
}

export const itemAnchor = (notificationId: string): string => `item-${notificationId}`;

export function inboxItemView(entry: InboxEntry, now: Date): InboxItemView {
  return {
    id: entry.notificationId,
    anchor: itemAnchor(entry.notificationId),
    title: entry.title,
    href: entry.link,
    when: capitalised(whenInWords(now, new Date(entry.createdAt))),
    at: entry.createdAt,
    unread: !entry.read,
    urgent: isUrgentKind(entry.kind),
  };
}

/**
 * With a filter on, the page offers to mark read the unread items it shows, and only those: "Mark
 * all as read" would also mark what the filter hides, unseen. Undefined when fewer than two are
 * unread: one has its own "Mark as read".
 */
export function markShownView(items: readonly InboxItemView[]): { ids: string[]; text: string } | undefined {
  const ids = items.filter((item) => item.unread).map((item) => item.id);
  return ids.length < 2 ? undefined : { ids, text: `Mark these ${ids.length} unread items as read` };
}

/** "You have 3 unread items", "You have 1 unread item", "You have no unread items". */
export function unreadInWords(unreadCount: number): string {
  if (unreadCount === 0) return 'You have no unread items';
  return `You have ${unreadCount} unread ${unreadCount === 1 ? 'item' : 'items'}`;
}

export interface InboxFiltersView {
  unread: boolean;
  urgent: boolean;
  /** What the case box shows: the reference filtered by, or what was typed when it was not one. */
  typedCase: string;
  caseError?: string;
  /** Any filter on (a mistyped case alone is none). */
  active: boolean;
  /** "Showing unread, urgent items about case FSP-2026-7K3M2N." */
  summary?: string;
  /** The filters as hidden fields, so that a form posted from the page comes back to the same filters. */
  fields: { name: string; value: string }[];
}

/** The filter form's state, and in words what the list is showing. */
export function inboxFiltersView(asked: { filter: InboxFilter; typedCase: string; caseError?: string }): InboxFiltersView {
  const { filter } = asked;
  const kinds = [filter.unread ? 'unread' : undefined, filter.urgent ? 'urgent' : undefined].filter((word) => word !== undefined);
  const about = filter.caseReference === undefined ? '' : ` about case ${filter.caseReference}`;
  return {
    unread: filter.unread,
    urgent: filter.urgent,
    typedCase: asked.typedCase,
    ...(asked.caseError ? { caseError: asked.caseError } : {}),
    active: isFiltered(filter),
    ...(isFiltered(filter) ? { summary: `Showing only ${kinds.length > 0 ? `${kinds.join(', ')} ` : ''}items${about}.` } : {}),
    fields: Object.entries(filterQueryOf(filter)).map(([name, value]) => ({ name, value })),
  };
}
