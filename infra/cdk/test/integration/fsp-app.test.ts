/**
 * The synthesized CloudFormation matches every manifest (ARCHITECTURE.md: "A test asserts that
 * the synthesized CloudFormation matches every manifest"): every manifest `loadServiceManifests()`
 * returns, plus a fixture that exercises every kind of route, subscription option and schedule
 * whatever state the real services are in. Synthesised without bundling to stay fast. Manifests
 * are resolved in shared/ (manifest-resolve); the templates carry the resolved settings, and the
 * fixture's concrete numbers below show the defaults arriving.
 */
import { join } from 'node:path';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DEFAULT_ROUTE_KEY, type FunctionEntry, httpFunctionOf, type ServiceManifest } from '@fsp/shared/manifest';
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { type ResolvedManifest, resolveManifest } from '@fsp/shared/manifest-resolve';
import { isOutboxImage, outboxItem } from '@fsp/shared/outbox';
import { ROLES } from '@fsp/shared/people';
import { createTableInput, TABLE_KEYS, tableNameFor } from '@fsp/shared/table';
import { manifest as notesManifest } from '@fsp/shared/testing/fixtures/notes-service/service';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import { buildFspApp, FSP_APP_CONTEXT, type FspStacks } from '../../fsp-app';
import { functionNameOf, parseStage, partnerRouteScopesOf, queueNameOf, routeKeyOf, ruleNameOf, scheduleNameOf } from '../../naming';
import {
  DIRECTORY_READ_ACTIONS,
  OUTBOX_EVENT_PARAMETERS,
  OUTBOX_INPUT_TEMPLATE,
  OUTBOX_STREAM_FILTER,
  USER_POOL_CLIENT_ACTIONS,
} from '../../service-stack';
import { servesWorkerWeb } from '../../worker-web';
import { grantsByFunction, resourcesOf, type SynthesisedApp, synthesiseWithoutBundling } from './support';

/** A route function of the fixture's own: a real handler file under a name of its own. */
const partnerApiFunction = { name: 'partner-api', entry: 'src/handlers/http.ts', memoryMb: 256 };

/** Every kind of wiring a manifest can ask for, on top of the notes fixture's real handler files. */
const declaredFixture: ServiceManifest = {
  ...notesManifest,
  name: 'fixture',
  http: {
    function: notesManifest.http!.function,
    routes: [
      ...notesManifest.http!.routes,
      { method: 'GET', path: '/v1/openapi.json', auth: { kind: 'public' } },
      { method: 'POST', path: '/v1/referrals', auth: { kind: 'partner', scopes: ['referrals/submit'] }, function: partnerApiFunction },
      { method: 'GET', path: '/v1/referrals/{id}', auth: { kind: 'partner', scopes: ['referrals/read'] }, function: partnerApiFunction },
      { method: 'PATCH', path: '/notes/{proxy+}', auth: { kind: 'worker', roles: ['social-worker'] } },
    ],
  },
  subscriptions: [
    ...notesManifest.subscriptions,
    {
      name: 'tuned',
      // A consumer that reads people (a team's members, say) through the directory port.
      function: { name: 'on-tuned', entry: 'src/handlers/on-note-written.ts', timeoutSeconds: 20, permissions: { readDirectory: true } },
      pattern: { source: ['fsp.cases'], 'detail-type': [{ prefix: 'Case' }], detail: { data: { risk: [{ 'anything-but': 'low' }] } } },
      batchSize: 25,
      maxConcurrency: 3,
      visibilityTimeoutSeconds: 300,
      maxReceiveCount: 3,
    },
  ],
  schedules: [
    { name: 'weekday-morning', function: notesManifest.subscriptions[0]!.function, expression: 'cron(0 7 ? * MON-FRI *)' },
    {
      name: 'every-five-minutes',
      function: { name: 'sweeper', entry: 'src/handlers/on-note-written.ts' },
      expression: 'rate(5 minutes)',
      timezone: 'UTC',
    },
  ],
  environment: { FIXTURE_SETTING: 'on' },
};
const fixture = resolveManifest(declaredFixture);

/** Prod needs its own domain (stages.ts); any well-formed one will do here. */
const PROD_DOMAIN = {
  domainName: 'fsp.council.example',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  apiCertificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/66666666-7777-8888-9999-000000000000',
};

let manifests: ResolvedManifest[];
let stacks: FspStacks;
let platformTemplate: Template;

let synthesised: SynthesisedApp;

beforeAll(async () => {
  const real = await loadServiceManifests();
  manifests = [fixture, ...real];
  synthesised = synthesiseWithoutBundling(manifests);
  stacks = synthesised.stacks;
  platformTemplate = Template.fromStack(stacks.platform);
});

const templateOf = (service: string): Template => synthesised.templateOf(service);
const logicalIdOf = (template: Template, type: string, predicate: (properties: Record<string, unknown>) => boolean): string => {
  const found = resourcesOf(template, type).filter(([, resource]) => predicate(resource.Properties));
  if (found.length !== 1) throw new Error(`expected one ${type} matching, found ${found.length}`);
  return found[0]![0];
};
const exportPattern = (logicalIdPrefix: string, stage = 'dev', stack = 'platform') =>
  `^fsp-${stage}-${stack}:ExportsOutput(Ref|FnGetAtt)${logicalIdPrefix}`;
/** A platform export as a service stack imports it (jest matcher), for the platform resource with this logical id prefix. */
const importOfPlatform = (logicalIdPrefix: string) => ({
  'Fn::ImportValue': expect.stringMatching(new RegExp(exportPattern(logicalIdPrefix))),
});
/** The same for an export of the sign-in stack (the web client, the worker authorizer). */
const importOfSignIn = (logicalIdPrefix: string) => ({
  'Fn::ImportValue': expect.stringMatching(new RegExp(exportPattern(logicalIdPrefix, 'dev', 'sign-in'))),
});
/** The same, as a CDK assertions matcher. */
const platformImport = (logicalIdPrefix: string, stage = 'dev') => ({
  'Fn::ImportValue': Match.stringLikeRegexp(exportPattern(logicalIdPrefix, stage)),
});

