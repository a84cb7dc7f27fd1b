/**
 * CaseClosed → the case head closed, and its scheduled supervision cancelled: off the team's
 * agenda and its timer removed, so nothing is chased for a closed case. A record being written
 * stays and may be completed; completing it schedules nothing after it. Repeats change nothing.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { caseClosedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { createCaseFactsStore } from '../store/case-facts-store';

export function createCaseClosedConsumer(runtime: ServiceRuntime) {
  const store = createCaseFactsStore(runtime);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-closed',
    subscribesTo: [caseClosedV1],
    handle: async ({ data }, context) => {
      const result = await store.closeCase(data, context.now);
      context.logger.info(result === 'closed' ? 'Case closed; its scheduled supervision cancelled' : 'Case already closed', {
        caseId: data.caseId,
      });
    },
  });
}
