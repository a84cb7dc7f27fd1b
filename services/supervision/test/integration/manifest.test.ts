import { resolve } from 'node:path';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { describeServiceManifest } from '@fsp/shared/testing/manifest';
import { manifest } from '../../service';
import { workerRoutes } from '../../src/http/workers';
import { caseAllocated, caseOpened } from '../support/events';
import { supervisionPageRoutes } from '../support/pages';

// The platform sets STAGE for every function (the page function's phase banner reads it at cold start),
// and USER_POOL_ID for those that read the directory (the HTTP and page functions: workers' names).
process.env.STAGE = 'local';
process.env.USER_POOL_ID = 'eu-west-2_entrytest';

describeServiceManifest({
  manifest,
  serviceDirectory: resolve(__dirname, '../..'),
  routes: { http: workerRoutes, pages: supervisionPageRoutes },
  entryPointTests: {
    'keeps the case and schedules through the subscription entries, and shows it through the HTTP entry': async ({ http, consumers }) => {
      const opened = caseOpened({ caseId: 'case-entry-point' });
      expect((await consumers['case-opened']!(sqsEventOf(opened), lambdaContext)).batchItemFailures).toEqual([]);
      const allocated = caseAllocated({ caseId: 'case-entry-point' });
      expect((await consumers['case-allocated']!(sqsEventOf(allocated), lambdaContext)).batchItemFailures).toEqual([]);
      const response = await http(apiGatewayEvent({ path: '/api/supervision/cases/case-entry-point', claims: workerClaims() }));
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body!).supervisions).toHaveLength(1);
    },
  },
});
