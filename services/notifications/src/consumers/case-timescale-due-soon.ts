/** CaseTimescaleDueSoon → the case's social worker (the team before one is allocated); nothing once met, overdue, or the case closed. */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { caseTimescaleDueSoonV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { caseTimescaleDueSoonNotifications } from '../domain/notification';
import { caseTimescaleThing } from '../domain/progress';
import { createProgressStore } from '../store/progress-store';
import { createNotificationDelivery } from './inbox-delivery';
import { tellUnlessStale } from './timed-things';

export function createCaseTimescaleDueSoonConsumer(runtime: ServiceRuntime, directory: Directory) {
  const delivery = createNotificationDelivery(runtime, directory);
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-timescale-due-soon',
    subscribesTo: [caseTimescaleDueSoonV1],
    handle: async (event, context) => {
      const { data } = event;
      await tellUnlessStale(
        { progress, delivery },
        caseTimescaleThing(data.caseId, data.targetId),
        'due-soon',
        () => caseTimescaleDueSoonNotifications(data, event.metadata),
        context,
      );
    },
  });
}
