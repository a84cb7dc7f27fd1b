/**
 * The `admin` function as deployed: the agencies' JSON API and the administrators' pages, each
 * module loaded on the first request for one of its routes (ADR 0038), so that a cold start loads
 * neither and a page request never loads the JSON API. The identity provider and the renderer stay
 * the entry's, made once per container (the user pool's id is checked at cold start). Imports
 * nothing but the routes' declarations; each group must declare exactly the routes its module
 * defines (the manifest test loads every group).
 */
import { lazyRoutes, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import type { IdentityProvider } from '../adapters/identity-provider';
import { routes } from './routes';

export function lazyAdminRoutes(runtime: ServiceRuntime, identity: IdentityProvider, renderer: PageRenderer): Route[] {
  return [
    ...lazyRoutes(
      [routes.onboardAgency, routes.listAgencies, routes.showAgency, routes.rotateCredentials, routes.retireSecret, routes.revokeAgency],
      async () => (await import('./admin-agencies')).adminAgencyRoutes(runtime, identity),
    ),
    ...lazyRoutes(
      [
        routes.adminHome,
        routes.agenciesPage,
        routes.newAgencyPage,
        routes.onboardAgencyForm,
        routes.agencyPage,
        routes.rotateSecretForm,
        routes.retireSecretPage,
        routes.retireSecretForm,
        routes.revokeAgencyPage,
        routes.revokeAgencyForm,
      ],
      async () => (await import('./admin-pages')).adminPageRoutes(runtime, identity, renderer),
    ),
  ];
}
