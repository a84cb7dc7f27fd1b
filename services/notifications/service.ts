import type { ServiceManifest } from '@fsp/shared/manifest';

/** Subscribes to one version of each fact (ADR 0002): a v2 gets its own subscription when this service reads it. */
const factPattern = (source: string, detailType: string) => ({
  source: [source],
  'detail-type': [detailType],
  detail: { metadata: { schemaVersion: [1] } },
});

/**
 * Notifications: worker inboxes (team and personal mailboxes, per-person read state). Each fact
 * has its own subscription, queue and DLQ, so one producer's poison message never holds up another's.
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
      pattern: factPattern('fsp.referrals', 'ReferralSubmitted'),
    },
    {
      name: 'case-opened',
      function: { name: 'on-case-opened', entry: 'src/handlers/on-case-opened.ts' },
      pattern: factPattern('fsp.cases', 'CaseOpened'),
    },
    {
      name: 'supervision-scheduled',
      function: { name: 'on-supervision-scheduled', entry: 'src/handlers/on-supervision-scheduled.ts' },
      pattern: factPattern('fsp.supervision', 'SupervisionScheduled'),
    },
  ],
  schedules: [],
  publishes: [],
  environment: {
    // The front-door team receives every new referral (the local cloud's demo front-door worker is in it).
    FRONT_DOOR_TEAM_ID: 'front-door',
  },
};
