/**
 * The cases pages (routes.ts: admitted by the session cookie, the case-working roles and the front
 * door): the worker's team's cases, newest first, and a case's summary. The same records and the
 * same access rule as the JSON routes (workers.ts): a case the worker may not see answers exactly
 * as one that does not exist, and every read that shows a case is audited first.
 */

import { defineRoute, type Route } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import * as z from 'zod/mini';
import { caseReadReason } from '../domain/case';
import { createCaseStore } from '../store/case-store';
import { caseRowView, caseSummaryView } from '../web/case-view';
import { pageResult } from '../web/pages';
import { paginationOf, positionOf } from '../web/paging';
import { routes } from './routes';

/** GOV.UK lists: 20 a page. */
export const CASES_PAGE_SIZE = 20;

/** A case id as ids are made; anything else cannot be a case, and is answered like a missing one without a read. */
const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** Positions are the store's own, carried base64url so an address stays plain. */
const encodePosition = (next: string): string => Buffer.from(next, 'utf8').toString('base64url');
const decodePosition = (text: string): string | undefined =>
  /^[A-Za-z0-9_-]+$/.test(text) ? Buffer.from(text, 'base64url').toString('utf8') : undefined;

/** Anything is accepted in the address and judged by the route, so that a stale link gets a page, never a JSON problem. */
const positionParameter = z.optional(z.union([z.string(), z.array(z.string())]));

function problem(renderer: PageRenderer, claims: PageClaims, heading: string, paragraphs: string[], link: { href: string; text: string }) {
  return pageResult(renderer, { template: 'problem.njk', title: heading, claims, status: 404, data: { heading, paragraphs, link } });
}

export function casePageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const store = createCaseStore(runtime.documents, runtime.tableName);

  return [
    defineRoute(routes.teamCasesPage, {
      query: z.object({ cursor: positionParameter, back: positionParameter }),
      handle: async ({ query, claims }) => {
        const gone = () =>
          problem(
            renderer,
            claims,
            'That page of your team’s cases no longer exists',
            ['The link you followed points to a page of the list that cannot be shown.'],
            {
              href: '/cases',
              text: 'Go to the newest of your team’s cases',
            },
          );
        const decoded = positionOf(query, decodePosition);
        if (!decoded) return gone();
        const page = await store.teamCases(claims.teamId, CASES_PAGE_SIZE, decoded.from);
        if (!page) return gone();
        const now = runtime.clock();
        const firstPage = decoded.position.cursor === undefined;
        return pageResult(renderer, {
          template: 'cases.njk',
          title: firstPage ? 'Your team’s cases' : 'Your team’s cases (older)',
          claims,
          data: {
            cases: page.cases.map((record) => caseRowView(record, now)),
            firstPage,
            pagination: paginationOf('/cases', decoded.position, page.next === undefined ? undefined : encodePosition(page.next), {
              previous: 'Newer cases',
              next: 'Older cases',
            }),
          },
        });
      },
    }),

    defineRoute(routes.casePage, {
      params: z.object({ caseId: z.string() }),
      handle: async ({ params, claims, requestId }) => {
        const found = CASE_ID.test(params.caseId) ? await store.readCase(params.caseId) : undefined;
        const reason = found ? caseReadReason(claims, found.record.teamId) : undefined;
        // Another team's case answers exactly as a missing one: its existence is not the worker's to learn.
        if (!found || !reason) {
          return problem(
            renderer,
            claims,
            'There is no such case that you can see',
            ['It may belong to another team, or the link you followed may be wrong.'],
            { href: '/cases', text: 'Go to your team’s cases' },
          );
        }
        const now = runtime.clock();
        await store.recordRead({
          caseId: found.record.caseId,
          userId: claims.userId,
          username: claims.username,
          reason,
          requestId,
          at: now,
        });
        return pageResult(renderer, {
          template: 'case.njk',
          title: `Case ${found.record.reference}`,
          claims,
          data: { case: caseSummaryView(found.record, found.chronology, now) },
        });
      },
    }),
  ];
}
