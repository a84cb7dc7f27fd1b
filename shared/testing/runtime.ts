import type { ServiceRuntime } from '@fsp/shared/runtime';
import { type Clock, systemClock } from '@fsp/shared/time/clock';
import { capturingLogger } from './api-gateway-event';
import { createTestTable, type TestTable } from './dynamodb';

/**
 * A service's runtime around a fresh DynamoDB Local table (drop it with `table.drop()`): what
 * `serviceRuntimeFromEnvironment` gives a deployed function, with the test's clock and a logger
 * whose lines land in `logLines`.
 */
export async function createTestRuntime(
  serviceName: string,
  clock: Clock = systemClock,
): Promise<{ table: TestTable; runtime: ServiceRuntime; logLines: Record<string, unknown>[] }> {
  const table = await createTestTable(serviceName);
  const { logger, lines } = capturingLogger();
  return {
    table,
    runtime: { serviceName, tableName: table.tableName, dynamo: table.client, documents: table.documentClient, clock, logger },
    logLines: lines,
  };
}
