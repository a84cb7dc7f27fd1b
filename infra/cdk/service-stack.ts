/**
 * One service, built only from its manifest: its table, its functions, its HTTP routes on the
 * platform's API, one rule → queue → consumer per subscription (with a DLQ and an alarm), the
 * outbox pipe from its table's stream to the bus, and its schedules. The local cloud wires the
 * same manifest the same way (infra/local/src/local-cloud.ts); names differ only by the
 * `fsp-<stage>-` prefix.
 *
 * Platform resources are imported by ARN/id rather than used as objects, so that grants made here
 * land in this stack's IAM policies and never edit the platform's key or topic policies (which
 * would tie the platform's deployment to every service's).
 */
import { join } from 'node:path';
import { COGNITO_DIRECTORY_OPERATIONS } from '@fsp/shared/directory';
import { MATCH_KEYS_ENV } from '@fsp/shared/keyed-hash';
import { DEFAULT_ROUTE_KEY, type LogAlarm, type HttpMethod as ManifestHttpMethod } from '@fsp/shared/manifest';
import type { ResolvedFunction, ResolvedManifest, ResolvedSchedule, ResolvedSubscription } from '@fsp/shared/manifest-resolve';
import { OUTBOX_KIND, outboxItem } from '@fsp/shared/outbox';
import { AUDIT_PARTITION_PREFIX, createTableInput, TABLE_KEYS, tableNameFor } from '@fsp/shared/table';
import { checkTableKeys, isAuditPattern, type TableKeys } from '@fsp/shared/table-keys';
import { Aws, Duration, Names, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpAuthorizer,
  HttpAuthorizerType,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  type IHttpApi,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { CfnBackupSelection } from 'aws-cdk-lib/aws-backup';
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, type ITable, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { CfnRule } from 'aws-cdk-lib/aws-events';
import { Effect, type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { FilterPattern, LogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { CfnPipe } from 'aws-cdk-lib/aws-pipes';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { BackupReferences } from './backup-stack';
import type { FunctionBundles } from './function-bundles';
import { acknowledge, acknowledgeFunctionFindings, acknowledgeOwnRolePolicies } from './nag-suppressions';
import {
  functionNameOf,
  partnerRouteScopesOf,
  pipeNameOf,
  prefixOf,
  queueNameOf,
  routeKeyOf,
  ruleNameOf,
  type Stage,
  scheduleNameOf,
} from './naming';
import { ServiceObservability } from './observability';
import type { RestoredTable } from './restored-tables';
import { logRetentionOfSettings, removalPolicyOf, type StageSettings } from './stages';
import { servesWorkerWeb } from './worker-web';

/** The platform resources a service needs, as plain identifiers (tokens when they come from the platform stack). */
export interface PlatformReferences {
  keyArn: string;
  eventBusArn: string;
  eventBusName: string;
  httpApiId: string;
  /** The JWT authorizer for worker JSON routes (the sign-in stack's). */
  workerAuthorizerId: string;
  /** The user pool's issuer URL, `https://cognito-idp.<region>.amazonaws.com/<poolId>`: the partner authorizer's, and the web app's OIDC_ISSUER. */
  userPoolIssuer: string;
  /** The pool's hosted sign-in domain, `https://<prefix>.auth.<region>.amazoncognito.com`: the web app's OIDC_DOMAIN. */
  userPoolDomainUrl: string;
  /** The worker web app's client id (the sign-in stack's): the web app's WEB_CLIENT_ID. */
  webClientId: string;
  /** For functions whose manifest entry asks for `permissions.cognitoUserPoolClients` or `permissions.readDirectory`. */
  userPoolId: string;
  userPoolArn: string;
  alarmTopicArn: string;
  /** The session keys' secret (ADR 0012): given, with read access, only to functions that serve the worker web app. */
  sessionKeysSecretArn: string;
  /**
   * The match keys' secret and its own key (ADR 0021): given, with read access through Secrets
   * Manager only, to the functions whose entry asks for `permissions.readMatchKeys`.
   */
  matchKeysSecretArn: string;
  matchKeysKeyArn: string;
  /** The origin browsers reach the pages at (`https://…`): page functions check Origin headers against it. */
  publicOrigin: string;
  /** The SES configuration set publishing Send and Bounce events to the platform bus (`sendEmail.sesEvents`, ADR 0019). */
  sesEventsConfigurationSetName: string;
}

export interface ServiceStackProps extends StackProps {
  stage: Stage;
  /** The stage's settings (stages.ts): what is kept on deletion, deletion protection, PITR, log retention. */
  settings: StageSettings;
  /** The stage's backup plan (backup-stack.ts), which this service selects its table into; absent where the stage has none. */
  backup?: BackupReferences;
  /**
   * The table restored for this service (restored-tables.ts, `restoredTables` context): imported and
   * used in place of the table the stack would declare. Absent: the service's own table.
   */
  restoredTable?: RestoredTable;
  /** Resolved (shared/manifest-resolve): every timeout, size and time zone is already decided; none is defaulted here. */
  manifest: ResolvedManifest;
  platform: PlatformReferences;
  /** The app's functions, bundled in one esbuild run (function-bundles.ts, ADR 0029); this stack's entries among them. */
  bundles: FunctionBundles;
}

/** An outbox item's `pk` with an empty event id is the prefix every outbox key starts with (shared/src/outbox.ts). */
const OUTBOX_KEY_PREFIX = outboxItem({ source: '', detailType: '', detail: { metadata: { eventId: '' } } }, new Date(0)).pk;

/**
 * The pipe's source filter: only new outbox items. The same test as `isOutboxImage` in
 * shared/src/outbox.ts, written as an EventBridge pattern over the DynamoDB stream record.
 */
export const OUTBOX_STREAM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { kind: { S: [OUTBOX_KIND] }, pk: { S: [{ prefix: OUTBOX_KEY_PREFIX }] } } },
} as const;

/**
 * The item stores `detail` as a JSON string (serialised once by the producer). An input template
 * that is *only* a JSON path emits the value as the whole payload, unquoted, so the bus receives
 * the producer's JSON text as the event's detail object rather than a quoted string; a template
 * that embedded the path inside a JSON document would escape it instead. See ADR 0005.
 */
export const OUTBOX_INPUT_TEMPLATE = '<$.dynamodb.NewImage.detail.S>';
export const OUTBOX_EVENT_PARAMETERS = {
  source: '$.dynamodb.NewImage.source.S',
  detailType: '$.dynamodb.NewImage.detailType.S',
  // The event's time is when the fact was committed, not when the pipe happened to carry it.
  time: '$.dynamodb.NewImage.createdAt.S',
};

/** The partner agencies' token authorizer, one per service with partner routes: its entry, bundled with the manifests' functions. */
export const PARTNER_AUTHORIZER_ENTRY = join(__dirname, 'functions', 'partner-authorizer.ts');

/** What `permissions.cognitoUserPoolClients` grants (services/referrals/src/adapters/identity-provider.ts calls these). */
export const USER_POOL_CLIENT_ACTIONS = [
  'CreateUserPoolClient',
  'AddUserPoolClientSecret',
  'ListUserPoolClientSecrets',
  'DeleteUserPoolClientSecret',
  'DeleteUserPoolClient',
] as const;

/** What `permissions.readDirectory` grants: the operations shared/src/directory-cognito.ts calls, read-only. */
export const DIRECTORY_READ_ACTIONS = COGNITO_DIRECTORY_OPERATIONS;

/** What `permissions.sendEmail` grants (services/notifications/src/adapters/ses-email-sender.ts sends with SES v2). */
export const SES_SEND_EMAIL_ACTION = 'ses:SendEmail';

/** The SES identities a send from this address may be authorised against: the address, then its domain. */
export function sesIdentitiesOf(from: string): [address: string, domain: string] {
  const at = from.lastIndexOf('@');
  if (at <= 0 || at === from.length - 1)
    throw new Error(`permissions.sendEmail.from must be an email address; got ${JSON.stringify(from)}`);
  return [from, from.slice(at + 1)];
}

/** Where a service's log-alarm metrics are published: per stage and service, so two stages in one account never mix. */
export const logAlarmNamespaceOf = (stage: Stage, service: string): string => `FSP/${stage}/${service}`;

const HTTP_METHODS: Record<ManifestHttpMethod, HttpMethod> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
};

