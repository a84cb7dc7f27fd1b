/**
 * What the cost model needs of Lambda: how many invocations each function had, how long each ran
 * and, for a queue consumer, how many SQS messages its event held. The local cloud runs each
 * function in a worker thread and posts it one message per invocation (infra/local/src/runtime);
 * the bench watches those messages without changing them: before the local cloud starts, it puts a
 * subclass of Worker in `node:worker_threads`' exports (the function runtime constructs its
 * workers from there at run time), which times each invocation from the message that starts it
 * to the message that answers it. Bench only: nothing in the platform loads this file.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { WorkerOptions, Worker as WorkerType } from 'node:worker_threads';

export interface InvocationRecord {
  function: string;
  memoryMb: number;
  durationMs: number;
  /** SQS messages in its event (a queue consumer's batch); 0 for any other event. */
  messages: number;
  /** performance.now() when it ended. */
  endedAt: number;
}

interface InvocationMessage {
  invocationId?: string;
  event?: { Records?: unknown[] };
  type?: string;
}

const workerThreads = createRequire(__filename)('node:worker_threads') as { Worker: typeof WorkerType };

/** Starts recording every function invocation of local clouds started from now on in this process. */
export function recordInvocations(): { records: InvocationRecord[]; stop(): void } {
  const records: InvocationRecord[] = [];
  const Original = workerThreads.Worker;
  class TimedWorker extends Original {
    constructor(filename: string | URL, options?: WorkerOptions) {
      super(filename, options);
      const data = options?.workerData as { functionName?: string; memoryMb?: number } | undefined;
      const functionName = data?.functionName;
      if (!functionName) return;
      const started = new Map<string, { at: number; messages: number }>();
      this.on('message', (message: InvocationMessage) => {
        if ((message.type !== 'result' && message.type !== 'error') || !message.invocationId) return;
        const start = started.get(message.invocationId);
        if (!start) return;
        started.delete(message.invocationId);
        const endedAt = performance.now();
        records.push({
          function: functionName,
          memoryMb: data.memoryMb ?? 512,
          durationMs: endedAt - start.at,
          messages: start.messages,
          endedAt,
        });
      });
      const post = this.postMessage.bind(this);
      this.postMessage = (value: unknown, transferList?: readonly never[]) => {
        const message = value as InvocationMessage;
        if (message?.invocationId) {
          const batch = message.event?.Records;
          const messages =
            Array.isArray(batch) && batch.every((record) => (record as { eventSource?: string }).eventSource === 'aws:sqs')
              ? batch.length
              : 0;
          started.set(message.invocationId, { at: performance.now(), messages });
        }
        post(value, transferList);
      };
    }
  }
  workerThreads.Worker = TimedWorker;
  return {
    records,
    stop() {
      workerThreads.Worker = Original;
    },
  };
}
