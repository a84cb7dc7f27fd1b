/**
 * SupervisionActionBecameOverdue → escalatedTo 'owner': the owner; 'team-manager': each of the team's
 * managers (the directory's, or the team's mailbox when it lists none), told whose action it is.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { supervisionActionBecameOverdueV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { supervisionActionBecameOverdueNotifications } from '../domain/notification';
import { createNotificationDelivery } from './inbox-delivery';
import { teamManagerIdsOf } from './team-managers';

export function createSupervisionActionBecameOverdueConsumer(runtime: ServiceRuntime, directory: Directory) {
  const delivery = createNotificationDelivery(runtime, directory);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'supervision-action-became-overdue',
    subscribesTo: [supervisionActionBecameOverdueV1],
    handle: async (event, context) => {
      const { data } = event;
      const recipients =
        data.escalatedTo === 'owner'
          ? { managerIds: [] }
          : {
              managerIds: await teamManagerIdsOf(directory, data.teamId),
              ownerName: (await directory.worker(data.ownerId))?.name,
            };
      await delivery.deliver(supervisionActionBecameOverdueNotifications(data, event.metadata, recipients), context);
    },
  });
}
