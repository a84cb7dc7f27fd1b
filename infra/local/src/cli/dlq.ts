import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAdminClient, formatTable, LocalCloudError, resolveLocalCloudUrl } from '../queues/admin-client';

/**
 * `npm run dlq -- list`                  queues with their depth, and every dead letter
 * `npm run dlq -- redrive <queue>`       moves that queue's dead letters back onto it
 * `npm run dlq -- redrive --all`         does that for every queue with dead letters
 *
 * Talks to the running local cloud: `--url`, else `FSP_LOCAL_URL`, else the URL the local cloud
 * wrote to `.data/local-cloud.json` (relative to the working directory, which `npm run` sets to
 * the repository root).
 */

const USAGE = `usage: npm run dlq -- list [--url URL]
       npm run dlq -- redrive <queue> | --all [--url URL]`;

class UsageError extends Error {}

async function main(argv: readonly string[]): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [command, ...rest] = positionals;
  if (command !== 'list' && command !== 'redrive')
    throw new UsageError(command === undefined ? 'no command given' : `unknown command ${command}`);

  const baseUrl = await resolveLocalCloudUrl({
    flag: values.url,
    env: process.env.FSP_LOCAL_URL,
    stateFile: resolve(process.cwd(), '.data', 'local-cloud.json'),
  });
  const client = createAdminClient(baseUrl);

  if (command === 'list') {
    if (rest.length > 0 || values.all) throw new UsageError('list takes no arguments');
    const [queues, deadLetters] = await Promise.all([client.listQueues(), client.listDeadLetters()]);
    process.stdout.write(`Queues at ${baseUrl}\n\n`);
    process.stdout.write(
      `${formatTable(
        ['QUEUE', 'CONSUMER', 'DEPTH', 'VISIBLE', 'IN FLIGHT', 'DLQ'],
        queues.map((q) => [q.name, q.consumer, String(q.depth), String(q.visible), String(q.inFlight), String(q.deadLetters)]),
      )}\n\n`,
    );
    if (deadLetters.length === 0) {
      process.stdout.write('No dead letters.\n');
      return;
    }
    process.stdout.write(`${deadLetters.length} dead letter(s)\n\n`);
    process.stdout.write(
      `${formatTable(
        ['QUEUE', 'MESSAGE ID', 'RECEIVES', 'DETAIL-TYPE', 'EVENT ID', 'DEAD-LETTERED AT', 'LAST ERROR'],
        deadLetters.map((d) => [
          d.queue,
          d.messageId,
          String(d.receiveCount),
          d.detailType ?? '-',
          d.eventId ?? '-',
          d.deadLetteredAt,
          oneLine(d.lastError),
        ]),
      )}\n`,
    );
    process.stdout.write(`\nRedrive with: npm run dlq -- redrive <queue>   (or --all)\n`);
    return;
  }

  let targets: string[];
  if (values.all) {
    if (rest.length > 0) throw new UsageError('give a queue name or --all, not both');
    targets = (await client.listQueues()).filter((q) => q.deadLetters > 0).map((q) => q.name);
    if (targets.length === 0) {
      process.stdout.write('No dead letters to redrive.\n');
      return;
    }
  } else {
    if (rest.length !== 1) throw new UsageError('redrive needs exactly one queue name, or --all');
    targets = rest;
  }
  const results: [string, number][] = [];
  for (const queue of targets) results.push([queue, await client.redrive(queue)]);
  process.stdout.write(
    `${formatTable(
      ['QUEUE', 'REDRIVEN'],
      results.map(([q, n]) => [q, String(n)]),
    )}\n`,
  );
  if (results.length > 1) process.stdout.write(`\n${results.reduce((sum, [, n]) => sum + n, 0)} message(s) redriven\n`);
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: { url: { type: 'string' }, all: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
}

/** Errors can span lines (stack-like messages); a table row must not. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

main(process.argv.slice(2)).then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`dlq: ${error.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (error instanceof LocalCloudError) {
      process.stderr.write(`dlq: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`dlq: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
