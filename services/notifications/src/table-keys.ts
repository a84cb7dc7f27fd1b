/**
 * The parts notifications' functions declare their table access from (`permissions.tableKeys`, ADR
 * 0023), each what one store's calls need, named after the partitions of src/store/*.ts. Each
 * function in service.ts (and `pages` in src/http/routes.ts) takes only the parts its code calls;
 * the local cloud's table guard refuses anything else, as IAM does in AWS. Data only: the manifest
 * reads it without loading handler code.
 */
import { CONSUMER_TABLE_KEYS, OUTBOX_TABLE_KEYS, type TableKeys, tableKeys } from '@fsp/shared/table-keys';

/**
 * Delivering an item to a mailbox (inbox-store `deliver`, `deliveredIdOf`): the mailbox's counter
 * and a fact's marker read, the item, counter and marker written, InboxItemDelivered put in the
 * outbox in the same transaction.
 */
export const INBOX_DELIVERY: TableKeys = tableKeys(OUTBOX_TABLE_KEYS, { read: ['MAILBOX#*'], write: ['MAILBOX#*'] });

/**
 * A consumer's delivery of the drafts of one fact (src/consumers/inbox-delivery.ts): the inbox, the
 * recipient's saved preference, and what is to be emailed to them (worker-mail-store `record`).
 */
export const NOTIFICATION_DELIVERY: TableKeys = tableKeys(INBOX_DELIVERY, { read: ['PREFERENCES#*'], write: ['WORKER-MAIL#*'] });

/** A consumer that tells people: its exactly-once records (shared/consumer) and its delivery. */
export const NOTIFYING_CONSUMER: TableKeys = tableKeys(CONSUMER_TABLE_KEYS, NOTIFICATION_DELIVERY);

/**
 * A worker's own inbox (inbox-store `inboxPage`, `unreadCount`, `markRead`, `markAllRead`): both
 * mailboxes and their counters read, their own receipts, read counters and "mark all as read" marks
 * read and written, InboxItemRead put in the outbox.
 */
export const INBOX_READING: TableKeys = tableKeys(OUTBOX_TABLE_KEYS, { read: ['MAILBOX#*', 'READER#*'], write: ['READER#*'] });

/** A worker's notification preference, read and saved (preferences-store). */
export const PREFERENCES: TableKeys = { read: ['PREFERENCES#*'], write: ['PREFERENCES#*'] };

/**
 * A case's timed things, its closure and who is allocated (progress-store, pk PROGRESS#CASE#…): a
 * reminder's update checks in the same transaction that the case is not closed (ConditionCheck,
 * a read); the allocations are queried.
 */
export const CASE_PROGRESS: TableKeys = { read: ['PROGRESS#CASE#*'], write: ['PROGRESS#CASE#*'] };

/** A referral's decision clock (progress-store, pk PROGRESS#REFERRAL#…): updates only, no case to check. */
export const REFERRAL_PROGRESS: TableKeys = { write: ['PROGRESS#REFERRAL#*'] };

/** The front door's desk (desk-store): the referrals awaiting a decision, one partition. */
export const FRONT_DOOR_DESK: TableKeys = { write: ['DESK#FRONT-DOOR'] };

/** A team's desk (desk-store): the cases opened for it and its supervisions. */
export const TEAM_DESK: TableKeys = { write: ['DESK#TEAM#*'] };

/** The agency projection and webhooks (agency-store): agencies by id and by their API client's id. */
export const AGENCY_PROJECTION: TableKeys = { write: ['AGENCY#*', 'CLIENT#*'] };

/**
 * Attempting a claimed webhook delivery (src/consumers/webhook-attempt.ts): the agency and its
 * webhook read (one Query of its partition), the delivery's outcome written.
 */
export const WEBHOOK_ATTEMPT: TableKeys = { read: ['AGENCY#*'], write: ['WEBHOOK-DELIVERY#*'] };
