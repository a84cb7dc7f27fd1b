/**
 * What the notes pages and the chronology page show, in words (WEB.md): dates as "Tuesday 10
 * February 2026 at 9:30am" in London time, people by the names the family network gives them, a
 * restricted note a reader may not open as "Restricted entry — recorded by Jo Reid on …" and
 * nothing of its content. Pure: the clock and the reader are passed in.
 */
import { londonDateText, londonDateTimeText } from '@fsp/shared/time/london-words';
import { rolesInWords } from '@fsp/shared/web/navigation';
import { CHRONOLOGY_ENTRY_KINDS, type ChronologyEntry, type ChronologyEntryKind } from '../domain/case';
import type { FamilyNetwork } from '../domain/family-network';
import {
  currentNarrative,
  excerptOf,
  NOTE_TYPE_LIST,
  NOTE_TYPE_SHORT_NAMES,
  NOTE_TYPES,
  type Note,
  type NoteReading,
  type NoteType,
  type NoteWithAmendments,
  RESTRICTED_ENTRY,
  type SeenAloneAnswer,
} from '../domain/notes';
import { type NoteFormValues, RESTRICTION_CHOICES, SEEN_ALONE_FIELD_PREFIX } from './note-form';

/** GOV.UK lists: 20 a page. */
export const NOTES_PAGE_SIZE = 20;

const EXCERPT_LENGTH = 240;

export const noteHref = (caseId: string, noteId: string): string => `/cases/${caseId}/notes/${noteId}`;
export const notesHref = (caseId: string): string => `/cases/${caseId}/notes`;

const excerpt = (text: string): string => excerptOf(text, EXCERPT_LENGTH);

/** Plain text as paragraphs: blank lines separate them, a single line break stays within one. */
export const paragraphsOf = (text: string): string[][] =>
  text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.split('\n'))
    .filter((lines) => lines.some((line) => line.trim() !== ''));

const authorText = (note: Pick<Note, 'author'>): string =>
  note.author.roles.length > 0 ? `${note.author.name} (${rolesInWords(note.author.roles).toLowerCase()})` : note.author.name;

/** "Only adult specialists and team managers can read this note, and its author." */
export function restrictionText(visibleTo: Note['visibleTo']): string | undefined {
  if (visibleTo.length === 0) return undefined;
  const names = RESTRICTION_CHOICES.filter((choice) => visibleTo.includes(choice.value)).map((choice) => choice.text.toLowerCase());
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `Only ${list} can read this note, and the person who wrote it.`;
}

interface Tag {
  text: string;
  classes: string;
}

function tagsOf(entry: NoteWithAmendments, readerId: string, restricted: boolean): Tag[] {
  const { note, amendments } = entry;
  return [
    ...(note.status === 'draft' ? [{ text: note.author.userId === readerId ? 'Your draft' : 'Draft', classes: 'govuk-tag--grey' }] : []),
    ...(note.significant ? [{ text: 'Significant', classes: 'govuk-tag--orange' }] : []),
    ...(restricted ? [{ text: 'Restricted', classes: 'govuk-tag--purple' }] : []),
    ...(amendments.length > 0 ? [{ text: 'Amended', classes: 'govuk-tag--blue' }] : []),
  ];
}

export type NoteListItem =
  | {
      withheld: false;
      href: string;
      title: string;
      when: string;
      by: string;
      tags: Tag[];
      excerpt: string;
    }
  | { withheld: true; title: string; text: string; type: string };

/** "Restricted entry — recorded by Jo Reid on Tuesday 10 February 2026". */
export function withheldText(author: string, recordedAt: string): string {
  return `${RESTRICTED_ENTRY} — recorded by ${author} on ${londonDateText(new Date(recordedAt))}`;
}

export function noteListItem(reading: NoteReading, readerId: string): NoteListItem {
  if (reading.shown === 'withheld') {
    const { withheld } = reading;
    return {
      withheld: true,
      title: RESTRICTED_ENTRY,
      text: withheldText(withheld.author.name, withheld.completedAt ?? withheld.occurredAt),
      type: NOTE_TYPE_SHORT_NAMES[withheld.type],
    };
  }
  const { note } = reading.entry;
  const narrative = currentNarrative(reading.entry);
  return {
    withheld: false,
    href: noteHref(note.caseId, note.noteId),
    title: NOTE_TYPE_SHORT_NAMES[note.type],
    when: londonDateTimeText(new Date(note.occurredAt)),
    by: authorText(note),
    tags: tagsOf(reading.entry, readerId, reading.restricted),
    excerpt: narrative.trim() === '' ? 'Nothing written yet.' : excerpt(narrative),
  };
}

