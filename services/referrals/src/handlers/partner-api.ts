/** The partner API v1 as its own function (see api.ts): only the partner routes and what they need. */
import { createHttpHandler, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { createRouteContext } from './routes/context';
import { partnerApiRoutes } from './routes/partner-api';

/** Exported so a test can hold the manifest (service.ts) to exactly these routes. */
export function partnerRoutes(runtime: ServiceRuntime): Route[] {
  return partnerApiRoutes(createRouteContext(runtime));
}

export function createPartnerApi(runtime: ServiceRuntime) {
  return createHttpHandler(partnerRoutes(runtime), { logger: runtime.logger });
}
