import { CONSUMER_TABLE_KEYS, OUTBOX_TABLE_KEYS, tableKeys } from '@fsp/shared/table-keys';

/**
 * Notifications' partitions, given to each of its functions (ADR 0023, "Not yet": not declared
 * function by function): inboxes and read state, the desk and progress indexes, agencies and their
 * webhooks, referrers' email, workers' email, preferences, and the consumers' records and outbox.
 */
const NOTIFICATIONS_PARTITIONS = [
  'MAILBOX#*',
  'READER#*',
  'DESK#*',
  'PROGRESS#*',
  'CASE#*',
  'AGENCY#*',
  'CLIENT#*',
  'WEBHOOK-DELIVERY#*',
  'WEBHOOK-DELIVERIES#*',
  'EMAIL#*',
  'WORKER-MAIL#*',
  'WORKER-MAIL-SEND#*',
  'WORKER-MAILS#*',
  'WORKER-MAIL-INTENTS#*',
  'PREFERENCES#*',
  'RATE-LIMIT#*',
  'INBOX#*',
];
export const NOTIFICATIONS_TABLE_KEYS = tableKeys(CONSUMER_TABLE_KEYS, OUTBOX_TABLE_KEYS, {
  read: NOTIFICATIONS_PARTITIONS,
  write: NOTIFICATIONS_PARTITIONS,
  delete: NOTIFICATIONS_PARTITIONS,
});
