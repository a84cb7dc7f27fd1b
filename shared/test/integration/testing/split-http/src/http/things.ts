/** The fixture's two audiences, one route module each, as a service splits its HTTP API. */
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { routes } from './routes';

const thingParams = z.object({ thingId: z.string() });

export function workerRoutes(_runtime: ServiceRuntime): Route[] {
  return [
    defineRoute(routes.listThings, { handle: async () => json(200, { audience: 'worker' }) }),
    defineRoute(routes.thing, {
      params: thingParams,
      handle: async ({ params }) => json(200, { audience: 'worker', thingId: params.thingId }),
    }),
  ];
}

export function partnerRoutes(_runtime: ServiceRuntime): Route[] {
  return [
    defineRoute(routes.listThingsForPartner, { handle: async () => json(200, { audience: 'partner' }) }),
    defineRoute(routes.thingForPartner, {
      params: thingParams,
      handle: async ({ params }) => json(200, { audience: 'partner', thingId: params.thingId }),
    }),
  ];
}
