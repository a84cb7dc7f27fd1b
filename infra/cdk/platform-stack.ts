/**
 * What every service shares and no service owns: the bus, the customer-managed key, the worker
 * user pool with its Cognito domain (and the partner scopes), the one HTTP API, the session keys
 * and the alarms topic. Service stacks refer to these; nothing here knows about any particular
 * service, so onboarding a service or changing its routes never redeploys the platform.
 *
 * The worker web client and the JWT authorizer that admits its tokens are not here: the client is
 * registered at the public origin, which is CloudFront's (the edge stack, built after this one)
 * until there is a custom domain. They live in the sign-in stack (sign-in-stack.ts).
 */
import { PARTNER_RESOURCE_SERVER, type PARTNER_SCOPE_NAMES, ROLES } from '@fsp/shared/people';
import { Aws, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  ResourceServerScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolDomain,
  type UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from './nag-suppressions';
import { busNameOf, prefixOf, type Stage } from './naming';
import { PlatformObservability } from './observability';
import { logRetentionOfSettings, removalPolicyOf, type StageSettings } from './stages';
import { checkedUserPoolDomainPrefix } from './worker-web';

/** What each partner scope (shared/people) lets an agency do, as Cognito shows it. */
const PARTNER_SCOPE_DESCRIPTIONS: Record<(typeof PARTNER_SCOPE_NAMES)[number], string> = {
  submit: 'Submit referrals',
  read: "Read the status of the agency's own referrals",
};

export interface PlatformStackProps extends StackProps {
  stage: Stage;
  /** The stage's settings (stages.ts): what is kept on deletion, deletion protection, log retention. */
  settings: StageSettings;
  /**
   * The Cognito prefix domain's prefix (`-c userPoolDomainPrefix=…`). By default
   * `fsp-<stage>-<8 hex digits of this stack's id>`: unique per deployment, stable for the stack's
   * life, and without the account id in a public URL.
   */
  userPoolDomainPrefix?: string;
  /**
   * Switch the HTTP API's execute-api endpoint off, so that the edge is the only way in: set when
   * the stage has its own domain (edge-domain.ts), through whose regional API custom domain
   * CloudFront then reaches the API. Without one, CloudFront's origin is the execute-api address
   * itself, which must stay on (ADR 0018).
   */
  disableExecuteApiEndpoint?: boolean;
}

export class PlatformStack extends Stack {
  readonly stage: Stage;
  readonly key: Key;
  readonly bus: EventBus;
  readonly userPool: UserPool;
  /**
   * The pool's Cognito prefix domain: the hosted sign-in pages, /oauth2/authorize, /oauth2/token
   * (workers' code exchange and partners' client credentials) and /logout.
   */
  readonly userPoolDomain: UserPoolDomain;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`: the web app's OIDC_DOMAIN. */
  readonly userPoolDomainUrl: string;
  readonly partnerResourceServer: UserPoolResourceServer;
  readonly httpApi: HttpApi;
  readonly alarmTopic: Topic;
  /** The key that seals workers' session cookies (ADR 0012), read by the functions that serve pages. */
  readonly sessionKeys: Secret;
  /**
   * The known-family index's keys (ADR 0021): the ring of HMAC keys, read only by the functions whose
   * entry asks for `permissions.readMatchKeys`, and the stage's own key it is encrypted with.
   */
  readonly matchKeys: Secret;
  readonly matchKeysKey: Key;
  /**
   * The SES configuration set of email sent with `sendEmail.sesEvents` (workers' email, ADR 0019):
   * SES publishes each email's Send and Bounce events through it to the account's default bus, and a
   * rule there brings those of workers' email to the platform bus.
   */
  readonly sesEventsConfigurationSet: ConfigurationSet;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.stage = props.stage;
    const prefix = prefixOf(props.stage);
    const retain = removalPolicyOf(props.settings);

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
      // Losing it only signs everyone out; kept in staging and prod all the same, with the other stateful resources.
      removalPolicy: retain,
    });
    const noAutomaticRotation =
      'Rotating the session key is a two-step operator change (ADR 0012): add the new key second so that every warm container can open cookies it seals, then move it first, then drop the old one after 8 hours. A rotation Lambda that replaced the key in one step would sign every worker out and leave warm containers unable to open new cookies; the runbook schedules the steps instead.';
    acknowledge(this.sessionKeys, 'AwsSolutions-SMG4', noAutomaticRotation);
    acknowledge(this.sessionKeys, 'NIST.800.53.R5-SecretsManagerRotationEnabled', noAutomaticRotation);

    [this.matchKeysKey, this.matchKeys] = this.buildMatchKeys(props.stage, retain);

    this.alarmTopic = new Topic(this, 'Alarms', {
      topicName: `${prefix}-alarms`,
      displayName: `FSP ${props.stage} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });

    this.sesEventsConfigurationSet = this.buildSesEvents(prefix);

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
      deletionProtection: props.settings.deletionProtection,
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
    // The OAuth endpoints: workers sign in through the hosted pages (authorisation code with PKCE)
    // and partners' systems take client-credentials tokens (agency clients are created at run time).
    this.userPoolDomain = this.userPool.addDomain('Domain', {
      cognitoDomain: {
        domainPrefix:
          props.userPoolDomainPrefix === undefined
            ? `${prefix}-${this.stackIdSuffix()}`
            : checkedUserPoolDomainPrefix(props.userPoolDomainPrefix),
      },
      // The classic hosted UI needs nothing more. Managed login (version 2) would need a branding
      // resource per app client, and offers passwords only to clients with a password flow enabled.
      managedLoginVersion: ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });
    this.userPoolDomainUrl = this.userPoolDomain.baseUrl();
    // Federation (production: the council's Entra ID, or any SAML 2.0 or OIDC provider) is added
    // here, to this pool: `new UserPoolIdentityProviderSaml(this, …, { userPool: this.userPool,
    // name, metadata: UserPoolIdentityProviderSamlMetadata.url(<the IdP's federation metadata>),
    // attributeMapping: { email, fullname, custom: { team } } })`, or `UserPoolIdentityProviderOidc`
    // with its client secret read from Secrets Manager (never from context). Then name it in the
    // `workerIdentityProviders` context value (`-c workerIdentityProviders=EntraID`), which is
    // what the web client offers (sign-in-stack.ts). Cognito rewrites mapped attributes at every
    // federated sign-in, so the web client must also be allowed to write them (its
    // writeAttributes). Roles are this pool's groups, which an assertion does not set: keep
    // membership here, or add a pre-token-generation trigger that maps the IdP's groups.

    const apiLogs = new LogGroup(this, 'ApiAccessLogs', {
      logGroupName: `/aws/apigateway/${prefix}`,
      retention: logRetentionOfSettings(props.settings),
      encryptionKey: this.key,
      removalPolicy: retain,
    });
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: prefix,
      description: 'Family Safeguarding Platform: pages, worker API and the partner API (/v1)',
      // The stage is declared below so that it can carry access logs and throttling.
      createDefaultStage: false,
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint === true,
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

    // The platform's dashboard (the flow end to end) and the API's 5xx-rate alarm (observability.ts, ADR 0022).
    new PlatformObservability(this, 'Observability', { stage: props.stage, httpApi: this.httpApi, alarmTopic: this.alarmTopic });
  }

  /**
   * The first 8 hex digits of this stack's id (a UUID CloudFormation assigns when the stack is
   * created): `Fn::Select(0, Fn::Split('-', Fn::Select(2, Fn::Split('/', AWS::StackId))))`.
   */
  private stackIdSuffix(): string {
    return Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))));
  }

  /**
   * The match keys (ADR 0021): a secret of their own under a key of their own, so that reading them
   * is granted apart from everything the platform key protects. CloudFormation generates the first
   * key in the form keyed-hash.ts reads, `{"version":1,"passphrase":"<64 letters and digits>"}`;
   * rotating is an operator's sequence (add a version, re-index, retire), written in the ring form.
   */
  private buildMatchKeys(stage: Stage, retain: RemovalPolicy): [Key, Secret] {
    const key = new Key(this, 'MatchKeysKey', {
      alias: `alias/${prefixOf(stage)}-match-keys`,
      description: `Family Safeguarding Platform (${stage}): the match keys' secret (ADR 0021)`,
      enableKeyRotation: true,
      // Without it the secret cannot be read, and every known-family match is lost: never deleted with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const secret = new Secret(this, 'MatchKeys', {
      secretName: `fsp/${stage}/referrals/match-keys`,
      description: `Family Safeguarding Platform (${stage}): the keys of the known-family index's hashes (ADR 0021)`,
      encryptionKey: key,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ version: 1 }),
        generateStringKey: 'passphrase',
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
      },
      // Losing it loses every known-family match: kept in staging and prod with the tables it indexes.
      removalPolicy: retain,
    });
    const rotationByReindex =
      "Rotating the match keys is the operator's sequence of ADR 0021 (decision 5): add a new version as current, recycle the functions, re-index the known-family index, check a second re-index moves nothing, then retire the old version. A rotation Lambda that replaced the key would make every indexed family unfindable until a re-index, which needs the old version still in the ring.";
    acknowledge(secret, 'AwsSolutions-SMG4', rotationByReindex);
    acknowledge(secret, 'NIST.800.53.R5-SecretsManagerRotationEnabled', rotationByReindex);
    return [key, secret];
  }

  /**
   * SES publishes events to the default bus only: the configuration set sends Send and Bounce there,
   * and one rule forwards this set's events (SES tags each with `ses:configuration-set`) to the
   * platform bus, where the subscription of the service that sent them matches its own (workers'
   * email: notifications' `worker-mail-ses-events`, by its `fsp-worker-mail` tag).
   */
  private buildSesEvents(prefix: string): ConfigurationSet {
    const configurationSetName = `${prefix}-ses-events`;
    const configurationSet = new ConfigurationSet(this, 'SesEvents', { configurationSetName });
    const defaultBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(defaultBus),
      events: [EmailSendingEvent.SEND, EmailSendingEvent.BOUNCE],
    });
    new Rule(this, 'SesEventsToPlatformBus', {
      ruleName: `${prefix}-ses-events`,
      description: `SES Send and Bounce events of ${configurationSetName} to the platform bus (ADR 0019)`,
      eventBus: defaultBus,
      eventPattern: {
        source: ['aws.ses'],
        detailType: ['Email Sent', 'Email Bounced'],
        detail: { mail: { tags: { 'ses:configuration-set': [configurationSetName] } } },
      },
      targets: [new EventBusTarget(this.bus, { deadLetterQueue: this.sesEventsDeadLetters(prefix) })],
    });
    // On the policy of the role the target made for the rule, not on the rule.
    const rulePolicy = this.node.findChild('SesEventsToPlatformBus').node.findChild('EventsRole').node.findChild('DefaultPolicy');
    acknowledge(
      rulePolicy,
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "The rule's role may only put events on the platform bus; its policy is its own, created and deleted with it.",
    );
    return configurationSet;
  }

  /**
   * SES events the rule could not put on the platform bus: kept 14 days, alarmed on, and redriven by
   * an operator (docs/operations/dead-letter-queues.md). A lost Send event only delays an in-doubt
   * email (ADR 0019); a lost Bounce leaves a bounced email counted as sent.
   */
  private sesEventsDeadLetters(prefix: string): Queue {
    const queueName = `${prefix}-ses-events-dlq`;
    const dlq = new Queue(this, 'SesEventsDlq', {
      queueName,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      dataKeyReuse: Duration.hours(1),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const reason =
      'This queue is itself a dead-letter queue (SES events the platform bus did not take); a DLQ of a DLQ would only hide them further.';
    acknowledge(dlq, 'AwsSolutions-SQS3', reason);
    acknowledge(dlq, 'Serverless-SQSRedrivePolicy', reason);
    const alarm = new Alarm(this, 'SesEventsDlqAlarm', {
      alarmName: `${queueName}-not-empty`,
      alarmDescription: `SES events of workers' email did not reach the platform bus; inspect and redrive (${queueName}).`,
      metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    return dlq;
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
