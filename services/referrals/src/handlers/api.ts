/**
 * The referrals service's HTTP APIs, one function per audience so that each loads only what it
 * serves (the manifest assigns the routes; a test holds each function to exactly its own):
 * - `http` (`http.ts`, this module): the front door's queue, screening and decisions, for workers;
 * - `partner-api` (`partner-http.ts`, partner-api.ts): the partner API v1, for agencies' systems;
 * - `public` (`public-http.ts`, public-api.ts): the referral form and the partner API's OpenAPI
 *   document, for anyone;
 * - `admin` (`admin-http.ts`, admin-api.ts): partner agencies' credentials, for administrators.
 * Entry points build them from the environment's runtime; tests build them around their own table
 * and clock.
 */
import { createHttpHandler, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { createRouteContext } from './routes/context';
import { frontDoorRoutes } from './routes/front-door';

/** Exported so a test can hold the manifest (service.ts) to exactly these routes. */
export function frontDoorApiRoutes(runtime: ServiceRuntime): Route[] {
  return frontDoorRoutes(createRouteContext(runtime));
}

export function createFrontDoorApi(runtime: ServiceRuntime) {
  return createHttpHandler(frontDoorApiRoutes(runtime), { logger: runtime.logger });
}
