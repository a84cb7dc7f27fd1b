/**
 * Attempting a claimed webhook delivery, the same whether the referral-decided consumer makes the
 * first attempt or the webhook-retries schedule (src/schedules/webhook-retries.ts) a retry. The agency's current webhook is read at each attempt, so a replaced URL or
 * secret applies to retries too, and a revoked agency or a removed webhook ends the delivery.
 */
import { recordMetric } from '@fsp/shared/metrics';
import type { Logger } from '@fsp/shared/observability/logger';
import type { Clock } from '@fsp/shared/time/clock';
import type { WebhookPoster } from '../adapters/webhook-sender';
import { WEBHOOK_DEAD_LETTERED } from '../domain/alarmed-log-messages';
import { afterFailure, webhookHeaders } from '../domain/webhook';
import type { AgencyStore } from '../store/agency-store';
import type { ClaimedDelivery, DeliveryStore } from '../store/delivery-store';

export interface WebhookDeliveryDeps {
  agencies: AgencyStore;
  deliveries: DeliveryStore;
  post: WebhookPoster;
  clock: Clock;
  logger: Logger;
}

export type AttemptOutcome = 'delivered' | 'retry' | 'dead' | 'cancelled' | 'claim-lost';

/** The host only: a partner's path or query may carry their own tokens. */
const hostOf = (url: string): string => new URL(url).host;

export async function attemptDelivery(deps: WebhookDeliveryDeps, claimed: ClaimedDelivery): Promise<AttemptOutcome> {
  const { delivery } = claimed;
  const about = {
    deliveryId: delivery.deliveryId,
    webhookId: delivery.webhookId,
    agencyId: delivery.agencyId,
    attempt: delivery.attempts + 1,
  };
  const { agency, webhook } = await deps.agencies.agencyWithWebhook(delivery.agencyId);
  if (agency?.status !== 'active' || !webhook) {
    const reason = agency?.status === 'revoked' ? 'agency revoked' : 'no webhook registered';
    const recorded = await deps.deliveries.recordCancelled(claimed, deps.clock(), reason);
    deps.logger.warn('Webhook delivery cancelled', { ...about, reason, recorded });
    return recorded ? 'cancelled' : 'claim-lost';
  }

  const attemptAt = deps.clock();
  const attempt = await deps.post(webhook.url, webhookHeaders(webhook.secret, delivery.webhookId, attemptAt, delivery.body), delivery.body);
  const after = deps.clock();
  const logged = { ...about, host: hostOf(webhook.url), result: attempt.result };

  let outcome: AttemptOutcome;
  if (attempt.ok) {
    outcome = (await deps.deliveries.recordDelivered(claimed, after, attempt.result)) ? 'delivered' : 'claim-lost';
  } else {
    const next = afterFailure(new Date(delivery.createdAt), delivery.attempts + 1, after);
    if (next.kind === 'retry') {
      outcome = (await deps.deliveries.recordRetry(claimed, after, attempt.result, next.at)) ? 'retry' : 'claim-lost';
      if (outcome === 'retry') Object.assign(logged, { nextAttemptAt: next.at.toISOString() });
    } else {
      outcome = (await deps.deliveries.recordDead(claimed, after, attempt.result)) ? 'dead' : 'claim-lost';
    }
  }
  if (outcome === 'retry' || outcome === 'dead') {
    recordMetric('WebhookDeliveryFailed', { outcome: outcome === 'dead' ? 'dead-lettered' : 'retrying' });
  }
  if (outcome === 'dead') deps.logger.error(WEBHOOK_DEAD_LETTERED, logged);
  else if (outcome === 'claim-lost')
    deps.logger.warn('Webhook attempt made but its claim had lapsed; the new claimer records the delivery', logged);
  else deps.logger.info(outcome === 'delivered' ? 'Webhook delivered' : 'Webhook attempt failed; will retry', logged);
  return outcome;
}
