import { caseAllocatedV1, caseChronologyEntryAddedV1, caseClosedV1, caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { inboxChangedSubscription } from '@fsp/shared/inbox/subscription';
import { patternFor, type ServiceManifest } from '@fsp/shared/manifest';
import { CONSUMER_TABLE_KEYS, OUTBOX_TABLE_KEYS, tableKeys } from '@fsp/shared/table-keys';
import { routes, SUPERVISION_WORK } from './src/http/routes';

/** A case event's copy kept per case (store/case-event-writes.ts), its timers, and the events it leads to. */
const CASE_EVENT_CONSUMER = {
  tableKeys: tableKeys(CONSUMER_TABLE_KEYS, OUTBOX_TABLE_KEYS, {
    read: ['CASE#*', 'TIMER'],
    write: ['CASE#*', 'TIMER'],
    delete: ['TIMER'],
  }),
};

/**
 * Monthly group supervision of every open case. The routes are the declarations of
 * src/http/routes.ts (data only: the CDK app and the local cloud read this file without loading
 * handler code); the HTTP function implements those very objects.
 */
export const manifest: ServiceManifest = {
  name: 'supervision',
  directory: __dirname,
  http: {
    // Reads the directory: the names of the case's workers and of actions' owners.
    function: {
      name: 'http',
      entry: 'src/entries/http.ts',
      permissions: { readDirectory: true, tableKeys: tableKeys(OUTBOX_TABLE_KEYS, SUPERVISION_WORK) },
    },
    routes: Object.values(routes),
  },
  subscriptions: [
    {
      name: 'case-opened',
      function: { name: 'on-case-opened', entry: 'src/entries/on-case-opened.ts', permissions: CASE_EVENT_CONSUMER },
      pattern: patternFor(caseOpenedV1),
    },
    {
      // The first group supervision is scheduled at the case's first social worker (DOMAIN.md, ADR 0014 §3).
      name: 'case-allocated',
      function: { name: 'on-case-allocated', entry: 'src/entries/on-case-allocated.ts', permissions: CASE_EVENT_CONSUMER },
      pattern: patternFor(caseAllocatedV1),
    },
    {
      // What changed since the case was last discussed, on its scheduled supervision's agenda (ADR 0015 §6).
      name: 'case-chronology',
      function: { name: 'on-case-chronology', entry: 'src/entries/on-case-chronology.ts', permissions: CASE_EVENT_CONSUMER },
      pattern: patternFor(caseChronologyEntryAddedV1),
    },
    {
      // A closed case's scheduled supervision is cancelled and nothing more is scheduled (ADR 0015 §8).
      name: 'case-closed',
      function: { name: 'on-case-closed', entry: 'src/entries/on-case-closed.ts', permissions: CASE_EVENT_CONSUMER },
      pattern: patternFor(caseClosedV1),
    },
    // The Inbox count on this service's pages (ADR 0013), kept from notifications' events.
    inboxChangedSubscription,
  ],
  schedules: [
    {
      // SupervisionDueSoon, SupervisionActionDueSoon, SupervisionBecameOverdue and
      // SupervisionActionBecameOverdue (owner, then team manager), each once, from the timers due;
      // every 15 minutes, so each is at most 15 minutes late.
      name: 'supervision-timescales',
      function: {
        name: 'supervision-timescales',
        entry: 'src/entries/supervision-timescales.ts',
        permissions: {
          tableKeys: tableKeys(OUTBOX_TABLE_KEYS, { read: ['TIMER', 'CASE#*', 'TEAM#*'], write: ['TIMER', 'CASE#*'], delete: ['TIMER'] }),
        },
      },
      expression: 'rate(15 minutes)',
    },
  ],
  publishes: [
    'SupervisionScheduled',
    'SupervisionHeld',
    'SupervisionBecameOverdue',
    'SupervisionActionAssigned',
    'SupervisionActionCompleted',
    'SupervisionActionBecameOverdue',
    'SupervisionDueSoon',
    'SupervisionActionDueSoon',
  ],
};
