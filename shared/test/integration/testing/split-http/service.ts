import type { ServiceManifest } from '@fsp/shared/manifest';
import { routes } from './src/http/routes';

/**
 * A service that exists only for the manifest checks' own test: two HTTP functions, the service's
 * own serving its workers' routes and a lean one serving its partner routes.
 */
export const manifest: ServiceManifest = {
  name: 'split-http',
  directory: __dirname,
  http: {
    function: { name: 'http', entry: 'src/http.ts' },
    routes: [routes.listThingsForPartner, routes.listThings, routes.thingForPartner, routes.thing],
  },
  subscriptions: [],
  schedules: [],
  publishes: [],
};
