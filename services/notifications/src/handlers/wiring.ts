/**
 * What every notifications function builds once per cold start and reuses across invocations:
 * configuration, the DynamoDB clients (endpoint and region from the standard AWS variables) and the store.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createLogger } from '@fsp/shared/observability/logger';
import { createDocumentClient } from '@fsp/shared/runtime';
import { createInboxStore } from '../store/inbox-store';
import { notificationsConfig } from './config';

export const SERVICE_NAME = 'notifications';

export function wireNotifications() {
  const config = notificationsConfig();
  const dynamoClient = new DynamoDBClient({});
  const store = createInboxStore(createDocumentClient(dynamoClient), config.tableName);
  return { config, dynamoClient, store, logger: createLogger(SERVICE_NAME) };
}
