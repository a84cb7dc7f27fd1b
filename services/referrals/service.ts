import type { ServiceManifest } from '@fsp/shared/manifest';

/**
 * Intake: partner agencies (and, with the web form, anyone) submit referrals; the front door
 * decides each within one working day. Publishes the facts the rest of the platform acts on.
 * The routes here are the handler's routes (a test compares them), listed by hand so that reading
 * the wiring loads no handler code.
 */
export const manifest: ServiceManifest = {
  name: 'referrals',
  directory: __dirname,
  http: {
    function: { name: 'http', entry: 'src/handlers/http.ts' },
    routes: [
      { method: 'POST', path: '/v1/referrals', auth: { kind: 'partner', scopes: ['referrals/submit'] } },
      { method: 'GET', path: '/front-door/referrals', auth: { kind: 'worker' } },
      { method: 'GET', path: '/front-door/referrals/{referralId}', auth: { kind: 'worker' } },
      { method: 'POST', path: '/front-door/referrals/{referralId}/decision', auth: { kind: 'worker' } },
    ],
  },
  subscriptions: [],
  schedules: [],
  publishes: ['ReferralSubmitted', 'ReferralDecided', 'ReferralAccepted'],
};
