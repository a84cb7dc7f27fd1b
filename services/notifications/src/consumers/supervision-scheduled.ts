/** SupervisionScheduled → the inbox of the case's team. */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { supervisionScheduledNotifications } from '../domain/notification';
import { createInboxStore } from '../store/inbox-store';
import { deliverAll } from './inbox-delivery';

export function createSupervisionScheduledConsumer(runtime: ServiceRuntime) {
  const store = createInboxStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'supervision-scheduled',
    subscribesTo: [supervisionScheduledV1],
    handle: (event, context) => deliverAll(store, supervisionScheduledNotifications(event.data, event.metadata), context),
  });
}
