/**
 * QUALITY.md's performance table as rows: each bar with the figure measured, its unit, its target
 * and whether it is met. Pure: the measurements come in, the rows go out (bench/results.json's
 * `bars`, and the table `npm run bench` prints first). A bar whose measurement did not run (a
 * quick run that left it out, or a measurement that failed) is a row too: not measured, NOT MET.
 */
import type { BurstResult } from './burst';
import type { StorageCostResult } from './capacity';
import type { CostModel } from './cost-model';
import type { PageOverheadRow } from './page-overhead';
import type { PipelineResult } from './pipeline';
import type { StartupRow } from './startup';

import { TARGETS } from './targets';

export { TARGETS };

/** The worker pages QUALITY.md names (pages-under-test.ts labels); the bench measures others beside them. */
export const NAMED_PAGES = ['front door queue', 'a case', 'caseload (social worker)', 'supervision agenda', 'inbox'] as const;

export interface Bar {
  bar: string;
  /** null: not measured. */
  figure: number | null;
  unit: string;
  target: string;
  met: boolean;
  detail: string;
}

export interface Measured {
  startup?: readonly StartupRow[];
  apiOverhead?: { ratio: number; gatewayMs: { median: number }; directTransactionMs: { median: number }; requests: number };
  pageOverhead?: readonly PageOverheadRow[];
  pipeline?: PipelineResult;
  burst?: BurstResult;
  storageCost?: StorageCostResult;
  costModel?: CostModel;
}

const notMeasured = (bar: string, unit: string, target: string, why = 'not measured in this run'): Bar => ({
  bar,
  figure: null,
  unit,
  target,
  met: false,
  detail: why,
});

const worst = <T>(rows: readonly T[], value: (row: T) => number): T =>
  rows.reduce((found, row) => (value(row) > value(found) ? row : found));

/** The own-code bar's detail with the run's A/A spread (bench/startup.ts): how far the machine alone moved a ratio. */
function withNoise<T extends { detail: string }>(bar: T, rows: readonly StartupRow[]): T {
  const ratios = rows.map((row) => row.sameBundleRatio);
  return { ...bar, detail: `${bar.detail}; the same bundle against itself measured ${Math.min(...ratios)} to ${Math.max(...ratios)}` };
}

function startupBars(rows: readonly StartupRow[] | undefined): Bar[] {
  const own = { bar: 'function start-up, own code', unit: '× libraries only', target: `≤ ${TARGETS.startupOwnCode}` };
  const total = { bar: 'function start-up, total', unit: '× SDK only', target: `≤ ${TARGETS.startupTotal}` };
  const size = { bar: 'bundle size', unit: 'KB', target: '< 1024 KB each' };
  if (!rows || rows.length === 0) return [own, total, size].map((bar) => notMeasured(bar.bar, bar.unit, bar.target));
  const summary = (value: (row: StartupRow) => number, limit: number) => {
    const highest = worst(rows, value);
    const failing = rows.filter((row) => value(row) > limit).map((row) => row.function);
    return {
      figure: value(highest),
      met: failing.length === 0,
      detail: `highest of ${rows.length} functions: ${highest.function}${failing.length > 0 ? `; above target: ${failing.join(', ')}` : '; every function within target'}`,
    };
  };
  const bigOnes = rows.filter((row) => row.bundleBytes >= TARGETS.bundleBytes).map((row) => row.function);
  const biggest = worst(rows, (row) => row.bundleBytes);
  return [
    {
      ...own,
      ...withNoise(
        summary((row) => row.ownCodeRatio, TARGETS.startupOwnCode),
        rows,
      ),
    },
    { ...total, ...summary((row) => row.ratio, TARGETS.startupTotal) },
    {
      ...size,
      figure: Math.round(biggest.bundleBytes / 1024),
      met: bigOnes.length === 0,
      detail: `largest of ${rows.length}: ${biggest.function}${bigOnes.length > 0 ? `; 1 MB or more: ${bigOnes.join(', ')}` : ''}`,
    },
  ];
}