test('every manifest has a stack, and the fixture is among them', () => {
  expect(stacks.services.map((stack) => stack.manifest.name)).toEqual(manifests.map((manifest) => manifest.name));
  expect(stacks.services.map((stack) => stack.stackName)).toContain('fsp-dev-fixture');
});

describe('HTTP routes', () => {
  test('each manifest route exists with its route key and the authorizer its auth kind needs, and no other route exists', () => {
    for (const manifest of manifests) {
      const template = templateOf(manifest.name);
      const routes = resourcesOf(template, 'AWS::ApiGatewayV2::Route');
      expect({ service: manifest.name, routeKeys: routes.map(([, r]) => r.Properties.RouteKey).sort() }).toEqual({
        service: manifest.name,
        routeKeys: [...(manifest.http?.routes ?? []).map(routeKeyOf), ...(manifest.http?.defaultRoute ? [DEFAULT_ROUTE_KEY] : [])].sort(),
      });
      for (const route of manifest.http?.routes ?? []) {
        const [, resource] = routes.find(([, r]) => r.Properties.RouteKey === routeKeyOf(route))!;
        const context = { service: manifest.name, route: routeKeyOf(route), properties: resource.Properties };
        if (route.auth.kind === 'public' || route.auth.kind === 'page') {
          // A page's function opens the session cookie itself: no gateway authorizer (ADR 0012).
          expect(context).toEqual({ ...context, properties: expect.objectContaining({ AuthorizationType: 'NONE' }) });
          expect(resource.Properties.AuthorizerId).toBeUndefined();
        } else if (route.auth.kind === 'worker') {
          expect(context).toEqual({
            ...context,
            properties: expect.objectContaining({ AuthorizationType: 'JWT', AuthorizerId: importOfSignIn('WorkerAuthorizer') }),
          });
        } else {
          const authorizerId = logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer', (p) => p.AuthorizerType === 'REQUEST');
          expect(context).toEqual({
            ...context,
            properties: expect.objectContaining({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } }),
          });
        }
      }
    }
  });

  test('partner routes share one REQUEST authorizer per service, configured with exactly the manifest scopes and cached per route', () => {
    for (const manifest of manifests) {
      const template = templateOf(manifest.name);
      const scopes = partnerRouteScopesOf(manifest);
      const authorizers = resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer');
      if (Object.keys(scopes).length === 0) {
        expect({ service: manifest.name, authorizers }).toEqual({ service: manifest.name, authorizers: [] });
        continue;
      }
      expect(authorizers).toHaveLength(1);
      expect(authorizers[0]![1].Properties).toMatchObject({
        AuthorizerType: 'REQUEST',
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        IdentitySource: ['$request.header.Authorization', '$context.routeKey'],
      });
      const [, authorizerFunction] = resourcesOf(template, 'AWS::Lambda::Function').find(
        ([, fn]) => fn.Properties.FunctionName === functionNameOf('dev', manifest.name, 'partner-authorizer'),
      )!;
      const environment = (authorizerFunction.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(JSON.parse(environment.PARTNER_ROUTE_SCOPES as string)).toEqual(scopes);
      expect(environment.USER_POOL_ISSUER).toEqual(importOfPlatform('Workers'));
    }
  });

  test('each route is integrated with the function that serves it: its own, else the service HTTP function', () => {
    for (const manifest of manifests) {
      const template = templateOf(manifest.name);
      const routes = resourcesOf(template, 'AWS::ApiGatewayV2::Route');
      const integrations = new Map(resourcesOf(template, 'AWS::ApiGatewayV2::Integration'));
      const functionIdOf = (name: string) =>
        logicalIdOf(template, 'AWS::Lambda::Function', (p) => p.FunctionName === functionNameOf('dev', manifest.name, name));
      for (const route of manifest.http?.routes ?? []) {
        const [, resource] = routes.find(([, r]) => r.Properties.RouteKey === routeKeyOf(route))!;
        const integrationId = (resource.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] })['Fn::Join'][1][1].Ref;
        const served = { service: manifest.name, route: routeKeyOf(route), by: integrations.get(integrationId)?.Properties.IntegrationUri };
        const fn = httpFunctionOf(manifest.http!, route);
        expect(served).toEqual({ ...served, by: { 'Fn::GetAtt': [functionIdOf(fn.name), 'Arn'] } });
        // API Gateway may invoke the function for this route.
        template.hasResourceProperties('AWS::Lambda::Permission', {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': [functionIdOf(fn.name), 'Arn'] },
          Principal: 'apigateway.amazonaws.com',
          SourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`/*/*${route.path}`])] }),
        });
      }
      // One integration per HTTP function that serves a route, shared by its routes (and the $default route).
      const serving = manifest.functions.filter(({ routes, servesDefaultRoute }) => routes.length > 0 || servesDefaultRoute);
      expect({ service: manifest.name, integrations: integrations.size }).toEqual({ service: manifest.name, integrations: serving.length });
    }
  });

  test("the fixture's partner routes are served by their own function, its other routes by the HTTP function, and both exist", () => {
    const template = templateOf('fixture');
    const served = Object.fromEntries(
      fixture.functions.filter((fn) => fn.uses.includes('http')).map((fn) => [fn.name, fn.routes.map(routeKeyOf)]),
    );
    expect(served).toEqual({
      http: ['POST /notes', 'GET /notes/{id}', 'GET /pages/notes', 'GET /v1/openapi.json', 'PATCH /notes/{proxy+}'],
      'partner-api': ['POST /v1/referrals', 'GET /v1/referrals/{id}'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'fsp-dev-fixture-http', MemorySize: 512, Timeout: 10 });
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'fsp-dev-fixture-partner-api', MemorySize: 256, Timeout: 10 });
  });

  test('one function name declared with two entries never reaches the app: resolving the manifest refuses it, naming the culprit', () => {
    const withRouteFunction = (fn: FunctionEntry): ServiceManifest => ({
      ...declaredFixture,
      http: {
        ...declaredFixture.http!,
        routes: [
          ...declaredFixture.http!.routes,
          { method: 'DELETE', path: '/notes/{id}', auth: { kind: 'worker', roles: ['social-worker'] }, function: fn },
        ],
      },
    });
    expect(() => resolveManifest(withRouteFunction({ ...partnerApiFunction, entry: 'src/handlers/on-note-written.ts' }))).toThrow(
      'service fixture: function partner-api is declared with two entries, src/handlers/http.ts and src/handlers/on-note-written.ts (route DELETE /notes/{id})',
    );
    expect(() => resolveManifest(withRouteFunction({ ...partnerApiFunction, timeoutSeconds: 29 }))).toThrow(
      /function partner-api is declared with different settings/,
    );
    expect(() => resolveManifest(withRouteFunction({ name: 'on-note-written', entry: 'src/handlers/http.ts' }))).toThrow(
      /function on-note-written is declared with two entries/,
    );
  });

  test("the platform's $default route (every request no route matches) goes to notifications' pages function, with no authorizer", () => {
    const declaring = manifests.filter((manifest) => manifest.http?.defaultRoute !== undefined).map((manifest) => manifest.name);
    expect(declaring).toEqual(['notifications']);
    for (const manifest of manifests) {
      const defaults = resourcesOf(templateOf(manifest.name), 'AWS::ApiGatewayV2::Route').filter(
        ([, route]) => route.Properties.RouteKey === DEFAULT_ROUTE_KEY,
      );
      expect({ service: manifest.name, defaults: defaults.length }).toEqual({
        service: manifest.name,
        defaults: manifest.name === 'notifications' ? 1 : 0,
      });
    }
    const template = templateOf('notifications');
    const routeId = logicalIdOf(template, 'AWS::ApiGatewayV2::Route', (p) => p.RouteKey === DEFAULT_ROUTE_KEY);
    const route = new Map(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).get(routeId)!;
    expect(route.Properties).toMatchObject({ ApiId: importOfPlatform('HttpApi'), AuthorizationType: 'NONE' });
    expect(route.Properties.AuthorizerId).toBeUndefined();
    const integrationId = (route.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] })['Fn::Join'][1][1].Ref;
    const pages = logicalIdOf(template, 'AWS::Lambda::Function', (p) => p.FunctionName === functionNameOf('dev', 'notifications', 'pages'));
    expect(new Map(resourcesOf(template, 'AWS::ApiGatewayV2::Integration')).get(integrationId)?.Properties.IntegrationUri).toEqual({
      'Fn::GetAtt': [pages, 'Arn'],
    });
    // The integration its pages already had, created under their first route: adding the route replaced nothing deployed.
    const home = logicalIdOf(template, 'AWS::ApiGatewayV2::Route', (p) => p.RouteKey === 'GET /');
    const homeTarget = new Map(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).get(home)!.Properties.Target;
    expect(route.Properties.Target).toEqual(homeTarget);
    expect(integrationId).not.toMatch(/^DefaultRoute/);
    // API Gateway may invoke the function for any method and path of the API's stages.
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [pages, 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
      SourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/\\*/\\*$')])] }),
    });
  });

  test('two services declaring the $default route never reach the app: building it refuses them, naming both', () => {
    const alsoDefault = resolveManifest({ ...declaredFixture, http: { ...declaredFixture.http!, defaultRoute: {} } });
    const app = new App({ context: { ...FSP_APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    expect(() => buildFspApp(app, { stage: 'dev', manifests: [alsoDefault, ...manifests.filter((m) => m.name !== 'fixture')] })).toThrow(
      'the $default route is declared by 2 services, fixture and notifications: only one service in the platform may serve it',
    );
  });

  test('the fixture really covers every auth kind, so the route test above checks each branch', () => {
    expect(new Set(fixture.http!.routes.map((route) => route.auth.kind))).toEqual(new Set(['public', 'worker', 'partner', 'page']));
  });

  test('the platform owns the one HTTP API and its access-logged default stage; the sign-in stack its worker JWT authorizer', () => {
    platformTemplate.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    for (const template of synthesised.serviceTemplates()) template.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    platformTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('context.requestId') },
    });
    platformTemplate.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    const signIn = Template.fromStack(stacks.signIn);
    const webClient = logicalIdOf(signIn, 'AWS::Cognito::UserPoolClient', (p) => p.ClientName === 'fsp-dev-worker-web');
    const authorizer = resourcesOf(signIn, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer).toHaveLength(1);
    expect(authorizer[0]![1].Properties).toEqual({
      Name: 'workers',
      ApiId: importOfPlatform('HttpApi'),
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      // The pool's issuer, https://cognito-idp.<region>.amazonaws.com/<poolId>, and the web client.
      JwtConfiguration: { Audience: [{ Ref: webClient }], Issuer: importOfPlatform('Workers') },
    });
  });
});

