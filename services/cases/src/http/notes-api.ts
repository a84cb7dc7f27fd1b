/**
 * The JSON routes of shared recording (routes.ts; issue 12 Deliver 3), for the case-working roles:
 *
 * - GET /api/cases/{caseId}/notes: the notes the worker may read, newest contact first: in full, or
 *   for a restricted note they may not open `{ id, restricted: true, withheld: true, type, author,
 *   occurredAt, completedAt }`; other workers' drafts are not listed.
 * - GET /api/cases/{caseId}/notes/{noteId}: one note, as in the list.
 * - POST /api/cases/{caseId}/notes: a new draft (NoteInput); 201 with the note.
 * - PUT /api/cases/{caseId}/notes/{noteId}: the author's draft, `{ version, …NoteInput }`.
 * - POST /api/cases/{caseId}/notes/{noteId}/complete: `{ version }`; the note's last change.
 * - POST /api/cases/{caseId}/notes/{noteId}/amendments: `{ reason, narrative, amendmentCount? }`.
 *
 * 400 names each field; 409 (a problem with `note`, the note as it now stands, and its `version`)
 * when the note moved on since the version sent; 404 for a case the worker may not read, a note
 * that is not there, and another worker's draft; 403 for a worker who may read the case but not
 * write it (break-glass), or a restricted note they cannot open. Every answer showing the case is
 * audited before it is sent (the read, and each restricted note shown in full).
 */
import { idSchema } from '@fsp/shared/events/definitions/common';
import { validate } from '@fsp/shared/events/field-issues';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '@fsp/shared/http/errors';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import {
  amendmentInputSchema,
  currentNarrative,
  type NoteFieldError,
  type NoteReader,
  type NoteReading,
  type NoteRefusal,
  type NoteWithAmendments,
  noteInputSchema,
  noteReadingFor,
} from '../domain/notes';
import type { NoteConflict } from '../store/notes-store';
import { routeKeyOf } from './case-access';
import { createNotesWork, type WorkResult } from './notes-work';
import { routes } from './routes';

const NO_STORE = { 'cache-control': 'no-store' };
const caseParams = z.lazy(() => z.object({ caseId: idSchema }));
const noteParams = z.lazy(() => z.object({ caseId: idSchema, noteId: idSchema }));
/** Bodies are read as objects here and judged field by field below, so every error names its field. */
const anyObject = z.lazy(() => z.record(z.string(), z.unknown()));
const versionSchema = z.lazy(() =>
  z.int('version must be the version of the note you read, a whole number').check(z.positive('version must be 1 or more')),
);
const countSchema = z.lazy(() =>
  z.optional(
    z
      .int('amendmentCount must be the number of amendments the note had when you read it')
      .check(z.nonnegative('amendmentCount must be 0 or more')),
  ),
);

const noCase = () => new NotFound('There is no such case that you can see.');
const noNote = () => new NotFound('There is no such note that you can see.');

/** A note as the JSON shows it: in full (the narrative as it now reads, the original and each amendment), or withheld. */
export function noteJson(reading: NoteReading) {
  if (reading.shown === 'withheld') {
    const { withheld } = reading;
    return {
      id: withheld.noteId,
      caseId: withheld.caseId,
      restricted: true,
      withheld: true,
      type: withheld.type,
      author: withheld.author,
      occurredAt: withheld.occurredAt,
      ...(withheld.completedAt ? { completedAt: withheld.completedAt } : {}),
    };
  }
  const { note, amendments } = reading.entry;
  return {
    id: note.noteId,
    caseId: note.caseId,
    restricted: reading.restricted,
    status: note.status,
    version: note.version,
    type: note.type,
    occurredAt: note.occurredAt,
    seenPersonIds: note.seenPersonIds,
    ...(note.seenOthers ? { seenOthers: note.seenOthers } : {}),
    childrenSeenAlone: note.childrenSeenAlone,
    narrative: currentNarrative(reading.entry),
    originalNarrative: note.narrative,
    significant: note.significant,
    visibleTo: note.visibleTo,
    author: note.author,
    createdAt: note.createdAt,
    updatedAt: note.updatedAt,
    ...(note.completedAt ? { completedAt: note.completedAt } : {}),
    amendments: amendments.map((amendment) => ({
      number: amendment.number,
      reason: amendment.reason,
      narrative: amendment.narrative,
      by: amendment.by,
      at: amendment.at,
    })),
  };
}

const fieldErrors = (errors: readonly NoteFieldError[]) =>
  new ValidationFailed(errors.map((error) => ({ in: 'body', path: `$.${error.field}`, message: error.message })));

const REFUSALS: Readonly<Record<NoteRefusal['refused'], () => Error>> = {
  'not-author': noNote,
  'not-draft': () => new Conflict('The note is completed: it cannot be changed, only amended.'),
  'not-completed': () => new Conflict('The note is a draft: its author changes it until it is completed.'),
  'narrative-required': () => fieldErrors([{ field: 'narrative', message: 'Enter what happened before completing the note' }]),
  'not-readable': () => new Forbidden('This note is restricted: you cannot read it, so you cannot amend it.'),
  'nothing-changed': () => fieldErrors([{ field: 'narrative', message: 'Change what happened to amend the note' }]),
};

