/**
 * What the supervision functions run with. Entry points build it from the platform's environment once
 * per cold start; tests build it around a DynamoDB Local table and a fixed clock.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLogger, type Logger } from '@fsp/shared/observability/logger';
import { createDocumentClient, platformConfig } from '@fsp/shared/runtime';
import { type Clock, systemClock } from '@fsp/shared/time/clock';

export const SERVICE_NAME = 'supervision';

export interface SupervisionRuntime {
  tableName: string;
  /** The low-level client, for the consumer's idempotency records. */
  dynamo: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  clock: Clock;
  logger: Logger;
}

export function runtimeFromEnvironment(): SupervisionRuntime {
  const { tableName } = platformConfig();
  const dynamo = new DynamoDBClient({});
  return { tableName, dynamo, documents: createDocumentClient(dynamo), clock: systemClock, logger: createLogger(SERVICE_NAME) };
}
