/**
 * CaseOpened → the case as this service keeps it (its team, when it opened, its reference), for its
 * supervision page and agenda. Nothing is scheduled: the first group supervision waits for the
 * case's first social worker (CaseAllocated, ADR 0014 §3). Repeats change nothing.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { supervisedCaseOf } from '../domain/events';
import { createCaseFactsStore } from '../store/case-facts-store';

export function createCaseOpenedConsumer(runtime: ServiceRuntime) {
  const store = createCaseFactsStore(runtime);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-opened',
    subscribesTo: [caseOpenedV1],
    handle: async ({ data }, context) => {
      await store.recordCase(supervisedCaseOf(data), context.now);
      context.logger.info('Case kept; its first supervision waits for its first social worker', { caseId: data.caseId });
    },
  });
}
