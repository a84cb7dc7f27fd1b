/** SupervisionActionDueSoon → the action's owner; nothing once it is completed or overdue, or the case closed. */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { supervisionActionDueSoonV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { supervisionActionDueSoonNotifications } from '../domain/notification';
import { actionThing } from '../domain/progress';
import { createProgressStore } from '../store/progress-store';
import { createNotificationDelivery } from './inbox-delivery';
import { tellUnlessStale } from './timed-things';

export function createSupervisionActionDueSoonConsumer(runtime: ServiceRuntime, directory: Directory) {
  const delivery = createNotificationDelivery(runtime, directory);
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'supervision-action-due-soon',
    subscribesTo: [supervisionActionDueSoonV1],
    handle: async (event, context) => {
      const { data } = event;
      await tellUnlessStale(
        { progress, delivery },
        actionThing(data.caseId, data.actionId),
        'due-soon',
        () => supervisionActionDueSoonNotifications(data, event.metadata),
        context,
      );
    },
  });
}
