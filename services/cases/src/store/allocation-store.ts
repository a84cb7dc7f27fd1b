/**
 * A case's allocation in the cases table (ADR 0014 §3; the table's layout is in
 * /work/notes/issue12-contract.md and the service README).
 *
 * | access pattern                  | key condition                                                                   | index |
 * |---------------------------------|---------------------------------------------------------------------------------|-------|
 * | change a case's allocation      | one transaction: Put CASE#<caseId> / ALLOCATION if version = read (absent at first) + Put CASE#<caseId>#HISTORY / ALLOCATION#<at>#<changeId> + Update CASE#<caseId> / CASE if version = read + Put/Delete CASE#<caseId> / CASELOAD#<userId> per worker + Put the chronology entry + one CaseAllocated outbox item per worker newly allocated + the entry's CaseChronologyEntryAdded | table |
 * | a case's allocation changes     | Query pk = CASE#<caseId>#HISTORY, sk begins_with ALLOCATION#, oldest first       | table |
 * | a worker's caseload             | Query gsi1pk = WORKER#<userId>#CASELOAD, soonest assessment deadline first, Limit n + 1 | gsi1 |
 *
 * The allocation itself is read with the case (case-store.ts, readCase), so the version a change
 * is decided from is the one the page or the API client saw.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf } from '@fsp/shared/dynamo-errors';
import type { BuildEventContext } from '@fsp/shared/events/build';
import { type OutboundEvent, type TransactItem, writeWithOutbox } from '@fsp/shared/outbox';
import { parseStoredItem } from '@fsp/shared/stored-item';
import { TABLE_KEYS } from '@fsp/shared/table';
import type { Allocation, AllocationHistoryRecord } from '../domain/allocation';
import { allocationChangedEntry, slotsByWorker } from '../domain/allocation-change';
import type { CaseRecord, ChronologyEntry } from '../domain/case';
import type { Actor } from '../domain/family-network';
import {
  type AllocationHistoryEntry,
  type AllocationItem,
  allocationHistoryItemSchema,
  allocationHistoryPut,
  allocationReplace,
  toAllocationHistoryEntry,
} from './items/allocation';
import { caseHeadAllocationUpdate, caseItemFamily, caseItemSchema, caseKey, toCaseRecord } from './items/case';
import {
  type CaseloadEntry,
  caseIdOfCaseloadSortKey,
  caseloadDelete,
  caseloadEntryOf,
  caseloadItemSchema,
  caseloadKey,
  caseloadPut,
  caseloadSortKey,
  toCaseloadEntry,
  workerCaseloadPartitionKey,
} from './items/caseload';
import { chronologyEntryAdded, chronologyEntryPut } from './items/chronology-entry';
import { caseHistoryPartitionKey } from './items/network';

/** Bounded: the head moves rarely (a referral added to the case), and a client can send the change again. */
const MAX_HEAD_ATTEMPTS = 3;

/** The allocation changed since the version the change was decided from: nothing was written. */
export class AllocationVersionConflictError extends Error {
  override readonly name = 'AllocationVersionConflictError';
  constructor(
    readonly caseId: string,
    readonly readVersion: number,
  ) {
    super(`The allocation of case ${caseId} changed since version ${readVersion} was read`);
  }
}

/** The case's head kept changing under the allocation (or the case went): nothing was written. */
export class AllocationCaseChangingError extends Error {
  override readonly name = 'AllocationCaseChangingError';
  constructor(readonly caseId: string) {
    super(`Case ${caseId} kept changing while its allocation was being written`);
  }
}

export interface AllocationChange {
  /** The case's head as read with the allocation. */
  head: CaseRecord;
  /** The allocation's version the change was decided from; 0 when the case has never been allocated. */
  readVersion: number;
  /** The allocation before the change (absent: never allocated). */
  before?: Allocation;
  /** allocate()'s answer. */
  allocation: Allocation;
  history: AllocationHistoryRecord;
  /** The CaseAllocated events, built (one per worker newly allocated). */
  events: readonly OutboundEvent[];
  /** How the change's chronology entry's CaseChronologyEntryAdded is built (the entry's id is the store's). */
  publishing: BuildEventContext;
  by: Actor;
}

/** A page of a worker's caseload, soonest assessment deadline first; `next` is where the following page starts. */
export interface CaseloadPage {
  entries: CaseloadEntry[];
  next?: string;
}

export interface AllocationStore {
  /**
   * Writes the change, all of it or none: the allocation at its next version (only over the version
   * read), its history record, the case head's copy of the social worker and its place in the team's
   * list, the caseload items of the workers added, kept and removed, the chronology entry, and the
   * CaseAllocated outbox items with the entry's CaseChronologyEntryAdded. A stale version is an AllocationVersionConflictError.
   */
  change(change: AllocationChange, now: Date): Promise<AllocationItem>;
  /** The allocation's changes, oldest first, from the case's history partition (the case page does not read it). */
  history(caseId: string): Promise<AllocationHistoryEntry[]>;
  /**
   * The cases `userId` is allocated to, soonest assessment deadline first, `limit` at most, from
   * `after` (a `next` this gave out). One Query of gsi1. A position that is not a caseload's gives undefined.
   */
  caseload(userId: string, limit: number, after?: string): Promise<CaseloadPage | undefined>;
}

