import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
// Test support only: the local cloud's own region and credentials, so tests and `npm start` agree.
import { type DynamoDbLocal, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '@fsp/infra/local/dynamodb-local';
import { createTableInput } from '@fsp/shared/table';

/** The DynamoDB Local that jest's global setup started. */
export function testDynamoEndpoint(): string {
  const endpoint = process.env.FSP_TEST_DYNAMODB_ENDPOINT;
  if (!endpoint)
    throw new Error('FSP_TEST_DYNAMODB_ENDPOINT is not set: run tests through `npm test` (jest global setup starts DynamoDB Local)');
  return endpoint;
}

/**
 * For a test file that writes tens of thousands of items (the 10,000-payload property tests): a
 * DynamoDB Local of its own, so that it is neither slowed by what earlier suites left in the shared
 * one nor leaves it slower for later suites (DynamoDB Local does not get its speed back when tables
 * are deleted). Call at the top of the file, before the hooks that create tables; call `stop` last
 * in the file's own afterAll.
 */
export function ownDynamoDbLocal(): { stop(): Promise<void> } {
  let own: DynamoDbLocal | undefined;
  let shared: string | undefined;
  beforeAll(async () => {
    own = await startDynamoDbLocal();
    shared = process.env.FSP_TEST_DYNAMODB_ENDPOINT;
    process.env.FSP_TEST_DYNAMODB_ENDPOINT = own.endpoint;
  }, 60_000);
  return {
    async stop() {
      if (shared !== undefined) process.env.FSP_TEST_DYNAMODB_ENDPOINT = shared;
      await own?.stop();
    },
  };
}

export function testDynamoClient(): DynamoDBClient {
  return new DynamoDBClient({ endpoint: testDynamoEndpoint(), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

export interface TestTable {
  tableName: string;
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  drop(): Promise<void>;
}

/**
 * The environment a function deployed by the platform finds, pointed at `tableName` in the test
 * DynamoDB Local: set it before loading an entry point, which reads it at module load.
 */
export const lambdaEnvironment = (tableName: string): Record<string, string> => ({
  TABLE_NAME: tableName,
  AWS_ENDPOINT_URL_DYNAMODB: testDynamoEndpoint(),
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});

/** A fresh table with the platform's definition and a unique name; delete it with the returned function. */
export async function createTestTable(label = 'test'): Promise<TestTable> {
  const client = testDynamoClient();
  const tableName = `${label}-${randomUUID().slice(0, 8)}`;
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  return {
    tableName,
    client,
    documentClient: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
}

/** Test-only: every item in the table. Request paths never scan; a test may, to see everything that was written. */
export async function allItems(table: Pick<TestTable, 'documentClient' | 'tableName'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.documentClient.send(
      new ScanCommand({ TableName: table.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Test-only: every item whose `kind` attribute is `kind`. */
export const itemsOfKind = async (table: TestTable, kind: string): Promise<Record<string, unknown>[]> =>
  (await allItems(table)).filter((item) => item.kind === kind);
