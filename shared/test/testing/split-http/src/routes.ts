/** The fixture's two audiences, one route module each, as a service splits its HTTP API. */
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';

const thingParams = z.object({ thingId: z.string() });

export function workerRoutes(_runtime: ServiceRuntime): Route[] {
  return [
    defineRoute({ method: 'GET', path: '/things', auth: { kind: 'worker' }, handle: async () => json(200, { audience: 'worker' }) }),
    defineRoute({
      method: 'GET',
      path: '/things/{thingId}',
      auth: { kind: 'worker' },
      params: thingParams,
      handle: async ({ params }) => json(200, { audience: 'worker', thingId: params.thingId }),
    }),
  ];
}

export function partnerRoutes(_runtime: ServiceRuntime): Route[] {
  const auth = { kind: 'partner', scopes: ['things/read'] } as const;
  return [
    defineRoute({ method: 'GET', path: '/v1/things', auth, handle: async () => json(200, { audience: 'partner' }) }),
    defineRoute({
      method: 'GET',
      path: '/v1/things/{thingId}',
      auth,
      params: thingParams,
      handle: async ({ params }) => json(200, { audience: 'partner', thingId: params.thingId }),
    }),
  ];
}
