/** The public pages as their own function (see api.ts): the referral form and the OpenAPI document. */
import { createHttpHandler, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { createRouteContext } from './routes/context';
import { formRoutes } from './routes/form';
import { openApiRoutes } from './routes/openapi';

/** Exported so a test can hold the manifest (service.ts) to exactly these routes. */
export function publicRoutes(runtime: ServiceRuntime): Route[] {
  return [...openApiRoutes(), ...formRoutes(createRouteContext(runtime))];
}

export function createPublicApi(runtime: ServiceRuntime) {
  return createHttpHandler(publicRoutes(runtime), { logger: runtime.logger });
}
