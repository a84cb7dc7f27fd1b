/**
 * Shared recording (ADR 0014 §4, issue 12 Deliver 3; DOMAIN.md, Cases): every worker on the case
 * records their visits, contacts, direct work and observations in the family's one record.
 *
 * - A note starts as its author's draft: only they see it and change it, each change on the
 *   version it was made from (the store's conditional write), so a second tab is told, never
 *   overwritten.
 * - Completing it is its last change: a completed note is never edited or deleted. A note marked
 *   significant goes into the chronology when it is completed.
 * - A completed note is corrected by an amendment: the reason, the new narrative, who and when.
 *   The original and every amendment are kept and shown.
 * - A restricted note (an adult's mental-health detail, say) names the roles that may read it;
 *   its author always may. Everyone else who reads the case sees that it exists (its type, author
 *   and date), never its content.
 *
 * Pure: no AWS, no I/O; the time is passed in.
 */
import { onFirstUse } from '@fsp/shared/first-use';
import { wholeNumber } from '@fsp/shared/numbers';
import { CASE_WORKING_ROLES, type Role } from '@fsp/shared/people';
import { plainText } from '@fsp/shared/text';
import { type LocalDate, localDateSchema } from '@fsp/shared/time/local-date';
import { londonWallClockInstant } from '@fsp/shared/time/london';
import * as z from 'zod/mini';
import type { ChronologyEntry } from './case';
import type { Actor } from './family-network';

// ---------------------------------------------------------------------------------------------
// Vocabularies
// ---------------------------------------------------------------------------------------------

/**
 * What a note records, as social workers and adult specialists name their work. Visits are the
 * statutory ones as well as any other; contacts are by phone, video or in writing; direct work is
 * planned work with a child (or an adult, for a specialist); an observation is of the family
 * together (family time, a parent with a baby). Meetings and management oversight are recorded in
 * the same record because the chronology and an inspection read them there.
 */
export const NOTE_TYPES = {
  'home-visit': 'Home visit',
  'visit-elsewhere': 'Visit somewhere else (school, nursery, contact centre)',
  'office-appointment': 'Office appointment',
  'phone-or-video-call': 'Phone or video call',
  'written-contact': 'Letter, email or text message',
  'direct-work': 'Direct work',
  observation: 'Observation',
  'professional-contact': 'Contact with another professional',
  meeting: 'Meeting (strategy, core group, child in need, family meeting)',
  'management-oversight': 'Management oversight',
  'case-note': 'Other case note',
} as const;
export type NoteType = keyof typeof NOTE_TYPES;
export const NOTE_TYPE_LIST = Object.keys(NOTE_TYPES) as [NoteType, ...NoteType[]];

/** Shorter names for lists and the chronology, where the hint in brackets is noise. */
export const NOTE_TYPE_SHORT_NAMES: Readonly<Record<NoteType, string>> = {
  'home-visit': 'Home visit',
  'visit-elsewhere': 'Visit',
  'office-appointment': 'Office appointment',
  'phone-or-video-call': 'Phone or video call',
  'written-contact': 'Written contact',
  'direct-work': 'Direct work',
  observation: 'Observation',
  'professional-contact': 'Contact with a professional',
  meeting: 'Meeting',
  'management-oversight': 'Management oversight',
  'case-note': 'Case note',
};

/** Was the child seen alone: asked of each child the note says was seen. */
export const SEEN_ALONE_ANSWERS = ['yes', 'no', 'not-applicable'] as const;
export type SeenAloneAnswer = (typeof SEEN_ALONE_ANSWERS)[number];

/** The roles a restricted note can be opened to: those that read cases (the front door reads no notes). */
export type CaseWorkingRole = (typeof CASE_WORKING_ROLES)[number];

/** A narrative is plain text a worker types, up to this many characters (an hour's visit fits; a report does not). */
export const NARRATIVE_MAX_LENGTH = 20_000;
export const AMENDMENT_REASON_MAX_LENGTH = 1_000;
export const SEEN_OTHERS_MAX_LENGTH = 500;

