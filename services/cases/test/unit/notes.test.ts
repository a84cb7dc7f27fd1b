import { CASE_WORKING_ROLES, ROLES, type Role } from '@fsp/shared/people';
import { londonWallClockOf } from '@fsp/shared/time/london';
import fc from 'fast-check';
import * as z from 'zod/mini';
import {
  amendmentInputSchema,
  amendNote,
  type CaseWorkingRole,
  checkNoteContent,
  completeNote,
  contactInstant,
  currentNarrative,
  editDraft,
  isNoteRefusal,
  mayReadInFull,
  NARRATIVE_MAX_LENGTH,
  NOTE_TYPE_LIST,
  type Note,
  type NoteAuthor,
  type NoteContent,
  type NoteContext,
  type NoteInput,
  type NoteWithAmendments,
  noteInputSchema,
  noteReadingFor,
  notesForReader,
  RESTRICTED_ENTRY,
  restrictedNotesShown,
  SEEN_ALONE_ANSWERS,
  startDraft,
} from '../../src/domain/notes';

/** Tuesday 10 February 2026, 2:30pm in London (GMT). */
const NOW = new Date('2026-02-10T14:30:00.000Z');
const socialWorker: NoteAuthor = { userId: 'sw-0001', name: 'Sam Patel', roles: ['social-worker'] };
const specialist: NoteAuthor = { userId: 'as-0001', name: 'Jo Reid', roles: ['adult-specialist'] };
const manager: NoteAuthor = { userId: 'tm-0001', name: 'Tara Mensah', roles: ['team-manager'] };

const context: NoteContext = {
  people: new Map([
    ['child-1', 'Mia Jones'],
    ['child-2', 'Leo Jones'],
    ['adult-1', 'Kerry Jones'],
    ['prof-1', 'Amara Okafor'],
  ]),
  children: new Map([
    ['child-1', 'Mia Jones'],
    ['child-2', 'Leo Jones'],
  ]),
  now: NOW,
};

const input = (overrides: Partial<NoteInput> = {}): NoteInput => ({
  type: 'home-visit',
  contactDate: '2026-02-10',
  contactTime: '09:30',
  seenPersonIds: ['child-1', 'adult-1'],
  childrenSeenAlone: [{ childId: 'child-1', answer: 'yes' }],
  narrative: 'Mia showed me her room. She said she feels safe when Kerry’s partner is not there.',
  significant: false,
  visibleTo: [],
  ...overrides,
});

function contentOf(overrides: Partial<NoteInput> = {}): NoteContent {
  const checked = checkNoteContent(input(overrides), context);
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return checked.content;
}

const draftBy = (author: NoteAuthor, overrides: Partial<NoteInput> = {}, noteId = 'note-1'): Note =>
  startDraft({ noteId, caseId: 'case-1' }, contentOf(overrides), author, new Date('2026-02-10T10:00:00.000Z'));

function completed(author: NoteAuthor, overrides: Partial<NoteInput> = {}, noteId = 'note-1'): Note {
  const result = completeNote(draftBy(author, overrides, noteId), author, new Date('2026-02-10T11:00:00.000Z'), { referralId: 'ref-1' });
  if (isNoteRefusal(result)) throw new Error(result.refused);
  return result.note;
}

