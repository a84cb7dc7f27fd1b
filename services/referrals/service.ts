import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import { inboxChangedSubscription } from '@fsp/shared/inbox/subscription';
import { patternFor, type ServiceManifest } from '@fsp/shared/manifest';
import { CONSUMER_TABLE_KEYS, OUTBOX_TABLE_KEYS, tableKeys } from '@fsp/shared/table-keys';
import { FRONT_DOOR_WORK, routes } from './src/http/routes';

/**
 * Intake: partner agencies (and, with the web form, anyone) submit referrals; the front door
 * decides each within one working day. Publishes the facts the rest of the platform acts on.
 * The routes are the declarations of src/http/routes.ts (data only: the CDK app and the local
 * cloud read this file without loading handler code), one HTTP function per audience: the front
 * door's JSON API (the default `http`) and its pages (`pages`), partner agencies' systems
 * (`partner-api`), the public (`public`: the referral form and the OpenAPI document) and
 * administrators (`admin`).
 */
export const manifest: ServiceManifest = {
  name: 'referrals',
  directory: __dirname,
  http: {
    function: { name: 'http', entry: 'src/entries/http.ts', permissions: { tableKeys: tableKeys(OUTBOX_TABLE_KEYS, FRONT_DOOR_WORK) } },
    routes: Object.values(routes),
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
      // It hashes the new referral's match keys to look the family up (ADR 0021).
      function: {
        name: 'on-referral-submitted',
        entry: 'src/entries/on-referral-submitted.ts',
        // Looks the children up in the index, reads the matched referrals, records the matches on the new one.
        permissions: {
          readMatchKeys: true,
          // No idempotency records: its update is conditional (src/consumers/known-family-check.ts).
          tableKeys: { read: ['FAMILY#*', 'REFERRAL#*'], write: ['REFERRAL#*'] },
        },
      },
      pattern: patternFor(referralSubmittedV1),
    },
    {
      // The known-family check shows the case opened from an earlier referral.
      name: 'case-opened',
      function: {
        name: 'on-case-opened',
        entry: 'src/entries/on-case-opened.ts',
        permissions: { tableKeys: tableKeys(CONSUMER_TABLE_KEYS, { read: ['REFERRAL#*'], write: ['REFERRAL#*'] }) },
      },
      pattern: patternFor(caseOpenedV1),
    },
    // The Inbox count on this service's pages (ADR 0013), kept from notifications' events.
    inboxChangedSubscription,
  ],
  schedules: [
    {
      // ReferralDecisionDue from 12:00 London on the due day, ReferralDecisionOverdue after the
      // deadline, each once per referral; every 15 minutes, so each is at most 15 minutes late.
      name: 'decision-reminders',
      function: {
        name: 'decision-reminders',
        entry: 'src/entries/decision-reminders.ts',
        // The undecided referrals due (gsi1 FRONT-DOOR#AWAITING), each marked reminded with its event.
        permissions: { tableKeys: tableKeys(OUTBOX_TABLE_KEYS, { read: ['FRONT-DOOR#*', 'REFERRAL#*'], write: ['REFERRAL#*'] }) },
      },
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
  /** Requests per partner agency per minute, all partner routes together (read by shared/rate-limit's rateLimitConfig). */
  environment: {
    PARTNER_RATE_LIMIT_PER_MINUTE: '1200',
    /** The teams a front-door decision can hand a family to (src/config.ts caseHoldingTeamsConfig). */
    CASE_HOLDING_TEAMS: JSON.stringify([
      { id: 'north', name: 'North team' },
      { id: 'south', name: 'South team' },
    ]),
  },
};
