/**
 * The allocation item (ADR 0014 §3): one per case once allocated, in the case's partition
 * (pk CASE#<caseId>, sk ALLOCATION), read with the case in its one Query; absent means never
 * allocated. `version` is the allocation's own optimistic lock: a change is written only over the
 * version it was decided from (store/allocation-store.ts), the first only if there is none yet.
 *
 * Each change keeps its attributed record (who, when, each slot before and after, the reason) in
 * the case's history partition (pk CASE#<caseId>#HISTORY, sk ALLOCATION#<at>#<changeId>), which the
 * case page does not read.
 */
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import type { TransactItem } from '@fsp/shared/outbox';
import { itemFamily } from '@fsp/shared/store';
import * as z from 'zod/mini';
import { type Allocation, type AllocationHistoryRecord, SPECIALISMS } from '../../domain/allocation';
import type { Actor } from '../../domain/family-network';
import { casePartitionKey } from './case';
import { actorSchema, caseHistoryPartitionKey } from './network';

export const ALLOCATION_SORT_KEY = 'ALLOCATION';
const HISTORY_PREFIX = 'ALLOCATION#';

export const allocationKey = (caseId: string) => ({ pk: casePartitionKey(caseId), sk: ALLOCATION_SORT_KEY });

const allocatedWorkerSchema = z.lazy(() =>
  z.object({ userId: idSchema, name: z.string(), allocatedAt: instantSchema, allocatedBy: idSchema }),
);

const allocationSchema = z.lazy(() =>
  z.object({
    caseId: idSchema,
    teamId: idSchema,
    socialWorker: z.optional(allocatedWorkerSchema),
    specialists: z.partialRecord(z.enum(SPECIALISMS), allocatedWorkerSchema),
    socialWorkerChanges: z.int().check(z.nonnegative()),
  }),
);

export const allocationItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('allocation'),
    allocation: allocationSchema,
    version: z.int().check(z.positive()),
    updatedAt: instantSchema,
    updatedBy: actorSchema,
  }),
);

/** The allocation as `readPartition` finds it in the case's partition. */
export const allocationItemFamily = itemFamily({ equals: ALLOCATION_SORT_KEY }, allocationItemSchema, 'allocation');

export interface AllocationItem {
  allocation: Allocation;
  version: number;
  updatedAt: string;
  updatedBy: Actor;
}

export const toAllocationItem = ({ kind: _kind, ...item }: z.infer<typeof allocationItemSchema>): AllocationItem => item;

/** The allocation at its next version, only over the version read (only if absent when `readVersion` is 0: never allocated). */
export function allocationReplace(tableName: string, item: AllocationItem, readVersion: number): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...allocationKey(item.allocation.caseId), kind: 'allocation', ...item },
      ...(readVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': readVersion } }),
    },
  };
}

/** One change of a case's allocation, as its history partition keeps it. */
export interface AllocationHistoryEntry {
  changeId: string;
  /** The allocation's version this change made. */
  version: number;
  record: AllocationHistoryRecord;
}

export const allocationHistoryKey = (caseId: string, at: string, changeId: string) => ({
  pk: caseHistoryPartitionKey(caseId),
  sk: `${HISTORY_PREFIX}${at}#${changeId}`,
});

const slotChangeSchema = z.lazy(() =>
  z.object({
    slot: z.enum(['social-worker', ...SPECIALISMS]),
    before: z.optional(allocatedWorkerSchema),
    after: z.optional(allocatedWorkerSchema),
  }),
);

export const allocationHistoryItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('allocation-change'),
    changeId: idSchema,
    version: z.int().check(z.positive()),
    record: z.object({
      caseId: idSchema,
      by: actorSchema,
      at: instantSchema,
      changes: z.array(slotChangeSchema),
      reason: z.optional(z.string()),
      socialWorkerChanges: z.int().check(z.nonnegative()),
    }),
  }),
);

/** The history records as `readPartition` finds them in the case's history partition. */
export const allocationHistoryItemFamily = itemFamily({ prefix: HISTORY_PREFIX }, allocationHistoryItemSchema, 'allocation change');

export const toAllocationHistoryEntry = ({ kind: _kind, ...item }: z.infer<typeof allocationHistoryItemSchema>): AllocationHistoryEntry =>
  item;

/** Written once: its id is new, so a clash is a bug, never an overwrite. */
export function allocationHistoryPut(tableName: string, entry: AllocationHistoryEntry): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...allocationHistoryKey(entry.record.caseId, entry.record.at, entry.changeId), kind: 'allocation-change', ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
