/** SupervisionActionAssigned → the action's owner, in their own mailbox. */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { supervisionActionAssignedV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { supervisionActionAssignedNotifications } from '../domain/notification';
import { createNotificationDelivery } from './inbox-delivery';

export function createSupervisionActionAssignedConsumer(runtime: ServiceRuntime, directory: Directory) {
  const delivery = createNotificationDelivery(runtime, directory);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'supervision-action-assigned',
    subscribesTo: [supervisionActionAssignedV1],
    handle: async (event, context) => {
      await delivery.deliver(supervisionActionAssignedNotifications(event.data, event.metadata), context);
    },
  });
}
