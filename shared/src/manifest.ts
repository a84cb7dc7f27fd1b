/**
 * A service's manifest: the single source of truth for how it is wired. The CDK app builds
 * functions, routes, rules, queues, schedules and grants from it; the local cloud routes
 * requests, events and schedules from the very same object.
 */

import type { PartnerScope, Role } from './people';

/** An EventBridge event pattern, as documented for content filtering. */
export type EventPattern = Record<string, unknown>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route. The gateway (API Gateway in AWS, the local gateway here) verifies the
 * token; the shared HTTP handler admits the caller by this declaration before any route code
 * runs; route code then decides which records that caller may see.
 * - `public`: no token (the referral form, the OpenAPI document).
 * - `worker`: a signed-in worker (OIDC user pool token) holding at least one of `roles`.
 * - `partner`: a partner agency's client-credentials token carrying every scope listed.
 * - `page`: a worker's page, admitted by the `__Host-fsp-session` cookie only, never by a bearer
 *   token, for a worker holding at least one of `roles` (ADR 0012). No gateway authorizer: the
 *   shared HTTP handler opens the cookie, and checks Origin and the CSRF token on unsafe methods.
 *   `worker` routes stay bearer-only (WEB.md: JSON APIs never accept the cookie).
 */
export type RouteAuth =
  | { kind: 'public' }
  | { kind: 'worker'; roles: readonly Role[] }
  | { kind: 'page'; roles: readonly Role[] }
  | { kind: 'partner'; scopes: readonly PartnerScope[] };

/**
 * A route, declared once: the manifest lists it (so CDK and the local cloud wire it without loading
 * handler code) and the route module implements that very object with `defineRoute(declaration, …)`.
 * Declare a service's routes as data in `src/http/routes.ts`.
 */
export interface HttpRoute {
  method: HttpMethod;
  /** API Gateway path syntax: `/v1/referrals/{id}`; `{proxy+}` matches the rest of the path. */
  path: string;
  auth: RouteAuth;
  /**
   * The function that serves this route, when it is not the service's `http.function`: routes for
   * one audience (the partner API, say) get a lean function whose cold start does not load the
   * service's other routes. Declare the entry once and share it between its routes: one name with
   * two different entries is a manifest error.
   */
  function?: FunctionEntry;
}

/** API Gateway's name for the route that catches every request no other route matches (ADR 0013). */
export const DEFAULT_ROUTE_KEY = '$default';

/**
 * API Gateway's `$default` route: every request that no route of any service matches, whatever its
 * method and path (a mistyped address, an old link, a method no route has), goes to this one
 * function rather than being answered `{"message":"Not Found"}` by the gateway itself. One service
 * in the platform declares it (`platformDefaultRouteOf` refuses two); it has no authorizer, as
 * anyone may mistype an address, and its function answers what it may (ADR 0013: a GOV.UK page,
 * or a problem document under `/api/` and `/v1/`).
 */
export interface DefaultRoute {
  /** The function serving it, when not the service's `http.function`; shared with routes like any route function. */
  function?: FunctionEntry;
}

/** A service's HTTP API: its routes, and the function serving every route that names none of its own. */
export interface ServiceHttp {
  function: FunctionEntry;
  routes: readonly HttpRoute[];
  /** The platform's `$default` route, when this is the service that serves it. */
  defaultRoute?: DefaultRoute;
}

/** One of a service's HTTP functions with the routes it serves, in manifest order. */
export interface HttpFunction {
  function: FunctionEntry;
  routes: readonly HttpRoute[];
}

/** The function serving a route: the route's own, else the service's HTTP function. */
export const httpFunctionOf = (http: ServiceHttp, route: HttpRoute): FunctionEntry => route.function ?? http.function;

/** The function serving the `$default` route, when the service declares it: its own, else the service's HTTP function. */
export const defaultRouteFunctionOf = (http: ServiceHttp | undefined): FunctionEntry | undefined =>
  http?.defaultRoute === undefined ? undefined : (http.defaultRoute.function ?? http.function);

