/**
 * The Supervision area's pages (routes.ts: admitted by the session cookie; Origin and CSRF checked
 * on every POST before this code runs):
 *
 * - GET /supervision: the team's agenda, cases due this month in due order (last rating, open and
 *   overdue actions, what changed since the case was last discussed);
 * - GET /supervision/cases/{caseId}: a case's supervisions, its ratings over time, its open
 *   actions and consultations;
 * - GET and POST /supervision/cases/{caseId}/supervisions/{sequence}: the record (the chair's form
 *   while a draft, saved as they go; the read view once completed), and …/amend, …/reschedule;
 * - GET /supervision/actions (mine, "Mark as done") and GET /supervision/overdue (the team's);
 * - GET and POST /supervision/cases/{caseId}/consultations/new.
 *
 * Every case page reads the case's partition and the Inbox count in one round, and is audited
 * (http/supervision-gate.ts) before it answers; a team's list is audited once per read, in the same
 * round trip as its reads (the page fails if the audit write does). A refused
 * form is the form again with GOV.UK's error summary and what was typed; a change that lost to
 * another says "Someone else changed this record since you opened it" beside the record as it now
 * stands; a recorded one redirects (303) to a page that says what was done.
 */
import { randomUUID } from 'node:crypto';
import type { Directory } from '@fsp/shared/directory';
import { defineRoute, type HttpResult, type Route } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { londonDateOf } from '@fsp/shared/time/london';
import { londonDateTimeText } from '@fsp/shared/time/london-words';
import type { PageRenderer } from '@fsp/shared/web/page';
import { seeOther, type WorkerPageView, workerPageResult } from '@fsp/shared/web/page-result';
import * as z from 'zod/mini';
import { mayChair, mayCompleteAction, type SupervisionAccess } from '../domain/access';
import { isActionOverdue } from '../domain/actions';
import { checkConsultation } from '../domain/consultation';
import { type Allocation, allocatedWorkerIds, type Supervision, type SupervisionAction } from '../domain/model';
import { checkAmendment, checkRecord, MAX_ACTIONS_PER_SUPERVISION } from '../domain/record';
import { checkReschedule } from '../domain/reschedule';
import { type CaseSupervisions, createSupervisionStore } from '../store/supervision-store';
import {
  dateOf,
  type FormBody,
  type FormError,
  first,
  formErrorsData,
  MAX_ROWS,
  type RecordFormValues,
  recordFormErrors,
  recordFormValues,
  recordFormValuesOf,
  recordInputOf,
  rowIsBlank,
} from '../web/record-form';
import {
  actionView,
  amendmentView,
  consultationView,
  dayText,
  dueWords,
  type Names,
  nameIn,
  RATING_WORDS,
  ratingTag,
  recordPagePath,
  recordRows,
  scheduledText,
  supervisionRowView,
} from '../web/record-view';
import { casePagePath, supervisedCaseView } from '../web/supervision-view';
import { routes } from './routes';
import { createSupervisionGate, nameOf, type OpenedCase, routeKeyOf } from './supervision-gate';

/** Anything is accepted in the address and body and judged by the route, so that a stale link gets a page, never a JSON problem. */
const lenient = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
const caseParams = z.object({ caseId: z.string() });
const recordParams = z.object({ caseId: z.string(), sequence: z.string() });
const actionParams = z.object({ caseId: z.string(), actionId: z.string() });

const NO_SUCH_CASE = {
  heading: 'There is no supervision of this case for you to see',
  paragraphs: ['The case may be held by another team, or the link you followed may be wrong.'],
  link: { href: '/supervision', text: 'Go to your team’s group supervision agenda' },
};

const DONE_TEXTS: Readonly<Record<string, string>> = {
  saved: 'Your draft was saved. You can come back to it and complete it later.',
  completed: 'The supervision record is complete. Its actions have been given to their owners.',
  amended: 'Your amendment was saved. The record as it was is kept in its history below.',
  rescheduled: 'The supervision was moved to its new date.',
  consultation: 'The consultation was recorded.',
  action: 'The action was marked as done.',
};

const STALE = 'Someone else changed this record since you opened it';

/** Names nobody: for route builders given no directory (a test that names nobody). */
const noDirectory: Directory = { worker: async () => undefined, teamMembers: async () => [] };

export interface PageOptions {
  directory?: Directory;
}

