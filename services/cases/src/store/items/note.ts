/**
 * Note items (ADR 0014 §4), in the case's partition so the case's one Query reads them:
 * - sk `NOTE#<noteId>`: the note, draft or completed, with its `version` (the draft's optimistic
 *   lock; completion is its last write);
 * - sk `NOTE#<noteId>#AMENDMENT#<nnn>`: each amendment of a completed note, numbered from 001,
 *   written only if that number is free, never changed.
 * One family claims both (their sort keys share the prefix); `kind` tells them apart.
 */
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import type { TransactItem } from '@fsp/shared/outbox';
import { CASE_WORKING_ROLES, ROLES } from '@fsp/shared/people';
import { itemFamily } from '@fsp/shared/store';
import { StoredItemError } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';
import {
  NOTE_STATUSES,
  NOTE_TYPE_LIST,
  type Note,
  type NoteAmendment,
  type NoteWithAmendments,
  SEEN_ALONE_ANSWERS,
} from '../../domain/notes';
import { casePartitionKey } from './case';

export const NOTE_PREFIX = 'NOTE#';
const AMENDMENT_INFIX = '#AMENDMENT#';
/** Three digits: a note amended a thousandth time is refused by the schema rather than sorted out of order. */
export const MAX_AMENDMENTS = 999;

export const noteSortKeyPrefix = (noteId: string): string => `${NOTE_PREFIX}${noteId}`;
export const noteKey = (caseId: string, noteId: string) => ({ pk: casePartitionKey(caseId), sk: noteSortKeyPrefix(noteId) });
export const amendmentKey = (caseId: string, noteId: string, number: number) => ({
  pk: casePartitionKey(caseId),
  sk: `${noteSortKeyPrefix(noteId)}${AMENDMENT_INFIX}${String(number).padStart(3, '0')}`,
});

const actorSchema = z.lazy(() => z.object({ userId: idSchema, name: z.string() }));

export const noteItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('note'),
    noteId: idSchema,
    caseId: idSchema,
    type: z.enum(NOTE_TYPE_LIST),
    occurredAt: instantSchema,
    seenPersonIds: z.array(idSchema),
    seenOthers: z.optional(z.string()),
    childrenSeenAlone: z.array(z.object({ childId: idSchema, answer: z.enum(SEEN_ALONE_ANSWERS) })),
    narrative: z.string(),
    significant: z.boolean(),
    visibleTo: z.array(z.enum(CASE_WORKING_ROLES)),
    author: z.object({ userId: idSchema, name: z.string(), roles: z.array(z.enum(ROLES)) }),
    status: z.enum(NOTE_STATUSES),
    version: z.int().check(z.positive()),
    createdAt: instantSchema,
    updatedAt: instantSchema,
    completedAt: z.optional(instantSchema),
  }),
);

export const noteAmendmentItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('note-amendment'),
    caseId: idSchema,
    noteId: idSchema,
    number: z.int().check(z.minimum(1), z.maximum(MAX_AMENDMENTS)),
    reason: z.string(),
    narrative: z.string(),
    by: actorSchema,
    at: instantSchema,
  }),
);

/** Notes and their amendments as `readPartition` finds them in the case's partition. */
export const noteItemFamily = itemFamily(
  { prefix: NOTE_PREFIX },
  z.lazy(() => z.discriminatedUnion('kind', [noteItemSchema, noteAmendmentItemSchema])),
  'note or note amendment',
);

export type NoteFamilyItem = z.infer<typeof noteItemSchema> | z.infer<typeof noteAmendmentItemSchema>;

const toNote = ({ kind: _kind, ...note }: z.infer<typeof noteItemSchema>): Note => note;
const toAmendment = ({ kind: _kind, ...amendment }: z.infer<typeof noteAmendmentItemSchema>): NoteAmendment => amendment;

/**
 * Each note with its amendments, oldest amendment first. An amendment whose note is missing, or
 * amendments not numbered 1, 2, 3…, mean the partition holds what this service never writes: loud.
 */
export function notesOf(items: readonly NoteFamilyItem[]): NoteWithAmendments[] {
  const notes = new Map<string, NoteWithAmendments>();
  for (const item of items) if (item.kind === 'note') notes.set(item.noteId, { note: toNote(item), amendments: [] });
  for (const item of items) {
    if (item.kind !== 'note-amendment') continue;
    const entry = notes.get(item.noteId);
    if (!entry) throw new StoredItemError(`Case ${item.caseId} holds amendment ${item.number} of note ${item.noteId} but not the note`);
    entry.amendments.push(toAmendment(item));
  }
  for (const entry of notes.values()) {
    entry.amendments.sort((a, b) => a.number - b.number);
    entry.amendments.forEach((amendment, index) => {
      if (amendment.number !== index + 1) {
        throw new StoredItemError(`Note ${entry.note.noteId} of case ${entry.note.caseId} has amendments out of sequence`);
      }
    });
  }
  return [...notes.values()];
}

const noteItem = (note: Note) => ({ ...noteKey(note.caseId, note.noteId), kind: 'note', ...note });

/** A new draft: written only if no note has this id. */
export const newNotePut = (tableName: string, note: Note): TransactItem => ({
  Put: { TableName: tableName, Item: noteItem(note), ConditionExpression: 'attribute_not_exists(pk)' },
});

/**
 * The draft's next version (an edit, or its completion), written only over the draft version it
 * was made from: a second editor, or a second tab, finds the version moved and is told.
 */
export const draftReplace = (tableName: string, note: Note, expectedVersion: number): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: noteItem(note),
    ConditionExpression: 'version = :expected AND #status = :draft',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':expected': expectedVersion, ':draft': 'draft' },
  },
});

/** An amendment: written only if its number is free, so two workers amending at once cannot both be amendment n. */
export const amendmentPut = (tableName: string, amendment: NoteAmendment): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: { ...amendmentKey(amendment.caseId, amendment.noteId, amendment.number), kind: 'note-amendment', ...amendment },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});
