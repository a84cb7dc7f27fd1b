/** The fixture's routes, declared once: its manifest lists them and its route modules implement them. */
import type { FunctionEntry, HttpRoute } from '@fsp/shared/manifest';

/** The partner routes' own function, shared by its routes as a service declares it. */
const partnerApi: FunctionEntry = { name: 'partner-api', entry: 'src/partner-api.ts' };

export const routes = {
  listThingsForPartner: { method: 'GET', path: '/v1/things', auth: { kind: 'partner', scopes: ['referrals/read'] }, function: partnerApi },
  listThings: { method: 'GET', path: '/things', auth: { kind: 'worker', roles: ['social-worker'] } },
  thingForPartner: {
    method: 'GET',
    path: '/v1/things/{thingId}',
    auth: { kind: 'partner', scopes: ['referrals/read'] },
    function: partnerApi,
  },
  thing: { method: 'GET', path: '/things/{thingId}', auth: { kind: 'worker', roles: ['social-worker'] } },
} as const satisfies Record<string, HttpRoute>;
