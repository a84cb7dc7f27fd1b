import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
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
import { isOutboxImage, OUTBOX_KIND, OUTBOX_PREFIX } from '@fsp/shared/outbox';
import { z } from 'zod';

/**
 * The outbox relay: what EventBridge Pipes does in AWS. It reads each table's stream, keeps the
 * outbox items (INSERTs of `kind = outbox`), puts them on the bus and only then moves its
 * checkpoint, so a crash between reading and publishing publishes again rather than never
 * (consumers de-duplicate on eventId). Entries PutEvents reports as failed are retried alone.
 */
/** What the relay reads of an item: an outbox item's own attributes, all strings. */
const OUTBOX_ATTRIBUTES = ['pk', 'kind', 'source', 'detailType', 'detail', 'createdAt'] as const;

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
  /**
   * File of the event ids the relay has put on the bus, and from when on outbox items may not have
   * been (see `createOutboxRelay`). With it, the relay publishes at start the outbox items committed
   * before a crash that neither its journal nor the stream carried, and publishes no event id twice
   * from its own side. Without it (in memory) the relay reads the streams only, as before.
   */
  journalFile?: string;
  /** The functions' clock now (the outbox items' `createdAt`), when it may differ from this process's; defaults to `Date.now`. */
  functionsNow?: () => number;
  pollIntervalMs?: number;
  log?: (line: string) => void;
  /** Where routine stream housekeeping is told (see `iteratorAfterTrim`); nowhere when undefined. */
  debug?: (line: string) => void;
}

export interface OutboxRelay {
  start(): void;
  stop(): Promise<void>;
  /**
   * Reads the streams of `tables` (every table's when not given) now rather than after the idle
   * pause, and at short intervals for WAKE_WINDOW_MS after: the local cloud calls it when a function
   * invocation that may have committed outbox items has ended, naming that function's table. What
   * EventBridge Pipes' continuous polling gives in AWS, without the relay polling faster while
   * nothing is invoked, or reading other services' streams for one service's write.
   */
  wake(tables?: readonly string[]): void;
  /** Events put on the bus since start (for the ready screen and tests). */
  published(): number;
  /**
   * Whether the start-up's look at the outbox items the journal cannot vouch for is over (true at
   * once without a journal): until then events committed before the start may still be published.
   */
  recovered(): boolean;
  /**
   * The functions' clock is about to read `at` (a test or the seed moving it, FunctionRuntime's
   * clock offset): outbox items may carry a `createdAt` that early from now on, so the journal's
   * "from when" moves back to it, on disk before this returns.
   */
  functionsClockMovedTo(at: number): void;
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

/**
 * Whether an invocation may have committed outbox items, so that the relay should read its table's
 * stream at once: not a GET or HEAD through the gateway, which changes no fact another service
 * subscribes to (a page's audit item is no outbox item). Were one to, the relay's idle poll would
 * still publish it, a poll later; waking for every page read made the relay read four streams
 * while the next request was being served (ADR 0031).
 */
export function mayCommitOutboxItems(event: unknown): boolean {
  const method = (event as { requestContext?: { http?: { method?: unknown } } } | null)?.requestContext?.http?.method;
  return method !== 'GET' && method !== 'HEAD';
}

export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const pollIntervalMs = options.pollIntervalMs ?? 50;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const checkpoints: Checkpoints = options.checkpointFile ? readCheckpoints(options.checkpointFile) : {};
  const functionsNow = options.functionsNow ?? Date.now;
  const journal = options.journalFile ? openJournal(options.journalFile, functionsNow()) : undefined;
  let recovery: Promise<void> | undefined;
  let recoveryDone = journal === undefined;
  let running = false;
  let publishedCount = 0;
  const loops: Promise<void>[] = [];
  const wakeups = new Set<() => void>();
  /** Each table's idle pause only (not a publish's backoff): what `wake` ends. */
  const idleWakeups = new Map<string, () => void>();
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