function pageBars(rows: readonly PageOverheadRow[] | undefined): Bar[] {
  const target = `≤ ${TARGETS.pageOverhead}`;
  if (!rows || rows.length === 0)
    return [notMeasured('page overhead', '× its reads', target), notMeasured('page HTML size', 'KB', '≤ 60 KB')];
  const missing = NAMED_PAGES.filter((label) => !rows.some((row) => row.label === label));
  const named = (label: string) => (NAMED_PAGES as readonly string[]).includes(label);
  const overhead: Bar[] = rows.map((row) => ({
    bar: `page overhead: ${row.label}${named(row.label) ? '' : ' (beyond QUALITY.md’s list)'}`,
    figure: row.ratio,
    unit: '× its reads',
    target,
    met: row.ratio <= TARGETS.pageOverhead,
    detail: `${row.path}: gateway median ${row.gatewayMs.median} ms ÷ its ${row.reads} reads issued directly ${row.directReadsMs.median} ms (n=${row.requests}); ${row.writes} writes`,
  }));
  const largest = worst(rows, (row) => row.htmlBytes);
  const tooLarge = rows.filter((row) => row.htmlBytes > TARGETS.pageHtmlBytes).map((row) => row.label);
  return [
    ...overhead,
    ...missing.map((label) =>
      notMeasured(`page overhead: ${label}`, '× its reads', target, 'QUALITY.md names this page; the bench did not measure it'),
    ),
    {
      bar: 'page HTML size',
      figure: Math.round((largest.htmlBytes / 1024) * 10) / 10,
      unit: 'KB',
      target: '≤ 60 KB each',
      met: tooLarge.length === 0,
      detail: `largest of ${rows.length} pages: ${largest.label}${tooLarge.length > 0 ? `; above 60 KB: ${tooLarge.join(', ')}` : ''}`,
    },
  ];
}

function burstBars(burst: BurstResult | undefined): Bar[] {
  const rows = [
    { bar: 'burst: errors', unit: 'responses', target: '0' },
    { bar: 'burst: lost', unit: 'referrals', target: '0' },
    { bar: 'burst: duplicated', unit: 'referrals', target: '0' },
    { bar: 'burst: throughput', unit: '× raw DynamoDB Local', target: `≥ ${TARGETS.burstThroughputRatio}` },
    { bar: 'burst: inbox drain', unit: 's after the last 201', target: `≤ ${TARGETS.burstDrainMs / 1000}` },
  ];
  if (!burst) return rows.map((row) => notMeasured(row.bar, row.unit, row.target));
  const errors = Object.values(burst.errorsByStatus).reduce((sum, count) => sum + count, 0);
  const statuses = Object.entries(burst.errorsByStatus)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  const [errorRow, lostRow, duplicatedRow, throughputRow, drainRow] = rows as [Bar, Bar, Bar, Bar, Bar];
  const drainSeconds = burst.drainMs === null ? null : Math.round(burst.drainMs / 100) / 10;
  return [
    {
      ...errorRow,
      figure: errors,
      met: errors === 0,
      detail: `${burst.created} of ${burst.requests} answered 201${errors > 0 ? `; ${statuses}` : ''}`,
    },
    {
      ...lostRow,
      figure: burst.lost.notStored + burst.lost.noInboxItem,
      met: burst.lost.notStored + burst.lost.noInboxItem === 0,
      detail: `not stored: ${burst.lost.notStored}; no front-door inbox item: ${burst.lost.noInboxItem}`,
    },
    {
      ...duplicatedRow,
      figure: burst.duplicated,
      met: burst.duplicated === 0,
      detail: 'referrals with more than one front-door inbox item',
    },
    {
      ...throughputRow,
      figure: burst.throughputRatio,
      // A raw run with failed transactions is no baseline: its rate is not that of comparable work.
      met: burst.raw.failed === 0 && burst.throughputRatio >= TARGETS.burstThroughputRatio,
      detail: `${burst.throughputPerSecond} 201s/s through the gateway ÷ ${burst.raw.transactionsPerSecond} transactions/s issued directly (${burst.raw.transactions} at concurrency ${burst.concurrency}${burst.raw.failed > 0 ? `; ${burst.raw.failed} failed, so no baseline` : ''})`,
    },
    {
      ...drainRow,
      figure: drainSeconds,
      met: burst.drainMs !== null && burst.drainMs <= TARGETS.burstDrainMs,
      detail:
        burst.drainMs === null
          ? `not every inbox item appeared within ${burst.drainTimeoutMs / 1000} s of the last 201`
          : 'from the last 201 until every created referral’s front-door inbox item was stored',
    },
  ];
}

