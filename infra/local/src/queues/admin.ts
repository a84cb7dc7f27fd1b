import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { sendJson } from '../gateway/http-util';
import type { DeadLetter } from './queue';
import type { QueueRegistry } from './registry';

/**
 * The local cloud's queue admin API, mounted on its HTTP server:
 *
 *   GET  /_local/queues                  every queue: depth, visible, in flight, dead letters
 *   GET  /_local/dlq                     every dead letter of every queue
 *   POST /_local/dlq/<queue>/redrive     moves that queue's dead letters back → { redriven: N }
 *
 * Errors are `application/problem+json` (RFC 9457), as everywhere else on the platform.
 */
export interface QueueAdmin {
  /** Serves the request and resolves true if the path is the admin API's; resolves false (untouched) otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export const QUEUES_PATH = '/_local/queues';
export const DLQ_PATH = '/_local/dlq';

export interface QueueSummary {
  name: string;
  consumer: string;
  depth: number;
  visible: number;
  inFlight: number;
  deadLetters: number;
}

export interface DeadLetterSummary {
  queue: string;
  messageId: string;
  receiveCount: number;
  lastError: string;
  sentAt: string;
  deadLetteredAt: string;
  /** From the event body when it parses as an EventBridge event; null otherwise. */
  detailType: string | null;
  eventId: string | null;
  source: string | null;
}

const eventBodySchema = z.object({
  'detail-type': z.string().optional(),
  source: z.string().optional(),
  detail: z.object({ metadata: z.object({ eventId: z.string().optional() }).optional() }).optional(),
});

export function summariseDeadLetter(deadLetter: DeadLetter): DeadLetterSummary {
  let event: z.infer<typeof eventBodySchema> = {};
  try {
    const parsed = eventBodySchema.safeParse(JSON.parse(deadLetter.body));
    if (parsed.success) event = parsed.data;
  } catch (error) {
    // A body that is not JSON is exactly the kind of thing that ends up in a DLQ; list it anyway.
    if (!(error instanceof SyntaxError)) throw error;
  }
  return {
    queue: deadLetter.queue,
    messageId: deadLetter.messageId,
    receiveCount: deadLetter.receiveCount,
    lastError: deadLetter.lastError,
    sentAt: new Date(deadLetter.sentAt).toISOString(),
    deadLetteredAt: new Date(deadLetter.deadLetteredAt).toISOString(),
    detailType: event['detail-type'] ?? null,
    eventId: event.detail?.metadata?.eventId ?? null,
    source: event.source ?? null,
  };
}

const REDRIVE_PATH = /^\/_local\/dlq\/([^/]+)\/redrive$/;

export function createQueueAdmin(registry: QueueRegistry): QueueAdmin {
  return {
    async handle(req, res) {
      try {
        return await route(req, res);
      } catch (error) {
        // The operator asked for this and must see why it failed (a full disk, a bad record).
        if (res.headersSent) throw error;
        return sendProblem(res, 500, 'Queue admin failed', error instanceof Error ? error.message : String(error));
      }
    },
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = new URL(req.url ?? '/', 'http://local').pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';

    if (path === QUEUES_PATH) {
      if (method !== 'GET') return methodNotAllowed(res, 'GET');
      const queues: QueueSummary[] = registry.all().map((queue) => {
        const stats = queue.stats();
        return {
          name: stats.name,
          consumer: queue.consumerFunctionId,
          depth: stats.depth,
          visible: stats.visible,
          inFlight: stats.inFlight,
          deadLetters: stats.deadLetters,
        };
      });
      return respond(res, 200, { queues });
    }

    if (path === DLQ_PATH) {
      if (method !== 'GET') return methodNotAllowed(res, 'GET');
      const perQueue = await Promise.all(registry.all().map((queue) => queue.deadLetters()));
      const deadLetters = perQueue.flat().map(summariseDeadLetter);
      return respond(res, 200, { deadLetters });
    }

    const redrive = REDRIVE_PATH.exec(path);
    if (redrive !== null) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      // Queue names never need percent-encoding; an encoded name simply matches no queue.
      const name = redrive[1] ?? '';
      const queue = registry.get(name);
      if (queue === undefined) {
        return sendProblem(res, 404, 'Queue not found', `there is no queue named ${JSON.stringify(name)}; GET ${QUEUES_PATH} lists them`);
      }
      const redriven = await queue.redrive();
      return respond(res, 200, { queue: name, redriven });
    }

    if (path.startsWith(`${DLQ_PATH}/`) || path.startsWith(`${QUEUES_PATH}/`)) {
      return sendProblem(res, 404, 'Not found', `no admin route for ${method} ${path}`);
    }
    return false;
  }
}

function respond(res: ServerResponse, status: number, body: unknown): true {
  sendJson(res, status, body, { 'cache-control': 'no-store' });
  return true;
}

function sendProblem(res: ServerResponse, status: number, title: string, detail: string): true {
  sendJson(res, status, { type: 'about:blank', title, status, detail }, { 'content-type': 'application/problem+json' });
  return true;
}

function methodNotAllowed(res: ServerResponse, allowed: string): true {
  res.setHeader('allow', allowed);
  return sendProblem(res, 405, 'Method not allowed', `use ${allowed}`);
}
