import { resolve } from 'node:path';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { describeServiceManifest } from '@fsp/shared/testing/manifest';
import { manifest } from '../../service';
import { workerRoutes } from '../../src/http/workers';
import { referralAccepted } from '../support/referral-accepted';

describeServiceManifest({
  manifest,
  serviceDirectory: resolve(__dirname, '../..'),
  routes: workerRoutes,
  entryPointTests: {
    'opens a case through the subscription entry and shows it through the HTTP entry': async ({ http, consumers }) => {
      const accepted = referralAccepted({ referralId: 'ref-entry-point' });
      expect((await consumers['referral-accepted']!(sqsEventOf(accepted), lambdaContext)).batchItemFailures).toEqual([]);
      const response = await http(apiGatewayEvent({ path: '/api/cases?referralId=ref-entry-point', claims: workerClaims() }));
      expect(response.statusCode).toBe(200);
    },
  },
});
