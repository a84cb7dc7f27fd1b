import { barsOf, describeBars, NAMED_PAGES } from '../../../../bench/bars';
import type { BurstResult } from '../../../../bench/burst';
import type { PageOverheadRow } from '../../../../bench/page-overhead';
import { describeSameBundleSpread, type StartupRow } from '../../../../bench/startup';

const summary = (median: number) => ({ runs: 20, median, p95: median, min: median, max: median });
const startupRow = (name: string, ownCodeRatio: number, ratio: number, bundleBytes = 300 * 1024): StartupRow => ({
  function: name,
  bundleBytes,
  startBytes: bundleBytes,
  sdkPackages: [],
  loadMs: summary(10),
  sdkOnlyLoadMs: summary(8),
  ratio,
  mandatedLibraries: [],
  librariesOnlyLoadMs: summary(9),
  librariesRatio: 1.1,
  sameBundleRatio: 1.02,
  ownCodeRatio,
  loadCpuMs: summary(10),
  sdkOnlyLoadCpuMs: summary(8),
  librariesOnlyLoadCpuMs: summary(9),
  cpuRatio: ratio,
  ownCodeCpuRatio: ownCodeRatio,
  meetsTotalTarget: ratio <= 1.25,
  meetsOwnCodeTarget: ownCodeRatio <= 1.1,
  meetsSizeLimit: bundleBytes < 1024 * 1024,
  meetsTarget: ratio <= 1.25 && ownCodeRatio <= 1.1 && bundleBytes < 1024 * 1024,
});
const page = (label: string, ratio: number, htmlBytes = 20 * 1024): PageOverheadRow => ({
  label,
  path: '/',
  requests: 100,
  gatewayMs: summary(6),
  directReadsMs: summary(4),
  ratio,
  reads: 2,
  writes: 0,
  htmlBytes,
  meetsTarget: true,
});
const burst: BurstResult = {
  requests: 1000,
  concurrency: 20,
  created: 998,
  errorsByStatus: { '503': 2 },
  lost: { notStored: 0, noInboxItem: 1 },
  duplicated: 0,
  firstRequestToLast201Ms: 10_000,
  throughputPerSecond: 99.8,
  raw: { transactions: 1000, warmUp: 300, elapsedMs: 7000, transactionsPerSecond: 142.9, failed: 0 },
  throughputRatio: 0.7,
  drainMs: 10_001,
  drainTimeoutMs: 120_000,
  rateLimit: 'raised',
};
const byName = (bars: ReturnType<typeof barsOf>) => Object.fromEntries(bars.map((bar) => [bar.bar, bar]));

describe('the bars table', () => {
  it('has a row for every bar of QUALITY.md, each NOT MET and without a figure when nothing was measured', () => {
    const bars = barsOf({});
    expect(bars.map((bar) => bar.bar)).toEqual([
      'function start-up, own code',
      'function start-up, total',
      'bundle size',
      'API overhead',
      'page overhead',
      'page HTML size',
      'event pipeline',
      'burst: errors',
      'burst: lost',
      'burst: duplicated',
      'burst: throughput',
      'burst: inbox drain',
      'storage cost',
      'no Scan in a request path',
      'cost model',
    ]);
    expect(bars.every((bar) => bar.figure === null && !bar.met)).toBe(true);
  });

  it('judges start-up by the worst function against QUALITY.md’s targets, naming those above', () => {
    const bars = byName(barsOf({ startup: [startupRow('a', 1.1, 1.25), startupRow('b', 1.12, 1.2, 1024 * 1024)] }));
    expect(bars['function start-up, own code']).toMatchObject({
      figure: 1.12,
      met: false,
      detail: expect.stringContaining('above target: b'),
    });
    expect(bars['function start-up, total']).toMatchObject({ figure: 1.25, met: true });
    expect(bars['bundle size']).toMatchObject({ figure: 1024, met: false });
  });

  it('says beside the own-code bar how far the same bundle strayed from itself in the run', () => {
    const rows = [
      { ...startupRow('a', 1.05, 1.2), sameBundleRatio: 0.88 },
      { ...startupRow('b', 1.08, 1.2), sameBundleRatio: 1.14 },
      { ...startupRow('c', 1.02, 1.2), sameBundleRatio: 1.01 },
    ];
    expect(byName(barsOf({ startup: rows }))['function start-up, own code']?.detail).toContain(
      'the same bundle against itself measured 0.88 to 1.14',
    );
    expect(describeSameBundleSpread(rows)).toBe(
      'A/A, the same bundle against itself: 0.88 to 1.14 (median 1.01); 2 of 3 further from 1 than the own-code bar’s 10 %',
    );
  });

  it('has a row per page, marks pages QUALITY.md does not name, and a NOT MET row for a named page not measured', () => {
    const rows = [...NAMED_PAGES.slice(1).map((label) => page(label, 1.5)), page('home (front door)', 1.51, 61 * 1024)];
    const bars = byName(barsOf({ pageOverhead: rows }));
    expect(bars['page overhead: inbox']).toMatchObject({ figure: 1.5, met: true });
    expect(bars['page overhead: home (front door) (beyond QUALITY.md’s list)']).toMatchObject({ met: false });
    expect(bars['page overhead: front door queue']).toMatchObject({ figure: null, met: false });
    expect(bars['page HTML size']).toMatchObject({ figure: 61, met: false });
  });

  it('holds the burst to no errors, nothing lost or duplicated, ≥ 0.7 of raw throughput and a drain within 10 s', () => {
    const bars = byName(barsOf({ burst }));
    expect(bars['burst: errors']).toMatchObject({ figure: 2, met: false, detail: expect.stringContaining('503: 2') });
    expect(bars['burst: lost']).toMatchObject({ figure: 1, met: false });
    expect(bars['burst: duplicated']).toMatchObject({ figure: 0, met: true });
    expect(bars['burst: throughput']).toMatchObject({ figure: 0.7, met: true });
    // Raw transactions that failed make no baseline, whatever the ratio says.
    const failedRaw = { ...burst, throughputRatio: 16, raw: { ...burst.raw, failed: 537 } };
    expect(byName(barsOf({ burst: failedRaw }))['burst: throughput']).toMatchObject({
      met: false,
      detail: expect.stringContaining('537 failed'),
    });
    expect(bars['burst: inbox drain']).toMatchObject({ figure: 10, met: false });
    expect(byName(barsOf({ burst: { ...burst, drainMs: null } }))['burst: inbox drain']).toMatchObject({ figure: null, met: false });
  });

  it('prints storage per operation and fails the Scan row when a function sent one', () => {
    const operation = {
      operation: 'submit a referral',
      request: { read: 1, write: 8, commands: 3 },
      total: { read: 4, write: 20, commands: 9 },
      runs: 3,
    };
    const usage = { referrals: 1, httpRequests: 0, invocations: [], events: 0, queueMessages: 0, readUnits: 0, writeUnits: 0 };
    const bars = byName(barsOf({ storageCost: { operations: [operation], scans: ['cases-http'], commands: 9, usage } }));
    expect(bars['storage cost: submit a referral']).toMatchObject({ figure: 9, met: true });
    expect(bars['no Scan in a request path']).toMatchObject({ figure: 1, met: false, detail: 'Scan sent by cases-http' });
  });

  it('prints one line per bar with its verdict', () => {
    const text = describeBars(barsOf({ burst }));
    expect(text).toMatch(/^QUALITY\.md performance bars \(2 of 15 met\)/);
    expect(text).toMatch(/burst: duplicated +0 referrals +0 +met/);
  });
});
