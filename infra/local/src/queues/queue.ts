import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Invoke } from '../runtime/types';
import { type BatchOutcome, interpretBatchResponse, type SqsEvent, sqsRecordOf } from './sqs-event';
import {
  assertQueueName,
  createFileQueueStore,
  createMemoryQueueStore,
  type DeadLetterRecord,
  type QueueStore,
  type StoredMessage,
} from './store';

/**
 * A local stand-in for one subscription's SQS queue, its DLQ and the Lambda event source mapping
 * that drains it.
 *
 * Semantics, as in AWS unless noted:
 * - `send` resolves once the message is on disk (fsynced), so a crash after it loses nothing.
 * - Delivery is at least once. A message is deleted only after the consumer's invocation
 *   succeeded for it (partial batch responses honoured); a crash in between redelivers it.
 * - A message that fails its `maxReceiveCount`-th receive moves to the DLQ with the last error.
 * - Local differences, chosen for a fast feedback loop on one machine:
 *   - Messages are received the moment they become visible (no polling interval, no batching
 *     window), so an idle consumer sees an event within milliseconds.
 *   - At most `maxConcurrency` batches are in flight per queue (1 unless set; the local cloud sets
 *     what AWS's event source mapping starts with, see the registry). With 1, a consumer sees its
 *     events one batch at a time, in roughly the order they were sent, and messages sent meanwhile
 *     are taken together in the next batch (up to `batchSize`). With more, batches overlap as in
 *     AWS, so consumers must not rely on ordering (they are idempotent on `metadata.eventId`).
 *   - A failed message becomes visible again after `backoff(receiveCount)` rather than the full
 *     visibility timeout, so a poison message reaches the DLQ in well under a minute, not many
 *     (`localBackoff`: 1 s, 2 s, 4 s, then the consumer's timeout before the last receive).
 *   - On start-up a recovered message is visible at once, keeping its receive count, unless a
 *     crashed process had it in flight: that one waits until the killed invocation's own deadline
 *     (its receive plus `invocationTimeoutMs`, a second's margin added) rather than the whole
 *     visibility timeout as in AWS. No invocation survives the crash, so nothing is gained by
 *     waiting longer; but the consumer's idempotency record of the record it was handling says "in
 *     progress" until that deadline, and a redelivery before it would only fail, receive after
 *     receive, into the DLQ.
 *   - An invocation still running after the visibility timeout counts as failed (AWS would make
 *     the messages visible again and deliver them a second time); its late result is logged.
 * - Receive-count updates are written atomically but not fsynced: a process crash keeps them; a
 *   power cut may forget the last increment, which costs at most one extra attempt.
 * - One queue instance per directory at a time; two processes on the same folder are not supported.
 */
export interface SubscriptionQueueOptions {
  /** `<service>-<subscription name>`; letters, digits, hyphens and underscores. */
  name: string;
  /** Root folder for queues (for example `.data/queues`); this queue keeps its files in `<directory>/<name>/`. Omit to keep messages in memory. */
  directory?: string;
  /** Use this store instead of one built from `directory` (tests share a memory store between instances). */
  store?: QueueStore;
  /** The function `invoke` is called with, `<service>-<function name>`. */
  consumerFunctionId: string;
  invoke: Invoke;
  /** Most messages per invocation; defaults to 10 (SQS allows 1 to 10 without a batching window). */
  batchSize?: number;
  /** Most batches in flight at once (concurrent invocations of the consumer); defaults to 1. */
  maxConcurrency?: number;
  /** Longest an invocation may run before its messages count as failed; defaults to 30 seconds. */
  visibilityTimeoutMs?: number;
  /** The consumer function's timeout; a message in flight at a crash is redelivered after it (see above). Defaults to 0. */
  invocationTimeoutMs?: number;
  /** Receives before a failing message moves to the DLQ; defaults to 5. */
  maxReceiveCount?: number;
  /** Milliseconds a failed message waits before it is visible again, given how often it has been received; defaults to `localBackoff`. */
  backoff?: (receiveCount: number) => number;
  /** Epoch milliseconds; defaults to `Date.now`. */
  clock?: () => number;
  /** Where delivery failures and DLQ moves are reported; defaults to stderr. */
  log?: (line: string) => void;
}

