/**
 * ReferralSubmitted → the known-family check (DOMAIN.md, Referrals 3): the new referral's children
 * compared with those of every referral received before it, the matches recorded on it for the
 * front door. It runs here, just after intake, rather than in the submitting request, so that a
 * partner's POST stays one DynamoDB round trip (QUALITY.md, API overhead); the front door sees
 * "check pending" for the fraction of a second in between. Once per referral, however often or
 * concurrently the fact arrives: the update is conditional, so the consumer keeps no idempotency
 * records (shared/src/consumer.ts, ADR 0032).
 */
import { consumerRuntimeOptions, createEventConsumer, HANDLED_BEFORE } from '@fsp/shared/consumer';
import { referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import type { KeyringSource } from '@fsp/shared/keyed-hash';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { createReferralsStore } from '../store/referrals-store';

/** `matchKeys`: the known-family index's keys (ADR 0021); the entry's read the secret in AWS, the default the environment. */
export function createKnownFamilyCheckConsumer(runtime: ServiceRuntime, matchKeys?: KeyringSource) {
  const store = createReferralsStore(runtime.documents, runtime.tableName, matchKeys);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'known-family-check',
    subscribesTo: [referralSubmittedV1],
    idempotency: 'by-its-own-writes',
    handle: async ({ data }, context) => {
      const referral = await store.get(data.referralId);
      // The fact is published only after the referral's own transaction committed: its absence is a
      // defect, left to fail into the subscription's DLQ (and its alarm) rather than passed over.
      if (!referral) throw new Error(`known-family check: referral ${data.referralId} is not in the table`);
      if (referral.familyMatches) {
        context.logger.info('Known-family check already recorded', { referralId: referral.referralId });
        return HANDLED_BEFORE;
      }
      const matches = await store.familyIndex.matchesFor(referral);
      const result = await store.familyIndex.recordMatches(referral.referralId, matches);
      context.logger.info('Known-family check recorded', { referralId: referral.referralId, matches: matches.length, result });
      return result === 'already-recorded' ? HANDLED_BEFORE : undefined;
    },
  });
}
