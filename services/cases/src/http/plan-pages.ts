/**
 * The plan's pages (issue 14 Deliver 4; routes.ts: page routes admitted by the session cookie,
 * Origin and CSRF checked on every POST before this code runs):
 *
 * - GET /cases/{caseId}/plan: the goals in the family's words, who does what by when, the latest
 *   progress, the next review and the reviews;
 * - GET and POST /cases/{caseId}/plan/edit: agreeing the plan (web/plan-form.ts);
 * - GET and POST /cases/{caseId}/plan/review: reviewing it.
 *
 * The work is http/plan-work.ts's, the very code the JSON routes run: the case opened through the
 * gate (its read audited), who may write the plan, the domain's decision, one transaction. A case
 * the worker may not see answers exactly as one that does not exist. A form the schema refuses, or
 * a plan the domain refuses, is the form again with GOV.UK's error summary and what was typed; a
 * plan that changed since the form was opened says so, nothing written; a written plan redirects
 * (303) to the plan's page, which says what was done.
 */
import { defineRoute, type HttpResult, type Route } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { londonDateOf } from '@fsp/shared/time/london';
import type { PageRenderer } from '@fsp/shared/web/page';
import { workerPageResult } from '@fsp/shared/web/page-result';
import type { CaseAccess } from '../domain/access';
import type { CaseFile } from '../store/case-store';
import {
  checkPlanForm,
  checkReviewForm,
  type FormError,
  type PlanFormValues,
  planFormValuesOf,
  planFormView,
  planRefusalError,
  postedPlanValues,
  postedReviewValues,
  type ReviewFormValues,
  reviewFormValuesOf,
  reviewFormView,
  type SentRows,
} from '../web/plan-form';
import { planDoneText, planEditHref, planHeaderView, planHref, planPageView, planReviewHref } from '../web/plan-view';
import { noSuchCasePage } from './break-glass-pages';
import { routeKeyOf } from './case-access';
import { CASE_ID, caseParams, first, lenient, type Problem, problemPage, versionOf } from './case-page-common';
import { pageAnswer } from './outcome-answers';
import { createPlanWork, mayWritePlan, type PlanOutcome } from './plan-work';
import { routes } from './routes';

/** Anything is accepted in the address and the form and judged by the route, so that a stale link or a tampered form gets a page. */

/** A version as the form's hidden field carries it; anything else can match no plan, and answers as a changed one. */

const notPermitted = (caseId: string): Problem => ({
  heading: 'You can read this case but not change its plan',
  paragraphs: ['Only workers allocated to the case, or in the team that holds it, can agree or review the plan with the family.'],
  link: { href: planHref(caseId), text: 'Go to the case’s plan' },
});

const noPlanYet = (caseId: string): Problem => ({
  heading: 'There is no plan to review yet',
  paragraphs: ['Agree a plan with the family first: its goals in their words, and who does what by when.'],
  link: { href: planEditHref(caseId), text: 'Agree the plan' },
});

type FormKind = 'edit' | 'review';

interface FormState {
  errors?: FormError[];
  /** The plan changed since the form was opened: said at the top, what was typed kept. */
  changed?: boolean;
  status?: number;
}

