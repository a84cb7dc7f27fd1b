/** CaseOpened → the inbox of the team that holds the case, to allocate it. */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { caseOpenedNotifications } from '../domain/notification';
import { createInboxStore } from '../store/inbox-store';
import { deliverAll } from './inbox-delivery';

export function createCaseOpenedConsumer(runtime: ServiceRuntime) {
  const store = createInboxStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-opened',
    subscribesTo: [caseOpenedV1],
    handle: (event, context) => deliverAll(store, caseOpenedNotifications(event.data, event.metadata), context),
  });
}
