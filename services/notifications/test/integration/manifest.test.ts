import { resolve } from 'node:path';
import { agencyOnboardedV1, referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import { oidcClient } from '@fsp/shared/http/oidc-client';
import { pageSessions } from '@fsp/shared/http/page-session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, partnerClaims, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { describeServiceManifest } from '@fsp/shared/testing/manifest';
import { manifest } from '../../service';
import { lazyNotificationsRoutes } from '../../src/http/api-groups';
import { lazyNotificationsPageRoutes } from '../../src/http/page-groups';
import { createNotificationsRenderer } from '../../src/web/pages';
import { factOf } from '../support/facts';

// The platform sets STAGE for every function (the page function's phase banner reads it at cold start),
// and USER_POOL_ID for those that read the directory (the escalations to a team's managers).
process.env.STAGE = 'local';
process.env.USER_POOL_ID = 'eu-west-2_entrytest';

/** The pages as src/entries/pages.ts composes them, loaded by group: the manifest check loads every group. */
const lazyPageRoutes = (runtime: ServiceRuntime) => {
  const renderer = createNotificationsRenderer('local');
  return lazyNotificationsPageRoutes(runtime, renderer, { pages: pageSessions({ errorPages: renderer }), oidc: oidcClient() });
};

const frontDoorWorker = workerClaims({ 'cognito:groups': '[front-door]', 'custom:team': 'front-door' });

describeServiceManifest({
  manifest,
  serviceDirectory: resolve(__dirname, '../..'),
  routes: { http: lazyNotificationsRoutes, pages: lazyPageRoutes },
  entryPointTests: {
    'tells the front door of a new referral through the subscription entry, and shows it through the HTTP entry': async ({
      http,
      consumers,
    }) => {
      const submitted = factOf(referralSubmittedV1, { ...referralSubmittedV1.fixtures[0]!, reference: 'FSP-ENTRY-1' });
      expect((await consumers['referral-submitted']!(sqsEventOf(submitted), lambdaContext)).batchItemFailures).toEqual([]);
      const inbox = await http(apiGatewayEvent({ path: '/api/inbox', claims: frontDoorWorker }));
      expect(inbox.statusCode).toBe(200);
      expect(inbox.body).toContain('FSP-ENTRY-1');
    },
    'registers an onboarded agency’s webhook through the HTTP entry (the partner routes are composed in)': async ({ http, consumers }) => {
      const onboarded = factOf(agencyOnboardedV1, {
        ...agencyOnboardedV1.fixtures[0]!,
        agencyId: 'agency-entry',
        clientId: 'client-entry',
      });
      expect((await consumers['agency-onboarded']!(sqsEventOf(onboarded), lambdaContext)).batchItemFailures).toEqual([]);
      const response = await http(
        apiGatewayEvent({
          method: 'PUT',
          path: '/v1/agencies/me/webhook',
          body: { url: 'https://hooks.agency.example.org/fsp' },
          claims: partnerClaims({ client_id: 'client-entry', scope: 'referrals/read' }),
        }),
      );
      expect(response.statusCode).toBe(201);
    },
    'answers the $default route through the pages entry: a page for an address no service has, a problem under /api and /v1': async ({
      httpFunctions,
    }) => {
      const pages = httpFunctions.pages!;
      const page = await pages(apiGatewayEvent({ path: '/front-door/xyz' }));
      expect({ status: page.statusCode, type: page.headers?.['content-type'] }).toEqual({ status: 404, type: 'text/html; charset=utf-8' });
      expect(page.body).toContain('<h1 class="govuk-heading-l">Page not found</h1>');
      for (const path of ['/api/x', '/v1/x']) {
        const problem = await pages(apiGatewayEvent({ path }));
        expect({ path, status: problem.statusCode, type: problem.headers?.['content-type'] }).toEqual({
          path,
          status: 404,
          type: 'application/problem+json',
        });
      }
    },
    'lists webhook deliveries through the HTTP entry for an administrator, and refuses the front door': async ({ http }) => {
      const path = '/api/admin/webhook-deliveries?status=dead';
      const administrator = workerClaims({ 'cognito:groups': '[administrator]', 'custom:team': 'platform' });
      expect((await http(apiGatewayEvent({ path, claims: administrator }))).statusCode).toBe(200);
      expect((await http(apiGatewayEvent({ path, claims: frontDoorWorker }))).statusCode).toBe(403);
    },
  },
});