function storageBars(storage: StorageCostResult | undefined): Bar[] {
  if (!storage) return [notMeasured('storage cost', 'RRU + WRU', 'printed'), notMeasured('no Scan in a request path', 'Scans', '0')];
  return [
    ...storage.operations.map((operation) => ({
      bar: `storage cost: ${operation.operation}`,
      figure: Math.round((operation.request.read + operation.request.write) * 10) / 10,
      unit: 'RRU + WRU',
      target: 'printed',
      met: true,
      detail: `request: ${operation.request.read} RRU, ${operation.request.write} WRU in ${operation.request.commands} commands; with what it sets off: ${operation.total.read} RRU, ${operation.total.write} WRU in ${operation.total.commands} commands (as AWS bills: transactions twice)`,
    })),
    {
      bar: 'no Scan in a request path',
      figure: storage.scans.length,
      unit: 'Scans',
      target: '0',
      met: storage.scans.length === 0,
      detail:
        storage.scans.length === 0
          ? `no ScanCommand among the ${storage.commands} commands every function sent during the operations above`
          : `Scan sent by ${storage.scans.join(', ')}`,
    },
  ];
}

export function barsOf(measured: Measured): Bar[] {
  const { apiOverhead, pipeline, costModel } = measured;
  return [
    ...startupBars(measured.startup),
    apiOverhead
      ? {
          bar: 'API overhead',
          figure: apiOverhead.ratio,
          unit: '× its transaction',
          target: `≤ ${TARGETS.apiOverhead}`,
          met: apiOverhead.ratio <= TARGETS.apiOverhead,
          detail: `POST /v1/referrals: gateway median ${apiOverhead.gatewayMs.median} ms ÷ its transaction issued directly ${apiOverhead.directTransactionMs.median} ms (n=${apiOverhead.requests})`,
        }
      : notMeasured('API overhead', '× its transaction', `≤ ${TARGETS.apiOverhead}`),
    ...pageBars(measured.pageOverhead),
    pipeline
      ? {
          bar: 'event pipeline',
          figure: pipeline.submitToInboxMs.p95,
          unit: 'ms p95',
          target: `≤ ${TARGETS.pipelineP95Ms}`,
          met: pipeline.submitToInboxMs.p95 <= TARGETS.pipelineP95Ms,
          detail: `submit → front-door inbox item, warm: median ${pipeline.submitToInboxMs.median} ms (n=${pipeline.submitToInboxMs.runs})`,
        }
      : notMeasured('event pipeline', 'ms p95', `≤ ${TARGETS.pipelineP95Ms}`),
    ...burstBars(measured.burst),
    ...storageBars(measured.storageCost),
    costModel
      ? {
          bar: 'cost model',
          figure: Math.round(costModel.per1000.total * 100000) / 100000,
          unit: 'USD per 1,000 referrals',
          target: `≤ ${TARGETS.costPer1000}`,
          met: costModel.per1000.total <= TARGETS.costPer1000,
          detail: `AWS list prices ${costModel.region} as of ${costModel.pricesAsOf}, email excluded; of which charged per request (HTTP, invocations, events, queue messages, whatever the storage and speed): $${costModel.per1000.perRequestFloor.toFixed(5)}`,
        }
      : notMeasured('cost model', 'USD per 1,000 referrals', `≤ ${TARGETS.costPer1000}`),
  ];
}

export function describeBars(bars: readonly Bar[]): string {
  const figure = (bar: Bar) => (bar.figure === null ? '—' : String(bar.figure));
  const lines = bars.map(
    (bar) =>
      `  ${bar.bar.padEnd(56)} ${figure(bar).padStart(9)} ${bar.unit.padEnd(24)} ${bar.target.padEnd(14)} ${bar.met ? 'met' : 'NOT MET'}`,
  );
  const unmet = bars.filter((bar) => !bar.met).length;
  return `QUALITY.md performance bars (${bars.length - unmet} of ${bars.length} met)
  ${'bar'.padEnd(56)} ${'figure'.padStart(9)} ${'unit'.padEnd(24)} ${'target'.padEnd(14)}
${lines.join('\n')}`;
}
