import { resolve } from 'node:path';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@fsp/infra/local/dynamodb-local';
import { toManifestRoutes } from '@fsp/shared/http/handler';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { manifest } from '../service';
import { casesRoutes } from '../src/handlers/api';
import { casesTestRuntime, referralAccepted, type TestTable } from './support';

describe('the cases manifest', () => {
  it('is named after its folder and declares exactly the routes the HTTP function serves', async () => {
    expect(manifest.name).toBe('cases');
    expect(manifest.directory).toBe(resolve(__dirname, '..'));
    const { table, runtime } = await casesTestRuntime(() => new Date());
    try {
      expect(manifest.http?.routes).toEqual(toManifestRoutes(casesRoutes(runtime)));
    } finally {
      await table.drop();
    }
  });
});

describe('the Lambda entry points, loaded as Lambda loads them (environment first)', () => {
  let table: TestTable;
  const saved = { ...process.env };

  beforeAll(async () => {
    table = (await casesTestRuntime(() => new Date())).table;
    Object.assign(process.env, {
      TABLE_NAME: table.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: testDynamoEndpoint(),
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
  });
  afterAll(async () => {
    process.env = saved;
    await table.drop();
  });

  it('opens a case through the subscription entry and shows it through the HTTP entry', async () => {
    let consumer: typeof import('../src/handlers/on-referral-accepted').handler | undefined;
    let http: typeof import('../src/handlers/http').handler | undefined;
    jest.isolateModules(() => {
      consumer = require('../src/handlers/on-referral-accepted').handler;
      http = require('../src/handlers/http').handler;
    });
    const accepted = referralAccepted({ referralId: 'ref-entry-point' });
    expect((await consumer!(sqsEventOf(accepted), lambdaContext)).batchItemFailures).toEqual([]);
    const response = await http!(apiGatewayEvent({ path: '/cases?referralId=ref-entry-point', claims: workerClaims() }));
    expect(response.statusCode).toBe(200);
  });

  it('refuses to start without TABLE_NAME, naming it', () => {
    const tableName = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    try {
      jest.isolateModules(() => {
        expect(() => require('../src/handlers/http')).toThrow(/TABLE_NAME/);
      });
    } finally {
      process.env.TABLE_NAME = tableName;
    }
  });
});
