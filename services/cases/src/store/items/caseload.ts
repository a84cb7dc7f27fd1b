/**
 * Caseload items: one per worker allocated to a case, in the case's partition (pk CASE#<caseId>,
 * sk CASELOAD#<userId>), indexed by worker (gsi1pk WORKER#<userId>#CASELOAD, gsi1sk
 * <next deadline's dueBy>#<caseId>, or 9999-…#<caseId> when it has none) so that a worker's
 * caseload, soonest deadline first, is one Query of gsi1. (Items written before the next deadline
 * was kept sort by the assessment's dueBy, as they did.) Each carries what the caseload page shows
 * of the case (reference, status, deadline) and the worker's slots on it, so the page reads
 * nothing else. Put and deleted in the transaction that changes the allocation
 * (store/allocation-store.ts); a change of what they copy from the case head (its status, its next
 * deadline) must rewrite them in the same transaction (store/path-store.ts).
 */
import { idSchema, instantSchema, referenceSchema } from '@fsp/shared/events/definitions/common';
import type { TransactItem } from '@fsp/shared/outbox';
import { itemFamily } from '@fsp/shared/store';
import * as z from 'zod/mini';
import { SLOTS, type Slot } from '../../domain/allocation-change';
import { CASE_STATUSES, type CaseRecord, type CaseStatus } from '../../domain/case';
import type { NextDeadline } from '../../domain/path-timescales';
import { casePartitionKey, nextDeadlineSchema } from './case';

const CASELOAD_PREFIX = 'CASELOAD#';

export interface CaseloadEntry {
  userId: string;
  caseId: string;
  teamId: string;
  reference: string;
  status: CaseStatus;
  urgent: boolean;
  assessmentDueDate: string;
  assessmentDueBy: string;
  /** The case head's copy (domain/case.ts): absent on items written before it was kept. */
  nextDeadline?: NextDeadline | null;
  /** In SLOTS order; never empty (a worker with no slot has no caseload item). */
  slots: Slot[];
}

export const caseloadKey = (caseId: string, userId: string) => ({ pk: casePartitionKey(caseId), sk: `${CASELOAD_PREFIX}${userId}` });

export const workerCaseloadPartitionKey = (userId: string): string => `WORKER#${userId}#CASELOAD`;
/** Sorts after every deadline: a case waiting on none comes last. */
const NO_DEADLINE = '9999-12-31T23:59:59.999Z';
export const caseloadSortKey = (entry: Pick<CaseloadEntry, 'assessmentDueBy' | 'caseId' | 'nextDeadline'>): string =>
  `${entry.nextDeadline === undefined ? entry.assessmentDueBy : (entry.nextDeadline?.dueBy ?? NO_DEADLINE)}#${entry.caseId}`;
const CASELOAD_SORT_KEY = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#([A-Za-z0-9][A-Za-z0-9._:-]{0,63})$/;

/** The case a caseload sort key names, or undefined when it is not one (a cursor from elsewhere). */
export function caseIdOfCaseloadSortKey(sortKey: string): string | undefined {
  return CASELOAD_SORT_KEY.exec(sortKey)?.[2];
}

export const caseloadItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('caseload'),
    userId: idSchema,
    caseId: idSchema,
    teamId: idSchema,
    reference: referenceSchema,
    status: z.enum(CASE_STATUSES),
    urgent: z.boolean(),
    assessmentDueDate: z.iso.date(),
    assessmentDueBy: instantSchema,
    nextDeadline: z.optional(nextDeadlineSchema),
    slots: z.array(z.enum(SLOTS)).check(z.minLength(1)),
  }),
);

/** The caseload items as `readPartition` finds them in the case's partition (the case pages do not show them). */
export const caseloadItemFamily = itemFamily({ prefix: CASELOAD_PREFIX }, caseloadItemSchema, 'caseload entry');

export const toCaseloadEntry = ({ kind: _kind, ...entry }: z.infer<typeof caseloadItemSchema>): CaseloadEntry => entry;

export const caseloadEntryOf = (record: CaseRecord, userId: string, slots: Slot[]): CaseloadEntry => ({
  userId,
  caseId: record.caseId,
  teamId: record.teamId,
  reference: record.reference,
  status: record.status,
  urgent: record.urgent,
  assessmentDueDate: record.assessmentDueDate,
  assessmentDueBy: record.assessmentDueBy,
  ...(record.nextDeadline !== undefined ? { nextDeadline: record.nextDeadline } : {}),
  slots,
});

/** Unconditional: the allocation's own version condition, in the same transaction, is what orders writers. */
export function caseloadPut(tableName: string, entry: CaseloadEntry): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...caseloadKey(entry.caseId, entry.userId),
        gsi1pk: workerCaseloadPartitionKey(entry.userId),
        gsi1sk: caseloadSortKey(entry),
        kind: 'caseload',
        ...entry,
      },
    },
  };
}

export function caseloadDelete(tableName: string, caseId: string, userId: string): TransactItem {
  return { Delete: { TableName: tableName, Key: caseloadKey(caseId, userId) } };
}
