import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@fsp/infra/local/dynamodb-local';
import { withoutSdkLogging } from '@fsp/shared/sdk-client';
import { createTestTable, type TestTable, testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable('sdk-client');
});
afterAll(async () => {
  await table.drop();
});

/** A client like the tests' own, with a logger that records what the SDK's logger middleware hands it. */
function clientWithLogger() {
  const logged: unknown[] = [];
  const record = (entry: unknown) => logged.push(entry);
  const client = new DynamoDBClient({
    endpoint: testDynamoEndpoint(),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    logger: { trace: () => {}, debug: () => {}, info: record, warn: () => {}, error: record },
  });
  return { client, logged };
}

describe('withoutSdkLogging', () => {
  it("takes the SDK's logger middleware out: nothing is built for a logger after a call, or after a failed one", async () => {
    const plain = clientWithLogger();
    await plain.client.send(new ListTablesCommand({}));
    // The middleware is there to begin with, under the name the helper removes.
    expect(plain.logged).toEqual([expect.objectContaining({ commandName: 'ListTablesCommand', input: {} })]);

    const quiet = clientWithLogger();
    withoutSdkLogging(quiet.client);
    await quiet.client.send(new ListTablesCommand({}));
    await expect(quiet.client.send(new ListTablesCommand({ Limit: 0 }))).rejects.toThrow();
    expect(quiet.logged).toEqual([]);
  });

  it('holds for a document client made from the client: they share one middleware stack', async () => {
    const quiet = clientWithLogger();
    const documents = DynamoDBDocumentClient.from(withoutSdkLogging(quiet.client));
    const { Item } = await documents.send(new GetCommand({ TableName: table.tableName, Key: { pk: 'NONE', sk: 'NONE' } }));
    expect(Item).toBeUndefined();
    expect(quiet.logged).toEqual([]);
  });
});
