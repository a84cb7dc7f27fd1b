/**
 * The referrals service's HTTP APIs, in two functions so that each loads only what it serves:
 * - `partnerApi` (`partner-http.ts`): the partner API v1 (`routes/partner-api.ts`), the public
 *   contract agencies submit through, kept lean for its cold starts;
 * - `http` (`http.ts`): the partner API's OpenAPI document (`routes/openapi.ts`), the front door
 *   (`routes/front-door.ts`), the admin API (`routes/admin-agencies.ts`) and the public referral
 *   form (`routes/form.ts`).
 * Entry points build them from the environment's runtime; tests build them around their own table
 * and clock. The partner API's factory lives in its own module (`partner-api.ts`) so that its
 * bundle does not hold the form, the admin API or the front door.
 */
import { createHttpHandler, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { adminAgencyRoutes } from './routes/admin-agencies';
import { createRouteContext } from './routes/context';
import { formRoutes } from './routes/form';
import { frontDoorRoutes } from './routes/front-door';
import { openApiRoutes } from './routes/openapi';

/** Exported so a test can hold the manifest (service.ts) to exactly these routes. */
export function referralsRoutes(runtime: ServiceRuntime): Route[] {
  const context = createRouteContext(runtime);
  return [...openApiRoutes(), ...frontDoorRoutes(context), ...adminAgencyRoutes(context), ...formRoutes(context)];
}

export function createReferralsApi(runtime: ServiceRuntime) {
  return createHttpHandler(referralsRoutes(runtime), { logger: runtime.logger });
}