export interface DeadLetter {
  queue: string;
  messageId: string;
  /** The EventBridge event JSON as it was sent. */
  body: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt: number | null;
  lastError: string;
  deadLetteredAt: number;
}

export interface QueueStats {
  name: string;
  /** Every message not yet deleted or dead-lettered, in flight or not. */
  depth: number;
  /** Messages that could be received right now. */
  visible: number;
  inFlight: number;
  deadLetters: number;
  /** Messages sent to this queue since it was created in this process (for tests and the admin page). */
  sentSinceStart: number;
}

export interface SubscriptionQueue {
  readonly name: string;
  readonly consumerFunctionId: string;
  /** Persists the message (fsynced) and resolves with its id; delivery follows once the queue is started. */
  send(body: string): Promise<string>;
  /** Begins delivering. Messages can be sent before `start`; they wait. */
  start(): void;
  /** Stops taking new batches and waits for the batch in flight to finish. Messages stay stored. */
  stop(): Promise<void>;
  /** Messages not yet deleted or dead-lettered (in flight included). */
  depth(): number;
  stats(): QueueStats;
  deadLetters(): Promise<DeadLetter[]>;
  /** Moves every dead letter back onto the queue with its receive count reset; resolves with how many moved. */
  redrive(): Promise<number>;
  /** Deletes every dead letter; resolves with how many were deleted. */
  purgeDeadLetters(): Promise<number>;
}

export const DEFAULT_BATCH_SIZE = 10;
export const DEFAULT_VISIBILITY_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RECEIVE_COUNT = 5;
/** Added to a crashed invocation's deadline: its idempotency record was written a moment after the receive. */
const RECOVERY_MARGIN_MS = 1_000;

/** 1 s, 2 s, 4 s, … capped at the visibility timeout, which is when AWS would retry. */
export const exponentialBackoff =
  (visibilityTimeoutMs: number, baseMs = 1000) =>
  (receiveCount: number): number =>
    Math.min(visibilityTimeoutMs, baseMs * 2 ** Math.max(0, receiveCount - 1));

/**
 * The local queues' default: `exponentialBackoff`, except that the last receive before the DLQ
 * waits until any earlier delivery of the same event must have ended (the consumer's timeout, and
 * the recovery margin). Another copy of the event (the relay publishing again after a restart)
 * meets the idempotency record a killed or running invocation left "in progress", and fails on
 * every receive until that record's deadline; with receives seconds apart it would reach the DLQ
 * first. AWS's retries come a whole visibility timeout apart (6 times the consumer's timeout,
 * infra/cdk), so there no copy is dead-lettered for that.
 */
export const localBackoff =
  (options: { visibilityTimeoutMs: number; maxReceiveCount: number; invocationTimeoutMs: number }) =>
  (receiveCount: number): number => {
    const backoff = exponentialBackoff(options.visibilityTimeoutMs)(receiveCount);
    if (receiveCount + 1 < options.maxReceiveCount || options.invocationTimeoutMs <= 0) return backoff;
    return Math.min(options.visibilityTimeoutMs, Math.max(backoff, options.invocationTimeoutMs + RECOVERY_MARGIN_MS));
  };

