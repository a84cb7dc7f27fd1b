/** The admin API as its own function (see api.ts): partner agencies and their credentials, through the identity provider. */
import { createHttpHandler, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { adminAgencyRoutes } from './routes/admin-agencies';
import { createRouteContext } from './routes/context';

/** Exported so a test can hold the manifest (service.ts) to exactly these routes. */
export function adminRoutes(runtime: ServiceRuntime): Route[] {
  return adminAgencyRoutes(createRouteContext(runtime));
}

export function createAdminApi(runtime: ServiceRuntime) {
  return createHttpHandler(adminRoutes(runtime), { logger: runtime.logger });
}