describe('noteInputSchema', () => {
  it('reads a JSON body, defaulting the lists and flags', () => {
    const parsed = z.parse(noteInputSchema, {
      type: 'observation',
      contactDate: '2026-02-09',
      contactTime: '16:05',
      narrative: 'Family time.',
    });
    expect(parsed).toEqual({
      type: 'observation',
      contactDate: '2026-02-09',
      contactTime: '16:05',
      seenPersonIds: [],
      childrenSeenAlone: [],
      narrative: 'Family time.',
      significant: false,
      visibleTo: [],
    });
  });

  it('names each field in words, GOV.UK style', () => {
    const result = z.safeParse(noteInputSchema, {
      type: 'chat',
      contactDate: '2026-02-30',
      contactTime: '9.30am',
      narrative: 'x'.repeat(NARRATIVE_MAX_LENGTH + 1),
      visibleTo: ['front-door'],
    });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]));
    expect(messages).toEqual({
      type: 'Select the type of note',
      contactDate: 'The date of the contact must be a real date, written as YYYY-MM-DD',
      contactTime: 'The time of the contact must be a time on the 24-hour clock, like 14:30',
      narrative: 'What happened must be 20,000 characters or fewer',
      'visibleTo.0': 'A restricted note can be opened to social workers, adult specialists, team managers or service managers',
    });
  });

  it('accepts any narrative of plain text up to the limit, line endings made \\n, and refuses longer ones', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'é', ' ', '\n', '\r\n', '.', '😀'), maxLength: 200 }), (text) => {
        const parsed = z.safeParse(noteInputSchema, {
          type: 'case-note',
          contactDate: '2026-02-09',
          contactTime: '10:00',
          narrative: text,
        });
        const normalised = text.replace(/\r\n?/g, '\n').trimEnd();
        if (normalised.length <= NARRATIVE_MAX_LENGTH) {
          expect(parsed.success).toBe(true);
          expect(parsed.data?.narrative).toBe(normalised);
        }
      }),
    );
    const exact = z.safeParse(noteInputSchema, {
      type: 'case-note',
      contactDate: '2026-02-09',
      contactTime: '10:00',
      narrative: 'a'.repeat(NARRATIVE_MAX_LENGTH),
    });
    expect(exact.success).toBe(true);
  });

  it('refuses control and invisible characters in the narrative', () => {
    fc.assert(
      fc.property(fc.constantFrom('\u0000', '\u001b', '\u202e', '\u200b', '\ufeff'), fc.string({ maxLength: 20 }), (bad, text) => {
        const parsed = z.safeParse(noteInputSchema, {
          type: 'case-note',
          contactDate: '2026-02-09',
          contactTime: '10:00',
          narrative: `${text}${bad}end`,
        });
        expect(parsed.success).toBe(false);
        expect(parsed.error?.issues.map((issue) => issue.message)).toContain(
          'What happened must not contain invisible or control characters',
        );
      }),
    );
  });

  it('an amendment needs its reason and a narrative', () => {
    const result = z.safeParse(amendmentInputSchema, { reason: '  ', narrative: '' });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['reason', 'Enter the reason for the amendment'],
      ['narrative', 'Enter what happened'],
    ]);
  });
});

