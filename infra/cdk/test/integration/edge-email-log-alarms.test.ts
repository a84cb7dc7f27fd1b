/**
 * What the app builds from three manifest fields beyond the wiring fsp-app.test.ts checks: `assets`
 * (the edge stack: S3, BucketDeployment, CloudFront in front of the HTTP API, and which requests
 * carry cookies, tokens and headers to which origin),
 * `permissions.sendEmail` (SES) and `logAlarms` (metric filters and alarms). Every real manifest
 * plus a fixture that uses all three, synthesised without bundling.
 */
import { join } from 'node:path';
import { CSRF_HEADER } from '@fsp/shared/http/page-session';
import { SESSION_COOKIE, SIGN_IN_STATE_COOKIE } from '@fsp/shared/http/session';
import type { ServiceManifest } from '@fsp/shared/manifest';
import { loadServiceManifests, resolveAssetDirectory } from '@fsp/shared/manifest-loader';
import { type ResolvedManifest, resolveManifest } from '@fsp/shared/manifest-resolve';
import { manifest as notesManifest } from '@fsp/shared/testing/fixtures/notes-service/service';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CachePolicy } from 'aws-cdk-lib/aws-cloudfront';
import { manifest as notificationsManifest } from '../../../../services/notifications/service';
import { WEBHOOK_DEAD_LETTERED } from '../../../../services/notifications/src/domain/alarmed-log-messages';
import { WORKER_MAIL_FROM } from '../../../../services/notifications/src/worker-mail-manifest';
import { DRAFT_COOKIE } from '../../../../services/referrals/src/http/public-form';
import { deployedAssetsOf, PAGE_COOKIES, PAGE_HEADERS } from '../../edge-stack';
import { buildFspApp, type FspStacks } from '../../fsp-app';
import { functionNameOf } from '../../naming';
import { logAlarmNamespaceOf, SES_SEND_EMAIL_ACTION, sesIdentitiesOf } from '../../service-stack';
import { grantsByFunction, type Resource, resourcesOf, type SynthesisedApp, synthesiseWithoutBundling } from './support';

const declaredFixture: ServiceManifest = {
  ...notesManifest,
  name: 'fixture',
  schedules: [
    {
      name: 'sweep',
      function: {
        name: 'sweeper',
        entry: 'src/handlers/on-note-written.ts',
        permissions: { sendEmail: { from: 'notes@notes.example.org' } },
      },
      expression: 'rate(5 minutes)',
    },
  ],
  // A prefix of its own that no real service claims; the directory is found above the fixture's folder.
  assets: [{ urlPath: '/fixture-assets/images/', directory: 'node_modules/govuk-frontend/dist/govuk/assets/images' }],
  logAlarms: [
    {
      name: 'note-lost',
      functions: ['on-note-written', 'sweeper'],
      level: 'ERROR',
      message: 'Note lost',
      description: 'A note could not be stored.',
    },
  ],
};
const fixture = resolveManifest(declaredFixture);

let manifests: ResolvedManifest[];
let stacks: FspStacks;
let edge: Template;

let synthesised: SynthesisedApp;

beforeAll(async () => {
  manifests = [fixture, ...(await loadServiceManifests())];
  synthesised = synthesiseWithoutBundling(manifests);
  stacks = synthesised.stacks;
  edge = Template.fromStack(stacks.edge);
});

const templateOf = (service: string): Template => synthesised.templateOf(service);
const exportPattern = (logicalIdPrefix: string) => new RegExp(`^fsp-dev-platform:ExportsOutput(Ref|FnGetAtt)${logicalIdPrefix}`);
/** A platform export as another stack imports it: a jest matcher, and below a CDK assertions matcher. */
const importOfPlatform = (logicalIdPrefix: string) => ({ 'Fn::ImportValue': expect.stringMatching(exportPattern(logicalIdPrefix)) });
const platformImport = (logicalIdPrefix: string) => ({
  'Fn::ImportValue': Match.stringLikeRegexp(`^fsp-dev-platform:ExportsOutput(Ref|FnGetAtt)${logicalIdPrefix}`),
});

