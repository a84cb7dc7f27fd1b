/**
 * The notes store against DynamoDB Local: a case opened by the real consumer, then drafts, their
 * conflicts, completion (with the chronology entry of a significant note in the same transaction),
 * amendments, and what the case's one Query reads back.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { caseChronologyEntryAddedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { type ChronologyEntry, caseIdForReferral } from '../../src/domain/case';
import {
  amendNote,
  completeNote,
  editDraft,
  isNoteRefusal,
  type Note,
  type NoteAuthor,
  type NoteContent,
  startDraft,
} from '../../src/domain/notes';
import { createCaseStore } from '../../src/store/case-store';
import { chronologyEntryAdded, chronologyEntryPut } from '../../src/store/items/chronology-entry';
import { createNotesStore, isNoteConflict, type NotesStore } from '../../src/store/notes-store';
import { outboxOf } from '../support/outbox';
import { referralAccepted } from '../support/referral-accepted';

const NOW = new Date('2026-02-10T14:30:00.000Z');
/** The case opened the day before: its notes' contacts come after it in the chronology. */
const OPENED = new Date('2026-02-09T10:00:00.000Z');
const referralId = '01JGZ8Q4V7K3M2N5P6R8S9T0VW';
const caseId = caseIdForReferral(referralId);
const author: NoteAuthor = { userId: 'sw-0001', name: 'Sam Patel', roles: ['social-worker'] };
const manager: NoteAuthor = { userId: 'tm-0001', name: 'Tara Mensah', roles: ['team-manager'] };

let table: TestTable;
let runtime: ServiceRuntime;
let notes: NotesStore;

const content = (overrides: Partial<NoteContent> = {}): NoteContent => ({
  type: 'home-visit',
  occurredAt: '2026-02-10T09:30:00.000Z',
  seenPersonIds: [],
  childrenSeenAlone: [],
  narrative: 'Visited the family at home. Mia was playing in the garden.',
  significant: false,
  visibleTo: [],
  ...overrides,
});

beforeEach(async () => {
  const setup = await createTestRuntime('cases', fixedClock(NOW.toISOString()));
  table = setup.table;
  runtime = setup.runtime;
  notes = createNotesStore(runtime.documents, runtime.tableName);
  await deliverUntilAccepted(createReferralAcceptedConsumer({ ...runtime, clock: () => OPENED }), [referralAccepted({ referralId })]);
});
afterEach(async () => {
  await table.drop();
});

const readCase = async () => {
  const file = await createCaseStore(runtime.documents, runtime.tableName).readCase(caseId);
  if (!file) throw new Error('the case did not open');
  return file;
};

async function draft(overrides: Partial<NoteContent> = {}, noteId = 'note-0001'): Promise<Note> {
  const note = startDraft({ noteId, caseId }, content(overrides), author, NOW);
  await notes.createDraft(note);
  return note;
}

/** What notes-work hands the store with a significant note's entry: its CaseChronologyEntryAdded. */
const published = (entry: ChronologyEntry | undefined) =>
  entry
    ? [
        chronologyEntryAdded(
          entry,
          { reference: 'FSP-2026-000123', teamId: 'team-north-1' },
          { clock: () => NOW, correlationId: 'req-note', causationId: 'req-note' },
        ),
      ]
    : [];

/** The entries published beyond the opening's. */
const entriesPublished = async () =>
  (await outboxOf(table, caseChronologyEntryAddedV1)).filter((event) => event.data.kind !== 'case-opened').map((event) => event.data);

function completionOf(note: Note) {
  const result = completeNote(note, author, NOW, { referralId });
  if (isNoteRefusal(result)) throw new Error(result.refused);
  return result;
}

