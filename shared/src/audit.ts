/**
 * The audit trail's item shape, shared by every service that audits reads of a record (ADR 0014
 * §6-7; QUALITY.md, Security 4 and 9): one write-once item per shown read, per denied read and per
 * other audited event, each saying who (user id, username, name), what (the route or what else
 * showed the record), when, why and the request.
 *
 * An item lives in its record's audit partition, pk `AUDIT#<record kind>#<record id>`
 * (`AUDIT#CASE#<caseId>` in cases; `AUDIT#SUPERVISION#<caseId>` and `AUDIT#SUPERVISION-TEAM#<teamId>`
 * in supervision), which no function but a declared audit reader may read (IAM,
 * infra/cdk/service-stack.ts), and is indexed by worker (gsi1pk `AUDIT#USER#<userId>`, gsi1sk
 * `<at>#<record id>`) for subject access requests and IG reviews. Its sort key is the kind's prefix,
 * the instant and the request id (and what else tells two items of one request apart), so that
 * nothing can overwrite it: it is put on condition the item is new, never updated or deleted.
 */
import type { TransactItem } from './outbox';
import { AUDIT_PARTITION_PREFIX } from './table';

/** What an audit partition is about: its pk is `AUDIT#<kind>#<id>`. */
export const AUDIT_RECORD_KINDS = ['CASE', 'SUPERVISION', 'SUPERVISION-TEAM'] as const;
export type AuditRecordKind = (typeof AUDIT_RECORD_KINDS)[number];

export const auditPartitionKey = (record: AuditRecordKind, recordId: string): string => `${AUDIT_PARTITION_PREFIX}${record}#${recordId}`;
export const userAuditPartitionKey = (userId: string): string => `${AUDIT_PARTITION_PREFIX}USER#${userId}`;

/** Who read what, when, in which request: common to every audit item. */
export interface AuditWho {
  userId: string;
  username: string;
  /** As the session or token named the worker. */
  name: string;
  /** The route that read (`GET /cases/{caseId}`), or what else showed the record. */
  what: string;
  requestId: string;
  at: Date;
}

/** Where one audit item goes and what it is called, as the service that writes it decides. */
export interface AuditItemPlace {
  record: AuditRecordKind;
  /** The case's or the team's id: the partition's and gsi1sk's. */
  recordId: string;
  /** The sort key's prefix for the item's kind: `READ#`, `DENIED#`, … */
  sortKeyPrefix: string;
  /** What tells two items of one kind, instant and request apart (a note id), if anything. */
  sortKeySuffix?: string;
  /** The item's `kind` attribute across the table (`case-read`, `supervision-read`, …). */
  itemKind: string;
}

export function auditKey(place: AuditItemPlace, who: Pick<AuditWho, 'at' | 'requestId'>): { pk: string; sk: string } {
  const suffix = place.sortKeySuffix === undefined ? '' : `#${place.sortKeySuffix}`;
  return {
    pk: auditPartitionKey(place.record, place.recordId),
    sk: `${place.sortKeyPrefix}${who.at.toISOString()}#${who.requestId}${suffix}`,
  };
}

/**
 * The stored item: the keys, the worker's index, `kind`, then `fields` (the record's id under its
 * own name, who, what, why…) as they are, with `at` as ISO 8601. `fields` must not hold `kind`,
 * `at` or the keys: they are the item's own.
 */
export function auditItem(place: AuditItemPlace, who: AuditWho, fields: Record<string, unknown>): Record<string, unknown> {
  const at = who.at.toISOString();
  const { at: _at, ...rest } = who;
  return {
    ...auditKey(place, who),
    gsi1pk: userAuditPartitionKey(who.userId),
    gsi1sk: `${at}#${place.recordId}`,
    kind: place.itemKind,
    ...fields,
    ...rest,
    at,
  };
}

/** An audit item as a transaction's write: only if absent, so an audit item is never overwritten. */
export const auditPut = (tableName: string, item: Record<string, unknown>): TransactItem => ({
  Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
});