describe('static assets (the edge stack)', () => {
  const bucketIdOf = () => {
    const buckets = resourcesOf(edge, 'AWS::S3::Bucket').filter(([, bucket]) => bucket.Properties.LoggingConfiguration !== undefined);
    expect(buckets).toHaveLength(1);
    return buckets[0]![0];
  };

  test('every manifest asset entry is deployed, the real form assets among them', () => {
    const urlPaths = deployedAssetsOf(manifests).map((entry) => entry.urlPath);
    expect(urlPaths).toEqual(expect.arrayContaining(['/assets/frontend', '/assets', '/fixture-assets/images']));
    expect(urlPaths).toHaveLength(manifests.flatMap((manifest) => manifest.assets ?? []).length);
  });

  test('the assets bucket is S3-encrypted, private, versioned, access-logged and TLS only', () => {
    const bucketId = bucketIdOf();
    const logBucketId = resourcesOf(edge, 'AWS::S3::Bucket').find(([id]) => id !== bucketId)![0];
    edge.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId }, LogFilePrefix: 'assets-bucket/' },
      },
    });
    const [, policy] = resourcesOf(edge, 'AWS::S3::BucketPolicy').find(
      ([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
    )!;
    const statements = (policy.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    // The only reader is this distribution, through origin access control.
    const distributionId = resourcesOf(edge, 'AWS::CloudFront::Distribution')[0]![0];
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.objectContaining({ 'Fn::Join': expect.anything() }) } },
      }),
    ]);
    expect(JSON.stringify(allows[0]!.Condition)).toContain(`"Ref":"${distributionId}"`);
  });

  test('one deployment per asset entry, into its own bucket folder under its URL path, pruned and invalidated', () => {
    const bucketId = bucketIdOf();
    const deployments = resourcesOf(edge, 'Custom::CDKBucketDeployment');
    const expected = deployedAssetsOf(manifests);
    expect(deployments).toHaveLength(expected.length);
    for (const entry of expected) {
      expect(entry.keyPrefix).toBe(`${entry.bucketRoot}${entry.urlPath}/`);
      edge.hasResourceProperties('Custom::CDKBucketDeployment', {
        DestinationBucketName: { Ref: bucketId },
        DestinationBucketKeyPrefix: entry.keyPrefix,
        Prune: true,
        DistributionPaths: [`${entry.urlPath}/*`],
      });
    }
    // No deployment's folder contains another's, so pruning one never deletes another's files.
    const prefixes = expected.map((entry) => `${entry.bucketRoot}/`);
    for (const a of prefixes)
      for (const b of prefixes) if (a !== b) expect({ a, b, nested: b.startsWith(a) }).toEqual({ a, b, nested: false });
  });

  test("asset directories are found as the local cloud finds them: the service's folder, then each folder above it", () => {
    const referrals = manifests.find((manifest) => manifest.name === 'referrals')!;
    const formAssets = deployedAssetsOf([referrals]).find((entry) => entry.urlPath === '/assets/frontend')!;
    expect(formAssets.sourceDirectory).toBe(resolveAssetDirectory(referrals.directory, 'node_modules/govuk-frontend/dist/govuk'));
    expect(formAssets.sourceDirectory).toMatch(/node_modules\/govuk-frontend\/dist\/govuk$/);
  });

  type Distribution = {
    Origins: Array<{ Id: string; DomainName: unknown; OriginPath?: string; OriginAccessControlId?: unknown; CustomOriginConfig?: unknown }>;
    DefaultCacheBehavior: Record<string, unknown>;
    CacheBehaviors: Array<Record<string, unknown>>;
  };
  const distributionConfig = () => {
    const [[, distribution]] = resourcesOf(edge, 'AWS::CloudFront::Distribution') as [[string, Resource]];
    return distribution.Properties.DistributionConfig as Distribution;
  };
  /** A policy a behaviour names: this stack's own (a Ref), else the managed policy's id. */
  const policyOf = (type: string, reference: unknown): Record<string, unknown> | string => {
    if (typeof reference === 'string') return reference;
    const id = (reference as { Ref: string }).Ref;
    const [, policy] = resourcesOf(edge, type).find(([logicalId]) => logicalId === id)!;
    return Object.values(policy.Properties)[0] as Record<string, unknown>;
  };
  const requestPolicyOf = (behaviour: Record<string, unknown>) =>
    behaviour.OriginRequestPolicyId === undefined
      ? undefined
      : policyOf('AWS::CloudFront::OriginRequestPolicy', behaviour.OriginRequestPolicyId);
  const cachePolicyOf = (behaviour: Record<string, unknown>) => policyOf('AWS::CloudFront::CachePolicy', behaviour.CachePolicyId);
  const apiDomain = {
    'Fn::Join': ['', [importOfPlatform('HttpApi'), '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]],
  };

  test('pages (the default behaviour) go to the API uncached, with their cookies, Origin and query strings but never Authorization', () => {
    const config = distributionConfig();
    const api = config.Origins.find((origin) => origin.Id === config.DefaultCacheBehavior.TargetOriginId)!;
    expect(api.DomainName).toEqual(apiDomain);
    expect(api.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(config.DefaultCacheBehavior).toMatchObject({
      AllowedMethods: expect.arrayContaining(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']),
      CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
      ViewerProtocolPolicy: 'redirect-to-https',
    });
    expect(requestPolicyOf(config.DefaultCacheBehavior)).toEqual({
      Name: 'fsp-dev-pages',
      Comment: expect.any(String),
      CookiesConfig: { CookieBehavior: 'whitelist', Cookies: ['__Host-fsp-session', '__Host-fsp-signin', 'fsp_referral'] },
      HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Origin', 'Content-Type', 'x-csrf-token', 'x-correlation-id'] },
      QueryStringsConfig: { QueryStringBehavior: 'all' },
    });
  });

  test("the cookies a page path forwards are the session's, the sign-in state's and the referral form's draft, by the names their code uses", () => {
    expect(PAGE_COOKIES).toEqual([SESSION_COOKIE, SIGN_IN_STATE_COOKIE, DRAFT_COOKIE]);
    expect(PAGE_HEADERS).toEqual(expect.arrayContaining([CSRF_HEADER]));
  });

  test('/api/* and /v1/* go to the API with Authorization (in the cache key) and query strings, no cookie, and are not cached', () => {
    const config = distributionConfig();
    const apis = config.CacheBehaviors.filter((behaviour) => ['/api/*', '/v1/*'].includes(behaviour.PathPattern as string));
    expect(apis.map((behaviour) => behaviour.PathPattern)).toEqual(['/api/*', '/v1/*']);
    for (const behaviour of apis) {
      expect(config.Origins.find((origin) => origin.Id === behaviour.TargetOriginId)!.DomainName).toEqual(apiDomain);
      expect(behaviour).toMatchObject({
        AllowedMethods: expect.arrayContaining(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']),
        ViewerProtocolPolicy: 'redirect-to-https',
      });
      expect(cachePolicyOf(behaviour)).toEqual({
        Name: 'fsp-dev-bearer-api',
        Comment: expect.any(String),
        // Nothing is kept unless an answer asks, and then for a second at most, per token and query string.
        MinTTL: 0,
        DefaultTTL: 0,
        MaxTTL: 1,
        ParametersInCacheKeyAndForwardedToOrigin: {
          CookiesConfig: { CookieBehavior: 'none' },
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization'] },
          QueryStringsConfig: { QueryStringBehavior: 'all' },
          EnableAcceptEncodingGzip: false,
          EnableAcceptEncodingBrotli: false,
        },
      });
      expect(requestPolicyOf(behaviour)).toEqual({
        Name: 'fsp-dev-bearer-api',
        Comment: expect.any(String),
        CookiesConfig: { CookieBehavior: 'none' },
        HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Content-Type', 'Idempotency-Key', 'x-correlation-id'] },
        QueryStringsConfig: { QueryStringBehavior: 'all' },
      });
    }
  });

  test('cookies reach the origin on page paths only: every other behaviour forwards none and keys on none', () => {
    const config = distributionConfig();
    const forwardsCookies = (behaviour: Record<string, unknown>) => {
      const request = requestPolicyOf(behaviour);
      const cache = cachePolicyOf(behaviour);
      const requestCookies = typeof request === 'object' ? (request.CookiesConfig as { CookieBehavior: string }).CookieBehavior : 'none';
      // The managed CachingOptimized and CachingDisabled policies key on no cookie.
      const cacheCookies =
        typeof cache === 'object'
          ? (cache.ParametersInCacheKeyAndForwardedToOrigin as { CookiesConfig: { CookieBehavior: string } }).CookiesConfig.CookieBehavior
          : 'none';
      expect([CachePolicy.CACHING_DISABLED.cachePolicyId, CachePolicy.CACHING_OPTIMIZED.cachePolicyId, 'object']).toContain(
        typeof cache === 'object' ? 'object' : cache,
      );
      return requestCookies !== 'none' || cacheCookies !== 'none';
    };
    expect(forwardsCookies(config.DefaultCacheBehavior)).toBe(true);
    expect(config.CacheBehaviors.map((behaviour) => [behaviour.PathPattern, forwardsCookies(behaviour)])).toEqual(
      config.CacheBehaviors.map((behaviour) => [behaviour.PathPattern, false]),
    );
  });

  test('each asset prefix is a cached S3 behaviour after the APIs, longest first, forwarding nothing', () => {
    const config = distributionConfig();
    const expected = deployedAssetsOf(manifests);
    const assetBehaviours = config.CacheBehaviors.slice(2);
    expect(assetBehaviours.map((behaviour) => behaviour.PathPattern)).toEqual(expected.map((entry) => `${entry.urlPath}/*`));
    // govuk-frontend's files and fonts, and MoJ Frontend's (ADR 0011's ASSET_PATHS), the longer prefixes before /assets/*.
    expect(assetBehaviours.map((behaviour) => behaviour.PathPattern)).toEqual(
      expect.arrayContaining(['/assets/frontend/*', '/assets/moj/*', '/assets/*']),
    );
    expect(assetBehaviours.at(-1)!.PathPattern).toBe('/assets/*');
    const bucketId = bucketIdOf();
    for (const [index, entry] of expected.entries()) {
      const behaviour = assetBehaviours[index]!;
      expect(behaviour).toMatchObject({
        AllowedMethods: ['GET', 'HEAD'],
        CachePolicyId: CachePolicy.CACHING_OPTIMIZED.cachePolicyId,
        ViewerProtocolPolicy: 'redirect-to-https',
      });
      expect(behaviour.OriginRequestPolicyId).toBeUndefined();
      const origin = config.Origins.find((candidate) => candidate.Id === behaviour.TargetOriginId)!;
      expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
      expect(origin.OriginAccessControlId).toEqual(expect.objectContaining({ 'Fn::GetAtt': expect.anything() }));
      // CloudFront asks S3 for origin path + request path: `<urlPath>/x` reads the deployment's `<keyPrefix>x`.
      expect(`${origin.OriginPath!.slice(1)}${entry.urlPath}/`).toBe(entry.keyPrefix);
    }
  });

  test('assets are kept an hour by browsers and a year by CloudFront, whose copies each deployment invalidates', () => {
    const deployments = resourcesOf(edge, 'Custom::CDKBucketDeployment');
    expect(deployments.length).toBeGreaterThan(0);
    for (const [, deployment] of deployments) {
      expect(deployment.Properties.SystemMetadata).toEqual({ 'cache-control': 'public, max-age=3600, s-maxage=31536000' });
      expect(deployment.Properties.DistributionPaths).toEqual([expect.stringMatching(/\/\*$/)]);
    }
  });

  test('an asset prefix under the JSON APIs is refused, naming the service', () => {
    for (const urlPath of ['/api', '/api/files', '/v1/assets']) {
      const clashing = resolveManifest({ ...declaredFixture, name: 'other', assets: [{ urlPath, directory: 'x' }] });
      expect(() => deployedAssetsOf([clashing])).toThrow(
        `service other: asset urlPath ${urlPath} is under /${urlPath.split('/')[1]}, the JSON API's`,
      );
    }
    const besides = resolveManifest({ ...declaredFixture, name: 'other', assets: [{ urlPath: '/apis', directory: 'x' }] });
    expect(deployedAssetsOf([besides]).map((entry) => entry.urlPath)).toEqual(['/apis']);
  });

  test('the distribution logs its requests and the platform address is an output', () => {
    edge.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Logging: Match.objectLike({ Prefix: 'distribution/' }) }),
    });
    edge.hasOutput('Url', Match.anyValue());
  });

  test('an asset prefix claimed twice is refused, naming both services', () => {
    const twice = resolveManifest({ ...declaredFixture, name: 'other', assets: [{ urlPath: '/assets', directory: 'x' }] });
    const referrals = manifests.find((manifest) => manifest.name === 'referrals')!;
    expect(() => deployedAssetsOf([referrals, twice])).toThrow(/assets at \/assets of other clash with those of referrals/);
  });
});

