import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import { patternFor, type ServiceManifest } from '@fsp/shared/manifest';

/**
 * Notifications: worker inboxes (team and personal mailboxes, per-person read state). Each fact
 * has its own subscription, queue and DLQ, so one producer's poison message never holds up another's.
 * Each subscription reads one version of its fact (ADR 0002).
 */
export const manifest: ServiceManifest = {
  name: 'notifications',
  directory: __dirname,
  http: {
    function: { name: 'http', entry: 'src/handlers/http.ts' },
    routes: [
      { method: 'GET', path: '/inbox', auth: { kind: 'worker' } },
      { method: 'GET', path: '/inbox/unread-count', auth: { kind: 'worker' } },
      { method: 'POST', path: '/inbox/{notificationId}/read', auth: { kind: 'worker' } },
    ],
  },
  subscriptions: [
    {
      name: 'referral-submitted',
      function: { name: 'on-referral-submitted', entry: 'src/handlers/on-referral-submitted.ts' },
      pattern: patternFor(referralSubmittedV1),
    },
    {
      name: 'case-opened',
      function: { name: 'on-case-opened', entry: 'src/handlers/on-case-opened.ts' },
      pattern: patternFor(caseOpenedV1),
    },
    {
      name: 'supervision-scheduled',
      function: { name: 'on-supervision-scheduled', entry: 'src/handlers/on-supervision-scheduled.ts' },
      pattern: patternFor(supervisionScheduledV1),
    },
  ],
  schedules: [],
  publishes: [],
  environment: {
    // The front-door team receives every new referral (the local cloud's demo front-door worker is in it).
    FRONT_DOOR_TEAM_ID: 'front-door',
  },
};
