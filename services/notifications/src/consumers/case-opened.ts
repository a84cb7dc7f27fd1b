/** CaseOpened → the inbox of the team that holds the case, to allocate it, and the team's desk (its new cases). */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { caseOpenedDesk } from '../domain/desk';
import { caseOpenedNotifications } from '../domain/notification';
import { createDeskStore } from '../store/desk-store';
import { createNotificationDelivery } from './inbox-delivery';

export function createCaseOpenedConsumer(runtime: ServiceRuntime, directory: Directory) {
  const delivery = createNotificationDelivery(runtime, directory);
  const desk = createDeskStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-opened',
    subscribesTo: [caseOpenedV1],
    handle: async (event, context) => {
      await desk.caseOpened(caseOpenedDesk(event.data, await desk.referenceOf(event.data.referralId)));
      await delivery.deliver(caseOpenedNotifications(event.data, event.metadata), context);
    },
  });
}
