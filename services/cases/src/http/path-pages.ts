/**
 * The statutory path's pages (issue 14 Deliver 11; routes.ts: page routes admitted by the session
 * cookie, Origin and CSRF checked on every POST before this code runs):
 *
 * - GET /cases/{caseId}/path: the case's status, the timescales its path waits on, what has been
 *   recorded, and the steps this worker can record now;
 * - GET and POST /cases/{caseId}/path/{step}: each step's form (web/path-form.ts).
 *
 * The work is http/path-work.ts's, the very code the JSON routes run: the case opened through the
 * gate (its read audited), who may record the step, the domain's decision, one transaction. A case
 * the worker may not see answers exactly as one that does not exist. A form the schema refuses, or a
 * step the domain refuses, is the form again with GOV.UK's error summary and what was typed; a path
 * that moved on since the form was opened says so, nothing recorded; a recorded step redirects (303)
 * to the path page, which says what was recorded.
 */
import { defineRoute, type HttpResult, type Route } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { workerPageResult } from '@fsp/shared/web/page-result';
import * as z from 'zod/mini';
import type { CasePath } from '../domain/path';
import type { CaseFile } from '../store/case-store';
import {
  checkPathForm,
  emptyPathFormValues,
  type FormError,
  type PathFormValues,
  pathFormValues,
  pathFormView,
  refusalError,
  withAnotherPerson,
} from '../web/path-form';
import { doneText, pathHref, pathPageView, STEP_WORDS, stepHref, whyNotNow } from '../web/path-view';
import { noSuchCasePage } from './break-glass-pages';
import { routeKeyOf } from './case-access';
import { CASE_ID, caseParams, first, lenient, type Problem, problemPage, versionOf } from './case-page-common';
import { pageAnswer } from './outcome-answers';
import { createPathWork, MANAGER_STEPS, mayRecord, PATH_STEP_NAMES, type PathStepName, pathOf } from './path-work';
import { routes } from './routes';

/** Anything is accepted in the address and the form and judged by the route, so that a stale link or a tampered form gets a page. */
const stepParams = z.object({ caseId: z.string(), step: z.string() });

const isStep = (step: string): step is PathStepName => (PATH_STEP_NAMES as readonly string[]).includes(step);

const NO_SUCH_STEP = (caseId: string): Problem => ({
  heading: 'There is no such step of the statutory path',
  paragraphs: ['The link you followed may be wrong.'],
  link: { href: pathHref(caseId), text: 'Go to the case’s statutory path' },
});

/** Said to a worker who may read the case but not record this step: the team manager's steps, or a reader without a working relationship. */
const notPermitted = (caseId: string, step: PathStepName): Problem =>
  MANAGER_STEPS.has(step)
    ? {
        heading: `Only the team manager of the team that holds this case can ${STEP_WORDS[step].heading.charAt(0).toLowerCase()}${STEP_WORDS[step].heading.slice(1)}`,
        paragraphs: ['Ask your team manager to record it. You can see what has been recorded on the case’s statutory path.'],
        link: { href: pathHref(caseId), text: 'Go to the case’s statutory path' },
      }
    : {
        heading: 'You can read this case but not record its path',
        paragraphs: ['Only workers allocated to the case, or in the team that holds it, can record the steps of its statutory path.'],
        link: { href: pathHref(caseId), text: 'Go to the case’s statutory path' },
      };

const notNow = (caseId: string, reason: string): Problem => ({
  heading: 'This step cannot be recorded now',
  paragraphs: [`${reason}.`],
  link: { href: pathHref(caseId), text: 'Go to the case’s statutory path' },
});

/** A version as the form's hidden field carries it; anything else can match no path, and answers as a changed one. */

interface FormState {
  values: PathFormValues;
  errors?: FormError[];
  /** The path moved on since the form was opened: said at the top, what was typed kept. */
  changed?: boolean;
  status?: number;
}