/** The audit partitions (shared/src/table.ts) as an IAM string pattern. */
export const AUDIT_PARTITIONS = `${AUDIT_PARTITION_PREFIX}*`;

/** What `tableKeys.read` grants on its partitions (on the table, and querying gsi1). */
export const ITEM_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'] as const;
/** What `tableKeys.write` grants on its partitions; `tableKeys.delete` grants DeleteItem. No function is granted BatchWriteItem. */
export const ITEM_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;
export const ITEM_DELETE_ACTIONS = ['dynamodb:DeleteItem'] as const;
/** What no function may do to an audit item: change it, remove it, or write it unconditionally in a batch. */
export const AUDIT_FORBIDDEN_CHANGES = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
] as const;
/** What a function that is not an audit reader may not do to an audit item: read it, in any way. */
export const AUDIT_FORBIDDEN_READS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PartiQLSelect',
] as const;

/**
 * A function's statements on its service's table (ADR 0014 §7, ADR 0023), from its one declaration
 * (`permissions.tableKeys`): each kind of action on exactly its declared partitions. Conditions on
 * `dynamodb:LeadingKeys`, a multivalued key (BatchGetItem names several partitions):
 * `ForAllValues` holds when every value matches, and also when the request has none, hence
 * `Null: false` on the allows; `ForAnyValue` on the denies holds when any value matches. The allows
 * outside the audit partitions also say so (`StringNotLike AUDIT#*`), whatever their patterns.
 */
export function tableStatements(
  tableArn: string,
  options: { tableKeys: TableKeys | undefined; readAudit: boolean; where?: string },
): PolicyStatement[] {
  const declared = options.tableKeys ?? {};
  checkTableKeys(options.where ?? 'function', declared, options.readAudit);
  const indexArn = `${tableArn}/index/${TABLE_KEYS.gsi1.name}`;
  const leadingKeysPresent = { Null: { 'dynamodb:LeadingKeys': 'false' } };
  const outsideAudit = (patterns: readonly string[]) => ({
    ...leadingKeysPresent,
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] },
    'ForAllValues:StringNotLike': { 'dynamodb:LeadingKeys': [AUDIT_PARTITIONS] },
  });
  const insideAudit = (patterns: readonly string[]) => ({
    ...leadingKeysPresent,
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] },
  });
  const anyAudit = { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [AUDIT_PARTITIONS] } };
  const split = (patterns: readonly string[] | undefined) => ({
    items: (patterns ?? []).filter((pattern) => !isAuditPattern(pattern)),
    audit: (patterns ?? []).filter(isAuditPattern),
  });
  const reads = split(declared.read);
  const writes = split(declared.write);
  const deletes = split(declared.delete);
  const statements: PolicyStatement[] = [];
  if (reads.items.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'OwnTableReads',
        actions: [...ITEM_READ_ACTIONS],
        resources: [tableArn, indexArn],
        conditions: outsideAudit(reads.items),
      }),
    );
  }
  if (writes.items.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'OwnTableWrites',
        actions: [...ITEM_WRITE_ACTIONS],
        resources: [tableArn],
        conditions: outsideAudit(writes.items),
      }),
    );
  }
  if (deletes.items.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'OwnTableDeletes',
        actions: [...ITEM_DELETE_ACTIONS],
        resources: [tableArn],
        conditions: outsideAudit(deletes.items),
      }),
    );
  }
  if (writes.audit.length > 0) {
    // Write-once is the code's condition (attribute_not_exists); IAM adds that the put returns no item it would replace.
    statements.push(
      new PolicyStatement({
        sid: 'AuditPuts',
        actions: ['dynamodb:PutItem'],
        resources: [tableArn],
        conditions: { ...insideAudit(writes.audit), StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' } },
      }),
    );
  }
  statements.push(
    new PolicyStatement({
      sid: 'NoAuditChanges',
      effect: Effect.DENY,
      actions: [...AUDIT_FORBIDDEN_CHANGES],
      resources: [tableArn, indexArn],
      conditions: anyAudit,
    }),
  );
  if (options.readAudit) {
    statements.push(
      new PolicyStatement({
        sid: 'AuditReads',
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [tableArn, indexArn],
        conditions: insideAudit(reads.audit),
      }),
    );
  } else {
    statements.push(
      new PolicyStatement({
        sid: 'NoAuditReads',
        effect: Effect.DENY,
        actions: [...AUDIT_FORBIDDEN_READS],
        resources: [tableArn, indexArn],
        conditions: anyAudit,
      }),
    );
  }
  return statements;
}

