/**
 * What every service shares and no service owns: the bus, the customer-managed key, the worker
 * user pool (and the partner scopes), the one HTTP API with its worker JWT authorizer, and the
 * alarms topic. Service stacks refer to these; nothing here knows about any particular service,
 * so onboarding a service or changing its routes never redeploys the platform.
 */
import { PARTNER_RESOURCE_SERVER, type PARTNER_SCOPE_NAMES, ROLES } from '@fsp/shared/people';
import { Aws, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpAuthorizer, HttpAuthorizerType, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  type UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { acknowledge } from './nag-suppressions';
import { busNameOf, prefixOf, type Stage } from './naming';

/** What each partner scope (shared/people) lets an agency do, as Cognito shows it. */
const PARTNER_SCOPE_DESCRIPTIONS: Record<(typeof PARTNER_SCOPE_NAMES)[number], string> = {
  submit: 'Submit referrals',
  read: "Read the status of the agency's own referrals",
};

export interface PlatformStackProps extends StackProps {
  stage: Stage;
  /** Where Cognito sends a worker after sign-in, relative to the API's URL; the web app's callback route. */
  workerCallbackPath?: string;
}

/** Log retention: long enough in prod for an incident review months later, short elsewhere. */
export const logRetentionOf = (stage: Stage): RetentionDays => (stage === 'prod' ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH);

export class PlatformStack extends Stack {
  readonly stage: Stage;
  readonly key: Key;
  readonly bus: EventBus;
  readonly userPool: UserPool;
  readonly workerWebClient: UserPoolClient;
  readonly partnerResourceServer: UserPoolResourceServer;
  readonly httpApi: HttpApi;
  readonly workerAuthorizer: HttpAuthorizer;
  readonly alarmTopic: Topic;
  /** The key that seals workers' session cookies (ADR 0012), read by the functions that serve pages. */
  readonly sessionKeys: Secret;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.stage = props.stage;
    const prefix = prefixOf(props.stage);
    const retain = props.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.key = new Key(this, 'Key', {
      alias: `alias/${prefix}`,
      description: `Family Safeguarding Platform (${props.stage}): tables, queues, logs and the alarms topic`,
      enableKeyRotation: true,
      // Losing the key loses every table: never deleted with the stack, whatever the stage.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.allowServicesToUseKey();

    this.bus = new EventBus(this, 'Bus', { eventBusName: busNameOf(props.stage) });

    // GenerateSecretString makes printable text, not bytes: the functions derive the AES key from the
    // passphrase with HKDF (shared/src/http/page-session.ts keysFromSecret). Generated once by
    // CloudFormation, never in the repository or the template.
    this.sessionKeys = new Secret(this, 'SessionKeys', {
      secretName: `${prefix}-session-keys`,
      description: `Family Safeguarding Platform (${props.stage}): the key sealing workers' session cookies`,
      encryptionKey: this.key,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ id: 1 }),
        generateStringKey: 'passphrase',
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
      },
      // Losing it only signs everyone out; kept in prod all the same, with the other stateful resources.
      removalPolicy: retain,
    });
    const noAutomaticRotation =
      'Rotating the session key is a two-step operator change (ADR 0012): add the new key second so that every warm container can open cookies it seals, then move it first, then drop the old one after 8 hours. A rotation Lambda that replaced the key in one step would sign every worker out and leave warm containers unable to open new cookies; the runbook schedules the steps instead.';
    acknowledge(this.sessionKeys, 'AwsSolutions-SMG4', noAutomaticRotation);
    acknowledge(this.sessionKeys, 'NIST.800.53.R5-SecretsManagerRotationEnabled', noAutomaticRotation);

    this.alarmTopic = new Topic(this, 'Alarms', {
      topicName: `${prefix}-alarms`,
      displayName: `FSP ${props.stage} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });

    this.userPool = new UserPool(this, 'Workers', {
      userPoolName: `${prefix}-workers`,
      // Accounts are created by administrators for named staff; nobody signs themselves up.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: true, mutable: true } },
      customAttributes: { team: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Children's safeguarding records: compromised-credential and adaptive-authentication protection is worth its price.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.stage === 'prod',
      removalPolicy: retain,
    });
    // Cognito groups are the platform roles; the user pool puts them in `cognito:groups`, which claims.ts reads.
    for (const role of ROLES) {
      new CfnUserPoolGroup(this, `Group-${role}`, { userPoolId: this.userPool.userPoolId, groupName: role });
    }

    this.partnerResourceServer = this.userPool.addResourceServer('PartnerApi', {
      identifier: PARTNER_RESOURCE_SERVER,
      userPoolResourceServerName: 'Partner API',
      scopes: Object.entries(PARTNER_SCOPE_DESCRIPTIONS).map(
        ([scopeName, scopeDescription]) => new ResourceServerScope({ scopeName, scopeDescription }),
      ),
    });
    // Client credentials need the OAuth token endpoint; a Cognito domain provides it. Agency clients are created at run time.
    this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: `${prefix}-${Aws.ACCOUNT_ID}` } });

    const apiLogs = new LogGroup(this, 'ApiAccessLogs', {
      logGroupName: `/aws/apigateway/${prefix}`,
      retention: logRetentionOf(props.stage),
      encryptionKey: this.key,
      removalPolicy: retain,
    });
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: prefix,
      description: 'Family Safeguarding Platform: pages, worker API and the partner API (/v1)',
      // The stage is declared below so that it can carry access logs and throttling.
      createDefaultStage: false,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      // Per-agency limits belong to the partner API itself; this is the platform-wide ceiling.
      throttle: { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(apiLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            clientId: '$context.authorizer.client_id',
          }),
        ),
      },
    });

    const callbackPath = props.workerCallbackPath ?? '/auth/callback';
    this.workerWebClient = this.userPool.addClient('WorkerWebClient', {
      userPoolClientName: `${prefix}-worker-web`,
      // The pages are server-rendered: the server holds the secret and exchanges the code.
      generateSecret: true,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${this.httpApi.apiEndpoint}${callbackPath}`],
        logoutUrls: [`${this.httpApi.apiEndpoint}/`],
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('team'),
      // Workers may read their team but never change it (nor their name or email): administrators manage people.
      writeAttributes: new ClientAttributes(),
    });

    // Workers' tokens: the API Gateway JWT authorizer checks issuer and (for access tokens) `client_id` against the web client.
    this.workerAuthorizer = new HttpAuthorizer(this, 'WorkerAuthorizer', {
      httpApi: this.httpApi,
      authorizerName: 'workers',
      type: HttpAuthorizerType.JWT,
      identitySource: ['$request.header.Authorization'],
      jwtIssuer: this.userPool.userPoolProviderUrl,
      jwtAudience: [this.workerWebClient.userPoolClientId],
    });
  }

  /** Services that encrypt or decrypt on the platform's behalf, each limited to this account. */
  private allowServicesToUseKey(): void {
    const sameAccount = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsEncryptsPlatformLogGroups',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` },
        },
      }),
    );
    // EventBridge delivers to encrypted subscription queues; CloudWatch alarms publish to the encrypted topic.
    for (const [sid, service] of [
      ['EventBridgeDeliversToEncryptedQueues', 'events.amazonaws.com'],
      ['CloudWatchAlarmsPublishToEncryptedTopic', 'cloudwatch.amazonaws.com'],
    ] as const) {
      this.key.addToResourcePolicy(
        new PolicyStatement({
          sid,
          effect: Effect.ALLOW,
          principals: [new ServicePrincipal(service)],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: sameAccount,
        }),
      );
    }
  }
}
