import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceManifest } from '@fsp/shared/manifest';
import { type ResolvedManifest, resolveManifest } from '@fsp/shared/manifest-resolve';
import { createQueueAdmin } from '../../../src/queues/admin';
import { createQueueRegistry, type QueueRegistry } from '../../../src/queues/registry';
import type { SqsEvent } from '../../../src/queues/sqs-event';
import { consumer, logSink } from './helpers';

const entry = (name: string) => ({ name, entry: `src/handlers/${name}.ts` });

/** Two services with one subscription each, as the local cloud would build them from manifests. */
export const manifests: ResolvedManifest[] = (
  [
    {
      name: 'cases',
      directory: '/services/cases',
      subscriptions: [
        {
          name: 'referral-accepted',
          function: entry('on-referral-accepted'),
          pattern: { source: ['fsp.referrals'], 'detail-type': ['ReferralAccepted'] },
          maxReceiveCount: 2,
        },
      ],
      schedules: [],
      publishes: ['CaseOpened'],
    },
    {
      name: 'notifications',
      directory: '/services/notifications',
      subscriptions: [{ name: 'case-opened', function: entry('on-case-opened'), pattern: { 'detail-type': ['CaseOpened'] }, batchSize: 5 }],
      schedules: [],
      publishes: [],
    },
  ] satisfies ServiceManifest[]
).map(resolveManifest);

/**
 * A real HTTP server on loopback serving the queue admin API (anything else gets a plain 404),
 * with consumers that fail every event whose `data.poison` is true until `fix()` is called.
 */
export async function startAdminServer(directory: string): Promise<{
  url: string;
  registry: QueueRegistry;
  processed: string[];
  fix(): void;
  close(): Promise<void>;
}> {
  const processed: string[] = [];
  let fixed = false;
  const handler = async (event: SqsEvent) => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      // Each record succeeds or fails on its own, as with Powertools' batch processor.
      let parsed: { detail: { metadata: { eventId: string }; data: { poison?: boolean } } } | undefined;
      try {
        parsed = JSON.parse(record.body);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
      }
      if (parsed === undefined || (parsed.detail.data.poison === true && !fixed))
        batchItemFailures.push({ itemIdentifier: record.messageId });
      else processed.push(parsed.detail.metadata.eventId);
    }
    return { batchItemFailures };
  };
  const cases = consumer('cases-on-referral-accepted', handler);
  const notifications = consumer('notifications-on-case-opened', handler);
  const registry = await createQueueRegistry({
    manifests,
    directory,
    invoke: (id, event) => (id.startsWith('cases-') ? cases.invoke(id, event) : notifications.invoke(id, event)),
    overrides: { backoff: () => 10 },
    log: logSink().log,
  });
  registry.startAll();
  const admin = createQueueAdmin(registry);
  const server: Server = createServer((req, res) => {
    admin.handle(req, res).then(
      (handled) => {
        if (!handled) {
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('not an admin route');
        }
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    registry,
    processed,
    fix: () => {
      fixed = true;
    },
    async close() {
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await registry.stopAll();
    },
  };
}
