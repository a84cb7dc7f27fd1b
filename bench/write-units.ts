/**
 * What AWS bills for a write, worked out from the item before and after it (ADR 0034). The bench
 * needs it because DynamoDB Local's answer for a transaction adds up only the distinct per-item
 * figures; its answers for single writes are right and are used as they come. Pure.
 *
 * - An item's size is DynamoDB's: each attribute's name in UTF-8 bytes plus its value (a string
 *   its UTF-8 bytes, a number one byte per two significant digits plus one, a boolean or null one
 *   byte, a list or map three bytes plus each element and one byte per element).
 * - A write costs one unit per KB (rounded up) of the larger of the item before and after it; a
 *   delete, of the item deleted.
 * - An index with every attribute projected (the platform's gsi1) costs a write per KB of the index
 *   entry put, updated or deleted; an item whose index keys change costs a delete and a put.
 * - In a transaction every item costs twice (prepare and commit), its index writes included, as
 *   DynamoDB Local answers for a transaction of one item; a condition check costs as a write of the
 *   item it checks.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type Image = Record<string, AttributeValue>;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** A number's stored size: one byte per two significant digits, plus one. */
function numberSize(text: string): number {
  const digits = text
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

export function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, entry) => sum + utf8(entry), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, entry) => sum + numberSize(entry), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, entry) => sum + entry.length, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, entry) => sum + valueSize(entry) + 1, 0);
  if (value.M !== undefined) return 3 + Object.entries(value.M).reduce((sum, [name, entry]) => sum + utf8(name) + valueSize(entry) + 1, 0);
  return 0;
}

/** An item's size in bytes, as DynamoDB counts it for capacity. */
export const itemSize = (image: Image): number =>
  Object.entries(image).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);

const KB = 1024;
const units = (bytes: number) => Math.max(1, Math.ceil(bytes / KB));

/** An index's key attributes: an item is in the index when it has both. */
export interface IndexKeys {
  partitionKey: string;
  sortKey: string;
}

const indexKeyOf = (image: Image | undefined, index: IndexKeys): string | undefined => {
  const partition = image?.[index.partitionKey]?.S;
  const sort = image?.[index.sortKey]?.S;
  return partition !== undefined && sort !== undefined ? `${partition}\u0000${sort}` : undefined;
};

export interface WriteUnits {
  table: number;
  indexes: number;
}

/** One write's units outside a transaction: the item before (absent: new) and after (absent: deleted). */
export function writeUnits(before: Image | undefined, after: Image | undefined, indexes: readonly IndexKeys[]): WriteUnits {
  const beforeSize = before ? itemSize(before) : 0;
  const afterSize = after ? itemSize(after) : 0;
  let indexUnits = 0;
  for (const index of indexes) {
    const was = indexKeyOf(before, index);
    const is = indexKeyOf(after, index);
    if (was !== undefined && is !== undefined && was === is) indexUnits += units(Math.max(beforeSize, afterSize));
    else {
      if (was !== undefined) indexUnits += units(beforeSize);
      if (is !== undefined) indexUnits += units(afterSize);
    }
  }
  return { table: units(Math.max(beforeSize, afterSize)), indexes: indexUnits };
}

/** The same write inside a transaction: everything twice. */
export const transactionalUnits = (write: WriteUnits): number => 2 * (write.table + write.indexes);

/** A transaction's condition check on an item of `size` bytes (0: no such item). */
export const conditionCheckUnits = (size: number): number => 2 * units(size);
