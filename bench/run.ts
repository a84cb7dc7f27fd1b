/**
 * `npm run bench`: every performance bar of QUALITY.md, measured in one run on this machine
 * (ratios where a time is involved), printed as one table (bars.ts) followed by each
 * measurement's detail, and written to bench/results.json (`bars`, then the detail sections).
 *
 * Order: function start-up (its own processes), then one local cloud: the event pipeline (warm),
 * API overhead, page overhead and the burst, with nothing but the platform's own code in the
 * functions; then every function is restarted with FSP_CAPACITY_LOG=1 (shared/src/consumed-capacity.ts)
 * for the storage cost per operation and the cost model's counts, so that reporting capacity
 * weighs on no timed bar.
 *
 * Quick runs: FSP_BENCH_ONLY=burst,storage (any of startup, pipeline, api, pages, burst, storage;
 * the cost model comes with storage) measures those alone; the others are rows "not measured".
 * FSP_BENCH_BURST, FSP_BENCH_RUNS, FSP_BENCH_OVERHEAD_RUNS, FSP_BENCH_PAGE_RUNS, FSP_BENCH_FLOWS set
 * the sizes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { partnerToken, workerToken } from '../infra/local/src/demo-tokens';
import { type LocalCloud, startLocalCloud } from '../infra/local/src/local-cloud';
import { CAPACITY_LOG_ENV } from '../shared/src/consumed-capacity';
import { loadServiceManifests } from '../shared/src/manifest-loader';
import { RATE_LIMIT_ENV } from '../shared/src/rate-limit';
import { usageOf } from './accounting';
import { measureApiOverhead } from './api-overhead';
import { barsOf, describeBars, type Measured } from './bars';
import { BENCH_RATE_LIMIT_PER_MINUTE, type BurstResult, measureBurst } from './burst';
import { captureFunctions, describeStorageCost, measureStorageCost, outboxItemsSince } from './capacity';
import { costModel, describeCostModel, parsePrices, type Usage } from './cost-model';
import { recordInvocations } from './invocations';
import { describePageOverhead, measurePageOverhead } from './page-overhead';
import { workerPagesUnderTest } from './pages-under-test';
import { measurePipeline } from './pipeline';
import { describeStartup, measureStartup } from './startup';
import { TARGETS } from './targets';
import { describeWebLayout, measureWebLayout } from './web-layout';

// The partner API run in this process (the API overhead's and the burst's captured transactions) writes no EMF
// lines over the table; the local cloud's functions are quietened by their WARN log level (ADR 0022).
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const PIPELINE_RUNS = Number(process.env.FSP_BENCH_RUNS ?? 40);
const OVERHEAD_RUNS = Number(process.env.FSP_BENCH_OVERHEAD_RUNS ?? 200);
const PAGE_RUNS = Number(process.env.FSP_BENCH_PAGE_RUNS ?? 100);
const WARM_UP_RUNS = 5;
const PARTS = ['startup', 'pipeline', 'api', 'pages', 'burst', 'storage'] as const;
const only = process.env.FSP_BENCH_ONLY?.split(',').map((part) => part.trim());
const unknownParts = (only ?? []).filter((part) => !(PARTS as readonly string[]).includes(part));
if (unknownParts.length > 0) throw new Error(`FSP_BENCH_ONLY: ${unknownParts.join(', ')} is not one of ${PARTS.join(', ')}`);
const runs = (part: (typeof PARTS)[number]) => !only || only.includes(part);

function describeBurst(burst: BurstResult, usage: Usage | undefined): string {
  const errors = Object.entries(burst.errorsByStatus);
  const perReferral = usage
    ? `\n  per referral in the burst (its consequences included): ${(usage.invocations.reduce((sum, row) => sum + row.invocations, 0) / usage.referrals).toFixed(2)} invocations, ${(usage.events / usage.referrals).toFixed(2)} facts published, ${(usage.queueMessages / usage.referrals).toFixed(2)} queue messages`
    : '';
  return `Burst: ${burst.requests} referrals at concurrency ${burst.concurrency} through the gateway, consumers running (${burst.rateLimit})
  201: ${burst.created}; errors: ${errors.length === 0 ? 'none' : errors.map(([status, count]) => `${status} × ${count}`).join(', ')}
  lost: ${burst.lost.notStored} not stored, ${burst.lost.noInboxItem} without a front-door inbox item; duplicated: ${burst.duplicated}
  throughput: ${burst.throughputPerSecond} 201s/s (first request to last 201, ${burst.firstRequestToLast201Ms} ms); raw DynamoDB Local, intake's own transaction × ${burst.raw.transactions} into its own table at concurrency ${burst.concurrency} (after ${burst.raw.warmUp} untimed): ${burst.raw.transactionsPerSecond}/s (${burst.raw.elapsedMs} ms${burst.raw.failed > 0 ? `, ${burst.raw.failed} failed` : ''}); ratio ${burst.throughputRatio} (target ≥ ${TARGETS.burstThroughputRatio})
  inbox drain: ${burst.drainMs === null ? `not complete ${burst.drainTimeoutMs / 1000} s after the last 201` : `${burst.drainMs} ms after the last 201`} (target ≤ ${TARGETS.burstDrainMs / 1000} s)${perReferral}`;
}

/** Every function's execution environment started and ready, as `npm start` leaves them: no bar times a cold start. */
async function warm(cloud: LocalCloud): Promise<void> {
  const failed = await cloud.runtime.warmAll();
  if (failed.length > 0)
    throw new Error(`functions failed to start: ${failed.map(({ functionId, error }) => `${functionId}: ${error.message}`).join('; ')}`);
}

