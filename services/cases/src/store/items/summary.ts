/**
 * The case summary item (issue 12 Deliver 5): a short plain-text statement of who the family is
 * and why we are involved, kept current by the workers on the case. One per case, in the case's
 * partition (pk CASE#<caseId>, sk SUMMARY), read with the case; absent until first written.
 * Versioned like the network; each change keeps its before and after in the case's history
 * partition (sk SUMMARY#<at>#<changeId>).
 */
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import type { TransactItem } from '@fsp/shared/outbox';
import { itemFamily } from '@fsp/shared/store';
import * as z from 'zod/mini';
import type { Actor } from '../../domain/family-network';
import { casePartitionKey } from './case';
import { actorSchema, caseHistoryPartitionKey } from './network';

export const SUMMARY_SORT_KEY = 'SUMMARY';
const HISTORY_PREFIX = 'SUMMARY#';

export const summaryKey = (caseId: string) => ({ pk: casePartitionKey(caseId), sk: SUMMARY_SORT_KEY });

export const summaryItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('summary'),
    caseId: idSchema,
    text: z.string(),
    version: z.int().check(z.positive()),
    updatedAt: instantSchema,
    updatedBy: actorSchema,
  }),
);

export const summaryItemFamily = itemFamily({ equals: SUMMARY_SORT_KEY }, summaryItemSchema, 'case summary');

export interface SummaryItem {
  caseId: string;
  text: string;
  version: number;
  updatedAt: string;
  updatedBy: Actor;
}

export const toSummaryItem = ({ kind: _kind, ...item }: z.infer<typeof summaryItemSchema>): SummaryItem => item;

/** The summary at its next version, only over the version read (only if absent when `readVersion` is 0). */
export function summaryReplace(tableName: string, item: SummaryItem, readVersion: number): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...summaryKey(item.caseId), kind: 'summary', ...item },
      ...(readVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': readVersion } }),
    },
  };
}

export interface SummaryHistoryEntry {
  caseId: string;
  changeId: string;
  version: number;
  at: string;
  by: Actor;
  /** Absent for the first summary. */
  before?: string;
  after: string;
}

export const summaryHistoryKey = (entry: Pick<SummaryHistoryEntry, 'caseId' | 'at' | 'changeId'>) => ({
  pk: caseHistoryPartitionKey(entry.caseId),
  sk: `${HISTORY_PREFIX}${entry.at}#${entry.changeId}`,
});

export const summaryHistoryItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('summary-change'),
    caseId: idSchema,
    changeId: idSchema,
    version: z.int().check(z.positive()),
    at: instantSchema,
    by: actorSchema,
    before: z.optional(z.string()),
    after: z.string(),
  }),
);

export const summaryHistoryItemFamily = itemFamily({ prefix: HISTORY_PREFIX }, summaryHistoryItemSchema, 'case summary change');

export function summaryHistoryPut(tableName: string, entry: SummaryHistoryEntry): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...summaryHistoryKey(entry), kind: 'summary-change', ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
