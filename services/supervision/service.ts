import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { patternFor, type ServiceManifest } from '@fsp/shared/manifest';

/**
 * Monthly group supervision of every open case. The routes are listed as data (the CDK app and the
 * local cloud read this file without loading handler code); a test holds them equal to the routes
 * the HTTP function serves.
 */
export const manifest: ServiceManifest = {
  name: 'supervision',
  directory: __dirname,
  http: {
    function: { name: 'http', entry: 'src/handlers/http.ts' },
    routes: [
      { method: 'GET', path: '/supervision/cases/{caseId}', auth: { kind: 'worker' } },
      { method: 'GET', path: '/supervision/teams/{teamId}/agenda', auth: { kind: 'worker' } },
    ],
  },
  subscriptions: [
    {
      name: 'case-opened',
      function: { name: 'on-case-opened', entry: 'src/handlers/on-case-opened.ts' },
      pattern: patternFor(caseOpenedV1),
    },
  ],
  schedules: [],
  publishes: ['SupervisionScheduled'],
};
