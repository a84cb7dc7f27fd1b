/**
 * The worker pages QUALITY.md's page overhead bar names that exist so far, each built from the
 * same route factory its function's entry uses: the front door's queue and a referral page
 * (referrals' `pages` function) and the inbox (notifications' `pages` function). The case page,
 * caseload and supervision agenda join when their services serve pages.
 */
import type { LocalCloud } from '../infra/local/src/local-cloud';
import { workerPageRoutes } from '../services/notifications/src/http/worker-pages';
import { createNotificationsRenderer } from '../services/notifications/src/web/pages';
import { caseHoldingTeamsConfig } from '../services/referrals/src/config';
import { frontDoorPageRoutes } from '../services/referrals/src/http/front-door-pages';
import { PRECOMPILED_TEMPLATES as FRONT_DOOR_TEMPLATES } from '../services/referrals/src/web/precompiled/front-door';
import type { ResolvedManifest } from '../shared/src/manifest-resolve';
import { createPageRenderer } from '../shared/src/web/page';
import type { PageUnderTest } from './page-overhead';

export async function workerPagesUnderTest(
  cloud: LocalCloud,
  frontDoorToken: string,
  manifests: readonly ResolvedManifest[],
): Promise<PageUnderTest[]> {
  const referrals = manifests.find((manifest) => manifest.name === 'referrals');
  if (!referrals) throw new Error('no referrals manifest');
  const { teams } = caseHoldingTeamsConfig({ ...referrals.environment });
  // The newest referral the bench's pipeline submitted: its page is a referral with a full history.
  const queue = await fetch(`${cloud.url}/api/front-door/referrals`, { headers: { authorization: `Bearer ${frontDoorToken}` } });
  if (queue.status !== 200) throw new Error(`GET /api/front-door/referrals answered ${queue.status}`);
  const { referrals: listed } = (await queue.json()) as { referrals: { referralId: string }[] };
  const referralId = listed[0]?.referralId;
  if (!referralId) throw new Error('the front door has no referral for the bench to open');
  const referralsRenderer = createPageRenderer(FRONT_DOOR_TEMPLATES, { stage: 'local' });
  const notificationsRenderer = createNotificationsRenderer('local');
  return [
    {
      label: 'front door queue',
      path: '/front-door',
      username: 'frontdoor',
      service: 'referrals',
      routes: (runtime) => frontDoorPageRoutes(runtime, { renderer: referralsRenderer, teams }),
    },
    {
      label: 'a referral',
      path: `/front-door/referrals/${referralId}`,
      username: 'frontdoor',
      service: 'referrals',
      routes: (runtime) => frontDoorPageRoutes(runtime, { renderer: referralsRenderer, teams }),
    },
    {
      label: 'inbox',
      path: '/inbox',
      username: 'frontdoor',
      service: 'notifications',
      routes: (runtime) => workerPageRoutes(runtime, notificationsRenderer),
    },
    {
      label: 'home (front door)',
      path: '/',
      username: 'frontdoor',
      service: 'notifications',
      routes: (runtime) => workerPageRoutes(runtime, notificationsRenderer),
    },
  ];
}