/** The type filter's choice, when the query names a type; anything else shows every note. */
export const noteTypeOf = (value: unknown): NoteType | undefined =>
  typeof value === 'string' && (NOTE_TYPE_LIST as readonly string[]).includes(value) ? (value as NoteType) : undefined;

const readingType = (reading: NoteReading): NoteType => (reading.shown === 'in-full' ? reading.entry.note.type : reading.withheld.type);

export interface NotesPageOptions {
  caseId: string;
  readerId: string;
  type?: NoteType | undefined;
  /** 1-based. */
  page: number;
}

/**
 * The notes page's list: filtered by type, 20 a page, newest first (as `readings` come), and the
 * readings that page shows (for the audit of restricted notes shown in full). Undefined for a page
 * past the end.
 */
export function notesListView(readings: readonly NoteReading[], options: NotesPageOptions) {
  const filtered = options.type === undefined ? readings : readings.filter((reading) => readingType(reading) === options.type);
  const pages = Math.max(1, Math.ceil(filtered.length / NOTES_PAGE_SIZE));
  if (!Number.isInteger(options.page) || options.page < 1 || options.page > pages) return undefined;
  const start = (options.page - 1) * NOTES_PAGE_SIZE;
  const hrefOf = (page: number) => {
    const query = new URLSearchParams({ ...(options.type ? { type: options.type } : {}), ...(page > 1 ? { page: String(page) } : {}) });
    const text = query.toString();
    return `${notesHref(options.caseId)}${text ? `?${text}` : ''}`;
  };
  const shown = filtered.slice(start, start + NOTES_PAGE_SIZE);
  const view = {
    notes: shown.map((reading) => noteListItem(reading, options.readerId)),
    total: filtered.length,
    anyNotes: readings.length > 0,
    filtered: options.type !== undefined,
    typeItems: [
      { value: '', text: 'All types', selected: options.type === undefined },
      ...NOTE_TYPE_LIST.map((type) => ({ value: type, text: NOTE_TYPE_SHORT_NAMES[type], selected: options.type === type })),
    ],
    pagination: {
      ...(options.page > 1 ? { previous: { href: hrefOf(options.page - 1), labelText: 'Newer notes' } } : {}),
      ...(options.page < pages ? { next: { href: hrefOf(options.page + 1), labelText: 'Older notes' } } : {}),
    },
    page: options.page,
    pages,
    allHref: notesHref(options.caseId),
  };
  return { view, shown };
}

// ---- The note ----

/** The network's people, by id, with what the form and the note say of them. */
export interface PersonChoice {
  personId: string;
  name: string;
  hint: string;
  child: boolean;
}

const named = (first: string, last: string, fallback: string): string => `${first} ${last}`.trim() || fallback;

/**
 * Who a note can say was seen: the network's children (born: an unborn baby is not seen), adults,
 * wider family and professionals, in that order, each with a hint saying who they are.
 */
export function peopleChoices(network: FamilyNetwork): PersonChoice[] {
  return [
    ...network.children
      .filter((child) => !child.unborn)
      .map((child) => ({
        personId: child.personId,
        name: named(child.firstName, child.lastName, 'Child (name not recorded)'),
        hint: child.dateOfBirth ? `Child, born ${londonDateText(new Date(`${child.dateOfBirth}T12:00:00Z`))}` : 'Child',
        child: true,
      })),
    ...network.adults.map((adult) => ({
      personId: adult.personId,
      name: named(adult.firstName, adult.lastName, 'Adult (name not recorded)'),
      hint: `Adult in the household${adult.relationshipAsReferred ? `: ${adult.relationshipAsReferred}` : ''}`,
      child: false,
    })),
    ...network.widerFamily.map((member) => ({
      personId: member.personId,
      name: named(member.firstName, member.lastName, 'Name not recorded'),
      hint: `Wider family or friend: ${member.relationship}`,
      child: false,
    })),
    ...network.professionals.map((professional) => ({
      personId: professional.personId,
      name: professional.name || 'Name not recorded',
      hint: ['Professional', [professional.role, professional.agency].filter(Boolean).join(', ')].filter(Boolean).join(': '),
      child: false,
    })),
  ];
}

