/**
 * What every function reads from the environment the platform gives it (CDK in AWS, the local
 * cloud on a laptop), validated once at start-up so a wiring mistake fails the cold start with the
 * variable named, not the first request with `undefined`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { reportConsumedCapacity } from './consumed-capacity';
import { ConfigurationError, readEnvironment, variable } from './environment';
import { PLATFORM_ENV } from './manifest';
import { createLogger, type Logger } from './observability/logger';
import { withoutSdkLogging } from './sdk-client';
import { type Clock, systemClock } from './time/clock';

const nonEmpty = z.string().check(z.minLength(1));

export interface PlatformConfig {
  tableName: string;
  stage: string;
}

export { ConfigurationError };

export function platformConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const values = readEnvironment(
    {
      [PLATFORM_ENV.tableName]: variable(nonEmpty, "the service's table name, set by the platform (CDK or the local cloud)"),
      [PLATFORM_ENV.stage]: variable(z.optional(nonEmpty), 'the stage name, set by the platform'),
    },
    env,
  );
  return { tableName: values[PLATFORM_ENV.tableName] as string, stage: (values[PLATFORM_ENV.stage] as string | undefined) ?? 'local' };
}

/**
 * One client per function environment, reused across invocations; endpoint and region come from
 * the standard AWS variables. `FSP_CAPACITY_LOG=1` (the bench only; off by default) reports each
 * command's consumed capacity (consumed-capacity.ts).
 */
export function createDocumentClient(
  client: DynamoDBClient = withoutSdkLogging(new DynamoDBClient({})),
  env: NodeJS.ProcessEnv = process.env,
): DynamoDBDocumentClient {
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  reportConsumedCapacity(documents, env);
  return documents;
}

/**
 * What every function of a service runs with, the same in all four services. Entry points build
 * it once per cold start with `serviceRuntimeFromEnvironment`; tests build it around a DynamoDB
 * Local table and a fixed clock (`createTestRuntime` in shared/testing/runtime). Configuration a
 * single service adds (notifications' FRONT_DOOR_TEAM_ID) stays in that service.
 */
export interface ServiceRuntime {
  /** The manifest name (`cases`): names the logger and the consumers' idempotency records. */
  serviceName: string;
  tableName: string;
  /** The low-level client, for the consumers' idempotency records. */
  dynamo: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  clock: Clock;
  logger: Logger;
}

/**
 * The runtime of a function deployed by the platform: table name from its environment (throws a
 * ConfigurationError naming TABLE_NAME when it is missing), clients whose endpoint and region come
 * from the standard AWS variables, the system clock and the service's logger.
 */
export function serviceRuntimeFromEnvironment(serviceName: string, env: NodeJS.ProcessEnv = process.env): ServiceRuntime {
  const { tableName } = platformConfig(env);
  const dynamo = withoutSdkLogging(new DynamoDBClient({}));
  return {
    serviceName,
    tableName,
    dynamo,
    documents: createDocumentClient(dynamo, env),
    clock: systemClock,
    logger: createLogger(serviceName),
  };
}
