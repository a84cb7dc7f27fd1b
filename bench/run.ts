/**
 * `npm run bench`: the performance bars of QUALITY.md that exist so far, measured in one run on
 * this machine (ratios where a time is involved), printed and written to bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { partnerToken, workerToken } from '../infra/local/src/demo-tokens';
import { startLocalCloud } from '../infra/local/src/local-cloud';
import { loadServiceManifests } from '../infra/local/src/manifests';
import { measurePipeline } from './pipeline';

const PIPELINE_RUNS = Number(process.env.FSP_BENCH_RUNS ?? 40);
const WARM_UP_RUNS = 5;

async function main(): Promise<void> {
  const cloud = await startLocalCloud({ manifests: await loadServiceManifests(), functionLogLevel: 'WARN', log: () => {} });
  try {
    const tokens = { partner: await partnerToken(cloud, 'referrals/submit'), frontDoor: await workerToken(cloud, 'frontdoor') };
    // The first requests start every function's worker thread; AWS's cold starts are measured separately.
    await measurePipeline(cloud, tokens, WARM_UP_RUNS);
    const pipeline = await measurePipeline(cloud, tokens, PIPELINE_RUNS);
    const results = { measuredAt: new Date().toISOString(), node: process.version, pipeline };
    writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    const { submitToInboxMs: ms } = pipeline;
    console.log(`
bar                                   measured                                   target
event pipeline (submit → inbox item)  median ${ms.median} ms, p95 ${ms.p95} ms (n=${ms.runs})   p95 ≤ 1000 ms  ${pipeline.meetsTarget ? 'met' : 'NOT MET'}
`);
  } finally {
    await cloud.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
