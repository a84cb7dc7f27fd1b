/**
 * Shared recording's work, the same for the JSON routes (notes-api.ts) and the pages
 * (notes-pages.ts), so that a page can never do what the API would refuse:
 *
 * - every request opens the case through the gate (http/case-access.ts: the relationship decided,
 *   the read audited, a case the worker may not see answered like a missing one); notes are for
 *   case workers (`mayReadNotes`: not the front door through a referral), writing them for those
 *   allocated or in the holding team (`mayWrite`: break-glass reads only);
 * - what a worker may read of each note is domain/notes.ts's (`notesForReader`), and every
 *   restricted note shown in full is audited before the answer (`shownInFull`);
 * - each change is the domain's, written by store/notes-store.ts on condition of what was read.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { mayReadNotes, mayWrite } from '../domain/access';
import type { ChronologyEntry } from '../domain/case';
import { type FamilyNetwork, networkFromChildIds } from '../domain/family-network';
import {
  type AmendmentInput,
  amendNote,
  checkNoteContent,
  completeNote,
  editDraft,
  isNoteRefusal,
  type Note,
  type NoteContext,
  type NoteFieldError,
  type NoteInput,
  type NoteReading,
  type NoteRefusal,
  type NoteWithAmendments,
  noteReadingFor,
  notesForReader,
  restrictedNotesShown,
  startDraft,
} from '../domain/notes';
import type { CaseFile } from '../store/case-store';
import { chronologyEntryAdded } from '../store/items/chronology-entry';
import { createNotesStore, type NoteConflict } from '../store/notes-store';
import { peopleChoices } from '../web/notes-view';
import { type CaseGate, type CaseReaderClaims, createCaseGate, type OpenedCase } from './case-access';

/** The case as the network names its people: the network item, or (a case opened before networks) its children's ids. */
export const networkOfFile = (file: CaseFile): FamilyNetwork => file.network?.network ?? networkFromChildIds(file.record.children);

/**
 * What a note is checked against: the people a note can name as seen (web/notes-view.ts
 * peopleChoices, the very list the form offers: an unborn baby is not among them), and the clock.
 */
export function noteContextOf(file: CaseFile, now: Date): NoteContext {
  const choices = peopleChoices(networkOfFile(file));
  return {
    people: new Map(choices.map((person) => [person.personId, person.name])),
    children: new Map(choices.filter((person) => person.child).map((person) => [person.personId, person.name])),
    now,
  };
}

/** A note the worker may change or complete, or the reason they may not. */
export type WorkResult<T> =
  | { kind: 'done'; value: T }
  | { kind: 'invalid'; errors: NoteFieldError[] }
  | { kind: 'refused'; refusal: NoteRefusal }
  | { kind: 'conflict'; conflict: NoteConflict }
  /** No such note, or another worker's draft (theirs until completed): answered like a missing note. */
  | { kind: 'no-note' };

export interface NotesWork {
  readonly gate: CaseGate;
  /**
   * The case, when the worker may read its notes (audited as read); undefined otherwise (audited as
   * denied by the gate, or, for the front door through a referral, read but without notes).
   */
  open(caseId: string, reader: CaseReaderClaims, requestId: string, what: string, correlationId?: string): Promise<OpenedCase | undefined>;
  /** Whether the opened case may be written by this worker (allocated or in the holding team). */
  mayWrite(opened: OpenedCase): boolean;
  /** The notes as the worker may read them, newest first. */
  readings(opened: OpenedCase): NoteReading[];
  /** One note as the worker may read it; undefined for a missing note or another worker's draft. */
  reading(opened: OpenedCase, noteId: string): NoteReading | undefined;
  /** Audits the restricted notes among `readings` shown in full: call before answering with them. */
  shownInFull(opened: OpenedCase, readings: readonly NoteReading[]): Promise<void>;
  /** A new note: its author's draft, or (`complete`) completed as it is first saved, in one write. */
  start(opened: OpenedCase, input: NoteInput, options?: { complete?: boolean }): Promise<WorkResult<Note>>;
  /** The author's draft changed, over `version`; with `complete`, changed and completed in the same write. */
  edit(opened: OpenedCase, noteId: string, input: NoteInput, version: number, options?: { complete?: boolean }): Promise<WorkResult<Note>>;
  complete(opened: OpenedCase, noteId: string, version: number): Promise<WorkResult<Note>>;
  /** `amendmentCount`: how many amendments the note had when the worker read it (a newer one is a conflict). */
  amend(opened: OpenedCase, noteId: string, input: AmendmentInput, amendmentCount?: number): Promise<WorkResult<NoteWithAmendments>>;
}

const actorOf = (reader: CaseReaderClaims) => ({ userId: reader.userId, name: reader.name ?? reader.username });

