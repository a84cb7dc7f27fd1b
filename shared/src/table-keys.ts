/**
 * A function's declared access to its service's table (manifest `permissions.tableKeys`, ADR 0023):
 * the one declaration that CDK turns into `dynamodb:LeadingKeys` statements and that the local
 * cloud enforces on every DynamoDB call the function makes (infra/local/src/runtime/table-guard.ts).
 * Patterns read as IAM's `StringLike` reads them: `*` matches any run of characters, `?` one.
 */
import type { TableKeys } from './manifest';
import { AUDIT_PARTITION_PREFIX } from './table';

export type { TableKeys } from './manifest';

/** The declaration's lists, each the partitions of one kind of action. */
export type TableActionKind = 'read' | 'write' | 'delete';

const escapeRegExp = (text: string): string => text.replace(/[.+^${}()|[\]\\]/g, '\\$&');

/** IAM's `StringLike`: `*` any run of characters, `?` exactly one, the rest literal and whole. */
export function tableKeyPatternMatches(pattern: string, value: string): boolean {
  return new RegExp(`^${escapeRegExp(pattern).replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's').test(value);
}

/** An audit partition pattern (`AUDIT#CASE#*`): allowed only as puts and, for a declared audit reader, reads. */
export const isAuditPattern = (pattern: string): boolean => pattern.startsWith(AUDIT_PARTITION_PREFIX);

/**
 * Throws naming the function and the pattern when a declaration is not one IAM can hold to: every
 * pattern needs a literal start of at least two characters before any wildcard (so that no pattern
 * is the whole table), and a pattern outside the audit partitions must not be able to match one
 * (the audit partitions have their own statements); an audit pattern may be read only by a
 * function declared an audit reader, and never deleted or batch-written.
 */
export function checkTableKeys(where: string, keys: TableKeys, readAudit: boolean): void {
  const lists: Array<[TableActionKind, readonly string[]]> = [
    ['read', keys.read ?? []],
    ['write', keys.write ?? []],
    ['delete', keys.delete ?? []],
  ];
  for (const [kind, patterns] of lists) {
    for (const pattern of patterns) {
      const literal = pattern.split(/[*?]/)[0] ?? '';
      const fail = (why: string) => {
        throw new Error(`${where}: permissions.tableKeys.${kind} ${JSON.stringify(pattern)} ${why}`);
      };
      if (literal.length < 2) fail('must start with at least two literal characters (a key prefix such as REFERRAL#*)');
      if (!isAuditPattern(pattern) && (AUDIT_PARTITION_PREFIX.startsWith(literal) || literal.startsWith(AUDIT_PARTITION_PREFIX)))
        fail(`could match the audit partitions (${AUDIT_PARTITION_PREFIX}…); name them with their own pattern`);
      if (isAuditPattern(pattern) && kind === 'read' && !readAudit) fail('reads audit items, which needs permissions.readAudit');
      if (isAuditPattern(pattern) && kind === 'delete') fail('deletes audit items, which no function may');
    }
  }
  if (readAudit && !(keys.read ?? []).some(isAuditPattern))
    throw new Error(`${where}: permissions.readAudit without an audit pattern in permissions.tableKeys.read`);
}

/** Several declarations as one: each list the union of theirs, in order, without repeats. */
export function tableKeys(...parts: readonly TableKeys[]): TableKeys {
  const union = (kind: TableActionKind): string[] => [...new Set(parts.flatMap((part) => part[kind] ?? []))];
  const merged: { -readonly [K in TableActionKind]?: string[] } = {};
  for (const kind of ['read', 'write', 'delete'] as const) {
    const patterns = union(kind);
    if (patterns.length > 0) merged[kind] = patterns;
  }
  return merged;
}

/**
 * What every consumer's exactly-once records need (shared/src/consumer.ts, Powertools idempotency
 * under `IDEMPOTENCY#<service>`): put and update the record, read it back, and delete it when the
 * handler fails so that the redelivery runs again.
 */
export const CONSUMER_TABLE_KEYS: TableKeys = { read: ['IDEMPOTENCY#*'], write: ['IDEMPOTENCY#*'], delete: ['IDEMPOTENCY#*'] };

/** Publishing a fact: the outbox item put in the same transaction as the change (shared/src/outbox.ts). */
export const OUTBOX_TABLE_KEYS: TableKeys = { write: ['OUTBOX#*'] };

/** The Inbox count a service's pages show (shared/src/inbox/unread.ts), and the projection its on-inbox-changed consumer keeps. */
export const INBOX_COUNT_READ: TableKeys = { read: ['INBOX#*'] };
export const INBOX_COUNT_WRITE: TableKeys = { write: ['INBOX#*'] };
