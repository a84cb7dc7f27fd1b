/**
 * The cases JSON API as the deployed function serves it: each area's routes loaded on the first
 * request for one of them (ADR 0038), as page-groups.ts does for the pages. Imports nothing but the
 * routes' declarations; each group must declare exactly the routes its module defines (the
 * manifest test loads every group).
 */
import type { Directory } from '@fsp/shared/directory';
import { lazyRoutes, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { routes } from './routes';

/** `directory`: the team's workers, for allocation (src/entries/http.ts gives the user pool's). */
export function lazyWorkerRoutes(runtime: ServiceRuntime, options: { directory?: Directory } = {}): Route[] {
  return [
    ...lazyRoutes([routes.showCase, routes.findCaseOfReferral], async () => (await import('./workers')).caseRecordRoutes(runtime)),
    ...lazyRoutes([routes.caseNetwork, routes.changeCaseNetwork, routes.caseSummary, routes.writeCaseSummary], async () =>
      (await import('./family-record-api')).familyRecordApiRoutes(runtime),
    ),
    ...lazyRoutes([routes.caseAllocation, routes.changeCaseAllocation, routes.myCaseload, routes.teamCases], async () => {
      const [{ allocationApiRoutes }, { directoryNotGiven }] = await Promise.all([import('./allocation-api'), import('./allocation-work')]);
      return allocationApiRoutes(runtime, options.directory ?? directoryNotGiven);
    }),
    ...lazyRoutes([routes.caseNotes, routes.caseNote, routes.startNote, routes.editNote, routes.completeNote, routes.amendNote], async () =>
      (await import('./notes-api')).noteApiRoutes(runtime),
    ),
    ...lazyRoutes([routes.breakGlassApi], async () => (await import('./break-glass')).breakGlassApiRoutes(runtime)),
    ...lazyRoutes([routes.casePath, routes.recordPathStep], async () => (await import('./path-api')).pathApiRoutes(runtime)),
    ...lazyRoutes([routes.caseMotivation, routes.recordMotivation], async () =>
      (await import('./motivation-api')).motivationApiRoutes(runtime),
    ),
    ...lazyRoutes([routes.caseFgdm, routes.recordFgdm], async () => (await import('./fgdm-api')).fgdmApiRoutes(runtime)),
    ...lazyRoutes([routes.caseWorkbook, routes.contributeToWorkbook, routes.recordProgrammeModule], async () =>
      (await import('./workbook-api')).workbookApiRoutes(runtime),
    ),
    ...lazyRoutes([routes.casePlan, routes.writeCasePlan, routes.reviewCasePlan, routes.teamEssentials], async () =>
      (await import('./plan-api')).planApiRoutes(runtime),
    ),
    ...lazyRoutes([routes.caseCensus], async () => (await import('./census-api')).censusApiRoutes(runtime)),
  ];
}
