/**
 * ReferralDecided → the referral leaves the front door's desk (and its decision's reminders end), and the referrer is told (DOMAIN.md,
 * Referrals 5): a web-form referrer by email, as much as their audience may know (referral-email.ts:
 * a professional the outcome and reason, a member of the public only that it was looked at, an
 * anonymous referrer nothing), a partner agency by a signed webhook (its first attempt straight from
 * here; retries by the sweep).
 * Each (fact, recipient, channel) is delivered once however often the fact arrives: both channels
 * claim a deterministic id with a conditional write before anything leaves the platform.
 */
import { type ConsumerContext, consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { EventData } from '@fsp/shared/events/define';
import { referralDecidedV1 } from '@fsp/shared/events/definitions/referrals';
import { recordMetric } from '@fsp/shared/metrics';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { EmailSender } from '../adapters/ses-email-sender';
import type { WebhookPoster } from '../adapters/webhook-sender';
import { referralDecidedDesk } from '../domain/desk';
import type { FactReference } from '../domain/notification';
import { referralDecisionThing } from '../domain/progress';
import { type EmailMessage, referralEmailIdOf, referrerEmailOf } from '../domain/referral-email';
import { referralDecidedDelivery } from '../domain/webhook';
import { createAgencyStore } from '../store/agency-store';
import { createDeliveryStore } from '../store/delivery-store';
import { createDeskStore } from '../store/desk-store';
import { createProgressStore } from '../store/progress-store';
import { attemptDelivery } from './webhook-attempt';

/** Another delivery of the same fact is sending the email right now; SQS retries this one later. */
export class EmailInProgressError extends Error {
  override readonly name = 'EmailInProgressError';
}

/** The two ways out of the platform, built by the entry from the environment (src/config.ts). */
export interface ReferralDecidedDeps {
  sendEmail: EmailSender;
  post: WebhookPoster;
}

export function createReferralDecidedConsumer(runtime: ServiceRuntime, deps: ReferralDecidedDeps) {
  const agencies = createAgencyStore(runtime.documents, runtime.tableName);
  const deliveries = createDeliveryStore(runtime.documents, runtime.tableName);
  const desk = createDeskStore(runtime.documents, runtime.tableName);
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  const { post } = deps;

  async function webhook(data: EventData<typeof referralDecidedV1>, fact: FactReference, context: ConsumerContext, agencyId: string) {
    const { agency, webhook } = await agencies.agencyWithWebhook(agencyId);
    if (agency?.status !== 'active' || !webhook) {
      context.logger.info('No webhook sent: the agency has none registered or is not active', {
        agencyId,
        agencyStatus: agency?.status ?? 'unknown',
      });
      return;
    }
    const draft = referralDecidedDelivery(data, fact, agency);
    const created = await deliveries.createClaimed(draft, context.now);
    if (created === 'already-exists') {
      context.logger.info('Webhook delivery already exists for this fact; retries belong to the sweep', { deliveryId: draft.deliveryId });
      return;
    }
    await attemptDelivery({ agencies, deliveries, post, clock: runtime.clock, logger: context.logger }, created);
  }

  async function email(data: EventData<typeof referralDecidedV1>, fact: FactReference, context: ConsumerContext, message: EmailMessage) {
    const emailId = referralEmailIdOf(fact.eventId, message.to);
    const claim = await deliveries.claimEmail(emailId, { sourceEventId: fact.eventId, reference: data.reference }, context.now);
    if (claim === 'already-sent') {
      context.logger.info('Referrer email was already sent', { emailId });
      return;
    }
    if (claim === 'in-progress') throw new EmailInProgressError(`email ${emailId} is being sent by another delivery of this fact`);
    let sent: { messageId: string | undefined };
    try {
      sent = await deps.sendEmail(message);
    } catch (error) {
      const released = await deliveries.releaseEmail(emailId, claim.claimId);
      context.logger.warn('Sending the referrer email failed; the fact will be retried', { emailId, released });
      recordMetric('EmailFailed', { email: 'referrer' });
      throw error;
    }
    await deliveries.emailSent(emailId, claim.claimId, runtime.clock(), sent.messageId);
    // The address and the body are personal data: the log says which email, not to whom or what.
    context.logger.info('Referrer email sent', { emailId, providerMessageId: sent.messageId });
  }

  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'referral-decided',
    subscribesTo: [referralDecidedV1],
    handle: async (event, context) => {
      const fact = event.metadata;
      // First, and idempotent: a failure telling the referrer retries the fact, which repeats this harmlessly.
      await desk.referralDecided(referralDecidedDesk(event.data));
      // Decided: no reminder or escalation of its decision is told after this, and none goes to the service manager.
      await progress.done(referralDecisionThing(event.data.referralId), context.now);
      if (event.data.agencyId) await webhook(event.data, fact, context, event.data.agencyId);
      const message = referrerEmailOf(event.data);
      if (message) await email(event.data, fact, context, message);
    },
  });
}
