/**
 * The allocation pages (issue 12 Deliver 2 and 7): the worker's caseload, and the team manager's
 * allocation form with its answer. The same rules as the JSON routes (allocation-api.ts, through
 * allocation-work.ts): a case the worker may not see answers exactly as one that does not exist;
 * the form is the holding team's manager's; showing it is a read of the case, audited first. A
 * saved allocation redirects (303) to the case's overview; a refused one shows the form again with
 * GOV.UK's error summary and what was chosen; one that lost to someone else's change shows the
 * allocation as it is now and says so, nothing overwritten.
 *
 * Reads per page, each first round with the worker's Inbox count (ADR 0013): the caseload, one
 * Query of gsi1; the form, one Query of the case's partition, then the audit item and the team
 * from the directory (cached for five minutes per environment) at once.
 */
import type { Directory } from '@fsp/shared/directory';
import { defineRoute, type Route } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { seeOther, workerPageResult } from '@fsp/shared/web/page-result';
import { paginationOf, positionOf } from '@fsp/shared/web/paging';
import * as z from 'zod/mini';
import { type AllocationIssue, allocationRequestSchema } from '../domain/allocation';
import { createAllocationStore } from '../store/allocation-store';
import type { CaseFile } from '../store/case-store';
import {
  type AllocationFormState,
  allocationFormView,
  caseloadRowView,
  formValuesOf,
  postedValues,
  requestOf,
} from '../web/allocation-view';
import { headAttentionView } from '../web/essentials-view';
import { decodeCursor, encodeCursor, LIST_PAGE_SIZE } from './allocation-api';
import { type AllocationWork, createAllocationWork } from './allocation-work';
import { noSuchCasePage } from './break-glass-pages';
import { routeKeyOf } from './case-access';
import { CASE_ID, lenient, lenientParameter, type Problem, problemPage } from './case-page-common';
import { caseHeadsOf } from './essentials-pages';
import { routes } from './routes';

/** The Cases area's two lists, for their sub-navigation. */
export const casesNavigation = (current: 'caseload' | 'team') => [
  { text: 'Your caseload', href: '/cases/caseload', active: current === 'caseload' },
  { text: 'Your team’s cases', href: '/cases', active: current === 'team' },
];

const CASELOAD_GONE: Problem = {
  heading: 'That page of your caseload no longer exists',
  paragraphs: ['The link you followed points to a page of the list that cannot be shown.'],
  link: { href: '/cases/caseload', text: 'Go to the start of your caseload' },
};

const NOT_THE_TEAM_MANAGER: Problem = {
  heading: 'Only the team manager of the team that holds this case can allocate it',
  paragraphs: ['You can see the case, but it is held by another team.'],
  link: { href: '/cases', text: 'Go to your team’s cases' },
};

/** The domain schema's issues, in the form's words: a field the schema names, with its message. */
function schemaIssuesOf(values: ReturnType<typeof postedValues>): AllocationIssue[] | undefined {
  const parsed = allocationRequestSchema.safeParse(requestOf(values));
  if (parsed.success) return undefined;
  return parsed.error.issues.map((issue) => {
    const [first, second] = issue.path;
    const field = (
      first === 'specialists' && typeof second === 'string' ? `specialists.${second}` : String(first)
    ) as AllocationIssue['field'];
    return { field, message: issue.message };
  });
}

