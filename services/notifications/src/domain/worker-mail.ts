/**
 * Workers' email (issue 15, Deliver 3–5): what is recorded when a delivered notification should also
 * reach its recipient by email, at once or in their daily digest. Pure types and rules; the store is
 * src/store/worker-mail-store.ts.
 */
import type { NotificationKind } from './notification';

export const MAIL_MODES = ['immediate', 'digest'] as const;
export type MailMode = (typeof MAIL_MODES)[number];

/** One notification, to be emailed to one worker: at once, or in the digest at `sendAt`. */
export interface WorkerMailIntent {
  /** The inbox item it tells of; with `userId` and `mode`, the intent's identity (a repeat is a no-op). */
  notificationId: string;
  /** The recipient (the directory's `sub`): their address is read from the directory when it is sent. */
  userId: string;
  mode: MailMode;
  /** UTC ISO instant from which it may be sent: the fact's time (immediate), or the digest moment the recipient chose. */
  sendAt: string;
  kind: NotificationKind;
  /** The inbox item's title: the case by its reference, never a family member's name. */
  title: string;
  /** A path in the workers' web app. */
  link: string;
  reference?: string;
  /** Due today, overdue or escalated (domain/inbox-filter.ts): the digest puts these first. */
  urgent: boolean;
  /** When the fact happened (the inbox item's createdAt). */
  createdAt: string;
}

/** Where delivery records what is to be emailed (implemented by src/store/worker-mail-store.ts). */
export interface WorkerMailIntents {
  /** Records each intent once; recording the same (notificationId, userId, mode) again changes nothing. */
  record(intents: readonly WorkerMailIntent[], now: Date): Promise<void>;
}
