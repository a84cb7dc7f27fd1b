/**
 * The census page (issue 14 Deliver 10; routes.ts: a page route admitted by the session cookie):
 * GET /cases/{caseId}/census shows what the Children in Need census still needs of the case, each
 * with a link to where a worker records it, then the census return as the record holds it (a
 * summary card per child and the episode's). The case is opened through the gate (its read audited)
 * in the same round as its family group decision making's partition and the Inbox count; a case the
 * worker may not see answers exactly as one that does not exist.
 */
import { defineRoute, type Route } from '@fsp/shared/http/handler';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { londonDateOf } from '@fsp/shared/time/london';
import type { PageRenderer } from '@fsp/shared/web/page';
import { workerPageResult } from '@fsp/shared/web/page-result';
import * as z from 'zod/mini';
import { censusPageView } from '../web/census-view';
import { noSuchCasePage } from './break-glass-pages';
import { routeKeyOf } from './case-access';
import { CASE_ID } from './case-page-common';
import { censusOfFile, createCensusReads } from './census-api';
import { familyRecordAccess } from './family-record-access';
import { pathOf } from './path-work';
import { routes } from './routes';

export function censusPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const read = createCensusReads(runtime);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);

  return [
    defineRoute(routes.censusPage, {
      params: z.object({ caseId: z.string() }),
      handle: async ({ params, claims, requestId }) => {
        const [opened, unreadCount] = await Promise.all([
          CASE_ID.test(params.caseId) ? read(params.caseId, claims, { requestId, what: routeKeyOf(routes.censusPage) }) : undefined,
          unread.unreadCount(claims),
        ]);
        if (!opened) return noSuchCasePage(renderer, claims, unreadCount, params.caseId);
        const { file } = opened;
        // The path's status, not the head's: a case opened before paths were kept shows its head's.
        const record = { ...file.record, status: pathOf(file).status };
        const now = runtime.clock();
        return workerPageResult(renderer, {
          template: 'census.njk',
          title: `Census – case ${record.reference}`,
          area: 'cases',
          claims,
          unreadCount,
          data: censusPageView(record, censusOfFile(file, opened.fgdm, now), {
            mayChange: familyRecordAccess(opened.access).mayChange,
            today: londonDateOf(now),
          }),
        });
      },
    }),
  ];
}
