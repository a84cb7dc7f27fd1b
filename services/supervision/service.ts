import { caseAllocatedV1, caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { inboxChangedSubscription } from '@fsp/shared/inbox/subscription';
import { patternFor, type ServiceManifest } from '@fsp/shared/manifest';
import { routes } from './src/http/routes';

/**
 * Monthly group supervision of every open case. The routes are the declarations of
 * src/http/routes.ts (data only: the CDK app and the local cloud read this file without loading
 * handler code); the HTTP function implements those very objects.
 */
export const manifest: ServiceManifest = {
  name: 'supervision',
  directory: __dirname,
  http: {
    function: { name: 'http', entry: 'src/entries/http.ts' },
    routes: Object.values(routes),
  },
  subscriptions: [
    {
      name: 'case-opened',
      function: { name: 'on-case-opened', entry: 'src/entries/on-case-opened.ts' },
      pattern: patternFor(caseOpenedV1),
    },
    {
      // The first group supervision is scheduled at the case's first social worker (DOMAIN.md, ADR 0014 §3).
      name: 'case-allocated',
      function: { name: 'on-case-allocated', entry: 'src/entries/on-case-allocated.ts' },
      pattern: patternFor(caseAllocatedV1),
    },
    // The Inbox count on this service's pages (ADR 0013), kept from notifications' events.
    inboxChangedSubscription,
  ],
  schedules: [],
  publishes: ['SupervisionScheduled'],
};
