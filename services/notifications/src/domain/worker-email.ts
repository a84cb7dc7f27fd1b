/**
 * Workers' email (issue 15, Deliver 4–5; ADR 0019): what a worker is sent, and when a failed email is
 * tried again. Pure: the schedule (src/schedules/worker-mail.ts) reads the recipient's address from
 * the directory and passes the clock's time in.
 *
 * An email says no more than the inbox item does: its title (the case by its reference, never a
 * family member's name), an absolute link into the workers' web app, and how to change how one is
 * told. The subject names no case at all, only how many items there are and whether any is urgent,
 * as a subject is what a locked phone shows.
 */

import { userMailbox } from '@fsp/shared/inbox/mailbox';
import { byCodeUnits } from '@fsp/shared/order';
import { canonicalInstant, type NotificationDraft, notificationIdOf } from './notification';
import type { EmailMessage } from './referral-email';
import type { MailMode } from './worker-mail';

/** What an email tells of one inbox item (a WorkerMailIntent, as the mail keeps it). */
export interface MailItem {
  notificationId: string;
  title: string;
  /** A path in the workers' web app, starting `/`. */
  link: string;
  reference?: string | undefined;
  urgent: boolean;
  createdAt: string;
}

/** Minutes to wait after each refused or bounced attempt; after the last, the email has failed. */
export const RETRY_DELAYS_MINUTES = [1, 5, 30, 120] as const;
/** Attempts in all: the first and one per delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MINUTES.length + 1;

/** When to try again after `attempts` attempts have failed, or undefined when none are left. */
export function retryAfter(attempts: number, now: Date): Date | undefined {
  const delay = RETRY_DELAYS_MINUTES[attempts - 1];
  return delay === undefined ? undefined : new Date(now.getTime() + delay * 60_000);
}

/**
 * An attempt whose outcome is unknown (its sender stopped between "sending" and "sent") is tried
 * again only if SES has not said it accepted it within this long of its start (ADR 0019).
 */
export const IN_DOUBT_WAIT_MS = 15 * 60 * 1000;

/** One case's items in a digest section: `reference` undefined for items about no case. */
export interface DigestGroup {
  reference: string | undefined;
  items: MailItem[];
}

