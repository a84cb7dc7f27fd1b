/**
 * `npm run bench`: the performance bars of QUALITY.md that exist so far, measured in one run on
 * this machine (ratios where a time is involved), printed and written to bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { partnerToken, workerToken } from '../infra/local/src/demo-tokens';
import { startLocalCloud } from '../infra/local/src/local-cloud';
import { loadServiceManifests } from '../shared/src/manifest-loader';
import { measureApiOverhead } from './api-overhead';
import { describePageOverhead, measurePageOverhead } from './page-overhead';
import { workerPagesUnderTest } from './pages-under-test';
import { measurePipeline } from './pipeline';
import { measureStartup, RATIO_TARGET, SIZE_LIMIT_BYTES } from './startup';
import { describeWebLayout, measureWebLayout } from './web-layout';

const PIPELINE_RUNS = Number(process.env.FSP_BENCH_RUNS ?? 40);
const OVERHEAD_RUNS = Number(process.env.FSP_BENCH_OVERHEAD_RUNS ?? 200);
const PAGE_RUNS = Number(process.env.FSP_BENCH_PAGE_RUNS ?? 100);
const WARM_UP_RUNS = 5;

async function main(): Promise<void> {
  const manifests = await loadServiceManifests();
  const startup = await measureStartup(manifests);
  const webLayout = await measureWebLayout();
  const cloud = await startLocalCloud({ manifests, functionLogLevel: 'WARN', log: () => {} });
  try {
    const tokens = { partner: await partnerToken(cloud, 'referrals/submit'), frontDoor: await workerToken(cloud, 'frontdoor') };
    // The first requests start every function's worker thread; AWS's cold starts are measured separately.
    await measurePipeline(cloud, tokens, WARM_UP_RUNS);
    const pipeline = await measurePipeline(cloud, tokens, PIPELINE_RUNS);
    const apiOverhead = await measureApiOverhead(cloud, tokens.partner, OVERHEAD_RUNS);
    const pageOverhead = await measurePageOverhead(cloud, await workerPagesUnderTest(cloud, tokens.frontDoor, manifests), PAGE_RUNS);
    const results = {
      measuredAt: new Date().toISOString(),
      node: process.version,
      startup,
      webLayout,
      apiOverhead,
      pageOverhead,
      pipeline,
    };
    writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    const { submitToInboxMs: ms } = pipeline;
    const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');
    const startupRows = startup.map(
      (row) =>
        `  ${row.function.padEnd(40)} ${`${(row.bundleBytes / 1024).toFixed(0)} KB`.padStart(8)}  ${`${row.loadMs.median} ms`.padStart(9)}  ${`${row.sdkOnlyLoadMs.median} ms`.padStart(9)}  ${String(row.ratio).padStart(5)}  ${met(row.ratio <= RATIO_TARGET && row.bundleBytes < SIZE_LIMIT_BYTES).padEnd(7)}  ${`${row.librariesOnlyLoadMs.median} ms`.padStart(9)}  ${String(row.librariesRatio).padStart(9)}  ${String(row.ownCodeRatio).padStart(8)}`,
    );
    console.log(`
Function start-up (median of ${startup[0]?.loadMs.runs ?? 0} loads in a fresh Node ${process.version}) and bundle size; targets: ratio ≤ ${RATIO_TARGET}, < 1 MB
"libraries only" is the function's SDK clients plus the mandated libraries it holds (zod, middy, Powertools), used minimally:
"libraries" = libraries only ÷ SDK only, what those libraries cost by themselves; "own code" = load ÷ libraries only (ADR 0009).
  ${'function'.padEnd(40)} ${'bundle'.padStart(8)}  ${'load'.padStart(9)}  ${'SDK only'.padStart(9)}  ${'ratio'.padStart(5)}  ${''.padEnd(7)}  ${'libs only'.padStart(9)}  ${'libraries'.padStart(9)}  ${'own code'.padStart(8)}
${startupRows.join('\n')}

${describeWebLayout(webLayout)}

${describePageOverhead(pageOverhead)}

API overhead, POST /v1/referrals: gateway median ${apiOverhead.gatewayMs.median} ms ÷ direct transaction median ${apiOverhead.directTransactionMs.median} ms = ${apiOverhead.ratio} (n=${apiOverhead.requests}; target ≤ 1.5) ${met(apiOverhead.meetsTarget)}
Event pipeline, submit → front door inbox item: median ${ms.median} ms, p95 ${ms.p95} ms (n=${ms.runs}; target p95 ≤ 1000 ms) ${met(pipeline.meetsTarget)}
`);
  } finally {
    await cloud.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
