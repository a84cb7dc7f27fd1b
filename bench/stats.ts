/** Nearest-rank percentile of `samples` (which it does not modify). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface Summary {
  runs: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

const rounded = (value: number) => Math.round(value * 10) / 10;

export function summarise(samples: readonly number[]): Summary {
  return {
    runs: samples.length,
    median: rounded(percentile(samples, 50)),
    p95: rounded(percentile(samples, 95)),
    min: rounded(Math.min(...samples)),
    max: rounded(Math.max(...samples)),
  };
}