/** A digest's sections: urgent items first, then the rest; each grouped by case (by reference, items about no case last), oldest first. */
export function digestSections(items: readonly MailItem[]): { urgent: DigestGroup[]; other: DigestGroup[] } {
  const groupsOf = (subset: readonly MailItem[]): DigestGroup[] => {
    const byReference = new Map<string | undefined, MailItem[]>();
    for (const item of subset) {
      const group = byReference.get(item.reference);
      if (group) group.push(item);
      else byReference.set(item.reference, [item]);
    }
    return [...byReference.entries()]
      .sort(([a], [b]) => (a === b ? 0 : a === undefined ? 1 : b === undefined ? -1 : byCodeUnits(a, b)))
      .map(([reference, group]) => ({
        reference,
        items: [...group].sort((x, y) => byCodeUnits(x.createdAt, y.createdAt) || byCodeUnits(x.notificationId, y.notificationId)),
      }));
  };
  return { urgent: groupsOf(items.filter((item) => item.urgent)), other: groupsOf(items.filter((item) => !item.urgent)) };
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const FONT = 'font-family: Arial, sans-serif; font-size: 19px;';
const absolute = (origin: string, path: string) => `${origin.replace(/\/+$/, '')}${path}`;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The subject: how many items, and how many urgent; never a case or a person. */
export function workerEmailSubject(mode: MailMode, items: readonly MailItem[]): string {
  const urgent = items.filter((item) => item.urgent).length;
  if (mode === 'immediate')
    return urgent > 0 ? 'Family Safeguarding: an urgent item in your inbox' : 'Family Safeguarding: a new item in your inbox';
  const urgentWords = urgent > 0 ? `, ${urgent} urgent` : '';
  return `Family Safeguarding: your daily summary (${plural(items.length, 'item', 'items')}${urgentWords})`;
}

/**
 * The email for one mail: one item at once, or a recipient's digest. `origin` is the workers' web
 * app (PUBLIC_ORIGIN), so that every link is absolute.
 */
export function workerEmailOf(to: string, mode: MailMode, items: readonly MailItem[], origin: string): EmailMessage {
  const subject = workerEmailSubject(mode, items);
  const text: string[] = [];
  const html: string[] = [];
  const itemLine = (item: MailItem) => {
    const href = absolute(origin, item.link);
    text.push(`- ${item.title}${item.urgent && mode === 'immediate' ? ' (urgent)' : ''}\n  ${href}`);
    html.push(`<li style="${FONT}"><a href="${escapeHtml(href)}">${escapeHtml(item.title)}</a></li>`);
  };
  if (mode === 'immediate') {
    text.push('You have a new item in your Family Safeguarding inbox:');
    html.push(`<p style="${FONT}">You have a new item in your Family Safeguarding inbox:</p><ul>`);
    for (const item of items) itemLine(item);
    html.push('</ul>');
  } else {
    text.push(`Your daily summary: ${plural(items.length, 'new item', 'new items')} in your Family Safeguarding inbox.`);
    html.push(
      `<p style="${FONT}">Your daily summary: ${plural(items.length, 'new item', 'new items')} in your Family Safeguarding inbox.</p>`,
    );
    const { urgent, other } = digestSections(items);
    for (const [heading, groups] of [
      ['Urgent', urgent],
      ['Other items', other],
    ] as const) {
      if (groups.length === 0) continue;
      text.push('', `${heading}`, '='.repeat(heading.length));
      html.push(`<h2 style="font-family: Arial, sans-serif;">${heading}</h2>`);
      for (const group of groups) {
        const caseHeading = group.reference === undefined ? 'Not about one case' : `Case ${group.reference}`;
        text.push('', caseHeading);
        html.push(`<h3 style="font-family: Arial, sans-serif;">${escapeHtml(caseHeading)}</h3><ul>`);
        for (const item of group.items) itemLine(item);
        html.push('</ul>');
      }
    }
  }
  const inbox = absolute(origin, '/inbox');
  const preferences = absolute(origin, '/inbox/preferences');
  text.push(
    '',
    `Open your inbox: ${inbox}`,
    '',
    `To change how you are told about new items (in your inbox only, by email at once, or in a daily summary), go to ${preferences}`,
    '',
    'Family Safeguarding Platform',
  );
  html.push(
    `<p style="${FONT}"><a href="${escapeHtml(inbox)}">Open your inbox</a></p>`,
    `<p style="${FONT}">To change how you are told about new items (in your inbox only, by email at once, or in a daily summary), <a href="${escapeHtml(preferences)}">change your notification settings</a>.</p>`,
    `<p style="${FONT}">Family Safeguarding Platform</p>`,
  );
  return {
    to,
    subject,
    text: text.join('\n'),
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>${html.join('')}</body></html>`,
  };
}

/**
 * The inbox item that tells a worker their email could not be delivered: one per mail (its id is
 * derived from the mail's), in their own mailbox, linking to the items the email was about.
 */
export function emailFailedDraft(mail: { mailId: string; userId: string; mode: MailMode }, failedAt: Date): NotificationDraft {
  const mailbox = userMailbox(mail.userId);
  const occurredAt = canonicalInstant(failedAt.toISOString());
  const fact = { eventId: `worker-mail-failed:${mail.mailId}`, occurredAt };
  const what = mail.mode === 'digest' ? 'your daily summary email' : 'an email about a new item';
  return {
    notificationId: notificationIdOf(fact, mailbox, 'inbox'),
    mailbox,
    channel: 'inbox',
    kind: 'email-failed',
    title: `We could not deliver ${what}: check your inbox here, and ask an administrator to check your email address`,
    link: '/inbox',
    createdAt: occurredAt,
    sourceEventId: fact.eventId,
    correlationId: mail.mailId,
  };
}