/**
 * Every distinct HTTP function of a manifest (by name) with the routes it serves: `http.function`
 * first, even when every route has a function of its own (it is built and run all the same), then
 * the routes' own functions in the order they first appear, then the `$default` route's when it is
 * none of those. The one reading of per-route functions that CDK, the local cloud, the manifest
 * tests and the bench share. Throws on one name declared with two different entries (or timeouts,
 * or memory), which would leave it unclear what to build.
 */
export function httpFunctionsOf(manifest: ServiceManifest): HttpFunction[] {
  const http = manifest.http;
  if (http === undefined) return [];
  const functions = new Map<string, { function: FunctionEntry; routes: HttpRoute[] }>([
    [http.function.name, { function: http.function, routes: [] }],
  ]);
  /** The function's entry, known already or new; `routeKey` names what declared it, for the error. */
  const register = (fn: FunctionEntry, routeKey: string): HttpRoute[] => {
    const known = functions.get(fn.name);
    if (known === undefined) {
      const routes: HttpRoute[] = [];
      functions.set(fn.name, { function: fn, routes });
      return routes;
    }
    if (!sameFunctionEntry(known.function, fn)) {
      const differences = known.function.entry === fn.entry ? 'different settings' : `two entries, ${known.function.entry} and ${fn.entry}`;
      throw new Error(`service ${manifest.name}: function ${fn.name} is declared with ${differences} (route ${routeKey})`);
    }
    return known.routes;
  };
  for (const route of http.routes) register(httpFunctionOf(http, route), `${route.method} ${route.path}`).push(route);
  // The `$default` route's function is an HTTP function even when it serves no other route.
  const defaultFunction = defaultRouteFunctionOf(http);
  if (defaultFunction !== undefined) register(defaultFunction, DEFAULT_ROUTE_KEY);
  return [...functions.values()];
}

/**
 * The one service (and its function) serving the platform's `$default` route, if any does. Throws
 * naming both when two services declare it: API Gateway has one `$default` route per API, and the
 * last stack deployed would silently take it from the other.
 */
export function platformDefaultRouteOf(
  manifests: readonly ServiceManifest[],
): { service: ServiceManifest; function: FunctionEntry } | undefined {
  const declaring = manifests.flatMap((service) => {
    const fn = defaultRouteFunctionOf(service.http);
    return fn === undefined ? [] : [{ service, function: fn }];
  });
  if (declaring.length > 1) {
    const names = declaring.map(({ service }) => service.name);
    throw new Error(
      `the ${DEFAULT_ROUTE_KEY} route is declared by ${names.length} services, ${names.join(' and ')}: only one service in the platform may serve it`,
    );
  }
  return declaring[0];
}

const sameFunctionEntry = (a: FunctionEntry, b: FunctionEntry): boolean =>
  a.entry === b.entry && a.timeoutSeconds === b.timeoutSeconds && a.memoryMb === b.memoryMb;

/** A Lambda entry point: a module, relative to the service's folder, exporting `handler`. */
export interface FunctionEntry {
  /** Unique within the service; becomes part of the function name. */
  name: string;
  /** For example `src/handlers/http.ts`. */
  entry: string;
  /** Seconds; defaults to 10 for HTTP and 30 for consumers and schedules. */
  timeoutSeconds?: number;
  memoryMb?: number;
  /** Access beyond the service's own table that this function alone needs; none by default. */
  permissions?: FunctionPermissions;
}