  const pause = (ms: number, idleTable?: string) =>
    new Promise<void>((resolve) => {
      // Stopped while a read was under way: `stop` has woken the pauses already taken, not this one.
      if (!running) {
        resolve();
        return;
      }
      const wake = () => {
        clearTimeout(timer);
        wakeups.delete(wake);
        if (idleTable !== undefined && idleWakeups.get(idleTable) === wake) idleWakeups.delete(idleTable);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakeups.add(wake);
      if (idleTable !== undefined) idleWakeups.set(idleTable, wake);
    });

  async function publish(records: readonly StreamRecord[]): Promise<void> {
    const images: Record<string, unknown>[] = [];
    for (const record of records) {
      if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
      images.push(outboxAttributesOf(record.dynamodb.NewImage));
    }
    await publishImages(images);
  }

  /**
   * Puts the outbox items among `images` on the bus, ten at a time. With a journal, an event id it
   * has already put there (or is putting, from the stream or from the start-up's recovery) is left
   * out, and each batch is journaled once the bus has accepted it.
   */
  async function publishImages(images: readonly Record<string, unknown>[]): Promise<number> {
    const outbox: { eventId: string; createdAt: string; entry: PutEventsRequestEntry }[] = [];
    for (const image of images) {
      if (!isOutboxImage(image)) continue;
      const eventId = String(image.pk).slice(OUTBOX_PREFIX.length);
      if (journal) {
        if (journal.claimed.has(eventId)) continue;
        journal.claimed.add(eventId);
      }
      outbox.push({
        eventId,
        createdAt: String(image.createdAt ?? ''),
        entry: {
          EventBusName: options.busName,
          Source: String(image.source),
          DetailType: String(image.detailType),
          Detail: String(image.detail),
        },
      });
    }
    for (let start = 0; start < outbox.length; start += MAX_PUT_EVENTS_ENTRIES) {
      const batch = outbox.slice(start, start + MAX_PUT_EVENTS_ENTRIES);
      await putUntilAccepted(batch.map(({ entry }) => entry));
      journal?.relayed(batch);
    }
    return outbox.length;
  }

  /**
   * The start-up's recovery (journal only). DynamoDB Local keeps a table's stream records across a
   * kill, but not necessarily the outbox items the relay of the killed process had read and not yet
   * published, nor does anything but the checkpoints say where the stream was (ADR 0024). So every
   * outbox item created since the journal's "from when" that the journal does not name is published
   * now. One Scan of each table at start, never in a request path, reading only outbox items of that
   * period (AWS needs none of it: its streams keep records 24 hours and Pipes its position).
   */
  async function recover(activeJournal: Journal): Promise<void> {
    const since = activeJournal.since;
    let checked = 0;
    let republished = 0;
    for (const tableName of options.tables) {
      let exclusiveStartKey: ScanCommandOutput['LastEvaluatedKey'];
      for (;;) {
        if (!running) return;
        let page: ScanCommandOutput;
        try {
          page = await options.dynamo.send(
            new ScanCommand({
              TableName: tableName,
              FilterExpression: '#kind = :outbox AND #createdAt >= :since',
              ProjectionExpression: OUTBOX_ATTRIBUTES.map((name) => `#${name}`).join(', '),
              ExpressionAttributeNames: Object.fromEntries(OUTBOX_ATTRIBUTES.map((name) => [`#${name}`, name])),
              ExpressionAttributeValues: { ':outbox': { S: OUTBOX_KIND }, ':since': { S: since } },
              ExclusiveStartKey: exclusiveStartKey,
            }),
          );
        } catch (error) {
          if (!running) return;
          log(
            JSON.stringify({
              level: 'WARN',
              component: 'outbox-relay',
              table: tableName,
              message: 'start-up read of the outbox failed; retrying',
              error: String(error),
            }),
          );
          await pause(1_000);
          continue;
        }
        checked += page.Items?.length ?? 0;
        // biome-ignore lint/suspicious/noExplicitAny: the client-dynamodb and streams AttributeValue types are structurally equal
        republished += await publishImages((page.Items ?? []).map((item) => outboxAttributesOf(item as any)));
        exclusiveStartKey = page.LastEvaluatedKey;
        if (!exclusiveStartKey) break;
      }
    }
    activeJournal.compact();
    const line = {
      component: 'outbox-relay',
      message:
        republished > 0
          ? `published ${republished} events committed before this start that had not been put on the bus (${checked} outbox items since ${since} checked)`
          : `every outbox item since ${since} had been put on the bus (${checked} checked)`,
    };
    // Worth an operator's attention only when a crash had left something to publish.
    if (republished > 0) log(JSON.stringify({ level: 'WARN', ...line }));
    else options.debug?.(JSON.stringify({ level: 'DEBUG', ...line }));
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
          if (!wokenDuringRead[tableName]) await pause(woken ? Math.min(pollIntervalMs, WOKEN_PAUSE_MS) : pollIntervalMs, tableName);
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
      if (journal && !recoveryDone) {
        recovery = recover(journal).then(
          () => {
            recoveryDone = running;
          },
          (error: unknown) => {
            // Stopped while publishing: the next start looks again, the journal's "from when" unchanged.
            if (!running) return;
            log(JSON.stringify({ level: 'ERROR', component: 'outbox-relay', message: 'start-up recovery stopped', error: String(error) }));
          },
        );
      }
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
      await Promise.all([...loops.splice(0), recovery]);
    },
    wake(tables = options.tables) {
      const until = Date.now() + WAKE_WINDOW_MS;
      for (const table of tables) {
        if (!options.tables.includes(table)) continue;
        wokenDuringRead[table] = true;
        wokenUntil[table] = until;
        idleWakeups.get(table)?.();
      }
    },
    published: () => publishedCount,
    recovered: () => recoveryDone,
    functionsClockMovedTo(at) {
      journal?.clockMovedTo(at);
    },
    emptyReads: () => ({ ...emptyReads }),
  };
}

