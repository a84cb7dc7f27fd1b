/**
 * CaseAllocated → at the case's first social worker, its first group supervision, scheduled once
 * however often (and under whatever eventId) the fact arrives, and announced as SupervisionScheduled
 * through the outbox. An adult specialist or a change of social worker schedules nothing.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { buildEvent } from '@fsp/shared/events/build';
import { caseAllocatedV1 } from '@fsp/shared/events/definitions/cases';
import { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { allocatedCaseOf, firstAllocationOf, supervisionScheduledData } from '../domain/events';
import { scheduleFirstSupervision } from '../domain/supervision';
import { createSupervisionStore } from '../store/supervision-store';

export function createCaseAllocatedConsumer(runtime: ServiceRuntime) {
  const store = createSupervisionStore(runtime);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-allocated',
    subscribesTo: [caseAllocatedV1],
    handle: async ({ data }, context) => {
      const first = firstAllocationOf(data);
      if (!first) {
        context.logger.info('Not a first social worker; the case keeps the supervision it has', {
          caseId: data.caseId,
          role: data.role,
          replacing: data.previousWorkerId !== undefined,
        });
        return;
      }
      const supervision = scheduleFirstSupervision(first);
      const scheduled = buildEvent(supervisionScheduledV1, supervisionScheduledData(supervision), {
        clock: () => context.now,
        correlationId: context.correlationId,
        causationId: context.eventId,
      });
      const result = await store.scheduleFirst(allocatedCaseOf(first), supervision, scheduled, context.now);
      context.logger.info(result === 'scheduled' ? 'First supervision scheduled' : 'First supervision already scheduled; nothing written', {
        caseId: supervision.caseId,
        supervisionId: supervision.supervisionId,
      });
    },
  });
}
