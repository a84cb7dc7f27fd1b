/**
 * The events notifications publishes, as named mappers: the inbox's counters after a delivery or a
 * read, so that other services can keep the Inbox count their pages show (ADR 0013).
 */
import type { EventDataInput } from '@fsp/shared/events/define';
import type { inboxItemDeliveredV1, inboxItemReadV1 } from '@fsp/shared/events/definitions/notifications';
import type { Mailbox } from '@fsp/shared/inbox/mailbox';
import type { NotificationDraft } from './notification';

/** The item delivered, and the mailbox's delivered count with it. */
export const inboxItemDeliveredData = (
  draft: Pick<NotificationDraft, 'mailbox' | 'notificationId'>,
  deliveredCount: number,
  at: Date,
): EventDataInput<typeof inboxItemDeliveredV1> => ({
  mailbox: draft.mailbox,
  deliveredCount,
  notificationId: draft.notificationId,
  at: at.toISOString(),
});

/** The item a worker read, and their read count in its mailbox with it. */
export const inboxItemReadData = (
  read: { userId: string; mailbox: Mailbox; notificationId: string },
  readCount: number,
  at: Date,
): EventDataInput<typeof inboxItemReadV1> => ({
  userId: read.userId,
  mailbox: read.mailbox,
  readCount,
  notificationId: read.notificationId,
  at: at.toISOString(),
});
