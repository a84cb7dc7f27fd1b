/**
 * Builds the whole CDK app from the service manifests: the platform stack, the edge stack
 * (CloudFront and the services' static files), the sign-in stack (the worker web client and the
 * worker JWT authorizer) and one stack per service, in that order of dependency. Shared by
 * `app.ts` (cdk synth) and the tests, so that what the tests check is what `npm run synth` produces.
 */
import { join } from 'node:path';
import { platformDefaultRouteOf } from '@fsp/shared/manifest';
import { REPOSITORY_ROOT } from '@fsp/shared/manifest-loader';
import type { ResolvedManifest } from '@fsp/shared/manifest-resolve';
import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type NagPack, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import { EdgeStack, edgeStackNameOf } from './edge-stack';
import { platformStackNameOf, type Stage, serviceStackNameOf } from './naming';
import { PlatformStack } from './platform-stack';
import { ServiceStack } from './service-stack';
import { SignInStack, signInStackNameOf } from './sign-in-stack';
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
}

export interface FspStacks {
  platform: PlatformStack;
  services: ServiceStack[];
  /** The CloudFront distribution in front of the API, with every manifest's static files. */
  edge: EdgeStack;
  /** The worker web client, registered at the public origin, and the worker JWT authorizer. */
  signIn: SignInStack;
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

  const identityProviders = parseIdentityProviders(options.workerIdentityProviders);
  const platform = new PlatformStack(app, 'Platform', {
    stackName: platformStackNameOf(options.stage),
    description: `Family Safeguarding Platform (${options.stage}): bus, key, user pool, HTTP API, alarms`,
    stage: options.stage,
    ...(options.userPoolDomainPrefix === undefined ? {} : { userPoolDomainPrefix: options.userPoolDomainPrefix }),
  });
  const edge = new EdgeStack(app, 'Edge', {
    stackName: edgeStackNameOf(options.stage),
    description: `Family Safeguarding Platform (${options.stage}): CloudFront in front of the HTTP API, and the services' static files`,
    stage: options.stage,
    manifests: options.manifests,
    httpApiId: platform.httpApi.apiId,
    keyArn: platform.key.keyArn,
  });
  // The pages' origin is the distribution's until the platform has a custom domain.
  const publicOrigin =
    options.publicOrigin === undefined ? `https://${edge.distribution.distributionDomainName}` : checkedPublicOrigin(options.publicOrigin);
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

  const services = options.manifests.map(
    (manifest) =>
      new ServiceStack(app, `Service-${manifest.name}`, {
        stackName: serviceStackNameOf(options.stage, manifest.name),
        description: `Family Safeguarding Platform (${options.stage}): the ${manifest.name} service, from its manifest`,
        stage: options.stage,
        manifest,
        depsLockFilePath: join(REPOSITORY_ROOT, 'package-lock.json'),
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
          publicOrigin,
        },
      }),
  );

  for (const stack of [platform, edge, signIn, ...services]) {
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
  Validations.of(app).addPlugins(...nagPacks);
  return { platform, services, edge, signIn, nagPacks };
}
