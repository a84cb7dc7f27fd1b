/**
 * Writing notes (ADR 0014 §4): every write is conditional, so nothing is overwritten unseen. Notes
 * are read with the case (store/case-store.ts readCase, one Query of the case's partition); this
 * reads a single note only to tell a writer who lost a race what the note says now.
 *
 * | access pattern                 | key condition                                                                 |
 * |--------------------------------|-------------------------------------------------------------------------------|
 * | start a draft                  | Put CASE#<caseId> / NOTE#<noteId> if absent                                    |
 * | record a note completed at once| TransactWrite: that Put (status completed) + the chronology entry and its CaseChronologyEntryAdded (outbox) if significant |
 * | change a draft                 | Put NOTE#<noteId> if version = the version edited AND status = draft            |
 * | complete a note                | TransactWrite: that Put (status completed) + the chronology entry and its CaseChronologyEntryAdded (outbox) if significant |
 * | amend a completed note         | TransactWrite: Put NOTE#<noteId>#AMENDMENT#<nnn> if absent + the chronology entry and its CaseChronologyEntryAdded (outbox) if significant |
 * | a note with its amendments     | Query pk = CASE#<caseId>, sk begins_with NOTE#<noteId> (consistent)            |
 *
 * The case head's version is not moved by notes: every worker on the case records, and a note
 * must not conflict with an allocation or a network change made at the same moment.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf } from '@fsp/shared/dynamo-errors';
import { type OutboundEvent, type TransactItem, writeWithOutbox } from '@fsp/shared/outbox';
import { conditionalWrite } from '@fsp/shared/store';
import { parseStoredItem } from '@fsp/shared/stored-item';
import type { Amending, Completion, Note, NoteWithAmendments } from '../domain/notes';
import { casePartitionKey } from './items/case';
import { chronologyEntryPut } from './items/chronology-entry';
import { amendmentPut, draftReplace, MAX_AMENDMENTS, newNotePut, noteItemFamily, noteSortKeyPrefix, notesOf } from './items/note';

/**
 * The note changed since the writer read it (another tab saved the draft, it was completed, someone
 * amended it first): nothing was written, and `current` is the note as it now stands, to show.
 */
export interface NoteConflict {
  conflict: 'note-changed';
  current: NoteWithAmendments | undefined;
}

export const isNoteConflict = (result: unknown): result is NoteConflict =>
  typeof result === 'object' && result !== null && 'conflict' in result && result.conflict === 'note-changed';

/** A note id was used twice: ids are random, so this is a bug, never a race to report. */
export class NoteIdTakenError extends Error {
  override readonly name = 'NoteIdTakenError';
  constructor(
    readonly caseId: string,
    readonly noteId: string,
  ) {
    super(`Case ${caseId} already has a note ${noteId}`);
  }
}

/** A thousandth amendment would not fit the key's three digits. */
export class TooManyAmendmentsError extends Error {
  override readonly name = 'TooManyAmendmentsError';
  constructor(readonly noteId: string) {
    super(`Note ${noteId} already has ${MAX_AMENDMENTS} amendments`);
  }
}

export interface NotesStore {
  /** The note with its amendments, read consistently; undefined when there is none. */
  readNote(caseId: string, noteId: string): Promise<NoteWithAmendments | undefined>;
  createDraft(note: Note): Promise<void>;
  /**
   * A note completed as it is first saved, with a significant note's chronology entry, in one
   * transaction. `events`: the entry's CaseChronologyEntryAdded (none for a note that is not significant),
   * put in the outbox in that transaction; the same for complete and amend.
   */
  createCompleted(completion: Completion, events: readonly OutboundEvent[]): Promise<void>;
  /** The draft's new version, only over `expectedVersion`. */
  saveDraft(note: Note, expectedVersion: number): Promise<'saved' | NoteConflict>;
  /** The completed note and, for a significant one, its chronology entry, in one transaction, only over `expectedVersion`. */
  complete(completion: Completion, expectedVersion: number, events: readonly OutboundEvent[]): Promise<'completed' | NoteConflict>;
  /** The amendment and, for a significant note, its chronology entry, in one transaction, only if its number is free. */
  amend(amending: Amending, events: readonly OutboundEvent[]): Promise<'amended' | NoteConflict>;
}

