/**
 * CaseAllocated → who is allocated, kept on the case head (the social worker, a specialist per
 * specialism; a later allocation replaces the slot's holder), and the change on the scheduled
 * supervision's agenda ("Social worker changed"). At the case's first social worker, its first group
 * supervision is scheduled, once however often (and under whatever eventId) the fact arrives, and
 * announced as SupervisionScheduled through the outbox.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { buildEvent } from '@fsp/shared/events/build';
import { caseAllocatedV1 } from '@fsp/shared/events/definitions/cases';
import { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { allocatedCaseOf, firstAllocationOf, supervisionScheduledData } from '../domain/events';
import { scheduleFirstSupervision } from '../domain/supervision';
import { createCaseFactsStore } from '../store/case-facts-store';

export function createCaseAllocatedConsumer(runtime: ServiceRuntime) {
  const store = createCaseFactsStore(runtime);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-allocated',
    subscribesTo: [caseAllocatedV1],
    handle: async ({ data }, context) => {
      const first = firstAllocationOf(data);
      if (first) {
        const supervision = scheduleFirstSupervision(first);
        const scheduled = buildEvent(supervisionScheduledV1, supervisionScheduledData(supervision), {
          clock: () => context.now,
          correlationId: context.correlationId,
          causationId: context.eventId,
        });
        const result = await store.scheduleFirst(allocatedCaseOf(first), supervision, scheduled, context.now);
        context.logger.info(
          result === 'scheduled' ? 'First supervision scheduled' : 'First supervision already scheduled; nothing written',
          {
            caseId: supervision.caseId,
            supervisionId: supervision.supervisionId,
          },
        );
      }
      // After scheduling, so that the first social worker's arrival is on the first supervision's agenda.
      const allocation = await store.recordAllocation(data, context.now);
      context.logger.info(allocation === 'recorded' ? 'Allocation kept' : 'Allocation already kept (or older than the one kept)', {
        caseId: data.caseId,
        role: data.role,
        replacing: data.previousWorkerId !== undefined,
      });
    },
  });
}
