import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createSubscriptionQueue, type SubscriptionQueue, type SubscriptionQueueOptions } from '../../../src/queues/queue';
import { createMemoryQueueStore } from '../../../src/queues/store';
import { consumer, eventBody, logSink, tempDirectory, waitFor } from './helpers';

const FUNCTION_ID = 'cases-on-referral-accepted';
const QUEUE = 'cases-referral-accepted';
const REPO_ROOT = resolve(__dirname, '../../../../..');

let dir: Awaited<ReturnType<typeof tempDirectory>>;
const opened: SubscriptionQueue[] = [];

beforeEach(async () => {
  dir = await tempDirectory();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((q) => q.stop()));
  await dir.cleanup();
});

async function openQueue(options: Partial<SubscriptionQueueOptions> & Pick<SubscriptionQueueOptions, 'invoke'>) {
  const queue = await createSubscriptionQueue({
    name: QUEUE,
    directory: dir.path,
    consumerFunctionId: FUNCTION_ID,
    backoff: () => 10,
    log: logSink().log,
    ...options,
  });
  opened.push(queue);
  return queue;
}

const messageFiles = async (kind: 'messages' | 'dlq') => (await readdir(join(dir.path, QUEUE, kind))).filter((f) => f.endsWith('.json'));

describe('delivery', () => {
  it('delivers a sent message to the consumer in the SQS event shape Lambda receives', async () => {
    const c = consumer(FUNCTION_ID, async () => ({ batchItemFailures: [] }));
    const queue = await openQueue({ invoke: c.invoke });
    queue.start();
    const body = eventBody('ReferralAccepted', 'evt-1');
    const before = Date.now();
    const messageId = await queue.send(body);

    await waitFor('the consumer to be invoked', () => c.invocations.length === 1);
    const event = c.invocations[0];
    expect(Object.keys(event ?? {})).toEqual(['Records']);
    expect(event?.Records).toHaveLength(1);
    const record = event?.Records[0];
    expect(record).toEqual({
      messageId,
      receiptHandle: expect.any(String),
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d+$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:eu-west-2:000000000000:${QUEUE}`,
      awsRegion: 'eu-west-2',
    });
    const sent = Number(record?.attributes.SentTimestamp);
    const firstReceived = Number(record?.attributes.ApproximateFirstReceiveTimestamp);
    expect(sent).toBeGreaterThanOrEqual(before);
    expect(firstReceived).toBeGreaterThanOrEqual(sent);

    await waitFor('the message to be deleted', () => queue.depth() === 0);
    expect(await messageFiles('messages')).toEqual([]);
  });

  it('retries only the items a partial batch response reports as failed', async () => {
    let failB = true;
    const c = consumer(FUNCTION_ID, async (event) => {
      const b = event.Records.find((r) => JSON.parse(r.body).detail.metadata.eventId === 'B');
      if (failB && b !== undefined) {
        failB = false;
        return { batchItemFailures: [{ itemIdentifier: b.messageId }] };
      }
      return {};
    });
    const queue = await openQueue({ invoke: c.invoke });
    // Sent before start, so all three arrive in one batch.
    const ids = {
      A: await queue.send(eventBody('ReferralAccepted', 'A')),
      B: await queue.send(eventBody('ReferralAccepted', 'B')),
      C: await queue.send(eventBody('ReferralAccepted', 'C')),
    };
    queue.start();

    await waitFor('B to be delivered a second time', () => c.records().filter((r) => r.messageId === ids.B).length === 2);
    await waitFor('the queue to drain', () => queue.depth() === 0);
    await queue.stop();

    expect(c.invocations[0]?.Records.map((r) => r.messageId)).toEqual([ids.A, ids.B, ids.C]);
    const deliveries = (id: string) => c.records().filter((r) => r.messageId === id);
    expect(deliveries(ids.A)).toHaveLength(1);
    expect(deliveries(ids.C)).toHaveLength(1);
    expect(deliveries(ids.B).map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    expect(await queue.deadLetters()).toEqual([]);
  });

  it('retries the whole batch when the invocation throws', async () => {
    let calls = 0;
    const c = consumer(FUNCTION_ID, async () => {
      calls += 1;
      if (calls === 1) throw new Error('DynamoDB is unavailable');
      return undefined;
    });
    const queue = await openQueue({ invoke: c.invoke });
    const first = await queue.send(eventBody('ReferralAccepted', 'one'));
    const second = await queue.send(eventBody('ReferralAccepted', 'two'));
    queue.start();

    await waitFor('the queue to drain', () => queue.depth() === 0);
    expect(c.invocations.map((e) => e.Records.map((r) => [r.messageId, r.attributes.ApproximateReceiveCount]))).toEqual([
      [
        [first, '1'],
        [second, '1'],
      ],
      [
        [first, '2'],
        [second, '2'],
      ],
    ]);
  });

  it('treats a batch response naming a message outside the batch as a failure of the whole batch', async () => {
    let calls = 0;
    const c = consumer(FUNCTION_ID, async () => {
      calls += 1;
      return calls === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] } : { batchItemFailures: null };
    });
    const queue = await openQueue({ invoke: c.invoke });
    const id = await queue.send(eventBody('ReferralAccepted', 'x'));
    queue.start();
    await waitFor('the queue to drain', () => queue.depth() === 0);
    expect(c.records().map((r) => [r.messageId, r.attributes.ApproximateReceiveCount])).toEqual([
      [id, '1'],
      [id, '2'],
    ]);
  });

  it('does not dead-letter a copy of an event while an earlier delivery of it may still be running', async () => {
    // A copy published again after a restart meets the idempotency record the earlier delivery left
    // "in progress", and fails until that delivery's deadline (its receive plus the consumer's timeout).
    let inProgressUntil = 0;
    const c = consumer(FUNCTION_ID, async (event) => {
      inProgressUntil ||= Date.now() + 2_000;
      return Date.now() < inProgressUntil ? { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) } : {};
    });
    // The default back-off, with the consumer's timeout: the second receive is the last.
    const queue = await openQueue({ invoke: c.invoke, backoff: undefined, maxReceiveCount: 2, invocationTimeoutMs: 2_000 });
    const id = await queue.send(eventBody('ReferralSubmitted', 'evt-copy'));
    queue.start();

    // Exponentially, the last receive would come after 1 s, still in progress, and dead-letter it.
    await waitFor('the queue to drain', () => queue.depth() === 0, 6_000);
    expect(await queue.deadLetters()).toEqual([]);
    expect(c.records().map((r) => [r.messageId, r.attributes.ApproximateReceiveCount])).toEqual([
      [id, '1'],
      [id, '2'],
    ]);
  });

  it('counts an invocation that outlives the visibility timeout as failed and delivers again', async () => {
    let calls = 0;
    const c = consumer(FUNCTION_ID, async () => {
      calls += 1;
      if (calls === 1) await new Promise((r) => setTimeout(r, 400));
      return {};
    });
    const sink = logSink();
    const queue = await openQueue({ invoke: c.invoke, visibilityTimeoutMs: 100, log: sink.log });
    const id = await queue.send(eventBody('ReferralAccepted', 'slow'));
    queue.start();
    await waitFor('a second delivery', () => c.invocations.length === 2);
    await waitFor('the queue to drain', () => queue.depth() === 0);
    expect(c.records().map((r) => [r.messageId, r.attributes.ApproximateReceiveCount])).toEqual([
      [id, '1'],
      [id, '2'],
    ]);
    await waitFor('the late result to be logged', () => sink.lines.some((l) => l.includes('after the visibility timeout')));
  });

  it('delivers every one of many concurrent sends exactly once', async () => {
    const c = consumer(FUNCTION_ID, async () => ({ batchItemFailures: [] }));
    const queue = await openQueue({ invoke: c.invoke });
    queue.start();
    const ids = await Promise.all(Array.from({ length: 300 }, (_, i) => queue.send(eventBody('ReferralAccepted', `e-${i}`))));
    expect(new Set(ids).size).toBe(300);

    await waitFor('all 300 to be delivered', () => c.records().length >= 300 && queue.depth() === 0, 30_000);
    await queue.stop();
    const delivered = c.records().map((r) => r.messageId);
    expect(delivered).toHaveLength(300);
    expect(new Set(delivered)).toEqual(new Set(ids));
    expect(Math.max(...c.invocations.map((e) => e.Records.length))).toBeLessThanOrEqual(10);
    // Sends that arrive while a batch is in flight share the next batch rather than one invocation each.
    expect(c.invocations.length).toBeLessThan(300);
  });

  it('works in memory when no directory is given', async () => {
    const c = consumer(FUNCTION_ID, async () => undefined);
    const queue = await openQueue({ invoke: c.invoke, directory: undefined });
    queue.start();
    await queue.send('{"plain":"json"}');
    await waitFor('delivery', () => c.records().length === 1 && queue.depth() === 0);
    await expect(readdir(dir.path)).resolves.toEqual([]);
  });
});

describe('dead letters', () => {
  it('moves a poison message to the DLQ after exactly five attempts, and after the fix a redrive processes it once', async () => {
    const processed: string[] = [];
    let fixed = false;
    const c = consumer(FUNCTION_ID, async (event) => {
      const failures: { itemIdentifier: string }[] = [];
      for (const record of event.Records) {
        const eventId = JSON.parse(record.body).detail.metadata.eventId as string;
        if (eventId === 'poison' && !fixed) failures.push({ itemIdentifier: record.messageId });
        else processed.push(eventId);
      }
      return { batchItemFailures: failures };
    });
    const queue = await openQueue({ invoke: c.invoke });
    queue.start();
    const poisonId = await queue.send(eventBody('ReferralAccepted', 'poison'));
    await queue.send(eventBody('ReferralAccepted', 'healthy'));

    await waitFor('the poison message to reach the DLQ', async () => (await queue.deadLetters()).length === 1);
    const attempts = () => c.records().filter((r) => r.messageId === poisonId);
    expect(attempts().map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3', '4', '5']);
    expect(queue.depth()).toBe(0);
    expect(processed).toEqual(['healthy']);
    const [dead] = await queue.deadLetters();
    expect(dead).toMatchObject({
      queue: QUEUE,
      messageId: poisonId,
      receiveCount: 5,
      lastError: expect.stringContaining('batchItemFailures'),
    });
    expect(await messageFiles('dlq')).toEqual([`${poisonId}.json`]);
    expect(await messageFiles('messages')).toEqual([]);

    fixed = true;
    expect(await queue.redrive()).toBe(1);
    await waitFor('the redriven message to be processed', () => processed.includes('poison') && queue.depth() === 0);
    await queue.stop();
    expect(processed).toEqual(['healthy', 'poison']);
    expect(attempts().map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3', '4', '5', '1']);
    expect(await queue.deadLetters()).toEqual([]);
    expect(await messageFiles('dlq')).toEqual([]);
    expect(await queue.redrive()).toBe(0);
  });

  it('records the thrown error as the last error', async () => {
    const c = consumer(FUNCTION_ID, async () => {
      throw new Error('consumer bug: cannot read properties of undefined');
    });
    const queue = await openQueue({ invoke: c.invoke, maxReceiveCount: 2 });
    queue.start();
    await queue.send(eventBody('ReferralAccepted', 'p'));
    await waitFor('the DLQ', async () => (await queue.deadLetters()).length === 1);
    expect(c.invocations).toHaveLength(2);
    expect((await queue.deadLetters())[0]?.lastError).toBe('consumer bug: cannot read properties of undefined');
  });

  it('keeps dead letters across a restart, and can purge them', async () => {
    const c = consumer(FUNCTION_ID, async () => {
      throw new Error('always');
    });
    const first = await openQueue({ invoke: c.invoke, maxReceiveCount: 1 });
    first.start();
    const id = await first.send(eventBody('ReferralAccepted', 'p'));
    await waitFor('the DLQ', async () => (await first.deadLetters()).length === 1);
    await first.stop();

    const second = await openQueue({ invoke: c.invoke, maxReceiveCount: 1 });
    expect((await second.deadLetters()).map((d) => [d.messageId, d.receiveCount, d.lastError])).toEqual([[id, 1, 'always']]);
    expect(second.stats()).toEqual({ name: QUEUE, depth: 0, visible: 0, inFlight: 0, deadLetters: 1, sentSinceStart: 0 });
    expect(await second.purgeDeadLetters()).toBe(1);
    expect(await second.deadLetters()).toEqual([]);
    expect(await messageFiles('dlq')).toEqual([]);
  });
});

describe('durability', () => {
  it('persists a message before send resolves and delivers it from a new instance on the same directory', async () => {
    const unused = consumer(FUNCTION_ID, async () => {
      throw new Error('the first instance must never deliver');
    });
    const first = await openQueue({ invoke: unused.invoke });
    const body = eventBody('ReferralAccepted', 'durable');
    const id = await first.send(body);
    expect(await messageFiles('messages')).toEqual([`${id}.json`]);
    await first.stop();

    const c = consumer(FUNCTION_ID, async () => undefined);
    const second = await openQueue({ invoke: c.invoke });
    expect(second.depth()).toBe(1);
    second.start();
    await waitFor('delivery after restart', () => c.records().length === 1 && second.depth() === 0);
    expect(c.records()[0]).toMatchObject({ messageId: id, body, attributes: { ApproximateReceiveCount: '1' } });
    expect(unused.invocations).toHaveLength(0);
  });

  it('redelivers, with its receive count kept, a message whose process was killed mid-invocation', async () => {
    // Node itself runs the fixture (tsx as a loader, not the tsx binary, which would fork a
    // second process), so SIGKILL hits the process that holds the message.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'fixtures/crash-consumer.ts'), dir.path, QUEUE, FUNCTION_ID],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolveExit) => child.on('exit', (_code, signal) => resolveExit(signal)));
    try {
      await waitFor(`the child to receive the message (stderr: ${stderr})`, () => stdout.includes('received '), 30_000);
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    const messageId = /received (\S+)/.exec(stdout)?.[1];

    const c = consumer(FUNCTION_ID, async () => ({}));
    const queue = await openQueue({ invoke: c.invoke });
    queue.start();
    await waitFor('redelivery after the crash', () => c.records().length === 1 && queue.depth() === 0);
    expect(c.records()[0]).toMatchObject({ messageId, attributes: { ApproximateReceiveCount: '2' } });
  });

  it('shares recovery semantics with the memory store', async () => {
    const store = createMemoryQueueStore();
    let release: (value: unknown) => void = () => {};
    const hang = consumer(FUNCTION_ID, () => new Promise((resolveHang) => (release = resolveHang)));
    const abandoned = await createSubscriptionQueue({
      name: QUEUE,
      store,
      consumerFunctionId: FUNCTION_ID,
      invoke: hang.invoke,
      log: logSink().log,
    });
    opened.push(abandoned);
    abandoned.start();
    const id = await abandoned.send('{}');
    await waitFor('the first receive', () => hang.invocations.length === 1);

    const c = consumer(FUNCTION_ID, async () => ({}));
    const recovered = await openQueue({ invoke: c.invoke, store });
    recovered.start();
    await waitFor('redelivery', () => c.records().length === 1);
    expect(c.records()[0]).toMatchObject({ messageId: id, attributes: { ApproximateReceiveCount: '2' } });
    // Let the abandoned instance finish so that stopping it does not wait for its visibility timeout.
    release({});
  });
});

describe('concurrent batches', () => {
  it('hands the consumer up to maxConcurrency batches at once, never one message in two of them', async () => {
    const releases: (() => void)[] = [];
    const c = consumer(FUNCTION_ID, () => new Promise((resolveHeld) => releases.push(() => resolveHeld({}))));
    const queue = await openQueue({ invoke: c.invoke, batchSize: 2, maxConcurrency: 3 });
    const ids: string[] = [];
    for (let n = 0; n < 9; n += 1) ids.push(await queue.send(eventBody('ReferralAccepted', `evt-concurrent-${n}`)));
    queue.start();

    await waitFor('three batches in flight', () => c.invocations.length === 3);
    expect(c.invocations.map((event) => event.Records.length)).toEqual([2, 2, 2]);
    expect(new Set(c.records().map((record) => record.messageId)).size).toBe(6);
    expect(queue.stats()).toMatchObject({ inFlight: 6, visible: 3 });

    // Each batch that ends lets the next in; in the end every message was delivered once.
    while (queue.depth() > 0) {
      await waitFor('a batch to release', () => releases.length > 0);
      for (const release of releases.splice(0)) release();
      await waitFor('the released batches to be settled', () => queue.stats().inFlight === 0 || releases.length > 0);
    }
    expect(
      c
        .records()
        .map((record) => record.messageId)
        .sort(),
    ).toEqual([...ids].sort());
    expect(c.invocations.length).toBeLessThanOrEqual(6);
  });

  it('refuses a maxConcurrency below 1', async () => {
    await expect(openQueue({ invoke: consumer(FUNCTION_ID, async () => ({})).invoke, maxConcurrency: 0 })).rejects.toThrow(
      'maxConcurrency must be at least 1, got 0',
    );
  });
});

describe('recovery after a crash', () => {
  const T = Date.parse('2026-12-03T08:00:00Z');
  /** A queue over `store` whose clock reads `at`; its consumer never answers (the process it stands for dies). */
  async function openAt(store: ReturnType<typeof createMemoryQueueStore>, at: number, invocationTimeoutMs?: number) {
    const hang = consumer(FUNCTION_ID, () => new Promise(() => {}));
    const queue = await createSubscriptionQueue({
      name: QUEUE,
      store,
      consumerFunctionId: FUNCTION_ID,
      invoke: hang.invoke,
      clock: () => at,
      visibilityTimeoutMs: 180_000,
      ...(invocationTimeoutMs === undefined ? {} : { invocationTimeoutMs }),
      log: logSink().log,
    });
    return { queue, hang };
  }

  it('keeps a message that was in flight out of sight until its invocation would have timed out, and no longer', async () => {
    const store = createMemoryQueueStore();
    const crashed = await openAt(store, T, 30_000);
    crashed.queue.start();
    await crashed.queue.send(eventBody('ReferralAccepted', 'evt-in-flight'));
    await waitFor('the message to be in flight', () => crashed.hang.invocations.length === 1);
    // Not stopped: the process holding it is gone, its store is what the next one finds.

    // The consumer's idempotency record says "in progress" until the invocation's deadline (30 s, and a second's margin).
    expect((await openAt(store, T + 10_000, 30_000)).queue.stats()).toMatchObject({ depth: 1, visible: 0 });
    expect((await openAt(store, T + 31_001, 30_000)).queue.stats()).toMatchObject({ depth: 1, visible: 1 });
    // Without a consumer timeout, at once, as before.
    expect((await openAt(store, T + 10_000)).queue.stats()).toMatchObject({ depth: 1, visible: 1 });
  });

  it('makes a message waiting out a failure back-off visible at once', async () => {
    const store = createMemoryQueueStore();
    const failing = consumer(FUNCTION_ID, async () => {
      throw new Error('down');
    });
    const queue = await createSubscriptionQueue({
      name: QUEUE,
      store,
      consumerFunctionId: FUNCTION_ID,
      invoke: failing.invoke,
      clock: () => T,
      visibilityTimeoutMs: 180_000,
      invocationTimeoutMs: 30_000,
      backoff: () => 60_000,
      log: logSink().log,
    });
    queue.start();
    await queue.send(eventBody('ReferralAccepted', 'evt-backing-off'));
    await waitFor('the failed receive to be recorded', async () => (await store.load()).messages[0]?.lastError === 'down');
    await queue.stop();
    expect((await openAt(store, T + 1_000, 30_000)).queue.stats()).toMatchObject({ depth: 1, visible: 1 });
  });
});

describe('options', () => {
  it('rejects queue names that SQS would reject', async () => {
    const c = consumer(FUNCTION_ID, async () => undefined);
    await expect(openQueue({ invoke: c.invoke, name: '../escape' })).rejects.toThrow('invalid queue name');
    await expect(openQueue({ invoke: c.invoke, batchSize: 11 })).rejects.toThrow('batchSize');
  });
});
