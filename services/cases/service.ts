import { referralAcceptedV1 } from '@fsp/shared/events/definitions/referrals';
import { supervisionHeldV1 } from '@fsp/shared/events/definitions/supervision';
import { inboxChangedSubscription } from '@fsp/shared/inbox/subscription';
import { patternFor, type ServiceManifest } from '@fsp/shared/manifest';
import { CONSUMER_TABLE_KEYS, OUTBOX_TABLE_KEYS, tableKeys } from '@fsp/shared/table-keys';
import { CASE_WORK, routes } from './src/http/routes';

/**
 * Case records opened from accepted referrals, with their chronology. The routes are declared once,
 * as data, in src/http/routes.ts (the CDK app and the local cloud read this file without loading
 * handler code); src/http/workers.ts implements those very objects.
 */
export const manifest: ServiceManifest = {
  name: 'cases',
  directory: __dirname,
  http: {
    // Reads the directory (the team's workers) to allocate a case.
    function: {
      name: 'http',
      entry: 'src/entries/http.ts',
      permissions: { readDirectory: true, tableKeys: tableKeys(OUTBOX_TABLE_KEYS, CASE_WORK) },
    },
    routes: Object.values(routes),
  },
  subscriptions: [
    {
      name: 'referral-accepted',
      function: {
        name: 'on-referral-accepted',
        entry: 'src/entries/on-referral-accepted.ts',
        // Opens the case (one per referral: the REFERRAL# link), its first timers and its events.
        permissions: {
          tableKeys: tableKeys(CONSUMER_TABLE_KEYS, OUTBOX_TABLE_KEYS, {
            read: ['CASE#*', 'REFERRAL#*'],
            write: ['CASE#*', 'REFERRAL#*', 'TIMER'],
          }),
        },
      },
      pattern: patternFor(referralAcceptedV1),
    },
    {
      // Each group supervision held, into the case's chronology, and its rating onto the overview.
      name: 'supervision-held',
      function: {
        name: 'on-supervision-held',
        entry: 'src/entries/on-supervision-held.ts',
        permissions: { tableKeys: tableKeys(CONSUMER_TABLE_KEYS, OUTBOX_TABLE_KEYS, { read: ['CASE#*'], write: ['CASE#*'] }) },
      },
      pattern: patternFor(supervisionHeldV1),
    },
    // The Inbox count on this service's pages (ADR 0013), kept from notifications' events.
    inboxChangedSubscription,
  ],
  schedules: [
    {
      // CaseTimescaleDueSoon and CaseTimescaleOverdue (the assessment, initial conferences, CP reviews),
      // each once, from the timers due; every 15 minutes, so each is at most 15 minutes late (ADR 0016).
      name: 'case-timescales',
      function: {
        name: 'case-timescales',
        entry: 'src/entries/case-timescales.ts',
        // The timers due (pk TIMER), each fired once on its case, with its events.
        permissions: {
          tableKeys: tableKeys(OUTBOX_TABLE_KEYS, { read: ['TIMER', 'CASE#*'], write: ['TIMER', 'CASE#*'], delete: ['TIMER'] }),
        },
      },
      expression: 'rate(15 minutes)',
    },
  ],
  publishes: [
    'CaseOpened',
    'CaseAllocated',
    'CaseChronologyEntryAdded',
    'CaseStatusChanged',
    'AssessmentCompleted',
    'CaseClosed',
    'CaseTimescaleDueSoon',
    'CaseTimescaleOverdue',
    'CaseTimescaleMet',
  ],
};
