/**
 * The family network's writes (ADR 0014 §2): a worker's change is the network at its next version,
 * written only over the version the change was made from, in one transaction with the change's
 * attributed record in the case's history partition. Two workers changing the network at once: the
 * second write's condition fails and the change is answered as a conflict, nothing overwritten.
 *
 * | access pattern                     | key condition                                                              | index |
 * |------------------------------------|----------------------------------------------------------------------------|-------|
 * | change the network                 | Put pk = CASE#<caseId>, sk = NETWORK if version = read (absent when 0) + Put pk = CASE#<caseId>#HISTORY, sk = NETWORK#<at>#<changeId> if absent | table |
 * | the network's changes, oldest first | Query pk = CASE#<caseId>#HISTORY, sk begins_with NETWORK#                 | table |
 *
 * The network itself is read with the case (case-store.ts, readCase).
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf, retryingTransactionConflicts } from '@fsp/shared/dynamo-errors';
import { queryAll } from '@fsp/shared/query';
import { parseStoredItem } from '@fsp/shared/stored-item';
import type { FamilyNetwork, NetworkChangeRecord, NetworkPerson } from '../domain/family-network';
import {
  caseHistoryPartitionKey,
  type NetworkHistoryEntry,
  type NetworkItem,
  networkHistoryItemFamily,
  networkHistoryItemSchema,
  networkHistoryPut,
  networkReplace,
} from './items/network';

/** The change was made from a version of the network that is no longer the current one. */
export interface NetworkConflict {
  kind: 'conflict';
  caseId: string;
  /** The version the change was made from. */
  readVersion: number;
}

export type NetworkSave = { kind: 'saved'; item: NetworkItem } | NetworkConflict;

export interface NetworkStore {
  /**
   * Writes `network` as the next version over `readVersion` (0: the case has no network item yet),
   * with `record` kept in the case's history. A conflict when the version has moved on.
   */
  saveChange(caseId: string, readVersion: number, network: FamilyNetwork, record: NetworkChangeRecord): Promise<NetworkSave>;
  /** Every change of the network, oldest first (for a person reviewing the record; no page reads it with the case). */
  history(caseId: string): Promise<NetworkHistoryEntry[]>;
}

export function createNetworkStore(documents: DynamoDBDocumentClient, tableName: string): NetworkStore {
  async function saveChange(
    caseId: string,
    readVersion: number,
    network: FamilyNetwork,
    record: NetworkChangeRecord,
  ): Promise<NetworkSave> {
    const version = readVersion + 1;
    const item: NetworkItem = { caseId, network, version, updatedAt: record.at, updatedBy: record.by };
    const entry: NetworkHistoryEntry = { ...record, caseId, changeId: randomUUID(), version };
    try {
      // Another transaction on the same item at the same instant: tried again, when its condition decides who won.
      await retryingTransactionConflicts(() =>
        documents.send(
          new TransactWriteCommand({ TransactItems: [networkReplace(tableName, item, readVersion), networkHistoryPut(tableName, entry)] }),
        ),
      );
      return { kind: 'saved', item };
    } catch (error) {
      // Position 0 is the network; the history item's id is new, so its condition failing would be a bug worth hearing about.
      if (failedConditionsOf(error)?.includes(0)) return { kind: 'conflict', caseId, readVersion };
      throw error;
    }
  }

  async function history(caseId: string): Promise<NetworkHistoryEntry[]> {
    const items = await queryAll(documents, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': caseHistoryPartitionKey(caseId), ':prefix': 'NETWORK#' },
      ConsistentRead: true,
    });
    return items.map((item) => {
      const {
        kind: _kind,
        changeKind,
        before,
        after,
        ...rest
      } = parseStoredItem(networkHistoryItemSchema, item, networkHistoryItemFamily.description);
      return {
        ...rest,
        kind: changeKind,
        ...(before ? { before: before as unknown as NetworkPerson } : {}),
        ...(after ? { after: after as unknown as NetworkPerson } : {}),
      };
    });
  }

  return { saveChange, history };
}