// ---------------------------------------------------------------------------------------------
// The note
// ---------------------------------------------------------------------------------------------

export interface ChildSeenAlone {
  childId: string;
  answer: SeenAloneAnswer;
}

/** What the author writes: everything a draft holds and a completion freezes. */
export interface NoteContent {
  type: NoteType;
  /** When the contact happened, as an instant (entered and shown on the London wall clock). */
  occurredAt: string;
  /** People from the family network who were seen, by their network id. */
  seenPersonIds: string[];
  /** Anyone else seen, in words ("the neighbour who answered the door"). */
  seenOthers?: string;
  /** One answer per child seen. */
  childrenSeenAlone: ChildSeenAlone[];
  narrative: string;
  /** Goes into the chronology when the note is completed. */
  significant: boolean;
  /** Empty: everyone who reads the case reads it. Otherwise only these roles, and the author. */
  visibleTo: CaseWorkingRole[];
}

export const NOTE_STATUSES = ['draft', 'completed'] as const;
export type NoteStatus = (typeof NOTE_STATUSES)[number];

/** Who wrote a note: as they were named, and the roles they held, when they started it. */
export interface NoteAuthor extends Actor {
  roles: Role[];
}

export interface Note extends NoteContent {
  noteId: string;
  caseId: string;
  author: NoteAuthor;
  status: NoteStatus;
  /** Moves on with every change of the draft and with completion; the store writes on condition of it. */
  version: number;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
}

/** A correction of a completed note; the note and earlier amendments stay as they were. */
export interface NoteAmendment {
  caseId: string;
  noteId: string;
  /** 1 for the first amendment, then 2…: the store's key, so two amending at once cannot both be number n. */
  number: number;
  reason: string;
  /** The narrative as it now reads. */
  narrative: string;
  by: Actor;
  at: string;
}

export interface NoteWithAmendments {
  note: Note;
  /** Oldest first. */
  amendments: NoteAmendment[];
}

/** The narrative as it reads now: the latest amendment's, or the note's own. */
export const currentNarrative = ({ note, amendments }: NoteWithAmendments): string => amendments.at(-1)?.narrative ?? note.narrative;

export const isRestricted = (note: Pick<Note, 'visibleTo'>): boolean => note.visibleTo.length > 0;

// ---------------------------------------------------------------------------------------------
// Input: what a JSON route or the form (after web/note-form.ts) sends. Messages name the field in
// words, because they reach a person through the GOV.UK error summary.
// ---------------------------------------------------------------------------------------------

export interface NoteInput {
  type: NoteType;
  /** London calendar day, YYYY-MM-DD. */
  contactDate: string;
  /** London wall clock, HH:MM (24-hour). */
  contactTime: string;
  seenPersonIds: string[];
  seenOthers?: string | undefined;
  childrenSeenAlone: ChildSeenAlone[];
  narrative: string;
  significant: boolean;
  visibleTo: CaseWorkingRole[];
}

