/**
 * Supervision's audit trail (ADR 0014 §6-7, ADR 0015; the item shape is shared/src/audit.ts's):
 *
 * - a case's supervision records: pk `AUDIT#SUPERVISION#<caseId>`, one READ item per shown read (the
 *   case page, a record page, the JSON), one DENIED item per refused one;
 * - a team's lists (the agenda, my actions, overdue items): pk `AUDIT#SUPERVISION-TEAM#<teamId>`, one
 *   READ item per page or JSON read, not one per case shown.
 *
 * Written before the answer; if the write fails, so does the read. Write-once (Put if absent).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditWho, auditItem, auditKey } from '@fsp/shared/audit';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { conditionalWrite } from '@fsp/shared/store';
import type { SupervisionAccess } from '../domain/access';

/** Why a read was refused: the same 404 either way; the audit trail tells them apart. */
export type SupervisionDenialReason = 'no-relationship' | 'no-such-case';

export type SupervisionAuditEntry =
  | (AuditWho & { record: 'case'; caseId: string; kind: 'read'; reason: SupervisionAccess })
  | (AuditWho & { record: 'case'; caseId: string; kind: 'denied'; reason: SupervisionDenialReason })
  | (AuditWho & { record: 'team'; teamId: string; kind: 'read'; reason: 'team-member' });

export const SUPERVISION_AUDIT_ITEM_KINDS = {
  caseRead: 'supervision-read',
  caseDenied: 'supervision-read-denied',
  teamRead: 'supervision-team-read',
} as const;

function placeOf(entry: SupervisionAuditEntry) {
  if (entry.record === 'team') {
    return {
      record: 'SUPERVISION-TEAM' as const,
      recordId: entry.teamId,
      sortKeyPrefix: 'READ#',
      itemKind: SUPERVISION_AUDIT_ITEM_KINDS.teamRead,
    };
  }
  return entry.kind === 'read'
    ? { record: 'SUPERVISION' as const, recordId: entry.caseId, sortKeyPrefix: 'READ#', itemKind: SUPERVISION_AUDIT_ITEM_KINDS.caseRead }
    : {
        record: 'SUPERVISION' as const,
        recordId: entry.caseId,
        sortKeyPrefix: 'DENIED#',
        itemKind: SUPERVISION_AUDIT_ITEM_KINDS.caseDenied,
      };
}

export function supervisionAuditItem(entry: SupervisionAuditEntry): Record<string, unknown> {
  const { userId, username, name, what, requestId, at, reason } = entry;
  const id = entry.record === 'team' ? { teamId: entry.teamId } : { caseId: entry.caseId };
  return auditItem(placeOf(entry), { userId, username, name, what, requestId, at }, { ...id, reason });
}

/** An audit item of this very request, kind and instant is there already: what was asked is not shown. */
export class SupervisionAuditCollisionError extends Error {
  override readonly name = 'SupervisionAuditCollisionError';
  constructor(readonly key: { pk: string; sk: string }) {
    super(`An audit item ${key.sk} of ${key.pk} already exists`);
  }
}

export interface SupervisionAuditor {
  audit(entry: SupervisionAuditEntry): Promise<void>;
}

export function createSupervisionAuditor({ documents, tableName }: Pick<ServiceRuntime, 'documents' | 'tableName'>): SupervisionAuditor {
  return {
    async audit(entry) {
      const item = supervisionAuditItem(entry);
      const written = await conditionalWrite(() =>
        documents.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
      );
      if (!written) throw new SupervisionAuditCollisionError(auditKey(placeOf(entry), entry));
    },
  };
}
