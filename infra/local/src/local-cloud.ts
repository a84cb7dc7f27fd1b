import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SIGN_IN_CALLBACK_PATH, SIGNED_OUT_PATH } from '@fsp/shared/http/oidc-client';
import { generateSessionKey, type SessionKey, serializeSessionKeys } from '@fsp/shared/http/session';
import type { KeyringSecrets } from '@fsp/shared/keyed-hash';
import { localKeyringSecrets } from '@fsp/shared/keyed-hash-local';
import type { ServiceManifest } from '@fsp/shared/manifest';
import type { ResolvedManifest } from '@fsp/shared/manifest-resolve';
import { PARTNER_SCOPES } from '@fsp/shared/people';
import { withoutSdkLogging } from '@fsp/shared/sdk-client';
import { createTableInput, tableNameFor } from '@fsp/shared/table';
import { COGNITO_TARGET_PREFIX, createLocalCognito, seedDemoAgency } from './cognito';
import { type DynamoDbLocal, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from './dynamodb-local';
import { createLocalEventBridge, type EventBridgeEvent } from './eventbridge/api';
import { type EventPattern, matchesPreparedEvent, parseEventPattern, prepareEvent } from './eventbridge/pattern';
import { createGateway, sendNotFound, serviceAssets } from './gateway';
import { refuseForeignHost } from './gateway/host';
import { LANDING_PAGE_PATH, sendLandingPage } from './gateway/landing';
import { createMailOutbox } from './mail';
import type { SesEventBridgeEvent } from './mail/outbox';
import { freePort } from './net';
import { createLocalIssuer, type LocalIssuer, type RegisteredClient, type RegisteredDemoWorker } from './oidc';
import { createQueueAdmin, createQueueRegistry, type QueueOverrides, type QueueRegistry } from './queues';
import { createOutboxRelay, mayCommitOutboxItems, type OutboxRelay } from './relay';
import { prepareFunctionBundles } from './runtime/function-bundles';
import { createFunctionRuntime, type FunctionRuntime, type LocalFunction } from './runtime/function-runtime';
import { functionIdOf, type Invoke } from './runtime/types';
import { createScheduler } from './scheduler';

export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_STAGE = 'local';
export const LOCAL_BUS_NAME = 'fsp-local';
/** The one local user pool, as a Cognito pool id looks (`<region>_<id>`). */
export const LOCAL_USER_POOL_ID = 'eu-west-2_fsplocal';

export interface LocalCloudOptions {
  /** Resolved (`loadServiceManifests` does it): functions, queues and schedules run with the settings CDK deploys. */
  manifests: readonly ResolvedManifest[];
  /** 0 or undefined picks a free port. */
  port?: number;
  /** Where DynamoDB, queues, mail and checkpoints live; undefined keeps everything in memory. */
  dataDirectory?: string;
  /** Use an already running DynamoDB Local instead of starting one (tests share one). */
  dynamoEndpoint?: string;
  /** Prepended to table names so that several local clouds can share one DynamoDB Local. */
  tablePrefix?: string;
  /** Tests only: shorter waits than AWS's on every queue (see QueueOverrides). */
  queueOverrides?: QueueOverrides;
  relayPollIntervalMs?: number;
  /**
   * EventBridge delivers at least once. Set to 2 or more to have every matched event delivered
   * that many times to each subscription (each copy with its own EventBridge id, as in AWS), so a
   * test can show that consumers are idempotent end to end. Defaults to 1.
   */
  deliveryCopies?: number;
  /**
   * What each function's execution environment loads: its esbuild bundle, built or found unchanged
   * at start (ADR 0027, the default), or its TypeScript sources compiled at each cold start.
   */
  functionsFrom?: 'bundles' | 'sources';
  /** The functions' Powertools log level (`POWERTOOLS_LOG_LEVEL`); tests and benchmarks quieten them with `WARN`, which also stops their EMF metric lines. */
  functionLogLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  log?: (line: string) => void;
}

export interface LocalCloud {
  url: string;
  issuer: LocalIssuer;
  queues: QueueRegistry;
  runtime: FunctionRuntime;
  demoPartner: RegisteredClient;
  demoWorkers: RegisteredDemoWorker[];
  tableNames: Record<string, string>;
  dynamoEndpoint: string;
  /** The keys page routes open `__Host-fsp-session` with: made at start-up, held in memory only (a restart signs everyone out). */
  sessionKeys: SessionKey[];
  /** The known-family index's key ring the functions hash with (ADR 0021): a test writing referrals itself hashes with it too. */
  matchKeys: KeyringSecrets;
  /**
   * Resolves once everything written so far has been carried through: the relay's start-up recovery
   * over, every queue empty (nothing waiting, nothing being handled) and, after that, a whole read of
   * every table's stream by the outbox relay finding nothing, with no message sent meanwhile. What tests and the seed wait for
   * before the clock moves on; fails after `timeoutMs`.
   */
  settled(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The workers the local cloud registers with its issuer: its user pool's people (infra/local/src/cognito/api.ts serves them). */
export const DEMO_WORKERS = [
  { username: 'frontdoor', name: 'Priya Shah', email: 'priya.shah@example.gov.uk', roles: ['front-door'], teamId: 'front-door' },
  { username: 'socialworker', name: 'Sam Okafor', email: 'sam.okafor@example.gov.uk', roles: ['social-worker'], teamId: 'north' },
  { username: 'specialist', name: 'Dana Lewis', email: 'dana.lewis@example.gov.uk', roles: ['adult-specialist'], teamId: 'north' },
  { username: 'manager', name: 'Jo Patel', email: 'jo.patel@example.gov.uk', roles: ['team-manager'], teamId: 'north' },
  { username: 'admin', name: 'Alex Green', email: 'alex.green@example.gov.uk', roles: ['administrator'], teamId: 'platform' },
] as const;

/** Starts the whole platform on this machine: the same manifests and handler code as in AWS. */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const data = options.dataDirectory;
  const stopping: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stopping.reverse()) await stop();
  };
  try {
    let dynamo: DynamoDbLocal | undefined;
    let dynamoEndpoint = options.dynamoEndpoint;
    if (!dynamoEndpoint) {
      dynamo = await startDynamoDbLocal(data ? { dataDirectory: join(data, 'dynamodb') } : {});
      dynamoEndpoint = dynamo.endpoint;
      const started = dynamo;
      stopping.push(() => started.stop());
    }
    const port = options.port || (await freePort());
    const url = `http://127.0.0.1:${port}`;
    const clients = {
      dynamo: withoutSdkLogging(new DynamoDBClient({ endpoint: dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS })),
      streams: withoutSdkLogging(
        new DynamoDBStreamsClient({ endpoint: dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
      ),
      eventBridge: withoutSdkLogging(new EventBridgeClient({ endpoint: url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS })),
    };
    stopping.push(async () => {
      for (const client of Object.values(clients)) client.destroy();
    });

    const tableNames: Record<string, string> = {};
    for (const manifest of options.manifests) {
      const tableName = tableNameFor(LOCAL_STAGE, manifest.name, options.tablePrefix);
      tableNames[manifest.name] = tableName;
      await ensureTable(clients.dynamo, tableName);
    }

    // App clients are kept with the data, as a user pool keeps them: agencies onboarded before a restart still get tokens.
    // The web client's callback and sign-out URLs are notifications' sign-in routes on this origin, as CDK registers them on CloudFront's.
    const issuer = createLocalIssuer({
      issuerUrl: url,
      log,
      webRedirectUris: [`${url}${SIGN_IN_CALLBACK_PATH}`],
      webLogoutUris: [`${url}${SIGNED_OUT_PATH}`],
      ...(data ? { clientsFile: join(data, 'cognito', 'clients.json') } : {}),
    });
    for (const worker of DEMO_WORKERS) issuer.registerWorker({ ...worker, roles: [...worker.roles] });

    // As the issuer's signing key: new at each start, never on disk, so none can end up in the repo.
    const sessionKeys = [generateSessionKey(1)];
    // The known-family index's keys (ADR 0021): made at the first start and kept with the data, or in memory without a data directory.
    const matchKeyRing = localKeyringSecrets(data);
    const matchKeys = JSON.stringify(matchKeyRing);
    const platform = { dynamoEndpoint, url, sessionKeys: serializeSessionKeys(sessionKeys), webClientId: issuer.webClientId, matchKeys };
    const functions = functionsOf(options.manifests, tableNames, platform, options.functionLogLevel);
    const bundles = options.functionsFrom === 'sources' ? undefined : await prepareFunctionBundles(functions);
    const runtime = createFunctionRuntime(
      functions.map((fn) => ({ ...fn, bundle: bundles?.bundles.get(fn.id) })),
      { region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID, tableGuardBundle: bundles?.tableGuard },
    );
    stopping.push(() => runtime.stop());
    // A function's writes are committed when its invocation ends: the outbox relay reads its table's
    // stream then instead of at its next poll (set once the relay exists).
    let afterInvocation = (_table: string) => {};
    const tableOfFunction = new Map(functions.map((fn) => [fn.id, fn.environment.TABLE_NAME]));
    const invoke: Invoke = async (functionId, event) => {
      try {
        return await runtime.invoke(functionId, event);
      } finally {
        const table = tableOfFunction.get(functionId);
        if (table !== undefined && mayCommitOutboxItems(event)) afterInvocation(table);
      }
    };

    const queues = await createQueueRegistry({
      manifests: options.manifests,
      ...(data ? { directory: join(data, 'queues') } : {}),
      invoke,
      log,
      ...(options.queueOverrides ? { overrides: options.queueOverrides } : {}),
    });
    const routes = queues
      .routes()
      .map((route) => ({ ...route, pattern: compilePattern(route.service, route.subscription.name, route.subscription.pattern) }));

    /** The platform bus's rules: each matching subscription's queue gets the event (`deliveryCopies` times). */
    async function deliverOnPlatformBus(event: EventBridgeEvent | SesEventBridgeEvent): Promise<void> {
      const copies = options.deliveryCopies ?? 1;
      // Once per event, not once per rule: the bus has a rule for every subscription of every service.
      const prepared = prepareEvent(event);
      for (const route of routes) {
        if (!matchesPreparedEvent(route.pattern, prepared)) continue;
        for (let copy = 0; copy < copies; copy += 1) {
          await route.queue.send(JSON.stringify(copy === 0 ? event : { ...event, id: randomUUID() }));
        }
      }
    }
    const eventBridge = createLocalEventBridge({
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      busNames: [LOCAL_BUS_NAME],
      async deliver(busName: string, event: EventBridgeEvent) {
        if (busName === LOCAL_BUS_NAME) await deliverOnPlatformBus(event);
      },
      reportError: ({ message, error, requestId }) =>
        log(JSON.stringify({ level: 'ERROR', component: 'eventbridge', message, requestId, error: String(error) })),
    });

    const cognito = createLocalCognito({
      issuer,
      userPoolId: LOCAL_USER_POOL_ID,
      scopes: PARTNER_SCOPES,
      reportError: ({ message, error, requestId }) =>
        log(JSON.stringify({ level: 'ERROR', component: 'cognito', message, requestId, error: String(error) })),
    });

    // SES's events (Send, Bounce) reach the platform bus, as the AWS rule forwarding `aws.ses` events brings them (ADR 0019).
    const mail = createMailOutbox({ ...(data ? { directory: join(data, 'mail') } : {}), publish: deliverOnPlatformBus });
    const queueAdmin = createQueueAdmin(queues);
    // The services' static files (the referral form's GOV.UK assets), as CloudFront would serve them.
    const assets = serviceAssets(options.manifests);
    const gateway = createGateway({ manifests: options.manifests, invoke, issuer, log });

    const server = createServer((req, res) => {
      void dispatch(req, res).catch((error: unknown) => {
        log(JSON.stringify({ level: 'ERROR', component: 'local-cloud', message: 'request failed', path: req.url, error: String(error) }));
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: 'Internal Server Error' }));
        } else res.destroy();
      });
    });
    async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
      // Before anything else, so that no path (sign-in, tokens, mail, the AWS APIs) answers a DNS-rebinding page.
      if (refuseForeignHost(req, res)) return;
      const target = req.headers['x-amz-target'];
      if (req.method === 'POST' && typeof target === 'string' && target.startsWith(COGNITO_TARGET_PREFIX)) return cognito(req, res);
      if (req.method === 'POST' && target) return eventBridge(req, res);
      if (issuer.handle(req, res)) return;
      if (await mail.handle(req, res)) return;
      if (await queueAdmin.handle(req, res)) return;
      if (await assets(req, res)) return;
      // Notifications' home owns `/`; the local cloud's own page for developers is here, before the
      // gateway, whose `$default` route (ADR 0013) takes every address no route has.
      if (req.method === 'GET' && (req.url === LANDING_PAGE_PATH || req.url === '/_local')) return landingPage(res, options.manifests);
      // The rest of the local cloud's own API (mail, queues: its CLI and tests) is not the platform's, and answers its own 404.
      if (req.url === '/_local' || req.url?.startsWith('/_local/') || req.url?.startsWith('/_local?')) return sendNotFound(res);
      if (await gateway.handle(req, res)) return;
      sendNotFound(res);
    }
    await listen(server, port);
    stopping.push(() => closeServer(server));

    queues.startAll();
    stopping.push(() => queues.stopAll());

    const relay = createOutboxRelay({
      tables: Object.values(tableNames),
      ...clients,
      busName: LOCAL_BUS_NAME,
      // The journal lets the relay publish at start what a kill left unpublished (ADR 0024); in memory there is nothing to recover.
      ...(data ? { checkpointFile: join(data, 'relay-checkpoints.json'), journalFile: join(data, 'relay-journal.jsonl') } : {}),
      functionsNow: () => Date.now() + runtime.clockOffset(),
      ...(options.relayPollIntervalMs ? { pollIntervalMs: options.relayPollIntervalMs } : {}),
      log,
    });
    relay.start();
    afterInvocation = (table) => relay.wake([table]);
    stopping.push(() => relay.stop());

    const scheduler = createScheduler({ manifests: options.manifests, invoke, log, accountId: LOCAL_ACCOUNT_ID });
    scheduler.start();
    stopping.push(() => scheduler.stop());

    // Through the real admin API when a service serves it (referrals), so the demo agency is an onboarded agency like any other.
    const demoPartner = await seedDemoAgency({
      url,
      manifests: options.manifests,
      issuer,
      adminUsername: 'admin',
      scopes: PARTNER_SCOPES,
      log,
    });

    if (data) writeFileSync(join(data, 'local-cloud.json'), JSON.stringify({ url, pid: process.pid }));

    // Moving the functions' clock back lets them write outbox items dated before this start: the relay's journal is told first.
    const clockAwareRuntime: FunctionRuntime = {
      ...runtime,
      setClockOffset(offsetMs) {
        if (Number.isSafeInteger(offsetMs)) relay.functionsClockMovedTo(Date.now() + offsetMs);
        runtime.setClockOffset(offsetMs);
      },
    };

    return {
      url,
      issuer,
      queues,
      runtime: clockAwareRuntime,
      demoPartner,
      demoWorkers: issuer.demoWorkers(),
      tableNames,
      dynamoEndpoint,
      sessionKeys,
      matchKeys: matchKeyRing,
      settled: (timeoutMs = 60_000) => settled(queues, relay, timeoutMs),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

const SETTLE_LOOK_MS = 10;

async function settled(queues: QueueRegistry, relay: OutboxRelay, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const look = () => new Promise((resolve) => setTimeout(resolve, SETTLE_LOOK_MS));
  const sentSoFar = () => queues.all().reduce((sum, queue) => sum + queue.stats().sentSinceStart, 0);
  const empty = () => queues.all().every((queue) => queue.depth() === 0);
  for (;;) {
    if (Date.now() > deadline) {
      const busy = queues
        .all()
        .filter((queue) => queue.depth() > 0)
        .map((queue) => `${queue.name} (${queue.depth()})`);
      throw new Error(
        `the local cloud did not settle within ${timeoutMs / 1000} s; ${relay.recovered() ? '' : 'the relay still recovering unpublished outbox items; '}still holding messages: ${busy.join(', ') || 'none, but more kept arriving'}`,
      );
    }
    if (!relay.recovered() || !empty()) {
      await look();
      continue;
    }
    const sent = sentSoFar();
    const published = relay.published();
    const reads = relay.emptyReads();
    // Two more empty reads of every stream: the second began after this moment.
    while (Object.entries(relay.emptyReads()).some(([table, count]) => count < (reads[table] ?? 0) + 2) && Date.now() <= deadline) {
      await look();
    }
    if (empty() && sentSoFar() === sent && relay.published() === published) return;
  }
}

function functionsOf(
  manifests: readonly ResolvedManifest[],
  tableNames: Record<string, string>,
  endpoints: { dynamoEndpoint: string; url: string; sessionKeys: string; webClientId: string; matchKeys: string },
  logLevel: LocalCloudOptions['functionLogLevel'],
): LocalFunction[] {
  const functions: LocalFunction[] = [];
  for (const manifest of manifests) {
    const environment = {
      TABLE_NAME: tableNames[manifest.name]!,
      EVENT_BUS_NAME: LOCAL_BUS_NAME,
      EVENT_SOURCE: manifest.eventSource,
      POWERTOOLS_SERVICE_NAME: manifest.name,
      STAGE: LOCAL_STAGE,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      // The SDK's service-specific endpoint variables: handler code is identical to AWS's.
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoEndpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.url,
      AWS_ENDPOINT_URL_SESV2: endpoints.url,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.url,
      ...(logLevel ? { POWERTOOLS_LOG_LEVEL: logLevel } : {}),
      // Business metrics (EMF lines on stdout, ADR 0022) follow the log level, whatever the parent's environment
      // says: quietened functions (WARN and above) write none, and DEBUG or INFO shows them with the logs.
      POWERTOOLS_METRICS_DISABLED: logLevel === 'WARN' || logLevel === 'ERROR' || logLevel === 'SILENT' ? 'true' : 'false',
      // What page routes need (shared/src/http/page-session.ts); CDK gives them the secret's ARN instead of the keys.
      SESSION_KEYS: endpoints.sessionKeys,
      // CDK gives the functions that hash MATCH_KEYS_SECRET_ARN instead (shared/src/keyed-hash.ts).
      MATCH_KEYS: endpoints.matchKeys,
      PUBLIC_ORIGIN: endpoints.url,
      // Sign-in (shared/src/http/oidc-client.ts): this origin is the issuer and its hosted sign-in pages, as Cognito's pool and domain are in AWS.
      OIDC_ISSUER: endpoints.url,
      OIDC_DOMAIN: endpoints.url,
      WEB_CLIENT_ID: endpoints.webClientId,
      ...manifest.environment,
    };
    // One worker per function, however many uses it has, with the timeout and memory CDK gives it.
    for (const fn of manifest.functions) {
      functions.push({
        id: functionIdOf(manifest.name, fn.name),
        entry: join(manifest.directory, fn.entry),
        // As CDK gives it: only to a function whose manifest entry asks for the user pool (its app clients or its directory).
        environment:
          fn.permissions.cognitoUserPoolClients || fn.permissions.readDirectory
            ? { ...environment, USER_POOL_ID: LOCAL_USER_POOL_ID }
            : environment,
        timeoutMs: fn.timeoutSeconds * 1000,
        memoryMb: fn.memoryMb,
        // As its role allows in AWS: only the partitions its manifest entry declares (ADR 0023).
        tableGuard: { tableKeys: fn.permissions.tableKeys, readAudit: fn.permissions.readAudit === true },
      });
    }
  }
  return functions;
}

function compilePattern(service: string, subscription: string, pattern: unknown): EventPattern {
  try {
    return parseEventPattern(pattern);
  } catch (error) {
    throw new Error(`service ${service}, subscription ${subscription}: ${(error as Error).message}`);
  }
}

async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    // A table kept on disk from the last run is exactly what we want.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

function landingPage(res: ServerResponse, manifests: readonly ServiceManifest[]): void {
  sendLandingPage(res, manifests);
}
