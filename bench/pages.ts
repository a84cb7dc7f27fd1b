/**
 * `npx tsx bench/pages.ts`: the page overhead bar alone (page-overhead.ts), on a fresh local cloud
 * with two referrals (one decided, opening a case) and their inbox items, without the rest of
 * `npm run bench`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { partnerToken, workerToken } from '../infra/local/src/demo-tokens';
import { startLocalCloud } from '../infra/local/src/local-cloud';
import { loadServiceManifests } from '../shared/src/manifest-loader';
import { describePageOverhead, measurePageOverhead } from './page-overhead';
import { workerPagesUnderTest } from './pages-under-test';

const RUNS = Number(process.env.FSP_BENCH_PAGE_RUNS ?? 100);

async function main(): Promise<void> {
  const manifests = await loadServiceManifests();
  const cloud = await startLocalCloud({ manifests, functionLogLevel: 'WARN', log: () => {} });
  try {
    // Two: the newest is decided to open a case (pages-under-test.ts), the other stays in the queue.
    for (const copy of [1, 2]) {
      const submitted = await fetch(`${cloud.url}/v1/referrals`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await partnerToken(cloud, 'referrals/submit')}`,
          'content-type': 'application/json',
          'idempotency-key': `bench-pages-${Date.now()}-${copy}`,
        },
        body: readFileSync(join(__dirname, '../docs/examples/referral.json'), 'utf8'),
      });
      if (submitted.status !== 201) throw new Error(`POST /v1/referrals answered ${submitted.status}`);
    }
    const pages = await workerPagesUnderTest(cloud, await workerToken(cloud, 'frontdoor'), manifests);
    console.log(describePageOverhead(await measurePageOverhead(cloud, pages, RUNS)));
  } finally {
    await cloud.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
