import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { marshall } from '@aws-sdk/util-dynamodb';
import { outboxItem } from '@fsp/shared/outbox';
import { createTableInput } from '@fsp/shared/table';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../src/dynamodb-local';
import { createOutboxRelay, type OutboxRelay } from '../../src/relay';
import { type RunningEventBridge, startEventBridge } from './eventbridge/support';

const endpoint = process.env.FSP_TEST_DYNAMODB_ENDPOINT;
if (!endpoint)
  throw new Error('FSP_TEST_DYNAMODB_ENDPOINT is not set: run these tests through jest (its global setup starts DynamoDB Local)');
const clientConfig = { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

const outboxEvent = (eventId: string) => ({
  source: 'fsp.test',
  detailType: 'Tested',
  detail: { metadata: { eventId } },
});

describe('outbox relay on DynamoDB Local streams', () => {
  const dynamo = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);
  let bridge: RunningEventBridge;
  let relay: OutboxRelay | undefined;
  const tables: string[] = [];
  const lines: string[] = [];
  let directory: string;

  async function createTable(): Promise<string> {
    const name = `relay-${randomUUID()}`;
    await dynamo.send(new CreateTableCommand(createTableInput(name)));
    tables.push(name);
    return name;
  }

  const putOutbox = (table: string, eventId: string, at = new Date()) =>
    dynamo.send(new PutItemCommand({ TableName: table, Item: marshall(outboxItem(outboxEvent(eventId), at)) }));

  /**
   * What a kill can leave (ADR 0024): shard positions that no longer vouch for what they claim. Every
   * shard the checkpoint file names is marked read to its end, so the stream gives the relay nothing.
   */
  const checkpointsClaimingEverything = async (checkpointFile: string, table: string) => {
    const streamArn = (await dynamo.send(new DescribeTableCommand({ TableName: table }))).Table?.LatestStreamArn;
    const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ?? [];
    expect(shards.length).toBeGreaterThan(0);
    writeFileSync(
      checkpointFile,
      JSON.stringify({ [streamArn!]: Object.fromEntries(shards.map((shard) => [shard.ShardId, { closed: true }])) }),
    );
  };

  const startRelay = (tableNames: string[], checkpointFile?: string, pollIntervalMs = 20, journalFile?: string) => {
    relay = createOutboxRelay({
      tables: tableNames,
      dynamo,
      streams,
      eventBridge: bridge.client,
      busName: 'fsp',
      pollIntervalMs,
      log: (line) => lines.push(line),
      ...(checkpointFile ? { checkpointFile } : {}),
      ...(journalFile ? { journalFile } : {}),
    });
    relay.start();
    return relay;
  };

  const published = () => bridge.deliveries.map(({ event }) => (event.detail as { metadata: { eventId: string } }).metadata.eventId);
  const errorLines = () => lines.filter((line) => (JSON.parse(line) as { level: string }).level === 'ERROR');

  beforeEach(async () => {
    bridge = await startEventBridge();
    lines.length = 0;
    directory = mkdtempSync(join(tmpdir(), 'relay-test-'));
  });

  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
    await bridge.close();
    for (const table of tables.splice(0)) await dynamo.send(new DeleteTableCommand({ TableName: table }));
    rmSync(directory, { recursive: true, force: true });
  });

  afterAll(() => {
    dynamo.destroy();
    streams.destroy();
  });

  // DynamoDB Local numbers stream records from one counter for all its tables, so an iterator taken on a
  // still-empty shard points before that shard's first record once another table has written in between:
  // GetRecords then answers TrimmedDataAccessException. It happens at every fresh `npm start`.
  it('publishes the first event of a table whose empty shard it was already following, logging no error', async () => {
    const busy = await createTable();
    const quiet = await createTable();
    startRelay([busy, quiet]);
    // Let the relay take its iterators on both empty shards and poll them a few times.
    await sleep(300);
    // One transaction, so that no poll of the quiet shard falls between the busy table's write and its own.
    await dynamo.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: busy, Item: marshall({ pk: 'plain#1', sk: 'plain' }) } },
          { Put: { TableName: quiet, Item: marshall(outboxItem(outboxEvent('first-event'), new Date())) } },
          { Put: { TableName: quiet, Item: marshall(outboxItem(outboxEvent('second-event'), new Date())) } },
        ],
      }),
    );

    // Well inside the one-second back-off a failed read waits before retrying.
    await waitFor(() => published().length >= 2, 900);
    expect(published()).toEqual(['first-event', 'second-event']);
    expect(errorLines()).toEqual([]);
  });

  it('keeps publishing each event once across a restart with its checkpoint file, logging no error', async () => {
    const busy = await createTable();
    const quiet = await createTable();
    const checkpointFile = join(directory, 'checkpoints.json');
    startRelay([busy, quiet], checkpointFile);
    await sleep(300);
    await putOutbox(busy, 'before-restart');
    await waitFor(() => published().length >= 1, 5_000);
    await relay?.stop();

    // Written while the relay is down: the quiet table's shard had no checkpoint, the busy one had.
    await dynamo.send(new PutItemCommand({ TableName: busy, Item: marshall({ pk: 'plain#2', sk: 'plain' }) }));
    await putOutbox(quiet, 'while-stopped');
    startRelay([busy, quiet], checkpointFile);
    await sleep(300);
    await putOutbox(busy, 'after-restart');

    await waitFor(() => published().length >= 3, 5_000);
    await sleep(200);
    expect([...published()].sort()).toEqual(['after-restart', 'before-restart', 'while-stopped']);
    expect(errorLines()).toEqual([]);
  });

  // The streams client hands an empty map over as `{}` (no type), which unmarshall refuses: an allocation with no
  // specialists once stopped a table's events for good, retried forever. Only the outbox's own attributes are decoded.
  it('publishes past items it does not relay whatever they hold (an empty map), logging no error', async () => {
    const table = await createTable();
    startRelay([table]);
    await sleep(300);
    await dynamo.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: { TableName: table, Item: marshall({ pk: 'CASE#1', sk: 'ALLOCATION', specialists: {}, nested: { empty: {} }, list: [] }) },
          },
          { Put: { TableName: table, Item: marshall(outboxItem(outboxEvent('after-an-empty-map'), new Date())) } },
        ],
      }),
    );
    await waitFor(() => published().length >= 1, 5_000);
    expect(published()).toEqual(['after-an-empty-map']);
    expect(errorLines()).toEqual([]);
  });

  it('reads the streams again when woken (an invocation ended) instead of waiting out its idle pause', async () => {
    const table = await createTable();
    // An idle pause far longer than the test may run: only a wake can bring the event out.
    const started = startRelay([table], undefined, 10 * 60_000);
    await waitFor(() => (started.emptyReads()[table] ?? 0) >= 1, 10_000);
    await putOutbox(table, 'woken-event');
    started.wake();
    await waitFor(() => published().length >= 1, 10_000);
    expect(published()).toEqual(['woken-event']);
    expect(errorLines()).toEqual([]);
  });

  it("reads only the named tables' streams when woken: one service's invocation leaves the others' to their idle pause", async () => {
    const woken = await createTable();
    const asleep = await createTable();
    // An idle pause far longer than the test may run: only a wake can bring an event out.
    const started = startRelay([woken, asleep], undefined, 10 * 60_000);
    await waitFor(() => (started.emptyReads()[woken] ?? 0) >= 1 && (started.emptyReads()[asleep] ?? 0) >= 1, 10_000);
    await putOutbox(asleep, 'not-woken-event');
    await putOutbox(woken, 'woken-event');
    const asleepReads = started.emptyReads()[asleep];
    started.wake([woken]);
    await waitFor(() => published().length >= 1, 10_000);
    expect(published()).toEqual(['woken-event']);
    expect(started.emptyReads()[asleep]).toBe(asleepReads);

    started.wake([asleep]);
    await waitFor(() => published().length >= 2, 10_000);
    expect(published()).toEqual(['woken-event', 'not-woken-event']);
    expect(errorLines()).toEqual([]);
  });

  // Drill A (ADR 0024): a kill of the local cloud left committed outbox items that neither the relay of the killed
  // process nor its checkpoints carried. With a journal, the relay publishes them at its next start, each once.
  it('publishes at start, once each, outbox items committed while no relay ran that its checkpoint cannot vouch for', async () => {
    const table = await createTable();
    const checkpointFile = join(directory, 'checkpoints.json');
    const journalFile = join(directory, 'journal.jsonl');
    startRelay([table], checkpointFile, 20, journalFile);
    await putOutbox(table, 'before-the-kill');
    await waitFor(() => published().length >= 1, 10_000);
    await relay?.stop();

    await putOutbox(table, 'committed-while-down-1');
    await putOutbox(table, 'committed-while-down-2');
    await checkpointsClaimingEverything(checkpointFile, table);
    // The killed relay's last journal line, torn mid-write.
    appendFileSync(journalFile, '{"relayed":"before-the-');

    const restarted = startRelay([table], checkpointFile, 20, journalFile);
    await waitFor(() => restarted.recovered(), 10_000);
    expect([...published()].sort()).toEqual(['before-the-kill', 'committed-while-down-1', 'committed-while-down-2']);
    expect(restarted.published()).toBe(2);
    expect(lines.map((line) => JSON.parse(line) as { level: string; message: string })).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: expect.stringMatching(/^published 2 events committed before this start/) }),
    );
    expect(errorLines()).toEqual([]);

    // The next start has nothing left to recover, and publishes nothing again.
    await relay?.stop();
    const again = startRelay([table], checkpointFile, 20, journalFile);
    await waitFor(() => again.recovered(), 10_000);
    expect(again.published()).toBe(0);
    expect(published()).toHaveLength(3);
  });

  it("recovers an outbox item dated before the relay's start when the functions' clock was moved back", async () => {
    const table = await createTable();
    const checkpointFile = join(directory, 'checkpoints.json');
    const journalFile = join(directory, 'journal.jsonl');
    // An idle pause far longer than the test may run, and no wake: the stream is read once, before the write.
    const first = startRelay([table], checkpointFile, 10 * 60_000, journalFile);
    await waitFor(() => first.recovered() && (first.emptyReads()[table] ?? 0) >= 1, 10_000);
    const daysAgo = new Date(Date.now() - 15 * 24 * 60 * 60 * 1000);
    first.functionsClockMovedTo(daysAgo.getTime());
    await putOutbox(table, 'dated-15-days-ago', daysAgo);
    await relay?.stop();
    expect(published()).toEqual([]);

    await checkpointsClaimingEverything(checkpointFile, table);
    const restarted = startRelay([table], checkpointFile, 10 * 60_000, journalFile);
    await waitFor(() => restarted.recovered(), 10_000);
    expect(published()).toEqual(['dated-15-days-ago']);
    expect(errorLines()).toEqual([]);
  });

  it('reads nothing at start without a journal (in memory), as before', async () => {
    const table = await createTable();
    await putOutbox(table, 'seen-by-the-stream-only');
    const started = startRelay([table]);
    expect(started.recovered()).toBe(true);
    await waitFor(() => published().length >= 1, 10_000);
    expect(published()).toEqual(['seen-by-the-stream-only']);
  });

  it('still reports a stream that cannot be read at ERROR', async () => {
    startRelay([`relay-missing-${randomUUID()}`]);
    await waitFor(() => errorLines().length > 0, 5_000);
    expect(JSON.parse(errorLines()[0]!)).toMatchObject({
      level: 'ERROR',
      component: 'outbox-relay',
      message: 'relay stopped for this table',
    });
  });
});