export function createNotesStore(documents: DynamoDBDocumentClient, tableName: string): NotesStore {
  async function readNote(caseId: string, noteId: string): Promise<NoteWithAmendments | undefined> {
    const found = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': casePartitionKey(caseId), ':prefix': noteSortKeyPrefix(noteId) },
        ConsistentRead: true,
      }),
    );
    // The prefix also finds notes whose ids start with this one: they are parsed, then left out.
    const items = (found.Items ?? []).map((item) => parseStoredItem(noteItemFamily.schema, item, noteItemFamily.description));
    return notesOf(items).find((entry) => entry.note.noteId === noteId);
  }

  const conflict = async (caseId: string, noteId: string): Promise<NoteConflict> => ({
    conflict: 'note-changed',
    current: await readNote(caseId, noteId),
  });

  async function createDraft(note: Note): Promise<void> {
    const { Put } = newNotePut(tableName, note);
    const written = await conditionalWrite(() => documents.send(new PutCommand(Put as NonNullable<typeof Put>)));
    if (!written) throw new NoteIdTakenError(note.caseId, note.noteId);
  }

  async function createCompleted({ note, chronologyEntry }: Completion, events: readonly OutboundEvent[]): Promise<void> {
    const refused = await transact(
      [newNotePut(tableName, note), ...(chronologyEntry ? [chronologyEntryPut(tableName, chronologyEntry)] : [])],
      events,
      note.updatedAt,
      note.caseId,
      note.noteId,
    );
    if (refused) throw new NoteIdTakenError(note.caseId, note.noteId);
  }

  async function saveDraft(note: Note, expectedVersion: number): Promise<'saved' | NoteConflict> {
    const { Put } = draftReplace(tableName, note, expectedVersion);
    const written = await conditionalWrite(() => documents.send(new PutCommand(Put as NonNullable<typeof Put>)));
    return written ? 'saved' : conflict(note.caseId, note.noteId);
  }

  /**
   * One transaction with its outbox items; a refused condition (any of them: each is on the note's
   * own state, and an outbox item's event id is new) is the note having moved on.
   */
  async function transact(
    items: TransactItem[],
    events: readonly OutboundEvent[],
    at: string,
    caseId: string,
    noteId: string,
  ): Promise<NoteConflict | undefined> {
    try {
      await writeWithOutbox(documents, { tableName, writes: items, events, now: new Date(at) });
      return undefined;
    } catch (error) {
      if (failedConditionsOf(error) === undefined) throw error;
      return conflict(caseId, noteId);
    }
  }

  async function complete(
    { note, chronologyEntry }: Completion,
    expectedVersion: number,
    events: readonly OutboundEvent[],
  ): Promise<'completed' | NoteConflict> {
    const refused = await transact(
      [draftReplace(tableName, note, expectedVersion), ...(chronologyEntry ? [chronologyEntryPut(tableName, chronologyEntry)] : [])],
      events,
      note.updatedAt,
      note.caseId,
      note.noteId,
    );
    return refused ?? 'completed';
  }

  async function amend({ amendment, chronologyEntry }: Amending, events: readonly OutboundEvent[]): Promise<'amended' | NoteConflict> {
    if (amendment.number > MAX_AMENDMENTS) throw new TooManyAmendmentsError(amendment.noteId);
    const refused = await transact(
      [amendmentPut(tableName, amendment), ...(chronologyEntry ? [chronologyEntryPut(tableName, chronologyEntry)] : [])],
      events,
      amendment.at,
      amendment.caseId,
      amendment.noteId,
    );
    return refused ?? 'amended';
  }

  return { readNote, createDraft, createCompleted, saveDraft, complete, amend };
}
