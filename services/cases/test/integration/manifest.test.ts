import { resolve } from 'node:path';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { describeServiceManifest } from '@fsp/shared/testing/manifest';
import { manifest } from '../../service';
import { lazyWorkerRoutes } from '../../src/http/api-groups';
import { lazyCasePageRoutes } from '../../src/http/page-groups';
import { createCasesRenderer } from '../../src/web/pages';
import { referralAccepted } from '../support/referral-accepted';

// The platform sets STAGE for every function (the page function's phase banner reads it at cold start),
// and USER_POOL_ID for those that read the directory (both cases functions: allocation needs the team).
process.env.STAGE = 'local';
process.env.USER_POOL_ID = 'eu-west-2_entrytest';

describeServiceManifest({
  manifest,
  serviceDirectory: resolve(__dirname, '../..'),
  routes: { http: lazyWorkerRoutes, pages: (runtime) => lazyCasePageRoutes(runtime, createCasesRenderer('local')) },
  entryPointTests: {
    'opens a case through the subscription entry and shows it through the HTTP entry': async ({ http, consumers }) => {
      const accepted = referralAccepted({ referralId: 'ref-entry-point' });
      expect((await consumers['referral-accepted']!(sqsEventOf(accepted), lambdaContext)).batchItemFailures).toEqual([]);
      const response = await http(apiGatewayEvent({ path: '/api/cases?referralId=ref-entry-point', claims: workerClaims() }));
      expect(response.statusCode).toBe(200);
    },
  },
});
