import type { ServiceManifest } from '@fsp/shared/manifest';
import { resolveManifest } from '@fsp/shared/manifest-resolve';
import { createQueueRegistry } from '../../../src/queues/registry';
import { manifests, startAdminServer } from './admin-server';
import { consumer, eventBody, logSink, tempDirectory, waitFor } from './helpers';

let dir: Awaited<ReturnType<typeof tempDirectory>>;
let server: Awaited<ReturnType<typeof startAdminServer>>;
beforeEach(async () => {
  dir = await tempDirectory();
  server = await startAdminServer(dir.path);
});
afterEach(async () => {
  await server.close();
  await dir.cleanup();
});

const poison = (eventId: string) => eventBody('ReferralAccepted', eventId, { poison: true });

async function getJson(path: string, init?: RequestInit): Promise<{ status: number; type: string | null; body: unknown }> {
  const response = await fetch(`${server.url}${path}`, init);
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), body: JSON.parse(text) };
}

describe('queue registry', () => {
  it('builds one queue per subscription, named <service>-<subscription>, consumed by <service>-<function>', () => {
    expect(server.registry.all().map((q) => [q.name, q.consumerFunctionId])).toEqual([
      ['cases-referral-accepted', 'cases-on-referral-accepted'],
      ['notifications-case-opened', 'notifications-on-case-opened'],
    ]);
    expect(server.registry.get('cases-referral-accepted')?.name).toBe('cases-referral-accepted');
    expect(server.registry.get('nope')).toBeUndefined();
    expect(server.registry.routes().map((r) => [r.service, r.subscription.pattern])).toEqual([
      ['cases', { source: ['fsp.referrals'], 'detail-type': ['ReferralAccepted'] }],
      ['notifications', { 'detail-type': ['CaseOpened'] }],
    ]);
  });

  it("honours a subscription's own maxReceiveCount", async () => {
    const queue = server.registry.get('cases-referral-accepted');
    await queue?.send(poison('p-1'));
    await waitFor('the DLQ', async () => (await queue?.deadLetters())?.length === 1);
    expect((await queue?.deadLetters())?.[0]?.receiveCount).toBe(2);
  });

  it("takes each queue's batch size and receive count from its resolved subscription: its own, else the defaults", async () => {
    const notifications = consumer('notifications-on-case-opened', async (event) => ({
      batchItemFailures: event.Records.filter((record) => record.body.includes('"poison":true')).map((record) => ({
        itemIdentifier: record.messageId,
      })),
    }));
    const registry = await createQueueRegistry({
      manifests,
      invoke: notifications.invoke,
      log: logSink().log,
      overrides: { backoff: () => 1 },
    });
    const queue = registry.get('notifications-case-opened')!;
    try {
      // Sent before the queue starts, so that all twelve are visible to the first receive.
      for (let index = 0; index < 12; index += 1) await queue.send(eventBody('CaseOpened', `e-${index}`));
      registry.startAll();
      await waitFor('all twelve delivered', () => notifications.records().length === 12);
      // The subscription's own batch size (5), not the default 10.
      expect(notifications.invocations.map((event) => event.Records.length)).toEqual([5, 5, 2]);

      await queue.send(eventBody('CaseOpened', 'p-1', { poison: true }));
      await waitFor('the DLQ', async () => (await queue.deadLetters()).length === 1);
      // No maxReceiveCount of its own: the default five receives.
      expect((await queue.deadLetters())[0]?.receiveCount).toBe(5);
    } finally {
      await registry.stopAll();
    }
  });

  it("holds a queue to its subscription's maxConcurrency: no more batches in flight at once", async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const notifications = consumer('notifications-on-case-opened', async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return { batchItemFailures: [] };
    });
    const capped = manifests.map((manifest) =>
      manifest.name === 'notifications'
        ? {
            ...manifest,
            subscriptions: manifest.subscriptions.map((subscription) => ({ ...subscription, batchSize: 1, maxConcurrency: 2 })),
          }
        : manifest,
    );
    const registry = await createQueueRegistry({ manifests: capped, invoke: notifications.invoke, log: logSink().log });
    const queue = registry.get('notifications-case-opened')!;
    try {
      // All twelve visible to the first receive: without the cap, five one-message batches would start at once.
      for (let index = 0; index < 12; index += 1) await queue.send(eventBody('CaseOpened', `e-${index}`));
      registry.startAll();
      await waitFor('all twelve delivered', () => notifications.records().length === 12);
      expect(mostInFlight).toBe(2);
    } finally {
      await registry.stopAll();
    }
  });

  it('refuses subscriptions of two services that would share a queue, naming both', async () => {
    const entry = { name: 'f', entry: 'src/f.ts' };
    const service = (name: string, subscription: string): ServiceManifest => ({
      name,
      directory: '/x',
      subscriptions: [{ name: subscription, function: entry, pattern: {} }],
      schedules: [],
      publishes: [],
    });
    await expect(
      createQueueRegistry({
        manifests: [resolveManifest(service('cases', 'x-y')), resolveManifest(service('cases-x', 'y'))],
        invoke: consumer('cases-f', async () => undefined).invoke,
      }),
    ).rejects.toThrow('subscription y of cases-x and subscription x-y of cases would share the queue cases-x-y; rename one');
  });
});

