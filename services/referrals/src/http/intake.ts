/**
 * Receiving a referral, whichever way it came (the partner API or the web form): a reference at
 * once, the decision deadline, and ReferralSubmitted; the referral, its known-family index items
 * and the event in one transaction, one round trip. The known-family check itself follows from
 * ReferralSubmitted (src/consumers/known-family-check.ts). Shared by the partner API
 * (partner-api.ts) and the form (public-form.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type BuildEventContext, buildEvent } from '@fsp/shared/events/build';
import { referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import { recordMetric } from '@fsp/shared/metrics';
import type { Logger } from '@fsp/shared/observability/logger';
import { referralSubmittedData } from '../domain/events';
import { newReference } from '../domain/reference';
import { type Referral, type ReferralChannel, receiveReferral } from '../domain/referral';
import type { ReferralSubmission } from '../domain/submission';
import { ReferenceTaken, type ReferralsStore } from '../store/referrals-store';

/** A reference collision is about one in a billion; three tries make a failure practically impossible. */
const REFERENCE_ATTEMPTS = 3;

export interface IntakeRequest {
  submission: ReferralSubmission;
  channel: ReferralChannel;
  agencyId?: string;
  now: Date;
  events: BuildEventContext;
  logger: Logger;
}

export async function receiveAndStore(store: ReferralsStore, request: IntakeRequest): Promise<Referral> {
  const { now } = request;
  for (let attempt = 1; ; attempt += 1) {
    const referral = receiveReferral(request.submission, {
      referralId: randomUUID(),
      reference: newReference(Number(now.toISOString().slice(0, 4)), randomBytes),
      receivedAt: now,
      channel: request.channel,
      ...(request.agencyId ? { agencyId: request.agencyId } : {}),
      newChildId: () => `child-${randomUUID()}`,
    });
    const submitted = buildEvent(referralSubmittedV1, referralSubmittedData(referral), request.events);
    try {
      await store.saveNew(referral, [submitted], now, await store.familyIndex.writesFor(referral));
      recordMetric('ReferralsReceived', { channel: request.channel === 'form' ? 'web-form' : 'partner-api' });
      return referral;
    } catch (error) {
      if (error instanceof ReferenceTaken && attempt < REFERENCE_ATTEMPTS) {
        request.logger.warn('reference already taken; drawing another', { reference: referral.reference });
        continue;
      }
      throw error;
    }
  }
}
