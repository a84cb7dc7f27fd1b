/**
 * SupervisionDueSoon → each worker allocated to the case (all take part in group supervision), or the
 * case's team before anyone is; nothing once the supervision is held or overdue, or the case closed.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { supervisionDueSoonV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { supervisionDueSoonNotifications } from '../domain/notification';
import { supervisionThing } from '../domain/progress';
import { createProgressStore } from '../store/progress-store';
import { createNotificationDelivery } from './inbox-delivery';
import { tellUnlessStale } from './timed-things';

export function createSupervisionDueSoonConsumer(runtime: ServiceRuntime, directory: Directory) {
  const delivery = createNotificationDelivery(runtime, directory);
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'supervision-due-soon',
    subscribesTo: [supervisionDueSoonV1],
    handle: async (event, context) => {
      const { data } = event;
      await tellUnlessStale(
        { progress, delivery },
        supervisionThing(data.caseId, data.supervisionId),
        'due-soon',
        async () => supervisionDueSoonNotifications(data, event.metadata, await progress.allocatedWorkers(data.caseId)),
        context,
      );
    },
  });
}