export interface AmendmentInput {
  reason: string;
  narrative: string;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

const narrativeSchema = (required: boolean) =>
  z.string('Enter what happened').check(
    z.overwrite((value) => value.replace(/\r\n?/g, '\n').trimEnd()),
    ...(required ? [z.minLength(1, 'Enter what happened')] : []),
    z.maxLength(NARRATIVE_MAX_LENGTH, `What happened must be ${wholeNumber(NARRATIVE_MAX_LENGTH)} characters or fewer`),
    plainText({ multiline: true, message: 'What happened must not contain invisible or control characters' }),
  );

/** Built on first use: only the note routes need them, and every function importing the case domain would otherwise build them at cold start. */
const buildSchemas = onFirstUse(() => {
  const input = z.object({
    type: z.enum(NOTE_TYPE_LIST, 'Select the type of note'),
    contactDate: z
      .string('Enter the date of the contact')
      .check(
        z.refine((value) => localDateSchema.safeParse(value).success, 'The date of the contact must be a real date, written as YYYY-MM-DD'),
      ),
    contactTime: z
      .string('Enter the time of the contact')
      .check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'The time of the contact must be a time on the 24-hour clock, like 14:30')),
    seenPersonIds: z._default(
      z.array(z.string().check(z.regex(ID, 'Each person seen must be someone from the family network'))).check(
        z.maxLength(100, 'A note can name at most 100 people seen'),
        z.refine((ids) => new Set(ids).size === ids.length, 'Name each person seen once'),
      ),
      [],
    ),
    seenOthers: z.optional(
      z
        .string()
        .check(
          z.trim(),
          z.maxLength(SEEN_OTHERS_MAX_LENGTH, `Anyone else seen must be ${SEEN_OTHERS_MAX_LENGTH} characters or fewer`),
          plainText({ multiline: true, message: 'Anyone else seen must not contain invisible or control characters' }),
        ),
    ),
    childrenSeenAlone: z._default(
      z
        .array(
          z.object({
            childId: z.string().check(z.regex(ID, 'Each child seen alone must be a child from the family network')),
            answer: z.enum(SEEN_ALONE_ANSWERS, 'Say whether the child was seen alone: yes, no or not applicable'),
          }),
        )
        .check(
          z.maxLength(50, 'A note can answer for at most 50 children'),
          z.refine((list) => new Set(list.map((entry) => entry.childId)).size === list.length, 'Answer once for each child seen'),
        ),
      [],
    ),
    narrative: narrativeSchema(false),
    significant: z._default(z.boolean('Say whether the note is significant: true or false'), false),
    visibleTo: z._default(
      z
        .array(
          z.enum(
            CASE_WORKING_ROLES,
            'A restricted note can be opened to social workers, adult specialists, team managers or service managers',
          ),
        )
        .check(z.refine((roles) => new Set(roles).size === roles.length, 'Name each role the note is visible to once')),
      [],
    ),
  });
  const amendment = z.object({
    reason: z
      .string('Enter the reason for the amendment')
      .check(
        z.trim(),
        z.minLength(1, 'Enter the reason for the amendment'),
        z.maxLength(
          AMENDMENT_REASON_MAX_LENGTH,
          `The reason for the amendment must be ${wholeNumber(AMENDMENT_REASON_MAX_LENGTH)} characters or fewer`,
        ),
        plainText({ multiline: true, message: 'The reason for the amendment must not contain invisible or control characters' }),
      ),
    narrative: narrativeSchema(true),
  });
  return { input, amendment };
});

/** A note's content as a JSON route or the form sends it (the draft's edits carry their `version` beside it). */
export const noteInputSchema = z.lazy(() => buildSchemas().input);
export const amendmentInputSchema = z.lazy(() => buildSchemas().amendment);

// ---------------------------------------------------------------------------------------------
// Checking a note against the case: the network's people, the clock
// ---------------------------------------------------------------------------------------------

/** What a note is checked against: the people of the case's family network, by id, with the names a message uses. */
export interface NoteContext {
  /** Everyone in the network (children included). */
  people: ReadonlyMap<string, string>;
  children: ReadonlyMap<string, string>;
  now: Date;
}

/** The fields of NoteInput, as errors name them (the form puts its messages beside the field of the same name). */
export type NoteField = keyof NoteInput;

export interface NoteFieldError {
  field: NoteField;
  /** For a child's seen-alone answer: which child. */
  childId?: string;
  message: string;
}

export type NoteContentCheck = { ok: true; content: NoteContent } | { ok: false; errors: NoteFieldError[] };

