/**
 * The Supervision area's pages (routes.ts: admitted by the session cookie, the roles of the JSON
 * routes): the worker's team's agenda and a case's supervisions. The same store and the same
 * record rule as the JSON routes (src/http/workers.ts): a case's supervisions are its team's, and
 * another team's worker is told there are none, as for a case this service does not know. Each
 * page is one round of reads of this service's table: its own read and the worker's Inbox count
 * (this service's unread projection), together.
 */
import { idSchema } from '@fsp/shared/events/definitions/common';
import { defineRoute, type Route } from '@fsp/shared/http/handler';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { workerPageResult } from '@fsp/shared/web/page-result';
import * as z from 'zod/mini';
import { isTeamMember } from '../domain/supervision';
import { createSupervisionStore } from '../store/supervision-store';
import { supervisedCaseView, supervisionView } from '../web/supervision-view';
import { routes } from './routes';

export function workerPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const store = createSupervisionStore(runtime);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);

  return [
    defineRoute(routes.agendaPage, {
      handle: async ({ claims }) => {
        const [agenda, unreadCount] = await Promise.all([store.teamAgenda(claims.teamId), unread.unreadCount(claims)]);
        const now = runtime.clock();
        return workerPageResult(renderer, {
          template: 'agenda.njk',
          title: 'Group supervision agenda',
          area: 'supervision',
          claims,
          unreadCount,
          data: { supervisions: agenda.map((supervision) => supervisionView(supervision, now)) },
        });
      },
    }),

    defineRoute(routes.casePage, {
      // Any text is accepted here and judged below, so that a mangled link gets the not-found page, never a JSON problem.
      params: z.object({ caseId: z.string() }),
      handle: async ({ params, claims }) => {
        const [found, unreadCount] = await Promise.all([
          idSchema.safeParse(params.caseId).success ? store.caseSupervisions(params.caseId) : undefined,
          unread.unreadCount(claims),
        ]);
        if (!found || !isTeamMember(claims, found.supervisedCase.teamId)) {
          return workerPageResult(renderer, {
            template: 'problem.njk',
            title: 'There is no supervision of this case for you to see',
            area: 'supervision',
            claims,
            unreadCount,
            status: 404,
            data: {
              heading: 'There is no supervision of this case for you to see',
              paragraphs: ['The case may be held by another team, or the link you followed may be wrong.'],
              link: { href: '/supervision', text: 'Go to your team’s group supervision agenda' },
            },
          });
        }
        const now = runtime.clock();
        const supervisedCase = supervisedCaseView(found.supervisedCase);
        return workerPageResult(renderer, {
          template: 'case.njk',
          title: supervisedCase.title,
          area: 'supervision',
          claims,
          unreadCount,
          data: {
            supervisedCase,
            supervisions: found.supervisions.map((supervision) => supervisionView(supervision, now)),
          },
        });
      },
    }),
  ];
}