export function createNotesWork(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>): NotesWork {
  const gate = createCaseGate(runtime);
  const store = createNotesStore(runtime.documents, runtime.tableName);

  /**
   * CaseChronologyEntryAdded for a significant note's entry (none for any other note), caused by
   * the request, in its journey (the request's own id when it was opened without one).
   */
  const published = (opened: OpenedCase, entry: ChronologyEntry | undefined, now: Date) =>
    entry
      ? [
          chronologyEntryAdded(entry, opened.file.record, {
            clock: () => now,
            correlationId: opened.correlationId ?? opened.requestId,
            causationId: opened.requestId,
          }),
        ]
      : [];

  const entryOf = (opened: OpenedCase, noteId: string): NoteWithAmendments | undefined =>
    opened.file.notes.find((entry) => entry.note.noteId === noteId);

  const reading = (opened: OpenedCase, noteId: string): NoteReading | undefined => {
    const entry = entryOf(opened, noteId);
    return entry ? noteReadingFor(entry, opened.reader) : undefined;
  };

  /** The note as its author's draft, as the worker may see it; a note they cannot see is missing. */
  const visibleEntry = (opened: OpenedCase, noteId: string): NoteWithAmendments | undefined => {
    const found = reading(opened, noteId);
    return found?.shown === 'in-full' ? found.entry : undefined;
  };

  return {
    gate,
    async open(caseId, reader, requestId, what, correlationId) {
      const opened = await gate.open({ caseId, reader, requestId, what, ...(correlationId ? { correlationId } : {}) });
      return opened && mayReadNotes(opened.access) ? opened : undefined;
    },
    mayWrite: (opened) => mayWrite(opened.access),
    readings: (opened) => notesForReader(opened.file.notes, opened.reader),
    reading,
    async shownInFull(opened, readings) {
      const noteIds = restrictedNotesShown(readings);
      if (noteIds.length > 0) await gate.restrictedViewed(opened, noteIds);
    },

    async start(opened, input, options = {}) {
      const now = runtime.clock();
      const checked = checkNoteContent(input, noteContextOf(opened.file, now));
      if (!checked.ok) return { kind: 'invalid', errors: checked.errors };
      const author = { ...actorOf(opened.reader), roles: [...opened.reader.roles] };
      const note = startDraft({ noteId: `note-${randomUUID()}`, caseId: opened.file.record.caseId }, checked.content, author, now);
      if (!options.complete) {
        await store.createDraft(note);
        return { kind: 'done', value: note };
      }
      const completion = completeNote(note, author, now, { referralId: opened.file.record.referralId });
      if (isNoteRefusal(completion)) return { kind: 'refused', refusal: completion };
      await store.createCompleted(completion, published(opened, completion.chronologyEntry, now));
      return { kind: 'done', value: completion.note };
    },

    async edit(opened, noteId, input, version, options = {}) {
      const entry = visibleEntry(opened, noteId);
      if (!entry) return { kind: 'no-note' };
      const now = runtime.clock();
      const checked = checkNoteContent(input, noteContextOf(opened.file, now));
      if (!checked.ok) return { kind: 'invalid', errors: checked.errors };
      // Edited from a version other than the one there now: the worker has not seen what it says.
      if (entry.note.version !== version) return { kind: 'conflict', conflict: { conflict: 'note-changed', current: entry } };
      const edited = editDraft(entry.note, checked.content, actorOf(opened.reader), now);
      if (isNoteRefusal(edited)) return { kind: 'refused', refusal: edited };
      if (!options.complete) {
        const saved = await store.saveDraft(edited, version);
        return saved === 'saved' ? { kind: 'done', value: edited } : { kind: 'conflict', conflict: saved };
      }
      const completion = completeNote(edited, actorOf(opened.reader), now, { referralId: opened.file.record.referralId });
      if (isNoteRefusal(completion)) return { kind: 'refused', refusal: completion };
      const completed = await store.complete(completion, version, published(opened, completion.chronologyEntry, now));
      return completed === 'completed' ? { kind: 'done', value: completion.note } : { kind: 'conflict', conflict: completed };
    },

    async complete(opened, noteId, version) {
      const entry = visibleEntry(opened, noteId);
      if (!entry) return { kind: 'no-note' };
      if (entry.note.version !== version) return { kind: 'conflict', conflict: { conflict: 'note-changed', current: entry } };
      const now = runtime.clock();
      const completion = completeNote(entry.note, actorOf(opened.reader), now, { referralId: opened.file.record.referralId });
      if (isNoteRefusal(completion)) return { kind: 'refused', refusal: completion };
      const completed = await store.complete(completion, version, published(opened, completion.chronologyEntry, now));
      return completed === 'completed' ? { kind: 'done', value: completion.note } : { kind: 'conflict', conflict: completed };
    },

    async amend(opened, noteId, input, amendmentCount) {
      const found = reading(opened, noteId);
      if (!found) return { kind: 'no-note' };
      if (found.shown === 'withheld') return { kind: 'refused', refusal: { refused: 'not-readable', noteId } };
      const entry = found.entry;
      if (amendmentCount !== undefined && amendmentCount !== entry.amendments.length) {
        return { kind: 'conflict', conflict: { conflict: 'note-changed', current: entry } };
      }
      const now = runtime.clock();
      const amending = amendNote(entry, input, { ...actorOf(opened.reader), roles: opened.reader.roles }, now, {
        referralId: opened.file.record.referralId,
      });
      if (isNoteRefusal(amending)) return { kind: 'refused', refusal: amending };
      const amended = await store.amend(amending, published(opened, amending.chronologyEntry, now));
      return amended === 'amended'
        ? { kind: 'done', value: { note: entry.note, amendments: [...entry.amendments, amending.amendment] } }
        : { kind: 'conflict', conflict: amended };
    },
  };
}
