/**
 * The supervision routes for workers (declared in ./routes.ts, which says which roles are
 * admitted). Supervision records belong to the team that holds the case: a worker of another team
 * is told a case's supervisions are not there (as for a case this service does not know), and is
 * refused another team's agenda.
 */
import { idSchema } from '@fsp/shared/events/definitions/common';
import { Forbidden, NotFound } from '@fsp/shared/http/errors';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { isTeamMember, type Supervision } from '../domain/supervision';
import { createSupervisionStore } from '../store/supervision-store';
import { routes } from './routes';

const supervisionView = (supervision: Supervision) => ({
  id: supervision.supervisionId,
  caseId: supervision.caseId,
  sequence: supervision.sequence,
  status: supervision.status,
  dueDate: supervision.dueDate,
  dueBy: supervision.dueBy,
  scheduledFor: supervision.scheduledFor,
});

// Case supervision records are about a family: never kept by a shared or browser cache.
const PRIVATE = { 'cache-control': 'no-store' };

export function workerRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName'>): Route[] {
  const store = createSupervisionStore(runtime);
  return [
    defineRoute(routes.caseSupervisions, {
      params: z.object({ caseId: idSchema }),
      handle: async (request) => {
        const found = await store.caseSupervisions(request.params.caseId);
        if (!found || !isTeamMember(request.claims, found.supervisedCase.teamId)) {
          throw new NotFound('There are no supervisions of such a case that you can see.');
        }
        return json(
          200,
          {
            caseId: found.supervisedCase.caseId,
            teamId: found.supervisedCase.teamId,
            supervisions: found.supervisions.map(supervisionView),
          },
          PRIVATE,
        );
      },
    }),
    defineRoute(routes.teamAgenda, {
      params: z.object({ teamId: idSchema }),
      handle: async (request) => {
        const { teamId } = request.params;
        // Which teams exist is not a secret; what they discuss is. So: 403, not 404.
        if (!isTeamMember(request.claims, teamId)) throw new Forbidden('You can see the supervision agenda of your own team only.');
        const agenda = await store.teamAgenda(teamId);
        return json(200, { teamId, supervisions: agenda.map(supervisionView) }, PRIVATE);
      },
    }),
  ];
}