describe('subscriptions', () => {
  test('each subscription has a rule on the platform bus with exactly the manifest pattern, targeting its own queue', () => {
    for (const manifest of manifests) {
      const template = templateOf(manifest.name);
      expect({ service: manifest.name, rules: resourcesOf(template, 'AWS::Events::Rule').length }).toEqual({
        service: manifest.name,
        rules: manifest.subscriptions.length,
      });
      for (const subscription of manifest.subscriptions) {
        const queueId = logicalIdOf(
          template,
          'AWS::SQS::Queue',
          (p) => p.QueueName === queueNameOf('dev', manifest.name, subscription.name),
        );
        const dlqId = logicalIdOf(
          template,
          'AWS::SQS::Queue',
          (p) => p.QueueName === `${queueNameOf('dev', manifest.name, subscription.name)}-dlq`,
        );
        const [, rule] = resourcesOf(template, 'AWS::Events::Rule').find(
          ([, r]) => r.Properties.Name === ruleNameOf('dev', manifest.name, subscription.name),
        )!;
        expect({ service: manifest.name, subscription: subscription.name, pattern: rule.Properties.EventPattern }).toEqual({
          service: manifest.name,
          subscription: subscription.name,
          pattern: subscription.pattern,
        });
        expect(rule.Properties.EventBusName).toEqual(importOfPlatform('Bus'));
        expect(rule.Properties.Targets).toEqual([
          expect.objectContaining({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } } }),
        ]);
      }
    }
  });

  test("each subscription queue redrives to its own DLQ after the manifest's maxReceiveCount (5 by default) and hides messages for 6 × the timeout unless told", () => {
    for (const manifest of manifests) {
      const template = templateOf(manifest.name);
      for (const subscription of manifest.subscriptions) {
        const queueName = queueNameOf('dev', manifest.name, subscription.name);
        const dlqId = logicalIdOf(template, 'AWS::SQS::Queue', (p) => p.QueueName === `${queueName}-dlq`);
        template.hasResourceProperties('AWS::SQS::Queue', {
          QueueName: queueName,
          KmsMasterKeyId: platformImport('Key'),
          VisibilityTimeout: subscription.visibilityTimeoutSeconds,
          RedrivePolicy: {
            deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
            maxReceiveCount: subscription.maxReceiveCount,
          },
        });
      }
    }
    // The fixture proves the defaults (6 × its consumer's 10 s, 5 receives) and the overrides both reach the template.
    templateOf('fixture').hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'fsp-dev-fixture-note-effects',
      VisibilityTimeout: 60,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
    templateOf('fixture').hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'fsp-dev-fixture-tuned',
      VisibilityTimeout: 300,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
    });
  });

  test("each subscription's function consumes its queue with the manifest batch size and partial batch responses", () => {
    for (const manifest of manifests) {
      const template = templateOf(manifest.name);
      for (const subscription of manifest.subscriptions) {
        const queueId = logicalIdOf(
          template,
          'AWS::SQS::Queue',
          (p) => p.QueueName === queueNameOf('dev', manifest.name, subscription.name),
        );
        const functionId = logicalIdOf(
          template,
          'AWS::Lambda::Function',
          (p) => p.FunctionName === functionNameOf('dev', manifest.name, subscription.consumer.name),
        );
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          FunctionName: { Ref: functionId },
          BatchSize: subscription.batchSize,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ...(subscription.batchSize > 10 ? { MaximumBatchingWindowInSeconds: 1 } : {}),
          ...(subscription.maxConcurrency === undefined ? {} : { ScalingConfig: { MaximumConcurrency: subscription.maxConcurrency } }),
        });
      }
    }
    // The default (10) and an override above 10, which needs a batching window, with a concurrency cap.
    const mappingOf = (subscription: string) => {
      const queueId = logicalIdOf(templateOf('fixture'), 'AWS::SQS::Queue', (p) => p.QueueName === `fsp-dev-fixture-${subscription}`);
      const found = resourcesOf(templateOf('fixture'), 'AWS::Lambda::EventSourceMapping').filter(
        ([, mapping]) => JSON.stringify(mapping.Properties.EventSourceArn) === JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] }),
      );
      expect(found).toHaveLength(1);
      return found[0]![1].Properties;
    };
    expect(mappingOf('note-effects')).toMatchObject({ BatchSize: 10 });
    expect(mappingOf('note-effects').MaximumBatchingWindowInSeconds).toBeUndefined();
    expect(mappingOf('tuned')).toMatchObject({
      BatchSize: 25,
      MaximumBatchingWindowInSeconds: 1,
      ScalingConfig: { MaximumConcurrency: 3 },
    });
    expect(mappingOf('note-effects').ScalingConfig).toBeUndefined();
  });

  test('every queue is KMS-encrypted and TLS-only, every work queue has a DLQ, and every DLQ alarms to the platform topic', () => {
    for (const manifest of manifests) {
      const template = templateOf(manifest.name);
      const queues = resourcesOf(template, 'AWS::SQS::Queue');
      const policies = resourcesOf(template, 'AWS::SQS::QueuePolicy').map(([, p]) => JSON.stringify(p.Properties));
      for (const [id, queue] of queues) {
        expect({ queue: queue.Properties.QueueName, key: queue.Properties.KmsMasterKeyId }).toEqual({
          queue: queue.Properties.QueueName,
          key: importOfPlatform('Key'),
        });
        expect(policies.some((policy) => policy.includes(id) && policy.includes('aws:SecureTransport'))).toBe(true);
        const name = queue.Properties.QueueName as string;
        if (name.endsWith('-dlq')) {
          template.hasResourceProperties('AWS::CloudWatch::Alarm', {
            AlarmName: `${name}-not-empty`,
            Namespace: 'AWS/SQS',
            MetricName: 'ApproximateNumberOfMessagesVisible',
            Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
            Threshold: 1,
            AlarmActions: [platformImport('Alarms')],
          });
        } else {
          expect({ queue: name, redrive: queue.Properties.RedrivePolicy }).toEqual({ queue: name, redrive: expect.anything() });
        }
      }
    }
  });
});

