/**
 * The inbox's filters (issue 15 Deliver 7): unread, urgent, and one case by its reference. Pure: what
 * each filter means, how it is spelled in an address, and how a filtered page is walked out of the
 * two mailboxes' slices (the store fetches, this decides which items the page shows and where the
 * next page starts). An item is urgent by its kind, so items delivered before the filters existed
 * are judged the same way; its case by the reference it was delivered with, or else the one in its
 * title.
 */
import { MAILBOX_ROLES, type MailboxRole } from '@fsp/shared/inbox/mailbox';
import type { FetchedSlice, InboxCursor } from './inbox-page';
import type { NotificationKind } from './notification';

/** A timescale due today, breached or escalated: what a worker should look at first. */
export const URGENT_KINDS: ReadonlySet<NotificationKind> = new Set<NotificationKind>([
  'referral-decision-due',
  'referral-decision-overdue',
  'supervision-overdue',
  'supervision-action-overdue',
  'supervision-action-escalated',
  'case-timescale-overdue',
  'case-timescale-escalated',
  'breach-escalated',
]);

export const isUrgentKind = (kind: NotificationKind): boolean => URGENT_KINDS.has(kind);

/** A referral's reference, which the case opened from it keeps (`FSP-2026-7K3M2N`). */
export const CASE_REFERENCE_PATTERN = /^FSP-\d{4}-[0-9A-HJKMNP-TV-Z]{6}$/;
const REFERENCE_IN_TEXT = /FSP-\d{4}-[0-9A-HJKMNP-TV-Z]{6}(?![0-9A-Z])/;

export interface InboxFilter {
  unread: boolean;
  urgent: boolean;
  /** Only items about this case (or the referral it was opened from). */
  caseReference?: string;
}

export const NO_FILTER: InboxFilter = { unread: false, urgent: false };

export const isFiltered = (filter: InboxFilter): boolean => filter.unread || filter.urgent || filter.caseReference !== undefined;

/** "fsp-2026-7k3m2n " → "FSP-2026-7K3M2N": people type references as they read them. */
export const normalisedReference = (typed: string): string => typed.trim().toUpperCase();

/** The case an item is about: the reference it was delivered with, or (items from before) the one its title names. */
export function referenceOfItem(item: { reference?: string | undefined; title: string }): string | undefined {
  return item.reference ?? REFERENCE_IN_TEXT.exec(item.title)?.[0];
}

export interface FilterableEntry {
  kind: NotificationKind;
  title: string;
  reference?: string | undefined;
  read: boolean;
}

export function matchesFilter(entry: FilterableEntry, filter: InboxFilter): boolean {
  if (filter.unread && entry.read) return false;
  if (filter.urgent && !isUrgentKind(entry.kind)) return false;
  if (filter.caseReference !== undefined && referenceOfItem(entry) !== filter.caseReference) return false;
  return true;
}

/** The filter as the inbox's address spells it: `unread=yes`, `urgent=yes`, `case=FSP-…`; nothing for no filter. */
export function filterQueryOf(filter: InboxFilter): Record<string, string> {
  return {
    ...(filter.unread ? { unread: 'yes' } : {}),
    ...(filter.urgent ? { urgent: 'yes' } : {}),
    ...(filter.caseReference !== undefined ? { case: filter.caseReference } : {}),
  };
}

/**
 * One round of a filtered page: the slices fetched after `from` (each newest first, `fetched` of them
 * asked for per mailbox), walked newest first across both mailboxes, keeping the items that match
 * until `want` are kept. The walk never passes the end of what a mailbox fetched while that mailbox
 * may hold more (an older item there could be newer than the other's next), so it can stop short:
 * `complete` then says the page may continue from `next` in another round. Items walked past, kept or
 * not, are behind `next`.
 */
export function walkFiltered<T extends { notificationId: string }>(
  from: InboxCursor,
  slices: Record<MailboxRole, FetchedSlice<T>>,
  fetched: number,
  want: number,
  matches: (item: T) => boolean,
): { items: T[]; next: InboxCursor | null; complete: boolean } {
  const index: Record<MailboxRole, number> = { user: 0, team: 0 };
  const last: Record<MailboxRole, string | null> = { user: from.user.after, team: from.team.after };
  const exhausted = (role: MailboxRole) => slices[role].items.length <= fetched && !slices[role].truncated;
  const items: T[] = [];
  let complete = true;
  while (items.length < want) {
    const open = MAILBOX_ROLES.filter((role) => !from[role].done);
    if (open.some((role) => index[role] >= slices[role].items.length && !exhausted(role))) {
      complete = false;
      break;
    }
    const candidates = open.filter((role) => index[role] < slices[role].items.length);
    if (candidates.length === 0) break;
    // Ids start with the fact's fixed-width UTC time: the greater id is the newer item.
    const role = candidates.reduce((newest, candidate) =>
      (slices[candidate].items[index[candidate]]?.notificationId ?? '') > (slices[newest].items[index[newest]]?.notificationId ?? '')
        ? candidate
        : newest,
    );
    const item = slices[role].items[index[role]] as T;
    index[role] += 1;
    last[role] = item.notificationId;
    if (matches(item)) items.push(item);
  }
  const next = {} as InboxCursor;
  for (const role of MAILBOX_ROLES) {
    next[role] = { after: last[role], done: from[role].done || (exhausted(role) && index[role] >= slices[role].items.length) };
  }
  return { items, next: MAILBOX_ROLES.every((role) => next[role].done) ? null : next, complete };
}

/** The words an address may use for a filter, as the page's form sends them; anything else is no filter. */
const firstOf = (value: string | readonly string[] | undefined): string | undefined => (typeof value === 'string' ? value : value?.[0]);

export const CASE_REFERENCE_ERROR = 'Enter a case reference in the format FSP-2026-7K3M2N';

/**
 * The filter an address asks for (`unread=yes`, `urgent=yes`, `case=FSP-…`), read leniently for pages:
 * a case reference that is not one leaves the case out and says why (`caseError`), with what was typed.
 */
export function filterFromQuery(query: {
  unread?: string | readonly string[] | undefined;
  urgent?: string | readonly string[] | undefined;
  case?: string | readonly string[] | undefined;
}): { filter: InboxFilter; typedCase: string; caseError?: string } {
  const typedCase = firstOf(query.case)?.trim() ?? '';
  const reference = normalisedReference(typedCase);
  const filter: InboxFilter = {
    unread: firstOf(query.unread) === 'yes',
    urgent: firstOf(query.urgent) === 'yes',
    ...(CASE_REFERENCE_PATTERN.test(reference) ? { caseReference: reference } : {}),
  };
  return typedCase === '' || filter.caseReference !== undefined
    ? { filter, typedCase: filter.caseReference ?? '' }
    : { filter, typedCase, caseError: CASE_REFERENCE_ERROR };
}
