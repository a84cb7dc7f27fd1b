/**
 * CaseAllocated → the allocated worker's own inbox (the case they now work on, and as what); the
 * worker whose slot it was is told they are no longer on the case; and notifications' projection of
 * who is allocated to each case (src/store/progress-store.ts), which says who hears of the case's
 * status changes and group supervision due.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import type { EventData } from '@fsp/shared/events/define';
import { caseAllocatedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { caseAllocatedNotifications, caseDeallocatedNotifications } from '../domain/notification';
import { createProgressStore } from '../store/progress-store';
import { createNotificationDelivery } from './inbox-delivery';

/** The slot a CaseAllocated fills: the case's one social worker, or one adult specialism (a specialist without one: their own). */
export const allocationSlotOf = (data: EventData<typeof caseAllocatedV1>): string =>
  data.role === 'social-worker' ? 'social-worker' : `adult-specialist#${data.specialism ?? data.workerId}`;

export function createCaseAllocatedConsumer(runtime: ServiceRuntime, directory: Directory) {
  const delivery = createNotificationDelivery(runtime, directory);
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-allocated',
    subscribesTo: [caseAllocatedV1],
    handle: async (event, context) => {
      const { data } = event;
      await progress.allocate(data.caseId, allocationSlotOf(data), data.workerId, data.allocatedAt);
      await delivery.deliver(
        [...caseAllocatedNotifications(data, event.metadata), ...caseDeallocatedNotifications(data, event.metadata)],
        context,
      );
    },
  });
}
