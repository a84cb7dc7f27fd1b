import {
  assessmentCompletedV1,
  caseAllocatedV1,
  caseClosedV1,
  caseOpenedV1,
  caseStatusChangedV1,
  caseTimescaleDueSoonV1,
  caseTimescaleMetV1,
  caseTimescaleOverdueV1,
} from '@fsp/shared/events/definitions/cases';
import {
  agencyOnboardedV1,
  agencyRevokedV1,
  referralDecidedV1,
  referralDecisionDueV1,
  referralDecisionOverdueV1,
  referralSubmittedV1,
} from '@fsp/shared/events/definitions/referrals';
import {
  supervisionActionAssignedV1,
  supervisionActionBecameOverdueV1,
  supervisionActionCompletedV1,
  supervisionActionDueSoonV1,
  supervisionBecameOverdueV1,
  supervisionDueSoonV1,
  supervisionHeldV1,
  supervisionScheduledV1,
} from '@fsp/shared/events/definitions/supervision';
import { patternFor, type ServiceManifest } from '@fsp/shared/manifest';
import { CONSUMER_TABLE_KEYS, tableKeys } from '@fsp/shared/table-keys';
import { WEBHOOK_DEAD_LETTERED } from './src/domain/alarmed-log-messages';
import { ESCALATION_WORKING_DAYS_ENV } from './src/escalation-config';
import { defaultRoute, routes } from './src/http/routes';
import {
  AGENCY_PROJECTION,
  CASE_PROGRESS,
  FRONT_DOOR_DESK,
  INBOX_READING,
  NOTIFICATION_DELIVERY,
  NOTIFYING_CONSUMER,
  PREFERENCES,
  REFERRAL_PROGRESS,
  TEAM_DESK,
  WEBHOOK_ATTEMPT,
} from './src/table-keys';
import { workerMailSchedules, workerMailSubscriptions } from './src/worker-mail-manifest';

/** Referrer emails come from this address: an SES verified identity in AWS (the address or its domain). */
const MAIL_FROM = 'referrals@fsp.example.gov.uk';

/**
 * Notifications: worker inboxes (team and personal mailboxes, per-person read state), the
 * referrer's email and partner webhooks. Each fact has its own subscription, queue and DLQ, so one
 * producer's poison message never holds up another's; each subscription reads one version of its
 * fact (ADR 0002). The routes are the declarations of src/http/routes.ts (data only: the CDK app
 * and the local cloud read this file without loading handler code); the HTTP function implements
 * those very objects.
 *
 * Each function declares the table partitions its own code reads, writes and deletes (ADR 0023),
 * from the parts in src/table-keys.ts; the pages function's are in src/http/routes.ts.
 */

/** A reminder or escalation of a case's timed thing: told only while it moves the thing on (src/consumers/timed-things.ts). */
const CASE_REMINDER = { readDirectory: true, tableKeys: tableKeys(NOTIFYING_CONSUMER, CASE_PROGRESS) };
/** A reminder or escalation of a referral's decision: the front door's desk, and told only while it moves the clock on. */
const DECISION_REMINDER = { readDirectory: true, tableKeys: tableKeys(NOTIFYING_CONSUMER, FRONT_DOOR_DESK, REFERRAL_PROGRESS) };
/** A fact that ends a case's timed thing: nothing more is told of it (src/consumers/timed-things-done.ts). */
const CASE_THING_DONE = { tableKeys: tableKeys(CONSUMER_TABLE_KEYS, { write: ['PROGRESS#CASE#*'] }) };