export interface Subscription {
  /** Unique within the service; names the rule, the queue and the DLQ. */
  name: string;
  /** The function that consumes the subscription's queue. */
  function: FunctionEntry;
  /** Matched against events on the platform bus. */
  pattern: EventPattern;
  /** SQS batch size for the consumer; defaults to 10. */
  batchSize?: number;
  /**
   * Most batches its consumer handles at once: the event source mapping's maximum concurrency (2 to
   * 1,000), and the local queue's. Unset, AWS starts at five and scales up, and the local cloud runs
   * five. Set it, with the reason, where concurrent batches only get in each other's way.
   */
  maxConcurrency?: number;
  /** Seconds a received message stays invisible before it is retried; defaults to 6 × the consumer's timeout (manifest-resolve), in AWS and locally. */
  visibilityTimeoutSeconds?: number;
  /** Receives before a message goes to the DLQ; always 5 unless a reason is recorded. */
  maxReceiveCount?: number;
}

export interface Schedule {
  name: string;
  function: FunctionEntry;
  /** EventBridge Scheduler expression: `rate(5 minutes)` or `cron(0 7 ? * MON-FRI *)`. */
  expression: string;
  /** IANA time zone the cron expression is read in; defaults to Europe/London. */
  timezone?: string;
}

export interface ServiceManifest {
  /** `referrals`, `cases`, …: the service's folder name and its event source is `fsp.<name>`. */
  name: string;
  /** Absolute path of the service folder; set with `__dirname` in `service.ts`. */
  directory: string;
  /** Routes without a `function` of their own are served by `http.function`; see `httpFunctionsOf`. */
  http?: ServiceHttp;
  subscriptions: readonly Subscription[];
  schedules: readonly Schedule[];
  /** `detail-type`s this service publishes (through its outbox). */
  publishes: readonly string[];
  /** Extra environment the service's functions need beyond what the platform provides. */
  environment?: Readonly<Record<string, string>>;
  /**
   * Static files the service's pages use (CSS, JavaScript, fonts, images), served as they are at
   * `urlPath` (`/assets`) from `directory`, relative to the service's folder. A directory starting
   * with `node_modules/` is looked up as Node looks up packages: in the service's folder, then in
   * each folder above it (npm workspaces hoist dependencies to the root). Where several prefixes
   * overlap, the longest wins. The local cloud serves them from the folder; in AWS the edge stack
   * (infra/cdk/edge-stack.ts) copies each entry into a private S3 bucket and serves it through
   * the platform's CloudFront distribution at `urlPath/*`, in front of the HTTP API, so that pages
   * and their assets share one origin. A prefix may belong to one service only.
   */
  assets?: readonly StaticAssets[];
  /** AWS access beyond the service's own table, key, queues and bus, granted by CDK and mirrored by the local cloud. */
  /** Messages the service's functions log that an operator must hear about; alarms in AWS only. */
  logAlarms?: readonly LogAlarm[];
}

/**
 * Access a function asks for by name rather than by IAM statement, so that the manifest stays the
 * wiring's one source and both CDK and the local cloud read the same flag. Granted per function:
 * only the function that manages partner credentials may touch the user pool, only the one that
 * sends email may send it.
 */