describe('checkNoteContent', () => {
  it('turns the London date and time into the instant, on either side of the clocks changing', () => {
    expect(contentOf({ contactDate: '2026-02-10', contactTime: '09:30' }).occurredAt).toBe('2026-02-10T09:30:00.000Z');
    const summer = checkNoteContent(input({ contactDate: '2025-07-01', contactTime: '09:30' }), context);
    expect(summer.ok && summer.content.occurredAt).toBe('2025-07-01T08:30:00.000Z');
  });

  it('a date and time entered is the date and time shown, for every past minute (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: NOW, noInvalidDate: true }), (instant) => {
        const wall = londonWallClockOf(instant);
        const pad = (n: number) => String(n).padStart(2, '0');
        const date = `${wall.year}-${pad(wall.month)}-${pad(wall.day)}`;
        const time = `${pad(wall.hour)}:${pad(wall.minute)}`;
        const checked = checkNoteContent(input({ contactDate: date, contactTime: time }), context);
        expect(checked.ok).toBe(true);
        const back = londonWallClockOf(new Date(checked.ok ? checked.content.occurredAt : ''));
        expect([back.year, back.month, back.day, back.hour, back.minute]).toEqual([
          wall.year,
          wall.month,
          wall.day,
          wall.hour,
          wall.minute,
        ]);
      }),
    );
  });

  it('refuses a contact in the future, and a time the clocks skip', () => {
    expect(checkNoteContent(input({ contactTime: '14:31' }), context)).toEqual({
      ok: false,
      errors: [{ field: 'contactDate', message: 'The date and time of the contact must be now or in the past' }],
    });
    expect(checkNoteContent(input({ contactTime: '14:30' }), context).ok).toBe(true);
    expect(contactInstant('2025-03-30', '01:30')).toBeUndefined();
    expect(checkNoteContent(input({ contactDate: '2025-03-30', contactTime: '01:30' }), context)).toEqual({
      ok: false,
      errors: [{ field: 'contactTime', message: 'The time of the contact does not exist on that day (the clocks went forward)' }],
    });
  });

  it('who was seen are people from the network', () => {
    expect(checkNoteContent(input({ seenPersonIds: ['child-1', 'stranger'] }), context)).toEqual({
      ok: false,
      errors: [{ field: 'seenPersonIds', message: 'Choose the people seen from the family network' }],
    });
  });

  it('asks of each child seen whether they were seen alone, refuses "yes" for a child not seen, and drops other answers for them', () => {
    expect(checkNoteContent(input({ seenPersonIds: ['child-1', 'child-2'], childrenSeenAlone: [] }), context)).toEqual({
      ok: false,
      errors: [
        { field: 'childrenSeenAlone', childId: 'child-1', message: 'Say whether Mia Jones was seen alone' },
        { field: 'childrenSeenAlone', childId: 'child-2', message: 'Say whether Leo Jones was seen alone' },
      ],
    });
    expect(
      checkNoteContent(
        input({
          childrenSeenAlone: [
            { childId: 'child-1', answer: 'no' },
            { childId: 'child-2', answer: 'yes' },
          ],
        }),
        context,
      ),
    ).toMatchObject({ ok: false, errors: [{ field: 'childrenSeenAlone', childId: 'child-2' }] });
    const dropped = contentOf({
      childrenSeenAlone: [
        { childId: 'child-1', answer: 'no' },
        { childId: 'child-2', answer: 'not-applicable' },
      ],
    });
    expect(dropped.childrenSeenAlone).toEqual([{ childId: 'child-1', answer: 'no' }]);
  });

  it('every child seen has exactly one answer in the content, whatever was sent (property)', () => {
    const children = [...context.children.keys()];
    fc.assert(
      fc.property(
        fc.subarray(children),
        fc.array(fc.record({ childId: fc.constantFrom(...children), answer: fc.constantFrom(...SEEN_ALONE_ANSWERS) }), { maxLength: 2 }),
        (seen, answers) => {
          const unique = [...new Map(answers.map((answer) => [answer.childId, answer])).values()];
          const checked = checkNoteContent(input({ seenPersonIds: seen, childrenSeenAlone: unique }), context);
          if (!checked.ok) {
            // Only a missing answer for a child seen, or "yes" for one not seen, is refused.
            for (const error of checked.errors) {
              const answer = unique.find((entry) => entry.childId === error.childId)?.answer;
              expect(seen.includes(error.childId ?? '') ? answer === undefined : answer === 'yes').toBe(true);
            }
            return;
          }
          expect(checked.content.childrenSeenAlone.map((entry) => entry.childId).sort()).toEqual([...seen].sort());
        },
      ),
    );
  });

  it('keeps the restriction in a fixed order of roles', () => {
    expect(contentOf({ visibleTo: ['team-manager', 'adult-specialist'] }).visibleTo).toEqual(['adult-specialist', 'team-manager']);
  });
});

