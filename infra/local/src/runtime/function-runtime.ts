import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TableKeys } from '@fsp/shared/manifest';
import type { Invoke } from './types';

/**
 * Runs function code the way Lambda does, closely enough for the platform's behaviour to be the
 * same: each function gets its own execution environment (a worker thread with its own module
 * state and its own environment variables), loaded once and reused, replaced when it crashes or
 * times out. Unlike Lambda, one environment serves concurrent invocations (they are async I/O
 * bound, and it keeps a laptop's memory in check); see docs/adr/0004-local-cloud.md.
 */
export interface LocalFunction {
  id: string;
  /** Absolute path of the entry module exporting `handler`. */
  entry: string;
  /** Its esbuild bundle (function-bundles.ts), run instead of compiling `entry` at each cold start. */
  bundle?: string;
  environment: Readonly<Record<string, string>>;
  timeoutMs: number;
  memoryMb?: number;
  /** Its declared table access, checked on every DynamoDB call it makes (table-guard.ts); absent: unchecked. */
  tableGuard?: { tableKeys: TableKeys | undefined; readAudit: boolean };
}

export class FunctionError extends Error {
  constructor(
    readonly functionId: string,
    readonly errorName: string,
    message: string,
    readonly remoteStack?: string,
  ) {
    super(`${functionId}: ${errorName}: ${message}`);
    this.name = 'FunctionError';
  }
}

export interface FunctionRuntime {
  invoke: Invoke;
  /** Drops a function's environment so the next invocation cold-starts (used to test crash recovery). */
  recycle(functionId: string): Promise<void>;
  /**
   * Starts every function's environment that is not running yet and waits until each is ready, so
   * the first request after `npm start` does not pay every cold start. Resolves with the functions
   * whose initialisation failed (they cold-start again on their next invocation, as in Lambda).
   */
  warmAll(): Promise<{ functionId: string; error: Error }[]>;
  /**
   * Moves the wall clock every function reads (`new Date()`, `Date.now()`) by `offsetMs`, at once,
   * in warm environments and in those started later. Local only, for `npm start -- --seed`, which
   * submits referrals as they would have arrived days ago (infra/local/src/seed); 0, the real
   * time, unless set. Nothing outside the functions moves: the gateway, tokens, queues and the
   * scheduler keep the real time.
   */
  setClockOffset(offsetMs: number): void;
  clockOffset(): number;
  stop(): Promise<void>;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface Environment {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<string, Pending>;
  /** Took too long once: serves no new invocation, and ends when those still running settle. */
  retiring?: boolean;
}

const BOOTSTRAP = join(__dirname, 'worker-bootstrap.mjs');

export function createFunctionRuntime(
  functions: readonly LocalFunction[],
  options: {
    region: string;
    accountId: string;
    baseEnvironment?: Readonly<Record<string, string>>;
    /** The table guard's bundle (function-bundles.ts), loaded by bundled functions instead of its source. */
    tableGuardBundle?: string;
  },
): FunctionRuntime {
  const byId = new Map(functions.map((fn) => [fn.id, fn]));
  const environments = new Map<string, Environment>();
  // One offset in shared memory for every environment (worker-bootstrap.mjs reads it at each Date), so a change reaches them all at once.
  const clockOffset = new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT);
  const clockOffsetMs = new BigInt64Array(clockOffset);

