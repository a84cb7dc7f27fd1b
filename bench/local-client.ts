import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../infra/local/src/dynamodb-local';
import type { LocalCloud } from '../infra/local/src/local-cloud';
import { withoutSdkLogging } from '../shared/src/sdk-client';

/**
 * The bench's own client of the local cloud's DynamoDB Local, built as the platform builds its
 * functions' clients (no SDK logger middleware, ADR 0031): the reads and transactions a ratio's
 * denominator issues "directly" cost what the functions' cost, never more.
 */
export const localDynamoClient = (cloud: Pick<LocalCloud, 'dynamoEndpoint'>): DynamoDBClient =>
  withoutSdkLogging(new DynamoDBClient({ endpoint: cloud.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
