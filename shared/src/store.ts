/**
 * What every service's store does the same way: a conditional write whose refusal is an answer
 * (already there, version moved), and reading a whole partition whose items are told apart by
 * their sort key (a case and its chronology, a case and its supervisions).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type * as core from 'zod/v4/core';
import { isConditionalCheckFailed } from './dynamo-errors';
import { queryAll } from './query';
import { parseStoredItem, StoredItemError } from './stored-item';

/**
 * Sends one conditional `PutItem`/`UpdateItem`/`DeleteItem`: true when it was written, false when
 * its ConditionExpression refused it. Any other failure is thrown.
 */
export async function conditionalWrite(send: () => Promise<unknown>): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** One kind of item a partition holds: its sort key (exact, or a prefix), its schema and what to call it in errors. */
export interface ItemFamily<S extends core.$ZodType = core.$ZodType> {
  sortKey: { equals: string } | { prefix: string };
  schema: S;
  description: string;
}

export const itemFamily = <S extends core.$ZodType>(sortKey: ItemFamily['sortKey'], schema: S, description: string): ItemFamily<S> => ({
  sortKey,
  schema,
  description,
});

const belongsTo = (family: ItemFamily, sk: string): boolean =>
  'equals' in family.sortKey ? sk === family.sortKey.equals : sk.startsWith(family.sortKey.prefix);

export type PartitionItems<F extends Record<string, ItemFamily>> = { [K in keyof F]: core.output<F[K]['schema']>[] };

/**
 * Every item of partition `pk` in one Query (every page), each validated by the family its sort key
 * belongs to, in sort-key order within each family. An item no family claims is a StoredItemError:
 * a partition holds only what this service writes there.
 */
export async function readPartition<const F extends Record<string, ItemFamily>>(
  documents: DynamoDBDocumentClient,
  input: { tableName: string; pk: string; consistentRead?: boolean },
  families: F,
): Promise<PartitionItems<F>> {
  const entries = Object.entries(families);
  const found = Object.fromEntries(entries.map(([name]) => [name, [] as unknown[]]));
  const items = await queryAll(documents, {
    TableName: input.tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': input.pk },
    ConsistentRead: input.consistentRead ?? false,
  });
  for (const item of items) {
    const sk = typeof item.sk === 'string' ? item.sk : '';
    const match = entries.find(([, family]) => belongsTo(family, sk));
    if (!match) throw new StoredItemError(`Partition ${input.pk} holds an item this service does not know: ${String(item.sk)}`);
    const [name, family] = match;
    found[name]!.push(parseStoredItem(family.schema, item, family.description));
  }
  return found as PartitionItems<F>;
}
