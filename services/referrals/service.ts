import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import { type FunctionEntry, patternFor, type ServiceManifest } from '@fsp/shared/manifest';

/**
 * One HTTP function per audience (src/handlers/api.ts), so that each cold start loads only what
 * its audience uses: the front door's (the default `http`), partner agencies' systems, the public
 * (the referral form and the OpenAPI document), and administrators.
 */
const partnerApi: FunctionEntry = { name: 'partner-api', entry: 'src/handlers/partner-http.ts' };
const publicPages: FunctionEntry = { name: 'public', entry: 'src/handlers/public-http.ts' };
/** Creates, rotates and deletes partner agencies' app clients in the platform user pool: the only function that may. */
const admin: FunctionEntry = { name: 'admin', entry: 'src/handlers/admin-http.ts', permissions: { cognitoUserPoolClients: true } };

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
      { method: 'GET', path: '/v1/openapi.json', auth: { kind: 'public' }, function: publicPages },
      { method: 'POST', path: '/v1/referrals', auth: { kind: 'partner', scopes: ['referrals/submit'] }, function: partnerApi },
      { method: 'GET', path: '/v1/referrals/{id}', auth: { kind: 'partner', scopes: ['referrals/read'] }, function: partnerApi },
      { method: 'GET', path: '/v1/referrals', auth: { kind: 'partner', scopes: ['referrals/read'] }, function: partnerApi },
      { method: 'GET', path: '/front-door/referrals', auth: { kind: 'worker' } },
      { method: 'GET', path: '/front-door/referrals/{referralId}', auth: { kind: 'worker' } },
      { method: 'POST', path: '/front-door/referrals/{referralId}/screening', auth: { kind: 'worker' } },
      { method: 'POST', path: '/front-door/referrals/{referralId}/decision', auth: { kind: 'worker' } },
      { method: 'POST', path: '/admin/agencies', auth: { kind: 'worker' }, function: admin },
      { method: 'GET', path: '/admin/agencies', auth: { kind: 'worker' }, function: admin },
      { method: 'GET', path: '/admin/agencies/{agencyId}', auth: { kind: 'worker' }, function: admin },
      { method: 'POST', path: '/admin/agencies/{agencyId}/credentials', auth: { kind: 'worker' }, function: admin },
      { method: 'DELETE', path: '/admin/agencies/{agencyId}/credentials/{secretId}', auth: { kind: 'worker' }, function: admin },
      { method: 'POST', path: '/admin/agencies/{agencyId}/revoke', auth: { kind: 'worker' }, function: admin },
      // The public referral form (routes/form.ts).
      { method: 'GET', path: '/refer', auth: { kind: 'public' }, function: publicPages },
      { method: 'GET', path: '/refer/confirmation', auth: { kind: 'public' }, function: publicPages },
      { method: 'GET', path: '/refer/{step}', auth: { kind: 'public' }, function: publicPages },
      { method: 'POST', path: '/refer/{step}', auth: { kind: 'public' }, function: publicPages },
    ],
  },
  /** The referral form's GOV.UK styles, scripts, fonts and images (fonts and images where govuk-frontend's CSS expects them). */
  assets: [
    { urlPath: '/assets/frontend', directory: 'node_modules/govuk-frontend/dist/govuk' },
    { urlPath: '/assets', directory: 'node_modules/govuk-frontend/dist/govuk/assets' },
  ],
  subscriptions: [
    {
      // The known-family check, just after intake, so that submitting stays one round trip.
      name: 'known-family-check',
      function: { name: 'on-referral-submitted', entry: 'src/handlers/on-referral-submitted.ts' },
      pattern: patternFor(referralSubmittedV1),
    },
    {
      // The known-family check shows the case opened from an earlier referral.
      name: 'case-opened',
      function: { name: 'on-case-opened', entry: 'src/handlers/on-case-opened.ts' },
      pattern: patternFor(caseOpenedV1),
    },
  ],
  schedules: [
    {
      // ReferralDecisionDue from 12:00 London on the due day, ReferralDecisionOverdue after the
      // deadline, each once per referral; every 15 minutes, so each is at most 15 minutes late.
      name: 'decision-reminders',
      function: { name: 'decision-reminders', entry: 'src/handlers/on-decision-reminders.ts' },
      expression: 'rate(15 minutes)',
    },
  ],
  publishes: [
    'ReferralSubmitted',
    'ReferralDecided',
    'ReferralAccepted',
    'ReferralDecisionDue',
    'ReferralDecisionOverdue',
    'AgencyOnboarded',
    'AgencyRevoked',
  ],
  /** Requests per partner agency per minute, all partner routes together (rate-limit-store.ts validates it). */
  environment: { PARTNER_RATE_LIMIT_PER_MINUTE: '1200' },
};
