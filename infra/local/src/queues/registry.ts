import type { ResolvedManifest, ResolvedSubscription } from '@fsp/shared/manifest-resolve';
import { functionIdOf, type Invoke } from '../runtime/types';
import { createSubscriptionQueue, type SubscriptionQueue, type SubscriptionQueueOptions } from './queue';

/**
 * What a test may change on every queue so as not to wait as long as AWS would: how soon a failed
 * message comes back, how long an invocation may hold its messages, the clock. They win over the
 * manifests' settings. Batch size and receive count are not among them: they are the manifest's.
 */
export type QueueOverrides = Pick<SubscriptionQueueOptions, 'visibilityTimeoutMs' | 'backoff' | 'clock'>;

export interface QueueRegistryOptions {
  /** Resolved: each subscription's batch size, receive count and visibility timeout are already decided. */
  manifests: readonly ResolvedManifest[];
  /** Root folder for every queue (for example `.data/queues`); omit to keep messages in memory. */
  directory?: string;
  invoke: Invoke;
  /** Where delivery failures and DLQ moves are reported; defaults to stderr. */
  log?: (line: string) => void;
  overrides?: QueueOverrides;
}

/** What the bus needs to route: which queue takes the events a subscription's pattern matches. */
export interface QueueRoute {
  queue: SubscriptionQueue;
  service: string;
  subscription: ResolvedSubscription;
}

export interface QueueRegistry {
  /** The queue named `<service>-<subscription name>`, or undefined. */
  get(name: string): SubscriptionQueue | undefined;
  all(): SubscriptionQueue[];
  routes(): QueueRoute[];
  startAll(): void;
  /** Waits for every queue's batch in flight. */
  stopAll(): Promise<void>;
}

/**
 * Batches each queue hands its consumer at once. AWS's SQS event source mapping "starts processing
 * five batches at a time with five concurrent invocations of your function" and scales up from there
 * (Lambda developer guide, "Scaling behavior for standard queues"); locally it stays at five, which
 * is what lets a consumer keep up with a burst of intake rather than drain it one batch at a time.
 * A subscription's `maxConcurrency` caps it, locally as in AWS.
 */
export const LOCAL_CONCURRENT_BATCHES = 5;

export const queueNameOf = (service: string, subscriptionName: string): string => `${service}-${subscriptionName}`;

/** One queue per subscription of every manifest, each recovered from `directory` if given. */
export async function createQueueRegistry(options: QueueRegistryOptions): Promise<QueueRegistry> {
  const { manifests, directory, invoke, log, overrides = {} } = options;
  const routes: QueueRoute[] = [];
  const byName = new Map<string, QueueRoute>();
  for (const manifest of manifests) {
    for (const subscription of manifest.subscriptions) {
      const name = queueNameOf(manifest.name, subscription.name);
      const taken = byName.get(name);
      // Names are unique within a service (resolveManifest checks), but `cases` + `x-y` and `cases-x` + `y` still meet.
      if (taken !== undefined)
        throw new Error(
          `subscription ${subscription.name} of ${manifest.name} and subscription ${taken.subscription.name} of ${taken.service} would share the queue ${name}; rename one`,
        );
      const queue = await createSubscriptionQueue({
        name,
        ...(directory === undefined ? {} : { directory }),
        consumerFunctionId: functionIdOf(manifest.name, subscription.consumer.name),
        invoke,
        batchSize: subscription.batchSize,
        maxConcurrency: subscription.maxConcurrency ?? LOCAL_CONCURRENT_BATCHES,
        visibilityTimeoutMs: overrides.visibilityTimeoutMs ?? subscription.visibilityTimeoutSeconds * 1000,
        maxReceiveCount: subscription.maxReceiveCount,
        invocationTimeoutMs: subscription.consumer.timeoutSeconds * 1000,
        ...(overrides.backoff === undefined ? {} : { backoff: overrides.backoff }),
        ...(overrides.clock === undefined ? {} : { clock: overrides.clock }),
        ...(log === undefined ? {} : { log }),
      });
      const route = { queue, service: manifest.name, subscription };
      routes.push(route);
      byName.set(name, route);
    }
  }
  return {
    get: (name) => byName.get(name)?.queue,
    all: () => routes.map((r) => r.queue),
    routes: () => [...routes],
    startAll() {
      for (const route of routes) route.queue.start();
    },
    async stopAll() {
      await Promise.all(routes.map((r) => r.queue.stop()));
    },
  };
}
