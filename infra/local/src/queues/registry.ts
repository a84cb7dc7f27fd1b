import type { ServiceManifest, Subscription } from '@fsp/shared/manifest';
import { functionIdOf, type Invoke } from '../runtime/types';
import { createSubscriptionQueue, type SubscriptionQueue, type SubscriptionQueueOptions } from './queue';

/** Settings every queue gets unless its subscription says otherwise. */
export type QueueDefaults = Pick<
  SubscriptionQueueOptions,
  'batchSize' | 'visibilityTimeoutMs' | 'maxReceiveCount' | 'backoff' | 'clock' | 'log'
>;

export interface QueueRegistryOptions {
  manifests: readonly ServiceManifest[];
  /** Root folder for every queue (for example `.data/queues`); omit to keep messages in memory. */
  directory?: string;
  invoke: Invoke;
  defaults?: QueueDefaults;
}

/** What the bus needs to route: which queue takes the events a subscription's pattern matches. */
export interface QueueRoute {
  queue: SubscriptionQueue;
  service: string;
  subscription: Subscription;
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

export const queueNameOf = (service: string, subscriptionName: string): string => `${service}-${subscriptionName}`;

/** One queue per subscription of every manifest, each recovered from `directory` if given. */
export async function createQueueRegistry(options: QueueRegistryOptions): Promise<QueueRegistry> {
  const { manifests, directory, invoke, defaults = {} } = options;
  const routes: QueueRoute[] = [];
  const byName = new Map<string, QueueRoute>();
  for (const manifest of manifests) {
    for (const subscription of manifest.subscriptions) {
      const name = queueNameOf(manifest.name, subscription.name);
      if (byName.has(name))
        throw new Error(`two subscriptions would share the queue ${name}; subscription names must be unique per service`);
      const queue = await createSubscriptionQueue({
        ...defaults,
        name,
        ...(directory === undefined ? {} : { directory }),
        consumerFunctionId: functionIdOf(manifest.name, subscription.function.name),
        invoke,
        batchSize: subscription.batchSize ?? defaults.batchSize,
        visibilityTimeoutMs:
          subscription.visibilityTimeoutSeconds === undefined ? defaults.visibilityTimeoutMs : subscription.visibilityTimeoutSeconds * 1000,
        maxReceiveCount: subscription.maxReceiveCount ?? defaults.maxReceiveCount,
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
