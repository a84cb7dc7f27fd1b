/** What the manifest promises that can be checked without running anything: its environment, schedule and event patterns. */
// Test support only: the local cloud's EventBridge matcher, which implements the documented content filtering.
import { matchesEventPattern, parseEventPattern } from '@fsp/infra/local/eventbridge/pattern';
import { findEventDefinition } from '@fsp/shared/events/catalogue';
import { defaultRouteFunctionOf } from '@fsp/shared/manifest';
import { resolveManifest } from '@fsp/shared/manifest-resolve';
import { rateLimitConfig } from '@fsp/shared/rate-limit';
import { type TableActionKind, tableKeyPatternMatches } from '@fsp/shared/table-keys';
import { manifest } from '../../service';
import { mailConfig, notificationsConfig } from '../../src/config';
import { escalationConfig } from '../../src/escalation-config';
import { defaultRoute, PAGES_TABLE_KEYS, routes } from '../../src/http/routes';
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
      'POST /inbox/read-shown {"kind":"page","roles":["front-door","social-worker","adult-specialist","team-manager","service-manager","administrator"]}',
      'GET /inbox/preferences {"kind":"page","roles":["front-door","social-worker","adult-specialist","team-manager","service-manager","administrator"]}',
      'POST /inbox/preferences {"kind":"page","roles":["front-door","social-worker","adult-specialist","team-manager","service-manager","administrator"]}',
      'GET /admin/webhook-deliveries {"kind":"page","roles":["administrator"]}',
      'GET /admin/worker-mail-failures {"kind":"page","roles":["administrator"]}',
      'GET /signin {"kind":"public"}',
      'GET /signin/callback {"kind":"public"}',
      'POST /signout {"kind":"public"}',
      'GET /signed-out {"kind":"public"}',
    ]);
  });

  it('serves the platform’s $default route (every address no service has) from its pages function', () => {
    expect(manifest.http?.defaultRoute).toBe(defaultRoute);
    expect(defaultRouteFunctionOf(manifest.http)).toEqual({
      name: 'pages',
      entry: 'src/entries/pages.ts',
      permissions: { tableKeys: PAGES_TABLE_KEYS },
    });
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
    expect(escalationConfig({ ...manifest.environment })).toEqual({ serviceManagerAfterWorkingDays: 5 });
  });

  it('sweeps due webhook deliveries every minute', () => {
    expect(manifest.schedules.find((schedule) => schedule.name === 'webhook-retries')).toEqual(
      expect.objectContaining({
        expression: 'rate(1 minute)',
        function: expect.objectContaining({ name: 'webhook-sweep', entry: 'src/entries/webhook-sweep.ts' }),
      }),
    );
  });

  it('sweeps breaches due for the service manager every quarter of an hour, reading the directory for who they are', () => {
    expect(manifest.schedules.find((schedule) => schedule.name === 'service-manager-escalations')).toEqual({
      name: 'service-manager-escalations',
      expression: 'rate(15 minutes)',
      function: {
        name: 'service-manager-sweep',
        entry: 'src/entries/service-manager-sweep.ts',
        timeoutSeconds: 60,
        permissions: {
          readDirectory: true,
          tableKeys: {
            read: ['MAILBOX#*', 'PREFERENCES#*', 'PROGRESS#*'],
            write: ['OUTBOX#*', 'MAILBOX#*', 'WORKER-MAIL#*', 'PROGRESS#*'],
          },
        },
      },
    });
  });

  describe('table partitions, declared function by function (ADR 0023)', () => {
    const functions = resolveManifest(manifest).functions;
    /** The functions whose declaration lets them `kind` the partition `key`. */
    const allowed = (kind: TableActionKind, key: string): string[] =>
      functions
        .filter((fn) => (fn.permissions.tableKeys?.[kind] ?? []).some((pattern) => tableKeyPatternMatches(pattern, key)))
        .map((fn) => fn.name)
        .sort();

    it('gives every function a declaration of its own and lets none delete anything but its consumer records', () => {
      expect(functions.length).toBe(28);
      expect(functions.filter((fn) => fn.permissions.tableKeys === undefined).map((fn) => fn.name)).toEqual([]);
      for (const fn of functions) {
        const deletes = fn.permissions.tableKeys?.delete ?? [];
        expect({ fn: fn.name, deletes }).toEqual({ fn: fn.name, deletes: deletes.length === 0 ? [] : ['IDEMPOTENCY#*'] });
      }
    });

    it('lets only the worker-facing functions read and mark a worker’s inbox and save their preference', () => {
      expect(allowed('read', 'READER#u1')).toEqual(['http', 'pages']);
      expect(allowed('write', 'READER#u1')).toEqual(['http', 'pages']);
      expect(allowed('write', 'PREFERENCES#u1')).toEqual(['http', 'pages']);
    });

    it('keeps partner agencies, webhook deliveries and referrer emails to the functions that handle them', () => {
      expect(allowed('read', 'CLIENT#c1')).toEqual(['http']);
      expect(allowed('write', 'CLIENT#c1')).toEqual(['on-agency-onboarded', 'on-agency-revoked']);
      expect(allowed('write', 'AGENCY#a1')).toEqual(['http', 'on-agency-onboarded', 'on-agency-revoked']);
      expect(allowed('read', 'AGENCY#a1')).toEqual(['on-referral-decided', 'webhook-sweep']);
      expect(allowed('write', 'WEBHOOK-DELIVERY#d1')).toEqual(['on-referral-decided', 'webhook-sweep']);
      expect(allowed('read', 'EMAIL#e1')).toEqual(['on-referral-decided']);
      expect(allowed('write', 'EMAIL#e1')).toEqual(['on-referral-decided']);
      expect(allowed('write', 'WORKER-MAIL-SEND#m1')).toEqual(['worker-mail', 'worker-mail-ses-events']);
    });

    it('lets the facts that only end a case’s timed thing write that and their consumer records, nothing else', () => {
      for (const name of ['on-case-timescale-met', 'on-assessment-completed', 'on-supervision-held', 'on-supervision-action-completed'])
        expect({ name, keys: functions.find((fn) => fn.name === name)?.permissions.tableKeys }).toEqual({
          name,
          keys: { read: ['IDEMPOTENCY#*'], write: ['IDEMPOTENCY#*', 'PROGRESS#CASE#*'], delete: ['IDEMPOTENCY#*'] },
        });
    });

    it('lets no function touch a partition no notifications store has', () => {
      for (const key of ['CASE#c1', 'INBOX#user:u1', 'REFERRAL#r1', 'TIMER'])
        for (const kind of ['read', 'write', 'delete'] as const)
          expect({ key, kind, fns: allowed(kind, key) }).toEqual({ key, kind, fns: [] });
    });
  });

  it('publishes its inbox counters, from which other services’ pages show the Inbox count', () => {
    expect(manifest.publishes).toEqual(['InboxItemDelivered', 'InboxItemRead']);
  });

  it('lets the functions that deliver to an inbox read the directory (their delivery asks who each recipient is), and no other', () => {
    const reads = (name: string) =>
      manifest.subscriptions.find((subscription) => subscription.name === name)?.function.permissions?.readDirectory;
    for (const name of [
      'referral-submitted',
      'case-opened',
      'case-allocated',
      'supervision-scheduled',
      'supervision-became-overdue',
      'supervision-action-assigned',
      'supervision-action-became-overdue',
      'referral-decision-due',
      'referral-decision-overdue',
      'case-status-changed',
      'supervision-due-soon',
      'supervision-action-due-soon',
      'case-timescale-due-soon',
      'case-timescale-overdue',
    ])
      expect([name, reads(name)]).toEqual([name, true]);
    for (const name of [
      'referral-decided',
      'agency-onboarded',
      'agency-revoked',
      'case-timescale-met',
      'assessment-completed',
      'supervision-held',
      'supervision-action-completed',
      'case-closed',
    ])
      expect([name, reads(name)]).toEqual([name, undefined]);
  });

  it('tells nobody of a completed supervision action or a held supervision: their only subscriptions end the reminders', () => {
    for (const [detailType, ending] of [
      ['SupervisionActionCompleted', 'supervision-action-completed'],
      ['SupervisionHeld', 'supervision-held'],
    ] as const) {
      const definition = findEventDefinition(detailType, 1)!;
      const event = eventBridgeEventOf(factOf(definition, definition.fixtures[0]!));
      const matching = manifest.subscriptions.filter((subscription) => matchesEventPattern(parseEventPattern(subscription.pattern), event));
      expect(matching.map((subscription) => subscription.name)).toEqual([ending]);
      expect(matching[0]!.function.permissions?.readDirectory).toBeUndefined();
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
    ['case-status-changed', 'CaseStatusChanged'],
    ['supervision-due-soon', 'SupervisionDueSoon'],
    ['supervision-action-due-soon', 'SupervisionActionDueSoon'],
    ['case-timescale-due-soon', 'CaseTimescaleDueSoon'],
    ['case-timescale-overdue', 'CaseTimescaleOverdue'],
    ['case-timescale-met', 'CaseTimescaleMet'],
    ['assessment-completed', 'AssessmentCompleted'],
    ['supervision-held', 'SupervisionHeld'],
    ['supervision-action-completed', 'SupervisionActionCompleted'],
    ['case-closed', 'CaseClosed'],
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
      findEventDefinition('CaseStatusChanged', 1)!,
      findEventDefinition('SupervisionDueSoon', 1)!,
      findEventDefinition('SupervisionActionDueSoon', 1)!,
      findEventDefinition('CaseTimescaleDueSoon', 1)!,
      findEventDefinition('CaseTimescaleOverdue', 1)!,
      findEventDefinition('CaseTimescaleMet', 1)!,
      findEventDefinition('AssessmentCompleted', 1)!,
      findEventDefinition('CaseClosed', 1)!,
    ]) {
      const event = eventBridgeEventOf(factOf(definition, definition.fixtures[0]!));
      expect(matchesEventPattern(pattern, event)).toBe(definition.detailType === detailType);
    }
    const future = eventBridgeEventOf(factOf(findEventDefinition(detailType, 1)!, findEventDefinition(detailType, 1)!.fixtures[0]!));
    future.detail = { ...future.detail, metadata: { ...future.detail.metadata, schemaVersion: 2 } };
    expect(matchesEventPattern(pattern, future)).toBe(false);
  });
});
