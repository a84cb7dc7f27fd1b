/**
 * The worker pages QUALITY.md's page overhead bar names that exist so far, each built from the
 * same route factory its function's entry uses: the front door's queue and a referral page
 * (referrals' `pages` function), the inbox and the worker's home (notifications'), the team's
 * cases, a social worker's caseload, a case page, its notes and its chronology (cases') and the
 * group supervision agenda (supervision's). The newest referral is decided for the north team
 * first, through the front door's JSON API, so that it has a case; the team manager allocates it
 * its social worker through cases' JSON API, so that its first group supervision is on the agenda
 * (it is scheduled at allocation) and the caseload lists it; the social worker records a note.
 */
import { randomUUID } from 'node:crypto';
import { workerToken } from '../infra/local/src/demo-tokens';
import type { LocalCloud } from '../infra/local/src/local-cloud';
import { lazyCasePageRoutes } from '../services/cases/src/http/page-groups';
import { createCasesRenderer } from '../services/cases/src/web/pages';
import { workerPageRoutes } from '../services/notifications/src/http/worker-pages';
import { createNotificationsRenderer } from '../services/notifications/src/web/pages';
import { caseHoldingTeamsConfig } from '../services/referrals/src/config';
import { frontDoorPageRoutes } from '../services/referrals/src/http/front-door-pages';
import { PRECOMPILED_TEMPLATES as FRONT_DOOR_TEMPLATES } from '../services/referrals/src/web/precompiled/front-door';
import { workerPageRoutes as supervisionPageRoutes } from '../services/supervision/src/http/worker-pages';
import { createSupervisionRenderer } from '../services/supervision/src/web/pages';
import type { ResolvedManifest } from '../shared/src/manifest-resolve';
import { londonWallClockOf } from '../shared/src/time/london';
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
  const caseId = await caseOpenedFrom(cloud, frontDoorToken, referralId);
  await allocatedWithSupervision(cloud, caseId);
  await noteRecorded(cloud, caseId);
  const casesRenderer = createCasesRenderer('local');
  const supervisionRenderer = createSupervisionRenderer('local');
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
    {
      label: 'team’s cases',
      path: '/cases',
      username: 'manager',
      service: 'cases',
      routes: (runtime) => lazyCasePageRoutes(runtime, casesRenderer),
    },
    {
      label: 'a case',
      path: `/cases/${caseId}`,
      username: 'manager',
      service: 'cases',
      routes: (runtime) => lazyCasePageRoutes(runtime, casesRenderer),
    },
    {
      label: 'caseload (social worker)',
      path: '/cases/caseload',
      username: 'socialworker',
      service: 'cases',
      routes: (runtime) => lazyCasePageRoutes(runtime, casesRenderer),
    },
    {
      label: 'a case’s notes',
      path: `/cases/${caseId}/notes`,
      username: 'manager',
      service: 'cases',
      routes: (runtime) => lazyCasePageRoutes(runtime, casesRenderer),
    },
    {
      label: 'a case’s chronology',
      path: `/cases/${caseId}/chronology`,
      username: 'manager',
      service: 'cases',
      routes: (runtime) => lazyCasePageRoutes(runtime, casesRenderer),
    },
    {
      label: 'supervision agenda',
      path: '/supervision',
      username: 'manager',
      service: 'supervision',
      routes: (runtime) => supervisionPageRoutes(runtime, supervisionRenderer),
    },
  ];
}

/** Decides the referral for the north team (the front door's JSON API) and waits for its case to open through the event flow. */
async function caseOpenedFrom(cloud: LocalCloud, frontDoorToken: string, referralId: string): Promise<string> {
  const decided = await fetch(`${cloud.url}/api/front-door/referrals/${referralId}/decision`, {
    method: 'POST',
    headers: { authorization: `Bearer ${frontDoorToken}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ outcome: 'assessment', reason: 'The bench opens a case to measure the cases pages.', teamId: 'north' }),
  });
  if (decided.status !== 200) throw new Error(`deciding ${referralId} answered ${decided.status}: ${await decided.text()}`);
  const managerToken = await workerToken(cloud, 'manager');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const found = await fetch(`${cloud.url}/api/cases?referralId=${referralId}`, { headers: { authorization: `Bearer ${managerToken}` } });
    if (found.status === 200) return ((await found.json()) as { id: string }).id;
    if (found.status !== 404) throw new Error(`GET /api/cases answered ${found.status}`);
    // Each question is a request the local cloud answers: the wait is the event flow's, not a sleep.
  }
  throw new Error(`no case opened from ${referralId} within 20 s`);
}

/** The north team's manager allocates the case to the team's social worker; waits for the first group supervision that schedules. */
async function allocatedWithSupervision(cloud: LocalCloud, caseId: string): Promise<void> {
  const managerToken = await workerToken(cloud, 'manager');
  const socialWorker = cloud.issuer.directoryEntries().find((entry) => entry.username === 'socialworker');
  if (!socialWorker) throw new Error('the local user pool has no socialworker');
  const allocated = await fetch(`${cloud.url}/api/cases/${caseId}/allocation`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${managerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ version: 0, socialWorkerId: socialWorker.sub, specialists: {} }),
  });
  if (allocated.status !== 200) throw new Error(`allocating ${caseId} answered ${allocated.status}: ${await allocated.text()}`);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const found = await fetch(`${cloud.url}/api/supervision/cases/${caseId}`, { headers: { authorization: `Bearer ${managerToken}` } });
    if (found.status === 200 && ((await found.json()) as { supervisions: unknown[] }).supervisions.length > 0) return;
    // As above: each question is a request the local cloud answers.
  }
  throw new Error(`no group supervision scheduled for ${caseId} within 20 s of its allocation`);
}

/** The social worker records and completes a significant home visit, so the notes page and the chronology have one to show. */
async function noteRecorded(cloud: LocalCloud, caseId: string): Promise<void> {
  const token = await workerToken(cloud, 'socialworker');
  const send = async (path: string, body: unknown) => {
    const answer = await fetch(`${cloud.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const parsed = (await answer.json()) as { id: string; version: number };
    if (answer.status !== 200 && answer.status !== 201)
      throw new Error(`POST ${path} answered ${answer.status}: ${JSON.stringify(parsed)}`);
    return parsed;
  };
  const wall = londonWallClockOf(new Date());
  const two = (value: number) => String(value).padStart(2, '0');
  const draft = await send(`/api/cases/${caseId}/notes`, {
    type: 'home-visit',
    contactDate: `${wall.year}-${two(wall.month)}-${two(wall.day)}`,
    contactTime: `${two(wall.hour)}:${two(wall.minute)}`,
    seenPersonIds: [],
    narrative:
      'Visited the family at home. The children were at school; spoke with their mother about the referral and the plan for the assessment.',
    significant: true,
  });
  await send(`/api/cases/${caseId}/notes/${draft.id}/complete`, { version: draft.version });
}
