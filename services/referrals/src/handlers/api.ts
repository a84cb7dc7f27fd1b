/**
 * The referrals service's HTTP API, one route module per audience: partner agencies
 * (`routes/partner-api.ts`) and the front door (`routes/front-door.ts`). The Lambda entry point
 * (`http.ts`) builds it from the environment's runtime; tests build it around their own table and
 * clock.
 */
import { createHttpHandler, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { adminAgencyRoutes } from './routes/admin-agencies';
import { createRouteContext } from './routes/context';
import { formRoutes } from './routes/form';
import { frontDoorRoutes } from './routes/front-door';
import { partnerApiRoutes } from './routes/partner-api';

export { SUBMIT_SCOPE } from './routes/partner-api';

/** Exported so a test can hold the manifest (service.ts) to exactly these routes. */
export function referralsRoutes(runtime: ServiceRuntime): Route[] {
  const context = createRouteContext(runtime);
  return [...partnerApiRoutes(context), ...frontDoorRoutes(context), ...adminAgencyRoutes(context), ...formRoutes(context)];
}

export function createReferralsApi(runtime: ServiceRuntime) {
  return createHttpHandler(referralsRoutes(runtime), { logger: runtime.logger });
}