export function createAllocationStore(documents: DynamoDBDocumentClient, tableName: string): AllocationStore {
  async function currentHead(caseId: string): Promise<CaseRecord | undefined> {
    const found = await documents.send(new GetCommand({ TableName: tableName, Key: caseKey(caseId), ConsistentRead: true }));
    return found.Item ? toCaseRecord(parseStoredItem(caseItemSchema, found.Item, caseItemFamily.description)) : undefined;
  }

  function writesFor(
    change: AllocationChange,
    head: CaseRecord,
    item: AllocationItem,
    changeId: string,
    entry: ChronologyEntry,
    now: Date,
  ): TransactItem[] {
    const { allocation, history } = change;
    if (!allocation.socialWorker) throw new Error(`An allocation of case ${allocation.caseId} without a social worker cannot be written`);
    const before = slotsByWorker(change.before);
    const after = slotsByWorker(allocation);
    const caseload: TransactItem[] = [];
    // Every worker still on the case gets their item written again (their slots, and the case as it is now).
    for (const [userId, slots] of after) caseload.push(caseloadPut(tableName, caseloadEntryOf(head, userId, slots)));
    for (const userId of before.keys()) if (!after.has(userId)) caseload.push(caseloadDelete(tableName, head.caseId, userId));
    return [
      // Positions matter: 0 is the allocation's version, 2 the head's (see change()).
      allocationReplace(tableName, item, change.readVersion),
      allocationHistoryPut(tableName, { changeId, version: item.version, record: history }),
      caseHeadAllocationUpdate(
        tableName,
        head,
        { socialWorker: allocation.socialWorker, socialWorkerChanges: allocation.socialWorkerChanges },
        now,
      ),
      chronologyEntryPut(tableName, entry),
      ...caseload,
    ];
  }

  async function change(change: AllocationChange, now: Date): Promise<AllocationItem> {
    const item: AllocationItem = {
      allocation: change.allocation,
      version: change.readVersion + 1,
      updatedAt: change.history.at,
      updatedBy: change.by,
    };
    const changeId = randomUUID();
    let head = change.head;
    for (let attempt = 1; attempt <= MAX_HEAD_ATTEMPTS; attempt += 1) {
      try {
        const entry = allocationChangedEntry(head, change.history, changeId);
        await writeWithOutbox(documents, {
          tableName,
          now,
          writes: writesFor(change, head, item, changeId, entry, now),
          events: [...change.events, chronologyEntryAdded(entry, head, change.publishing)],
        });
        return item;
      } catch (error) {
        const failed = failedConditionsOf(error);
        if (failed === undefined) throw error;
        if (failed.includes(0)) throw new AllocationVersionConflictError(change.head.caseId, change.readVersion);
        if (!failed.includes(2)) throw error;
        // Only the head moved (a referral added to the case, say): the allocation decided is still
        // the one to write, over the head as it is now.
        const reread = await currentHead(change.head.caseId);
        if (!reread || reread.teamId !== change.head.teamId) break;
        head = reread;
      }
    }
    throw new AllocationCaseChangingError(change.head.caseId);
  }

  async function history(caseId: string): Promise<AllocationHistoryEntry[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': caseHistoryPartitionKey(caseId), ':prefix': 'ALLOCATION#' },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items.map((found) => toAllocationHistoryEntry(parseStoredItem(allocationHistoryItemSchema, found, 'allocation change')));
  }

  async function caseload(userId: string, limit: number, after?: string): Promise<CaseloadPage | undefined> {
    const afterCaseId = after === undefined ? undefined : caseIdOfCaseloadSortKey(after);
    if (after !== undefined && afterCaseId === undefined) return undefined;
    const gsi1pk = workerCaseloadPartitionKey(userId);
    // One more than asked: whether a next page exists is known without a second, empty, page.
    const found = await documents.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: TABLE_KEYS.gsi1.name,
        KeyConditionExpression: 'gsi1pk = :worker',
        ExpressionAttributeValues: { ':worker': gsi1pk },
        Limit: limit + 1,
        ...(after !== undefined && afterCaseId !== undefined
          ? { ExclusiveStartKey: { ...caseloadKey(afterCaseId, userId), gsi1pk, gsi1sk: after } }
          : {}),
      }),
    );
    const entries = (found.Items ?? []).map((item) => toCaseloadEntry(parseStoredItem(caseloadItemSchema, item, 'caseload entry')));
    const shown = entries.slice(0, limit);
    const last = shown.at(-1);
    return { entries: shown, ...(entries.length > limit && last ? { next: caseloadSortKey(last) } : {}) };
  }

  return { change, history, caseload };
}