describe('the lifecycle', () => {
  it('a draft is changed by its author, one version at a time', () => {
    const draft = draftBy(socialWorker);
    expect(draft).toMatchObject({ status: 'draft', version: 1, author: socialWorker });
    const edited = editDraft(draft, contentOf({ narrative: 'Longer account.', seenOthers: undefined }), socialWorker, NOW);
    expect(edited).toMatchObject({ status: 'draft', version: 2, narrative: 'Longer account.', updatedAt: NOW.toISOString() });
    expect(editDraft(draft, contentOf(), specialist, NOW)).toEqual({ refused: 'not-author', noteId: 'note-1' });
  });

  it('an edit that leaves out anyone else seen removes them', () => {
    const draft = draftBy(socialWorker, { seenOthers: 'The neighbour' });
    expect(draft.seenOthers).toBe('The neighbour');
    const edited = editDraft(draft, contentOf(), socialWorker, NOW) as Note;
    expect(edited.seenOthers).toBeUndefined();
  });

  it('completing is the last change: never edited or completed again', () => {
    const note = completed(socialWorker);
    expect(note).toMatchObject({ status: 'completed', version: 2, completedAt: '2026-02-10T11:00:00.000Z' });
    expect(editDraft(note, contentOf(), socialWorker, NOW)).toEqual({ refused: 'not-draft', noteId: 'note-1' });
    expect(completeNote(note, socialWorker, NOW, { referralId: 'ref-1' })).toEqual({ refused: 'not-draft', noteId: 'note-1' });
  });

  it('only the author completes a draft, and only with a narrative', () => {
    expect(completeNote(draftBy(socialWorker), manager, NOW, { referralId: 'ref-1' })).toEqual({ refused: 'not-author', noteId: 'note-1' });
    expect(completeNote(draftBy(socialWorker, { narrative: '' }), socialWorker, NOW, { referralId: 'ref-1' })).toEqual({
      refused: 'narrative-required',
      noteId: 'note-1',
    });
  });

  it('a significant note puts an entry in the chronology when it is completed, quoting the start of it', () => {
    const result = completeNote(draftBy(socialWorker, { significant: true }), socialWorker, NOW, { referralId: 'ref-1' });
    expect(result).toMatchObject({
      chronologyEntry: {
        entryId: 'note-significant-note-1',
        kind: 'note-significant',
        // When the visit happened, not when it was written up.
        at: '2026-02-10T09:30:00.000Z',
        caseId: 'case-1',
        referralId: 'ref-1',
        noteId: 'note-1',
        text: 'Home visit recorded by Sam Patel: Mia showed me her room. She said she feels safe when Kerry’s partner is not there.',
      },
    });
    const plain = completeNote(draftBy(socialWorker), socialWorker, NOW, { referralId: 'ref-1' });
    expect(plain).not.toHaveProperty('chronologyEntry');
  });

  it('a restricted significant note’s chronology entry never holds its content (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 12, maxLength: 400 }).filter((text) => /\S{12}/.test(text) && !/[\p{Cc}\p{Cf}]/u.test(text)),
        fc.subarray([...CASE_WORKING_ROLES], { minLength: 1 }),
        (narrative, visibleTo) => {
          const result = completeNote(draftBy(specialist, { significant: true, narrative, visibleTo }), specialist, NOW, {
            referralId: 'r',
          });
          if (isNoteRefusal(result)) throw new Error(result.refused);
          const text = result.chronologyEntry?.text ?? '';
          expect(text).toBe(`${RESTRICTED_ENTRY} — home visit recorded by Jo Reid`);
        },
      ),
    );
  });

  it('a long narrative is quoted to a word boundary in the chronology', () => {
    const narrative = `${'word '.repeat(100)}end`;
    const result = completeNote(draftBy(socialWorker, { significant: true, narrative }), socialWorker, NOW, { referralId: 'r' });
    const text = isNoteRefusal(result) ? '' : (result.chronologyEntry?.text ?? '');
    expect(text.endsWith('word…')).toBe(true);
    expect(text.length).toBeLessThan(360);
  });
});

describe('amendments', () => {
  it('any worker who may read the note amends it, with a reason; the original and the amendments are kept, numbered', () => {
    const note = completed(socialWorker);
    const first = amendNote({ note, amendments: [] }, { reason: 'Wrong name', narrative: 'Corrected.' }, manager, NOW, { referralId: 'r' });
    if (isNoteRefusal(first)) throw new Error(first.refused);
    expect(first.amendment).toEqual({
      caseId: 'case-1',
      noteId: 'note-1',
      number: 1,
      reason: 'Wrong name',
      narrative: 'Corrected.',
      by: { userId: manager.userId, name: manager.name },
      at: NOW.toISOString(),
    });
    const entry: NoteWithAmendments = { note, amendments: [first.amendment] };
    expect(currentNarrative(entry)).toBe('Corrected.');
    expect(entry.note.narrative).toBe(note.narrative);
    const second = amendNote(entry, { reason: 'Typo', narrative: 'Corrected again.' }, socialWorker, NOW, { referralId: 'r' });
    expect(isNoteRefusal(second) ? undefined : second.amendment.number).toBe(2);
  });

  it('refuses a draft, a note the worker cannot read, and an amendment that changes nothing', () => {
    expect(
      amendNote({ note: draftBy(socialWorker), amendments: [] }, { reason: 'r', narrative: 'n' }, socialWorker, NOW, { referralId: 'r' }),
    ).toEqual({
      refused: 'not-completed',
      noteId: 'note-1',
    });
    const restricted = completed(specialist, { visibleTo: ['adult-specialist'] });
    expect(
      amendNote({ note: restricted, amendments: [] }, { reason: 'r', narrative: 'n' }, socialWorker, NOW, { referralId: 'r' }),
    ).toEqual({
      refused: 'not-readable',
      noteId: 'note-1',
    });
    const note = completed(socialWorker);
    expect(amendNote({ note, amendments: [] }, { reason: 'r', narrative: note.narrative }, socialWorker, NOW, { referralId: 'r' })).toEqual(
      {
        refused: 'nothing-changed',
        noteId: 'note-1',
      },
    );
  });

  it('an amendment of a significant note is in the chronology too; a restricted one without its content', () => {
    const open = completed(socialWorker, { significant: true });
    const amended = amendNote({ note: open, amendments: [] }, { reason: 'Wrong day', narrative: 'Seen on Monday.' }, socialWorker, NOW, {
      referralId: 'r',
    });
    expect(amended).toMatchObject({
      chronologyEntry: {
        kind: 'note-amended',
        entryId: 'note-amended-note-1-1',
        text: 'Significant home visit amended by Sam Patel (Wrong day): Seen on Monday.',
      },
    });
    const restricted = completed(specialist, { significant: true, visibleTo: ['adult-specialist'] });
    const hidden = amendNote({ note: restricted, amendments: [] }, { reason: 'Secret reason', narrative: 'Secret.' }, specialist, NOW, {
      referralId: 'r',
    });
    expect(hidden).toMatchObject({ chronologyEntry: { text: `${RESTRICTED_ENTRY} — home visit amended by Jo Reid` } });
  });
});

