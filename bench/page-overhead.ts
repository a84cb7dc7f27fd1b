/**
 * QUALITY.md, page overhead: for each worker page, the median time to first byte through the local
 * gateway (the page function in its worker thread, the session cookie opened, the page rendered),
 * divided by the median time of the DynamoDB reads that page performs, issued directly; and the
 * page's HTML size.
 *
 * A page that also writes (the front door's audit of a read, put with the read) is shown a second
 * ratio beside it: against its whole round, its reads and that write replayed together as it sends
 * them. QUALITY.md's bar is the first; the second says how much of the page's time is its own.
 *
 * The reads are the page's own: its routes run once in this process with a document client that
 * records every command it sends (and still sends it), and the recorded reads are then sent by a
 * plain client, all at once as a page's one round of reads is, and timed. Writes a page makes
 * (the front door's audit of a read) are counted and printed, not replayed: they are part of the
 * page's time, which makes its ratio stricter, never kinder.
 */
import { performance } from 'node:perf_hooks';
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LocalCloud } from '../infra/local/src/local-cloud';
import { createHttpHandler, type Route } from '../shared/src/http/handler';
import { pageSessions } from '../shared/src/http/page-session';
import { serializeSessionKeys } from '../shared/src/http/session';
import { createLogger } from '../shared/src/observability/logger';
import { createDocumentClient, type ServiceRuntime } from '../shared/src/runtime';
import { apiGatewayEvent } from '../shared/testing/api-gateway-event';
import { demoPageWorker, sealedSessionCookie } from '../shared/testing/pages';
import { localDynamoClient } from './local-client';
import { type Summary, summarise } from './stats';
import { TARGETS } from './targets';

export const PAGE_OVERHEAD_TARGET = TARGETS.pageOverhead;
export const PAGE_SIZE_LIMIT_BYTES = TARGETS.pageHtmlBytes;

export interface PageUnderTest {
  label: string;
  /** The page's address, path and query. */
  path: string;
  /** Who looks at it: a demo worker's username. */
  username: string;
  service: string;
  /** The page function's routes, built on `runtime` (the same factory its entry uses). */
  routes: (runtime: ServiceRuntime) => Route[];
}

