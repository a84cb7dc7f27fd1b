/**
 * The manifest entries of workers' email (issue 15: immediate email, the daily digest, retries): data
 * only, spread into service.ts, so that the CDK app and the local cloud read them without handler code.
 * ADR 0019 says what AWS must add around them (an SES configuration set publishing to EventBridge,
 * and a rule bringing its `aws.ses` events to the platform bus).
 */
import type { Schedule, Subscription } from '@fsp/shared/manifest';
import { tableKeys } from '@fsp/shared/table-keys';
import { INBOX_DELIVERY } from './table-keys';

/** Workers' email comes from this address: an SES verified identity in AWS (the address or its domain). */
export const WORKER_MAIL_FROM = 'notifications@fsp.example.gov.uk';

/** SES's events for workers' email (Send, Bounce), matched by the tag each email carries (src/schedules/worker-mail.ts). */
export const workerMailSubscriptions: readonly Subscription[] = [
  {
    name: 'worker-mail-ses-events',
    // The mail the token names, read and updated; a last bounce told in the worker's inbox. No idempotency
    // records: each write is conditional (src/schedules/worker-mail-ses-events.ts).
    function: {
      name: 'worker-mail-ses-events',
      entry: 'src/entries/worker-mail-ses-events.ts',
      permissions: { tableKeys: tableKeys(INBOX_DELIVERY, { read: ['WORKER-MAIL-SEND#*'], write: ['WORKER-MAIL-SEND#*'] }) },
    },
    pattern: {
      source: ['aws.ses'],
      'detail-type': ['Email Sent', 'Email Bounced'],
      detail: { mail: { tags: { 'fsp-worker-mail': [{ exists: true }] } } },
    },
  },
];

export const workerMailSchedules: readonly Schedule[] = [
  {
    // Gathers due intents into mails (gsi1, never a Scan) and sends each mail once; retries refusals and bounces.
    name: 'worker-mail',
    function: {
      name: 'worker-mail',
      entry: 'src/entries/worker-mail.ts',
      timeoutSeconds: 60,
      // The due intents and mails (gsi1), the intents gathered into mails, each mail claimed and its attempts
      // recorded; a mail that fails for good told in the worker's inbox.
      permissions: {
        readDirectory: true,
        sendEmail: { from: WORKER_MAIL_FROM, sesEvents: true },
        tableKeys: tableKeys(INBOX_DELIVERY, {
          read: ['WORKER-MAIL-INTENTS#due', 'WORKER-MAILS#due'],
          write: ['WORKER-MAIL#*', 'WORKER-MAIL-SEND#*'],
        }),
      },
    },
    expression: 'rate(1 minute)',
  },
];
