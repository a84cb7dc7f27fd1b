/** CaseStatusChanged → each worker allocated to the case (notifications' projection of CaseAllocated), or its team before anyone is. */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { caseStatusChangedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { caseStatusChangedNotifications } from '../domain/notification';
import { createProgressStore } from '../store/progress-store';
import { createNotificationDelivery } from './inbox-delivery';

export function createCaseStatusChangedConsumer(runtime: ServiceRuntime, directory: Directory) {
  const delivery = createNotificationDelivery(runtime, directory);
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-status-changed',
    subscribesTo: [caseStatusChangedV1],
    handle: async (event, context) => {
      const allocated = await progress.allocatedWorkers(event.data.caseId);
      await delivery.deliver(caseStatusChangedNotifications(event.data, event.metadata, allocated), context);
    },
  });
}
