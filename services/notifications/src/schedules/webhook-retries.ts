/**
 * The `webhook-retries` schedule (`rate(1 minute)`, function `webhook-sweep`): claims the webhook
 * deliveries whose next attempt is due and attempts them. Claims are conditional updates, so
 * overlapping sweeps never send one attempt twice; a page of claimed deliveries is attempted
 * concurrently, and the sweep stops claiming well before its function's time runs out.
 */
import { flushingMetrics } from '@fsp/shared/metrics';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { WebhookPoster } from '../adapters/webhook-sender';
import { type AttemptOutcome, attemptDelivery } from '../consumers/webhook-attempt';
import { createAgencyStore } from '../store/agency-store';
import { createDeliveryStore } from '../store/delivery-store';

const PAGE_SIZE = 10;
const MAX_ROUNDS = 100;
/** One attempt can take the full webhook timeout; keep that much and some slack in hand. */
const RESERVE_MS = 15_000;
const DEFAULT_BUDGET_MS = 45_000;

export type SweepSummary = Record<AttemptOutcome, number> & { claimed: number };

/** The sweep; `post` is the webhook sender the entry builds for its stage (src/config.ts `webhookConfig`). */
export function createWebhookSweep(runtime: ServiceRuntime, options: { post: WebhookPoster }) {
  const agencies = createAgencyStore(runtime.documents, runtime.tableName);
  const deliveries = createDeliveryStore(runtime.documents, runtime.tableName);
  const deps = {
    agencies,
    deliveries,
    post: options.post,
    clock: runtime.clock,
    logger: runtime.logger,
  };

  return flushingMetrics(async (_event?: unknown, context?: { getRemainingTimeInMillis(): number }): Promise<SweepSummary> => {
    // Wall-clock budget of this invocation (not domain time, so not the injected clock).
    const stopAt = Date.now() + (context ? context.getRemainingTimeInMillis() - RESERVE_MS : DEFAULT_BUDGET_MS);
    const summary: SweepSummary = { claimed: 0, delivered: 0, retry: 0, dead: 0, cancelled: 0, 'claim-lost': 0 };
    for (let round = 0; round < MAX_ROUNDS && Date.now() < stopAt; round += 1) {
      const now = runtime.clock();
      const due = await deliveries.due(now, PAGE_SIZE);
      const claims = (await Promise.all(due.map((seen) => deliveries.claim(seen, now)))).filter((claim) => claim !== undefined);
      if (claims.length === 0) break;
      summary.claimed += claims.length;
      for (const outcome of await Promise.all(claims.map((claim) => attemptDelivery(deps, claim)))) summary[outcome] += 1;
      if (due.length < PAGE_SIZE) break;
    }
    if (summary.claimed > 0) runtime.logger.info('Webhook sweep finished', summary);
    return summary;
  });
}
