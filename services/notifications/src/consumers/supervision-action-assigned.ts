/** SupervisionActionAssigned → the action's owner, in their own mailbox. */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { supervisionActionAssignedV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { supervisionActionAssignedNotifications } from '../domain/notification';
import { createInboxStore } from '../store/inbox-store';
import { deliverAll } from './inbox-delivery';

export function createSupervisionActionAssignedConsumer(runtime: ServiceRuntime) {
  const store = createInboxStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'supervision-action-assigned',
    subscribesTo: [supervisionActionAssignedV1],
    handle: (event, context) => deliverAll(store, supervisionActionAssignedNotifications(event.data, event.metadata), context),
  });
}
