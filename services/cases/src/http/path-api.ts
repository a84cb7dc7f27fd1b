/**
 * The statutory path's JSON routes (issue 14 Deliver 11): a case's path with the timescales it is
 * waiting on, and recording a step (`POST /api/cases/{caseId}/path/{step}` with `version`, the
 * path's version read, and the step's fields). The same access rule as the case; reading the path
 * shows the case, so it is audited first.
 */
import { idSchema } from '@fsp/shared/events/definitions/common';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { dueStatus } from '@fsp/shared/time/working-days';
import * as z from 'zod/mini';
import type { CasePath } from '../domain/path';
import { openTimescales } from '../domain/path-timescales';
import { routeKeyOf } from './case-access';
import { invalidBody, jsonAnswer, noSuchCase } from './outcome-answers';
import { createPathWork, MANAGER_STEPS, PATH_STEP_NAMES, type PathStepName, STEP_INPUTS } from './path-work';
import { routes } from './routes';

/** The path as the API shows it: what was recorded, and each timescale still open with where it stands at `now`. */
export function pathView(path: CasePath, told: readonly string[], now: Date) {
  return {
    caseId: path.caseId,
    status: path.status,
    version: path.version,
    referralDate: path.referralDate,
    assessmentDueDate: path.assessmentDueDate,
    ...(path.familySafeguardingFlag !== undefined ? { familySafeguardingFlag: path.familySafeguardingFlag } : {}),
    timescales: openTimescales(path).map((open) => ({
      ...open,
      state: dueStatus(now, new Date(open.dueBy), {
        dueSoonWithinMs: Math.max(0, new Date(open.dueBy).getTime() - new Date(open.dueSoonFrom).getTime()),
      }),
      told: (['due-soon', 'overdue'] as const).filter((moment) => told.includes(`${open.targetId}#${moment}`)),
    })),
    ...(path.assessment ? { assessment: path.assessment } : {}),
    strategyDiscussions: path.strategyDiscussions,
    childProtectionPlans: path.childProtectionPlans,
    childInNeedPlans: path.childInNeedPlans,
    ...(path.lookedAfterFrom ? { lookedAfterFrom: path.lookedAfterFrom } : {}),
    ...(path.closure ? { closure: path.closure } : {}),
    statusChanges: path.statusChanges,
  };
}

const stepParams = z.object({ caseId: idSchema, step: z.enum(PATH_STEP_NAMES as [PathStepName, ...PathStepName[]]) });

export function pathApiRoutes(runtime: ServiceRuntime): Route[] {
  const work = createPathWork(runtime);

  return [
    defineRoute(routes.casePath, {
      params: z.object({ caseId: idSchema }),
      handle: async ({ params, claims, requestId }) => {
        const visible = await work.visiblePath(params.caseId, claims, { requestId, what: routeKeyOf(routes.casePath) });
        if (!visible) throw noSuchCase();
        return json(200, pathView(visible.path, visible.file.told, runtime.clock()), {
          'cache-control': 'no-store',
          etag: `"${visible.path.version}"`,
        });
      },
    }),

    defineRoute(routes.recordPathStep, {
      params: stepParams,
      body: z.looseObject({ version: z.int().check(z.nonnegative('version is the path version you read: 0 or more')) }),
      handle: async (request) => {
        const { params, claims } = request;
        const step = params.step;
        const { version, ...fields } = request.body;
        const parsed = STEP_INPUTS[step].safeParse(fields);
        if (!parsed.success) invalidBody(parsed.error.issues);
        const now = runtime.clock();
        const outcome = await work.record(
          params.caseId,
          claims,
          step,
          parsed.data as never,
          version,
          { clock: () => now, correlationId: request.correlationId, causationId: request.requestId },
          { requestId: request.requestId, what: routeKeyOf(routes.recordPathStep) },
        );
        return jsonAnswer(
          outcome,
          {
            notPermitted: MANAGER_STEPS.has(step)
              ? 'Only a team manager of the team that holds this case can record this step.'
              : 'Only a worker allocated to this case or in the team that holds it can record its path.',
            changed: `The case’s path changed since version ${version}, which you sent. Read it again and decide from there.`,
            // A step the case's state forbids is a conflict with the case, not a bad field.
            stateField: 'case',
          },
          (recorded) =>
            json(200, pathView(recorded.path, recorded.file.told, now), {
              'cache-control': 'no-store',
              etag: `"${recorded.path.version}"`,
            }),
        );
      },
    }),
  ];
}