/** The instant a London date and time names, or why there is none (the hour the clocks skip in March). */
export function contactInstant(date: string, time: string): Date | undefined {
  const [hour, minute] = time.split(':').map(Number);
  try {
    return londonWallClockInstant(date as LocalDate, hour ?? Number.NaN, minute ?? Number.NaN);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * The note's content, or every field the worker must change: the contact cannot be in the future
 * (a visit is recorded after it happens); who was seen must be people of the family network; each
 * child seen needs an answer to "seen alone", and a child not seen cannot have been seen alone.
 * Answers for children not seen are otherwise dropped: a form's radios cannot be cleared without
 * JavaScript, and "no" for a child who was not there says nothing.
 */
export function checkNoteContent(input: NoteInput, context: NoteContext): NoteContentCheck {
  const errors: NoteFieldError[] = [];
  const occurred = contactInstant(input.contactDate, input.contactTime);
  if (occurred === undefined) {
    errors.push({ field: 'contactTime', message: 'The time of the contact does not exist on that day (the clocks went forward)' });
  } else if (occurred.getTime() > context.now.getTime()) {
    errors.push({ field: 'contactDate', message: 'The date and time of the contact must be now or in the past' });
  }
  if (input.seenPersonIds.some((id) => !context.people.has(id))) {
    errors.push({ field: 'seenPersonIds', message: 'Choose the people seen from the family network' });
  }
  const seen = new Set(input.seenPersonIds);
  const answers = new Map(input.childrenSeenAlone.map((entry) => [entry.childId, entry.answer]));
  for (const childId of answers.keys()) {
    if (!context.children.has(childId)) {
      errors.push({ field: 'childrenSeenAlone', childId, message: 'Answer whether a child was seen alone only for the family’s children' });
    }
  }
  for (const [childId, name] of context.children) {
    const answer = answers.get(childId);
    if (seen.has(childId) && answer === undefined) {
      errors.push({ field: 'childrenSeenAlone', childId, message: `Say whether ${name} was seen alone` });
    } else if (!seen.has(childId) && answer === 'yes') {
      errors.push({
        field: 'childrenSeenAlone',
        childId,
        message: `${name} is not ticked as seen, so cannot have been seen alone: tick them as seen, or change the answer`,
      });
    }
  }
  if (errors.length > 0 || occurred === undefined) return { ok: false, errors };
  const seenOthers = input.seenOthers?.trim();
  return {
    ok: true,
    content: {
      type: input.type,
      occurredAt: occurred.toISOString(),
      seenPersonIds: [...input.seenPersonIds],
      ...(seenOthers ? { seenOthers } : {}),
      childrenSeenAlone: [...context.children.keys()]
        .filter((childId) => seen.has(childId))
        .map((childId) => ({ childId, answer: answers.get(childId) as SeenAloneAnswer })),
      narrative: input.narrative,
      significant: input.significant,
      visibleTo: CASE_WORKING_ROLES.filter((role) => input.visibleTo.includes(role)),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The lifecycle
// ---------------------------------------------------------------------------------------------

/** Why a change was not made; nothing changes when one is returned. */
export type NoteRefusal =
  | { refused: 'not-author'; noteId: string }
  | { refused: 'not-draft'; noteId: string }
  | { refused: 'not-completed'; noteId: string }
  | { refused: 'narrative-required'; noteId: string }
  | { refused: 'not-readable'; noteId: string }
  | { refused: 'nothing-changed'; noteId: string };

export const isNoteRefusal = (result: object): result is NoteRefusal => 'refused' in result;

export function startDraft(ids: { noteId: string; caseId: string }, content: NoteContent, author: NoteAuthor, now: Date): Note {
  const at = now.toISOString();
  return {
    ...ids,
    ...content,
    author: { userId: author.userId, name: author.name, roles: [...author.roles] },
    status: 'draft',
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

/** The author's new content for their draft, one version on. Only the author changes a draft; a completed note never changes. */
export function editDraft(current: Note, content: NoteContent, editor: Actor, now: Date): Note | NoteRefusal {
  if (current.status !== 'draft') return { refused: 'not-draft', noteId: current.noteId };
  if (current.author.userId !== editor.userId) return { refused: 'not-author', noteId: current.noteId };
  const { seenOthers: _dropped, ...rest } = current;
  return { ...rest, ...content, version: current.version + 1, updatedAt: now.toISOString() };
}

/** Chronology text of a note: never more of the narrative than this. */
const CHRONOLOGY_EXCERPT_LENGTH = 300;

/** The start of `text` on one line, cut at a word and ended with "…" when there is more. */
export function excerptOf(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= length) return flat;
  const cut = flat.slice(0, length);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > length / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s.,;:]+$/, '')}…`;
}

/** The words a restricted note stands under wherever its content is withheld. */
export const RESTRICTED_ENTRY = 'Restricted entry';

export interface NoteChronologyContext {
  /** The referral the case was opened from: every chronology entry names one. */
  referralId: string;
}

/**
 * The chronology entry of a significant note, dated when the contact happened (a chronology is in
 * the order things happened to the family, not the order they were written up). A restricted
 * note's says only what everyone may know (that a restricted entry of this type was recorded, by
 * whom); an open note's gives the start of its narrative. Its id comes from the note, so writing it
 * twice collides.
 */
export function significantNoteEntry(note: Note, context: NoteChronologyContext): ChronologyEntry {
  const type = NOTE_TYPE_SHORT_NAMES[note.type];
  const text = isRestricted(note)
    ? `${RESTRICTED_ENTRY} — ${type.toLowerCase()} recorded by ${note.author.name}`
    : `${type} recorded by ${note.author.name}: ${excerptOf(note.narrative, CHRONOLOGY_EXCERPT_LENGTH)}`;
  return {
    entryId: `note-significant-${note.noteId}`,
    caseId: note.caseId,
    kind: 'note-significant',
    at: note.occurredAt,
    text,
    referralId: context.referralId,
    sourceEventId: note.noteId,
    noteId: note.noteId,
    ...(isRestricted(note) ? { restricted: true } : {}),
  };
}

/** The chronology entry of an amendment to a significant note, so the chronology does not keep quoting words that were corrected. */
export function amendedNoteEntry(note: Note, amendment: NoteAmendment, context: NoteChronologyContext): ChronologyEntry {
  const type = NOTE_TYPE_SHORT_NAMES[note.type].toLowerCase();
  const text = isRestricted(note)
    ? `${RESTRICTED_ENTRY} — ${type} amended by ${amendment.by.name}`
    : `Significant ${type} amended by ${amendment.by.name} (${excerptOf(amendment.reason, 120).replace(/\.$/, '')}): ${excerptOf(amendment.narrative, CHRONOLOGY_EXCERPT_LENGTH)}`;
  return {
    entryId: `note-amended-${note.noteId}-${amendment.number}`,
    caseId: note.caseId,
    kind: 'note-amended',
    at: amendment.at,
    text,
    referralId: context.referralId,
    sourceEventId: `${note.noteId}#${amendment.number}`,
    noteId: note.noteId,
    ...(isRestricted(note) ? { restricted: true } : {}),
  };
}

export interface Completion {
  note: Note;
  /** Present when the note is significant: written in the same transaction. */
  chronologyEntry?: ChronologyEntry;
}

/** The draft completed by its author: its last change. A note without a narrative has nothing to complete. */
export function completeNote(current: Note, who: Actor, now: Date, context: NoteChronologyContext): Completion | NoteRefusal {
  if (current.status !== 'draft') return { refused: 'not-draft', noteId: current.noteId };
  if (current.author.userId !== who.userId) return { refused: 'not-author', noteId: current.noteId };
  if (current.narrative.trim().length === 0) return { refused: 'narrative-required', noteId: current.noteId };
  const at = now.toISOString();
  const note: Note = { ...current, status: 'completed', version: current.version + 1, updatedAt: at, completedAt: at };
  return { note, ...(note.significant ? { chronologyEntry: significantNoteEntry(note, context) } : {}) };
}

export interface Amending {
  amendment: NoteAmendment;
  chronologyEntry?: ChronologyEntry;
}

/**
 * An amendment of a completed note, numbered after those already made (the store writes it only if
 * that number is free, so two workers amending at once cannot both succeed unseen). Whoever may
 * write the case may amend a note they may read in full; a note amended to say what it says is no
 * amendment.
 */
export function amendNote(
  current: NoteWithAmendments,
  input: AmendmentInput,
  who: NoteReader & Actor,
  now: Date,
  context: NoteChronologyContext,
): Amending | NoteRefusal {
  const { note } = current;
  if (note.status !== 'completed') return { refused: 'not-completed', noteId: note.noteId };
  if (!mayReadInFull(note, who)) return { refused: 'not-readable', noteId: note.noteId };
  if (input.narrative === currentNarrative(current)) return { refused: 'nothing-changed', noteId: note.noteId };
  const amendment: NoteAmendment = {
    caseId: note.caseId,
    noteId: note.noteId,
    number: current.amendments.length + 1,
    reason: input.reason,
    narrative: input.narrative,
    by: { userId: who.userId, name: who.name },
    at: now.toISOString(),
  };
  return { amendment, ...(note.significant ? { chronologyEntry: amendedNoteEntry(note, amendment, context) } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Who reads what. The one place that decides it: routes, pages and (issue 12, helper D) the
// audit of restricted views all ask these.
// ---------------------------------------------------------------------------------------------

export interface NoteReader {
  userId: string;
  roles: readonly Role[];
}

/** The author always; for a restricted note, a reader holding one of the roles it is open to; anyone who reads the case otherwise. */
export function mayReadInFull(note: Pick<Note, 'author' | 'visibleTo'>, reader: NoteReader): boolean {
  if (note.author.userId === reader.userId) return true;
  if (note.visibleTo.length === 0) return true;
  return note.visibleTo.some((role) => reader.roles.includes(role));
}

/** What a reader may know of a restricted note they cannot open: that it exists, its type, who recorded it and when. */
export interface WithheldNote {
  noteId: string;
  caseId: string;
  type: NoteType;
  author: Actor;
  occurredAt: string;
  completedAt?: string;
}

export type NoteReading =
  | {
      shown: 'in-full';
      entry: NoteWithAmendments;
      /** Restricted and read by someone it was opened to (or its author): a view helper D's audit records. */
      restricted: boolean;
    }
  | { shown: 'withheld'; withheld: WithheldNote };

/**
 * How `entry` reads to `reader`: in full, withheld (a restricted note they may not open), or not
 * at all (undefined: another worker's draft, which is theirs until they complete it).
 */
export function noteReadingFor(entry: NoteWithAmendments, reader: NoteReader): NoteReading | undefined {
  const { note } = entry;
  const own = note.author.userId === reader.userId;
  if (note.status === 'draft' && !own) return undefined;
  if (mayReadInFull(note, reader)) return { shown: 'in-full', entry, restricted: isRestricted(note) };
  return {
    shown: 'withheld',
    withheld: {
      noteId: note.noteId,
      caseId: note.caseId,
      type: note.type,
      author: { userId: note.author.userId, name: note.author.name },
      occurredAt: note.occurredAt,
      ...(note.completedAt !== undefined ? { completedAt: note.completedAt } : {}),
    },
  };
}

const readingTime = (reading: NoteReading): string =>
  reading.shown === 'in-full' ? reading.entry.note.occurredAt : reading.withheld.occurredAt;
const readingId = (reading: NoteReading): string => (reading.shown === 'in-full' ? reading.entry.note.noteId : reading.withheld.noteId);

/** The case's notes as `reader` may read them, newest contact first (then by id, so the order is stable). */
export function notesForReader(entries: readonly NoteWithAmendments[], reader: NoteReader): NoteReading[] {
  return entries
    .map((entry) => noteReadingFor(entry, reader))
    .filter((reading): reading is NoteReading => reading !== undefined)
    .sort((a, b) => {
      const [ta, tb] = [readingTime(a), readingTime(b)];
      if (ta !== tb) return ta < tb ? 1 : -1;
      const [ia, ib] = [readingId(a), readingId(b)];
      return ia < ib ? 1 : ia > ib ? -1 : 0;
    });
}

/** The restricted notes a reading shows in full: what helper D's audit of restricted views records, one item per note. */
export const restrictedNotesShown = (readings: readonly NoteReading[]): string[] =>
  readings.flatMap((reading) => (reading.shown === 'in-full' && reading.restricted ? [reading.entry.note.noteId] : []));
