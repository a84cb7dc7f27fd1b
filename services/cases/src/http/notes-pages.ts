/**
 * Shared recording's pages and the chronology (routes.ts: page routes for the case-working roles,
 * admitted by the session cookie, Origin and CSRF checked on every POST before this code runs):
 *
 * - GET /cases/{caseId}/notes: the notes, newest first, filtered by type, 20 a page;
 * - GET and POST /cases/{caseId}/notes/new: a new note, saved as a draft or completed at once;
 * - GET and POST /cases/{caseId}/notes/{noteId}: the note; its author's draft is the form again, to
 *   save or complete;
 * - GET and POST /cases/{caseId}/notes/{noteId}/amend: amending a completed note;
 * - GET /cases/{caseId}/chronology: the MoJ timeline, filtered by kind, printable.
 *
 * The work is http/notes-work.ts's, the very code the JSON routes run. Every page reads the case in
 * one round (its partition, with the worker's Inbox count), audited through the gate; restricted
 * notes a page shows in full are audited before it answers. A refused answer is the form again with
 * GOV.UK's error summary and what was typed; a change that lost to another says "Someone else
 * changed this note since you opened it" beside the note as it now stands, nothing overwritten; a
 * recorded one redirects (303) to the note, which says what was recorded.
 */
import { defineRoute, type HttpResult, type Route } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { londonDateTimeText } from '@fsp/shared/time/london-words';
import type { PageRenderer } from '@fsp/shared/web/page';
import { seeOther, type WorkerPageView, workerPageResult } from '@fsp/shared/web/page-result';
import * as z from 'zod/mini';
import {
  AMENDMENT_REASON_MAX_LENGTH,
  currentNarrative,
  NARRATIVE_MAX_LENGTH,
  NOTE_TYPE_SHORT_NAMES,
  type NoteReading,
  type NoteWithAmendments,
  noteReadingFor,
  RESTRICTED_ENTRY,
} from '../domain/notes';
import type { NoteConflict } from '../store/notes-store';
import { caseHeaderView, readsSupervisionOf } from '../web/case-view';
import {
  type AmendmentFormValues,
  amendmentFormValues,
  checkAmendmentForm,
  checkNoteForm,
  type FormError,
  formErrorsOf,
  type NoteFormValues,
  newNoteFormValues,
  noteFormValues,
  noteFormValuesOf,
} from '../web/note-form';
import {
  chronologyKindsOf,
  chronologyView,
  noteFormView,
  noteHref,
  notesHref,
  notesListView,
  noteTypeOf,
  noteView,
  paragraphsOf,
  peopleChoices,
  withheldText,
} from '../web/notes-view';
import { noSuchCasePage } from './break-glass-pages';
import { type OpenedCase, routeKeyOf } from './case-access';
import { CASE_ID, caseParams, first, formErrorsData, lenient, type Problem, problemPage, versionOf } from './case-page-common';
import { createNotesWork, networkOfFile, type WorkResult } from './notes-work';
import { routes } from './routes';

const noteParams = z.object({ caseId: z.string(), noteId: z.string() });

/** A problem page and the status it answers with. */
type StatusProblem = Problem & { status: number };

const noSuchNote = (caseId: string): StatusProblem => ({
  status: 404,
  heading: 'There is no such note that you can see',
  paragraphs: ['It may be another worker’s draft, which only they can see until they complete it, or the link you followed may be wrong.'],
  link: { href: notesHref(caseId), text: 'Go to the case’s notes' },
});

const readOnly = (caseId: string): StatusProblem => ({
  status: 403,
  heading: 'You can read this case but not record in it',
  paragraphs: ['Only workers allocated to the case, or in the team that holds it, can add and change its notes.'],
  link: { href: notesHref(caseId), text: 'Go to the case’s notes' },
});

const PAGE_GONE = (caseId: string): StatusProblem => ({
  status: 404,
  heading: 'That page of the case’s notes no longer exists',
  paragraphs: ['The link you followed points to a page of the list that cannot be shown.'],
  link: { href: notesHref(caseId), text: 'Go to the newest notes' },
});

/** What a note page says after a change it redirected from; only said when it is so. */
const DONE_TEXTS = {
  started: 'Your note was saved as a draft. Only you can see it until you complete it.',
  saved: 'Your draft was saved.',
  completed: 'The note is complete. It can no longer be changed, only amended.',
  amended: 'Your amendment was saved. The earlier version is kept below it.',
} as const;
type Done = keyof typeof DONE_TEXTS;

