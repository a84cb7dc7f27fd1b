/**
 * Reading a service's own items back from its table. What is read back is validated like any other
 * input (ARCHITECTURE.md: zod for stored items read back), so a malformed item fails loudly where it
 * is read, naming the item and the fields at fault, instead of reaching a screen or an event.
 */
import type * as core from 'zod/v4/core';
import { type FieldIssue, validate } from './events/field-issues';
import { TABLE_KEYS } from './table';

export interface StoredItemKey {
  pk: string;
  sk: string;
}

/** A stored item that does not match what its service writes: a bug or a bad migration, never the caller's fault. */
export class StoredItemError extends Error {
  override readonly name = 'StoredItemError';
  /** The item's key, when the error is about one item. */
  readonly key: StoredItemKey | undefined;
  /** The failing fields, by JSON path; messages never echo stored values (they are personal data). */
  readonly issues: readonly FieldIssue[];

  constructor(message: string, details: { key?: StoredItemKey; issues?: readonly FieldIssue[] } = {}) {
    super(message);
    this.key = details.key;
    this.issues = details.issues ?? [];
  }
}

const keyOf = (item: Record<string, unknown>): StoredItemKey => ({
  pk: String(item[TABLE_KEYS.partitionKey]),
  sk: String(item[TABLE_KEYS.sortKey]),
});

/**
 * `item` read through `schema`; `description` says what it should be ('case', 'inbox item'). Throws
 * a StoredItemError naming the item's key and every failing field path. Keys and attributes the
 * schema does not list are dropped, as zod objects do.
 */
export function parseStoredItem<S extends core.$ZodType>(schema: S, item: Record<string, unknown>, description: string): core.output<S> {
  const result = validate(schema, item);
  if (result.success) return result.data;
  const key = keyOf(item);
  const fields = result.issues.map((issue) => `${issue.path} ${issue.message}`).join('; ');
  throw new StoredItemError(`The stored ${description} ${key.pk} / ${key.sk} is not valid: ${fields}`, { key, issues: result.issues });
}
