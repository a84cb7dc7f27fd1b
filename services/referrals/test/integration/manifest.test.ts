import { resolve } from 'node:path';
import { buildEvent } from '@fsp/shared/events/build';
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { generateSessionKey, serializeSessionKeys } from '@fsp/shared/http/session';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { describeServiceManifest } from '@fsp/shared/testing/manifest';
import { createPageRenderer } from '@fsp/shared/web/page';
import { manifest } from '../../service';
import { lazyAdminRoutes } from '../../src/http/admin-groups';
import { frontDoorRoutes } from '../../src/http/front-door';
import { frontDoorPageRoutes } from '../../src/http/front-door-pages';
import { partnerApiRoutes } from '../../src/http/partner-api';
import { lazyPublicRoutes } from '../../src/http/public-groups';
import { PRECOMPILED_TEMPLATES as ADMIN_TEMPLATES } from '../../src/web/precompiled/admin';
import { PRECOMPILED_TEMPLATES as FRONT_DOOR_TEMPLATES } from '../../src/web/precompiled/front-door';
import { PRECOMPILED_TEMPLATES as REFERRAL_FORM_TEMPLATES } from '../../src/web/precompiled/refer';
import { unusedIdentityProvider } from '../support/http';
import { TEAMS } from '../support/pages';

const frontDoor = workerClaims({ 'cognito:groups': '[front-door]', 'custom:team': 'front-door' });
const administrator = workerClaims({ 'cognito:groups': '[administrator]', 'custom:team': 'platform' });

// The platform gives the admin function its user pool (permissions.cognitoUserPoolClients), and
// the entry reads it at cold start; the entry-point tests load the entries as Lambda would.
// The platform sets STAGE for every function, and the session keys and public origin for page
// functions; the pages entry reads the stage at cold start and the rest on its first page request.
const platformGives = {
  USER_POOL_ID: 'eu-west-2_entrytest',
  STAGE: 'local',
  SESSION_KEYS: serializeSessionKeys([generateSessionKey(1)]),
  PUBLIC_ORIGIN: 'http://127.0.0.1:3000',
};
const saved = Object.fromEntries(Object.keys(platformGives).map((name) => [name, process.env[name]]));
beforeAll(() => {
  Object.assign(process.env, platformGives);
});
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describeServiceManifest({
  manifest,
  serviceDirectory: resolve(__dirname, '../..'),
  // The functions' routes as their entries compose them; public's and admin's loaded on first use (lazyRoutes, ADR 0038): the check loads every group.
  routes: {
    http: frontDoorRoutes,
    'partner-api': (runtime) => partnerApiRoutes(runtime),
    public: (runtime) => lazyPublicRoutes(runtime, createPageRenderer(REFERRAL_FORM_TEMPLATES, { stage: 'local' })),
    pages: (runtime) =>
      frontDoorPageRoutes(runtime, { renderer: createPageRenderer(FRONT_DOOR_TEMPLATES, { stage: 'local' }), teams: TEAMS }),
    admin: (runtime) => lazyAdminRoutes(runtime, unusedIdentityProvider(), createPageRenderer(ADMIN_TEMPLATES, { stage: 'local' })),
  },
  entryPointTests: {
    "shows the front door's queue through the HTTP entry": async ({ http }) => {
      const response = await http(apiGatewayEvent({ path: '/api/front-door/referrals', claims: frontDoor }));
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body!)).toEqual({ referrals: [] });
    },
    'admits only the front door to its queue, and only administrators to the agencies, before any route code runs': async ({
      http,
      httpFunctions,
    }) => {
      expect((await http(apiGatewayEvent({ path: '/api/front-door/referrals', claims: administrator }))).statusCode).toBe(403);
      const admin = httpFunctions.admin!;
      expect((await admin(apiGatewayEvent({ path: '/api/admin/agencies', claims: administrator }))).statusCode).toBe(200);
      expect((await admin(apiGatewayEvent({ path: '/api/admin/agencies', claims: frontDoor }))).statusCode).toBe(403);
    },
    'sends a browser without a session from the front door’s pages to sign in, through the pages entry': async ({ httpFunctions }) => {
      const response = await httpFunctions.pages!(apiGatewayEvent({ path: '/front-door' }));
      expect(response.statusCode).toBe(303);
      expect(response.headers?.location).toBe('/signin?returnTo=%2Ffront-door');
    },
    'sends a browser without a session from the administrators’ pages to sign in, through the admin entry': async ({ httpFunctions }) => {
      const response = await httpFunctions.admin!(apiGatewayEvent({ path: '/admin/agencies' }));
      expect(response.statusCode).toBe(303);
      expect(response.headers?.location).toBe('/signin?returnTo=%2Fadmin%2Fagencies');
    },
    'serves the OpenAPI document and the form start through the public entry': async ({ httpFunctions }) => {
      const publicPages = httpFunctions.public!;
      expect((await publicPages(apiGatewayEvent({ path: '/v1/openapi.json' }))).statusCode).toBe(200);
      expect((await publicPages(apiGatewayEvent({ path: '/refer' }))).statusCode).toBe(200);
    },
    'takes a case opened from a referral it does not hold through the case-opened entry, without failing the message': async ({
      consumers,
    }) => {
      const opened = buildEvent(caseOpenedV1, caseOpenedV1.fixtures[0]!, {
        clock: () => new Date(),
        correlationId: 'c-1',
        causationId: 'e-0',
      });
      expect((await consumers['case-opened']!(sqsEventOf(opened), lambdaContext)).batchItemFailures).toEqual([]);
    },
  },
});
