/**
 * The bench's own reader of every table's stream (NEW_IMAGE), from the table's first write: it
 * keeps each item's latest image, so that every write the stream shows can be priced from the
 * item before and after it (write-units.ts), which is what a transaction's items need since
 * DynamoDB Local's answer for a transaction is wrong (ADR 0034). Read between the bench's steps,
 * once the local cloud has settled: what a read returns is what the step wrote.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../infra/local/src/dynamodb-local';
import { withoutSdkLogging } from '../shared/src/sdk-client';
import { TABLE_KEYS } from '../shared/src/table';
import { type Image, type IndexKeys, itemSize, type WriteUnits, writeUnits } from './write-units';

/** One write as the stream shows it, priced as it would be outside a transaction. */
export interface LedgerWrite {
  table: string;
  pk: string;
  sk: string;
  units: WriteUnits;
}

export interface StreamLedger {
  /** The writes since the last call, in stream order. */
  writes(): Promise<LedgerWrite[]>;
  /** The item's size now (0: no such item), as of the last `writes()`. */
  sizeOf(table: string, pk: string, sk: string): number;
  close(): void;
}

const INDEXES: readonly IndexKeys[] = [TABLE_KEYS.gsi1];

export function openStreamLedger(dynamo: DynamoDBClient, endpoint: string, tables: readonly string[]): StreamLedger {
  const streams = withoutSdkLogging(new DynamoDBStreamsClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  const images = new Map<string, Image>();
  const iterators = new Map<string, string | null>();
  const streamArns = new Map<string, string>();
  const itemKey = (table: string, pk: string, sk: string) => `${table}\u0000${pk}\u0000${sk}`;

  async function shardsOf(table: string): Promise<{ arn: string; shards: Shard[] }> {
    let arn = streamArns.get(table);
    if (!arn) {
      arn = (await dynamo.send(new DescribeTableCommand({ TableName: table }))).Table?.LatestStreamArn;
      if (!arn) throw new Error(`table ${table} has no stream`);
      streamArns.set(table, arn);
    }
    const shards: Shard[] = [];
    let after: string | undefined;
    do {
      const page = await streams.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: after }));
      shards.push(...(page.StreamDescription?.Shards ?? []));
      after = page.StreamDescription?.LastEvaluatedShardId;
    } while (after);
    return { arn, shards };
  }

  async function read(table: string): Promise<LedgerWrite[]> {
    const { arn, shards } = await shardsOf(table);
    const written: LedgerWrite[] = [];
    // DescribeStream lists a parent shard before its children: read in that order, each to its end so far.
    for (const shard of shards) {
      const shardId = shard.ShardId as string;
      let iterator = iterators.get(shardId);
      if (iterator === null) continue;
      if (iterator === undefined)
        iterator = (
          await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))
        ).ShardIterator;
      while (iterator) {
        const page: GetRecordsCommandOutput = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        for (const record of page.Records ?? []) {
          const keys = record.dynamodb?.Keys as Image | undefined;
          const pk = keys?.pk?.S;
          const sk = keys?.sk?.S;
          if (pk === undefined || sk === undefined) continue;
          const key = itemKey(table, pk, sk);
          const before = images.get(key);
          const after = record.eventName === 'REMOVE' ? undefined : (record.dynamodb?.NewImage as Image | undefined);
          written.push({ table, pk, sk, units: writeUnits(before, after, INDEXES) });
          if (after) images.set(key, after);
          else images.delete(key);
        }
        iterators.set(shardId, page.NextShardIterator ?? null);
        if ((page.Records ?? []).length === 0) break;
        iterator = page.NextShardIterator;
      }
    }
    return written;
  }

  return {
    async writes() {
      const all: LedgerWrite[] = [];
      for (const table of tables) all.push(...(await read(table)));
      return all;
    },
    sizeOf(table, pk, sk) {
      const image = images.get(itemKey(table, pk, sk));
      return image ? itemSize(image) : 0;
    },
    close: () => streams.destroy(),
  };
}