export interface PageOverheadRow {
  label: string;
  path: string;
  requests: number;
  gatewayMs: Summary;
  directReadsMs: Summary;
  /**
   * Not the bar: the same page's handler called in this process, with a plain client (no gateway,
   * no worker thread, no HTTP): what of the gateway's time is the page's own code and reads, and
   * what is the way in and out.
   */
  inProcessMs?: Summary;
  ratio: number;
  /** Against the page's reads and writes replayed together; undefined for a page that writes nothing. */
  wholeRoundMs?: Summary;
  wholeRoundRatio?: number;
  reads: number;
  writes: number;
  htmlBytes: number;
  meetsTarget: boolean;
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand', 'BatchWriteItemCommand']);

interface Recorded {
  commandName: string;
  input: unknown;
}

/** Its own client: a document client shares its middleware with the client it wraps, and the replays must not be recorded. */
function recordingDocuments(cloud: LocalCloud, recorded: Recorded[]): DynamoDBDocumentClient {
  const documents = createDocumentClient(localDynamoClient(cloud));
  documents.middlewareStack.add(
    (next, context) => async (args) => {
      // At the build step the document client has marshalled the input: DynamoDB's own command, as sent.
      recorded.push({ commandName: context.commandName ?? 'an unnamed command', input: structuredClone(args.input) });
      return next(args);
    },
    { step: 'build', name: 'recordCommands' },
  );
  return documents;
}

function replay(client: DynamoDBClient, read: Recorded): Promise<unknown> {
  switch (read.commandName) {
    case 'PutItemCommand':
      // The page's own item again (its key includes the request's id), so the table ends as it was. A
      // put on condition the item is new (an audit item) is refused the second time, after the same
      // work: the refusal is that write's time.
      return client.send(new PutItemCommand(read.input as never)).catch((error: unknown) => {
        if (error instanceof ConditionalCheckFailedException) return undefined;
        throw error;
      });
    case 'GetItemCommand':
      return client.send(new GetItemCommand(read.input as never));
    case 'QueryCommand':
      return client.send(new QueryCommand(read.input as never));
    case 'BatchGetItemCommand':
      return client.send(new BatchGetItemCommand(read.input as never));
    case 'TransactGetItemsCommand':
      return client.send(new TransactGetItemsCommand(read.input as never));
    default:
      throw new Error(`the bench cannot replay ${read.commandName}`);
  }
}

export function sessionCookieFor(cloud: LocalCloud, username: string): string {
  const worker = cloud.demoWorkers.find((candidate) => candidate.username === username);
  if (!worker) throw new Error(`no demo worker ${username}`);
  return sealedSessionCookie(cloud.sessionKeys, demoPageWorker(worker));
}

export async function measurePageOverhead(cloud: LocalCloud, pages: readonly PageUnderTest[], runs: number): Promise<PageOverheadRow[]> {
  // The in-process handler opens the same cookies as the cloud's functions.
  process.env.SESSION_KEYS = serializeSessionKeys(cloud.sessionKeys);
  process.env.PUBLIC_ORIGIN = cloud.url;
  const client = localDynamoClient(cloud);
  const rows: PageOverheadRow[] = [];
  try {
    for (const page of pages) {
      const tableName = cloud.tableNames[page.service];
      if (!tableName) throw new Error(`the local cloud has no ${page.service} table`);
      const recorded: Recorded[] = [];
      const logger = createLogger(page.service, { level: 'SILENT' });
      const runtime: ServiceRuntime = {
        serviceName: page.service,
        tableName,
        dynamo: client,
        documents: recordingDocuments(cloud, recorded),
        clock: () => new Date(),
        logger,
      };
      const handler = createHttpHandler(page.routes(runtime), { logger, pages: pageSessions() });
      const unrecordedHandler = createHttpHandler(page.routes({ ...runtime, documents: createDocumentClient(client) }), {
        logger,
        pages: pageSessions(),
      });
      const cookie = sessionCookieFor(cloud, page.username);
      const inProcess = await handler(apiGatewayEvent({ method: 'GET', path: page.path, cookies: [cookie] }));
      if (inProcess.statusCode !== 200) throw new Error(`${page.label}: the in-process page answered ${inProcess.statusCode}`);
      const reads = recorded.filter((command) => READS.has(command.commandName));
      const writes = recorded.filter((command) => WRITES.has(command.commandName));
      const unknown = recorded.filter((command) => !READS.has(command.commandName) && !WRITES.has(command.commandName));
      if (unknown.length > 0) throw new Error(`${page.label} sent ${unknown.map((command) => command.commandName).join(', ')}`);
      if (reads.length === 0) throw new Error(`${page.label} read nothing from its table`);

      let htmlBytes = 0;
      const gatewayMs = async (): Promise<number> => {
        const started = performance.now();
        const response = await fetch(`${cloud.url}${page.path}`, { headers: { cookie }, redirect: 'manual' });
        // fetch resolves when the headers have come: the first byte.
        const elapsed = performance.now() - started;
        const body = await response.text();
        if (response.status !== 200) throw new Error(`${page.label}: GET ${page.path} answered ${response.status}`);
        htmlBytes = Buffer.byteLength(body);
        return elapsed;
      };
      const directMs = (commands: readonly Recorded[]) => async (): Promise<number> => {
        const started = performance.now();
        await Promise.all(commands.map((command) => replay(client, command)));
        return performance.now() - started;
      };
      const inProcessMs = async (): Promise<number> => {
        const started = performance.now();
        const response = await unrecordedHandler(apiGatewayEvent({ method: 'GET', path: page.path, cookies: [cookie] }));
        const elapsed = performance.now() - started;
        if (response.statusCode !== 200) throw new Error(`${page.label}: the in-process page answered ${response.statusCode}`);
        return elapsed;
      };
      const directReadsMs = directMs(reads);
      const wholeRound = writes.length > 0 ? directMs([...reads, ...writes]) : undefined;
      for (let warm = 0; warm < 10; warm += 1) {
        await gatewayMs();
        await directReadsMs();
        await inProcessMs();
      }
      const gateway: number[] = [];
      const directReads: number[] = [];
      const inProcessTimes: number[] = [];
      const wholeRounds: number[] = [];
      // Interleaved, so that whatever else the machine is doing weighs on both sides alike.
      for (let run = 0; run < runs; run += 1) {
        gateway.push(await gatewayMs());
        directReads.push(await directReadsMs());
        inProcessTimes.push(await inProcessMs());
        if (wholeRound) wholeRounds.push(await wholeRound());
      }
      const gatewaySummary = summarise(gateway);
      const directSummary = summarise(directReads);
      const ratio = Math.round((gatewaySummary.median / directSummary.median) * 100) / 100;
      const wholeRoundSummary = wholeRound ? summarise(wholeRounds) : undefined;
      rows.push({
        label: page.label,
        path: page.path,
        requests: runs,
        gatewayMs: gatewaySummary,
        directReadsMs: directSummary,
        inProcessMs: summarise(inProcessTimes),
        ratio,
        ...(wholeRoundSummary
          ? {
              wholeRoundMs: wholeRoundSummary,
              wholeRoundRatio: Math.round((gatewaySummary.median / wholeRoundSummary.median) * 100) / 100,
            }
          : {}),
        reads: reads.length,
        writes: writes.length,
        htmlBytes,
        meetsTarget: ratio <= PAGE_OVERHEAD_TARGET && htmlBytes <= PAGE_SIZE_LIMIT_BYTES,
      });
    }
    return rows;
  } finally {
    client.destroy();
  }
}

export function describePageOverhead(rows: readonly PageOverheadRow[]): string {
  const lines = rows.map(
    (row) =>
      `  ${row.label.padEnd(28)} ${`${row.gatewayMs.median} ms`.padStart(9)}  ${`${row.directReadsMs.median} ms`.padStart(9)}  ${(row.inProcessMs ? `${row.inProcessMs.median} ms` : '').padStart(10)}  ${String(row.ratio).padStart(5)}  ${`${row.reads} r / ${row.writes} w`.padStart(10)}  ${`${(row.htmlBytes / 1024).toFixed(1)} KB`.padStart(8)}  ${row.meetsTarget ? 'met' : 'NOT MET'}`,
  );
  const wholeRounds = rows
    .filter((row) => row.wholeRoundMs)
    .map(
      (row) =>
        `  ${row.label}: with its ${row.writes === 1 ? 'write' : `${row.writes} writes`} replayed beside its reads, ${row.wholeRoundMs?.median} ms: ${row.gatewayMs.median} ÷ ${row.wholeRoundMs?.median} = ${row.wholeRoundRatio}`,
    );
  return `Page overhead (median time to first byte through the gateway ÷ median of the page's own reads issued directly, n=${rows[0]?.requests ?? 0}; targets: ratio ≤ ${PAGE_OVERHEAD_TARGET}, HTML ≤ ${PAGE_SIZE_LIMIT_BYTES / 1024} KB)
  ${'page'.padEnd(28)} ${'gateway'.padStart(9)}  ${'reads'.padStart(9)}  ${'in process'.padStart(10)}  ${'ratio'.padStart(5)}  ${'commands'.padStart(10)}  ${'HTML'.padStart(8)}
${lines.join('\n')}
"In process" is not the bar: the page's handler called in the bench's own process with a plain client, without the gateway, the worker thread or HTTP.${wholeRounds.length > 0 ? `\nA page that writes, against its whole round (not the bar; what of its time is its own):\n${wholeRounds.join('\n')}` : ''}`;
}
