/**
 * Motivational interviewing's pages (issue 14 Deliver 6; routes.ts: page routes admitted by the
 * session cookie, Origin and CSRF checked on every POST before this code runs):
 *
 * - GET /cases/{caseId}/motivation: each adult's stage of change per concern, latest first;
 * - GET and POST /cases/{caseId}/motivation/new: the form recording one assessment.
 *
 * The work is http/motivation-api.ts's, the code the JSON routes run: the case opened through the
 * gate (its read audited) with the module's own Query, who may record, the domain's decision, one
 * conditional write. A case the worker may not see answers exactly as one that does not exist. A
 * form the schema or the domain refuses is the form again with GOV.UK's error summary and what was
 * typed; stages that changed since the form was opened say so, nothing recorded; a recorded stage
 * redirects (303) to the page, which says what was recorded.
 */
import { defineRoute, type HttpResult, type Route } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { workerPageResult } from '@fsp/shared/web/page-result';
import type { CaseMotivation } from '../domain/motivation';
import type { CaseFile } from '../store/case-store';
import {
  checkMotivationForm,
  emptyMotivationValues,
  type FormError,
  type MotivationFormValues,
  motivationFormHref,
  motivationFormValues,
  motivationFormView,
  motivationHref,
  motivationPageView,
  motivationRefusalError,
} from '../web/motivation-view';
import { noSuchCasePage } from './break-glass-pages';
import { routeKeyOf } from './case-access';
import { CASE_ID, caseParams, first, lenient, type Problem, problemPage, versionOf } from './case-page-common';
import { createMotivationWork, mayRecordMotivation } from './motivation-api';
import { pageAnswer } from './outcome-answers';
import { routes } from './routes';

/** A version as the form's hidden field carries it; anything else can match no version, and answers as a changed one. */

const notPermitted = (caseId: string): Problem => ({
  heading: 'You can read this case but not record stages of change',
  paragraphs: ['Only workers allocated to the case, or in the team that holds it, can record an adult’s stage of change.'],
  link: { href: motivationHref(caseId), text: 'Go to the case’s stages of change' },
});

interface FormState {
  values: MotivationFormValues;
  errors?: FormError[];
  changed?: boolean;
  status?: number;
}

export function motivationPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const work = createMotivationWork(runtime);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);

  async function open(caseId: string, claims: PageClaims, requestId: string, route: { method: string; path: string }) {
    const [seen, unreadCount] = await Promise.all([
      CASE_ID.test(caseId) ? work.visible(caseId, claims, { requestId, what: routeKeyOf(route) }) : undefined,
      unread.unreadCount(claims),
    ]);
    return { seen, unreadCount };
  }

  function formPage(file: CaseFile, motivation: CaseMotivation, claims: PageClaims, unreadCount: number, state: FormState): HttpResult {
    const caseId = file.record.caseId;
    const errors = state.errors ?? [];
    return workerPageResult(renderer, {
      template: 'motivation-form.njk',
      title: `Record a stage of change – case ${file.record.reference}`,
      area: 'cases',
      backLink: motivationHref(caseId),
      hasErrors: errors.length > 0 || state.changed === true,
      claims,
      unreadCount,
      status: state.status ?? 200,
      data: {
        reference: file.record.reference,
        form: motivationFormView(file, state.values, errors),
        version: motivation.version,
        action: motivationFormHref(caseId),
        motivationHref: motivationHref(caseId),
        ...(state.changed ? { changed: true } : {}),
      },
    });
  }

  return [
    defineRoute(routes.motivationPage, {
      params: caseParams,
      query: lenient,
      handle: async ({ params, query, claims, requestId }) => {
        const { seen, unreadCount } = await open(params.caseId, claims, requestId, routes.motivationPage);
        if (!seen) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        const { file, motivation, access } = seen;
        return workerPageResult(renderer, {
          template: 'motivation.njk',
          title: `Stages of change – case ${file.record.reference}`,
          area: 'cases',
          claims,
          unreadCount,
          data: {
            ...motivationPageView(file, motivation, { mayRecord: mayRecordMotivation(access) }),
            ...(first(query.done) === 'recorded' ? { done: 'The stage of change was recorded.' } : {}),
          },
        });
      },
    }),

    defineRoute(routes.motivationForm, {
      params: caseParams,
      query: lenient,
      handle: async ({ params, query, claims, requestId }) => {
        const { seen, unreadCount } = await open(params.caseId, claims, requestId, routes.motivationForm);
        if (!seen) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        if (!mayRecordMotivation(seen.access))
          return problemPage(renderer, claims, unreadCount, notPermitted(seen.file.record.caseId), 403);
        return formPage(seen.file, seen.motivation, claims, unreadCount, { values: emptyMotivationValues(query) });
      },
    }),

    defineRoute(routes.recordMotivationPage, {
      params: caseParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId }) => {
        const { caseId } = params;
        if (!CASE_ID.test(caseId)) return noSuchCasePage(renderer, claims, await unread.unreadCount(claims), caseId);
        const values = motivationFormValues(body);
        const checked = checkMotivationForm(values);
        if (!checked.ok) {
          // The form again, nothing recorded; the case is opened (and its read audited) to show it.
          const { seen, unreadCount } = await open(caseId, claims, requestId, routes.recordMotivationPage);
          if (!seen) return noSuchCasePage(renderer, claims, unreadCount, caseId);
          if (!mayRecordMotivation(seen.access)) return problemPage(renderer, claims, unreadCount, notPermitted(caseId), 403);
          return formPage(seen.file, seen.motivation, claims, unreadCount, { values, errors: checked.errors, status: 400 });
        }
        const [outcome, unreadCount] = await Promise.all([
          work.record(caseId, claims, checked.input, versionOf(first(body.version)), {
            requestId,
            what: routeKeyOf(routes.recordMotivationPage),
          }),
          unread.unreadCount(claims),
        ]);
        return pageAnswer(outcome, {
          renderer,
          claims,
          unreadCount,
          caseId,
          notPermitted: notPermitted(caseId),
          refusal: (refused) => motivationRefusalError(refused.field, refused.reason),
          again: (now, state) => formPage(now.file, now.motivation, claims, unreadCount, { values, ...state }),
          stateField: 'case',
          done: () => `${motivationHref(caseId)}?done=recorded`,
        });
      },
    }),
  ];
}
