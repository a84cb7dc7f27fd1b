import { resolve } from 'node:path';
// Test support only: the local cloud's EventBridge matcher, which implements the documented content filtering.
import { matchesEventPattern, parseEventPattern } from '@fsp/infra/local/eventbridge/pattern';
import { findEventDefinition } from '@fsp/shared/events/catalogue';
import { rateLimitConfig } from '@fsp/shared/rate-limit';
import { describeServiceManifest } from '@fsp/shared/testing/manifest';
import { manifest } from '../service';
import { notificationsRoutes } from '../src/handlers/api';
import { mailConfig, notificationsConfig, webhookConfig } from '../src/handlers/config';
import { factOf } from './support/notifications';

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

describeServiceManifest({
  manifest,
  serviceDirectory: resolve(__dirname, '..'),
  routes: notificationsRoutes,
});

describe('the notifications manifest', () => {
  it('gives the functions an environment their configuration accepts', () => {
    expect(notificationsConfig({ TABLE_NAME: 'fsp-local-notifications', ...manifest.environment })).toEqual({
      frontDoorTeamId: 'front-door',
    });
    expect(() => notificationsConfig({ TABLE_NAME: 'fsp-local-notifications' })).toThrow(/FRONT_DOOR_TEAM_ID/);
    expect(mailConfig({ ...manifest.environment })).toEqual({ mailFrom: 'referrals@fsp.example.gov.uk' });
    expect(() => mailConfig({})).toThrow(/MAIL_FROM/);
    // The partner rate limit referrals sets for its partner routes, counted here for the webhook route.
    expect(rateLimitConfig({ ...manifest.environment })).toEqual({ perMinute: 1200 });
  });

  it('allows plain-http webhooks on the local stage only; a missing stage counts as deployed', () => {
    expect(webhookConfig({ STAGE: 'local' })).toEqual({ allowLocalHttp: true });
    for (const stage of ['dev', 'staging', 'prod']) expect(webhookConfig({ STAGE: stage })).toEqual({ allowLocalHttp: false });
    expect(webhookConfig({})).toEqual({ allowLocalHttp: false });
    expect(() => webhookConfig({ STAGE: 'Local' })).toThrow(/STAGE/);
  });

  it('sweeps due webhook deliveries every minute', () => {
    expect(manifest.schedules).toEqual([
      expect.objectContaining({
        name: 'webhook-retries',
        expression: 'rate(1 minute)',
        function: expect.objectContaining({ entry: 'src/handlers/on-webhook-sweep.ts' }),
      }),
    ]);
  });

  it.each([
    ['referral-submitted', 'ReferralSubmitted'],
    ['case-opened', 'CaseOpened'],
    ['supervision-scheduled', 'SupervisionScheduled'],
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
      findEventDefinition('SupervisionScheduled', 1)!,
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
