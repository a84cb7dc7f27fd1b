import { startDynamoDbLocal } from '../src/dynamodb-local';

/**
 * One in-memory DynamoDB Local for the whole test run (Java start-up is the slow part); every
 * test creates its own uniquely named tables, so suites never see each other's data.
 */
export default async function globalSetup(): Promise<void> {
  const dynamo = await startDynamoDbLocal();
  process.env.FSP_TEST_DYNAMODB_ENDPOINT = dynamo.endpoint;
  (globalThis as { __fspDynamo?: typeof dynamo }).__fspDynamo = dynamo;
}
