/**
 * The Supervision area's pages (routes.ts: admitted by the session cookie, the roles of the JSON
 * routes): the worker's team's agenda and a case's supervisions. The same store and the same
 * record rule as the JSON routes (src/http/workers.ts): a case's supervisions are its team's, and
 * another team's worker is told there are none, as for a case this service does not know. Each
 * page is one read of this service's table.
 */
import { idSchema } from '@fsp/shared/events/definitions/common';
import { defineRoute, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import * as z from 'zod/mini';
import { isTeamMember } from '../domain/supervision';
import { createSupervisionStore } from '../store/supervision-store';
import { pageResult } from '../web/pages';
import { supervisionView } from '../web/supervision-view';
import { routes } from './routes';

export function workerPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const store = createSupervisionStore(runtime);

  return [
    defineRoute(routes.agendaPage, {
      handle: async ({ claims }) => {
        const agenda = await store.teamAgenda(claims.teamId);
        const now = runtime.clock();
        return pageResult(renderer, {
          template: 'agenda.njk',
          title: 'Group supervision agenda',
          claims,
          data: { supervisions: agenda.map((supervision) => supervisionView(supervision, now)) },
        });
      },
    }),

    defineRoute(routes.casePage, {
      // Any text is accepted here and judged below, so that a mangled link gets the not-found page, never a JSON problem.
      params: z.object({ caseId: z.string() }),
      handle: async ({ params, claims }) => {
        const found = idSchema.safeParse(params.caseId).success ? await store.caseSupervisions(params.caseId) : undefined;
        if (!found || !isTeamMember(claims, found.supervisedCase.teamId)) {
          return pageResult(renderer, {
            template: 'problem.njk',
            title: 'There is no supervision of this case for you to see',
            claims,
            status: 404,
            data: {
              heading: 'There is no supervision of this case for you to see',
              paragraphs: ['The case may be held by another team, or the link you followed may be wrong.'],
              link: { href: '/supervision', text: 'Go to your team’s group supervision agenda' },
            },
          });
        }
        const now = runtime.clock();
        return pageResult(renderer, {
          template: 'case.njk',
          title: `Group supervision of case ${found.supervisedCase.caseId}`,
          claims,
          data: {
            caseId: found.supervisedCase.caseId,
            supervisions: found.supervisions.map((supervision) => supervisionView(supervision, now)),
          },
        });
      },
    }),
  ];
}