export function planPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const work = createPlanWork(runtime);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);

  /** The case (its one Query, the read audited) and the Inbox count, in one round; undefined for a case the worker may not see. */
  async function open(caseId: string, claims: PageClaims, requestId: string, route: { method: string; path: string }) {
    const [visible, unreadCount] = await Promise.all([
      CASE_ID.test(caseId) ? work.visiblePlan(caseId, claims, { requestId, what: routeKeyOf(route) }) : undefined,
      unread.unreadCount(claims),
    ]);
    return { visible, unreadCount };
  }

  const problem = (claims: PageClaims, unreadCount: number, shown: Problem, status: number): HttpResult =>
    problemPage(renderer, claims, unreadCount, shown, status);

  function editPage(file: CaseFile, claims: PageClaims, unreadCount: number, values: PlanFormValues, state: FormState = {}) {
    const caseId = file.record.caseId;
    const errors = state.errors ?? [];
    const heading = file.plan ? 'Change the plan' : 'Agree the plan with the family';
    return workerPageResult(renderer, {
      template: 'plan-edit.njk',
      title: `${heading} – case ${file.record.reference}`,
      area: 'cases',
      backLink: planHref(caseId),
      hasErrors: errors.length > 0 || state.changed === true,
      claims,
      unreadCount,
      status: state.status ?? 200,
      data: {
        caseHeader: planHeaderView(file.record),
        reference: file.record.reference,
        heading,
        form: planFormView(values, errors),
        version: file.plan?.version ?? 0,
        action: planEditHref(caseId),
        planHref: planHref(caseId),
        ...(state.changed ? { changed: true } : {}),
      },
    });
  }

  function reviewPage(file: CaseFile, claims: PageClaims, unreadCount: number, values: ReviewFormValues, state: FormState = {}) {
    const caseId = file.record.caseId;
    const plan = file.plan;
    if (!plan) return problem(claims, unreadCount, noPlanYet(caseId), 409);
    const errors = state.errors ?? [];
    return workerPageResult(renderer, {
      template: 'plan-review.njk',
      title: `Review the plan – case ${file.record.reference}`,
      area: 'cases',
      backLink: planHref(caseId),
      hasErrors: errors.length > 0 || state.changed === true,
      claims,
      unreadCount,
      status: state.status ?? 200,
      data: {
        caseHeader: planHeaderView(file.record),
        reference: file.record.reference,
        form: reviewFormView(values, plan, errors),
        version: plan.version,
        action: planReviewHref(caseId),
        planHref: planHref(caseId),
        ...(state.changed ? { changed: true } : {}),
      },
    });
  }

  /** The review form's rows for the plan as it is now, keeping what was chosen for goals still in it. */
  const reviewValuesFor = (plan: CaseFile['plan'], values: ReviewFormValues): ReviewFormValues =>
    plan
      ? {
          ...values,
          progress: plan.goals.map(
            (goal) => values.progress.find((row) => row.goalId === goal.goalId) ?? { goalId: goal.goalId, rating: '', note: '' },
          ),
        }
      : values;

  /** A form's case, checked; else (`refused`) the page saying why not. */
  async function openForm(caseId: string, claims: PageClaims, requestId: string, route: { method: string; path: string }) {
    const { visible, unreadCount } = await open(caseId, claims, requestId, route);
    if (!visible) return { refused: noSuchCasePage(renderer, claims, unreadCount, caseId) };
    if (!mayWritePlan(visible.access)) return { refused: problem(claims, unreadCount, notPermitted(visible.file.record.caseId), 403) };
    return { file: visible.file, access: visible.access, unreadCount };
  }

  /** What an outcome of plan-work shows: the form again (refused, changed), a problem, or the plan's page saying it is done. */
  function answer(
    kind: FormKind,
    outcome: PlanOutcome,
    caseId: string,
    claims: PageClaims,
    unreadCount: number,
    again: (file: CaseFile, state: FormState) => HttpResult,
    rows?: SentRows,
  ): HttpResult {
    if (kind === 'review' && outcome.kind === 'refused' && outcome.field === 'plan' && !outcome.file.plan)
      return problem(claims, unreadCount, noPlanYet(caseId), 409);
    return pageAnswer(outcome, {
      renderer,
      claims,
      unreadCount,
      caseId,
      notPermitted: notPermitted(caseId),
      refusal: (refused) => planRefusalError(refused.field, refused.reason, rows),
      again: (now, state) => again(now.file, state),
      stateField: 'plan',
      done: () => `${planHref(caseId)}?done=${kind === 'edit' ? 'agreed' : 'reviewed'}`,
    });
  }

  return [
    defineRoute(routes.planPage, {
      params: caseParams,
      query: lenient,
      handle: async ({ params, query, claims, requestId }) => {
        const { visible, unreadCount } = await open(params.caseId, claims, requestId, routes.planPage);
        if (!visible) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        const { file, access } = visible;
        const done = planDoneText(first(query.done), file.plan, claims.userId);
        return workerPageResult(renderer, {
          template: 'plan.njk',
          title: `Plan – case ${file.record.reference}`,
          area: 'cases',
          claims,
          unreadCount,
          data: { ...planPageView(file, access as CaseAccess, runtime.clock()), ...(done ? { done } : {}) },
        });
      },
    }),

    defineRoute(routes.planForm, {
      params: caseParams,
      handle: async ({ params, claims, requestId }) => {
        const opened = await openForm(params.caseId, claims, requestId, routes.planForm);
        if (opened.refused) return opened.refused;
        const values = planFormValuesOf(opened.file.plan, londonDateOf(runtime.clock()));
        return editPage(opened.file, claims, opened.unreadCount, values);
      },
    }),

    defineRoute(routes.writePlan, {
      params: caseParams,
      body: lenient,
      acceptForm: true,
      handle: async (request) => {
        const { params, body, claims, requestId } = request;
        const { caseId } = params;
        if (!CASE_ID.test(caseId)) return noSuchCasePage(renderer, claims, await unread.unreadCount(claims), caseId);
        const values = postedPlanValues(body);
        const checked = checkPlanForm(values);
        if (!checked.ok) {
          // The form again with what the schema refused, nothing written: the case is opened (and its read audited) to show it.
          const opened = await openForm(caseId, claims, requestId, routes.writePlan);
          if (opened.refused) return opened.refused;
          return editPage(opened.file, claims, opened.unreadCount, values, { errors: checked.errors, status: 400 });
        }
        const now = runtime.clock();
        const [outcome, unreadCount] = await Promise.all([
          work.agree(
            caseId,
            claims,
            versionOf(first(body.version)),
            checked.input,
            { clock: () => now, correlationId: request.correlationId, causationId: requestId },
            { requestId, what: routeKeyOf(routes.writePlan) },
          ),
          unread.unreadCount(claims),
        ]);
        return answer(
          'edit',
          outcome,
          caseId,
          claims,
          unreadCount,
          (file, state) => editPage(file, claims, unreadCount, values, state),
          checked.rows,
        );
      },
    }),

    defineRoute(routes.planReviewForm, {
      params: caseParams,
      handle: async ({ params, claims, requestId }) => {
        const opened = await openForm(params.caseId, claims, requestId, routes.planReviewForm);
        if (opened.refused) return opened.refused;
        const { file, unreadCount } = opened;
        if (!file.plan) return problem(claims, unreadCount, noPlanYet(file.record.caseId), 409);
        return reviewPage(file, claims, unreadCount, reviewFormValuesOf(file.plan, londonDateOf(runtime.clock())));
      },
    }),

    defineRoute(routes.reviewPlan, {
      params: caseParams,
      body: lenient,
      acceptForm: true,
      handle: async (request) => {
        const { params, body, claims, requestId } = request;
        const { caseId } = params;
        if (!CASE_ID.test(caseId)) return noSuchCasePage(renderer, claims, await unread.unreadCount(claims), caseId);
        const values = postedReviewValues(body);
        const checked = checkReviewForm(values);
        if (!checked.ok) {
          const opened = await openForm(caseId, claims, requestId, routes.reviewPlan);
          if (opened.refused) return opened.refused;
          return reviewPage(opened.file, claims, opened.unreadCount, reviewValuesFor(opened.file.plan, values), {
            errors: checked.errors,
            status: 400,
          });
        }
        const now = runtime.clock();
        const [outcome, unreadCount] = await Promise.all([
          work.review(
            caseId,
            claims,
            versionOf(first(body.version)),
            checked.input,
            { clock: () => now, correlationId: request.correlationId, causationId: requestId },
            { requestId, what: routeKeyOf(routes.reviewPlan) },
          ),
          unread.unreadCount(claims),
        ]);
        return answer('review', outcome, caseId, claims, unreadCount, (file, state) =>
          reviewPage(file, claims, unreadCount, reviewValuesFor(file.plan, values), state),
        );
      },
    }),
  ];
}