async function main(): Promise<void> {
  const manifests = await loadServiceManifests();
  const prices = parsePrices(JSON.parse(readFileSync(join(__dirname, 'prices.json'), 'utf8')));
  const measured: Measured = {};
  const details: string[] = [];
  const results: Record<string, unknown> = { measuredAt: new Date().toISOString(), node: process.version };

  if (runs('startup')) {
    const startup = await measureStartup(manifests);
    measured.startup = startup;
    results.startup = startup;
    details.push(describeStartup(startup));
    const webLayout = await measureWebLayout();
    results.webLayout = webLayout;
    details.push(describeWebLayout(webLayout));
  }

  // The bench's burst comes from one agency: see burst.ts on the rate limit. Read by the functions at their start.
  process.env[RATE_LIMIT_ENV] = BENCH_RATE_LIMIT_PER_MINUTE;
  const invocations = recordInvocations();
  // The cloud's own lines only when something failed (a 500 or 503 says why there).
  const cloud = await startLocalCloud({
    manifests,
    functionLogLevel: 'WARN',
    log: (line) => {
      if (line.includes('"level":"ERROR"')) process.stderr.write(`${line}\n`);
    },
  });
  const capture = captureFunctions(invocations.records);
  try {
    await warm(cloud);
    const tokens = { partner: await partnerToken(cloud, 'referrals/submit'), frontDoor: await workerToken(cloud, 'frontdoor') };
    // The first requests start every function's worker thread; AWS's cold starts are measured separately.
    await measurePipeline(cloud, tokens, WARM_UP_RUNS);
    if (runs('pipeline')) {
      measured.pipeline = await measurePipeline(cloud, tokens, PIPELINE_RUNS);
      results.pipeline = measured.pipeline;
      const { submitToInboxMs: ms } = measured.pipeline;
      details.push(
        `Event pipeline, submit → front-door inbox item, warm: median ${ms.median} ms, p95 ${ms.p95} ms (n=${ms.runs}; target p95 ≤ ${TARGETS.pipelineP95Ms} ms)`,
      );
    }
    if (runs('api')) {
      const apiOverhead = await measureApiOverhead(cloud, tokens.partner, OVERHEAD_RUNS);
      measured.apiOverhead = apiOverhead;
      results.apiOverhead = apiOverhead;
      details.push(
        `API overhead, POST /v1/referrals: gateway median ${apiOverhead.gatewayMs.median} ms ÷ direct transaction median ${apiOverhead.directTransactionMs.median} ms = ${apiOverhead.ratio} (n=${apiOverhead.requests}; target ≤ ${TARGETS.apiOverhead})`,
      );
    }
    if (runs('pages')) {
      const pageOverhead = await measurePageOverhead(cloud, await workerPagesUnderTest(cloud, tokens.frontDoor, manifests), PAGE_RUNS);
      measured.pageOverhead = pageOverhead;
      results.pageOverhead = pageOverhead;
      details.push(describePageOverhead(pageOverhead));
    }
    let burstUsage: Usage | undefined;
    if (runs('burst')) {
      await cloud.settled(120_000);
      const since = new Date().toISOString();
      const from = capture.mark();
      const notifications = manifests.find((manifest) => manifest.name === 'notifications');
      const burst = await measureBurst(cloud, {
        partnerToken: tokens.partner,
        frontDoorTeamId: notifications?.environment?.FRONT_DOOR_TEAM_ID ?? 'front-door',
      });
      await cloud.settled(300_000);
      const window = { capacity: [], invocations: capture.invocationsSince(from), httpRequests: burst.requests };
      burstUsage = usageOf({ ...window, events: await outboxItemsSince(cloud, since) }, Math.max(1, burst.created));
      measured.burst = burst;
      results.burst = { ...burst, perReferral: burstUsage };
      details.push(describeBurst(burst, burstUsage));
    }
    if (runs('storage')) {
      // Every function starts again, reporting its capacity (read from the environment at its start).
      process.env[CAPACITY_LOG_ENV] = '1';
      for (const manifest of manifests) for (const fn of manifest.functions) await cloud.runtime.recycle(`${manifest.name}-${fn.name}`);
      await warm(cloud);
      const storageCost = await measureStorageCost(cloud, capture, manifests, tokens.partner);
      measured.storageCost = storageCost;
      results.storageCost = storageCost;
      details.push(describeStorageCost(storageCost));
      const model = costModel(storageCost.usage, prices);
      measured.costModel = model;
      results.costModel = { ...model, usagePerReferral: storageCost.usage, prices: prices.prices };
      details.push(describeCostModel(model));
    }
  } finally {
    capture.close();
    invocations.stop();
    await cloud.stop();
  }

  const bars = barsOf(measured);
  writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify({ bars, ...results }, null, 2)}\n`);
  console.log(`\n${describeBars(bars)}\n\n${details.join('\n\n')}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