export function allocationPageRoutes(
  runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>,
  renderer: PageRenderer,
  directory: Directory,
): Route[] {
  const allocations = createAllocationStore(runtime.documents, runtime.tableName);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);
  const work: AllocationWork = createAllocationWork(runtime, directory);

  /** The form for `file` (its read audited when the case was opened: http/case-access.ts), with the team read from the directory. */
  async function formPage(status: number, file: CaseFile, claims: PageClaims, unreadCount: number, state?: AllocationFormState) {
    const team = await work.teamChoices(file.record.teamId);
    const current = { ...(file.allocation ? { allocation: file.allocation.allocation } : {}), version: file.allocation?.version ?? 0 };
    const view = allocationFormView(file.record, current, team, state ?? { values: formValuesOf(file.allocation?.allocation) });
    return workerPageResult(renderer, {
      template: 'allocation.njk',
      title: `${view.firstAllocation ? 'Allocate workers' : 'Change the allocation'}: case ${file.record.reference}`,
      area: 'cases',
      backLink: view.caseHref,
      hasErrors: view.errors.length > 0 || view.changed,
      claims,
      unreadCount,
      status,
      data: { allocation: view },
    });
  }

  return [
    defineRoute(routes.caseloadPage, {
      query: z.object({ cursor: lenientParameter, back: lenientParameter }),
      handle: async ({ query, claims }) => {
        const decoded = positionOf(query, decodeCursor);
        const [page, unreadCount] = await Promise.all([
          decoded ? allocations.caseload(claims.userId, LIST_PAGE_SIZE, decoded.from) : undefined,
          unread.unreadCount(claims),
        ]);
        if (!decoded || !page) return problemPage(renderer, claims, unreadCount, CASELOAD_GONE);
        // The essentials flags need the heads' copies, which caseload items do not carry: one BatchGetItem of this page's heads.
        const heads = await caseHeadsOf(
          runtime.documents,
          runtime.tableName,
          page.entries.map((entry) => entry.caseId),
        );
        const now = runtime.clock();
        const firstPage = decoded.position.cursor === undefined;
        return workerPageResult(renderer, {
          template: 'caseload.njk',
          title: firstPage ? 'Your caseload' : 'Your caseload (later deadlines)',
          area: 'cases',
          claims,
          unreadCount,
          data: {
            casesNavigation: casesNavigation('caseload'),
            cases: page.entries.map((entry) => {
              const head = heads.get(entry.caseId);
              return { ...caseloadRowView(entry, now), attention: head ? headAttentionView(head, now) : [] };
            }),
            firstPage,
            pagination: paginationOf('/cases/caseload', decoded.position, page.next === undefined ? undefined : encodeCursor(page.next), {
              previous: 'Sooner deadlines',
              next: 'Later deadlines',
            }),
          },
        });
      },
    }),

    defineRoute(routes.allocationForm, {
      params: z.object({ caseId: z.string() }),
      handle: async ({ params, claims, requestId }) => {
        const [visible, unreadCount] = await Promise.all([
          CASE_ID.test(params.caseId)
            ? work.visibleCase(params.caseId, claims, { requestId, what: routeKeyOf(routes.allocationForm) })
            : undefined,
          unread.unreadCount(claims),
        ]);
        if (!visible) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        if (!(claims.roles.includes('team-manager') && claims.teamId === visible.file.record.teamId)) {
          return problemPage(renderer, claims, unreadCount, NOT_THE_TEAM_MANAGER, 403);
        }
        return formPage(200, visible.file, claims, unreadCount);
      },
    }),

    defineRoute(routes.allocate, {
      params: z.object({ caseId: z.string() }),
      body: lenient,
      acceptForm: true,
      handle: async (request) => {
        const { params, claims, requestId } = request;
        const values = postedValues(request.body);
        const unreadCount = await unread.unreadCount(claims);
        if (!CASE_ID.test(params.caseId)) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        const audit = { requestId, what: routeKeyOf(routes.allocate) };
        const issues = schemaIssuesOf(values);
        if (issues) {
          const visible = await work.visibleCase(params.caseId, claims, audit);
          if (!visible) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
          return formPage(400, visible.file, claims, unreadCount, { values, errors: issues });
        }
        const now = runtime.clock();
        const outcome = await work.allocate(
          params.caseId,
          claims,
          { ...requestOf(values), readVersion: values.version },
          { clock: () => now, correlationId: request.correlationId, causationId: requestId },
          audit,
        );
        switch (outcome.kind) {
          case 'not-found':
            return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
          case 'not-team-manager':
            return problemPage(renderer, claims, unreadCount, NOT_THE_TEAM_MANAGER, 403);
          case 'allocated':
          case 'unchanged':
            return seeOther(`/cases/${params.caseId}?done=allocation#allocation`);
          case 'invalid':
            return formPage(400, outcome.file, claims, unreadCount, { values, errors: outcome.issues });
          case 'changed':
            // The allocation as it is now, and nothing the team manager chose over it: they decide again from what is there.
            return formPage(409, outcome.file, claims, unreadCount, {
              values: formValuesOf(outcome.file.allocation?.allocation),
              changed: true,
            });
        }
      },
    }),
  ];
}
