/**
 * The Inbox count in tests: notifications' counter events as its outbox carries them, and the count
 * as the navigation's Inbox item shows it on a rendered page.
 */
import { randomUUID } from 'node:crypto';
import { buildEvent } from '../src/events/build';
import { inboxItemDeliveredV1, inboxItemReadV1 } from '../src/events/definitions/notifications';
import type { Mailbox } from '../src/inbox/mailbox';
import { textOf } from './html';

const AT = '2026-12-01T09:30:00.000Z';
const notificationIdOf = (n: number) => `20261201T093000000Z-${String(n).padStart(32, '0')}`;
const context = () => ({ clock: () => new Date(AT), correlationId: randomUUID(), causationId: randomUUID() });

/** InboxItemDelivered: `mailbox` has been delivered `deliveredCount` items in all. */
export const inboxDelivered = (mailbox: Mailbox, deliveredCount: number) =>
  buildEvent(inboxItemDeliveredV1, { mailbox, deliveredCount, notificationId: notificationIdOf(deliveredCount), at: AT }, context());

/** InboxItemRead: `userId` has read `readCount` of `mailbox`'s items in all. */
export const inboxRead = (userId: string, mailbox: Mailbox, readCount: number) =>
  buildEvent(inboxItemReadV1, { userId, mailbox, readCount, notificationId: notificationIdOf(readCount), at: AT }, context());

/** The navigation's Inbox item as a worker reads it, hidden text included: "Inbox", or "Inbox 3 (3 unread)". */
export function inboxItemTextOf(html: string): string | undefined {
  const navigation = /<nav\b[\s\S]*?<\/nav>/i.exec(html)?.[0] ?? '';
  const item = /<a\b[^>]*\bhref="\/inbox"[^>]*>([\s\S]*?)<\/a>/i.exec(navigation);
  return item ? textOf(item[1]!) : undefined;
}

/** The unread count on the navigation's Inbox item (MoJ's notification badge), or undefined when it shows none. */
export function inboxBadgeOf(html: string): number | undefined {
  const text = inboxItemTextOf(html);
  if (text === undefined) throw new Error('the page has no Inbox item in its navigation');
  const badge = /^Inbox (\d+) \((\d+) unread\)$/.exec(text);
  if (badge) return Number(badge[2]);
  if (text !== 'Inbox') throw new Error(`the Inbox item reads "${text}"`);
  return undefined;
}
