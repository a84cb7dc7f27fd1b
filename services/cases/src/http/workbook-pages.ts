/**
 * The Family Safeguarding workbook's pages (issue 14 Deliver 5; routes.ts: page routes admitted by the
 * session cookie, Origin and CSRF checked on every POST before this code runs):
 *
 * - GET /cases/{caseId}/workbook: each role's chapter, the monthly summaries, the programme per adult;
 * - GET /cases/{caseId}/workbook/print: the family's assessment document, for printing (the layout's
 *   header, footer and links are left off paper);
 * - GET and POST …/workbook/contribute: a chapter's new version or a month's summary;
 * - GET and POST …/workbook/programme: where an adult is with one module.
 *
 * The work is http/workbook-api.ts's, the very code the JSON routes run: the case opened through the
 * gate (audited) with the workbook read in the same round. A refused form is the form again with
 * GOV.UK's error summary and what was typed; an entry someone else wrote since the form was opened
 * is the form again (409) showing the entry as it now stands, the worker's text kept; a write
 * redirects (303) to the workbook, which says what was saved.
 */
import { defineRoute, type HttpResult, type Route } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { workerPageResult } from '@fsp/shared/web/page-result';
import { mayRecordProgramme, type Workbook } from '../domain/workbook';
import { caseHeaderView } from '../web/case-view';
import {
  type ContributionFormValues,
  checkContributionForm,
  checkProgrammeForm,
  contributeHref,
  contributionFormValues,
  contributionFormView,
  currentEntryOf,
  entryKeyOf,
  type FormError,
  openedContributionValues,
  openedProgrammeValues,
  type ProgrammeFormValues,
  paragraphsOf,
  printView,
  programmeFormValues,
  programmeFormView,
  programmeHref,
  workbookHref,
  workbookPageView,
} from '../web/workbook-view';
import { noSuchCasePage } from './break-glass-pages';
import { type OpenedCase, routeKeyOf } from './case-access';
import { CASE_ID, caseParams, first, lenient, type Problem, problemPage, versionOf } from './case-page-common';
import { networkOfFile } from './notes-work';
import { pageAnswer } from './outcome-answers';
import { routes } from './routes';
import { adultsOf, createWorkbookWork, writableRoles } from './workbook-api';

/** Anything is accepted in the address and the form and judged by the route, so that a stale link or a tampered form gets a page. */

const DONE_TEXTS = {
  chapter: 'The chapter is saved. Its earlier version is kept.',
  summary: 'The monthly summary is saved.',
  programme: 'The programme is updated.',
} as const;
type Done = keyof typeof DONE_TEXTS;

const readOnly = (caseId: string): Problem => ({
  heading: 'You can read this case but not write in its workbook',
  paragraphs: [
    'Each role’s chapter and monthly summaries are written by the worker allocated to that role on the case, or by the team manager of the team that holds it. A social worker of that team can write the social worker’s part.',
  ],
  link: { href: workbookHref(caseId), text: 'Go to the workbook' },
});

const NO_ADULTS = (caseId: string): Problem => ({
  heading: 'There are no adults in the family’s network yet',
  paragraphs: ['The programme is tracked for each adult of the household. Add them to the family and network first.'],
  link: { href: `/cases/${caseId}/family`, text: 'Go to the family and network' },
});

/** A version as a form's hidden field carries it; anything else can match no entry, and answers as a changed one. */

