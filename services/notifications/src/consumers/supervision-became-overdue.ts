/** SupervisionBecameOverdue → each of the team's managers (the directory's), or the team's mailbox when it lists none. */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { supervisionBecameOverdueV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { supervisionBecameOverdueNotifications } from '../domain/notification';
import { createNotificationDelivery } from './inbox-delivery';
import { teamManagerIdsOf } from './team-managers';

export function createSupervisionBecameOverdueConsumer(runtime: ServiceRuntime, directory: Directory) {
  const delivery = createNotificationDelivery(runtime, directory);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'supervision-became-overdue',
    subscribesTo: [supervisionBecameOverdueV1],
    handle: async (event, context) => {
      const managerIds = await teamManagerIdsOf(directory, event.data.teamId);
      await delivery.deliver(supervisionBecameOverdueNotifications(event.data, event.metadata, managerIds), context);
    },
  });
}