export const manifest: ServiceManifest = {
  name: 'notifications',
  directory: __dirname,
  http: {
    // The worker's inbox and preferences; the partner's agency (by client id), its webhook and rate-limit
    // counters; the admin lists of failed webhook deliveries and workers' emails (gsi1).
    function: {
      name: 'http',
      entry: 'src/entries/http.ts',
      permissions: {
        tableKeys: tableKeys(INBOX_READING, PREFERENCES, {
          read: ['CLIENT#*', 'WEBHOOK-DELIVERIES#*', 'WORKER-MAILS#failed'],
          write: ['AGENCY#*', 'RATE-LIMIT#*'],
        }),
      },
    },
    routes: Object.values(routes),
    // Every address no service has is "Page not found" here, never API Gateway's JSON (ADR 0013).
    defaultRoute,
  },
  /**
   * MoJ Frontend's styles and scripts for every worker page (shared/src/web/page.ts ASSET_PATHS.moj); a
   * prefix belongs to one service, and referrals serves govuk-frontend's.
   */
  assets: [{ urlPath: '/assets/moj', directory: 'node_modules/@ministryofjustice/frontend/moj' }],
  subscriptions: [
    {
      name: 'referral-submitted',
      function: {
        name: 'on-referral-submitted',
        entry: 'src/entries/on-referral-submitted.ts',
        // No idempotency records: its own writes make a repeat change nothing (src/consumers/referral-submitted.ts).
        permissions: { readDirectory: true, tableKeys: tableKeys(NOTIFICATION_DELIVERY, FRONT_DOOR_DESK) },
      },
      pattern: patternFor(referralSubmittedV1),
      // Every referral's item goes to the one front-door mailbox, whose counter each batch moves on
      // condition of the value it read: five batches at once mostly refused each other (138 of 234
      // transactions in a burst), and the retries took DynamoDB's time from intake. Two batches, the
      // least AWS allows, take more facts each and keep up (ADR 0033).
      maxConcurrency: 2,
    },
    {
      name: 'case-opened',
      function: {
        name: 'on-case-opened',
        entry: 'src/entries/on-case-opened.ts',
        // The referral's reference from the front door's desk, onto the team's.
        permissions: { readDirectory: true, tableKeys: tableKeys(NOTIFYING_CONSUMER, TEAM_DESK, { read: ['DESK#FRONT-DOOR'] }) },
      },
      pattern: patternFor(caseOpenedV1),
    },
    {
      // The allocated worker is told in their own mailbox, the worker it replaces that they are no longer on the
      // case; and who is allocated is kept (src/store/progress-store.ts) for status changes and supervision due.
      name: 'case-allocated',
      function: {
        name: 'on-case-allocated',
        entry: 'src/entries/on-case-allocated.ts',
        permissions: { readDirectory: true, tableKeys: tableKeys(NOTIFYING_CONSUMER, { write: ['PROGRESS#CASE#*'] }) },
      },
      pattern: patternFor(caseAllocatedV1),
    },
    {
      name: 'supervision-scheduled',
      function: {
        name: 'on-supervision-scheduled',
        entry: 'src/entries/on-supervision-scheduled.ts',
        permissions: { readDirectory: true, tableKeys: tableKeys(NOTIFYING_CONSUMER, TEAM_DESK) },
      },
      pattern: patternFor(supervisionScheduledV1),
    },
    {
      // The escalation goes to the team's managers as the directory lists them (the team's mailbox when it lists none).
      name: 'supervision-became-overdue',
      function: {
        name: 'on-supervision-became-overdue',
        entry: 'src/entries/on-supervision-became-overdue.ts',
        permissions: CASE_REMINDER,
      },
      pattern: patternFor(supervisionBecameOverdueV1),
    },
    {
      // The action's owner is told in their own mailbox.
      name: 'supervision-action-assigned',
      function: {
        name: 'on-supervision-action-assigned',
        entry: 'src/entries/on-supervision-action-assigned.ts',
        permissions: { readDirectory: true, tableKeys: NOTIFYING_CONSUMER },
      },
      pattern: patternFor(supervisionActionAssignedV1),
    },
    {
      // The owner, then (still open) the team's managers from the directory, who are told whose action it is.
      name: 'supervision-action-became-overdue',
      function: {
        name: 'on-supervision-action-became-overdue',
        entry: 'src/entries/on-supervision-action-became-overdue.ts',
        permissions: CASE_REMINDER,
      },
      pattern: patternFor(supervisionActionBecameOverdueV1),
    },
    {
      name: 'referral-decision-due',
      function: {
        name: 'on-referral-decision-due',
        entry: 'src/entries/on-referral-decision-due.ts',
        permissions: DECISION_REMINDER,
      },
      pattern: patternFor(referralDecisionDueV1),
    },
    {
      name: 'referral-decision-overdue',
      function: {
        name: 'on-referral-decision-overdue',
        entry: 'src/entries/on-referral-decision-overdue.ts',
        permissions: DECISION_REMINDER,
      },
      pattern: patternFor(referralDecisionOverdueV1),
    },
    {
      // Emails the form referrer (SES) and makes the first webhook attempt (up to 10 s) for partner referrals.
      name: 'referral-decided',
      function: {
        name: 'on-referral-decided',
        entry: 'src/entries/on-referral-decided.ts',
        timeoutSeconds: 30,
        // The only function that emails (src/adapters/ses-email-sender.ts). The referral leaves the front
        // door's desk and its decision clock; the agency's webhook is attempted; the referrer's email claimed once.
        permissions: {
          sendEmail: { from: MAIL_FROM },
          tableKeys: tableKeys(CONSUMER_TABLE_KEYS, FRONT_DOOR_DESK, REFERRAL_PROGRESS, WEBHOOK_ATTEMPT, {
            read: ['EMAIL#*'],
            write: ['EMAIL#*'],
          }),
        },
      },
      pattern: patternFor(referralDecidedV1),
    },
    {
      name: 'agency-onboarded',
      function: {
        name: 'on-agency-onboarded',
        entry: 'src/entries/on-agency-onboarded.ts',
        permissions: { tableKeys: tableKeys(CONSUMER_TABLE_KEYS, AGENCY_PROJECTION) },
      },
      pattern: patternFor(agencyOnboardedV1),
    },
    {
      name: 'agency-revoked',
      function: {
        name: 'on-agency-revoked',
        entry: 'src/entries/on-agency-revoked.ts',
        permissions: { tableKeys: tableKeys(CONSUMER_TABLE_KEYS, AGENCY_PROJECTION) },
      },
      pattern: patternFor(agencyRevokedV1),
    },
    // Issue 15 Deliver 1–2: reminders told only while they move their thing on (src/domain/progress.ts),
    // escalations recorded for the service manager, and the facts that end a thing.
    {
      // Each worker allocated to the case (the team before anyone is).
      name: 'case-status-changed',
      function: {
        name: 'on-case-status-changed',
        entry: 'src/entries/on-case-status-changed.ts',
        // Who is allocated to the case (its PROGRESS#CASE# partition's ALLOC# items).
        permissions: { readDirectory: true, tableKeys: tableKeys(NOTIFYING_CONSUMER, { read: ['PROGRESS#CASE#*'] }) },
      },
      pattern: patternFor(caseStatusChangedV1),
    },
    {
      name: 'supervision-due-soon',
      function: { name: 'on-supervision-due-soon', entry: 'src/entries/on-supervision-due-soon.ts', permissions: CASE_REMINDER },
      pattern: patternFor(supervisionDueSoonV1),
    },
    {
      name: 'supervision-action-due-soon',
      function: {
        name: 'on-supervision-action-due-soon',
        entry: 'src/entries/on-supervision-action-due-soon.ts',
        permissions: CASE_REMINDER,
      },
      pattern: patternFor(supervisionActionDueSoonV1),
    },
    {
      // The case's social worker.
      name: 'case-timescale-due-soon',
      function: {
        name: 'on-case-timescale-due-soon',
        entry: 'src/entries/on-case-timescale-due-soon.ts',
        permissions: CASE_REMINDER,
      },
      pattern: patternFor(caseTimescaleDueSoonV1),
    },
    {
      // The social worker, and an escalation to each of the team's managers (the directory's).
      name: 'case-timescale-overdue',
      function: {
        name: 'on-case-timescale-overdue',
        entry: 'src/entries/on-case-timescale-overdue.ts',
        permissions: CASE_REMINDER,
      },
      pattern: patternFor(caseTimescaleOverdueV1),
    },
    {
      name: 'case-timescale-met',
      function: { name: 'on-case-timescale-met', entry: 'src/entries/on-case-timescale-met.ts', permissions: CASE_THING_DONE },
      pattern: patternFor(caseTimescaleMetV1),
    },
    {
      name: 'assessment-completed',
      function: { name: 'on-assessment-completed', entry: 'src/entries/on-assessment-completed.ts', permissions: CASE_THING_DONE },
      pattern: patternFor(assessmentCompletedV1),
    },
    {
      name: 'supervision-held',
      function: { name: 'on-supervision-held', entry: 'src/entries/on-supervision-held.ts', permissions: CASE_THING_DONE },
      pattern: patternFor(supervisionHeldV1),
    },
    {
      name: 'supervision-action-completed',
      function: {
        name: 'on-supervision-action-completed',
        entry: 'src/entries/on-supervision-action-completed.ts',
        permissions: CASE_THING_DONE,
      },
      pattern: patternFor(supervisionActionCompletedV1),
    },
    {
      name: 'case-closed',
      // Every thing of the case done (a Query of its partition), and the case marked closed.
      function: {
        name: 'on-case-closed',
        entry: 'src/entries/on-case-closed.ts',
        permissions: { tableKeys: tableKeys(CONSUMER_TABLE_KEYS, CASE_PROGRESS) },
      },
      pattern: patternFor(caseClosedV1),
    },
    ...workerMailSubscriptions,
  ],
  schedules: [
    {
      // Webhook retries: claims due deliveries (gsi1) and attempts them; backoff spans 24 hours, beyond what SQS can hold.
      name: 'webhook-retries',
      function: {
        name: 'webhook-sweep',
        entry: 'src/entries/webhook-sweep.ts',
        timeoutSeconds: 60,
        permissions: { tableKeys: tableKeys(WEBHOOK_ATTEMPT, { read: ['WEBHOOK-DELIVERIES#pending'] }) },
      },
      expression: 'rate(1 minute)',
    },
    {
      // Breaches still open SERVICE_MANAGER_ESCALATION_WORKING_DAYS working days after the team's managers were told go to
      // the service manager(s): a Query of the due ones on gsi1, never a Scan.
      name: 'service-manager-escalations',
      function: {
        name: 'service-manager-sweep',
        entry: 'src/entries/service-manager-sweep.ts',
        timeoutSeconds: 60,
        // The due breaches (gsi1 PROGRESS#ESCALATIONS), each thing re-read and marked escalated, of a case or a referral.
        permissions: { readDirectory: true, tableKeys: tableKeys(NOTIFICATION_DELIVERY, { read: ['PROGRESS#*'], write: ['PROGRESS#*'] }) },
      },
      expression: 'rate(15 minutes)',
    },
    ...workerMailSchedules,
  ],
  /** The inbox's counters after each delivery and read: other services' pages show the Inbox count from them (ADR 0013). */
  publishes: ['InboxItemDelivered', 'InboxItemRead'],
  environment: {
    // The front-door team receives every new referral (the local cloud's demo front-door worker is in it).
    FRONT_DOOR_TEAM_ID: 'front-door',
    MAIL_FROM,
    // Requests per partner agency per minute to this service's partner routes (shared/rate-limit), as in referrals.
    PARTNER_RATE_LIMIT_PER_MINUTE: '1200',
    // A breach told to the team's managers and still open this many working days later goes to the service manager.
    [ESCALATION_WORKING_DAYS_ENV]: '5',
  },
  logAlarms: [
    {
      name: 'webhook-dead-lettered',
      // Both run attemptDelivery; in practice only the sweep reaches the 24-hour limit.
      functions: ['webhook-sweep', 'on-referral-decided'],
      level: 'ERROR',
      message: WEBHOOK_DEAD_LETTERED,
      description:
        "A partner agency's webhook delivery failed for 24 hours and was dead-lettered: the agency will not hear of a decision. List them at GET /api/admin/webhook-deliveries?status=dead and contact the agency.",
    },
  ],
};