describe('drafts', () => {
  it('are read with the case, and the case head’s version does not move', async () => {
    const before = await readCase();
    const note = await draft();
    const file = await readCase();
    expect(file.notes).toEqual([{ note, amendments: [] }]);
    expect(file.record.version).toBe(before.record.version);
  });

  it('a second editor of the same version is told, with the note as it now stands; nothing is overwritten', async () => {
    const note = await draft();
    const first = editDraft(note, content({ narrative: 'First tab’s words.' }), author, NOW) as Note;
    const second = editDraft(note, content({ narrative: 'Second tab’s words.' }), author, NOW) as Note;
    const [a, b] = await Promise.all([notes.saveDraft(first, note.version), notes.saveDraft(second, note.version)]);
    const results = [a, b];
    expect(results.filter((result) => result === 'saved')).toHaveLength(1);
    const lost = results.find(isNoteConflict);
    const winner = a === 'saved' ? first : second;
    expect(lost).toEqual({ conflict: 'note-changed', current: { note: winner, amendments: [] } });
    expect((await readCase()).notes[0]?.note.narrative).toBe(winner.narrative);
  });

  it('refuses a new draft with an id already used', async () => {
    await draft();
    await expect(notes.createDraft(startDraft({ noteId: 'note-0001', caseId }, content(), manager, NOW))).rejects.toThrow(
      'already has a note note-0001',
    );
  });
});

describe('completing', () => {
  it('is the last change: an edit or a second completion after it is a conflict, and the note stays as completed', async () => {
    const note = await draft();
    const completion = completionOf(note);
    await expect(notes.complete(completion, note.version, published(completion.chronologyEntry))).resolves.toBe('completed');
    const edited = editDraft(note, content({ narrative: 'Changed after.' }), author, NOW) as Note;
    await expect(notes.saveDraft(edited, note.version)).resolves.toEqual({
      conflict: 'note-changed',
      current: { note: completion.note, amendments: [] },
    });
    // Even a writer who read the completed version cannot write a draft over it.
    await expect(notes.saveDraft({ ...edited, version: 3 }, completion.note.version)).resolves.toMatchObject({ conflict: 'note-changed' });
    await expect(notes.complete(completion, note.version, published(completion.chronologyEntry))).resolves.toMatchObject({
      conflict: 'note-changed',
    });
    expect((await readCase()).notes).toEqual([{ note: completion.note, amendments: [] }]);
  });

  it('a significant note writes its chronology entry in the same transaction', async () => {
    const note = await draft({ significant: true });
    const completion = completionOf(note);
    await notes.complete(completion, note.version, published(completion.chronologyEntry));
    const file = await readCase();
    expect(file.chronology.map((entry) => entry.kind)).toEqual(['case-opened', 'note-significant']);
    expect(file.chronology[1]).toEqual(completion.chronologyEntry);
    expect(await entriesPublished()).toEqual([
      {
        caseId,
        reference: 'FSP-2026-000123',
        teamId: 'team-north-1',
        entryId: `note-significant-${note.noteId}`,
        kind: 'note-significant',
        at: '2026-02-10T09:30:00.000Z',
        text: 'Home visit recorded by Sam Patel: Visited the family at home. Mia was playing in the garden.',
        restricted: false,
      },
    ]);
  });

  it('a note that is not significant publishes nothing', async () => {
    const note = await draft();
    await notes.complete(completionOf(note), note.version, []);
    expect(await entriesPublished()).toEqual([]);
  });

  it('a restricted significant note publishes only the line the whole team may read', async () => {
    const note = await draft({ significant: true, visibleTo: ['adult-specialist'] });
    const completion = completionOf(note);
    await notes.complete(completion, note.version, published(completion.chronologyEntry));
    const [entry] = await entriesPublished();
    expect(entry).toMatchObject({
      kind: 'note-significant',
      text: 'Restricted entry — home visit recorded by Sam Patel',
      restricted: true,
    });
    expect(JSON.stringify(await itemsOfKind(table, 'outbox'))).not.toContain('Mia was playing');
  });

  it('when the chronology entry cannot be written, the note is not completed either', async () => {
    const note = await draft({ significant: true });
    const completion = completionOf(note);
    const entry = completion.chronologyEntry;
    if (!entry) throw new Error('no chronology entry');
    // An entry already where this one goes: the transaction is refused whole.
    await runtime.documents.send(
      new PutCommand({ TableName: runtime.tableName, Item: chronologyEntryPut(runtime.tableName, entry).Put?.Item }),
    );
    await expect(notes.complete(completion, note.version, published(completion.chronologyEntry))).resolves.toMatchObject({
      conflict: 'note-changed',
      current: { note: { status: 'draft', version: 1 } },
    });
    expect(await entriesPublished()).toEqual([]);
  });
});