describe('schedules', () => {
  test("each schedule runs its function with the manifest's expression and time zone (Europe/London by default), retries and a DLQ", () => {
    for (const manifest of manifests) {
      const template = templateOf(manifest.name);
      expect({ service: manifest.name, schedules: resourcesOf(template, 'AWS::Scheduler::Schedule').length }).toEqual({
        service: manifest.name,
        schedules: manifest.schedules.length,
      });
      for (const schedule of manifest.schedules) {
        const functionId = logicalIdOf(
          template,
          'AWS::Lambda::Function',
          (p) => p.FunctionName === functionNameOf('dev', manifest.name, schedule.handler.name),
        );
        const dlqId = logicalIdOf(
          template,
          'AWS::SQS::Queue',
          (p) => p.QueueName === `${queueNameOf('dev', manifest.name, `schedule-${schedule.name}`)}-dlq`,
        );
        template.hasResourceProperties('AWS::Scheduler::Schedule', {
          Name: scheduleNameOf('dev', manifest.name, schedule.name),
          ScheduleExpression: schedule.expression,
          ScheduleExpressionTimezone: schedule.timezone,
          State: 'ENABLED',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: {
            Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
          },
        });
      }
    }
    templateOf('fixture').hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'fsp-dev-fixture-weekday-morning',
      ScheduleExpressionTimezone: 'Europe/London',
    });
    templateOf('fixture').hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'fsp-dev-fixture-every-five-minutes',
      ScheduleExpressionTimezone: 'UTC',
    });
  });

  test('a scheduled function keeps runs that fail after its asynchronous retries', () => {
    for (const manifest of manifests) {
      const template = templateOf(manifest.name);
      for (const name of new Set(manifest.schedules.map((schedule) => schedule.handler.name))) {
        const dlqId = logicalIdOf(
          template,
          'AWS::SQS::Queue',
          (p) => p.QueueName === `${queueNameOf('dev', manifest.name, `${name}-async`)}-dlq`,
        );
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: functionNameOf('dev', manifest.name, name),
          DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        });
      }
    }
  });
});

