/**
 * Break-glass pages (issue 12 Deliver 6, ADR 0014 §6) and the one "no such case" page every case
 * page answers with for a case the worker may not see or that does not exist.
 *
 * - GET /cases/{caseId}/break-glass: the form (GOV.UK warning text; the reason), the same for any
 *   well-formed case id: it reads nothing of the case, so it says nothing of whether it exists.
 * - POST /cases/{caseId}/break-glass (CSRF): the reason checked (the form again with GOV.UK's error
 *   summary), then the grant and its audit item in one transaction, and 303 to the case; a case
 *   that does not exist answers the same 404 page as any other case the worker may not see.
 */
import { defineRoute, type HttpResult, type RawQuery, type Route, redirect } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { workerPageResult } from '@fsp/shared/web/page-result';
import * as z from 'zod/mini';
import { BREAK_GLASS_HOURS, BREAK_GLASS_REASON_MAX, breakGlassRequestSchema, mayBreakGlass } from '../domain/access';
import { createBreakGlassWork } from './break-glass';
import { routeKeyOf } from './case-access';
import { CASE_ID, formErrorsData, lenient, NO_SUCH_CASE, problemPage } from './case-page-common';
import { routes } from './routes';

export const breakGlassHref = (caseId: string): string => `/cases/${caseId}/break-glass`;

/**
 * The answer for a case the worker may not see, and for one that does not exist: the same page (404).
 * A case-working worker is offered break-glass for any well-formed id, which says nothing either.
 */
export const noSuchCasePage = (renderer: PageRenderer, claims: PageClaims, unreadCount: number, caseId: string): HttpResult =>
  problemPage(
    renderer,
    claims,
    unreadCount,
    NO_SUCH_CASE,
    404,
    'no-such-case.njk',
    mayBreakGlass(claims) && CASE_ID.test(caseId) ? { breakGlassHref: breakGlassHref(caseId) } : {},
  );

const oneValue = (form: RawQuery, name: string): string => {
  const value = form[name];
  return typeof value === 'string' ? value : '';
};

interface FormState {
  values: { reason: string };
  errors?: { field: 'reason'; text: string }[];
}

export function breakGlassPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);
  const work = createBreakGlassWork(runtime);

  function formPage(caseId: string, claims: PageClaims, unreadCount: number, status: number, state: FormState): HttpResult {
    const errors = state.errors ?? [];
    return workerPageResult(renderer, {
      template: 'break-glass.njk',
      title: 'Ask to see a case you are not working on',
      area: 'cases',
      claims,
      unreadCount,
      status,
      hasErrors: errors.length > 0,
      data: {
        action: breakGlassHref(caseId),
        values: state.values,
        ...formErrorsData(errors.map((error) => ({ ...error, href: `#${error.field}` }))),
        maxLength: BREAK_GLASS_REASON_MAX,
        hours: String(BREAK_GLASS_HOURS),
        csrfToken: claims.csrfToken,
        cancelHref: '/cases',
      },
    });
  }

  return [
    defineRoute(routes.breakGlassForm, {
      params: z.object({ caseId: z.string() }),
      handle: async ({ params, claims }) => {
        const unreadCount = await unread.unreadCount(claims);
        if (!CASE_ID.test(params.caseId)) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        return formPage(params.caseId, claims, unreadCount, 200, { values: { reason: '' } });
      },
    }),

    defineRoute(routes.breakGlass, {
      params: z.object({ caseId: z.string() }),
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId }) => {
        const { caseId } = params;
        if (!CASE_ID.test(caseId)) return noSuchCasePage(renderer, claims, await unread.unreadCount(claims), caseId);
        const values = { reason: oneValue(body, 'reason') };
        const parsed = z.safeParse(breakGlassRequestSchema, values);
        if (!parsed.success) {
          const text = parsed.error.issues[0]?.message ?? 'Enter why you need to see this case';
          return formPage(caseId, claims, await unread.unreadCount(claims), 400, { values, errors: [{ field: 'reason', text }] });
        }
        const [outcome, unreadCount] = await Promise.all([
          work.breakGlass({ caseId, reader: claims, reason: parsed.data.reason, requestId, what: routeKeyOf(routes.breakGlass) }),
          unread.unreadCount(claims),
        ]);
        if (outcome.kind === 'not-found') return noSuchCasePage(renderer, claims, unreadCount, caseId);
        return redirect(`/cases/${caseId}`);
      },
    }),
  ];
}