/** Construct ids from manifest names: stable across synths so that CloudFormation updates in place. */
const idOf = (...parts: string[]): string => parts.join('-').replace(/[^A-Za-z0-9-]/g, '_');

export class ServiceStack extends Stack {
  readonly manifest: ResolvedManifest;
  /** The service's own table, or the restored table it is bound to (`restoredTables` context). */
  readonly table: ITable;
  readonly functions = new Map<string, NodejsFunction>();
  private readonly stage: Stage;
  private readonly key: IKey;
  private readonly alarmTopic: ITopic;
  private readonly props: ServiceStackProps;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    this.props = props;
    this.stage = props.stage;
    this.manifest = props.manifest;
    this.key = Key.fromKeyArn(this, 'PlatformKey', props.platform.keyArn);
    this.alarmTopic = Topic.fromTopicArn(this, 'AlarmTopic', props.platform.alarmTopicArn);

    this.table = this.buildTable();
    for (const fn of this.manifest.functions) this.functions.set(fn.name, this.buildFunction(fn));
    this.buildRoutes();
    for (const subscription of this.manifest.subscriptions) this.buildSubscription(subscription);
    this.buildOutboxPipe();
    for (const schedule of this.manifest.schedules) this.buildSchedule(schedule);
    this.checkLogAlarmNames();
    for (const logAlarm of this.manifest.logAlarms ?? []) this.buildLogAlarm(logAlarm);
    // Its dashboard and the alarms an on-call engineer acts on (observability.ts, ADR 0022).
    new ServiceObservability(this, 'Observability', {
      stage: this.stage,
      manifest: this.manifest,
      functions: this.functions,
      alarmTopicArn: props.platform.alarmTopicArn,
    });
    acknowledgeOwnRolePolicies(this);
  }

  private get prefix(): string {
    return `${prefixOf(this.stage)}-${this.manifest.name}`;
  }

  /** The shared table definition (shared/src/table.ts), the very input the local cloud creates its tables from. */
  private buildTable(): ITable {
    const definition = createTableInput(tableNameFor(this.stage, this.manifest.name));
    const restored = this.props.restoredTable;
    if (restored !== undefined) {
      // Restored by an operator (docs/operations): its settings are the operator's (deletion protection,
      // PITR, stream, TTL, set by the runbook's CLI steps); the stack only binds the service to it.
      const table = Table.fromTableAttributes(this, 'Table', {
        tableName: restored.tableName,
        tableStreamArn: restored.streamArn,
        encryptionKey: this.key,
        globalIndexes: definition.GlobalSecondaryIndexes.map((index) => index.IndexName),
      });
      this.selectForBackup(table, restored.tableName);
      return table;
    }
    const attributeType = (name: string): AttributeType => {
      const attribute = definition.AttributeDefinitions.find((a) => a.AttributeName === name);
      if (attribute === undefined) throw new Error(`table definition has no attribute ${name}`);
      return attribute.AttributeType === 'S'
        ? AttributeType.STRING
        : attribute.AttributeType === 'N'
          ? AttributeType.NUMBER
          : AttributeType.BINARY;
    };
    const keyOf = (schema: readonly { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[], type: 'HASH' | 'RANGE') => {
      const element = schema.find((k) => k.KeyType === type);
      return element === undefined ? undefined : { name: element.AttributeName, type: attributeType(element.AttributeName) };
    };
    const partitionKey = keyOf(definition.KeySchema, 'HASH');
    if (partitionKey === undefined) throw new Error('table definition has no partition key');
    const sortKey = keyOf(definition.KeySchema, 'RANGE');

    const table = new Table(this, 'Table', {
      tableName: definition.TableName,
      partitionKey,
      ...(sortKey ? { sortKey } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      stream: StreamViewType[definition.StreamSpecification.StreamViewType],
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: true,
        recoveryPeriodInDays: this.props.settings.pointInTimeRecovery.recoveryPeriodDays,
      },
      deletionProtection: this.props.settings.deletionProtection,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      timeToLiveAttribute: TABLE_KEYS.timeToLive,
      // A table is the service's records: never removed by a stack operation in staging or prod;
      // a dev stage holds no real records and is torn down whole (stages.ts, ADR 0020).
      removalPolicy: removalPolicyOf(this.props.settings),
    });
    for (const index of definition.GlobalSecondaryIndexes) {
      const indexPartitionKey = keyOf(index.KeySchema, 'HASH');
      if (indexPartitionKey === undefined) throw new Error(`index ${index.IndexName} has no partition key`);
      const indexSortKey = keyOf(index.KeySchema, 'RANGE');
      table.addGlobalSecondaryIndex({
        indexName: index.IndexName,
        partitionKey: indexPartitionKey,
        ...(indexSortKey ? { sortKey: indexSortKey } : {}),
        projectionType: ProjectionType[index.Projection.ProjectionType],
      });
    }
    this.selectForBackup(table, definition.TableName);
    return table;
  }

  /** The table in the stage's backup plan (backup-stack.ts); in a stage without one, said so on the table alone. */
  private selectForBackup(table: ITable, tableName: string): void {
    const backup = this.props.backup;
    if (backup === undefined) {
      acknowledge(
        table,
        'NIST.800.53.R5-DynamoDBInBackupPlan',
        `The ${this.stage} stage has no AWS Backup plan (stages.ts): it holds no real records, only test and seed data, and point-in-time recovery covers a developer's mistake. Staging and prod select every table into their plan.`,
      );
      return;
    }
    new CfnBackupSelection(this, 'BackupSelection', {
      backupPlanId: backup.planId,
      // Named after the table: binding a restored table replaces the selection, which needs a new name.
      backupSelection: { selectionName: tableName, iamRoleArn: backup.roleArn, resources: [table.tableArn] },
    });
  }

  private buildFunction(declared: ResolvedFunction): NodejsFunction {
    const fn = this.buildNodejsFunction(declared.name, {
      description: `${this.manifest.name}: ${declared.entry} (${declared.uses.join(', ')})`,
      entry: join(this.manifest.directory, declared.entry),
      memorySize: declared.memoryMb,
      timeoutSeconds: declared.timeoutSeconds,
      environment: {
        TABLE_NAME: this.table.tableName,
        EVENT_BUS_NAME: this.props.platform.eventBusName,
        EVENT_SOURCE: this.manifest.eventSource,
        POWERTOOLS_SERVICE_NAME: this.manifest.name,
        STAGE: this.stage,
        ...(declared.permissions.cognitoUserPoolClients || declared.permissions.readDirectory
          ? { USER_POOL_ID: this.props.platform.userPoolId }
          : {}),
        ...(servesWorkerWeb(declared) ? this.workerWebEnvironment() : {}),
        ...(declared.permissions.sendEmail ? this.emailEnvironment(declared.permissions.sendEmail) : {}),
        ...(declared.permissions.readMatchKeys ? { [MATCH_KEYS_ENV.secretArn]: this.props.platform.matchKeysSecretArn } : {}),
        // Last, as in the local cloud: the manifest's own environment.
        ...this.manifest.environment,
      },
    });
    this.grantTableAccess(fn, declared);
    if (declared.permissions.cognitoUserPoolClients) this.grantUserPool(fn, 'ManagePartnerAppClients', USER_POOL_CLIENT_ACTIONS);
    if (declared.permissions.readDirectory) this.grantUserPool(fn, 'ReadDirectory', DIRECTORY_READ_ACTIONS);
    if (servesWorkerWeb(declared)) this.grantSessionKeysRead(fn);
    if (declared.permissions.readMatchKeys) this.grantMatchKeysRead(fn);
    const sendEmail = declared.permissions.sendEmail;
    if (sendEmail) this.grantSendEmail(fn, sendEmail);

    if (declared.uses.includes('schedule')) {
      // Scheduler invokes asynchronously: a run that still fails after Lambda's own two retries is kept, not dropped.
      const failedRuns = this.buildDeadLetterQueue(`${declared.name}-async`, 'failed asynchronous runs of');
      (fn.node.defaultChild as CfnFunction).deadLetterConfig = { targetArn: failedRuns.queueArn };
      this.allowSendingTo(fn.role!, failedRuns, 'ParkFailedRuns');
    } else {
      const reason = declared.uses.includes('http')
        ? 'Invoked synchronously by API Gateway: a failure is returned to the caller as a 5xx, there is no asynchronous event to keep.'
        : 'Invoked synchronously by its SQS event source mapping: a failed message returns to the queue and moves to the subscription DLQ after maxReceiveCount receives.';
      acknowledge(fn, 'Serverless-LambdaDLQ', reason);
      acknowledge(fn, 'NIST.800.53.R5-LambdaDLQ', reason);
    }
    return fn;
  }

  /**
   * A function as every function here is built: Node 22 on arm64, bundled by esbuild, traced, with
   * its own role (no AWS managed policy) and its own encrypted log group.
   */
  private buildNodejsFunction(
    functionName: string,
    options: { description: string; entry: string; memorySize: number; timeoutSeconds: number; environment: Record<string, string> },
  ): NodejsFunction {
    const name = functionNameOf(this.stage, this.manifest.name, functionName);
    const logGroup = new LogGroup(this, idOf('Logs', functionName), {
      logGroupName: `/aws/lambda/${name}`,
      retention: logRetentionOfSettings(this.props.settings),
      encryptionKey: this.key,
      removalPolicy: removalPolicyOf(this.props.settings),
    });
    const role = new Role(this, idOf('Role', functionName), {
      description: `${name}: runs the function`,
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    // What AWSLambdaBasicExecutionRole grants, limited to this function's own log group.
    role.addToPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    const fn = new NodejsFunction(this, idOf('Fn', functionName), {
      functionName: name,
      description: options.description,
      code: this.props.bundles.code(options.entry),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: options.memorySize,
      timeout: Duration.seconds(options.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      // No NODE_OPTIONS=--enable-source-maps: the bundle maps its stacks itself, when one is formatted (ADR 0030).
      environment: options.environment,
    });
    acknowledgeFunctionFindings(fn);
    // On the role's own policy, which holds the statement, not on the role.
    acknowledge(
      role.node.findChild('DefaultPolicy'),
      'AwsSolutions-IAM5[Resource::*]',
      'Only the X-Ray statement Lambda adds for active tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) has Resource "*": X-Ray offers no resource-level permissions for them.',
    );
    return fn;
  }

  /** SendMessage to an encrypted queue, written out so that no wildcard KMS action (GenerateDataKey*, ReEncrypt*) is granted. */
  private allowSendingTo(role: IRole, queue: Queue, sid: string): void {
    role.addToPrincipalPolicy(new PolicyStatement({ sid, actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: `${sid}Encryption`,
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.props.platform.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }

  /**
   * Read and write on this service's own table and index only, and there only the partitions the
   * function's manifest entry declares (`permissions.tableKeys`, ADR 0023; the local cloud refuses
   * every call outside them, infra/local/src/runtime/table-guard.ts). No `Scan`: every access
   * pattern is a GetItem, Query or transaction on known keys (ARCHITECTURE.md), and IAM enforces it.
   * A function that declares no partitions gets no table access and no use of the key.
   *
   * Audit items (partitions `AUDIT#…`, ADR 0014 §7) are kept write-once by partition key, the only
   * part of a key IAM sees (`dynamodb:LeadingKeys`: the table's partition key, or the index's for
   * a Query of the index): reads and changes are allowed only where every leading key of the
   * request is not an audit partition (`ForAllValues:StringNotLike`, with `Null` false so that a
   * request without leading keys, which `ForAllValues` would pass, is not allowed by it); audit
   * items may only be put (the code puts them on condition they are new, which IAM cannot
   * express), returning nothing; only a function declared an audit reader may read them; and an
   * explicit deny keeps every function from updating or deleting them (and others from reading
   * them) whatever else a later grant allows.
   */
  private grantTableAccess(fn: NodejsFunction, declared: ResolvedFunction): void {
    const where = `service ${this.manifest.name}, function ${declared.name}`;
    const { tableKeys, readAudit } = declared.permissions;
    for (const statement of tableStatements(this.table.tableArn, { tableKeys, readAudit: readAudit === true, where })) {
      fn.addToRolePolicy(statement);
    }
    if (tableKeys === undefined) return;
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'OwnTableEncryption',
        effect: Effect.ALLOW,
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [this.props.platform.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }

  /**
   * What a function serving pages or sign-in reads (ADR 0012): the session keys' secret (the local
   * cloud gives the keys themselves as SESSION_KEYS; here they are read once per container), the
   * origin that Origin headers and redirect URIs are checked against, and the identity provider:
   * its issuer (the ID token's `iss`, and its JWKS), its hosted sign-in domain (/oauth2/authorize,
   * /oauth2/token, /logout) and the web client (the ID token's `aud`).
   */
  private workerWebEnvironment(): Record<string, string> {
    const { platform } = this.props;
    return {
      SESSION_KEYS_SECRET_ARN: platform.sessionKeysSecretArn,
      PUBLIC_ORIGIN: platform.publicOrigin,
      OIDC_ISSUER: platform.userPoolIssuer,
      OIDC_DOMAIN: platform.userPoolDomainUrl,
      WEB_CLIENT_ID: platform.webClientId,
    };
  }

  /** The one session keys secret, and decrypting it only through Secrets Manager. */
  private grantSessionKeysRead(fn: NodejsFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadSessionKeys',
        effect: Effect.ALLOW,
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.props.platform.sessionKeysSecretArn],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'SessionKeysDecryption',
        effect: Effect.ALLOW,
        actions: ['kms:Decrypt'],
        resources: [this.props.platform.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }

  /**
   * The one match keys secret, and decrypting it with its own key only through Secrets Manager and
   * only for that secret (Secrets Manager's encryption context names the secret's ARN).
   */
  private grantMatchKeysRead(fn: NodejsFunction): void {
    const { matchKeysSecretArn, matchKeysKeyArn } = this.props.platform;
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadMatchKeys',
        effect: Effect.ALLOW,
        actions: ['secretsmanager:GetSecretValue'],
        resources: [matchKeysSecretArn],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'MatchKeysDecryption',
        effect: Effect.ALLOW,
        actions: ['kms:Decrypt'],
        resources: [matchKeysKeyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com`,
            'kms:EncryptionContext:SecretARN': matchKeysSecretArn,
          },
        },
      }),
    );
  }

  /**
   * Cognito actions on the platform user pool, and only that pool: partner agencies' app clients
   * (`ManagePartnerAppClients`: exactly the operations the referrals adapter calls to onboard,
   * rotate and revoke) or reading workers (`ReadDirectory`: the directory port's operations).
   */
  private grantUserPool(fn: NodejsFunction, sid: string, actions: readonly string[]): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        sid,
        effect: Effect.ALLOW,
        actions: actions.map((action) => `cognito-idp:${action}`),
        resources: [this.props.platform.userPoolArn],
      }),
    );
  }

  /**
   * SES v2 SendEmail from the manifest's one address. SES authorises a send against the identity
   * it verified, the address itself or its domain, so both are named; the condition pins the
   * `From` address so that a domain identity does not let the function send as anyone@domain.
   */
  /** SES authorises a send on the identity and, when one is named, on the configuration set too. */
  private grantSendEmail(fn: NodejsFunction, { from, sesEvents }: { from: string; sesEvents?: boolean | undefined }): void {
    const sesArn = (resource: string) => `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'SendEmailFromServiceAddress',
        effect: Effect.ALLOW,
        actions: [SES_SEND_EMAIL_ACTION],
        resources: [
          ...sesIdentitiesOf(from).map((identity) => sesArn(`identity/${identity}`)),
          ...(sesEvents ? [sesArn(`configuration-set/${this.props.platform.sesEventsConfigurationSetName}`)] : []),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': from } },
      }),
    );
  }

  /** What a function that emails reads: the origin its links start with, and the configuration set publishing its email's events. */
  private emailEnvironment({ sesEvents }: { sesEvents?: boolean | undefined }): Record<string, string> {
    return {
      PUBLIC_ORIGIN: this.props.platform.publicOrigin,
      ...(sesEvents ? { SES_CONFIGURATION_SET: this.props.platform.sesEventsConfigurationSetName } : {}),
    };
  }

  private checkLogAlarmNames(): void {
    const seen = new Set<string>();
    for (const logAlarm of this.manifest.logAlarms ?? []) {
      if (seen.has(logAlarm.name)) throw new Error(`service ${this.manifest.name}: log alarm ${logAlarm.name} is declared twice`);
      seen.add(logAlarm.name);
    }
  }

  /**
   * A metric filter on each named function's log group feeding one metric, and one alarm on it to
   * the platform topic: an operator hears once, whichever function logged the message.
   */
  private buildLogAlarm(logAlarm: LogAlarm): void {
    const metric = { namespace: logAlarmNamespaceOf(this.stage, this.manifest.name), metricName: logAlarm.name };
    const filterPattern = FilterPattern.all(
      FilterPattern.stringValue('$.level', '=', logAlarm.level),
      FilterPattern.stringValue('$.message', '=', logAlarm.message),
    );
    for (const functionName of logAlarm.functions) {
      const logGroup = this.functionOf(functionName).logGroup;
      new MetricFilter(this, idOf('LogMetric', logAlarm.name, functionName), {
        logGroup,
        filterName: `${this.prefix}-${logAlarm.name}`,
        filterPattern,
        metricNamespace: metric.namespace,
        metricName: metric.metricName,
        metricValue: '1',
      });
    }
    this.alarmOnAny(idOf('LogAlarm', logAlarm.name), {
      alarmName: `${this.prefix}-${logAlarm.name}`,
      alarmDescription: `${this.manifest.name}: ${logAlarm.description}`,
      metric: new Metric({ ...metric, statistic: 'Sum', period: Duration.minutes(5) }),
    });
  }

  /**
   * An alarm at the first data point of 1 or more, telling the platform's alarms topic when it
   * fires and when it clears. No data is the healthy state (no line logged, no message dead-lettered), not a gap.
   */
  private alarmOnAny(id: string, props: { alarmName: string; alarmDescription: string; metric: IMetric }): Alarm {
    const alarm = new Alarm(this, id, {
      ...props,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    alarm.addOkAction(new SnsAction(this.alarmTopic));
    return alarm;
  }

  private functionOf(name: string): NodejsFunction {
    const fn = this.functions.get(name);
    if (fn === undefined) throw new Error(`service ${this.manifest.name}: no function ${name}`);
    return fn;
  }

  private buildRoutes(): void {
    const http = this.manifest.http;
    if (http === undefined || (http.routes.length === 0 && http.defaultRoute === undefined)) return;
    const api: IHttpApi = HttpApi.fromHttpApiAttributes(this, 'HttpApi', { httpApiId: this.props.platform.httpApiId });
    const workerAuthorizer = HttpAuthorizer.fromHttpAuthorizerAttributes(this, 'WorkerAuthorizer', {
      authorizerId: this.props.platform.workerAuthorizerId,
      authorizerType: HttpAuthorizerType.JWT,
    });
    const partnerAuthorizer = this.buildPartnerAuthorizer();
    const publicRoutes = new HttpNoneAuthorizer();

    const seen = new Set<string>();
    for (const { name, routes, servesDefaultRoute } of this.manifest.functions) {
      if (routes.length === 0 && !servesDefaultRoute) continue;
      // One integration per function, shared by its routes. The service's own HTTP function keeps
      // the id it has always had, so that adding a route function replaces nothing already deployed.
      const integrationId = name === http.function.name ? 'HttpIntegration' : idOf('HttpIntegration', name);
      const integration = new HttpLambdaIntegration(integrationId, this.functionOf(name));
      for (const route of routes) {
        const routeKey = routeKeyOf(route);
        if (seen.has(routeKey)) throw new Error(`service ${this.manifest.name}: route ${routeKey} is declared twice`);
        seen.add(routeKey);
        let authorizer: IHttpRouteAuthorizer;
        // A page route (kind 'page') has no authorizer, like a public one: its function checks the session cookie.
        if (route.auth.kind === 'worker') authorizer = workerAuthorizer;
        else if (route.auth.kind === 'partner') {
          if (partnerAuthorizer === undefined) throw new Error('unreachable: partner route without a partner authorizer');
          authorizer = partnerAuthorizer;
        } else authorizer = publicRoutes;
        const httpRoute = new HttpRoute(this, idOf('Route', route.method, route.path), {
          httpApi: api,
          routeKey: HttpRouteKey.with(route.path, HTTP_METHODS[route.method]),
          integration,
          authorizer,
        });
        if (route.auth.kind === 'public') {
          acknowledge(
            httpRoute,
            'AwsSolutions-APIG4',
            `The manifest declares ${routeKey} public: pages and documents anyone may fetch without signing in (the public referral form, the OpenAPI document). Everything else on the API has an authorizer.`,
          );
        } else if (route.auth.kind === 'page') {
          acknowledge(
            httpRoute,
            'AwsSolutions-APIG4',
            `${routeKey} is a worker page, admitted by the encrypted __Host-fsp-session cookie, which the function opens before any route code runs (shared/src/http/page-session.ts, ADR 0012): API Gateway's JWT authorizer reads only the Authorization header, and pages must never accept a bearer token.`,
          );
        }
      }
      if (servesDefaultRoute) {
        // Every request no route of any service matches, rather than API Gateway's own JSON 404 (ADR 0013).
        // After the function's routes: the integration keeps the logical id it has under its first route.
        const defaultRoute = new HttpRoute(this, 'DefaultRoute', {
          httpApi: api,
          routeKey: HttpRouteKey.DEFAULT,
          integration,
          authorizer: publicRoutes,
        });
        acknowledge(
          defaultRoute,
          'AwsSolutions-APIG4',
          `${DEFAULT_ROUTE_KEY} answers every request no route matches, whatever its method and path: anyone may mistype an address, so it has no authorizer. Its function answers 404 (a GOV.UK page, or a problem document under /api/ and /v1/) and runs no route; it opens the session cookie only to show a signed-in worker their navigation (ADR 0013).`,
        );
      }
    }
  }

  /**
   * One Lambda authorizer per service with partner routes, configured with that service's
   * routeKey → scopes. The route key is part of the identity source so that API Gateway's cache
   * never lets a token allowed on one route through another route that needs more scopes.
   */
  private buildPartnerAuthorizer(): HttpLambdaAuthorizer | undefined {
    const routeScopes = partnerRouteScopesOf(this.manifest);
    if (Object.keys(routeScopes).length === 0) return undefined;
    const fn = this.buildNodejsFunction('partner-authorizer', {
      description: `${this.manifest.name}: verifies partner agencies' client-credentials tokens and route scopes`,
      entry: PARTNER_AUTHORIZER_ENTRY,
      memorySize: 256,
      timeoutSeconds: 5,
      environment: { USER_POOL_ISSUER: this.props.platform.userPoolIssuer, PARTNER_ROUTE_SCOPES: JSON.stringify(routeScopes) },
    });
    const reason = 'A Lambda authorizer is invoked synchronously by API Gateway; a failure refuses the request, there is no event to keep.';
    acknowledge(fn, 'Serverless-LambdaDLQ', reason);
    acknowledge(fn, 'NIST.800.53.R5-LambdaDLQ', reason);
    this.functions.set('partner-authorizer', fn);
    return new HttpLambdaAuthorizer('PartnerAuthorizer', fn, {
      authorizerName: `${this.manifest.name}-partners`,
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization', '$context.routeKey'],
      // Short, so that a revoked agency (a later check in the authorizer) is refused within a minute.
      resultsCacheTtl: Duration.minutes(1),
    });
  }

  /** A DLQ: encrypted, TLS only, and kept for SQS's maximum so that a fault found after a weekend can still be redriven. */
  private buildDeadLetterQueue(name: string, purpose: string): Queue {
    const queueName = `${queueNameOf(this.stage, this.manifest.name, name)}-dlq`;
    const dlq = new Queue(this, idOf('Dlq', name), {
      queueName,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      dataKeyReuse: Duration.hours(1),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.alarmOnAny(idOf('DlqAlarm', name), {
      alarmName: `${queueName}-not-empty`,
      alarmDescription: `${this.manifest.name}: ${purpose} ${name} has messages that failed; inspect and redrive (${queueName}).`,
      metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    });
    const reason = `This queue is itself a dead-letter queue (${purpose} ${name}); it keeps failed messages 14 days, alarms when not empty, and is redriven by an operator. A DLQ of a DLQ would only hide them further.`;
    acknowledge(dlq, 'AwsSolutions-SQS3', reason);
    acknowledge(dlq, 'Serverless-SQSRedrivePolicy', reason);
    return dlq;
  }

  private buildSubscription(subscription: ResolvedSubscription): void {
    const fn = this.functionOf(subscription.consumer.name);
    const functionTimeout = subscription.consumer.timeoutSeconds;
    const visibility = subscription.visibilityTimeoutSeconds;
    if (visibility < functionTimeout) {
      // Lambda refuses such a mapping, and a message would reappear while its first delivery is still running.
      throw new Error(
        `service ${this.manifest.name}, subscription ${subscription.name}: visibility ${visibility}s is shorter than the function's ${functionTimeout}s timeout`,
      );
    }
    const dlq = this.buildDeadLetterQueue(subscription.name, 'subscription');
    const queue = new Queue(this, idOf('Queue', subscription.name), {
      queueName: queueNameOf(this.stage, this.manifest.name, subscription.name),
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      dataKeyReuse: Duration.hours(1),
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(visibility),
      deadLetterQueue: { queue: dlq, maxReceiveCount: subscription.maxReceiveCount },
    });

    // L1 so that the pattern is emitted exactly as the manifest (and the local bus) has it.
    const rule = new CfnRule(this, idOf('Rule', subscription.name), {
      name: ruleNameOf(this.stage, this.manifest.name, subscription.name),
      description: `${this.manifest.name} subscribes ${subscription.name}`,
      eventBusName: this.props.platform.eventBusName,
      eventPattern: subscription.pattern,
      state: 'ENABLED',
      targets: [
        {
          id: 'queue',
          arn: queue.queueArn,
          // An event EventBridge cannot deliver (a queue policy or key fault) lands in the subscription's DLQ and alarms.
          deadLetterConfig: { arn: dlq.queueArn },
          retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 24 * 60 * 60 },
        },
      ],
    });
    for (const destination of [queue, dlq]) {
      destination.addToResourcePolicy(
        new PolicyStatement({
          sid: 'OnlyThisRuleSends',
          effect: Effect.ALLOW,
          principals: [new ServicePrincipal('events.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [destination.queueArn],
          conditions: { ArnEquals: { 'aws:SourceArn': rule.attrArn } },
        }),
      );
    }

    const batchSize = subscription.batchSize;
    const source = new SqsEventSource(queue, {
      batchSize,
      reportBatchItemFailures: true,
      // SQS batches above 10 need a batching window; one second keeps latency low.
      ...(batchSize > 10 ? { maxBatchingWindow: Duration.seconds(1) } : {}),
      ...(subscription.maxConcurrency === undefined ? {} : { maxConcurrency: subscription.maxConcurrency }),
    });
    fn.addEventSource(source);
    acknowledge(
      fn.node.findChild(`SqsEventSource:${Names.nodeUniqueId(queue.node)}`),
      'Serverless-LambdaEventSourceMappingDestination',
      'Lambda supports on-failure destinations only for stream and Kafka sources, not SQS; a failed message returns to the queue and moves to the subscription DLQ (redrive policy) after maxReceiveCount receives.',
    );
  }

  /**
   * The outbox: the table's stream → EventBridge Pipes → the platform bus, new outbox items only.
   * `source`, `detail-type` and `detail` come from the item exactly as the producer wrote them.
   */
  private buildOutboxPipe(): void {
    const streamArn = this.table.tableStreamArn;
    if (streamArn === undefined) throw new Error('the table has no stream');
    const dlq = this.buildDeadLetterQueue('outbox', 'outbox pipe');
    const restored = this.props.restoredTable;
    const pipeName = pipeNameOf(
      this.stage,
      this.manifest.name,
      restored === undefined ? undefined : restored.tableName.slice(`${this.prefix}-`.length),
    );
    const logs = new LogGroup(this, 'OutboxPipeLogs', {
      // The service's one pipe log group, whichever table the pipe reads.
      logGroupName: `/aws/vendedlogs/pipes/${pipeNameOf(this.stage, this.manifest.name)}`,
      retention: logRetentionOfSettings(this.props.settings),
      encryptionKey: this.key,
      removalPolicy: removalPolicyOf(this.props.settings),
    });

    const role = new Role(this, 'OutboxPipeRole', {
      description: `${pipeName}: reads ${this.manifest.name}'s table stream and puts its outbox events on the bus`,
      assumedBy: new ServicePrincipal('pipes.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
    });
    role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadOwnTableStream',
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
        resources: [streamArn],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'DecryptStreamRecords',
        actions: ['kms:Decrypt'],
        resources: [this.props.platform.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } },
      }),
    );
    role.addToPolicy(
      new PolicyStatement({ sid: 'PublishToPlatformBus', actions: ['events:PutEvents'], resources: [this.props.platform.eventBusArn] }),
    );
    role.addToPolicy(new PolicyStatement({ sid: 'ParkFailedRecords', actions: ['sqs:SendMessage'], resources: [dlq.queueArn] }));
    role.addToPolicy(
      new PolicyStatement({
        sid: 'EncryptParkedRecords',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.props.platform.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Aws.REGION}.amazonaws.com` } },
      }),
    );
    role.addToPolicy(
      new PolicyStatement({ sid: 'WritePipeLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logs.logGroupArn] }),
    );

    const pipe = new CfnPipe(this, 'OutboxPipe', {
      name: pipeName,
      description: `${this.manifest.name}: outbox items from the table stream to the platform bus`,
      roleArn: role.roleArn,
      source: streamArn,
      sourceParameters: {
        filterCriteria: { filters: [{ pattern: JSON.stringify(OUTBOX_STREAM_FILTER) }] },
        dynamoDbStreamParameters: {
          // From the oldest record still in the stream: a pipe (re)created after writes must not skip facts.
          startingPosition: 'TRIM_HORIZON',
          batchSize: 10,
          maximumBatchingWindowInSeconds: 0,
          maximumRetryAttempts: 10,
          onPartialBatchItemFailure: 'AUTOMATIC_BISECT',
          deadLetterConfig: { arn: dlq.queueArn },
        },
      },
      target: this.props.platform.eventBusArn,
      targetParameters: {
        inputTemplate: OUTBOX_INPUT_TEMPLATE,
        eventBridgeEventBusParameters: OUTBOX_EVENT_PARAMETERS,
      },
      logConfiguration: { level: 'ERROR', cloudwatchLogsLogDestination: { logGroupArn: logs.logGroupArn } },
    });
    // CloudFormation would otherwise start the pipe before its role may read the stream, and the first records would fail.
    pipe.node.addDependency(role);
  }

  private schedulerRoleOfService: Role | undefined;

  /** One role for all of this service's schedules: it may invoke only the scheduled functions and send to their DLQs. */
  private schedulerRole(): Role {
    this.schedulerRoleOfService ??= new Role(this, 'SchedulerRole', {
      description: `${this.prefix}: EventBridge Scheduler invokes this service's scheduled functions`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
    });
    return this.schedulerRoleOfService;
  }

  private buildSchedule(schedule: ResolvedSchedule): void {
    const fn = this.functionOf(schedule.handler.name);
    const dlq = this.buildDeadLetterQueue(`schedule-${schedule.name}`, 'schedule');
    const target = new LambdaInvoke(fn, {
      role: this.schedulerRole(),
      deadLetterQueue: dlq,
      retryAttempts: 3,
      maxEventAge: Duration.hours(1),
      // The same "Scheduled Event" shape the local scheduler delivers, so handlers read one shape.
      input: ScheduleTargetInput.fromObject({
        version: '0',
        id: ContextAttribute.executionId,
        'detail-type': 'Scheduled Event',
        source: 'aws.scheduler',
        account: Aws.ACCOUNT_ID,
        time: ContextAttribute.scheduledTime,
        region: Aws.REGION,
        resources: [ContextAttribute.scheduleArn],
        detail: {},
      }),
    });
    new Schedule(this, idOf('Schedule', schedule.name), {
      scheduleName: scheduleNameOf(this.stage, this.manifest.name, schedule.name),
      description: `${this.manifest.name}: ${schedule.name}`,
      schedule: ScheduleExpression.expression(schedule.expression, TimeZone.of(schedule.timezone)),
      timeWindow: TimeWindow.off(),
      target,
    });
    // The grant lands in the scheduler role's own policy once the schedule binds its target: acknowledged there.
    acknowledge(
      this.schedulerRole().node.findChild('DefaultPolicy'),
      `AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.node.defaultChild as CfnFunction)}.Arn>:*]`,
      `lambda:InvokeFunction on ${fn.node.id}'s versions and aliases (ARN:*), as the scheduler target grant writes it; no other function.`,
    );
  }
}
