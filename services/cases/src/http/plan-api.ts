/**
 * The plan's JSON routes (issue 14 Deliver 4 and 11) and the team's essentials (Deliver 8): a case's
 * plan, agreeing it (PUT, the whole plan as agreed, with `version`, the plan's version read; 0 for
 * the first), reviewing it (POST reviews), and the team's open cases with an essential stale or
 * missing (20 a page, `next` a cursor for `?cursor=`, as /api/cases/team). The same access rule as the case; reading the plan shows the case, so it is audited first.
 */
import { idSchema } from '@fsp/shared/events/definitions/common';
import { ValidationFailed } from '@fsp/shared/http/errors';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { createCaseStore } from '../store/case-store';
import { decodeCursor, encodeCursor } from './allocation-api';
import { routeKeyOf } from './case-access';
import { flaggedTeamCases } from './essentials-pages';
import { jsonAnswer, noSuchCase } from './outcome-answers';
import { createPlanWork, type PlanOutcome, planInputSchema, reviewInputSchema } from './plan-work';
import { routes } from './routes';

const versioned = <T extends z.ZodMiniType>(schema: T) =>
  z.intersection(z.object({ version: z.int().check(z.nonnegative('version is the plan version you read: 0 or more')) }), schema);

function answer(outcome: PlanOutcome, sentVersion: number) {
  return jsonAnswer(
    outcome,
    {
      notPermitted: 'Only a worker allocated to this case or in the team that holds it can write its plan.',
      changed: (changed) =>
        `The plan changed since version ${sentVersion}, which you sent: it is at version ${changed.file.plan?.version ?? 0} now. Read it again.`,
      stateField: 'plan',
    },
    (written) => json(200, written.plan, { 'cache-control': 'no-store', etag: `"${written.plan.version}"` }),
  );
}

export function planApiRoutes(runtime: ServiceRuntime): Route[] {
  const work = createPlanWork(runtime);
  const cases = createCaseStore(runtime.documents, runtime.tableName);
  const publishing = (request: { correlationId: string; requestId: string }) => {
    const now = runtime.clock();
    return { clock: () => now, correlationId: request.correlationId, causationId: request.requestId };
  };

  return [
    defineRoute(routes.casePlan, {
      params: z.object({ caseId: idSchema }),
      handle: async ({ params, claims, requestId }) => {
        const visible = await work.visiblePlan(params.caseId, claims, { requestId, what: routeKeyOf(routes.casePlan) });
        if (!visible) throw noSuchCase();
        const plan = visible.file.plan;
        return json(200, plan ?? { caseId: params.caseId, version: 0, goals: [], reviews: [] }, {
          'cache-control': 'no-store',
          etag: `"${plan?.version ?? 0}"`,
        });
      },
    }),
    defineRoute(routes.writeCasePlan, {
      params: z.object({ caseId: idSchema }),
      body: versioned(planInputSchema),
      handle: async (request) => {
        const { version, ...input } = request.body;
        const outcome = await work.agree(request.params.caseId, request.claims, version, input, publishing(request), {
          requestId: request.requestId,
          what: routeKeyOf(routes.writeCasePlan),
        });
        return answer(outcome, version);
      },
    }),
    defineRoute(routes.reviewCasePlan, {
      params: z.object({ caseId: idSchema }),
      body: versioned(reviewInputSchema),
      handle: async (request) => {
        const { version, ...input } = request.body;
        const outcome = await work.review(request.params.caseId, request.claims, version, input, publishing(request), {
          requestId: request.requestId,
          what: routeKeyOf(routes.reviewCasePlan),
        });
        return answer(outcome, version);
      },
    }),
    defineRoute(routes.teamEssentials, {
      // Paged as /api/cases/team is: `?cursor=` a `next` this list gave out (essentials-pages.ts flaggedTeamCases).
      query: z.object({ cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(400))) }),
      handle: async ({ query, claims }) => {
        const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
        const page =
          query.cursor !== undefined && after === undefined
            ? undefined
            : await flaggedTeamCases(cases, claims.teamId, runtime.clock(), after);
        if (!page)
          throw new ValidationFailed([{ in: 'query', path: '$.cursor', message: 'cursor must be a next cursor this list gave you' }]);
        return json(
          200,
          {
            teamId: claims.teamId,
            cases: page.flagged.map(({ head, attention }) => ({
              caseId: head.caseId,
              reference: head.reference,
              status: head.status,
              ...(head.socialWorker ? { socialWorker: head.socialWorker } : {}),
              needsAttention: attention,
            })),
            ...(page.next ? { next: encodeCursor(page.next) } : {}),
          },
          { 'cache-control': 'no-store' },
        );
      },
    }),
  ];
}
