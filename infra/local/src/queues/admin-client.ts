import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DLQ_PATH, QUEUES_PATH } from './admin';

/**
 * Talks to a running local cloud's queue admin API: used by `npm run dlq`, usable from scripts.
 * Every failure is a `LocalCloudError` whose message is one line fit to show a person.
 */
export class LocalCloudError extends Error {
  override name = 'LocalCloudError';
}

const HOW_TO_START = 'start it with `npm start`';

/** What the running local cloud writes to `.data/local-cloud.json`. */
export const localCloudStateSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  pid: z.number().int().positive(),
});

/**
 * The admin API's base URL: the `--url` flag, else `FSP_LOCAL_URL`, else the `url` the running
 * local cloud recorded in its state file.
 */
export async function resolveLocalCloudUrl(sources: {
  flag?: string | undefined;
  env?: string | undefined;
  stateFile: string;
}): Promise<string> {
  const explicit = sources.flag ?? (sources.env === '' ? undefined : sources.env);
  if (explicit !== undefined) return parseBaseUrl(explicit);

  let text: string;
  try {
    text = await readFile(sources.stateFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LocalCloudError(`the local cloud is not running (no ${sources.stateFile}); ${HOW_TO_START}, or pass --url`);
    }
    throw new LocalCloudError(`could not read ${sources.stateFile}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LocalCloudError(
      `${sources.stateFile} is not valid JSON (${(error as Error).message}); restart the local cloud with \`npm start\``,
    );
  }
  const state = localCloudStateSchema.safeParse(json);
  if (!state.success) {
    throw new LocalCloudError(`${sources.stateFile} does not hold { url, pid }; restart the local cloud with \`npm start\``);
  }
  if (!isProcessAlive(state.data.pid)) {
    throw new LocalCloudError(
      `the local cloud is not running (process ${state.data.pid} in ${sources.stateFile} has exited); ${HOW_TO_START}`,
    );
  }
  return parseBaseUrl(state.data.url);
}

function parseBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LocalCloudError(`${JSON.stringify(value)} is not a URL; expected something like http://127.0.0.1:4000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new LocalCloudError(`${value} is not an http(s) URL`);
  return url.origin;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const queueSummarySchema = z.object({
  name: z.string(),
  consumer: z.string(),
  depth: z.number(),
  visible: z.number(),
  inFlight: z.number(),
  deadLetters: z.number(),
});
export const deadLetterSummarySchema = z.object({
  queue: z.string(),
  messageId: z.string(),
  receiveCount: z.number(),
  lastError: z.string(),
  sentAt: z.string(),
  deadLetteredAt: z.string(),
  detailType: z.string().nullable(),
  eventId: z.string().nullable(),
  source: z.string().nullable(),
});
const problemSchema = z.object({ title: z.string().optional(), detail: z.string().optional() });

export interface AdminClient {
  listQueues(): Promise<z.infer<typeof queueSummarySchema>[]>;
  listDeadLetters(): Promise<z.infer<typeof deadLetterSummarySchema>[]>;
  redrive(queue: string): Promise<number>;
}

export function createAdminClient(baseUrl: string, timeoutMs = 10_000): AdminClient {
  async function call<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>): Promise<T> {
    const url = `${baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, { method, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') {
        throw new LocalCloudError(`the local cloud at ${baseUrl} did not answer ${method} ${path} within ${timeoutMs / 1000} s`);
      }
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new LocalCloudError(`could not reach the local cloud at ${baseUrl} (${cause}); is it running? ${HOW_TO_START}`);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new LocalCloudError(
        `${method} ${url} answered ${response.status} with something that is not JSON; is ${baseUrl} the local cloud?`,
      );
    }
    if (!response.ok) {
      const problem = problemSchema.safeParse(json);
      const detail = problem.success ? (problem.data.detail ?? problem.data.title) : undefined;
      throw new LocalCloudError(`${method} ${path} failed with ${response.status}${detail === undefined ? '' : `: ${detail}`}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new LocalCloudError(`${method} ${path} answered in an unexpected shape: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }

  return {
    listQueues: async () => (await call('GET', QUEUES_PATH, z.object({ queues: z.array(queueSummarySchema) }))).queues,
    listDeadLetters: async () => (await call('GET', DLQ_PATH, z.object({ deadLetters: z.array(deadLetterSummarySchema) }))).deadLetters,
    redrive: async (queue) =>
      (await call('POST', `${DLQ_PATH}/${encodeURIComponent(queue)}/redrive`, z.object({ redriven: z.number() }))).redriven,
  };
}

/** A plain-text table with a header row and columns padded to their widest cell. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