/** Builds the queue and recovers whatever its store holds from a previous run. */
export async function createSubscriptionQueue(options: SubscriptionQueueOptions): Promise<SubscriptionQueue> {
  const { name, consumerFunctionId, invoke } = options;
  assertQueueName(name);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxConcurrency = options.maxConcurrency ?? 1;
  const visibilityTimeoutMs = options.visibilityTimeoutMs ?? DEFAULT_VISIBILITY_TIMEOUT_MS;
  const maxReceiveCount = options.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT;
  const clock = options.clock ?? Date.now;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) throw new Error(`batchSize must be 1 to 10, got ${batchSize}`);
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) throw new Error(`maxConcurrency must be at least 1, got ${maxConcurrency}`);
  if (!(visibilityTimeoutMs > 0)) throw new Error(`visibilityTimeoutMs must be positive, got ${visibilityTimeoutMs}`);
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1)
    throw new Error(`maxReceiveCount must be at least 1, got ${maxReceiveCount}`);

  const store =
    options.store ?? (options.directory === undefined ? createMemoryQueueStore() : createFileQueueStore(join(options.directory, name)));

  const recovered = await store.load();
  const now = clock();
  const invocationTimeoutMs = options.invocationTimeoutMs ?? 0;
  const backoff = options.backoff ?? localBackoff({ visibilityTimeoutMs, maxReceiveCount, invocationTimeoutMs });
  /** When a message held by the last process is visible again (class comment): for one in flight, its invocation's deadline. */
  const recoveredVisibleAt = (message: StoredMessage): number => {
    const receivedAt = message.visibleAt - visibilityTimeoutMs;
    const deadline = invocationTimeoutMs > 0 ? receivedAt + invocationTimeoutMs + RECOVERY_MARGIN_MS : now;
    return Math.min(message.visibleAt, Math.max(now, deadline));
  };
  // Insertion order is delivery order, so recover oldest first.
  const messages = new Map<string, StoredMessage>(
    recovered.messages.sort((a, b) => a.sentAt - b.sentAt).map((m) => [m.messageId, { ...m, visibleAt: recoveredVisibleAt(m) }]),
  );
  const deadLetters = new Map<string, DeadLetterRecord>(recovered.deadLetters.map((d) => [d.messageId, d]));
  const inFlight = new Set<string>();

  let started = false;
  /** The batches in flight; each removes itself when its messages are settled. */
  const batches = new Set<Promise<void>>();
  let pumpScheduled = false;
  let timer: NodeJS.Timeout | undefined;
  const dlqLock = createLock();

  /** Coalesces pumps within one turn of the event loop, so concurrent sends share a batch. */
  function schedulePump(): void {
    if (pumpScheduled) return;
    pumpScheduled = true;
    setImmediate(() => {
      pumpScheduled = false;
      pump();
    });
  }

  function pump(): void {
    if (!started) return;
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    const at = clock();
    let nextVisibleAt = Number.POSITIVE_INFINITY;
    let batch: StoredMessage[] = [];
    const take = () => {
      if (batch.length > 0) startBatch(batch);
      batch = [];
    };
    for (const message of messages.values()) {
      if (batches.size >= maxConcurrency) break;
      if (inFlight.has(message.messageId)) continue;
      if (message.visibleAt <= at) {
        batch.push(message);
        if (batch.length === batchSize) take();
      } else {
        nextVisibleAt = Math.min(nextVisibleAt, message.visibleAt);
      }
    }
    take();
    if (batches.size < maxConcurrency && Number.isFinite(nextVisibleAt)) {
      timer = setTimeout(pump, Math.max(0, nextVisibleAt - at));
      // The local cloud's servers keep the process alive; a pending retry alone should not.
      timer.unref();
    }
  }

  /** Marks the messages received at once (so no other batch takes them), then delivers them. */
  function startBatch(batch: StoredMessage[]): void {
    const receivedAt = clock();
    const received = batch.map((message): StoredMessage & { firstReceivedAt: number } => ({
      ...message,
      receiveCount: message.receiveCount + 1,
      firstReceivedAt: message.firstReceivedAt ?? receivedAt,
      visibleAt: receivedAt + visibilityTimeoutMs,
    }));
    for (const message of received) {
      inFlight.add(message.messageId);
      messages.set(message.messageId, message);
    }
    const running: Promise<void> = deliver(received)
      .catch((error: unknown) => {
        // Only the store can get here (the consumer's failures are handled in `deliver`): keep
        // the messages, report loudly, and try again later rather than spin on a broken disk.
        log(`[queue ${name}] could not record a delivery: ${describeError(error)}; retrying in 1 s`);
        const retryAt = clock() + 1000;
        for (const message of received) {
          inFlight.delete(message.messageId);
          const current = messages.get(message.messageId);
          if (current !== undefined) current.visibleAt = retryAt;
        }
      })
      .finally(() => {
        batches.delete(running);
        pump();
      });
    batches.add(running);
  }

  async function deliver(received: readonly (StoredMessage & { firstReceivedAt: number })[]): Promise<void> {
    // The receive is counted on disk before the consumer runs, so a crash mid-invocation still
    // counts towards the DLQ and a poison message cannot loop forever across restarts.
    await Promise.all(received.map((message) => store.putMessage(message, { durable: false })));

    const event: SqsEvent = {
      Records: received.map((message) => sqsRecordOf(name, message, receiptHandleOf(message.messageId))),
    };
    let outcome: BatchOutcome | { kind: 'threw'; reason: string };
    try {
      const result = await invokeWithinVisibilityTimeout(event);
      outcome = interpretBatchResponse(result, new Set(received.map((m) => m.messageId)));
    } catch (error) {
      // The whole batch failed; the error travels with each message as its `lastError`.
      outcome = { kind: 'threw', reason: describeError(error) };
    }

    const failedAt = clock();
    const failures: { message: StoredMessage; reason: string }[] = [];
    const succeeded: StoredMessage[] = [];
    for (const message of received) {
      const reason = failureReasonOf(outcome, message.messageId);
      if (reason === undefined) succeeded.push(message);
      else failures.push({ message, reason });
    }
    if (failures.length > 0) {
      log(`[queue ${name}] ${consumerFunctionId} failed ${failures.length} of ${received.length} message(s): ${failures[0]?.reason ?? ''}`);
    }

    await Promise.all(
      succeeded.map(async (message) => {
        await store.deleteMessage(message.messageId);
        messages.delete(message.messageId);
        inFlight.delete(message.messageId);
      }),
    );
    await Promise.all(
      failures.map(async ({ message, reason }) => {
        if (message.receiveCount >= maxReceiveCount) {
          await moveToDeadLetters(message, reason, failedAt);
        } else {
          const retry: StoredMessage = { ...message, lastError: reason, visibleAt: failedAt + backoff(message.receiveCount) };
          await store.putMessage(retry, { durable: false });
          messages.set(retry.messageId, retry);
        }
        inFlight.delete(message.messageId);
      }),
    );
  }

  function failureReasonOf(outcome: BatchOutcome | { kind: 'threw'; reason: string }, messageId: string): string | undefined {
    switch (outcome.kind) {
      case 'all-succeeded':
        return undefined;
      case 'some-failed':
        return outcome.failedIds.has(messageId) ? 'the consumer reported this message in batchItemFailures' : undefined;
      case 'invalid':
      case 'threw':
        return outcome.reason;
    }
  }

  async function invokeWithinVisibilityTimeout(event: SqsEvent): Promise<unknown> {
    let abandoned = false;
    // `invoke` may throw synchronously; make that a rejection like any other failure.
    const invocation = Promise.resolve().then(() => invoke(consumerFunctionId, event));
    invocation.then(
      () => {
        if (abandoned) log(`[queue ${name}] ${consumerFunctionId} finished after the visibility timeout; its messages were retried`);
      },
      (error: unknown) => {
        if (abandoned) log(`[queue ${name}] ${consumerFunctionId} failed after the visibility timeout: ${describeError(error)}`);
      },
    );
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      deadline = setTimeout(() => {
        abandoned = true;
        reject(new Error(`${consumerFunctionId} did not finish within the visibility timeout (${visibilityTimeoutMs} ms)`));
      }, visibilityTimeoutMs);
      // Waiting on an invocation must not keep a process alive that has nothing else left to do (a test's, after its last assertion).
      deadline.unref();
    });
    try {
      return await Promise.race([invocation, timedOut]);
    } finally {
      clearTimeout(deadline);
    }
  }

  function moveToDeadLetters(message: StoredMessage, lastError: string, at: number): Promise<void> {
    return dlqLock(async () => {
      const deadLetter: DeadLetterRecord = { ...message, visibleAt: at, lastError, deadLetteredAt: at, generation: message.generation + 1 };
      // Destination first: a crash between the two writes leaves both, and load keeps the newer.
      await store.putDeadLetter(deadLetter);
      await store.deleteMessage(message.messageId);
      messages.delete(message.messageId);
      deadLetters.set(deadLetter.messageId, deadLetter);
      log(`[queue ${name}] message ${message.messageId} moved to the DLQ after ${message.receiveCount} receives: ${lastError}`);
    });
  }

  let sentSinceStart = 0;

  return {
    name,
    consumerFunctionId,

    async send(body) {
      if (typeof body !== 'string') throw new TypeError('a queue message body must be a string');
      const sentAt = clock();
      const message: StoredMessage = {
        messageId: randomUUID(),
        body,
        sentAt,
        receiveCount: 0,
        firstReceivedAt: null,
        visibleAt: sentAt,
        lastError: null,
        generation: 0,
      };
      await store.putMessage(message, { durable: true });
      messages.set(message.messageId, message);
      sentSinceStart += 1;
      schedulePump();
      return message.messageId;
    },

    start() {
      if (started) return;
      started = true;
      schedulePump();
    },

    async stop() {
      started = false;
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      while (batches.size > 0) await Promise.all([...batches]);
    },

    depth: () => messages.size,

    stats() {
      const at = clock();
      let visible = 0;
      for (const message of messages.values()) if (!inFlight.has(message.messageId) && message.visibleAt <= at) visible += 1;
      return { name, depth: messages.size, visible, inFlight: inFlight.size, deadLetters: deadLetters.size, sentSinceStart };
    },

    async deadLetters() {
      return [...deadLetters.values()]
        .sort((a, b) => a.deadLetteredAt - b.deadLetteredAt)
        .map((d) => ({
          queue: name,
          messageId: d.messageId,
          body: d.body,
          sentAt: d.sentAt,
          receiveCount: d.receiveCount,
          firstReceivedAt: d.firstReceivedAt,
          lastError: d.lastError,
          deadLetteredAt: d.deadLetteredAt,
        }));
    },

    redrive() {
      return dlqLock(async () => {
        const moving = [...deadLetters.values()].sort((a, b) => a.deadLetteredAt - b.deadLetteredAt);
        for (const deadLetter of moving) {
          const at = clock();
          const message: StoredMessage = {
            messageId: deadLetter.messageId,
            body: deadLetter.body,
            sentAt: deadLetter.sentAt,
            receiveCount: 0,
            firstReceivedAt: null,
            visibleAt: at,
            lastError: null,
            generation: deadLetter.generation + 1,
          };
          await store.putMessage(message, { durable: true });
          await store.deleteDeadLetter(deadLetter.messageId);
          deadLetters.delete(deadLetter.messageId);
          messages.set(message.messageId, message);
        }
        if (moving.length > 0) schedulePump();
        return moving.length;
      });
    },

    purgeDeadLetters() {
      return dlqLock(async () => {
        const ids = [...deadLetters.keys()];
        for (const id of ids) {
          await store.deleteDeadLetter(id);
          deadLetters.delete(id);
        }
        return ids.length;
      });
    },
  };
}

function receiptHandleOf(messageId: string): string {
  return Buffer.from(`${messageId}:${randomBytes(12).toString('hex')}`).toString('base64');
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** Runs async sections one after another: the DLQ moves, redrives and purges of one queue. */
function createLock(): <T>(section: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(section: () => Promise<T>): Promise<T> => {
    const run = tail.then(section);
    // The caller gets `run` and its failure; the chain only needs to know it has settled.
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
}
