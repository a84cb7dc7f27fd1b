/**
 * A manifest read once, with every default applied (ARCHITECTURE.md: "shared/ loads and resolves it
 * once"). CDK, the local cloud, the bench and the manifest tests read the resolved manifest, so a
 * default (a timeout, a batch size, a time zone) is interpreted in this file and nowhere else.
 * Data and arithmetic only: no AWS, no file system (see manifest-loader.ts for reading service.ts files).
 */
import {
  defaultRouteFunctionOf,
  type FunctionEntry,
  type FunctionPermissions,
  type HttpRoute,
  httpFunctionsOf,
  type Schedule,
  type ServiceManifest,
  type Subscription,
} from './manifest';

export const MANIFEST_DEFAULTS = {
  /** Seconds, by what a function is used for; a function used for several gets the longest. */
  timeoutSeconds: { http: 10, consumer: 30, schedule: 30 },
  memoryMb: 512,
  /** SQS messages per invocation (1 to 10 without a batching window). */
  batchSize: 10,
  /** Receives before a message goes to its subscription's DLQ (ARCHITECTURE.md: 5). */
  maxReceiveCount: 5,
  /** Schedules' cron expressions are read in London time (DOMAIN.md, Time). */
  timezone: 'Europe/London',
  /** A queue's visibility timeout is this many times its consumer's timeout (Lambda's own advice for SQS sources). */
  visibilityTimeoutFactor: 6,
} as const;

export type FunctionUse = keyof typeof MANIFEST_DEFAULTS.timeoutSeconds;

/** A function with its settings decided: what CDK builds and the local cloud runs. */
export interface ResolvedFunction {
  name: string;
  /** Relative to the service's folder, as declared. */
  entry: string;
  timeoutSeconds: number;
  memoryMb: number;
  permissions: FunctionPermissions;
  /** What it serves: HTTP routes, a subscription's queue, a schedule (one function may do several). */
  uses: FunctionUse[];
  /** The routes it serves, in manifest order (none unless it is an HTTP function). */
  routes: HttpRoute[];
  /** It serves the platform's `$default` route: every request no route matches (ADR 0013). */
  servesDefaultRoute: boolean;
}

export interface ResolvedSubscription extends Subscription {
  function: FunctionEntry;
  /** The resolved function that consumes the queue. */
  consumer: ResolvedFunction;
  batchSize: number;
  maxReceiveCount: number;
  visibilityTimeoutSeconds: number;
  /**
   * The key prefix of the consumer's idempotency records: `<service>.<subscription>`, so that two
   * subscriptions of one service to the same fact each handle it once. Derived, never defaulted:
   * the consumer names its subscription (shared/consumer) and the manifest test holds the two equal.
   */
  idempotencyName: string;
}

export interface ResolvedSchedule extends Schedule {
  handler: ResolvedFunction;
  timezone: string;
}

export interface ResolvedManifest extends ServiceManifest {
  /** `fsp.<name>`: the `source` of every event the service publishes. */
  eventSource: string;
  /** Every distinct function, HTTP functions first (`http.function` leading), then consumers, then schedules. */
  functions: ResolvedFunction[];
  subscriptions: ResolvedSubscription[];
  schedules: ResolvedSchedule[];
  /** The manifest as written, for messages and tests that compare with it. */
  declared: ServiceManifest;
}

export const idempotencyNameOf = (service: string, subscription: string): string => `${service}.${subscription}`;

/**
 * Applies the defaults and checks what the types cannot: one name per function entry (two entries
 * or two settings under one name are a mistake), unique subscription and schedule names, roles on
 * every worker and page route. Throws naming the service and the entry at fault.
 */
