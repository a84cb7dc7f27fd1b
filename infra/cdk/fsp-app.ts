/**
 * Builds the whole CDK app from the service manifests: the platform stack, the edge security
 * stack (the WAF web ACL, in us-east-1), the edge stack (CloudFront and the services' static files), the sign-in stack (the worker web client and the
 * worker JWT authorizer), the backup stack in stages that have one (the AWS Backup vault and plan,
 * backup-stack.ts) and one stack per service, in that order of dependency. What differs between
 * stages is read once, from stages.ts, and handed to each stack. Shared by
 * `app.ts` (cdk synth) and the tests, so that what the tests check is what `npm run synth` produces.
 */
import { join } from 'node:path';
import { platformDefaultRouteOf } from '@fsp/shared/manifest';
import { REPOSITORY_ROOT } from '@fsp/shared/manifest-loader';
import type { ResolvedManifest } from '@fsp/shared/manifest-resolve';
import { type App, Fn, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type NagPack, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import { BackupStack, backupStackNameOf } from './backup-stack';
import { type EdgeDomain, originOf } from './edge-domain';
import { EDGE_SECURITY_REGION, EdgeSecurityStack, edgeSecurityStackNameOf, WEB_ACL_ARN_OUTPUT } from './edge-security-stack';
import { EdgeStack, edgeStackNameOf } from './edge-stack';
import { FunctionBundles } from './function-bundles';
import { platformStackNameOf, type Stage, serviceStackNameOf } from './naming';
import { PlatformStack } from './platform-stack';
import { parseRestoredTables } from './restored-tables';
import { PARTNER_AUTHORIZER_ENTRY, ServiceStack } from './service-stack';
import { SignInStack, signInStackNameOf } from './sign-in-stack';
import { checkDomainForStage, type StageSettings, stageSettingsOf } from './stages';
import { checkedPublicOrigin, parseIdentityProviders } from './worker-web';

/** Context every FSP app is built with, by `cdk synth` and by the tests alike. */
export const FSP_APP_CONTEXT = {
  // Platform exports stay while a service imports them: a platform change can never strand a deployed service.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
} as const;

export interface FspAppOptions {
  stage: Stage;
  /** Resolved by shared/manifest-resolve (`loadServiceManifests` does it): the app reads settings, it decides none. */
  manifests: readonly ResolvedManifest[];
  /**
   * The origin browsers reach the pages at (`https://fsp.council.example`): page functions check
   * Origin headers against it, and the web client's callback and logout URLs are on it. The
   * `publicOrigin` context value once the platform has its custom domain; until then, the
   * CloudFront distribution's own `https://<id>.cloudfront.net`.
   */
  publicOrigin?: string;
  /** The Cognito domain's prefix (`userPoolDomainPrefix` context); `fsp-<stage>-<stack id hex>` by default. */
  userPoolDomainPrefix?: string;
  /** The identity providers the web client offers (`workerIdentityProviders` context, worker-web.ts); the pool's own accounts by default. */
  workerIdentityProviders?: unknown;
  /**
   * The stage's own domain and certificates (`domainName`, `certificateArn`, `apiCertificateArn`
   * context, edge-domain.ts): TLS 1.2 at the edge on its certificate, the API's execute-api endpoint
   * off, and the public origin `https://<domainName>` unless `publicOrigin` says otherwise.
   */
  domain?: EdgeDomain;
  /**
   * Services bound to a restored table (`restoredTables` context, restored-tables.ts): service name →
   * `{ tableName, streamArn }`, as an object or its JSON text.
   */
  restoredTables?: unknown;
  /**
   * Whether cdk-nag's packs are registered on the app, so that synthesis fails on any finding not
   * acknowledged: always, but for CDK tests whose subject is something else. With the packs, each
   * synthesis of the whole app takes 4 to 8 times as long, and every `Template.fromStack` synthesises
   * it again; the nag tests (fsp-app.test, nag-acknowledgments.test) run the packs on every stack
   * themselves, and `npm run synth` runs them registered.
   */
  nagAtSynthesis?: boolean;
}

export interface FspStacks {
  platform: PlatformStack;
  services: ServiceStack[];
  /** The CloudFront distribution in front of the API, with every manifest's static files. */
  edge: EdgeStack;
  /** The distribution's WAF web ACL and its logs, in us-east-1 (the only region a CloudFront web ACL can be in). */
  edgeSecurity: EdgeSecurityStack;
  /** The worker web client, registered at the public origin, and the worker JWT authorizer. */
  signIn: SignInStack;
  /** The vault, plan and role AWS Backup copies the tables with; only in a stage whose settings ask for backups. */
  backup?: BackupStack;
  /** The stage's settings (stages.ts), read once here and handed to every stack. */
  settings: StageSettings;
  /** The cdk-nag packs registered on the app; synthesis fails on any finding they report that is not acknowledged. */
  nagPacks: NagPack[];
}

export function buildFspApp(app: App, options: FspAppOptions): FspStacks {
  const names = new Set<string>();
  for (const manifest of options.manifests) {
    if (names.has(manifest.name)) throw new Error(`two manifests are named ${manifest.name}`);
    names.add(manifest.name);
  }
  // One `$default` route per HTTP API: two services declaring it would each take it from the other on deploy.
  platformDefaultRouteOf(options.manifests);

  // Every difference between the stages, read once (stages.ts); a stage that needs its own domain is refused without one.
  const settings = stageSettingsOf(options.stage);
  checkDomainForStage(settings, options.domain);
  const restoredTables = parseRestoredTables(
    options.restoredTables,
    options.stage,
    options.manifests.map((manifest) => manifest.name),
  );

  const identityProviders = parseIdentityProviders(options.workerIdentityProviders);
  const platform = new PlatformStack(app, 'Platform', {
    stackName: platformStackNameOf(options.stage),
    description: `Family Safeguarding Platform (${options.stage}): bus, key, user pool, HTTP API, alarms`,
    stage: options.stage,
    settings,
    ...(options.userPoolDomainPrefix === undefined ? {} : { userPoolDomainPrefix: options.userPoolDomainPrefix }),
    disableExecuteApiEndpoint: options.domain !== undefined,
  });
  const edgeSecurity = new EdgeSecurityStack(app, 'EdgeSecurity', {
    stackName: edgeSecurityStackNameOf(options.stage),
    description: `Family Safeguarding Platform (${options.stage}): the edge's WAF web ACL and its logs (us-east-1, as CloudFront requires)`,
    stage: options.stage,
    settings,
  });
  const edge = new EdgeStack(app, 'Edge', {
    stackName: edgeStackNameOf(options.stage),
    description: `Family Safeguarding Platform (${options.stage}): CloudFront in front of the HTTP API, and the services' static files`,
    stage: options.stage,
    settings,
    manifests: options.manifests,
    httpApiId: platform.httpApi.apiId,
    keyArn: platform.key.keyArn,
    // The stacks are in different regions and the edge stack is environment-agnostic, which CDK's
    // own cross-region references do not support: the edge reads the ACL's output by stack name
    // and region (a weak reference), and is deployed after it.
    webAclArn: Fn.getStackOutput(edgeSecurity.stackName, WEB_ACL_ARN_OUTPUT, EDGE_SECURITY_REGION),
    ...(options.domain === undefined ? {} : { domain: options.domain }),
  });
  edge.addStackDependency(edgeSecurity, 'the distribution names the web ACL');
  // The pages' origin: the context's, else the stage's domain, else the distribution's own.
  const publicOrigin =
    options.publicOrigin !== undefined
      ? checkedPublicOrigin(options.publicOrigin)
      : options.domain !== undefined
        ? originOf(options.domain)
        : `https://${edge.distribution.distributionDomainName}`;
  const signIn = new SignInStack(app, 'SignIn', {
    stackName: signInStackNameOf(options.stage),
    description: `Family Safeguarding Platform (${options.stage}): the worker web app's client at the public origin, and the worker JWT authorizer`,
    stage: options.stage,
    userPoolId: platform.userPool.userPoolId,
    userPoolIssuer: platform.userPool.userPoolProviderUrl,
    httpApiId: platform.httpApi.apiId,
    publicOrigin,
    identityProviders,
  });

  const backup = settings.backup.enabled
    ? new BackupStack(app, 'Backup', {
        stackName: backupStackNameOf(options.stage),
        description: `Family Safeguarding Platform (${options.stage}): the AWS Backup vault, plan and role every service's table is selected into`,
        stage: options.stage,
        settings,
        backup: settings.backup,
      })
    : undefined;

  // Every entry before the first function is made: the first one staged builds them all.
  const bundles = new FunctionBundles(
    REPOSITORY_ROOT,
    [
      ...options.manifests.flatMap((manifest) => manifest.functions.map((fn) => join(manifest.directory, fn.entry))),
      PARTNER_AUTHORIZER_ENTRY,
    ],
    app.outdir,
  );
  const services = options.manifests.map(
    (manifest) =>
      new ServiceStack(app, `Service-${manifest.name}`, {
        stackName: serviceStackNameOf(options.stage, manifest.name),
        description: `Family Safeguarding Platform (${options.stage}): the ${manifest.name} service, from its manifest`,
        stage: options.stage,
        settings,
        ...(backup === undefined ? {} : { backup: backup.references }),
        ...(restoredTables.has(manifest.name) ? { restoredTable: restoredTables.get(manifest.name)! } : {}),
        manifest,
        bundles,
        platform: {
          keyArn: platform.key.keyArn,
          eventBusArn: platform.bus.eventBusArn,
          eventBusName: platform.bus.eventBusName,
          httpApiId: platform.httpApi.apiId,
          workerAuthorizerId: signIn.workerAuthorizer.authorizerId,
          userPoolIssuer: platform.userPool.userPoolProviderUrl,
          userPoolId: platform.userPool.userPoolId,
          userPoolArn: platform.userPool.userPoolArn,
          userPoolDomainUrl: platform.userPoolDomainUrl,
          webClientId: signIn.webClient.userPoolClientId,
          alarmTopicArn: platform.alarmTopic.topicArn,
          sessionKeysSecretArn: platform.sessionKeys.secretArn,
          matchKeysSecretArn: platform.matchKeys.secretArn,
          matchKeysKeyArn: platform.matchKeysKey.keyArn,
          publicOrigin,
          sesEventsConfigurationSetName: platform.sesEventsConfigurationSet.configurationSetName,
        },
      }),
  );

  for (const stack of [platform, edgeSecurity, edge, signIn, ...(backup === undefined ? [] : [backup]), ...services]) {
    Tags.of(stack).add('project', 'family-safeguarding-platform');
    Tags.of(stack).add('stage', options.stage);
  }
  // Every pack on every stack (QUALITY.md, security 5). cdk-nag 3 packs are CDK validation plugins:
  // registered on the app, they run at synthesis and fail it on any finding not acknowledged.
  const nagPacks: NagPack[] = [
    new AwsSolutionsChecks(app, { verbose: true }),
    new ServerlessChecks(app, { verbose: true }),
    new NIST80053R5Checks(app, { verbose: true }),
  ];
  if (options.nagAtSynthesis !== false) Validations.of(app).addPlugins(...nagPacks);
  return { platform, services, edge, edgeSecurity, signIn, ...(backup === undefined ? {} : { backup }), settings, nagPacks };
}
