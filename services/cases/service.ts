import { referralAcceptedV1 } from '@fsp/shared/events/definitions/referrals';
import { patternFor, type ServiceManifest } from '@fsp/shared/manifest';

/**
 * Case records opened from accepted referrals, with their chronology. The routes are listed as
 * data (the CDK app and the local cloud read this file without loading handler code); a test holds
 * them equal to the routes the HTTP function serves.
 */
export const manifest: ServiceManifest = {
  name: 'cases',
  directory: __dirname,
  http: {
    function: { name: 'http', entry: 'src/handlers/http.ts' },
    routes: [
      { method: 'GET', path: '/cases/{caseId}', auth: { kind: 'worker' } },
      { method: 'GET', path: '/cases', auth: { kind: 'worker' } },
    ],
  },
  subscriptions: [
    {
      name: 'referral-accepted',
      function: { name: 'on-referral-accepted', entry: 'src/handlers/on-referral-accepted.ts' },
      pattern: patternFor(referralAcceptedV1),
    },
  ],
  schedules: [],
  publishes: ['CaseOpened'],
};