export function resolveManifest(manifest: ServiceManifest): ResolvedManifest {
  const fail = (message: string): never => {
    throw new Error(`service ${manifest.name}: ${message}`);
  };
  const functions = new Map<string, { declared: FunctionEntry; resolved: ResolvedFunction }>();
  const use = (fn: FunctionEntry, purpose: FunctionUse): ResolvedFunction => {
    const known = functions.get(fn.name);
    if (known === undefined) {
      const resolved: ResolvedFunction = {
        name: fn.name,
        entry: fn.entry,
        timeoutSeconds: fn.timeoutSeconds ?? MANIFEST_DEFAULTS.timeoutSeconds[purpose],
        memoryMb: fn.memoryMb ?? MANIFEST_DEFAULTS.memoryMb,
        permissions: fn.permissions ?? {},
        uses: [purpose],
        routes: [],
        servesDefaultRoute: false,
      };
      functions.set(fn.name, { declared: fn, resolved });
      return resolved;
    }
    if (known.declared.entry !== fn.entry)
      fail(`function ${fn.name} is declared with two entries, ${known.declared.entry} and ${fn.entry}`);
    if (!known.resolved.uses.includes(purpose)) {
      known.resolved.uses.push(purpose);
      // One function, one timeout: the longest any of its uses asks for.
      if (fn.timeoutSeconds === undefined) {
        known.resolved.timeoutSeconds = Math.max(known.resolved.timeoutSeconds, MANIFEST_DEFAULTS.timeoutSeconds[purpose]);
      }
    }
    return known.resolved;
  };

  const defaultFunction = defaultRouteFunctionOf(manifest.http);
  for (const { function: fn, routes } of httpFunctionsOf(manifest)) {
    const resolved = use(fn, 'http');
    resolved.routes.push(...routes);
    if (fn.name === defaultFunction?.name) resolved.servesDefaultRoute = true;
  }
  for (const route of manifest.http?.routes ?? []) {
    if ((route.auth.kind === 'worker' || route.auth.kind === 'page') && (route.auth.roles ?? []).length === 0)
      fail(`route ${route.method} ${route.path} admits workers but names no role`);
  }

  const subscriptionNames = new Set<string>();
  const subscriptions = manifest.subscriptions.map((subscription): ResolvedSubscription => {
    if (subscriptionNames.has(subscription.name)) fail(`two subscriptions are named ${subscription.name}`);
    subscriptionNames.add(subscription.name);
    const { maxConcurrency } = subscription;
    if (maxConcurrency !== undefined && !(Number.isInteger(maxConcurrency) && maxConcurrency >= 2 && maxConcurrency <= 1000))
      fail(`subscription ${subscription.name}: maxConcurrency must be a whole number from 2 to 1000 (AWS's limits), got ${maxConcurrency}`);
    const consumer = use(subscription.function, 'consumer');
    return {
      ...subscription,
      consumer,
      batchSize: subscription.batchSize ?? MANIFEST_DEFAULTS.batchSize,
      maxReceiveCount: subscription.maxReceiveCount ?? MANIFEST_DEFAULTS.maxReceiveCount,
      // Filled in below, once every use of the consumer (and so its timeout) is known.
      visibilityTimeoutSeconds: subscription.visibilityTimeoutSeconds ?? 0,
      idempotencyName: idempotencyNameOf(manifest.name, subscription.name),
    };
  });
  const scheduleNames = new Set<string>();
  const schedules = manifest.schedules.map((schedule): ResolvedSchedule => {
    if (scheduleNames.has(schedule.name)) fail(`two schedules are named ${schedule.name}`);
    scheduleNames.add(schedule.name);
    return { ...schedule, handler: use(schedule.function, 'schedule'), timezone: schedule.timezone ?? MANIFEST_DEFAULTS.timezone };
  });
  for (const subscription of subscriptions) {
    if (subscription.visibilityTimeoutSeconds === 0) {
      subscription.visibilityTimeoutSeconds = MANIFEST_DEFAULTS.visibilityTimeoutFactor * subscription.consumer.timeoutSeconds;
    }
  }

  return {
    ...manifest,
    eventSource: `fsp.${manifest.name}`,
    functions: [...functions.values()].map(({ resolved }) => resolved),
    subscriptions,
    schedules,
    declared: manifest,
  };
}
