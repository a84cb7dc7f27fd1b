/**
 * CaseOpened → the referral it was opened from records the case, so that the known-family check
 * shows the case against every later referral of the same children. Once per fact (the consumer
 * is idempotent on eventId) and once per referral (the update is conditional).
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { createFrontDoorStore } from '../store/front-door-store';

export function createCaseOpenedConsumer(runtime: ServiceRuntime) {
  const store = createFrontDoorStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-opened',
    subscribesTo: [caseOpenedV1],
    handle: async ({ data }, context) => {
      const result = await store.recordOpenCase(data.referralId, { caseId: data.caseId, openedAt: data.openedAt });
      const fields = { referralId: data.referralId, caseId: data.caseId, result };
      // Neither a case for a referral this service does not hold nor a second case is worth retrying: say so and move on.
      if (result === 'no-such-referral' || result === 'another-case-recorded')
        context.logger.warn('Case not recorded on its referral', fields);
      else context.logger.info('Case recorded on its referral', fields);
    },
  });
}
