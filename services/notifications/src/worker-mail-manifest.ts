/**
 * The manifest entries of workers' email (issue 15: immediate email, the daily digest, retries): data
 * only, spread into service.ts, so that the CDK app and the local cloud read them without handler code.
 */
import type { Schedule, Subscription } from '@fsp/shared/manifest';

export const workerMailSubscriptions: readonly Subscription[] = [];
export const workerMailSchedules: readonly Schedule[] = [];