export function pathPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const work = createPathWork(runtime);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);

  /** The case's path (its one Query, the read audited) and the Inbox count, in one round; undefined for a case the worker may not see. */
  async function open(caseId: string, claims: PageClaims, requestId: string, route: { method: string; path: string }) {
    const [visible, unreadCount] = await Promise.all([
      CASE_ID.test(caseId) ? work.visiblePath(caseId, claims, { requestId, what: routeKeyOf(route) }) : undefined,
      unread.unreadCount(claims),
    ]);
    return { visible, unreadCount };
  }

  const problem = (claims: PageClaims, unreadCount: number, shown: Problem, status: number): HttpResult =>
    problemPage(renderer, claims, unreadCount, shown, status);

  function formPage(
    step: PathStepName,
    file: CaseFile,
    path: CasePath,
    claims: PageClaims,
    unreadCount: number,
    state: FormState,
  ): HttpResult {
    const caseId = file.record.caseId;
    const errors = state.errors ?? [];
    const view = pathFormView(state.values, errors);
    const words = STEP_WORDS[step];
    return workerPageResult(renderer, {
      template: 'path-step.njk',
      title: `${words.heading} – case ${file.record.reference}`,
      area: 'cases',
      backLink: pathHref(caseId),
      hasErrors: errors.length > 0 || state.changed === true,
      claims,
      unreadCount,
      status: state.status ?? 200,
      data: {
        step,
        reference: file.record.reference,
        heading: words.heading,
        button: words.button,
        form: view,
        version: path.version,
        action: stepHref(caseId, step),
        pathHref: pathHref(caseId),
        ...(state.changed ? { changed: true } : {}),
      },
    });
  }

  /** The case and step of a form's address, checked; else (`refused`) the page saying why not. */
  async function openStep(
    params: z.infer<typeof stepParams>,
    claims: PageClaims,
    requestId: string,
    route: { method: string; path: string },
  ) {
    const { visible, unreadCount } = await open(params.caseId, claims, requestId, route);
    if (!visible) return { refused: noSuchCasePage(renderer, claims, unreadCount, params.caseId) };
    const caseId = visible.file.record.caseId;
    if (!isStep(params.step)) return { refused: problem(claims, unreadCount, NO_SUCH_STEP(caseId), 404) };
    const step = params.step;
    if (!mayRecord(step, claims, visible.file, visible.access))
      return { refused: problem(claims, unreadCount, notPermitted(caseId, step), 403) };
    return { ...visible, step, unreadCount };
  }

  return [
    defineRoute(routes.pathPage, {
      params: caseParams,
      query: lenient,
      handle: async ({ params, query, claims, requestId }) => {
        const { visible, unreadCount } = await open(params.caseId, claims, requestId, routes.pathPage);
        if (!visible) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        const { file, path, access } = visible;
        const done = doneText(first(query.done), path, claims.userId);
        return workerPageResult(renderer, {
          template: 'path.njk',
          title: `Statutory path – case ${file.record.reference}`,
          area: 'cases',
          claims,
          unreadCount,
          data: { ...pathPageView(file, path, claims, access, runtime.clock()), ...(done ? { done } : {}) },
        });
      },
    }),

    defineRoute(routes.pathStepForm, {
      params: stepParams,
      handle: async ({ params, claims, requestId }) => {
        const opened = await openStep(params, claims, requestId, routes.pathStepForm);
        if (opened.refused) return opened.refused;
        const { file, path, step, unreadCount } = opened;
        // A step the case is not ready for (or past) says why, rather than offering a form the domain will refuse.
        const reason = whyNotNow(path, step, runtime.clock());
        if (reason) return problem(claims, unreadCount, notNow(file.record.caseId, reason), 409);
        return formPage(step, file, path, claims, unreadCount, { values: emptyPathFormValues(step) });
      },
    }),

    defineRoute(routes.pathStep, {
      params: stepParams,
      body: lenient,
      acceptForm: true,
      handle: async (request) => {
        const { params, body, claims, requestId } = request;
        const { caseId } = params;
        if (!CASE_ID.test(caseId)) return noSuchCasePage(renderer, claims, await unread.unreadCount(claims), caseId);
        // An address no form posts to: answered without reading the case, so it says nothing of whether the case exists.
        if (!isStep(params.step)) return problem(claims, await unread.unreadCount(claims), NO_SUCH_STEP(caseId), 404);
        const step = params.step;
        const values = pathFormValues(step, body);
        const addPerson = step === 'close' && first(body.action) === 'add-person';
        const checked = checkPathForm(step, values);
        if (addPerson || !checked.ok) {
          // The form again, nothing recorded: with one more row of people ("Add another person" without
          // JavaScript), or with what the schema refused. The case is opened (and its read audited) to show it.
          const opened = await openStep(params, claims, requestId, routes.pathStep);
          if (opened.refused) return opened.refused;
          const state: FormState = addPerson
            ? { values: withAnotherPerson(values) }
            : { values, errors: checked.ok ? [] : checked.errors, status: 400 };
          return formPage(step, opened.file, opened.path, claims, opened.unreadCount, state);
        }

        const now = runtime.clock();
        const [outcome, unreadCount] = await Promise.all([
          work.record(
            caseId,
            claims,
            step,
            checked.input,
            versionOf(first(body.version)),
            { clock: () => now, correlationId: request.correlationId, causationId: requestId },
            { requestId, what: routeKeyOf(routes.pathStep) },
          ),
          unread.unreadCount(claims),
        ]);
        return pageAnswer(outcome, {
          renderer,
          claims,
          unreadCount,
          caseId,
          notPermitted: notPermitted(caseId, step),
          refusal: (refused) => refusalError(step, refused.field, refused.reason),
          // The path as it is now: its version in the form, what was typed kept, to send again knowingly.
          again: (now, state) => formPage(step, now.file, pathOf(now.file), claims, unreadCount, { values, ...state }),
          stateField: 'case',
          done: () => `${pathHref(caseId)}?done=${step}`,
        });
      },
    }),
  ];
}