/** What a redirect's `?done=` may say of the note as it is now: said only when it is so, so a copied address never claims what did not happen. */
function doneOf(asked: string | undefined, reading: NoteReading, userId: string): Done | undefined {
  if (reading.shown !== 'in-full') return undefined;
  const { note, amendments } = reading.entry;
  const mine = note.author.userId === userId;
  switch (asked) {
    case 'started':
    case 'saved':
      return mine && note.status === 'draft' ? asked : undefined;
    case 'completed':
      return mine && note.status === 'completed' ? 'completed' : undefined;
    case 'amended':
      return amendments.at(-1)?.by.userId === userId ? 'amended' : undefined;
    default:
      return undefined;
  }
}

export function notePageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const work = createNotesWork(runtime);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);

  const page = (claims: PageClaims, unreadCount: number, view: WorkerPageView, status = 200): HttpResult =>
    workerPageResult(renderer, { ...view, area: 'cases', claims, unreadCount, status });

  const problem = (claims: PageClaims, unreadCount: number, { status, ...shown }: StatusProblem): HttpResult =>
    problemPage(renderer, claims, unreadCount, shown, status);

  /** The case (its one Query, audited) and the Inbox count, in one round; undefined for a case the worker may not read notes of. */
  async function open(
    caseId: string,
    claims: PageClaims,
    requestId: string,
    route: { method: string; path: string },
    correlationId?: string,
  ) {
    const [opened, unreadCount] = await Promise.all([
      CASE_ID.test(caseId) ? work.open(caseId, claims, requestId, routeKeyOf(route), correlationId) : undefined,
      unread.unreadCount(claims),
    ]);
    return { opened, unreadCount };
  }

  type NoteRoute = { method: string; path: string };

  /** A note to change: the case, the note as the worker may read it, and their right to write; else (`refused`) the page saying why not. */
  async function openToChange(
    params: z.infer<typeof noteParams>,
    claims: PageClaims,
    requestId: string,
    route: NoteRoute,
    correlationId?: string,
  ) {
    const { opened, unreadCount } = await open(params.caseId, claims, requestId, route, correlationId);
    if (!opened) return { refused: noSuchCasePage(renderer, claims, unreadCount, params.caseId) };
    const caseId = opened.file.record.caseId;
    const reading = work.reading(opened, params.noteId);
    if (!reading) return { refused: problem(claims, unreadCount, noSuchNote(caseId)) };
    if (!work.mayWrite(opened)) return { refused: problem(claims, unreadCount, readOnly(caseId)) };
    return { opened, unreadCount, caseId, reading };
  }

  /** A completed note to amend, shown in full (a restricted one's read audited); one withheld from the worker, or a draft, sends them to the note's own page. */
  async function openToAmend(
    params: z.infer<typeof noteParams>,
    claims: PageClaims,
    requestId: string,
    route: NoteRoute,
    correlationId?: string,
  ) {
    const found = await openToChange(params, claims, requestId, route, correlationId);
    if (found.refused) return found;
    const { reading, ...rest } = found;
    if (reading.shown === 'withheld' || reading.entry.note.status !== 'completed')
      return { refused: seeOther(noteHref(rest.caseId, params.noteId)) };
    await work.shownInFull(rest.opened, [reading]);
    return { ...rest, entry: reading.entry };
  }

  const headerOf = (opened: OpenedCase, section: 'notes' | 'chronology') => caseHeaderView(opened.file.record, section);
  const peopleOf = (opened: OpenedCase) => peopleChoices(networkOfFile(opened.file));
  const titleOf = (opened: OpenedCase, what: string) => `${what} – case ${opened.file.record.reference}`;

  // ---- Forms ----

  function newNotePage(opened: OpenedCase, claims: PageClaims, unreadCount: number, values: NoteFormValues, errors: FormError[] = []) {
    const caseId = opened.file.record.caseId;
    return page(
      claims,
      unreadCount,
      {
        template: 'note-form.njk',
        title: titleOf(opened, 'Add a note'),
        backLink: notesHref(caseId),
        hasErrors: errors.length > 0,
        data: {
          caseHeader: headerOf(opened, 'notes'),
          form: noteFormView(values, peopleOf(opened), errors),
          narrativeMaxLength: NARRATIVE_MAX_LENGTH,
          action: `${notesHref(caseId)}/new`,
          cancelHref: notesHref(caseId),
        },
      },
      errors.length > 0 ? 400 : 200,
    );
  }

  interface NotePageState {
    done?: Done;
    /** The author's draft's form, with what was typed (a refused or lost change) or what the draft holds. */
    values?: NoteFormValues;
    errors?: FormError[];
    conflict?: { advice: string; current?: string[][] };
    /** Typed by the worker, not saved, when the note is no longer theirs to edit. */
    lostNarrative?: string;
    status?: number;
  }

  async function notePage(opened: OpenedCase, reading: NoteReading, claims: PageClaims, unreadCount: number, state: NotePageState = {}) {
    const caseId = opened.file.record.caseId;
    const people = peopleOf(opened);
    const base = { caseHeader: headerOf(opened, 'notes'), backHref: notesHref(caseId), narrativeMaxLength: NARRATIVE_MAX_LENGTH };
    const errors = state.errors ?? [];
    const hasErrors = errors.length > 0 || state.conflict !== undefined;
    if (reading.shown === 'withheld') {
      const { withheld } = reading;
      return page(
        claims,
        unreadCount,
        {
          template: 'note.njk',
          title: titleOf(opened, RESTRICTED_ENTRY),
          backLink: notesHref(caseId),
          data: {
            ...base,
            withheld: {
              title: `${RESTRICTED_ENTRY}: ${NOTE_TYPE_SHORT_NAMES[withheld.type].toLowerCase()}`,
              text: withheldText(withheld.author.name, withheld.completedAt ?? withheld.occurredAt),
            },
          },
        },
        state.status ?? 200,
      );
    }
    await work.shownInFull(opened, [reading]);
    const { note } = reading.entry;
    const view = noteView(reading.entry, people, reading.restricted);
    const editable = note.status === 'draft' && note.author.userId === claims.userId && work.mayWrite(opened);
    const done = state.done ? DONE_TEXTS[state.done] : undefined;
    return page(
      claims,
      unreadCount,
      {
        template: 'note.njk',
        title: titleOf(opened, editable ? `Your draft: ${view.title}` : `${view.title}, ${view.when}`),
        backLink: notesHref(caseId),
        hasErrors,
        data: {
          ...base,
          note: view,
          ...(done ? { done } : {}),
          ...(state.conflict ? { conflict: state.conflict } : {}),
          ...(state.lostNarrative ? { lostNarrative: paragraphsOf(state.lostNarrative) } : {}),
          ...(editable
            ? {
                editable: true,
                form: noteFormView(state.values ?? noteFormValuesOf(note), people, errors),
                version: note.version,
                action: noteHref(caseId, note.noteId),
                savedText: `Last saved ${londonDateTimeText(new Date(note.updatedAt))}.`,
              }
            : {}),
          ...(note.status === 'completed' && work.mayWrite(opened) ? { amendHref: `${noteHref(caseId, note.noteId)}/amend` } : {}),
        },
      },
      state.status ?? 200,
    );
  }

  interface AmendPageState {
    values?: AmendmentFormValues;
    errors?: FormError[];
    conflict?: { by: string };
    status?: number;
  }

  function amendPage(opened: OpenedCase, entry: NoteWithAmendments, claims: PageClaims, unreadCount: number, state: AmendPageState = {}) {
    const caseId = opened.file.record.caseId;
    const { note } = entry;
    const view = noteView(entry, peopleOf(opened), note.visibleTo.length > 0);
    const errors = state.errors ?? [];
    const current = currentNarrative(entry);
    return page(
      claims,
      unreadCount,
      {
        template: 'note-amend.njk',
        title: titleOf(opened, `Amend the note: ${view.title}, ${view.when}`),
        backLink: noteHref(caseId, note.noteId),
        hasErrors: errors.length > 0 || state.conflict !== undefined,
        data: {
          caseHeader: headerOf(opened, 'notes'),
          note: { title: view.title, when: view.when, by: note.author.name },
          current: paragraphsOf(current),
          values: state.values ?? { narrative: current },
          ...formErrorsData(errors),
          amendmentCount: entry.amendments.length,
          action: `${noteHref(caseId, note.noteId)}/amend`,
          backHref: noteHref(caseId, note.noteId),
          narrativeMaxLength: NARRATIVE_MAX_LENGTH,
          reasonMaxLength: AMENDMENT_REASON_MAX_LENGTH,
          ...(state.conflict ? { conflict: state.conflict } : {}),
        },
      },
      state.status ?? 200,
    );
  }

  /** The note as it now stands after a lost race, as this worker may read it (the note itself cannot have gone). */
  const currentReading = (conflict: NoteConflict, claims: PageClaims): NoteReading | undefined =>
    conflict.current ? noteReadingFor(conflict.current, claims) : undefined;

  /** What the domain refused, on the form's fields. */
  const refusalErrors = (result: WorkResult<unknown>): FormError[] | undefined => {
    if (result.kind === 'invalid') return formErrorsOf(result.errors);
    if (result.kind === 'refused' && result.refusal.refused === 'narrative-required') {
      return [{ field: 'narrative', text: 'Enter what happened before completing the note', href: '#narrative' }];
    }
    return undefined;
  };

  return [
    defineRoute(routes.notesPage, {
      params: caseParams,
      query: lenient,
      handle: async ({ params, query, claims, requestId }) => {
        const { opened, unreadCount } = await open(params.caseId, claims, requestId, routes.notesPage);
        if (!opened) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        const pageText = first(query.page);
        const pageNumber = pageText === undefined ? 1 : /^\d{1,4}$/.test(pageText) ? Number(pageText) : Number.NaN;
        const list = notesListView(work.readings(opened), {
          caseId: opened.file.record.caseId,
          readerId: claims.userId,
          type: noteTypeOf(first(query.type)),
          page: pageNumber,
        });
        if (!list) return problem(claims, unreadCount, PAGE_GONE(opened.file.record.caseId));
        await work.shownInFull(opened, list.shown);
        return page(claims, unreadCount, {
          template: 'notes.njk',
          title: titleOf(opened, list.view.page > 1 ? `Notes (page ${list.view.page} of ${list.view.pages})` : 'Notes'),
          data: {
            caseHeader: headerOf(opened, 'notes'),
            list: list.view,
            ...(work.mayWrite(opened) ? { newNoteHref: `${notesHref(opened.file.record.caseId)}/new` } : {}),
          },
        });
      },
    }),

    defineRoute(routes.newNoteForm, {
      params: caseParams,
      handle: async ({ params, claims, requestId }) => {
        const { opened, unreadCount } = await open(params.caseId, claims, requestId, routes.newNoteForm);
        if (!opened) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        if (!work.mayWrite(opened)) return problem(claims, unreadCount, readOnly(opened.file.record.caseId));
        return newNotePage(opened, claims, unreadCount, newNoteFormValues(runtime.clock()));
      },
    }),

    defineRoute(routes.startNotePage, {
      params: caseParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const { opened, unreadCount } = await open(params.caseId, claims, requestId, routes.startNotePage, correlationId);
        if (!opened) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        if (!work.mayWrite(opened)) return problem(claims, unreadCount, readOnly(opened.file.record.caseId));
        const values = noteFormValues(body);
        const checked = checkNoteForm(values);
        if (!checked.ok) return newNotePage(opened, claims, unreadCount, values, checked.errors);
        const complete = first(body.action) === 'complete';
        const result = await work.start(opened, checked.input, { complete });
        const errors = refusalErrors(result);
        if (errors) return newNotePage(opened, claims, unreadCount, values, errors);
        if (result.kind !== 'done') throw new Error(`Starting a note answered ${result.kind}`);
        return seeOther(`${noteHref(result.value.caseId, result.value.noteId)}?done=${complete ? 'completed' : 'started'}`);
      },
    }),

    defineRoute(routes.notePage, {
      params: noteParams,
      query: lenient,
      handle: async ({ params, query, claims, requestId }) => {
        const { opened, unreadCount } = await open(params.caseId, claims, requestId, routes.notePage);
        if (!opened) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        const reading = work.reading(opened, params.noteId);
        if (!reading) return problem(claims, unreadCount, noSuchNote(opened.file.record.caseId));
        const done = doneOf(first(query.done), reading, claims.userId);
        return notePage(opened, reading, claims, unreadCount, done ? { done } : {});
      },
    }),

    defineRoute(routes.saveNotePage, {
      params: noteParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const found = await openToChange(params, claims, requestId, routes.saveNotePage, correlationId);
        if (found.refused) return found.refused;
        const { opened, unreadCount, caseId, reading } = found;
        const values = noteFormValues(body);
        const version = versionOf(first(body.version));
        const checked = checkNoteForm(values);
        if (!checked.ok) return notePage(opened, reading, claims, unreadCount, { values, errors: checked.errors, status: 400 });
        const complete = first(body.action) === 'complete';
        const result = await work.edit(opened, params.noteId, checked.input, version, { complete });
        const errors = refusalErrors(result);
        if (errors) return notePage(opened, reading, claims, unreadCount, { values, errors, status: 400 });
        switch (result.kind) {
          case 'done':
            return seeOther(`${noteHref(caseId, params.noteId)}?done=${complete ? 'completed' : 'saved'}`);
          case 'no-note':
            return problem(claims, unreadCount, noSuchNote(caseId));
          case 'refused':
          case 'conflict': {
            // The note moved on (another tab saved or completed it): show it as it stands, with what was typed kept.
            const current =
              result.kind === 'conflict'
                ? (currentReading(result.conflict, claims) ?? reading)
                : (work.reading(opened, params.noteId) ?? reading);
            const stillDraft = current.shown === 'in-full' && current.entry.note.status === 'draft';
            const currentText = current.shown === 'in-full' ? paragraphsOf(currentNarrative(current.entry)) : undefined;
            return notePage(opened, current, claims, unreadCount, {
              status: 409,
              ...(stillDraft
                ? {
                    values,
                    conflict: {
                      advice: 'Your version is in the form below: check it against the note as it now stands, then save it again.',
                      ...(currentText ? { current: currentText } : {}),
                    },
                  }
                : {
                    conflict: {
                      advice: 'It has been completed, so it can no longer be changed, only amended. Your text is below the note.',
                    },
                    ...(values.narrative ? { lostNarrative: values.narrative } : {}),
                  }),
            });
          }
          default:
            throw new Error(`Saving a note answered ${result.kind}`);
        }
      },
    }),

    defineRoute(routes.amendNoteForm, {
      params: noteParams,
      handle: async ({ params, claims, requestId }) => {
        const found = await openToAmend(params, claims, requestId, routes.amendNoteForm);
        if (found.refused) return found.refused;
        return amendPage(found.opened, found.entry, claims, found.unreadCount);
      },
    }),

    defineRoute(routes.amendNotePage, {
      params: noteParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const found = await openToAmend(params, claims, requestId, routes.amendNotePage, correlationId);
        if (found.refused) return found.refused;
        const { opened, unreadCount, caseId, entry } = found;
        const values = amendmentFormValues(body);
        const checked = checkAmendmentForm(values);
        if (!checked.ok) return amendPage(opened, entry, claims, unreadCount, { values, errors: checked.errors, status: 400 });
        const result = await work.amend(opened, params.noteId, checked.input, checked.amendmentCount);
        switch (result.kind) {
          case 'done':
            return seeOther(`${noteHref(caseId, params.noteId)}?done=amended`);
          case 'conflict': {
            const current = result.conflict.current ?? entry;
            const by = current.amendments.at(-1)?.by.name ?? 'Someone';
            return amendPage(opened, current, claims, unreadCount, { values, conflict: { by }, status: 409 });
          }
          case 'refused':
            if (result.refusal.refused === 'nothing-changed') {
              const errors: FormError[] = [{ field: 'narrative', text: 'Change what happened to amend the note', href: '#narrative' }];
              return amendPage(opened, entry, claims, unreadCount, { values, errors, status: 400 });
            }
            return seeOther(noteHref(caseId, params.noteId));
          default:
            return problem(claims, unreadCount, noSuchNote(caseId));
        }
      },
    }),

    defineRoute(routes.chronologyPage, {
      params: caseParams,
      query: lenient,
      handle: async ({ params, query, claims, requestId }) => {
        const { opened, unreadCount } = await open(params.caseId, claims, requestId, routes.chronologyPage);
        if (!opened) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        const print = first(query.print) === 'yes';
        const chronology = chronologyView(opened.file.chronology, opened.file.record.caseId, chronologyKindsOf(query.kind), print, {
          supervisionLinks: readsSupervisionOf(opened.access),
        });
        return page(claims, unreadCount, {
          template: 'chronology.njk',
          title: titleOf(opened, 'Chronology'),
          data: { caseHeader: headerOf(opened, 'chronology'), chronology, print, reference: opened.file.record.reference },
        });
      },
    }),
  ];
}