describe('tables', () => {
  // dev's settings (stages.ts): destroyed with its stack, no deletion protection, 7 days of PITR; staging and prod in stages.test.ts.
  test('every table is the shared definition with PITR, the platform CMK, a NEW_IMAGE stream and TTL, and the dev stage destroys it', () => {
    for (const manifest of manifests) {
      const template = templateOf(manifest.name);
      const definition = createTableInput(tableNameFor('dev', manifest.name));
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
        Properties: {
          TableName: definition.TableName,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: definition.KeySchema,
          AttributeDefinitions: Match.arrayWith(definition.AttributeDefinitions),
          GlobalSecondaryIndexes: definition.GlobalSecondaryIndexes,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
          DeletionProtectionEnabled: false,
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: platformImport('Key') },
          StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
          TimeToLiveSpecification: { AttributeName: TABLE_KEYS.timeToLive, Enabled: true },
        },
      });
    }
  });
});

describe('functions', () => {
  test('every manifest function is one Node 22 arm64 function with the platform environment and the manifest environment', () => {
    for (const manifest of manifests) {
      const template = templateOf(manifest.name);
      const tableId = logicalIdOf(template, 'AWS::DynamoDB::Table', () => true);
      const hasPartnerRoutes = Object.keys(partnerRouteScopesOf(manifest)).length > 0;
      template.resourceCountIs('AWS::Lambda::Function', manifest.functions.length + (hasPartnerRoutes ? 1 : 0));
      for (const fn of manifest.functions) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: functionNameOf('dev', manifest.name, fn.name),
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          Timeout: fn.timeoutSeconds,
          MemorySize: fn.memoryMb,
          TracingConfig: { Mode: 'Active' },
          Environment: {
            Variables: {
              TABLE_NAME: { Ref: tableId },
              EVENT_BUS_NAME: platformImport('Bus'),
              EVENT_SOURCE: `fsp.${manifest.name}`,
              POWERTOOLS_SERVICE_NAME: manifest.name,
              STAGE: 'dev',
              ...(fn.permissions.cognitoUserPoolClients || fn.permissions.readDirectory ? { USER_POOL_ID: platformImport('Workers') } : {}),
              ...manifest.environment,
            },
          },
        });
      }
    }
  });

  test("each function's timeout is the longest its uses ask for, unless its entry sets one; memory 512 MB unless set", () => {
    const settings = Object.fromEntries(
      resourcesOf(templateOf('fixture'), 'AWS::Lambda::Function').map(([, fn]) => [
        fn.Properties.FunctionName,
        { timeout: fn.Properties.Timeout, memory: fn.Properties.MemorySize },
      ]),
    );
    expect(settings).toEqual({
      'fsp-dev-fixture-http': { timeout: 10, memory: 512 },
      'fsp-dev-fixture-partner-api': { timeout: 10, memory: 256 },
      // A consumer that also runs a schedule, with its own 10 s.
      'fsp-dev-fixture-on-note-written': { timeout: 10, memory: 512 },
      'fsp-dev-fixture-on-tuned': { timeout: 20, memory: 512 },
      // A scheduled function with nothing set: 30 s.
      'fsp-dev-fixture-sweeper': { timeout: 30, memory: 512 },
      'fsp-dev-fixture-partner-authorizer': { timeout: 5, memory: 256 },
    });
  });

  test('no role may Scan a table or use a wildcard DynamoDB action, and only the outbox pipe may put events', () => {
    const allPolicies = [platformTemplate, ...synthesised.serviceTemplates()].flatMap((template) =>
      resourcesOf(template, 'AWS::IAM::Policy').map(([id, policy]) => ({ id, text: JSON.stringify(policy.Properties) })),
    );
    expect(allPolicies.length).toBeGreaterThan(0);
    for (const policy of allPolicies) {
      expect({ policy: policy.id, scan: policy.text.includes('dynamodb:Scan'), wildcard: /"dynamodb:\*"/.test(policy.text) }).toEqual({
        policy: policy.id,
        scan: false,
        wildcard: false,
      });
      // The outbox pipes, and the platform rule bringing SES's events of workers' email to the bus (ADR 0019).
      if (policy.text.includes('events:PutEvents')) expect(policy.id).toMatch(/^(OutboxPipeRole|SesEventsToPlatformBusEventsRole)/);
    }
    for (const manifest of manifests) {
      const publishers = resourcesOf(templateOf(manifest.name), 'AWS::IAM::Policy')
        .filter(([, policy]) => JSON.stringify(policy.Properties).includes('events:PutEvents'))
        .map(([id]) => id);
      expect({ service: manifest.name, publishers }).toEqual({
        service: manifest.name,
        publishers: [expect.stringMatching(/^OutboxPipeRole/)],
      });
    }
  });
});

