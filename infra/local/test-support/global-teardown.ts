import type { DynamoDbLocal } from '../src/dynamodb-local';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __fspDynamo?: DynamoDbLocal }).__fspDynamo?.stop();
}
