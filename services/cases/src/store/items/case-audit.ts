/**
 * The case audit trail (ADR 0014 §6-7; QUALITY.md, Security 4 and 9): one item per shown read of a
 * case, per denied read, per restricted entry shown in full and per break-glass, each saying who
 * (user id, username, name), what (the case, the route, the note), when, why (the relationship
 * the read rests on, the reason a denial was given, or the worker's own break-glass reason) and
 * the request. Kept apart from the case's own partition (pk AUDIT#CASE#<caseId>), which no
 * function but an audit reader may read (IAM, infra/cdk/service-stack.ts), and indexed by worker
 * (gsi1pk AUDIT#USER#<userId>, gsi1sk <at>#<caseId>) for subject access requests and IG reviews.
 * Write-once: a Put on condition the item is new, never updated or deleted. The item shape and keys
 * are the platform's (shared/src/audit.ts); this module names the case's kinds and sort-key prefixes.
 */
import {
  type AuditItemPlace,
  type AuditWho,
  auditItem,
  auditKey,
  auditPartitionKey,
  auditPut,
  userAuditPartitionKey,
} from '@fsp/shared/audit';
import type { TransactItem } from '@fsp/shared/outbox';
import type { CaseAccess } from '../../domain/access';

/** Why a read was refused: the answer is the same 404 either way; the audit trail tells them apart. */
export type DenialReason = 'no-relationship' | 'no-such-case';

/** Who read the case, when, in which request (shared/src/audit.ts), and which case. */
type AuditCommon = AuditWho & { caseId: string };

export type CaseAuditEntry =
  | (AuditCommon & { kind: 'read'; reason: CaseAccess })
  | (AuditCommon & { kind: 'denied'; reason: DenialReason })
  | (AuditCommon & { kind: 'restricted'; noteId: string; reason: CaseAccess })
  | (AuditCommon & { kind: 'break-glass'; reason: string });

export type CaseAuditKind = CaseAuditEntry['kind'];

/** The item kinds across the table (`case-read` is the kind reads were first written with). */
export const AUDIT_ITEM_KINDS: Readonly<Record<CaseAuditKind, string>> = {
  read: 'case-read',
  denied: 'case-read-denied',
  restricted: 'restricted-entry-read',
  'break-glass': 'case-break-glass',
};

const SORT_KEY_PREFIXES: Readonly<Record<CaseAuditKind, string>> = {
  read: 'READ#',
  denied: 'DENIED#',
  restricted: 'RESTRICTED#',
  'break-glass': 'BREAKGLASS#',
};

export const caseAuditPartitionKey = (caseId: string): string => auditPartitionKey('CASE', caseId);
export { userAuditPartitionKey };

/** Where the entry goes in the shared audit item shape (shared/src/audit.ts). */
const placeOf = (entry: CaseAuditEntry): AuditItemPlace => ({
  record: 'CASE',
  recordId: entry.caseId,
  sortKeyPrefix: SORT_KEY_PREFIXES[entry.kind],
  ...(entry.kind === 'restricted' ? { sortKeySuffix: entry.noteId } : {}),
  itemKind: AUDIT_ITEM_KINDS[entry.kind],
});

export const caseAuditKey = (entry: CaseAuditEntry): { pk: string; sk: string } => auditKey(placeOf(entry), entry);

export function caseAuditItem(entry: CaseAuditEntry): Record<string, unknown> {
  const { kind: _kind, caseId, userId, username, name, what, requestId, at, ...why } = entry;
  return auditItem(placeOf(entry), { userId, username, name, what, requestId, at }, { caseId, ...why });
}

/** The entry as a transaction's write: only if absent, so an audit item is never overwritten. */
export const caseAuditPut = (tableName: string, entry: CaseAuditEntry): TransactItem => auditPut(tableName, caseAuditItem(entry));