export function noteApiRoutes(runtime: ServiceRuntime): Route[] {
  const work = createNotesWork(runtime);

  /** The 409 of a note that moved on: what it says now, as this worker may read it. */
  function conflictOf(conflict: NoteConflict, reader: NoteReader) {
    const current: NoteWithAmendments | undefined = conflict.current;
    const reading = current ? noteReadingFor(current, reader) : undefined;
    return new Conflict(
      'The note changed since you read it: nothing was saved. Read it again and send your change from its current version.',
      {
        extensions: reading
          ? { note: noteJson(reading), ...(reading.shown === 'in-full' ? { version: reading.entry.note.version } : {}) }
          : {},
      },
    );
  }

  function answer<T>(result: WorkResult<T>, reader: NoteReader): T {
    switch (result.kind) {
      case 'done':
        return result.value;
      case 'invalid':
        throw fieldErrors(result.errors);
      case 'refused':
        throw REFUSALS[result.refusal.refused]();
      case 'conflict':
        throw conflictOf(result.conflict, reader);
      case 'no-note':
        throw noNote();
    }
  }

  function parsed<S extends z.ZodMiniType>(schema: S, body: unknown): z.infer<S> {
    const result = validate(schema, body);
    if (!result.success) throw new ValidationFailed(result.issues.map((issue) => ({ in: 'body', ...issue })));
    return result.data;
  }

  /** The case, for a worker who may write its notes. */
  async function writable(caseId: string, claims: Parameters<typeof work.open>[1], requestId: string, what: string, correlationId: string) {
    const opened = await work.open(caseId, claims, requestId, what, correlationId);
    if (!opened) throw noCase();
    if (!work.mayWrite(opened))
      throw new Forbidden('You can read this case but not record in it: only workers allocated to it or in its team can.');
    return opened;
  }

  return [
    defineRoute(routes.caseNotes, {
      params: caseParams,
      handle: async ({ params, claims, requestId }) => {
        const opened = await work.open(params.caseId, claims, requestId, routeKeyOf(routes.caseNotes));
        if (!opened) throw noCase();
        const readings = work.readings(opened);
        await work.shownInFull(opened, readings);
        return json(200, { caseId: params.caseId, notes: readings.map(noteJson) }, NO_STORE);
      },
    }),

    defineRoute(routes.caseNote, {
      params: noteParams,
      handle: async ({ params, claims, requestId }) => {
        const opened = await work.open(params.caseId, claims, requestId, routeKeyOf(routes.caseNote));
        if (!opened) throw noCase();
        const reading = work.reading(opened, params.noteId);
        if (!reading) throw noNote();
        await work.shownInFull(opened, [reading]);
        return json(200, noteJson(reading), NO_STORE);
      },
    }),

    defineRoute(routes.startNote, {
      params: caseParams,
      body: anyObject,
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const input = parsed(noteInputSchema, body);
        const opened = await writable(params.caseId, claims, requestId, routeKeyOf(routes.startNote), correlationId);
        const note = answer(await work.start(opened, input), claims);
        return json(201, noteJson({ shown: 'in-full', entry: { note, amendments: [] }, restricted: note.visibleTo.length > 0 }), {
          ...NO_STORE,
          location: `/api/cases/${note.caseId}/notes/${note.noteId}`,
        });
      },
    }),

    defineRoute(routes.editNote, {
      params: noteParams,
      body: anyObject,
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const { version, ...rest } = body as Record<string, unknown>;
        const checkedVersion = validate(versionSchema, version);
        const input = validate(noteInputSchema, rest);
        if (!checkedVersion.success || !input.success) {
          throw new ValidationFailed([
            ...(checkedVersion.success
              ? []
              : checkedVersion.issues.map((issue) => ({ in: 'body' as const, message: issue.message, path: '$.version' }))),
            ...(input.success ? [] : input.issues.map((issue) => ({ in: 'body' as const, ...issue }))),
          ]);
        }
        const opened = await writable(params.caseId, claims, requestId, routeKeyOf(routes.editNote), correlationId);
        const note = answer(await work.edit(opened, params.noteId, input.data, checkedVersion.data), claims);
        return json(200, noteJson({ shown: 'in-full', entry: { note, amendments: [] }, restricted: note.visibleTo.length > 0 }), NO_STORE);
      },
    }),

    defineRoute(routes.completeNote, {
      params: noteParams,
      body: z.object({ version: versionSchema }),
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const opened = await writable(params.caseId, claims, requestId, routeKeyOf(routes.completeNote), correlationId);
        const note = answer(await work.complete(opened, params.noteId, body.version), claims);
        return json(200, noteJson({ shown: 'in-full', entry: { note, amendments: [] }, restricted: note.visibleTo.length > 0 }), NO_STORE);
      },
    }),

    defineRoute(routes.amendNote, {
      params: noteParams,
      body: anyObject,
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const { amendmentCount, ...rest } = body as Record<string, unknown>;
        const count = validate(countSchema, amendmentCount);
        const input = validate(amendmentInputSchema, rest);
        if (!count.success || !input.success) {
          throw new ValidationFailed([
            ...(count.success
              ? []
              : count.issues.map((issue) => ({ in: 'body' as const, message: issue.message, path: '$.amendmentCount' }))),
            ...(input.success ? [] : input.issues.map((issue) => ({ in: 'body' as const, ...issue }))),
          ]);
        }
        const opened = await writable(params.caseId, claims, requestId, routeKeyOf(routes.amendNote), correlationId);
        const entry = answer(await work.amend(opened, params.noteId, input.data, count.data), claims);
        const reading: NoteReading = { shown: 'in-full', entry, restricted: entry.note.visibleTo.length > 0 };
        await work.shownInFull(opened, [reading]);
        return json(201, noteJson(reading), NO_STORE);
      },
    }),
  ];
}