describe('queue admin API over HTTP', () => {
  it('lists queues with depth, in-flight and DLQ counts', async () => {
    await server.registry.get('cases-referral-accepted')?.send(poison('p-1'));
    await waitFor('the DLQ', () => server.registry.get('cases-referral-accepted')?.stats().deadLetters === 1);
    const { status, type, body } = await getJson('/_local/queues');
    expect(status).toBe(200);
    expect(type).toBe('application/json');
    expect(body).toEqual({
      queues: [
        { name: 'cases-referral-accepted', consumer: 'cases-on-referral-accepted', depth: 0, visible: 0, inFlight: 0, deadLetters: 1 },
        { name: 'notifications-case-opened', consumer: 'notifications-on-case-opened', depth: 0, visible: 0, inFlight: 0, deadLetters: 0 },
      ],
    });
  });

  it('lists dead letters with their event, and redrives one queue exactly once after the fix', async () => {
    const queue = server.registry.get('cases-referral-accepted');
    const messageId = await queue?.send(poison('evt-poison'));
    await queue?.send('not json at all');
    await waitFor('both in the DLQ', () => queue?.stats().deadLetters === 2);

    const listed = await getJson('/_local/dlq');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      deadLetters: expect.arrayContaining([
        {
          queue: 'cases-referral-accepted',
          messageId,
          receiveCount: 2,
          lastError: expect.stringContaining('batchItemFailures'),
          sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          deadLetteredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          detailType: 'ReferralAccepted',
          eventId: 'evt-poison',
          source: 'fsp.referrals',
        },
        expect.objectContaining({ detailType: null, eventId: null, receiveCount: 2 }),
      ]),
    });
    expect((listed.body as { deadLetters: unknown[] }).deadLetters).toHaveLength(2);

    server.fix();
    const redriven = await getJson('/_local/dlq/cases-referral-accepted/redrive', { method: 'POST' });
    expect(redriven).toMatchObject({ status: 200, body: { queue: 'cases-referral-accepted', redriven: 2 } });
    await waitFor('the poison event to be processed', () => server.processed.includes('evt-poison'));
    // The unparseable body still fails the handler, so it returns to the DLQ; the fixed one is done once.
    await waitFor('the bad body back in the DLQ', () => queue?.stats().deadLetters === 1 && queue.depth() === 0);
    expect(server.processed.filter((id) => id === 'evt-poison')).toHaveLength(1);
  });

  it('answers 404 for an unknown queue and 405 for the wrong method, as problem+json', async () => {
    const unknown = await getJson('/_local/dlq/no-such-queue/redrive', { method: 'POST' });
    expect(unknown).toMatchObject({ status: 404, type: 'application/problem+json', body: { status: 404, title: 'Queue not found' } });
    const wrongMethod = await getJson('/_local/dlq/cases-referral-accepted/redrive');
    expect(wrongMethod).toMatchObject({ status: 405, body: { status: 405 } });
    const unknownAdmin = await getJson('/_local/dlq/cases-referral-accepted');
    expect(unknownAdmin).toMatchObject({ status: 404, type: 'application/problem+json' });
  });

  it('leaves other paths to the rest of the server', async () => {
    const response = await fetch(`${server.url}/v1/referrals`);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('not an admin route');
  });
});
