/**
 * CaseOpened → the case's first group supervision, scheduled once however often (and under
 * whatever eventId) the fact arrives, and announced as SupervisionScheduled through the outbox.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { buildEvent } from '@fsp/shared/events/build';
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { supervisedCaseOf, supervisionScheduledData } from '../domain/events';
import { scheduleFirstSupervision } from '../domain/supervision';
import { createSupervisionStore } from '../store/supervision-store';

export function createCaseOpenedConsumer(runtime: ServiceRuntime) {
  const store = createSupervisionStore(runtime);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-opened',
    subscribesTo: [caseOpenedV1],
    handle: async ({ data }, context) => {
      const supervisedCase = supervisedCaseOf(data);
      const supervision = scheduleFirstSupervision(supervisedCase);
      const scheduled = buildEvent(supervisionScheduledV1, supervisionScheduledData(supervision), {
        clock: () => context.now,
        correlationId: context.correlationId,
        causationId: context.eventId,
      });
      const result = await store.scheduleFirst(supervisedCase, supervision, scheduled, context.now);
      context.logger.info(result === 'scheduled' ? 'First supervision scheduled' : 'First supervision already scheduled; nothing written', {
        caseId: supervision.caseId,
        supervisionId: supervision.supervisionId,
      });
    },
  });
}
