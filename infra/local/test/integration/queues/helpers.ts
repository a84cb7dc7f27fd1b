import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqsEvent } from '../../../src/queues/sqs-event';
import type { Invoke } from '../../../src/runtime/types';

/** A fresh folder under the OS temp dir; `cleanup` removes it. */
export async function tempDirectory(): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'fsp-queues-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** Polls until `condition` holds; fails with `what` if it does not within `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A consumer function registered behind a real `Invoke`, as the local runtime would call it:
 * every invocation (function id and SQS event) is recorded before the handler runs.
 */
export function consumer(functionId: string, handler: (event: SqsEvent) => Promise<unknown>) {
  const invocations: SqsEvent[] = [];
  const invoke: Invoke = async (id, event) => {
    if (id !== functionId) throw new Error(`no function ${id} is registered (only ${functionId})`);
    const sqsEvent = event as SqsEvent;
    invocations.push(sqsEvent);
    return handler(sqsEvent);
  };
  return {
    invoke,
    invocations,
    /** Every record delivered so far, in order, across invocations. */
    records: () => invocations.flatMap((e) => e.Records),
    setHandler(next: (event: SqsEvent) => Promise<unknown>) {
      handler = next;
    },
  };
}

/** An EventBridge event body like the bus sends. */
export function eventBody(detailType: string, eventId: string, data: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: '0',
    id: `eb-${eventId}`,
    'detail-type': detailType,
    source: 'fsp.referrals',
    account: '000000000000',
    time: '2025-01-06T09:00:00Z',
    region: 'eu-west-2',
    resources: [],
    detail: {
      metadata: {
        eventId,
        schemaVersion: 1,
        occurredAt: '2025-01-06T09:00:00Z',
        correlationId: 'c-1',
        causationId: 'c-1',
        producer: 'referrals',
      },
      data,
    },
  });
}

/** Collects what a queue logs, so failures are visible in assertions instead of on stderr. */
export function logSink() {
  const lines: string[] = [];
  return { lines, log: (line: string) => lines.push(line) };
}
