import type { FunctionEntry, ServiceManifest } from '@fsp/shared/manifest';

/** The partner routes' own function, shared by its routes as a service declares it. */
const partnerApi: FunctionEntry = { name: 'partner-api', entry: 'src/partner-api.ts' };

/**
 * A service that exists only for the manifest checks' own test: two HTTP functions, the service's
 * own serving its workers' routes and a lean one serving its partner routes.
 */
export const manifest: ServiceManifest = {
  name: 'split-http',
  directory: __dirname,
  http: {
    function: { name: 'http', entry: 'src/http.ts' },
    routes: [
      { method: 'GET', path: '/v1/things', auth: { kind: 'partner', scopes: ['things/read'] }, function: partnerApi },
      { method: 'GET', path: '/things', auth: { kind: 'worker' } },
      { method: 'GET', path: '/v1/things/{thingId}', auth: { kind: 'partner', scopes: ['things/read'] }, function: partnerApi },
      { method: 'GET', path: '/things/{thingId}', auth: { kind: 'worker' } },
    ],
  },
  subscriptions: [],
  schedules: [],
  publishes: [],
};
