import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTableInput } from '@fsp/shared/table';
// Test support only: the local cloud's own region and credentials, so tests and `npm start` agree.
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@fsp/infra/local/dynamodb-local';

/** The DynamoDB Local that jest's global setup started. */
export function testDynamoEndpoint(): string {
  const endpoint = process.env.FSP_TEST_DYNAMODB_ENDPOINT;
  if (!endpoint)
    throw new Error('FSP_TEST_DYNAMODB_ENDPOINT is not set: run tests through `npm test` (jest global setup starts DynamoDB Local)');
  return endpoint;
}

export function testDynamoClient(): DynamoDBClient {
  return new DynamoDBClient({ endpoint: testDynamoEndpoint(), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

/** A fresh table with the platform's definition and a unique name; delete it with the returned function. */
export async function createTestTable(label = 'test'): Promise<{
  tableName: string;
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  drop(): Promise<void>;
}> {
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
