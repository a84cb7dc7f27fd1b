/**
 * QUALITY.md's performance targets, written once: the table (bars.ts) and each measurement's own
 * detail and verdict read them from here, so a revision of QUALITY.md is a change of this file alone.
 */
export const TARGETS = {
  startupOwnCode: 1.1,
  startupTotal: 1.25,
  bundleBytes: 1024 * 1024,
  apiOverhead: 1.3,
  pageOverhead: 1.5,
  pageHtmlBytes: 60 * 1024,
  pipelineP95Ms: 300,
  burstThroughputRatio: 0.7,
  burstDrainMs: 10_000,
  costPer1000: 0.05,
} as const;
