/**
 * The cases pages as the deployed function serves them: each area's routes loaded on the first
 * request for one of them (ADR 0038), so that a cold start loads none of their code and a worker's
 * first page loads only its own area's. Imports nothing but the routes' declarations: every
 * module below is reached by `import()` alone, which the split bundle keeps in chunks of its own.
 * Each group must declare exactly the routes its module defines (the manifest test loads every group).
 */
import type { Directory } from '@fsp/shared/directory';
import { lazyRoutes, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { routes } from './routes';

/** `directory`: the team's workers, for the allocation form (src/entries/pages.ts gives the user pool's). */
export function lazyCasePageRoutes(
  runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>,
  renderer: PageRenderer,
  options: { directory?: Directory } = {},
): Route[] {
  return [
    ...lazyRoutes([routes.teamCasesPage, routes.casePage], async () =>
      (await import('./worker-pages')).caseCorePageRoutes(runtime, renderer),
    ),
    ...lazyRoutes(
      [
        routes.familyPage,
        routes.familyAddForm,
        routes.familyAdd,
        routes.familyCorrectForm,
        routes.familyCorrect,
        routes.familyRemoveForm,
        routes.familyRemove,
        routes.summaryForm,
        routes.writeSummary,
      ],
      async () => (await import('./family-pages')).familyPageRoutes(runtime, renderer),
    ),
    ...lazyRoutes([routes.caseloadPage, routes.allocationForm, routes.allocate], async () => {
      const [{ allocationPageRoutes }, { directoryNotGiven }] = await Promise.all([
        import('./allocation-pages'),
        import('./allocation-work'),
      ]);
      return allocationPageRoutes(runtime, renderer, options.directory ?? directoryNotGiven);
    }),
    ...lazyRoutes([routes.breakGlassForm, routes.breakGlass], async () =>
      (await import('./break-glass-pages')).breakGlassPageRoutes(runtime, renderer),
    ),
    ...lazyRoutes(
      [
        routes.notesPage,
        routes.newNoteForm,
        routes.startNotePage,
        routes.notePage,
        routes.saveNotePage,
        routes.amendNoteForm,
        routes.amendNotePage,
        routes.chronologyPage,
      ],
      async () => (await import('./notes-pages')).notePageRoutes(runtime, renderer),
    ),
    ...lazyRoutes([routes.pathPage, routes.pathStepForm, routes.pathStep], async () =>
      (await import('./path-pages')).pathPageRoutes(runtime, renderer),
    ),
    ...lazyRoutes([routes.motivationPage, routes.motivationForm, routes.recordMotivationPage], async () =>
      (await import('./motivation-pages')).motivationPageRoutes(runtime, renderer),
    ),
    ...lazyRoutes([routes.fgdmPage, routes.fgdmForm, routes.fgdmStepPage], async () =>
      (await import('./fgdm-pages')).fgdmPageRoutes(runtime, renderer),
    ),
    ...lazyRoutes(
      [
        routes.workbookPage,
        routes.workbookPrintPage,
        routes.contributionForm,
        routes.contributePage,
        routes.programmeForm,
        routes.programmePage,
      ],
      async () => (await import('./workbook-pages')).workbookPageRoutes(runtime, renderer),
    ),
    ...lazyRoutes([routes.censusPage], async () => (await import('./census-pages')).censusPageRoutes(runtime, renderer)),
    ...lazyRoutes([routes.planPage, routes.planForm, routes.writePlan, routes.planReviewForm, routes.reviewPlan], async () =>
      (await import('./plan-pages')).planPageRoutes(runtime, renderer),
    ),
    ...lazyRoutes([routes.teamEssentialsPage], async () => (await import('./essentials-pages')).essentialsPageRoutes(runtime, renderer)),
  ];
}
