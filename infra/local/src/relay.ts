import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isOutboxImage } from '@fsp/shared/outbox';

/**
 * The outbox relay: what EventBridge Pipes does in AWS. It reads each table's stream, keeps the
 * outbox items (INSERTs of `kind = outbox`), puts them on the bus and only then moves its
 * checkpoint, so a crash between reading and publishing publishes again rather than never
 * (consumers de-duplicate on eventId). Entries PutEvents reports as failed are retried alone.
 */
/** What the relay reads of an item: an outbox item's own attributes, all strings. */
const OUTBOX_ATTRIBUTES = ['pk', 'kind', 'source', 'detailType', 'detail'] as const;

/**
 * Only the outbox's attributes of a stream image are decoded. Every other item of the table passes
 * through the stream too, and the streams client hands some values over in a form unmarshall
 * refuses (an empty map arrives as `{}`, with no type): decoding a whole image would let any item
 * the relay has no business with stop the table's events for good.
 */
function outboxAttributesOf(image: NonNullable<NonNullable<StreamRecord['dynamodb']>['NewImage']>): Record<string, unknown> {
  const picked = Object.fromEntries(OUTBOX_ATTRIBUTES.flatMap((name) => (image[name]?.S !== undefined ? [[name, image[name]]] : [])));
  // biome-ignore lint/suspicious/noExplicitAny: the streams and util-dynamodb AttributeValue types are structurally equal
  return unmarshall(picked as any) as Record<string, unknown>;
}

export interface OutboxRelayOptions {
  tables: readonly string[];
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  eventBridge: EventBridgeClient;
  busName: string;
  /** File to keep each shard's last published sequence number in; in memory when undefined. */
  checkpointFile?: string;
  pollIntervalMs?: number;
  log?: (line: string) => void;
  /** Where routine stream housekeeping is told (see `iteratorAfterTrim`); nowhere when undefined. */
  debug?: (line: string) => void;
}

export interface OutboxRelay {
  start(): void;
  stop(): Promise<void>;
  /**
   * Reads every stream now rather than after the idle pause: the local cloud calls it when a function
   * invocation has ended, since that is when new outbox items may have been committed, and at short
   * intervals for WAKE_WINDOW_MS after. What EventBridge Pipes' continuous polling gives in AWS,
   * without the relay polling faster while nothing is invoked.
   */
  wake(): void;
  /** Events put on the bus since start (for the ready screen and tests). */
  published(): number;
  /**
   * For each table, how many times the relay has read every shard of its stream and found nothing:
   * once a table's count has gone up by two, a whole read began after the moment the counts were
   * taken, so nothing written before that moment is still waiting in its outbox.
   */
  emptyReads(): Record<string, number>;
}

type ShardCheckpoint = { sequenceNumber?: string; closed?: boolean };
type Checkpoints = Record<string, Record<string, ShardCheckpoint>>;

const MAX_PUT_EVENTS_ENTRIES = 10;
const MAX_PUBLISH_BACKOFF_MS = 5_000;
/**
 * After a wake the streams are read at short intervals for a while, not once: DynamoDB Local shows a
 * committed write on its stream a moment later (longer on a loaded machine), so a single read at the
 * wake could miss it and leave it for the idle pause.
 */
const WAKE_WINDOW_MS = 2_000;
const WOKEN_PAUSE_MS = 25;

