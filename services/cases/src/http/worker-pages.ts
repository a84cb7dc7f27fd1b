/**
 * The cases pages (routes.ts: admitted by the session cookie, the case-working roles and the front
 * door): the worker's team's cases, newest first, and a case's overview (family-pages.ts adds the
 * family network's and the case summary's pages). The same records and the
 * same access rule as the JSON routes (workers.ts): a case the worker may not see answers exactly
 * as one that does not exist, and every read that shows a case is audited first. Each page reads the
 * worker's Inbox count from this service's unread projection in the same round as its own reads.
 */

import { defineRoute, type Route } from '@fsp/shared/http/handler';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { workerPageResult } from '@fsp/shared/web/page-result';
import { paginationOf, positionOf } from '@fsp/shared/web/paging';
import * as z from 'zod/mini';
import { createCaseStore } from '../store/case-store';
import { allocationPanelView } from '../web/allocation-panel';
import { teamCaseRowView } from '../web/allocation-view';
import { breakGlassUsesView } from '../web/break-glass-view';
import { caseOverviewView } from '../web/case-view';
import { decodeCursor, encodeCursor } from './allocation-api';
import { casesNavigation } from './allocation-pages';
import { mayAllocate } from './allocation-work';
import { noSuchCasePage } from './break-glass-pages';
import { createCaseGate, fileAsSeen, routeKeyOf } from './case-access';
import { CASE_ID, lenientParameter, type Problem, problemPage } from './case-page-common';
import { familyRecordAccess } from './family-record-access';
import { routes } from './routes';

/** GOV.UK lists: 20 a page. */
export const CASES_PAGE_SIZE = 20;

const PAGE_GONE: Problem = {
  heading: 'That page of your team’s cases no longer exists',
  paragraphs: ['The link you followed points to a page of the list that cannot be shown.'],
  link: { href: '/cases', text: 'Go to the newest of your team’s cases' },
};

/** The team's cases and the case overview. */
export function caseCorePageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const store = createCaseStore(runtime.documents, runtime.tableName);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);
  const gate = createCaseGate(runtime);

  return [
    defineRoute(routes.teamCasesPage, {
      query: z.object({ cursor: lenientParameter, back: lenientParameter }),
      handle: async ({ query, claims }) => {
        const decoded = positionOf(query, decodeCursor);
        const [page, unreadCount] = await Promise.all([
          decoded ? store.teamCases(claims.teamId, CASES_PAGE_SIZE, decoded.from) : undefined,
          unread.unreadCount(claims),
        ]);
        if (!decoded || !page) return problemPage(renderer, claims, unreadCount, PAGE_GONE);
        const now = runtime.clock();
        const firstPage = decoded.position.cursor === undefined;
        return workerPageResult(renderer, {
          template: 'cases.njk',
          title: firstPage ? 'Your team’s cases' : 'Your team’s cases (older)',
          area: 'cases',
          claims,
          unreadCount,
          data: {
            casesNavigation: casesNavigation('team'),
            // The list is the worker's own team's, so a team manager manages every case on it.
            cases: page.cases.map((record) => teamCaseRowView(record, now, { mayAllocate: claims.roles.includes('team-manager') })),
            firstPage,
            // The team's essentials flags, for its manager (http/essentials-pages.ts).
            ...(claims.roles.includes('team-manager') ? { essentialsHref: '/cases/essentials' } : {}),
            pagination: paginationOf('/cases', decoded.position, page.next === undefined ? undefined : encodeCursor(page.next), {
              previous: 'Newer cases',
              next: 'Older cases',
            }),
          },
        });
      },
    }),

    defineRoute(routes.casePage, {
      params: z.object({ caseId: z.string() }),
      query: z.object({ done: lenientParameter, referralId: lenientParameter }),
      handle: async ({ params, query, claims, requestId }) => {
        // The front door follows the referral it is handling to its case (ADR 0014 §6).
        const referralId = typeof query.referralId === 'string' && CASE_ID.test(query.referralId) ? query.referralId : undefined;
        const [opened, unreadCount] = await Promise.all([
          CASE_ID.test(params.caseId)
            ? gate.open({
                caseId: params.caseId,
                reader: claims,
                requestId,
                what: routeKeyOf(routes.casePage),
                ...(referralId ? { referralId } : {}),
              })
            : undefined,
          unread.unreadCount(claims),
        ]);
        // Another team's case answers exactly as a missing one: its existence is not the worker's to learn.
        if (!opened) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        const found = fileAsSeen(opened);
        const access = familyRecordAccess(opened.access);
        const now = runtime.clock();
        // Said only when it is so: an address copied with ?done= never claims what did not happen.
        const done =
          query.done === 'summary' && found.summary?.updatedBy.userId === claims.userId
            ? 'summary'
            : query.done === 'allocation' && found.allocation?.updatedBy.userId === claims.userId
              ? 'allocation'
              : undefined;
        const breakGlassUses = breakGlassUsesView(found.breakGlass, found.record.teamId, claims, now);
        return workerPageResult(renderer, {
          template: 'case.njk',
          title: `Case ${found.record.reference}`,
          area: 'cases',
          claims,
          unreadCount,
          data: {
            ...caseOverviewView(found, now, {
              mayChange: access.mayChange,
              access: opened.access,
              // The front door's way back to the referral it followed (it sees the overview alone: ADR 0014 §6).
              ...(referralId ? { referralId } : {}),
            }),
            allocationPanel: allocationPanelView(found, { mayAllocate: mayAllocate(claims, found) }),
            ...(breakGlassUses ? { breakGlassUses } : {}),
            ...(done ? { done } : {}),
          },
        });
      },
    }),
  ];
}
