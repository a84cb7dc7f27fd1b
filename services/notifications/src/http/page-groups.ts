/**
 * The notifications pages as the deployed `pages` function serves them: each module's routes loaded
 * on the first request for one of them (ADR 0038), so that a cold start loads none of their code and
 * a worker's home loads neither sign-in's nor the administrators' pages. Imports nothing but the
 * routes' declarations: every module below is reached by `import()` alone, which the split bundle
 * keeps in chunks of its own. Each group must declare exactly the routes its module defines (the
 * manifest test loads every group).
 */
import { lazyRoutes, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { routes } from './routes';
import type { SignInDependencies } from './sign-in';

/**
 * `signIn`: the function's own page sessions (the handler's, so sign-in seals the cookie the pages
 * open) and its identity provider's client, both made once per container by src/entries/pages.ts.
 */
export function lazyNotificationsPageRoutes(
  runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>,
  renderer: PageRenderer,
  signIn: Pick<SignInDependencies, 'pages' | 'oidc'>,
): Route[] {
  return [
    ...lazyRoutes([routes.home, routes.inboxPage, routes.markAllReadPage, routes.markShownReadPage, routes.markReadPage], async () =>
      (await import('./worker-pages')).workerPageRoutes(runtime, renderer),
    ),
    ...lazyRoutes([routes.preferencesPage, routes.savePreferencesPage], async () =>
      (await import('./preferences-pages')).preferencesPageRoutes(runtime, renderer),
    ),
    ...lazyRoutes([routes.webhookDeliveriesPage], async () => (await import('./admin-pages')).adminPageRoutes(runtime, renderer)),
    ...lazyRoutes([routes.workerMailFailuresPage], async () =>
      (await import('./admin-worker-mail-pages')).workerMailAdminPageRoutes(runtime, renderer),
    ),
    // Public routes, so their errors are pages only because they say so (errorsAsPages in sign-in.ts).
    ...lazyRoutes(
      [routes.signIn, routes.signInCallback, routes.signOut, routes.signedOut],
      async () => (await import('./sign-in')).signInRoutes({ ...signIn, renderer, clock: runtime.clock }),
      { errorsAsPages: true },
    ),
  ];
}