export interface FunctionPermissions {
  /**
   * Manage app clients of the platform's user pool (partner agencies' OAuth clients): create,
   * add/list/delete secrets, delete. Its functions get the pool's id as `USER_POOL_ID`.
   */
  cognitoUserPoolClients?: boolean;
  /**
   * Read workers from the platform's user pool through the directory port (shared/src/directory.ts):
   * Cognito's ListUsers, ListUsersInGroup and AdminListGroupsForUser on that pool, nothing else.
   * Its functions get the pool's id as `USER_POOL_ID`.
   */
  readDirectory?: boolean;
  /**
   * Send email with SES v2 from this one address, which must be an SES verified identity in AWS
   * (the address itself, or its domain). Grants `ses:SendEmail` on those two identities in the
   * stage's account and region, and only with this `From` address. Its functions get the workers'
   * web app origin as `PUBLIC_ORIGIN`, for the absolute links an email holds.
   *
   * `sesEvents`: send through the platform's SES configuration set, whose Send and Bounce events
   * reach the platform bus (ADR 0019: how workers' email is sent exactly once); the function gets the
   * set's name as `SES_CONFIGURATION_SET`, and the grant covers the set too.
   */
  sendEmail?: { from: string; sesEvents?: boolean };
  /**
   * Read the service's audit items (partitions `AUDIT#…`; ADR 0014 §7): GetItem and Query on them.
   * Every other function's reads exclude those partitions, and no function may update or delete
   * them. Only for a function whose page shows an audit trail to the people it concerns.
   */
  readAudit?: boolean;
  /**
   * Hash with the stage's match keys (ADR 0021: the known-family index's keyed hashes). CDK gives
   * the function `MATCH_KEYS_SECRET_ARN` and grants `secretsmanager:GetSecretValue` on that one
   * secret and `kms:Decrypt` on its key, only through Secrets Manager (`kms:ViaService`); the
   * local cloud gives every function `MATCH_KEYS` from its data directory.
   */
  readMatchKeys?: boolean;
  /**
   * The partitions of the service's table this function reads and writes (ADR 0023), the one
   * declaration of its table access: CDK grants exactly these actions on exactly these partition
   * key patterns (`dynamodb:LeadingKeys`), and the local cloud refuses, as IAM would, any DynamoDB
   * call of the function outside them. A function without it may not touch the table.
   */
  tableKeys?: TableKeys;
}

/**
 * Partition key patterns per kind of action, as IAM's `StringLike` reads them (`REFERRAL#*`, or a
 * whole key: `TIMER`). A Query names the partition of the table or index it queries, so a function
 * querying gsi1 lists the gsi1 partitions it queries under `read`. Audit partitions (`AUDIT#…`) may
 * be written (put only, returning nothing) and, with `readAudit`, read; never deleted.
 */
export interface TableKeys {
  /** GetItem, BatchGetItem, Query and ConditionCheckItem (in a transaction too). */
  read?: readonly string[];
  /** PutItem and UpdateItem (in a transaction too). */
  write?: readonly string[];
  /** DeleteItem (in a transaction too). BatchWriteItem is granted to no function: none batches writes. */
  delete?: readonly string[];
}

/**
 * An alarm on one message a service's functions log (Powertools JSON lines: `level`, `message`).
 * CDK puts a metric filter on each named function's log group and alarms to the platform's alarms
 * topic as soon as the message is logged once in five minutes.
 */
export interface LogAlarm {
  /** Unique within the service; names the metric and the alarm. */
  name: string;
  /** The functions (`FunctionEntry.name`) whose logs may carry the message. */
  functions: readonly string[];
  level: 'WARN' | 'ERROR' | 'CRITICAL';
  /** The log line's `message`, exactly: import it from the code that logs it, so the two cannot drift. */
  message: string;
  /** What it means and what to do; becomes the alarm's description. */
  description: string;
}

export interface StaticAssets {
  /** URL prefix without a trailing slash, for example `/assets`. */
  urlPath: string;
  /** Relative to the service's folder; see `ServiceManifest.assets`. */
  directory: string;
}

export const eventSourceOf = (service: string): string => `fsp.${service}`;

/**
 * The pattern of a subscription to one version of one fact (ADR 0002: a producer publishes every
 * supported version, so a consumer pins the one it reads, and a v2 never reaches a v1 consumer).
 * Takes an event definition; structurally typed so that reading a manifest needs no schema code.
 */
export function patternFor(event: { producer: string; detailType: string; version: number }): EventPattern {
  return { source: [event.producer], 'detail-type': [event.detailType], detail: { metadata: { schemaVersion: [event.version] } } };
}

/**
 * The environment every function receives from the platform, whatever runs it. Service code
 * reads these through `shared/config`, never `process.env` directly.
 */
export const PLATFORM_ENV = {
  tableName: 'TABLE_NAME',
  eventBusName: 'EVENT_BUS_NAME',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  stage: 'STAGE',
} as const;