export function workbookPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const work = createWorkbookWork(runtime);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);

  /** The case (audited), its workbook and the Inbox count, in one round; `found` undefined for a case the worker may not see. */
  async function open(caseId: string, claims: PageClaims, requestId: string, route: { method: string; path: string }) {
    const [found, unreadCount] = await Promise.all([
      CASE_ID.test(caseId) ? work.open(caseId, claims, { requestId, what: routeKeyOf(route) }) : undefined,
      unread.unreadCount(claims),
    ]);
    return { found, unreadCount };
  }

  const problem = (claims: PageClaims, unreadCount: number, shown: Problem, status: number): HttpResult =>
    problemPage(renderer, claims, unreadCount, shown, status);

  const titleOf = (opened: OpenedCase, what: string) => `${what} – case ${opened.file.record.reference}`;

  interface ContributionState {
    values: ContributionFormValues;
    errors?: FormError[];
    changed?: { text: string[][]; by?: string };
    status?: number;
  }

  function contributionPage(opened: OpenedCase, claims: PageClaims, unreadCount: number, state: ContributionState): HttpResult {
    const caseId = opened.file.record.caseId;
    const errors = state.errors ?? [];
    return workerPageResult(renderer, {
      template: 'workbook-contribute.njk',
      title: titleOf(opened, 'Write in the workbook'),
      area: 'cases',
      backLink: workbookHref(caseId),
      hasErrors: errors.length > 0 || state.changed !== undefined,
      claims,
      unreadCount,
      status: state.status ?? (errors.length > 0 ? 400 : 200),
      data: {
        reference: opened.file.record.reference,
        form: contributionFormView(state.values, writableRoles(opened), errors),
        action: contributeHref(caseId),
        cancelHref: workbookHref(caseId),
        ...(state.changed ? { changed: state.changed } : {}),
      },
    });
  }

  interface ProgrammeState {
    values: ProgrammeFormValues;
    errors?: FormError[];
    changed?: boolean;
    status?: number;
  }

  function programmePage(opened: OpenedCase, claims: PageClaims, unreadCount: number, state: ProgrammeState): HttpResult {
    const caseId = opened.file.record.caseId;
    const errors = state.errors ?? [];
    return workerPageResult(renderer, {
      template: 'workbook-programme.njk',
      title: titleOf(opened, 'Record progress in the programme'),
      area: 'cases',
      backLink: workbookHref(caseId),
      hasErrors: errors.length > 0 || state.changed === true,
      claims,
      unreadCount,
      status: state.status ?? (errors.length > 0 ? 400 : 200),
      data: {
        reference: opened.file.record.reference,
        form: programmeFormView(state.values, adultsOf(opened.file), errors),
        action: programmeHref(caseId),
        cancelHref: workbookHref(caseId),
        ...(state.changed ? { changed: true } : {}),
      },
    });
  }

  /** What `?done=` may say: only what the worker's own last write shows, so a copied address never claims what did not happen. */
  function doneOf(asked: string | undefined, workbook: Workbook, userId: string): Done | undefined {
    if (asked === 'chapter') return workbook.chapters.some((each) => each.by.userId === userId) ? 'chapter' : undefined;
    if (asked === 'summary') return workbook.summaries.some((each) => each.by.userId === userId) ? 'summary' : undefined;
    if (asked === 'programme')
      return workbook.programmes.some((each) => each.modules.some((module) => module.by.userId === userId)) ? 'programme' : undefined;
    return undefined;
  }

  return [
    defineRoute(routes.workbookPage, {
      params: caseParams,
      query: lenient,
      handle: async ({ params, query, claims, requestId }) => {
        const { found, unreadCount } = await open(params.caseId, claims, requestId, routes.workbookPage);
        if (!found) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        const { opened, workbook } = found;
        const { file } = opened;
        const done = doneOf(first(query.done), workbook, claims.userId);
        return workerPageResult(renderer, {
          template: 'workbook.njk',
          title: titleOf(opened, 'Family Safeguarding workbook'),
          area: 'cases',
          claims,
          unreadCount,
          data: {
            caseHeader: caseHeaderView(file.record, 'overview'),
            ...workbookPageView(workbook, {
              caseId: file.record.caseId,
              network: networkOfFile(file),
              ...(file.allocation ? { allocation: file.allocation.allocation } : {}),
              writable: writableRoles(opened),
              mayRecordProgramme: mayRecordProgramme(opened.access),
              now: runtime.clock(),
            }),
            ...(done ? { done: DONE_TEXTS[done] } : {}),
          },
        });
      },
    }),

    defineRoute(routes.workbookPrintPage, {
      params: caseParams,
      handle: async ({ params, claims, requestId }) => {
        const { found, unreadCount } = await open(params.caseId, claims, requestId, routes.workbookPrintPage);
        if (!found) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        const { opened, workbook } = found;
        const { file } = opened;
        return workerPageResult(renderer, {
          template: 'workbook-print.njk',
          title: titleOf(opened, 'Family Safeguarding assessment'),
          area: 'cases',
          claims,
          unreadCount,
          data: printView(workbook, {
            caseId: file.record.caseId,
            reference: file.record.reference,
            network: networkOfFile(file),
            ...(file.allocation ? { allocation: file.allocation.allocation } : {}),
            now: runtime.clock(),
          }),
        });
      },
    }),

    defineRoute(routes.contributionForm, {
      params: caseParams,
      query: lenient,
      handle: async ({ params, query, claims, requestId }) => {
        const { found, unreadCount } = await open(params.caseId, claims, requestId, routes.contributionForm);
        if (!found) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        const writable = writableRoles(found.opened);
        if (writable.length === 0) return problem(claims, unreadCount, readOnly(found.opened.file.record.caseId), 403);
        return contributionPage(found.opened, claims, unreadCount, { values: openedContributionValues(found.workbook, query, writable) });
      },
    }),

    defineRoute(routes.contributePage, {
      params: caseParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const { caseId } = params;
        const values = contributionFormValues(body);
        const checked = checkContributionForm(values);
        if (!checked.ok) {
          // The form again, nothing written; the case is opened (its read audited) to show it.
          const { found, unreadCount } = await open(caseId, claims, requestId, routes.contributePage);
          if (!found) return noSuchCasePage(renderer, claims, unreadCount, caseId);
          if (writableRoles(found.opened).length === 0) return problem(claims, unreadCount, readOnly(caseId), 403);
          return contributionPage(found.opened, claims, unreadCount, { values, errors: checked.errors });
        }
        const { input } = checked;
        // The version read belongs to the entry the form was opened for; another entry chosen since is written over none.
        const readVersion = values.entry === entryKeyOf(input) ? versionOf(values.version) : 0;
        const [outcome, unreadCount] = await Promise.all([
          CASE_ID.test(caseId)
            ? work.contributeTo(caseId, claims, input, readVersion, { requestId, correlationId, what: routeKeyOf(routes.contributePage) })
            : ({ kind: 'not-found' } as const),
          unread.unreadCount(claims),
        ]);
        // A worker who may write some roles but not the one chosen: the form again, the role to choose again.
        if (outcome.kind === 'not-permitted' && writableRoles(outcome.opened).length > 0)
          return contributionPage(outcome.opened, claims, unreadCount, {
            values,
            errors: [{ field: 'role', text: 'Select a role you can write for on this case', href: '#role' }],
            status: 403,
          });
        return pageAnswer(outcome, {
          renderer,
          claims,
          unreadCount,
          caseId,
          notPermitted: readOnly(caseId),
          refusal: (refused) => ({
            field: refused.field,
            text: refused.reason,
            href: refused.field === 'month' ? '#month-month' : `#${refused.field}`,
          }),
          again: (now, state) => {
            if (!('changed' in state)) return contributionPage(now.opened, claims, unreadCount, { values, ...state });
            // The entry as it now stands beside the worker's text, its version in the form.
            const current = currentEntryOf(now.workbook, input);
            return contributionPage(now.opened, claims, unreadCount, {
              values: { ...values, entry: entryKeyOf(input), version: String(current?.version ?? 0) },
              changed: { text: current ? paragraphsOf(current.text) : [], ...(current?.by ? { by: current.by } : {}) },
              status: state.status,
            });
          },
          done: () => `${workbookHref(caseId)}?done=${input.kind === 'chapter' ? 'chapter' : 'summary'}`,
        });
      },
    }),

    defineRoute(routes.programmeForm, {
      params: caseParams,
      query: lenient,
      handle: async ({ params, query, claims, requestId }) => {
        const { found, unreadCount } = await open(params.caseId, claims, requestId, routes.programmeForm);
        if (!found) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        const caseId = found.opened.file.record.caseId;
        if (!mayRecordProgramme(found.opened.access)) return problem(claims, unreadCount, readOnly(caseId), 403);
        const adults = adultsOf(found.opened.file);
        if (adults.length === 0) return problem(claims, unreadCount, NO_ADULTS(caseId), 409);
        return programmePage(found.opened, claims, unreadCount, { values: openedProgrammeValues(found.workbook, query, adults) });
      },
    }),

    defineRoute(routes.programmePage, {
      params: caseParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const { caseId } = params;
        const values = programmeFormValues(body);
        const checked = checkProgrammeForm(values);
        if (!checked.ok) {
          const { found, unreadCount } = await open(caseId, claims, requestId, routes.programmePage);
          if (!found) return noSuchCasePage(renderer, claims, unreadCount, caseId);
          if (!mayRecordProgramme(found.opened.access)) return problem(claims, unreadCount, readOnly(caseId), 403);
          return programmePage(found.opened, claims, unreadCount, { values, errors: checked.errors });
        }
        const { input } = checked;
        const readVersion = values.entry === input.personId ? versionOf(values.version) : 0;
        const [outcome, unreadCount] = await Promise.all([
          CASE_ID.test(caseId)
            ? work.recordProgramme(caseId, claims, input, readVersion, { requestId, correlationId, what: routeKeyOf(routes.programmePage) })
            : ({ kind: 'not-found' } as const),
          unread.unreadCount(claims),
        ]);
        return pageAnswer(outcome, {
          renderer,
          claims,
          unreadCount,
          caseId,
          notPermitted: readOnly(caseId),
          refusal: (refused) => ({
            field: refused.field,
            text: refused.reason,
            href: refused.field === 'on' ? '#on-day' : `#${refused.field}`,
          }),
          again: (now, state) => {
            if (!('changed' in state)) return programmePage(now.opened, claims, unreadCount, { values, ...state });
            // The adult's programme as it now stands: its version in the form.
            const version = now.workbook.programmes.find((each) => each.personId === input.personId)?.version ?? 0;
            return programmePage(now.opened, claims, unreadCount, {
              values: { ...values, entry: input.personId, version: String(version) },
              ...state,
            });
          },
          done: () => `${workbookHref(caseId)}?done=programme#programme`,
        });
      },
    }),
  ];
}