describe('who reads what', () => {
  const roleSets = fc.subarray([...ROLES] as Role[], { minLength: 1 });

  it('others’ drafts are not listed; the author always reads their own', () => {
    const draft = { note: draftBy(socialWorker, { visibleTo: ['team-manager'] }), amendments: [] };
    expect(noteReadingFor(draft, manager)).toBeUndefined();
    expect(noteReadingFor(draft, socialWorker)).toEqual({ shown: 'in-full', entry: draft, restricted: true });
  });

  it('a restricted note is withheld from every role it is not open to, showing only its type, author and dates (property)', () => {
    fc.assert(
      fc.property(
        fc.subarray([...CASE_WORKING_ROLES] as CaseWorkingRole[], { minLength: 1 }),
        roleSets,
        fc.string({ minLength: 10, maxLength: 60 }).filter((text) => text.trim().length > 0 && !/[\p{Cc}\p{Cf}]/u.test(text)),
        (visibleTo, readerRoles, narrative) => {
          const note = completed(specialist, { visibleTo, narrative });
          const reader = { userId: 'someone-else', roles: readerRoles };
          const reading = noteReadingFor({ note, amendments: [] }, reader);
          const open = visibleTo.some((role) => readerRoles.includes(role));
          expect(mayReadInFull(note, reader)).toBe(open);
          expect(reading?.shown).toBe(open ? 'in-full' : 'withheld');
          if (reading?.shown === 'withheld') {
            expect(Object.keys(reading.withheld).sort()).toEqual(['author', 'caseId', 'completedAt', 'noteId', 'occurredAt', 'type']);
            expect(JSON.stringify(reading)).not.toContain(JSON.stringify(narrative).slice(1, -1));
          }
          expect(noteReadingFor({ note, amendments: [] }, { userId: specialist.userId, roles: ['front-door'] })?.shown).toBe('in-full');
        },
      ),
    );
  });

  it('lists the notes newest contact first, and names the restricted ones shown in full (for the audit)', () => {
    const older = completed(socialWorker, { contactTime: '08:00' }, 'note-a');
    const restricted = completed(specialist, { contactTime: '10:00', visibleTo: ['adult-specialist', 'team-manager'] }, 'note-b');
    const mine = draftBy(manager, { contactTime: '09:00' }, 'note-c');
    const entries = [older, restricted, mine].map((note) => ({ note, amendments: [] }));

    const forManager = notesForReader(entries, manager);
    expect(forManager.map((reading) => reading.shown)).toEqual(['in-full', 'in-full', 'in-full']);
    expect(forManager.map((reading) => (reading.shown === 'in-full' ? reading.entry.note.noteId : ''))).toEqual([
      'note-b',
      'note-c',
      'note-a',
    ]);
    expect(restrictedNotesShown(forManager)).toEqual(['note-b']);

    const forSocialWorker = notesForReader(entries, socialWorker);
    expect(forSocialWorker.map((reading) => reading.shown)).toEqual(['withheld', 'in-full']);
    expect(restrictedNotesShown(forSocialWorker)).toEqual([]);
  });

  it('every type has a name', () => {
    expect(NOTE_TYPE_LIST.length).toBeGreaterThanOrEqual(8);
  });
});