export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const pollIntervalMs = options.pollIntervalMs ?? 50;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const checkpoints: Checkpoints = options.checkpointFile ? readCheckpoints(options.checkpointFile) : {};
  let running = false;
  let publishedCount = 0;
  const loops: Promise<void>[] = [];
  const wakeups = new Set<() => void>();
  /** The idle pauses only (not a publish's backoff): what `wake` ends. */
  const idleWakeups = new Set<() => void>();
  /** Set by `wake` while a read is under way, so that read is followed by another rather than a pause. */
  const wokenDuringRead: Record<string, boolean> = {};
  /** Until when each table's empty reads take the short pause rather than the idle one (WAKE_WINDOW_MS). */
  const wokenUntil: Record<string, number> = {};
  const emptyReads: Record<string, number> = Object.fromEntries(options.tables.map((table) => [table, 0]));

  function saveCheckpoint(streamArn: string, shardId: string, checkpoint: ShardCheckpoint): void {
    checkpoints[streamArn] = { ...checkpoints[streamArn], [shardId]: checkpoint };
    if (!options.checkpointFile) return;
    mkdirSync(dirname(options.checkpointFile), { recursive: true });
    const temporary = `${options.checkpointFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(checkpoints, null, 2));
    renameSync(temporary, options.checkpointFile);
  }

  const pause = (ms: number, idle = false) =>
    new Promise<void>((resolve) => {
      // Stopped while a read was under way: `stop` has woken the pauses already taken, not this one.
      if (!running) {
        resolve();
        return;
      }
      const wake = () => {
        clearTimeout(timer);
        wakeups.delete(wake);
        idleWakeups.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakeups.add(wake);
      if (idle) idleWakeups.add(wake);
    });

  async function publish(records: readonly StreamRecord[]): Promise<void> {
    const entries: PutEventsRequestEntry[] = [];
    for (const record of records) {
      if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
      const image = outboxAttributesOf(record.dynamodb.NewImage);
      if (!isOutboxImage(image)) continue;
      entries.push({
        EventBusName: options.busName,
        Source: String(image.source),
        DetailType: String(image.detailType),
        Detail: String(image.detail),
      });
    }
    for (let start = 0; start < entries.length; start += MAX_PUT_EVENTS_ENTRIES) {
      await putUntilAccepted(entries.slice(start, start + MAX_PUT_EVENTS_ENTRIES));
    }
  }

  async function putUntilAccepted(batch: PutEventsRequestEntry[]): Promise<void> {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      try {
        const result = await options.eventBridge.send(new PutEventsCommand({ Entries: pending }));
        const failed = pending.filter((_, index) => result.Entries?.[index]?.ErrorCode !== undefined);
        publishedCount += pending.length - failed.length;
        if (failed.length > 0) {
          const reasons = (result.Entries ?? [])
            .filter((entry) => entry.ErrorCode)
            .map((entry) => `${entry.ErrorCode}: ${entry.ErrorMessage}`);
          log(
            JSON.stringify({ level: 'WARN', component: 'outbox-relay', message: 'PutEvents failed entries; retrying those only', reasons }),
          );
        }
        pending = failed;
      } catch (error) {
        log(
          JSON.stringify({
            level: 'WARN',
            component: 'outbox-relay',
            message: 'PutEvents failed; retrying the batch',
            error: String(error),
          }),
        );
      }
      if (pending.length > 0) {
        if (!running)
          throw new Error('relay stopped with events still unpublished; they stay in the stream and are published after restart');
        await pause(Math.min(MAX_PUBLISH_BACKOFF_MS, 50 * 2 ** attempt));
      }
    }
  }

  async function iteratorFor(streamArn: string, shardId: string): Promise<string | undefined> {
    const sequenceNumber = checkpoints[streamArn]?.[shardId]?.sequenceNumber;
    if (!sequenceNumber) return trimHorizonIterator(streamArn, shardId);
    try {
      const result = await options.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
          SequenceNumber: sequenceNumber,
        }),
      );
      return result.ShardIterator;
    } catch (error) {
      if (!(error instanceof TrimmedDataAccessException)) throw error;
      return iteratorAfterTrim(streamArn, shardId);
    }
  }

  async function trimHorizonIterator(streamArn: string, shardId: string): Promise<string | undefined> {
    const result = await options.streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    return result.ShardIterator;
  }

  /**
   * A fresh iterator for a shard whose iterator pointed before the oldest record still in it. The
   * DynamoDB Streams API reference says TrimmedDataAccessException means "The operation attempted to
   * read past the oldest stream record in a shard", and that it is raised when "You request a shard
   * iterator with a sequence number older than the trim point" or when "You obtain a shard iterator,
   * but before you use the iterator in a GetRecords request, a stream record in the shard exceeds the
   * 24 hour period and is trimmed". DynamoDB Local raises it far more often: it numbers the records of
   * all its tables from one counter, so an iterator taken on a still-empty shard (every table at a
   * fresh start) points before that shard's first record as soon as another table has written first.
   *
   * TRIM_HORIZON is the oldest record still in the shard; the stale iterator pointed before it, so
   * every record from there on is one this relay has not published yet (it checkpoints each page it
   * publishes), and none still in the stream is skipped. Records the stream had already dropped are
   * beyond anyone's reach; when this shard had a checkpoint that is worth a line in the log.
   */
  async function iteratorAfterTrim(streamArn: string, shardId: string): Promise<string | undefined> {
    const checkpoint = checkpoints[streamArn]?.[shardId]?.sequenceNumber;
    const line = JSON.stringify({
      level: checkpoint ? 'INFO' : 'DEBUG',
      component: 'outbox-relay',
      message: checkpoint
        ? `records after sequence number ${checkpoint} had been trimmed from shard ${shardId}; resuming at the oldest record still in it`
        : `shard ${shardId} was empty when first read; reading it again from its oldest record`,
    });
    if (checkpoint) log(line);
    else options.debug?.(line);
    return trimHorizonIterator(streamArn, shardId);
  }

  async function listShards(streamArn: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const page = await options.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      shards.push(...(page.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return shards;
  }

  /** One table's stream: shards in parent-before-child order, each read to its end. */
  async function follow(tableName: string): Promise<void> {
    const table = await options.dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`table ${tableName} has no stream; the outbox needs one (see shared/src/table.ts)`);
    const iterators = new Map<string, string | undefined>();
    let lastDiscovery = 0;
    let shards: Shard[] = [];
    while (running) {
      try {
        // A stream with no shard yet (a new table, before its first write) is looked at again on every read.
        if (shards.length === 0 || Date.now() - lastDiscovery > 1_000) {
          shards = await listShards(streamArn);
          lastDiscovery = Date.now();
        }
        let sawRecords = false;
        wokenDuringRead[tableName] = false;
        const done = checkpoints[streamArn] ?? {};
        const known = new Set(shards.map((shard) => shard.ShardId));
        for (const shard of shards) {
          const shardId = shard.ShardId!;
          if (done[shardId]?.closed) continue;
          const parent = shard.ParentShardId;
          if (parent && known.has(parent) && !checkpoints[streamArn]?.[parent]?.closed) continue;
          if (!iterators.has(shardId)) iterators.set(shardId, await iteratorFor(streamArn, shardId));
          const iterator = iterators.get(shardId);
          if (!iterator) continue;
          let page: GetRecordsCommandOutput;
          try {
            page = await options.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
          } catch (error) {
            if (error instanceof ExpiredIteratorException) {
              iterators.delete(shardId);
              continue;
            }
            if (error instanceof TrimmedDataAccessException) {
              iterators.set(shardId, await iteratorAfterTrim(streamArn, shardId));
              continue;
            }
            throw error;
          }
          const records = page.Records ?? [];
          if (records.length > 0) {
            sawRecords = true;
            await publish(records);
            saveCheckpoint(streamArn, shardId, { sequenceNumber: records.at(-1)?.dynamodb?.SequenceNumber });
          }
          if (page.NextShardIterator) iterators.set(shardId, page.NextShardIterator);
          else {
            saveCheckpoint(streamArn, shardId, { ...checkpoints[streamArn]?.[shardId], closed: true });
            iterators.delete(shardId);
            lastDiscovery = 0;
          }
        }
        if (!sawRecords) {
          emptyReads[tableName] = (emptyReads[tableName] ?? 0) + 1;
          const woken = Date.now() < (wokenUntil[tableName] ?? 0);
          if (!wokenDuringRead[tableName]) await pause(woken ? Math.min(pollIntervalMs, WOKEN_PAUSE_MS) : pollIntervalMs, true);
        }
      } catch (error) {
        if (!running) return;
        log(
          JSON.stringify({
            level: 'ERROR',
            component: 'outbox-relay',
            table: tableName,
            message: 'stream read failed; retrying',
            error: String(error),
          }),
        );
        iterators.clear();
        await pause(1_000);
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      for (const table of options.tables) {
        loops.push(
          follow(table).catch((error) => {
            log(
              JSON.stringify({
                level: 'ERROR',
                component: 'outbox-relay',
                table,
                message: 'relay stopped for this table',
                error: String(error),
              }),
            );
          }),
        );
      }
    },
    async stop() {
      running = false;
      for (const wake of [...wakeups]) wake();
      await Promise.all(loops.splice(0));
    },
    wake() {
      const until = Date.now() + WAKE_WINDOW_MS;
      for (const table of options.tables) {
        wokenDuringRead[table] = true;
        wokenUntil[table] = until;
      }
      for (const wake of [...idleWakeups]) wake();
    },
    published: () => publishedCount,
    emptyReads: () => ({ ...emptyReads }),
  };
}

function readCheckpoints(file: string): Checkpoints {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  return JSON.parse(text) as Checkpoints;
}