  function start(fn: LocalFunction): Environment {
    if (fn.bundle !== undefined && fn.tableGuard !== undefined && options.tableGuardBundle === undefined)
      throw new Error(`${fn.id} runs from a bundle and has a table guard, but the runtime was given no table guard bundle`);
    const worker = new Worker(BOOTSTRAP, {
      workerData: {
        entry: fn.entry,
        functionName: fn.id,
        memoryMb: fn.memoryMb ?? 512,
        region: options.region,
        accountId: options.accountId,
        bundle: fn.bundle,
        clockOffset,
        tableGuard: fn.tableGuard && {
          options: fn.tableGuard,
          bundle: fn.bundle === undefined ? undefined : options.tableGuardBundle,
        },
      },
      env: { ...(options.baseEnvironment ?? process.env), ...fn.environment, AWS_LAMBDA_FUNCTION_NAME: fn.id },
      // A bundle maps its own stacks when one is formatted (its banner, ADR 0030): parsing its map at every cold start costs more.
      execArgv: fn.bundle === undefined ? ['--enable-source-maps'] : [],
    });
    const pending = new Map<string, Pending>();
    let markReady: () => void = () => {};
    let failStart: (error: Error) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    const environment: Environment = { worker, ready, pending };

    const failAll = (error: Error) => {
      failStart(error);
      for (const [, call] of pending) {
        clearTimeout(call.timer);
        call.reject(error);
      }
      pending.clear();
      if (environments.get(fn.id) === environment) environments.delete(fn.id);
    };

    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') return markReady();
      if (message.type === 'init-error') {
        failAll(new FunctionError(fn.id, message.error.name, `init failed: ${message.error.message}`, message.error.stack));
        // Lambda retries initialisation on the next invocation in a fresh environment; this one is done.
        void worker.terminate();
        return;
      }
      const call = pending.get(message.invocationId);
      if (!call) return;
      pending.delete(message.invocationId);
      clearTimeout(call.timer);
      if (message.type === 'result') call.resolve(message.result);
      else call.reject(new FunctionError(fn.id, message.error.name, message.error.message, message.error.stack));
      if (environment.retiring && pending.size === 0) void worker.terminate();
    });
    worker.on('error', (error) => failAll(new FunctionError(fn.id, 'Runtime.ExitError', error.message, error.stack)));
    worker.on('exit', (code) => failAll(new FunctionError(fn.id, 'Runtime.ExitError', `execution environment exited with code ${code}`)));
    return environment;
  }

  function environmentOf(fn: LocalFunction): Environment {
    let environment = environments.get(fn.id);
    if (!environment) {
      environment = start(fn);
      environments.set(fn.id, environment);
    }
    return environment;
  }

  async function warmAll(): Promise<{ functionId: string; error: Error }[]> {
    const outcomes = await Promise.all(
      functions.map(async (fn) => {
        try {
          await environmentOf(fn).ready;
          return undefined;
        } catch (error) {
          return { functionId: fn.id, error: error instanceof Error ? error : new Error(String(error)) };
        }
      }),
    );
    return outcomes.filter((outcome) => outcome !== undefined);
  }

  async function invoke(functionId: string, event: unknown): Promise<unknown> {
    const fn = byId.get(functionId);
    if (!fn) throw new Error(`no function ${functionId} is deployed in the local cloud`);
    const environment = environmentOf(fn);
    await environment.ready;
    const invocationId = randomUUID();
    const env = environment;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        env.pending.delete(invocationId);
        reject(new FunctionError(functionId, 'Sandbox.Timedout', `task timed out after ${fn.timeoutMs / 1000} seconds`));
        // Lambda discards an environment whose invocation timed out. In Lambda that invocation was
        // the environment's only one; here others may be running in it, and they must not fail
        // for it: the environment takes no new work and ends when its last invocation settles.
        retire(functionId, env);
      }, fn.timeoutMs);
      env.pending.set(invocationId, { resolve, reject, timer });
      env.worker.postMessage({ invocationId, event, deadline: Date.now() + fn.timeoutMs });
    });
  }

  function retire(functionId: string, environment: Environment): void {
    if (environments.get(functionId) === environment) environments.delete(functionId);
    environment.retiring = true;
    if (environment.pending.size === 0) void environment.worker.terminate();
  }

  async function discard(functionId: string, environment: Environment): Promise<void> {
    if (environments.get(functionId) === environment) environments.delete(functionId);
    await environment.worker.terminate();
  }

  return {
    invoke,
    warmAll,
    setClockOffset(offsetMs) {
      if (!Number.isSafeInteger(offsetMs)) throw new RangeError(`a clock offset is a whole number of milliseconds, not ${offsetMs}`);
      Atomics.store(clockOffsetMs, 0, BigInt(offsetMs));
    },
    clockOffset: () => Number(Atomics.load(clockOffsetMs, 0)),
    async recycle(functionId) {
      const environment = environments.get(functionId);
      if (environment) await discard(functionId, environment);
    },
    async stop() {
      await Promise.all([...environments].map(([id, environment]) => discard(id, environment)));
    },
  };
}

type SerialisedError = { name: string; message: string; stack?: string };
type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: SerialisedError }
  | { type: 'result'; invocationId: string; result: unknown }
  | { type: 'error'; invocationId: string; error: SerialisedError };
