/**
 * Chronology entry items: one per entry, in the case's partition after its head
 * (sk CHRONO#<at>#<entryId>, so the sort key orders them oldest first).
 */
import { type BuildEventContext, buildEvent } from '@fsp/shared/events/build';
import { caseChronologyEntryAddedV1 } from '@fsp/shared/events/definitions/cases';
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import type { OutboundEvent, TransactItem } from '@fsp/shared/outbox';
import { itemFamily } from '@fsp/shared/store';
import * as z from 'zod/mini';
import { type CaseRecord, CHRONOLOGY_ENTRY_KINDS, type ChronologyEntry } from '../../domain/case';
import { chronologyEntryAddedData } from '../../domain/events';
import { casePartitionKey } from './case';

const CHRONOLOGY_PREFIX = 'CHRONO#';

export const chronologyEntryKey = (entry: Pick<ChronologyEntry, 'caseId' | 'at' | 'entryId'>) => ({
  pk: casePartitionKey(entry.caseId),
  sk: `${CHRONOLOGY_PREFIX}${entry.at}#${entry.entryId}`,
});

export const chronologyEntryItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('chronology'),
    entryId: z.string().check(z.minLength(1)),
    caseId: idSchema,
    entryKind: z.enum(CHRONOLOGY_ENTRY_KINDS),
    at: instantSchema,
    text: z.string(),
    referralId: idSchema,
    sourceEventId: z.string().check(z.minLength(1)),
    noteId: z.optional(idSchema),
    restricted: z.optional(z.boolean()),
  }),
);

/** The entries as `readPartition` finds them in the case's partition. */
export const chronologyEntryItemFamily = itemFamily({ prefix: CHRONOLOGY_PREFIX }, chronologyEntryItemSchema, 'chronology entry');

export const toChronologyEntry = ({ kind: _kind, entryKind, ...entry }: z.infer<typeof chronologyEntryItemSchema>): ChronologyEntry => ({
  ...entry,
  kind: entryKind,
});

/** Written once: the entry id comes from the fact it records, so the same fact written twice collides. */
export function chronologyEntryPut(tableName: string, entry: ChronologyEntry): TransactItem {
  const { kind, ...rest } = entry;
  return {
    Put: {
      TableName: tableName,
      // `kind` names the item type across the table; the entry's own kind is stored as entryKind.
      Item: { ...chronologyEntryKey(entry), kind: 'chronology', entryKind: kind, ...rest },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * CaseChronologyEntryAdded for `entry`, for the outbox of the transaction that writes it: every
 * entry cases writes is published with it, or neither is (the entry's put is conditional, so a
 * repeated fact writes neither again).
 */
export const chronologyEntryAdded = (
  entry: ChronologyEntry,
  record: Pick<CaseRecord, 'reference' | 'teamId'>,
  context: BuildEventContext,
): OutboundEvent => buildEvent(caseChronologyEntryAddedV1, chronologyEntryAddedData(entry, record), context);
