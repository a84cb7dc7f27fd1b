/** CaseAllocated → the allocated worker's own inbox: the case they now work on, and as what. */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { caseAllocatedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { caseAllocatedNotifications } from '../domain/notification';
import { createNotificationDelivery } from './inbox-delivery';

export function createCaseAllocatedConsumer(runtime: ServiceRuntime, directory: Directory) {
  const delivery = createNotificationDelivery(runtime, directory);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-allocated',
    subscribesTo: [caseAllocatedV1],
    handle: (event, context) => delivery.deliver(caseAllocatedNotifications(event.data, event.metadata), context),
  });
}