describe('permissions', () => {
  const functionsAsking = (flag: 'cognitoUserPoolClients' | 'readDirectory') =>
    manifests.flatMap((manifest) =>
      manifest.functions.filter((fn) => fn.permissions[flag]).map((fn) => functionNameOf('dev', manifest.name, fn.name)),
    );
  const manageAppClients = {
    Sid: 'ManagePartnerAppClients',
    Effect: 'Allow',
    Action: USER_POOL_CLIENT_ACTIONS.map((action) => `cognito-idp:${action}`),
    Resource: importOfPlatform('Workers'),
  };
  const readDirectory = {
    Sid: 'ReadDirectory',
    Effect: 'Allow',
    Action: DIRECTORY_READ_ACTIONS.map((action) => `cognito-idp:${action}`),
    Resource: importOfPlatform('Workers'),
  };
  /** A function's statements on the user pool: one per flag its manifest entry sets, none otherwise. */
  const userPoolGrantsOf = (functionName: string) => [
    ...(functionsAsking('cognitoUserPoolClients').includes(functionName) ? [manageAppClients] : []),
    ...(functionsAsking('readDirectory').includes(functionName) ? [readDirectory] : []),
  ];
  const expectUserPoolGrantsAsAsked = () => {
    for (const manifest of manifests) {
      for (const [functionName, grants] of grantsByFunction(templateOf(manifest.name), 'cognito-idp:')) {
        expect({ functionName, grants }).toEqual({ functionName, grants: userPoolGrantsOf(functionName) });
      }
    }
  };

  test("only a function whose entry asks for cognitoUserPoolClients may manage app clients, exactly those actions on the platform's user pool", () => {
    expect(functionsAsking('cognitoUserPoolClients')).toEqual([functionNameOf('dev', 'referrals', 'admin')]);
    expectUserPoolGrantsAsAsked();
  });

  test("only a function whose entry asks for readDirectory may read people, with the directory's read-only operations on the platform's user pool", () => {
    expect(functionsAsking('readDirectory')).toContain(functionNameOf('dev', 'fixture', 'on-tuned'));
    // Spelled out: a write (AdminUpdateUserAttributes, AdminAddUserToGroup…) must never arrive by a change to the list.
    expect(readDirectory.Action).toEqual(['cognito-idp:ListUsers', 'cognito-idp:ListUsersInGroup', 'cognito-idp:AdminListGroupsForUser']);
    expect(grantsByFunction(templateOf('fixture'), 'cognito-idp:').get(functionNameOf('dev', 'fixture', 'on-tuned'))).toEqual([
      readDirectory,
    ]);
    expectUserPoolGrantsAsAsked();
  });

  test('only those functions are given USER_POOL_ID', () => {
    const asking = [...functionsAsking('cognitoUserPoolClients'), ...functionsAsking('readDirectory')];
    for (const template of synthesised.serviceTemplates()) {
      for (const [, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
        const functionName = fn.Properties.FunctionName as string;
        expect({ functionName, poolId: JSON.stringify(fn.Properties).includes('USER_POOL_ID') }).toEqual({
          functionName,
          poolId: asking.includes(functionName),
        });
      }
    }
    expect(asking).toContain(functionNameOf('dev', 'fixture', 'on-tuned'));
  });
});

describe('pages and sign-in', () => {
  /** Functions serving the worker web app: a page route, or a sign-in route (worker-web.ts). */
  const webFunctions = () =>
    manifests.flatMap((manifest) =>
      manifest.functions.filter((fn) => servesWorkerWeb(fn)).map((fn) => functionNameOf('dev', manifest.name, fn.name)),
    );
  const readSessionKeys = {
    Sid: 'ReadSessionKeys',
    Effect: 'Allow',
    Action: 'secretsmanager:GetSecretValue',
    Resource: importOfPlatform('SessionKeys'),
  };

  test('the platform has one session keys secret, generated by CloudFormation and encrypted with the platform key', () => {
    // The other is the match keys' (match-keys.test.ts), under a key of its own.
    platformTemplate.resourceCountIs('AWS::SecretsManager::Secret', 2);
    const keyId = logicalIdOf(platformTemplate, 'AWS::KMS::Key', (p) => String(p.Description).includes('tables, queues, logs'));
    platformTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'fsp-dev-session-keys',
      KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      // The shape keysFromSecret reads: {"id":1,"passphrase":"<64 letters and digits>"}.
      GenerateSecretString: {
        SecretStringTemplate: JSON.stringify({ id: 1 }),
        GenerateStringKey: 'passphrase',
        PasswordLength: 64,
        ExcludePunctuation: true,
        IncludeSpace: false,
      },
    });
    // No secret value is ever in a template.
    expect(JSON.stringify(platformTemplate.toJSON())).not.toMatch(/"SecretString"\s*:/);
  });

  test("the fixture's HTTP function serves a page, so it is among them (which routes count: test/unit/worker-web.test.ts)", () => {
    expect(webFunctions()).toContain(functionNameOf('dev', 'fixture', 'http'));
  });

  test('only a function serving the web app may read the keys: GetSecretValue on that one secret, decrypting only through Secrets Manager', () => {
    for (const manifest of manifests) {
      const template = templateOf(manifest.name);
      for (const [functionName, all] of grantsByFunction(template, 'secretsmanager:')) {
        // The match keys' grant is match-keys.test.ts's.
        const grants = all.filter((grant) => grant.Sid !== 'ReadMatchKeys');
        expect({ functionName, grants }).toEqual({ functionName, grants: webFunctions().includes(functionName) ? [readSessionKeys] : [] });
      }
      for (const [functionName, grants] of grantsByFunction(template, 'kms:')) {
        const viaSecretsManager = grants.filter((grant) => grant.Sid === 'SessionKeysDecryption');
        expect({ functionName, viaSecretsManager }).toEqual({
          functionName,
          viaSecretsManager: webFunctions().includes(functionName)
            ? [
                {
                  Sid: 'SessionKeysDecryption',
                  Effect: 'Allow',
                  Action: 'kms:Decrypt',
                  Resource: importOfPlatform('Key'),
                  Condition: {
                    StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
                  },
                },
              ]
            : [],
        });
      }
    }
  });

  const emailingFunctions = () =>
    manifests.flatMap((manifest) =>
      manifest.functions.filter((fn) => fn.permissions.sendEmail).map((fn) => functionNameOf('dev', manifest.name, fn.name)),
    );
  const cloudFrontOrigin = {
    'Fn::Join': [
      '',
      ['https://', { 'Fn::ImportValue': expect.stringMatching(/^fsp-dev-edge:ExportsOutputFnGetAttDistribution.*DomainName/) }],
    ],
  };

  test("only those functions get the session keys, PUBLIC_ORIGIN (CloudFront's by default) and the identity provider's settings; a function that emails the origin alone, for its links", () => {
    const names = ['SESSION_KEYS_SECRET_ARN', 'PUBLIC_ORIGIN', 'OIDC_ISSUER', 'OIDC_DOMAIN', 'WEB_CLIENT_ID', 'SESSION_KEYS'];
    for (const template of synthesised.serviceTemplates()) {
      for (const [, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
        const functionName = fn.Properties.FunctionName as string;
        const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
        const given = { functionName, ...Object.fromEntries(names.map((name) => [name, variables[name]])) };
        const none = Object.fromEntries(names.map((name) => [name, undefined]));
        expect(given).toEqual(
          webFunctions().includes(functionName)
            ? {
                functionName,
                ...none,
                SESSION_KEYS_SECRET_ARN: importOfPlatform('SessionKeys'),
                PUBLIC_ORIGIN: {
                  'Fn::Join': [
                    '',
                    [
                      'https://',
                      { 'Fn::ImportValue': expect.stringMatching(/^fsp-dev-edge:ExportsOutputFnGetAttDistribution.*DomainName/) },
                    ],
                  ],
                },
                // https://cognito-idp.<region>.amazonaws.com/<poolId>: the pool's ProviderURL attribute.
                OIDC_ISSUER: { 'Fn::ImportValue': expect.stringMatching(/^fsp-dev-platform:ExportsOutputFnGetAttWorkers.*ProviderURL/) },
                // https://<prefix>.auth.<region>.amazoncognito.com: the domain's Ref is its prefix.
                OIDC_DOMAIN: {
                  'Fn::Join': [
                    '',
                    [
                      'https://',
                      { 'Fn::ImportValue': expect.stringMatching(/^fsp-dev-platform:ExportsOutputRefWorkersDomain/) },
                      '.auth.',
                      { Ref: 'AWS::Region' },
                      '.amazoncognito.com',
                    ],
                  ],
                },
                WEB_CLIENT_ID: importOfSignIn('WorkerWebClient'),
              }
            : emailingFunctions().includes(functionName)
              ? { functionName, ...none, PUBLIC_ORIGIN: cloudFrontOrigin }
              : { functionName, ...none },
        );
      }
    }
  });

  test('a publicOrigin (the custom domain) replaces the default, and anything but an https origin is refused', () => {
    const build = (publicOrigin: string) => {
      const app = new App({ context: { ...FSP_APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
      return buildFspApp(app, { stage: 'dev', manifests: [fixture], publicOrigin });
    };
    const { services } = build('https://fsp.council.example');
    Template.fromStack(services[0]!).hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: functionNameOf('dev', 'fixture', 'http'),
      Environment: { Variables: Match.objectLike({ PUBLIC_ORIGIN: 'https://fsp.council.example' }) },
    });
    for (const wrong of [
      'https://fsp.council.example/',
      'fsp.council.example',
      'http://fsp.council.example',
      'https://fsp.council.example/x',
    ]) {
      expect(() => build(wrong)).toThrow(
        `publicOrigin must be an https origin such as https://fsp.council.example (no path, no trailing slash): ${wrong}`,
      );
    }
  });
});

describe('the outbox pipe', () => {
  const streamImage = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true });
  const record = (eventName: string, item: Record<string, unknown>) => ({
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: { NewImage: streamImage(item), StreamViewType: 'NEW_IMAGE' },
  });

  test('each service has one pipe from its own table stream to the platform bus, filtered to new outbox items', () => {
    for (const manifest of manifests) {
      const template = templateOf(manifest.name);
      const tableId = logicalIdOf(template, 'AWS::DynamoDB::Table', () => true);
      const roleId = logicalIdOf(template, 'AWS::IAM::Role', (p) =>
        JSON.stringify(p.AssumeRolePolicyDocument).includes('pipes.amazonaws.com'),
      );
      template.resourceCountIs('AWS::Pipes::Pipe', 1);
      template.hasResourceProperties('AWS::Pipes::Pipe', {
        Name: `fsp-dev-${manifest.name}-outbox`,
        RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
        Source: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
        Target: platformImport('Bus'),
        SourceParameters: {
          FilterCriteria: { Filters: [{ Pattern: JSON.stringify(OUTBOX_STREAM_FILTER) }] },
          DynamoDBStreamParameters: Match.objectLike({ StartingPosition: 'TRIM_HORIZON' }),
        },
        TargetParameters: {
          InputTemplate: OUTBOX_INPUT_TEMPLATE,
          EventBridgeEventBusParameters: {
            Source: OUTBOX_EVENT_PARAMETERS.source,
            DetailType: OUTBOX_EVENT_PARAMETERS.detailType,
            Time: OUTBOX_EVENT_PARAMETERS.time,
          },
        },
      });
    }
  });

  test('the filter tests what isOutboxImage tests, on inserts only: the kind an outbox item has, and exactly its key prefix', () => {
    const item = outboxItem(
      { source: 'fsp.referrals', detailType: 'ReferralSubmitted', detail: { metadata: { eventId: '0b7e4a' } } },
      new Date('2025-03-03T09:00:00Z'),
    ) as unknown as Record<string, unknown>;
    const image = record('INSERT', item).dynamodb.NewImage;
    // Only new items: an outbox item is never updated to be published again.
    expect(OUTBOX_STREAM_FILTER.eventName).toEqual(['INSERT']);
    // The two attributes, as the stream record carries them (typed `S`), and nothing else.
    expect(Object.keys(OUTBOX_STREAM_FILTER.dynamodb.NewImage).sort()).toEqual(['kind', 'pk']);
    expect(OUTBOX_STREAM_FILTER.dynamodb.NewImage.kind).toEqual({ S: [image.kind!.S] });
    const [{ prefix }] = OUTBOX_STREAM_FILTER.dynamodb.NewImage.pk.S;
    expect(image.pk!.S!.startsWith(prefix)).toBe(true);
    // The very prefix isOutboxImage requires: anything after it passes, one character less does not.
    expect(isOutboxImage({ ...item, pk: `${prefix}anything` })).toBe(true);
    expect(isOutboxImage({ ...item, pk: prefix.slice(0, -1) })).toBe(false);
    expect(isOutboxImage({ ...item, kind: 'referral' })).toBe(false);
  });

  test('the target parameters read attributes an outbox item really has, as strings', () => {
    const item = outboxItem(
      { source: 'fsp.cases', detailType: 'CaseOpened', detail: { metadata: { eventId: 'e1' } } },
      new Date('2025-03-03T09:00:00Z'),
    );
    const image = streamImage(item as unknown as Record<string, unknown>);
    for (const path of [OUTBOX_INPUT_TEMPLATE.slice(1, -1), ...Object.values(OUTBOX_EVENT_PARAMETERS)]) {
      const [, , , attribute, type] = path.split('.');
      expect({ path, value: (image[attribute!] as Record<string, unknown> | undefined)?.[type!] }).toEqual({
        path,
        value: expect.any(String),
      });
    }
    // The detail string is the producer's JSON: the bus receives it as the event's detail object.
    expect(JSON.parse(image.detail!.S!)).toEqual({ metadata: { eventId: 'e1' } });
  });
});