const SEEN_ALONE_WORDS: Readonly<Record<SeenAloneAnswer, string>> = { yes: 'Yes', no: 'No', 'not-applicable': 'Not applicable' };

export interface FormErrorLike {
  field: string;
  childId?: string;
  text: string;
  href: string;
}

/** Everything the note form's macros need: the choices, with the worker's answers and the errors beside them. */
export function noteFormView(values: NoteFormValues, people: readonly PersonChoice[], errors: readonly FormErrorLike[]) {
  const errorOf = (field: string, childId?: string) =>
    errors.find((error) => error.field === field && (childId === undefined || error.childId === childId))?.text;
  const known = new Set(people.map((person) => person.personId));
  return {
    values,
    errors: errors.map((error) => ({ text: error.text, href: error.href })),
    errorOf: Object.fromEntries(
      ['type', 'contactDate', 'contactTime', 'seen', 'seenOthers', 'narrative', 'significant', 'visibleTo'].map((field) => [
        field,
        errorOf(field),
      ]),
    ),
    typeItems: NOTE_TYPE_LIST.map((type) => ({ value: type, text: NOTE_TYPES[type], checked: values.type === type })),
    seenItems: people.map((person) => ({
      value: person.personId,
      text: person.name,
      hint: { text: person.hint },
      checked: values.seen.includes(person.personId),
    })),
    /** Someone ticked before and since removed from the network: kept, so the worker sees the error rather than losing the tick. */
    unknownSeen: values.seen.filter((id) => !known.has(id)),
    children: people
      .filter((person) => person.child)
      .map((child) => ({
        name: `${SEEN_ALONE_FIELD_PREFIX}${child.personId}`,
        legend: `Was ${child.name} seen alone?`,
        error: errorOf('seenAlone', child.personId),
        items: (['yes', 'no', 'not-applicable'] as const).map((answer) => ({
          value: answer,
          text: SEEN_ALONE_WORDS[answer],
          checked: values.seenAlone[child.personId] === answer,
        })),
      })),
    restrictionItems: RESTRICTION_CHOICES.map((choice) => ({ ...choice, checked: values.visibleTo.includes(choice.value) })),
    significantItems: [
      {
        value: 'yes',
        text: 'Yes, add it to the case’s chronology',
        hint: { text: 'For what changes the picture of the child’s safety: a disclosure, an injury, an arrest, someone moving in or out.' },
        checked: values.significant,
      },
    ],
  };
}

/** A note read in full: its details as summary-list rows, its narrative now, and every earlier version. */
export function noteView(entry: NoteWithAmendments, people: readonly PersonChoice[], restricted: boolean) {
  const { note, amendments } = entry;
  const names = new Map(people.map((person) => [person.personId, person.name]));
  const seen = [
    ...note.seenPersonIds.map((id) => names.get(id) ?? 'Someone no longer in the family network'),
    ...(note.seenOthers ? [note.seenOthers] : []),
  ];
  const rows = [
    { key: { text: 'Type' }, value: { text: NOTE_TYPES[note.type] } },
    { key: { text: 'Date and time' }, value: { text: londonDateTimeText(new Date(note.occurredAt)) } },
    { key: { text: 'Recorded by' }, value: { text: authorText(note) } },
    { key: { text: 'Who was seen' }, value: seen.length > 0 ? { lines: seen } : { text: 'Nobody recorded' } },
    ...note.childrenSeenAlone.map((answer) => ({
      key: { text: `${names.get(answer.childId) ?? 'The child'} seen alone` },
      value: { text: SEEN_ALONE_WORDS[answer.answer] },
    })),
    { key: { text: 'Significant' }, value: { text: note.significant ? 'Yes: it is in the chronology' : 'No' } },
    ...(restricted ? [{ key: { text: 'Who can read it' }, value: { text: restrictionText(note.visibleTo) ?? '' } }] : []),
    {
      key: { text: 'Status' },
      value: {
        text:
          note.status === 'draft'
            ? `Draft, last saved ${londonDateTimeText(new Date(note.updatedAt))}`
            : `Completed ${londonDateTimeText(new Date(note.completedAt ?? note.updatedAt))}`,
      },
    },
  ];
  return {
    title: NOTE_TYPE_SHORT_NAMES[note.type],
    when: londonDateTimeText(new Date(note.occurredAt)),
    status: note.status,
    significant: note.significant,
    restricted,
    rows,
    narrative: paragraphsOf(currentNarrative(entry)),
    amended: amendments.length > 0,
    /** The earlier versions, newest first: each amendment's reason and what it replaced, down to the original. */
    versions: [
      ...amendments
        .slice()
        .reverse()
        .map((amendment) => ({
          heading: `Amendment ${amendment.number}`,
          byline: `${amendment.by.name}, ${londonDateTimeText(new Date(amendment.at))}`,
          reason: amendment.reason,
          narrative: paragraphsOf(amendment.narrative),
        })),
      {
        heading: 'Original note',
        byline: `${note.author.name}, ${londonDateTimeText(new Date(note.completedAt ?? note.updatedAt))}`,
        narrative: paragraphsOf(note.narrative),
      },
    ],
  };
}

