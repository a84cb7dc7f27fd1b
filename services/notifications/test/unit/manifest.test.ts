/** What the manifest promises that can be checked without running anything: its environment, schedule and event patterns. */
// Test support only: the local cloud's EventBridge matcher, which implements the documented content filtering.
import { matchesEventPattern, parseEventPattern } from '@fsp/infra/local/eventbridge/pattern';
import { findEventDefinition } from '@fsp/shared/events/catalogue';
import { defaultRouteFunctionOf } from '@fsp/shared/manifest';
import { resolveManifest } from '@fsp/shared/manifest-resolve';
import { rateLimitConfig } from '@fsp/shared/rate-limit';
import { manifest } from '../../service';
import { mailConfig, notificationsConfig } from '../../src/config';
import { defaultRoute, routes } from '../../src/http/routes';
import { factOf } from '../support/facts';

const eventBridgeEventOf = (event: ReturnType<typeof factOf>) => ({
  version: '0',
  id: 'e1',
  'detail-type': event.detailType,
  source: event.source,
  account: '000000000000',
  time: '2026-01-05T09:30:00Z',
  region: 'eu-west-2',
  resources: [],
  detail: event.detail,
});

describe('the notifications manifest', () => {
  it('serves exactly the declared routes, and gives each its audience', () => {
    expect(manifest.http?.routes).toEqual(Object.values(routes));
    expect(manifest.http?.routes.map((route) => `${route.method} ${route.path} ${JSON.stringify(route.auth)}`)).toEqual([
      'GET /api/inbox {"kind":"worker","roles":["front-door","social-worker","adult-specialist","team-manager","service-manager","administrator"]}',
      'GET /api/inbox/unread-count {"kind":"worker","roles":["front-door","social-worker","adult-specialist","team-manager","service-manager","administrator"]}',
      'POST /api/inbox/{notificationId}/read {"kind":"worker","roles":["front-door","social-worker","adult-specialist","team-manager","service-manager","administrator"]}',
      'POST /api/inbox/read-all {"kind":"worker","roles":["front-door","social-worker","adult-specialist","team-manager","service-manager","administrator"]}',
      'GET /api/inbox/preferences {"kind":"worker","roles":["front-door","social-worker","adult-specialist","team-manager","service-manager","administrator"]}',
      'PUT /api/inbox/preferences {"kind":"worker","roles":["front-door","social-worker","adult-specialist","team-manager","service-manager","administrator"]}',
      'PUT /v1/agencies/me/webhook {"kind":"partner","scopes":["referrals/read"]}',
      'GET /api/admin/webhook-deliveries {"kind":"worker","roles":["administrator"]}',
      'GET /api/admin/worker-mail-failures {"kind":"worker","roles":["administrator"]}',
      'GET / {"kind":"page","roles":["front-door","social-worker","adult-specialist","team-manager","service-manager","administrator"]}',
      'GET /inbox {"kind":"page","roles":["front-door","social-worker","adult-specialist","team-manager","service-manager","administrator"]}',
      'POST /inbox/{notificationId}/read {"kind":"page","roles":["front-door","social-worker","adult-specialist","team-manager","service-manager","administrator"]}',
      'POST /inbox/read-all {"kind":"page","roles":["front-door","social-worker","adult-specialist","team-manager","service-manager","administrator"]}',
      'GET /inbox/preferences {"kind":"page","roles":["front-door","social-worker","adult-specialist","team-manager","service-manager","administrator"]}',
      'POST /inbox/preferences {"kind":"page","roles":["front-door","social-worker","adult-specialist","team-manager","service-manager","administrator"]}',
      'GET /admin/webhook-deliveries {"kind":"page","roles":["administrator"]}',
      'GET /signin {"kind":"public"}',
      'GET /signin/callback {"kind":"public"}',
      'POST /signout {"kind":"public"}',
      'GET /signed-out {"kind":"public"}',
    ]);
  });

  it('serves the platform’s $default route (every address no service has) from its pages function', () => {
    expect(manifest.http?.defaultRoute).toBe(defaultRoute);
    expect(defaultRouteFunctionOf(manifest.http)).toEqual({ name: 'pages', entry: 'src/entries/pages.ts' });
    expect(
      resolveManifest(manifest)
        .functions.filter((fn) => fn.servesDefaultRoute)
        .map((fn) => fn.name),
    ).toEqual(['pages']);
  });

  it('gives the functions an environment their configuration accepts', () => {
    expect(notificationsConfig({ TABLE_NAME: 'fsp-local-notifications', ...manifest.environment })).toEqual({
      frontDoorTeamId: 'front-door',
    });
    expect(mailConfig({ ...manifest.environment })).toEqual({ mailFrom: 'referrals@fsp.example.gov.uk' });
    // The partner rate limit referrals sets for its partner routes, counted here for the webhook route.
    expect(rateLimitConfig({ ...manifest.environment })).toEqual({ perMinute: 1200 });
  });

  it('sweeps due webhook deliveries every minute', () => {
    expect(manifest.schedules).toEqual([
      expect.objectContaining({
        name: 'webhook-retries',
        expression: 'rate(1 minute)',
        function: expect.objectContaining({ name: 'webhook-sweep', entry: 'src/entries/webhook-sweep.ts' }),
      }),
    ]);
  });

  it('publishes its inbox counters, from which other services’ pages show the Inbox count', () => {
    expect(manifest.publishes).toEqual(['InboxItemDelivered', 'InboxItemRead']);
  });

  it('lets only the functions that escalate to a team’s managers read the directory', () => {
    expect(
      manifest.subscriptions
        .filter((subscription) => subscription.function.permissions?.readDirectory)
        .map((subscription) => subscription.name),
    ).toEqual(['supervision-became-overdue', 'supervision-action-became-overdue']);
  });

  it('tells nobody of a completed supervision action or a held supervision', () => {
    const patterns = manifest.subscriptions.map((subscription) => parseEventPattern(subscription.pattern));
    for (const detailType of ['SupervisionActionCompleted', 'SupervisionHeld']) {
      const definition = findEventDefinition(detailType, 1)!;
      const event = eventBridgeEventOf(factOf(definition, definition.fixtures[0]!));
      expect(patterns.filter((pattern) => matchesEventPattern(pattern, event))).toEqual([]);
    }
  });

  it('names each subscription’s entry after its function', () => {
    for (const { function: fn } of manifest.subscriptions) expect(fn.entry).toBe(`src/entries/${fn.name}.ts`);
  });

  it.each([
    ['referral-submitted', 'ReferralSubmitted'],
    ['case-opened', 'CaseOpened'],
    ['case-allocated', 'CaseAllocated'],
    ['supervision-scheduled', 'SupervisionScheduled'],
    ['supervision-became-overdue', 'SupervisionBecameOverdue'],
    ['supervision-action-assigned', 'SupervisionActionAssigned'],
    ['supervision-action-became-overdue', 'SupervisionActionBecameOverdue'],
    ['referral-decision-due', 'ReferralDecisionDue'],
    ['referral-decision-overdue', 'ReferralDecisionOverdue'],
    ['referral-decided', 'ReferralDecided'],
    ['agency-onboarded', 'AgencyOnboarded'],
    ['agency-revoked', 'AgencyRevoked'],
  ])('subscription %s matches %s v1 and no other event', (name, detailType) => {
    const subscription = manifest.subscriptions.find((candidate) => candidate.name === name)!;
    const pattern = parseEventPattern(subscription.pattern);
    for (const definition of [
      findEventDefinition('ReferralSubmitted', 1)!,
      findEventDefinition('ReferralDecided', 1)!,
      findEventDefinition('CaseOpened', 1)!,
      findEventDefinition('CaseAllocated', 1)!,
      findEventDefinition('SupervisionScheduled', 1)!,
      findEventDefinition('SupervisionBecameOverdue', 1)!,
      findEventDefinition('SupervisionActionAssigned', 1)!,
      findEventDefinition('SupervisionActionCompleted', 1)!,
      findEventDefinition('SupervisionActionBecameOverdue', 1)!,
      findEventDefinition('SupervisionHeld', 1)!,
      findEventDefinition('ReferralDecisionDue', 1)!,
      findEventDefinition('ReferralDecisionOverdue', 1)!,
      findEventDefinition('AgencyOnboarded', 1)!,
      findEventDefinition('AgencyRevoked', 1)!,
    ]) {
      const event = eventBridgeEventOf(factOf(definition, definition.fixtures[0]!));
      expect(matchesEventPattern(pattern, event)).toBe(definition.detailType === detailType);
    }
    const future = eventBridgeEventOf(factOf(findEventDefinition(detailType, 1)!, findEventDefinition(detailType, 1)!.fixtures[0]!));
    future.detail = { ...future.detail, metadata: { ...future.detail.metadata, schemaVersion: 2 } };
    expect(matchesEventPattern(pattern, future)).toBe(false);
  });
});
