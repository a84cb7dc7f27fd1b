/**
 * The `public` function as deployed: the OpenAPI document and the referral form, each module loaded
 * on the first request for one of its routes (ADR 0038), so that a cold start loads neither the
 * document's text nor the form's stores and steps, and a form page never loads the document. The
 * renderer and the match keys stay the entry's, made once per container. Imports nothing but the
 * routes' declarations; each group must declare exactly the routes its module defines (the manifest
 * test loads every group).
 */
import { lazyRoutes, type Route } from '@fsp/shared/http/handler';
import type { KeyringSource } from '@fsp/shared/keyed-hash';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { routes } from './routes';

/** `matchKeys`: the known-family index's keys (ADR 0021); the entry's read the secret in AWS. */
export function lazyPublicRoutes(runtime: ServiceRuntime, renderer: PageRenderer, matchKeys?: KeyringSource): Route[] {
  return [
    ...lazyRoutes([routes.openApiDocument], async () => (await import('./openapi')).openApiRoutes()),
    // The form's routes answer errors as pages (public-form.ts): the router must know before they load.
    ...lazyRoutes(
      [routes.formStart, routes.formConfirmation, routes.formStep, routes.formAnswer],
      async () => (await import('./public-form')).publicFormRoutes(runtime, renderer, matchKeys),
      { errorsAsPages: true },
    ),
  ];
}
