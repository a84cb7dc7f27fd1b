/**
 * Family group decision making's pages (issue 14 Deliver 7; routes.ts: page routes admitted by the
 * session cookie, Origin and CSRF checked on every POST before this code runs):
 *
 * - GET /cases/{caseId}/family-group-decision-making: the offers, conferences and the family's
 *   plans, with a warning while none was held (required before pre-proceedings), and pre-proceedings;
 * - GET and POST /cases/{caseId}/family-group-decision-making/{fgdmStep}: each step's form (the
 *   pre-proceedings steps for the holding team's manager only).
 *
 * The work is http/fgdm-api.ts's, the code the JSON routes run. A case the worker may not see
 * answers exactly as one that does not exist; a form the schema or the domain refuses is the form
 * again with GOV.UK's error summary and what was typed; a record that changed since the form was
 * opened says so; a recorded step redirects (303) to the page, which says what was recorded.
 */
import { defineRoute, type HttpResult, type Route } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { workerPageResult } from '@fsp/shared/web/page-result';
import * as z from 'zod/mini';
import { type CaseFgdm, FGDM_STEPS, type FgdmStep, MANAGER_FGDM_STEPS, whyNotNow } from '../domain/fgdm';
import type { CaseFile } from '../store/case-store';
import {
  checkFgdmForm,
  emptyFgdmValues,
  FGDM_STEP_WORDS,
  type FgdmFormValues,
  fgdmFormValues,
  fgdmFormView,
  fgdmHref,
  fgdmPageView,
  fgdmRefusalError,
  fgdmStepHref,
} from '../web/fgdm-view';
import type { FormError } from '../web/motivation-view';
import { noSuchCasePage } from './break-glass-pages';
import { routeKeyOf } from './case-access';
import { CASE_ID, caseParams, first, lenient, type Problem, problemPage, versionOf } from './case-page-common';
import { createFgdmWork, isFgdmStep, isHoldingTeamManager, mayRecordFgdm, mayRecordFgdmStep } from './fgdm-api';
import { pageAnswer } from './outcome-answers';
import { routes } from './routes';

const stepParams = z.object({ caseId: z.string(), fgdmStep: z.string() });

const back = (caseId: string) => ({ href: fgdmHref(caseId), text: 'Go to the case’s family group decision making' });

const NO_SUCH_STEP = (caseId: string): Problem => ({
  heading: 'There is no such step of family group decision making',
  paragraphs: ['The link you followed may be wrong.'],
  link: back(caseId),
});

const notPermitted = (caseId: string, step?: FgdmStep): Problem =>
  step !== undefined && MANAGER_FGDM_STEPS.has(step)
    ? {
        heading: 'Only the team manager can record pre-proceedings',
        paragraphs: ['Pre-proceedings are started and ended by the manager of the team that holds the case.'],
        link: back(caseId),
      }
    : {
        heading: 'You can read this case but not record its family group decision making',
        paragraphs: [
          'Only workers allocated to the case, or in the team that holds it, can record offers, conferences and the family’s plan.',
        ],
        link: back(caseId),
      };

const notNow = (caseId: string, reason: string): Problem => ({
  heading: 'This step cannot be recorded now',
  paragraphs: [`${reason}.`],
  link: back(caseId),
});

interface FormState {
  values: FgdmFormValues;
  errors?: FormError[];
  changed?: boolean;
  status?: number;
}

