/**
 * Family group decision making's reads and writes (domain/fgdm.ts; items/fgdm.ts).
 *
 * | access pattern           | key condition                                                     | index |
 * |--------------------------|-------------------------------------------------------------------|-------|
 * | a case's offers and conferences | Query pk = CASE#<caseId>#FGDM (consistent)                 | table |
 * | record a step            | Put FGDM if version = read version (absent when 0); a conference held or the family's plan: in one transaction with its chronology entry and CaseChronologyEntryAdded (outbox) | table |
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf, isConditionalCheckFailed } from '@fsp/shared/dynamo-errors';
import { type OutboundEvent, writeWithOutbox } from '@fsp/shared/outbox';
import { queryAll } from '@fsp/shared/query';
import { parseStoredItem } from '@fsp/shared/stored-item';
import type { ChronologyEntry } from '../domain/case';
import { type CaseFgdm, emptyFgdm } from '../domain/fgdm';
import { chronologyEntryPut } from './items/chronology-entry';
import { FGDM_SORT_KEY, fgdmItemSchema, fgdmPartitionKey, fgdmPut, toCaseFgdm } from './items/fgdm';

/** The case's family group decision making changed since it was read: nothing was written. */
export class FgdmVersionConflictError extends Error {
  override readonly name = 'FgdmVersionConflictError';
  constructor(readonly caseId: string) {
    super(`The family group decision making of case ${caseId} changed while a step was being recorded`);
  }
}

export function createFgdmStore(documents: DynamoDBDocumentClient, tableName: string) {
  async function read(caseId: string): Promise<CaseFgdm> {
    const items = await queryAll(documents, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': fgdmPartitionKey(caseId) },
      ConsistentRead: true,
    });
    const item = items.find((each) => each.sk === FGDM_SORT_KEY);
    return item ? toCaseFgdm(parseStoredItem(fgdmItemSchema, item, 'family group decision making')) : emptyFgdm(caseId);
  }

  /** The record at its next version; with `chronology`, its entry and event in the same transaction. */
  async function write(
    fgdm: CaseFgdm,
    readVersion: number,
    now: Date,
    chronology?: { entry: ChronologyEntry; event: OutboundEvent },
  ): Promise<void> {
    const put = fgdmPut(tableName, fgdm, readVersion, now);
    try {
      if (!chronology) {
        await documents.send(new PutCommand(put));
        return;
      }
      await writeWithOutbox(documents, {
        tableName,
        now,
        writes: [{ Put: put }, chronologyEntryPut(tableName, chronology.entry)],
        events: [chronology.event],
      });
    } catch (error) {
      if (isConditionalCheckFailed(error) || failedConditionsOf(error) !== undefined) throw new FgdmVersionConflictError(fgdm.caseId);
      throw error;
    }
  }

  return { read, write };
}