describe('platform', () => {
  test('one custom bus, a rotating CMK and a KMS-encrypted alarms topic', () => {
    platformTemplate.hasResourceProperties('AWS::Events::EventBus', { Name: 'fsp-dev' });
    platformTemplate.resourceCountIs('AWS::Events::EventBus', 1);
    // The platform key; the match keys' own key is match-keys.test.ts's.
    const keyId = logicalIdOf(platformTemplate, 'AWS::KMS::Key', (p) => String(p.Description).includes('tables, queues, logs'));
    expect(platformTemplate.toJSON().Resources[keyId]).toMatchObject({ Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    platformTemplate.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'fsp-dev-alarms',
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });

  test('the worker user pool has the platform roles as groups, a team attribute and MFA; partner scopes live on a resource server', () => {
    const groups = resourcesOf(platformTemplate, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName);
    expect(groups.sort()).toEqual([...ROLES].sort());
    platformTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: Match.arrayWith([Match.objectLike({ Name: 'team', AttributeDataType: 'String', Mutable: true })]),
    });
    platformTemplate.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'referrals',
      Scopes: [
        { ScopeName: 'submit', ScopeDescription: Match.anyValue() },
        { ScopeName: 'read', ScopeDescription: Match.anyValue() },
      ],
    });
    // Agencies are onboarded at run time by the admin API: the only app client in CDK is the workers' web client (the sign-in stack's).
    platformTemplate.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    for (const template of synthesised.serviceTemplates()) template.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    expect(resourcesOf(Template.fromStack(stacks.signIn), 'AWS::Cognito::UserPoolClient').map(([, c]) => c.Properties.ClientName)).toEqual([
      'fsp-dev-worker-web',
    ]);
  });
});

