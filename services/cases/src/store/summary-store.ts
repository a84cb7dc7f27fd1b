/**
 * The case summary's writes: the summary at its next version, written only over the version the
 * worker started from, in one transaction with the change's record (before and after, who, when)
 * in the case's history partition. A lost race is a conflict, nothing overwritten.
 *
 * | access pattern                        | key condition                                                              | index |
 * |---------------------------------------|----------------------------------------------------------------------------|-------|
 * | write the summary                     | Put pk = CASE#<caseId>, sk = SUMMARY if version = read (absent when 0) + Put pk = CASE#<caseId>#HISTORY, sk = SUMMARY#<at>#<changeId> if absent | table |
 * | the summary's changes, oldest first   | Query pk = CASE#<caseId>#HISTORY, sk begins_with SUMMARY#                  | table |
 *
 * The summary itself is read with the case (case-store.ts, readCase).
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf, retryingTransactionConflicts } from '@fsp/shared/dynamo-errors';
import { queryAll } from '@fsp/shared/query';
import { parseStoredItem } from '@fsp/shared/stored-item';
import type { Actor } from '../domain/family-network';
import { caseKey } from './items/case';
import { caseHistoryPartitionKey } from './items/network';
import {
  type SummaryHistoryEntry,
  type SummaryItem,
  summaryHistoryItemFamily,
  summaryHistoryItemSchema,
  summaryHistoryPut,
  summaryReplace,
} from './items/summary';

export type SummarySave = { kind: 'saved'; item: SummaryItem } | { kind: 'conflict'; caseId: string; readVersion: number };

export interface SummaryStore {
  /** Writes `text` as the summary's next version over `current` (absent: there is none yet). */
  save(caseId: string, current: SummaryItem | undefined, readVersion: number, text: string, by: Actor, now: Date): Promise<SummarySave>;
  /** Every change of the summary, oldest first. */
  history(caseId: string): Promise<SummaryHistoryEntry[]>;
}

export function createSummaryStore(documents: DynamoDBDocumentClient, tableName: string): SummaryStore {
  async function save(
    caseId: string,
    current: SummaryItem | undefined,
    readVersion: number,
    text: string,
    by: Actor,
    now: Date,
  ): Promise<SummarySave> {
    const at = now.toISOString();
    const version = readVersion + 1;
    const item: SummaryItem = { caseId, text, version, updatedAt: at, updatedBy: by };
    // `before` is the text the worker started from; when they started from an older version the write fails anyway.
    const before = current?.version === readVersion ? current.text : undefined;
    const entry: SummaryHistoryEntry = {
      caseId,
      changeId: randomUUID(),
      version,
      at,
      by,
      ...(before !== undefined ? { before } : {}),
      after: text,
    };
    try {
      // Another transaction on the same item at the same instant: tried again, when its condition decides who won.
      await retryingTransactionConflicts(() =>
        documents.send(
          new TransactWriteCommand({
            TransactItems: [
              summaryReplace(tableName, item, readVersion),
              summaryHistoryPut(tableName, entry),
              // Copied onto the head for the essentials check of the team's list; not a change of the case (no version).
              {
                Update: {
                  TableName: tableName,
                  Key: caseKey(caseId),
                  UpdateExpression: 'SET summaryUpdatedAt = :at',
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeValues: { ':at': at },
                },
              },
            ],
          }),
        ),
      );
      return { kind: 'saved', item };
    } catch (error) {
      if (failedConditionsOf(error)?.includes(0)) return { kind: 'conflict', caseId, readVersion };
      throw error;
    }
  }

  async function history(caseId: string): Promise<SummaryHistoryEntry[]> {
    const items = await queryAll(documents, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': caseHistoryPartitionKey(caseId), ':prefix': 'SUMMARY#' },
      ConsistentRead: true,
    });
    return items.map((item) => {
      const { kind: _kind, ...entry } = parseStoredItem(summaryHistoryItemSchema, item, summaryHistoryItemFamily.description);
      return entry;
    });
  }

  return { save, history };
}