describe('amendments', () => {
  async function completed(overrides: Partial<NoteContent> = {}) {
    const note = await draft(overrides);
    const completion = completionOf(note);
    await notes.complete(completion, note.version, published(completion.chronologyEntry));
    return completion.note;
  }

  it('keep the original and every amendment, in order', async () => {
    const note = await completed();
    const first = amendNote({ note, amendments: [] }, { reason: 'Wrong day', narrative: 'Visited on Monday.' }, manager, NOW, {
      referralId,
    });
    if (isNoteRefusal(first)) throw new Error(first.refused);
    await expect(notes.amend(first, published(first.chronologyEntry))).resolves.toBe('amended');
    const second = amendNote(
      { note, amendments: [first.amendment] },
      { reason: 'Typo', narrative: 'Visited on Monday 9th.' },
      author,
      NOW,
      {
        referralId,
      },
    );
    if (isNoteRefusal(second)) throw new Error(second.refused);
    await expect(notes.amend(second, published(second.chronologyEntry))).resolves.toBe('amended');

    const [entry] = (await readCase()).notes;
    expect(entry?.note).toEqual(note);
    expect(entry?.amendments).toEqual([first.amendment, second.amendment]);
    await expect(notes.readNote(caseId, note.noteId)).resolves.toEqual(entry);
  });

  it('two workers amending at once: one is amendment 1, the other is told and shown it', async () => {
    const note = await completed();
    const amend = (who: NoteAuthor, narrative: string) => {
      const result = amendNote({ note, amendments: [] }, { reason: 'Correction', narrative }, who, NOW, { referralId });
      if (isNoteRefusal(result)) throw new Error(result.refused);
      return result;
    };
    const [mine, theirs] = [amend(author, 'Mine.'), amend(manager, 'Theirs.')];
    const results = await Promise.all([
      notes.amend(mine, published(mine.chronologyEntry)),
      notes.amend(theirs, published(theirs.chronologyEntry)),
    ]);
    expect(results.filter((result) => result === 'amended')).toHaveLength(1);
    const lost = results.find(isNoteConflict);
    expect(lost?.current?.amendments).toHaveLength(1);
    expect((await readCase()).notes[0]?.amendments).toHaveLength(1);
  });

  it('of a significant note writes a chronology entry with it', async () => {
    const note = await completed({ significant: true });
    const amending = amendNote({ note, amendments: [] }, { reason: 'Wrong day', narrative: 'Visited on Monday.' }, manager, NOW, {
      referralId,
    });
    if (isNoteRefusal(amending)) throw new Error(amending.refused);
    await notes.amend(amending, published(amending.chronologyEntry));
    // Completed and amended at the same instant here: the chronology orders them by id.
    expect((await readCase()).chronology.map((entry) => entry.kind).sort()).toEqual(['case-opened', 'note-amended', 'note-significant']);
    expect((await entriesPublished()).map((event) => [event.kind, event.entryId])).toEqual(
      expect.arrayContaining([['note-amended', `note-amended-${note.noteId}-1`]]),
    );
    expect(await entriesPublished()).toHaveLength(2);
  });
});

it('a note id that begins another’s reads only its own note', async () => {
  await draft({}, 'note-1');
  const longer = await draft({ narrative: 'Another note.' }, 'note-10');
  await expect(notes.readNote(caseId, 'note-10')).resolves.toEqual({ note: longer, amendments: [] });
  await expect(notes.readNote(caseId, 'note-1')).resolves.toMatchObject({ note: { noteId: 'note-1' } });
  await expect(notes.readNote(caseId, 'note-2')).resolves.toBeUndefined();
  expect((await readCase()).notes.map((entry) => entry.note.noteId).sort()).toEqual(['note-1', 'note-10']);
});
