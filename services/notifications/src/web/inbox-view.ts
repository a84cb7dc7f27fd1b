/** What the inbox page shows of a page of the store's inbox (src/store/inbox-store.ts). Pure. */
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
  };
}

/** "You have 3 unread items", "You have 1 unread item", "You have no unread items". */
export function unreadInWords(unreadCount: number): string {
  if (unreadCount === 0) return 'You have no unread items';
  return `You have ${unreadCount} unread ${unreadCount === 1 ? 'item' : 'items'}`;
}