// ---- The chronology ----

/** What each kind of entry is called: on the timeline and in the filter. */
export const CHRONOLOGY_KIND_NAMES: Readonly<Record<ChronologyEntryKind, string>> = {
  'case-opened': 'Case opened',
  'referral-linked': 'Referral added',
  'note-significant': 'Significant note',
  'note-amended': 'Significant note amended',
  'allocation-changed': 'Allocation changed',
  'supervision-held': 'Group supervision',
  'assessment-completed': 'Assessment completed',
  'strategy-discussion': 'Strategy discussion',
  'child-protection-conference': 'Child protection conference',
  'child-protection-review': 'Child protection review',
  'status-changed': 'Status changed',
  'case-closed': 'Case closed',
  'plan-agreed': 'Plan agreed',
  'plan-reviewed': 'Plan reviewed',
  'workbook-updated': 'Workbook updated',
  'fgdm-held': 'Family group conference held',
  'family-plan-recorded': 'Family’s plan recorded',
  'pre-proceedings': 'Pre-proceedings',
};

const kindName = (kind: string): string => (CHRONOLOGY_KIND_NAMES as Record<string, string>)[kind] ?? 'Chronology entry';

/** The kinds the query names (`?kind=a&kind=b`) that exist; none means all. */
export function chronologyKindsOf(value: unknown): ChronologyEntryKind[] {
  const asked = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return CHRONOLOGY_ENTRY_KINDS.filter((kind) => asked.includes(kind));
}

/** The chronology, newest first, with the kinds asked for (all when none), as MoJ timeline items. */
export function chronologyView(
  entries: readonly ChronologyEntry[],
  caseId: string,
  kinds: readonly ChronologyEntryKind[],
  print: boolean,
  /** Whether each group supervision held links to supervision's page of the case (web/case-view.ts readsSupervisionOf). */
  options: { supervisionLinks: boolean },
) {
  const shown = entries.filter((entry) => kinds.length === 0 || kinds.includes(entry.kind)).reverse();
  const present = new Set(entries.map((entry) => entry.kind));
  const query = new URLSearchParams(kinds.map((kind): [string, string] => ['kind', kind]));
  return {
    items: shown.map((entry) => ({
      label: { text: kindName(entry.kind) },
      datetime: { timestamp: entry.at, type: 'datetime' },
      text: entry.text,
      ...(entry.noteId && !print ? { link: { href: noteHref(caseId, entry.noteId), text: 'Read the note' } } : {}),
      ...(entry.kind === 'supervision-held' && !print && options.supervisionLinks
        ? { link: { href: `/supervision/cases/${caseId}`, text: 'See the group supervision' } }
        : {}),
    })),
    total: entries.length,
    shownCount: shown.length,
    filtered: kinds.length > 0,
    kindItems: CHRONOLOGY_ENTRY_KINDS.filter((kind) => present.has(kind) || kinds.includes(kind)).map((kind) => ({
      value: kind,
      text: kindName(kind),
      checked: kinds.includes(kind),
    })),
    printHref: `/cases/${caseId}/chronology?${new URLSearchParams([...query, ['print', 'yes'] as [string, string]]).toString()}`,
    backHref: `/cases/${caseId}/chronology${kinds.length > 0 ? `?${query.toString()}` : ''}`,
    allHref: `/cases/${caseId}/chronology`,
  };
}
