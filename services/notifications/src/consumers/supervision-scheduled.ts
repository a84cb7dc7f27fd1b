/** SupervisionScheduled → the inbox of the case's team, and the team's desk (supervisions to come). */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { supervisionScheduledDesk } from '../domain/desk';
import { supervisionScheduledNotifications } from '../domain/notification';
import { createDeskStore } from '../store/desk-store';
import { createNotificationDelivery } from './inbox-delivery';

export function createSupervisionScheduledConsumer(runtime: ServiceRuntime, directory: Directory) {
  const delivery = createNotificationDelivery(runtime, directory);
  const desk = createDeskStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'supervision-scheduled',
    subscribesTo: [supervisionScheduledV1],
    handle: async (event, context) => {
      const projected = await desk.supervisionScheduled(supervisionScheduledDesk(event.data, event.metadata.occurredAt));
      if (projected === 'stale')
        context.logger.info('A later fact about this supervision is on the desk already', { supervisionId: event.data.supervisionId });
      await delivery.deliver(supervisionScheduledNotifications(event.data, event.metadata), context);
    },
  });
}