export function workerPageRoutes(
  runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>,
  renderer: PageRenderer,
  options: PageOptions = {},
): Route[] {
  const store = createSupervisionStore(runtime);
  const gate = createSupervisionGate(runtime);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);
  const directory = options.directory ?? noDirectory;

  const page = (claims: PageClaims, unreadCount: number, view: WorkerPageView, status = 200): HttpResult =>
    workerPageResult(renderer, { ...view, area: 'supervision', claims, unreadCount, status });

  const problem = (claims: PageClaims, unreadCount: number, shown: typeof NO_SUCH_CASE, status = 404) =>
    page(claims, unreadCount, { template: 'problem.njk', title: shown.heading, data: shown }, status);

  const request = (claims: PageClaims, requestId: string, route: { method: string; path: string }) => ({
    reader: claims,
    requestId,
    what: routeKeyOf(route),
  });

  /** The case (its one Query) and the Inbox count in one round, then the gate's decision and audit. */
  async function open(caseId: string, claims: PageClaims, requestId: string, route: { method: string; path: string }) {
    const [found, unreadCount] = await Promise.all([
      /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(caseId) ? store.readCase(caseId) : Promise.resolve(undefined),
      unread.unreadCount(claims),
    ]);
    const opened = await gate.decide(caseId, found, request(claims, requestId, route));
    return { opened, unreadCount };
  }

  /** The names of the people the case's pages name: its allocated workers, and whoever else is given. */
  async function namesOf(userIds: Iterable<string>, claims: PageClaims): Promise<Record<string, string>> {
    const ids = [...new Set(userIds)];
    const found = await Promise.all(ids.map(async (id) => [id, (await directory.worker(id))?.name] as const));
    const names: Record<string, string> = {};
    for (const [id, name] of found) if (name !== undefined) names[id] = name;
    names[claims.userId] = nameOf(claims);
    return names;
  }

  const caseNameOf = (found: CaseSupervisions) => supervisedCaseView(found.supervisedCase);
  const sequenceOf = (text: string): number | undefined => (/^\d{1,4}$/.test(text) ? Number(text) : undefined);
  const supervisionIn = (found: CaseSupervisions, sequence: number | undefined) =>
    sequence === undefined ? undefined : found.supervisions.find((supervision) => supervision.sequence === sequence);

  const noSuchSupervision = (caseId: string) => ({
    heading: 'There is no such supervision of this case',
    paragraphs: ['The link you followed may be wrong.'],
    link: { href: casePagePath(caseId), text: 'Go to the case’s group supervision' },
  });
  const chairOnly = (caseId: string) => ({
    heading: 'Only the team manager can change this supervision',
    paragraphs: ['The team manager of the team holding the case chairs its group supervision, records it and moves its date.'],
    link: { href: casePagePath(caseId), text: 'Go to the case’s group supervision' },
  });

  // ---- The record ----

  /** Who the record may name: the case's allocated workers and the chair (the session's team manager). */
  const peopleOf = (allocation: Allocation, chairId: string, also: readonly string[] = []) => [
    ...new Set([...allocatedWorkerIds(allocation), chairId, ...also]),
  ];

  interface RecordState {
    values?: RecordFormValues;
    errors?: FormError[];
    stale?: boolean;
    notice?: string;
    done?: string;
    extraRows?: number;
    status?: number;
  }

  async function recordPage(
    opened: OpenedCase,
    supervision: Supervision,
    claims: PageClaims,
    unreadCount: number,
    state: RecordState = {},
  ) {
    const { found } = opened;
    const head = found.supervisedCase;
    const caseName = caseNameOf(found);
    const chair = mayChair(claims, head);
    const record = supervision.record;
    const completed = record?.recordStatus === 'completed';
    const title = `Group supervision ${supervision.sequence}`;
    const named = [...(record?.attendees ?? []), ...(record?.apologies ?? []), ...(record?.chair ? [record.chair.userId] : [])];
    const people = peopleOf(head.allocation, chair ? claims.userId : (record?.chair.userId ?? claims.userId), named);
    const names = await namesOf(people, claims);
    const base = {
      caseName: caseName.name,
      caseHref: casePagePath(head.caseId),
      title,
      scheduled: scheduledText(supervision.scheduledFor),
      dueDate: dayText(supervision.dueDate),
      ...(supervision.status === 'scheduled' ? { due: dueWords(supervision.dueBy, runtime.clock()) } : {}),
      ...(state.done && DONE_TEXTS[state.done] ? { done: DONE_TEXTS[state.done] } : {}),
      ...(state.notice ? { notice: state.notice } : {}),
    };
    if (completed && record) {
      const actions = found.actions.filter((action) => action.supervisionId === supervision.supervisionId);
      return page(
        claims,
        unreadCount,
        {
          template: 'record.njk',
          title: `${title} – ${caseName.name}`,
          backLink: casePagePath(head.caseId),
          data: {
            ...base,
            chair: record.chair.name,
            completedText: record.completedAt ? londonDateTimeText(new Date(record.completedAt)) : undefined,
            rows: recordRows(record, names),
            actions: actions.map((action) => actionView(action, runtime.clock())),
            amendments: found.amendments
              .filter((amendment) => amendment.sequence === supervision.sequence)
              .map((amendment) => amendmentView(amendment, names)),
            ...(chair ? { amendHref: `${recordPagePath(head.caseId, supervision.sequence)}/amend` } : {}),
          },
        },
        state.status ?? 200,
      );
    }
    if (!chair) {
      return page(claims, unreadCount, {
        template: 'record-pending.njk',
        title: `${title} – ${caseName.name}`,
        backLink: casePagePath(head.caseId),
        data: { ...base, cancelled: supervision.status === 'cancelled' },
      });
    }
    if (supervision.status === 'cancelled' && !record) {
      return problem(claims, unreadCount, {
        heading: 'This supervision was cancelled',
        paragraphs: ['The case closed before it was held, so it is no longer on the agenda.'],
        link: { href: casePagePath(head.caseId), text: 'Go to the case’s group supervision' },
      });
    }
    const given = state.values ?? recordFormValuesOf(record, people);
    // Rows left blank are not kept: the form ends with one blank row (more after "Add another action").
    const values = { ...given, actions: given.actions.filter((row) => !rowIsBlank(row)) };
    const errors = state.errors ?? [];
    const blankRows = Math.min(MAX_ROWS - values.actions.length, 1 + (state.extraRows ?? 0));
    const rows = [
      ...values.actions,
      ...Array.from({ length: Math.max(0, blankRows) }, () => ({ what: '', ownerId: '', due: { day: '', month: '', year: '' } })),
    ];
    const current = state.stale && record ? recordRows(record, names) : undefined;
    return page(
      claims,
      unreadCount,
      {
        template: 'record-form.njk',
        title: `Record ${title.toLowerCase()} – ${caseName.name}`,
        backLink: casePagePath(head.caseId),
        hasErrors: errors.length > 0 || state.stale === true,
        data: {
          ...base,
          action: recordPagePath(head.caseId, supervision.sequence),
          version: record?.recordVersion ?? 0,
          ...(record ? { savedText: `Last saved ${londonDateTimeText(new Date(record.savedAt))}.` } : {}),
          ...formErrorsData(errors),
          ...(state.stale ? { stale: STALE, current } : {}),
          form: formView(values, people, names, rows),
          closed: head.closedAt !== undefined,
        },
      },
      state.status ?? 200,
    );
  }

  const formView = (values: RecordFormValues, people: readonly string[], names: Names, rows: RecordFormValues['actions']) => ({
    values,
    people: people.map((userId) => ({ userId, name: nameIn(names, userId), presence: values.presence[userId] ?? 'absent' })),
    ratingItems: (['red', 'amber', 'green'] as const).map((rating) => ({
      value: rating,
      text: RATING_WORDS[rating],
      checked: values.rating === rating,
    })),
    rows: rows.map((row, index) => ({
      index,
      ...row,
      ownerItems: [
        { value: '', text: 'Choose who owns it', selected: row.ownerId === '' },
        ...people.map((userId) => ({ value: userId, text: nameIn(names, userId), selected: row.ownerId === userId })),
      ],
    })),
    rowCount: rows.length,
    canAdd: rows.length < MAX_ACTIONS_PER_SUPERVISION,
  });

  /** The record, the case and the chair's right to change it; else the page saying why not. */
  async function openRecord(
    params: z.infer<typeof recordParams>,
    claims: PageClaims,
    requestId: string,
    route: { method: string; path: string },
  ) {
    const { opened, unreadCount } = await open(params.caseId, claims, requestId, route);
    if (!opened) return { refused: problem(claims, unreadCount, NO_SUCH_CASE) };
    const supervision = supervisionIn(opened.found, sequenceOf(params.sequence));
    if (!supervision) return { refused: problem(claims, unreadCount, noSuchSupervision(opened.found.supervisedCase.caseId)) };
    return { opened, unreadCount, supervision };
  }

  const contextOf = (opened: OpenedCase, claims: PageClaims) => ({
    now: runtime.clock(),
    ...(opened.found.supervisedCase.openedAt ? { openedAt: opened.found.supervisedCase.openedAt } : {}),
    chairId: claims.userId,
    allocatedWorkerIds: allocatedWorkerIds(opened.found.supervisedCase.allocation),
  });

  /** The record as it stands now, read again after a lost race (this request's read is audited already). */
  async function reread(caseId: string, sequence: number) {
    const found = await store.readCase(caseId);
    const supervision = found ? supervisionIn(found, sequence) : undefined;
    return found && supervision ? { found, supervision } : undefined;
  }

  // ---- Amendment ----

  async function amendPage(opened: OpenedCase, supervision: Supervision, claims: PageClaims, unreadCount: number, state: RecordState = {}) {
    const { found } = opened;
    const head = found.supervisedCase;
    const record = supervision.record;
    if (record?.recordStatus !== 'completed') return seeOther(recordPagePath(head.caseId, supervision.sequence));
    const people = peopleOf(head.allocation, claims.userId, [...record.attendees, ...record.apologies]);
    const names = await namesOf(people, claims);
    const given = state.values ?? recordFormValuesOf(record, people);
    const values = { ...given, actions: given.actions.filter((row) => !rowIsBlank(row)) };
    const assigned = values.actions.filter((row) => row.actionId !== undefined);
    const added = values.actions.filter((row) => row.actionId === undefined);
    const blank = Math.max(0, Math.min(MAX_ROWS - values.actions.length, 1 + (state.extraRows ?? 0)));
    const rows = [
      ...assigned,
      ...added,
      ...Array.from({ length: blank }, () => ({ what: '', ownerId: '', due: { day: '', month: '', year: '' } })),
    ];
    const errors = state.errors ?? [];
    return page(
      claims,
      unreadCount,
      {
        template: 'record-amend.njk',
        title: `Amend group supervision ${supervision.sequence} – ${caseNameOf(found).name}`,
        backLink: recordPagePath(head.caseId, supervision.sequence),
        hasErrors: errors.length > 0 || state.stale === true,
        data: {
          caseName: caseNameOf(found).name,
          title: `Group supervision ${supervision.sequence}`,
          action: `${recordPagePath(head.caseId, supervision.sequence)}/amend`,
          backHref: recordPagePath(head.caseId, supervision.sequence),
          version: record.recordVersion,
          ...formErrorsData(errors),
          ...(state.stale ? { stale: STALE, current: recordRows(record, names) } : {}),
          form: formView(values, people, names, rows),
          assignedCount: assigned.length,
        },
      },
      state.status ?? 200,
    );
  }

  // ---- Reschedule ----

  interface RescheduleState {
    values?: { date: { day: string; month: string; year: string }; reason: string };
    errors?: FormError[];
    stale?: boolean;
    status?: number;
  }

  function reschedulePage(
    opened: OpenedCase,
    supervision: Supervision,
    claims: PageClaims,
    unreadCount: number,
    state: RescheduleState = {},
  ) {
    const head = opened.found.supervisedCase;
    const errors = state.errors ?? [];
    return page(
      claims,
      unreadCount,
      {
        template: 'reschedule.njk',
        title: `Move group supervision ${supervision.sequence} – ${caseNameOf(opened.found).name}`,
        backLink: casePagePath(head.caseId),
        hasErrors: errors.length > 0 || state.stale === true,
        data: {
          caseName: caseNameOf(opened.found).name,
          title: `Group supervision ${supervision.sequence}`,
          scheduled: scheduledText(supervision.scheduledFor),
          dueDate: dayText(supervision.dueDate),
          action: `${recordPagePath(head.caseId, supervision.sequence)}/reschedule`,
          backHref: casePagePath(head.caseId),
          version: supervision.version ?? 0,
          values: state.values ?? { date: { day: '', month: '', year: '' }, reason: '' },
          ...formErrorsData(errors),
          ...(state.stale ? { stale: 'Someone else changed this supervision since you opened it' } : {}),
        },
      },
      state.status ?? 200,
    );
  }

  // ---- Consultation ----

  interface ConsultationState {
    values?: { with: string; date: { day: string; month: string; year: string }; notes: string };
    errors?: FormError[];
    status?: number;
  }

  function consultationPage(opened: OpenedCase, claims: PageClaims, unreadCount: number, state: ConsultationState = {}) {
    const head = opened.found.supervisedCase;
    const errors = state.errors ?? [];
    return page(
      claims,
      unreadCount,
      {
        template: 'consultation.njk',
        title: `Record a consultation – ${caseNameOf(opened.found).name}`,
        backLink: casePagePath(head.caseId),
        hasErrors: errors.length > 0,
        data: {
          caseName: caseNameOf(opened.found).name,
          action: `${casePagePath(head.caseId)}/consultations/new`,
          backHref: casePagePath(head.caseId),
          values: state.values ?? { with: '', date: { day: '', month: '', year: '' }, notes: '' },
          ...formErrorsData(errors),
        },
      },
      state.status ?? 200,
    );
  }

  const simpleErrors = (errors: readonly { field: string; message: string }[], dateField: string) =>
    errors.map((error) => ({
      field: error.field,
      text: error.message.replace(/, written as YYYY-MM-DD$/, ''),
      href: error.field === dateField ? `#${dateField}-day` : `#${error.field}`,
    }));

  const dateBoxes = (body: FormBody, prefix: string) => ({
    day: (first(body[`${prefix}-day`]) ?? '').trim(),
    month: (first(body[`${prefix}-month`]) ?? '').trim(),
    year: (first(body[`${prefix}-year`]) ?? '').trim(),
  });

  const versionOf = (body: FormBody): number => {
    const text = first(body.version);
    return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : -1;
  };

  const ownerNamesOf = (names: Names, actions: readonly { ownerId: string }[]) =>
    Object.fromEntries(actions.map((action) => [action.ownerId, nameIn(names, action.ownerId)]));

  // ---- Lists ----

  const entryOf = (supervision: Supervision, openActions: readonly SupervisionAction[], now: Date, chair: boolean) => {
    const actions = openActions.filter((action) => action.caseId === supervision.caseId);
    const changes = supervision.agenda?.changes ?? [];
    return {
      caseName: supervision.caseReference
        ? `Case ${supervision.caseReference}`
        : `Case due group supervision by ${dayText(supervision.dueDate)}`,
      caseHref: casePagePath(supervision.caseId),
      recordHref: recordPagePath(supervision.caseId, supervision.sequence),
      chair,
      title: `Group supervision ${supervision.sequence}`,
      scheduled: scheduledText(supervision.scheduledFor),
      dueDate: dayText(supervision.dueDate),
      due: dueWords(supervision.dueBy, now),
      rating: ratingTag(supervision.previousRating),
      openActions: actions.length,
      overdueActions: actions.filter((action) => isActionOverdue(action, now)).length,
      changes: [...changes]
        .reverse()
        .slice(0, 5)
        .map((change) => ({ when: dayText(londonDateOf(new Date(change.at))), text: change.text })),
      moreChanges: Math.max(0, changes.length - 5),
      draft: supervision.record?.recordStatus === 'draft',
    };
  };

  return [
    defineRoute(routes.agendaPage, {
      query: lenient,
      handle: async ({ claims, query, requestId }) => {
        // The team read's audit goes in the same round as the reads: it needs nothing they return, and if it fails the page fails.
        const [agenda, openActions, unreadCount] = await Promise.all([
          store.teamAgenda(claims.teamId),
          store.teamOpenActions(claims.teamId),
          unread.unreadCount(claims),
          gate.teamRead(claims.teamId, request(claims, requestId, routes.agendaPage)),
        ]);
        const now = runtime.clock();
        const all = first(query.show) === 'all';
        const endOfMonth = `${londonDateOf(now).slice(0, 7)}-31`;
        const shown = agenda.filter((supervision) => all || supervision.dueDate <= endOfMonth);
        const chair = claims.roles.includes('team-manager');
        return page(claims, unreadCount, {
          template: 'agenda.njk',
          title: 'Group supervision agenda',
          data: {
            entries: shown.map((supervision) => entryOf(supervision, openActions, now, chair)),
            later: agenda.length - shown.length,
            all,
            month: dayText(londonDateOf(now)).replace(/^\w+ \d+ /, ''),
          },
        });
      },
    }),

    defineRoute(routes.casePage, {
      params: caseParams,
      query: lenient,
      handle: async ({ params, query, claims, requestId }) => {
        const { opened, unreadCount } = await open(params.caseId, claims, requestId, routes.casePage);
        if (!opened) return problem(claims, unreadCount, NO_SUCH_CASE);
        const { found } = opened;
        const head = found.supervisedCase;
        const now = runtime.clock();
        const chair = mayChair(claims, head);
        const caseName = caseNameOf(found);
        const done = first(query.done);
        return page(claims, unreadCount, {
          template: 'case.njk',
          title: caseName.title,
          data: {
            supervisedCase: caseName,
            ...(done && DONE_TEXTS[done] ? { done: DONE_TEXTS[done] } : {}),
            supervisions: found.supervisions.map((supervision) => supervisionRowView(supervision, now, chair)),
            ratings: [...head.ratings].reverse().map((entry) => ({
              title: `Group supervision ${entry.sequence}`,
              heldOn: dayText(entry.heldOn),
              rating: ratingTag(entry.rating),
              rationale: entry.rationale,
            })),
            actions: found.actions.filter((action) => action.status === 'open').map((action) => actionView(action, now)),
            consultations: found.consultations.map(consultationView),
            consultationHref: `${casePagePath(head.caseId)}/consultations/new`,
            closed: head.closedAt ? dayText(londonDateOf(new Date(head.closedAt))) : undefined,
          },
        });
      },
    }),

    defineRoute(routes.recordPage, {
      params: recordParams,
      query: lenient,
      handle: async ({ params, query, claims, requestId }) => {
        const found = await openRecord(params, claims, requestId, routes.recordPage);
        if (found.refused) return found.refused;
        const rows = first(query.rows);
        const done = first(query.done);
        return recordPage(found.opened, found.supervision, claims, found.unreadCount, {
          ...(done ? { done } : {}),
          ...(rows && /^\d{1,2}$/.test(rows) ? { extraRows: Number(rows) } : {}),
        });
      },
    }),

    defineRoute(routes.saveRecordPage, {
      params: recordParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const found = await openRecord(params, claims, requestId, routes.saveRecordPage);
        if (found.refused) return found.refused;
        const { opened, unreadCount, supervision } = found;
        const head = opened.found.supervisedCase;
        if (!mayChair(claims, head)) return problem(claims, unreadCount, chairOnly(head.caseId), 403);
        const path = recordPagePath(head.caseId, supervision.sequence);
        if (supervision.record?.recordStatus === 'completed') {
          return recordPage(opened, supervision, claims, unreadCount, {
            notice: 'This record was already completed. It is shown below as it was completed.',
          });
        }
        const people = peopleOf(head.allocation, claims.userId, [
          ...(supervision.record?.attendees ?? []),
          ...(supervision.record?.apologies ?? []),
        ]);
        const typed = recordFormValues(body as FormBody, people);
        // Rows left blank are dropped here, so that each message names the row as the page shows it again.
        const blank = typed.actions.filter(rowIsBlank).length;
        const values = { ...typed, actions: typed.actions.filter((row) => !rowIsBlank(row)) };
        const intent = first(body.action);
        const mode = intent === 'complete' ? 'complete' : 'draft';
        const checked = checkRecord(recordInputOf(values), contextOf(opened, claims), mode);
        if (!checked.ok) {
          return recordPage(opened, supervision, claims, unreadCount, {
            values,
            errors: recordFormErrors(checked.errors, values, people),
            status: 400,
          });
        }
        const chair = { userId: claims.userId, name: nameOf(claims) };
        const expectedVersion = versionOf(body as FormBody);
        const now = runtime.clock();
        const result =
          mode === 'complete'
            ? await store.complete(head.caseId, supervision.sequence, {
                expectedVersion,
                content: checked.content,
                chair,
                ownerNames: ownerNamesOf(await namesOf(people, claims), checked.content.actions),
                now,
                correlationId,
                causationId: requestId,
              })
            : await store.saveDraft(head.caseId, supervision.sequence, { expectedVersion, content: checked.content, chair, now });
        switch (result.kind) {
          case 'saved':
            // "Add another action": one more blank row than were left blank (filling the blank row and adding gives a new one).
            return seeOther(
              intent === 'add-action'
                ? `${path}?done=saved&rows=${blank}#action${checked.content.actions.length + blank}What`
                : `${path}?done=saved`,
            );
          case 'completed':
            return seeOther(`${path}?done=completed`);
          case 'already-completed': {
            const now2 = await reread(head.caseId, supervision.sequence);
            const shown = now2 ? { ...opened, found: now2.found } : opened;
            return recordPage(shown, now2?.supervision ?? supervision, claims, unreadCount, {
              notice: 'This record was already completed, in another tab or by another request. Nothing was saved twice.',
            });
          }
          case 'stale': {
            const now2 = await reread(head.caseId, supervision.sequence);
            const shown = now2 ? { ...opened, found: now2.found } : opened;
            return recordPage(shown, now2?.supervision ?? supervision, claims, unreadCount, { values, stale: true, status: 409 });
          }
          case 'cancelled':
            return problem(
              claims,
              unreadCount,
              {
                heading: 'This supervision was cancelled',
                paragraphs: ['The case closed before it was held, so it is no longer on the agenda.'],
                link: { href: casePagePath(head.caseId), text: 'Go to the case’s group supervision' },
              },
              409,
            );
          default:
            return problem(claims, unreadCount, noSuchSupervision(head.caseId));
        }
      },
    }),

    defineRoute(routes.amendRecordForm, {
      params: recordParams,
      query: lenient,
      handle: async ({ params, query, claims, requestId }) => {
        const found = await openRecord(params, claims, requestId, routes.amendRecordForm);
        if (found.refused) return found.refused;
        if (!mayChair(claims, found.opened.found.supervisedCase)) {
          return problem(claims, found.unreadCount, chairOnly(found.opened.found.supervisedCase.caseId), 403);
        }
        const rows = first(query.rows);
        return amendPage(
          found.opened,
          found.supervision,
          claims,
          found.unreadCount,
          rows && /^\d{1,2}$/.test(rows) ? { extraRows: Number(rows) } : {},
        );
      },
    }),

    defineRoute(routes.amendRecordPage, {
      params: recordParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const found = await openRecord(params, claims, requestId, routes.amendRecordPage);
        if (found.refused) return found.refused;
        const { opened, unreadCount, supervision } = found;
        const head = opened.found.supervisedCase;
        if (!mayChair(claims, head)) return problem(claims, unreadCount, chairOnly(head.caseId), 403);
        const record = supervision.record;
        if (record?.recordStatus !== 'completed') return seeOther(recordPagePath(head.caseId, supervision.sequence));
        const people = peopleOf(head.allocation, claims.userId, [...record.attendees, ...record.apologies]);
        const typed = recordFormValues(body as FormBody, people);
        const blank = typed.actions.filter(rowIsBlank).length;
        const values = { ...typed, actions: typed.actions.filter((row) => !rowIsBlank(row)) };
        // Nothing is saved until the amendment is: one more blank row, drawn again.
        if (first(body.action) === 'add-action') return amendPage(opened, supervision, claims, unreadCount, { values, extraRows: blank });
        const checked = checkAmendment(recordInputOf(values), { ...contextOf(opened, claims), completed: record });
        if (!checked.ok) {
          return amendPage(opened, supervision, claims, unreadCount, {
            values,
            errors: recordFormErrors(checked.errors, values, people),
            status: 400,
          });
        }
        const result = await store.amend(head.caseId, supervision.sequence, {
          expectedVersion: versionOf(body as FormBody),
          content: checked.content,
          reason: checked.reason,
          by: { userId: claims.userId, name: nameOf(claims) },
          ownerNames: ownerNamesOf(await namesOf(people, claims), checked.content.actions),
          now: runtime.clock(),
          correlationId,
          causationId: requestId,
        });
        switch (result.kind) {
          case 'amended':
            return seeOther(`${recordPagePath(head.caseId, supervision.sequence)}?done=amended`);
          case 'stale': {
            const now2 = await reread(head.caseId, supervision.sequence);
            const shown = now2 ? { ...opened, found: now2.found } : opened;
            return amendPage(shown, now2?.supervision ?? supervision, claims, unreadCount, { values, stale: true, status: 409 });
          }
          default:
            return seeOther(recordPagePath(head.caseId, supervision.sequence));
        }
      },
    }),

    defineRoute(routes.rescheduleForm, {
      params: recordParams,
      handle: async ({ params, claims, requestId }) => {
        const found = await openRecord(params, claims, requestId, routes.rescheduleForm);
        if (found.refused) return found.refused;
        const { opened, unreadCount, supervision } = found;
        const head = opened.found.supervisedCase;
        if (!mayChair(claims, head)) return problem(claims, unreadCount, chairOnly(head.caseId), 403);
        if (supervision.status !== 'scheduled') return seeOther(recordPagePath(head.caseId, supervision.sequence));
        return reschedulePage(opened, supervision, claims, unreadCount);
      },
    }),

    defineRoute(routes.reschedulePage, {
      params: recordParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const found = await openRecord(params, claims, requestId, routes.reschedulePage);
        if (found.refused) return found.refused;
        const { opened, unreadCount, supervision } = found;
        const head = opened.found.supervisedCase;
        if (!mayChair(claims, head)) return problem(claims, unreadCount, chairOnly(head.caseId), 403);
        if (supervision.status !== 'scheduled') return seeOther(recordPagePath(head.caseId, supervision.sequence));
        const values = { date: dateBoxes(body as FormBody, 'scheduledDate'), reason: first(body.reason) ?? '' };
        const checked = checkReschedule({ scheduledDate: dateOf(values.date), reason: values.reason }, { now: runtime.clock() });
        if (!checked.ok) {
          return reschedulePage(opened, supervision, claims, unreadCount, {
            values,
            errors: simpleErrors(checked.errors, 'scheduledDate'),
            status: 400,
          });
        }
        const result = await store.reschedule(head.caseId, supervision.sequence, {
          expectedVersion: versionOf(body as FormBody),
          scheduledDate: checked.scheduledDate,
          reason: checked.reason,
          by: { userId: claims.userId, name: nameOf(claims) },
          now: runtime.clock(),
          correlationId,
          causationId: requestId,
        });
        switch (result.kind) {
          case 'rescheduled':
            return seeOther(`${casePagePath(head.caseId)}?done=rescheduled`);
          case 'stale': {
            const now2 = await reread(head.caseId, supervision.sequence);
            return reschedulePage(opened, now2?.supervision ?? supervision, claims, unreadCount, { values, stale: true, status: 409 });
          }
          default:
            return seeOther(recordPagePath(head.caseId, supervision.sequence));
        }
      },
    }),

    defineRoute(routes.actionsPage, {
      query: lenient,
      handle: async ({ claims, query, requestId }) => {
        const [mine, unreadCount] = await Promise.all([
          store.myActions(claims.teamId, claims.userId),
          unread.unreadCount(claims),
          gate.teamRead(claims.teamId, request(claims, requestId, routes.actionsPage)),
        ]);
        const now = runtime.clock();
        const done = first(query.done);
        return page(claims, unreadCount, {
          template: 'actions.njk',
          title: 'Your supervision actions',
          data: {
            actions: mine.map((action) => actionView(action, now)),
            ...(done === 'action' ? { done: DONE_TEXTS.action } : {}),
          },
        });
      },
    }),

    defineRoute(routes.completeActionPage, {
      params: actionParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, claims, requestId, correlationId }) => {
        const { opened, unreadCount } = await open(params.caseId, claims, requestId, routes.completeActionPage);
        if (!opened) return problem(claims, unreadCount, NO_SUCH_CASE);
        const action = opened.found.actions.find((candidate) => candidate.actionId === params.actionId);
        const back = { href: '/supervision/actions', text: 'Go to your supervision actions' };
        if (!action)
          return problem(claims, unreadCount, {
            heading: 'There is no such action',
            paragraphs: ['The link you followed may be wrong.'],
            link: back,
          });
        if (!mayCompleteAction(claims, action)) {
          return problem(
            claims,
            unreadCount,
            {
              heading: 'Only the action’s owner or the team manager can mark it as done',
              paragraphs: [`This action is ${action.ownerName}’s.`],
              link: back,
            },
            403,
          );
        }
        await store.completeAction(head(opened).caseId, action.actionId, {
          by: claims.userId,
          now: runtime.clock(),
          correlationId,
          causationId: requestId,
        });
        return seeOther('/supervision/actions?done=action');
      },
    }),

    defineRoute(routes.overduePage, {
      handle: async ({ claims, requestId }) => {
        const [agenda, openActions, unreadCount] = await Promise.all([
          store.teamAgenda(claims.teamId),
          store.teamOpenActions(claims.teamId),
          unread.unreadCount(claims),
          gate.teamRead(claims.teamId, request(claims, requestId, routes.overduePage)),
        ]);
        const now = runtime.clock();
        const chair = claims.roles.includes('team-manager');
        return page(claims, unreadCount, {
          template: 'overdue.njk',
          title: 'Overdue group supervision and actions',
          data: {
            supervisions: agenda
              .filter((supervision) => now.getTime() > Date.parse(supervision.dueBy))
              .map((supervision) => entryOf(supervision, openActions, now, chair)),
            actions: openActions.filter((action) => isActionOverdue(action, now)).map((action) => actionView(action, now)),
          },
        });
      },
    }),

    defineRoute(routes.consultationForm, {
      params: caseParams,
      handle: async ({ params, claims, requestId }) => {
        const { opened, unreadCount } = await open(params.caseId, claims, requestId, routes.consultationForm);
        if (!opened) return problem(claims, unreadCount, NO_SUCH_CASE);
        return consultationPage(opened, claims, unreadCount);
      },
    }),

    defineRoute(routes.consultationPage, {
      params: caseParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId }) => {
        const { opened, unreadCount } = await open(params.caseId, claims, requestId, routes.consultationPage);
        if (!opened) return problem(claims, unreadCount, NO_SUCH_CASE);
        const values = { with: first(body.with) ?? '', date: dateBoxes(body as FormBody, 'heldOn'), notes: first(body.notes) ?? '' };
        const checked = checkConsultation(
          { with: values.with, heldOn: dateOf(values.date), notes: values.notes },
          { now: runtime.clock() },
        );
        if (!checked.ok)
          return consultationPage(opened, claims, unreadCount, { values, errors: simpleErrors(checked.errors, 'heldOn'), status: 400 });
        const caseId = head(opened).caseId;
        const result = await store.recordConsultation(caseId, {
          ...checked.value,
          by: { userId: claims.userId, name: nameOf(claims) },
          now: runtime.clock(),
          consultationId: randomUUID(),
        });
        if (result.kind !== 'recorded') return problem(claims, unreadCount, NO_SUCH_CASE);
        return seeOther(`${casePagePath(caseId)}?done=consultation`);
      },
    }),
  ];
}

const head = (opened: OpenedCase) => opened.found.supervisedCase;

/** The relationship a page rests on: the access kinds, for tests that read audit items. */
export type { SupervisionAccess };