const journalLineSchema = z.union([z.object({ since: z.iso.datetime() }), z.object({ relayed: z.string().min(1), createdAt: z.string() })]);

/** The relay's journal, open: what it holds and how it grows. */
interface Journal {
  /** Outbox items created from then on (functions' clock, ISO) may not have been put on the bus. */
  readonly since: string;
  /** Event ids put on the bus (journaled) or being put there by this relay. */
  readonly claimed: Set<string>;
  relayed(batch: readonly { eventId: string; createdAt: string }[]): void;
  clockMovedTo(at: number): void;
  /** After the start-up's recovery: only what this run may still have to recover, from this run's start on. */
  compact(): void;
}

/**
 * The relay's journal: JSON lines, `{"since": …}` (from when outbox items may not have been put on
 * the bus; the earliest line counts) and `{"relayed": eventId, "createdAt": …}` once the bus has
 * accepted an event. A `since` line is fsynced, being what bounds the next start's recovery; a
 * `relayed` line is not: one lost to a crash only has its event published again, which consumers
 * de-duplicate. A line torn by a kill (the last one) is ignored for the same reason.
 *
 * A data directory without a journal (a first start, or one kept from before it existed) starts one
 * now: outbox items created before this start are the stream's alone to carry.
 */
function openJournal(file: string, startedAt: number): Journal {
  const relayedAt = new Map<string, string>();
  let earliest: string | undefined;
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const lines = (text ?? '').split('\n').filter((line) => line.trim() !== '');
  lines.forEach((line, index) => {
    let parsed: z.infer<typeof journalLineSchema>;
    try {
      parsed = journalLineSchema.parse(JSON.parse(line));
    } catch (error) {
      if (index === lines.length - 1) return;
      throw new Error(`relay journal ${file}, line ${index + 1}, is not valid: ${String(error)}`);
    }
    if ('since' in parsed) {
      if (earliest === undefined || parsed.since < earliest) earliest = parsed.since;
    } else relayedAt.set(parsed.relayed, parsed.createdAt);
  });
  const runSince = new Date(startedAt).toISOString();
  // This run's own items: from its start, or earlier if the functions' clock is moved back.
  let runEarliest = runSince;
  const since = earliest ?? runSince;
  mkdirSync(dirname(file), { recursive: true });
  const appendDurably = (line: string) => {
    const descriptor = openSync(file, 'a');
    try {
      appendFileSync(descriptor, line);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
  };
  if (text !== undefined && !text.endsWith('\n') && text !== '') appendFileSync(file, '\n');
  appendDurably(`${JSON.stringify({ since: runSince })}\n`);
  return {
    since,
    claimed: new Set(relayedAt.keys()),
    relayed(batch) {
      if (batch.length === 0) return;
      for (const { eventId, createdAt } of batch) relayedAt.set(eventId, createdAt);
      appendFileSync(file, batch.map(({ eventId, createdAt }) => `${JSON.stringify({ relayed: eventId, createdAt })}\n`).join(''));
    },
    clockMovedTo(at) {
      const moved = new Date(at).toISOString();
      if (moved >= runEarliest) return;
      runEarliest = moved;
      appendDurably(`${JSON.stringify({ since: moved })}\n`);
    },
    compact() {
      const kept = [...relayedAt].filter(([, createdAt]) => createdAt >= runEarliest);
      const temporary = `${file}.${process.pid}.tmp`;
      const descriptor = openSync(temporary, 'w');
      try {
        const lines = [
          JSON.stringify({ since: runEarliest }),
          ...kept.map(([relayed, createdAt]) => JSON.stringify({ relayed, createdAt })),
        ];
        writeFileSync(descriptor, `${lines.join('\n')}\n`);
        fsyncSync(descriptor);
      } finally {
        closeSync(descriptor);
      }
      renameSync(temporary, file);
    },
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