export function fgdmPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const work = createFgdmWork(runtime);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);

  async function open(caseId: string, claims: PageClaims, requestId: string, route: { method: string; path: string }) {
    const [seen, unreadCount] = await Promise.all([
      CASE_ID.test(caseId) ? work.visible(caseId, claims, { requestId, what: routeKeyOf(route) }) : undefined,
      unread.unreadCount(claims),
    ]);
    return { seen, unreadCount };
  }

  function formPage(step: FgdmStep, file: CaseFile, fgdm: CaseFgdm, claims: PageClaims, unreadCount: number, state: FormState): HttpResult {
    const caseId = file.record.caseId;
    const errors = state.errors ?? [];
    const words = FGDM_STEP_WORDS[step];
    return workerPageResult(renderer, {
      template: 'fgdm-step.njk',
      title: `${words.heading} – case ${file.record.reference}`,
      area: 'cases',
      backLink: fgdmHref(caseId),
      hasErrors: errors.length > 0 || state.changed === true,
      claims,
      unreadCount,
      status: state.status ?? 200,
      data: {
        step,
        reference: file.record.reference,
        heading: words.heading,
        button: words.button,
        form: fgdmFormView(step, file, state.values, errors),
        version: fgdm.version,
        action: fgdmStepHref(caseId, step),
        fgdmHref: fgdmHref(caseId),
        ...(state.changed ? { changed: true } : {}),
      },
    });
  }

  async function openStep(
    params: z.infer<typeof stepParams>,
    claims: PageClaims,
    requestId: string,
    route: { method: string; path: string },
  ) {
    const { seen, unreadCount } = await open(params.caseId, claims, requestId, route);
    if (!seen) return { refused: noSuchCasePage(renderer, claims, unreadCount, params.caseId) };
    const caseId = seen.file.record.caseId;
    if (!isFgdmStep(params.fgdmStep)) return { refused: problemPage(renderer, claims, unreadCount, NO_SUCH_STEP(caseId), 404) };
    if (!mayRecordFgdmStep(params.fgdmStep, claims, seen.file, seen.access))
      return { refused: problemPage(renderer, claims, unreadCount, notPermitted(caseId, params.fgdmStep), 403) };
    return { ...seen, step: params.fgdmStep, unreadCount };
  }

  return [
    defineRoute(routes.fgdmPage, {
      params: caseParams,
      query: lenient,
      handle: async ({ params, query, claims, requestId }) => {
        const { seen, unreadCount } = await open(params.caseId, claims, requestId, routes.fgdmPage);
        if (!seen) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        const done = first(query.done);
        return workerPageResult(renderer, {
          template: 'fgdm.njk',
          title: `Family group decision making – case ${seen.file.record.reference}`,
          area: 'cases',
          claims,
          unreadCount,
          data: {
            ...fgdmPageView(seen.file, seen.fgdm, {
              mayRecord: mayRecordFgdm(seen.access),
              mayRecordPreProceedings: mayRecordFgdm(seen.access) && isHoldingTeamManager(claims, seen.file),
            }),
            ...(done !== undefined && isFgdmStep(done) ? { done: FGDM_STEP_WORDS[done].done } : {}),
          },
        });
      },
    }),

    defineRoute(routes.fgdmForm, {
      params: stepParams,
      handle: async ({ params, claims, requestId }) => {
        const opened = await openStep(params, claims, requestId, routes.fgdmForm);
        if (opened.refused) return opened.refused;
        const { file, fgdm, step, unreadCount } = opened;
        // A step the record is not ready for says why, rather than offering a form the domain will refuse.
        const reason = whyNotNow(fgdm, step);
        if (reason) return problemPage(renderer, claims, unreadCount, notNow(file.record.caseId, reason), 409);
        return formPage(step, file, fgdm, claims, unreadCount, { values: emptyFgdmValues(step) });
      },
    }),

    defineRoute(routes.fgdmStepPage, {
      params: stepParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const { caseId } = params;
        if (!CASE_ID.test(caseId)) return noSuchCasePage(renderer, claims, await unread.unreadCount(claims), caseId);
        if (!(FGDM_STEPS as readonly string[]).includes(params.fgdmStep))
          return problemPage(renderer, claims, await unread.unreadCount(claims), NO_SUCH_STEP(caseId), 404);
        const step = params.fgdmStep as FgdmStep;
        const values = fgdmFormValues(step, body);
        const checked = checkFgdmForm(step, values);
        if (!checked.ok) {
          const opened = await openStep(params, claims, requestId, routes.fgdmStepPage);
          if (opened.refused) return opened.refused;
          return formPage(step, opened.file, opened.fgdm, claims, opened.unreadCount, { values, errors: checked.errors, status: 400 });
        }
        const [outcome, unreadCount] = await Promise.all([
          work.record(caseId, claims, step, checked.input, versionOf(first(body.version)), {
            requestId,
            correlationId,
            what: routeKeyOf(routes.fgdmStepPage),
          }),
          unread.unreadCount(claims),
        ]);
        return pageAnswer(outcome, {
          renderer,
          claims,
          unreadCount,
          caseId,
          notPermitted: notPermitted(caseId, step),
          refusal: (refused) => fgdmRefusalError(step, refused.field, refused.reason),
          again: (now, state) => formPage(step, now.file, now.fgdm, claims, unreadCount, { values, ...state }),
          stateField: 'case',
          done: () => `${fgdmHref(caseId)}?done=${step}`,
        });
      },
    }),
  ];
}
