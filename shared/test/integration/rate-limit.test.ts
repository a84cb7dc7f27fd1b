/** The per-agency limiter on DynamoDB Local: sharded counters never allow more than the limit, and one agency never spends another's. */
import { createRateLimitStore, RateLimited } from '@fsp/shared/rate-limit';
import { createTestTable, type TestTable } from '@fsp/shared/testing/dynamodb';

let table: TestTable;
const now = new Date('2026-11-23T09:15:20Z');

beforeEach(async () => {
  table = await createTestTable('rate-limit');
});
afterEach(async () => {
  await table.drop();
});

async function allowedOf(consume: () => Promise<void>, attempts: number): Promise<number> {
  let allowed = 0;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      await consume();
      allowed += 1;
    } catch (error) {
      if (!(error instanceof RateLimited)) throw error;
      expect(error.retryAfterSeconds).toBe(40); // the window began at 09:15:00
    }
  }
  return allowed;
}

it('allows exactly the limit in a window when every shard is drawn, and refuses the rest with the time to the next window', async () => {
  let next = 0;
  const roundRobin = (shards: number) => next++ % shards;
  // 4 shards of 100.
  const limiter = createRateLimitStore(table.documentClient, table.tableName, { perMinute: 400 }, roundRobin);
  expect(await allowedOf(() => limiter.consume('agency-a', now), 410)).toBe(400);
  // Another agency has its own counters.
  expect(await allowedOf(() => limiter.consume('agency-b', now), 5)).toBe(5);
  // The next window starts afresh.
  expect(await allowedOf(() => limiter.consume('agency-a', new Date('2026-11-23T09:16:00Z')), 1)).toBe(1);
});

it('never allows more than the limit to concurrent requests', async () => {
  const limiter = createRateLimitStore(table.documentClient, table.tableName, { perMinute: 13 });
  const results = await Promise.allSettled(Array.from({ length: 40 }, () => limiter.consume('agency-a', now)));
  const refused = results.filter((result) => result.status === 'rejected');
  expect(refused.every((result) => result.reason instanceof RateLimited)).toBe(true);
  expect(results.length - refused.length).toBe(13); // a limit under 200 is one shard: exact
});
