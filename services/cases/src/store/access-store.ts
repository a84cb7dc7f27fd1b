/**
 * Access to a case (helper D of issue 12; ADR 0014 §6-7): break-glass grants and the case audit
 * trail. Reads of grants happen with the case (case-store.ts readCase: one Query of the case's
 * partition); this module only writes, and never reads an audit item back.
 *
 * | access pattern                            | key condition                                                            | index |
 * |-------------------------------------------|--------------------------------------------------------------------------|-------|
 * | audit a read, a denial, a restricted view | Put pk = AUDIT#CASE#<caseId>, sk = READ# / DENIED# / RESTRICTED#<at>#<requestId>[#<noteId>], if absent (several: one transaction) | table |
 * | break the glass                           | ConditionCheck CASE#<caseId>/CASE exists + Put CASE#<caseId>/BREAKGLASS#<at>#<userId> + Put AUDIT#CASE#<caseId>/BREAKGLASS#<at>#<requestId>, both if absent, one transaction | table |
 * | a worker's audit trail (IG, not read here) | Query gsi1pk = AUDIT#USER#<userId>                                      | gsi1  |
 */
import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf } from '@fsp/shared/dynamo-errors';
import { conditionalWrite } from '@fsp/shared/store';
import type { BreakGlassGrant } from '../domain/access';
import { breakGlassKey, breakGlassPut } from './items/break-glass';
import { caseKey } from './items/case';
import { type CaseAuditEntry, caseAuditItem, caseAuditKey, caseAuditPut } from './items/case-audit';

export type { CaseAuditEntry, DenialReason } from './items/case-audit';

/** DynamoDB's limit on the writes of one transaction. */
const TRANSACTION_LIMIT = 100;

/**
 * An audit item of this very request, kind and instant (and note) is there already: what was asked
 * is not shown, rather than shown with an audit item that may say something else. A route opens a
 * case once per request (http/case-access.ts), so only a replayed request id lands here.
 */
export class CaseAuditCollisionError extends Error {
  override readonly name = 'CaseAuditCollisionError';
  constructor(readonly key: { pk: string; sk: string }) {
    super(`An audit item ${key.sk} of ${key.pk} already exists`);
  }
}

/** A break-glass grant of this worker at this very instant is there already. */
export class BreakGlassCollisionError extends Error {
  override readonly name = 'BreakGlassCollisionError';
  constructor(readonly key: { pk: string; sk: string }) {
    super(`A break-glass grant ${key.sk} of ${key.pk} already exists`);
  }
}

export interface AccessStore {
  /**
   * Writes the entries, each only if absent (never overwritten): one Put, or transactions of up to
   * 100 Puts. Resolves once all are stored; any failure rejects (a key already taken with
   * CaseAuditCollisionError), and the caller must then not show what was to be audited.
   */
  audit(entries: readonly CaseAuditEntry[]): Promise<void>;
  /**
   * Records the grant and its audit entry in one transaction, on condition the case exists.
   * 'no-such-case' when it does not: nothing is written.
   */
  breakGlass(grant: BreakGlassGrant, audit: CaseAuditEntry & { kind: 'break-glass' }): Promise<'granted' | 'no-such-case'>;
}

export function createAccessStore(documents: DynamoDBDocumentClient, tableName: string): AccessStore {
  async function audit(entries: readonly CaseAuditEntry[]): Promise<void> {
    if (entries.length === 1) {
      const [entry] = entries as [CaseAuditEntry];
      const written = await conditionalWrite(() =>
        documents.send(
          new PutCommand({ TableName: tableName, Item: caseAuditItem(entry), ConditionExpression: 'attribute_not_exists(pk)' }),
        ),
      );
      if (!written) throw new CaseAuditCollisionError(caseAuditKey(entry));
      return;
    }
    for (let start = 0; start < entries.length; start += TRANSACTION_LIMIT) {
      const chunk = entries.slice(start, start + TRANSACTION_LIMIT);
      try {
        await documents.send(new TransactWriteCommand({ TransactItems: chunk.map((entry) => caseAuditPut(tableName, entry)) }));
      } catch (error) {
        const failed = failedConditionsOf(error);
        if (failed === undefined) throw error;
        throw new CaseAuditCollisionError(caseAuditKey(chunk[failed[0]!]!));
      }
    }
  }

  async function breakGlass(grant: BreakGlassGrant, entry: CaseAuditEntry & { kind: 'break-glass' }): Promise<'granted' | 'no-such-case'> {
    try {
      await documents.send(
        new TransactWriteCommand({
          TransactItems: [
            { ConditionCheck: { TableName: tableName, Key: caseKey(grant.caseId), ConditionExpression: 'attribute_exists(pk)' } },
            breakGlassPut(tableName, grant),
            caseAuditPut(tableName, entry),
          ],
        }),
      );
      return 'granted';
    } catch (error) {
      const failed = failedConditionsOf(error);
      if (failed === undefined) throw error;
      if (failed.includes(0)) return 'no-such-case';
      if (failed.includes(1)) throw new BreakGlassCollisionError(breakGlassKey(grant));
      throw new CaseAuditCollisionError(caseAuditKey(entry));
    }
  }

  return { audit, breakGlass };
}