describe('cdk-nag', () => {
  test.each([
    ['AwsSolutions', () => new AwsSolutionsChecks(undefined, { verbose: true })],
    ['Serverless', () => new ServerlessChecks(undefined, { verbose: true })],
    ['NIST 800-53 rev 5', () => new NIST80053R5Checks(undefined, { verbose: true })],
  ])('%s reports no unacknowledged finding on any stack', (_pack, create) => {
    for (const stack of [stacks.platform, stacks.edgeSecurity, stacks.edge, stacks.signIn, ...stacks.services]) {
      const report = create().validateScope(stack);
      const findings = report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
      expect({ stack: stack.stackName, findings }).toEqual({ stack: stack.stackName, findings: [] });
    }
  });

  test('the packs do find problems when there are some (so the test above can fail)', () => {
    const scratch = new App();
    const stack = new Stack(scratch, 'Scratch');
    new Queue(stack, 'Unencrypted');
    const rules = [new AwsSolutionsChecks(), new ServerlessChecks(), new NIST80053R5Checks()].flatMap((pack) =>
      pack.validateScope(stack).violations.map((v) => v.ruleName),
    );
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4', 'Serverless-SQSRedrivePolicy']));
  });

  test('the packs are registered on the app, so that synthesis itself fails on a finding', () => {
    // The shared app above is synthesised without them (support.ts); the app as `npm run synth` builds it has them.
    const app = new App({ context: { ...FSP_APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    const built = buildFspApp(app, { stage: 'dev', manifests: [fixture] });
    expect(built.nagPacks.map((pack) => pack.readPackName).sort()).toEqual(['AwsSolutions', 'NIST.800.53.R5', 'Serverless']);
    expect(() => app.synth()).not.toThrow();
    new Queue(built.services[0]!, 'Unencrypted');
    expect(() => app.synth({ force: true })).toThrow(/[Vv]alidation/);
  });
});

describe('stage', () => {
  test('dev by default; dev, staging and prod accepted; anything else refused', () => {
    expect(parseStage(undefined)).toBe('dev');
    expect(parseStage('prod')).toBe('prod');
    expect(parseStage('staging')).toBe('staging');
    expect(() => parseStage('production')).toThrow(/stage must be one of dev, staging, prod/);
  });

  test('names carry the stage', () => {
    const prodApp = new App({ context: { ...FSP_APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    const prod = buildFspApp(prodApp, { stage: 'prod', manifests: [fixture], domain: PROD_DOMAIN });
    expect(prod.platform.stackName).toBe('fsp-prod-platform');
    const template = Template.fromStack(prod.services[0]!);
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'fsp-prod-fixture' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'fsp-prod-fixture-http',
      Environment: { Variables: Match.objectLike({ STAGE: 'prod' }) },
    });
  });

  test('a manifest that would break AWS naming limits is refused at synth, naming the culprit', () => {
    const longName = 'x'.repeat(60);
    const badApp = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const longSubscription = resolveManifest({
      ...declaredFixture,
      subscriptions: [{ ...declaredFixture.subscriptions[0]!, name: longName }],
    });
    expect(() => buildFspApp(badApp, { stage: 'dev', manifests: [longSubscription] })).toThrow(new RegExp(`fsp-dev-fixture-${longName}`));
  });

  test('the fixture points at real handler files', () => {
    expect(join(fixture.directory, fixture.http!.function.entry)).toMatch(/notes-service\/src\/handlers\/http\.ts$/);
  });
});