describe('permissions.sendEmail', () => {
  const sendersOf = (manifest: ResolvedManifest) => manifest.functions.filter((fn) => fn.permissions.sendEmail);

  test("notifications asks to send from the address its functions are configured with: the referral-decided consumer (referrers) and worker-mail (workers' email) alone", () => {
    const notifications = manifests.find((manifest) => manifest.name === 'notifications')!;
    expect(sendersOf(notifications).map((fn) => [fn.name, fn.permissions.sendEmail?.from])).toEqual([
      ['on-referral-decided', notificationsManifest.environment?.MAIL_FROM],
      ['worker-mail', WORKER_MAIL_FROM],
    ]);
  });

  test('only a function that asks may SendEmail, from its address only, on its address and domain identities', () => {
    const senders = manifests.flatMap((manifest) => sendersOf(manifest).map((fn) => `${manifest.name}/${fn.name}`));
    expect(senders.sort()).toEqual(['fixture/sweeper', 'notifications/on-referral-decided', 'notifications/worker-mail']);
    for (const manifest of manifests) {
      for (const [functionName, grants] of grantsByFunction(templateOf(manifest.name), 'ses:')) {
        const sendEmail = sendersOf(manifest).find((fn) => functionNameOf('dev', manifest.name, fn.name) === functionName)?.permissions
          .sendEmail;
        if (!sendEmail) {
          expect({ functionName, grants }).toEqual({ functionName, grants: [] });
          continue;
        }
        const [address, domain] = sesIdentitiesOf(sendEmail.from);
        const identityArn = (identity: string) => ({
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:identity/${identity}`],
          ],
        });
        // SES authorises a send through a configuration set on the set too (ADR 0019).
        const configurationSetArn = {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ses:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':configuration-set/',
              importOfPlatform('SesEvents'),
            ],
          ],
        };
        expect(grants).toEqual([
          {
            Sid: 'SendEmailFromServiceAddress',
            Effect: 'Allow',
            Action: SES_SEND_EMAIL_ACTION,
            Resource: [identityArn(address), identityArn(domain), ...(sendEmail.sesEvents ? [configurationSetArn] : [])],
            Condition: { StringEquals: { 'ses:FromAddress': sendEmail.from } },
          },
        ]);
      }
    }
  });

  test("the platform's configuration set publishes Send and Bounce to the default bus, and one rule brings its events to the platform bus", () => {
    const platform = Template.fromStack(stacks.platform);
    platform.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'fsp-dev-ses-events' });
    platform.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: ['send', 'bounce'],
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      }),
    });
    const rules = resourcesOf(platform, 'AWS::Events::Rule');
    expect(rules.map(([, rule]) => rule.Properties)).toEqual([
      expect.objectContaining({
        Name: 'fsp-dev-ses-events',
        EventBusName: 'default',
        EventPattern: {
          source: ['aws.ses'],
          'detail-type': ['Email Sent', 'Email Bounced'],
          detail: { mail: { tags: { 'ses:configuration-set': ['fsp-dev-ses-events'] } } },
        },
        Targets: [expect.objectContaining({ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^Bus/), 'Arn'] } })],
      }),
    ]);
    // What the rule forwards, notifications' subscription then matches: the events of its own tag.
    const sesEvents = notificationsManifest.subscriptions.find((subscription) => subscription.name === 'worker-mail-ses-events');
    expect(sesEvents?.pattern).toMatchObject({ source: ['aws.ses'], 'detail-type': ['Email Sent', 'Email Bounced'] });
  });

  test('a function that emails is told the origin of its links; worker-mail alone the configuration set', () => {
    const notifications = templateOf('notifications');
    const variablesOf = (functionName: string) => {
      const found = resourcesOf(notifications, 'AWS::Lambda::Function').find(
        ([, fn]) => fn.Properties.FunctionName === functionNameOf('dev', 'notifications', functionName),
      );
      return (found?.[1].Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables;
    };
    expect(variablesOf('worker-mail')).toMatchObject({
      PUBLIC_ORIGIN: expect.anything(),
      SES_CONFIGURATION_SET: importOfPlatform('SesEvents'),
    });
    expect(variablesOf('on-referral-decided')).toMatchObject({ PUBLIC_ORIGIN: expect.anything() });
    expect(variablesOf('on-referral-decided')).not.toHaveProperty('SES_CONFIGURATION_SET');
  });

  test('the identities of an address are the address and its domain; anything else is refused', () => {
    expect(sesIdentitiesOf('referrals@fsp.example.gov.uk')).toEqual(['referrals@fsp.example.gov.uk', 'fsp.example.gov.uk']);
    expect(() => sesIdentitiesOf('fsp.example.gov.uk')).toThrow(/must be an email address/);
    expect(() => sesIdentitiesOf('referrals@')).toThrow(/must be an email address/);
  });
});

describe('logAlarms', () => {
  test('notifications alarms on the message the webhook delivery logs when it gives up, from both functions that attempt deliveries', () => {
    expect(notificationsManifest.logAlarms).toEqual([
      expect.objectContaining({
        name: 'webhook-dead-lettered',
        level: 'ERROR',
        message: WEBHOOK_DEAD_LETTERED,
        functions: expect.arrayContaining(['webhook-sweep', 'on-referral-decided']),
      }),
    ]);
  });

  test("each log alarm filters each named function's own log group for the level and message, and alarms on one in five minutes to the platform topic", () => {
    const alarming = manifests.filter((manifest) => (manifest.logAlarms ?? []).length > 0);
    expect(alarming.map((manifest) => manifest.name).sort()).toEqual(['fixture', 'notifications']);
    for (const manifest of manifests) {
      const template = templateOf(manifest.name);
      const logAlarms = manifest.logAlarms ?? [];
      expect({ service: manifest.name, filters: resourcesOf(template, 'AWS::Logs::MetricFilter').length }).toEqual({
        service: manifest.name,
        filters: logAlarms.reduce((count, logAlarm) => count + logAlarm.functions.length, 0),
      });
      for (const logAlarm of logAlarms) {
        const metric = { MetricNamespace: logAlarmNamespaceOf('dev', manifest.name), MetricName: logAlarm.name };
        for (const functionName of logAlarm.functions) {
          const logGroupId = resourcesOf(template, 'AWS::Logs::LogGroup').find(
            ([, group]) => group.Properties.LogGroupName === `/aws/lambda/${functionNameOf('dev', manifest.name, functionName)}`,
          )![0];
          template.hasResourceProperties('AWS::Logs::MetricFilter', {
            LogGroupName: { Ref: logGroupId },
            FilterPattern: `{ ($.level = "${logAlarm.level}") && ($.message = "${logAlarm.message}") }`,
            MetricTransformations: [{ ...metric, MetricValue: '1' }],
          });
        }
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: `fsp-dev-${manifest.name}-${logAlarm.name}`,
          AlarmDescription: `${manifest.name}: ${logAlarm.description}`,
          Namespace: metric.MetricNamespace,
          MetricName: metric.MetricName,
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
          AlarmActions: [platformImport('Alarms')],
          OKActions: [platformImport('Alarms')],
        });
      }
    }
  });

  test('a log alarm naming a function the manifest does not have is refused at synth', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const wrong = resolveManifest({ ...declaredFixture, logAlarms: [{ ...declaredFixture.logAlarms![0]!, functions: ['nowhere'] }] });
    expect(() => buildFspApp(app, { stage: 'dev', manifests: [wrong] })).toThrow(/service fixture: no function nowhere/);
  });

  test('the fixture points at real handler files', () => {
    expect(join(fixture.directory, fixture.schedules[0]!.function.entry)).toMatch(/notes-service\/src\/handlers\/on-note-written\.ts$/);
  });
});
