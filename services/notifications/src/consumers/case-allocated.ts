/** CaseAllocated → the allocated worker's own inbox: the case they now work on, and as what. */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { caseAllocatedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { caseAllocatedNotifications } from '../domain/notification';
import { createInboxStore } from '../store/inbox-store';
import { deliverAll } from './inbox-delivery';

export function createCaseAllocatedConsumer(runtime: ServiceRuntime) {
  const store = createInboxStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-allocated',
    subscribesTo: [caseAllocatedV1],
    handle: (event, context) => deliverAll(store, caseAllocatedNotifications(event.data, event.metadata), context),
  });
}
