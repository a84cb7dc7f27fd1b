/**
 * SupervisionBecameOverdue → each of the team's managers (the directory's), or the team's mailbox when
 * it lists none; the breach is recorded for the service manager. Nothing once held or the case closed.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { supervisionBecameOverdueV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { supervisionBecameOverdueNotifications, supervisionBreach } from '../domain/notification';
import { supervisionThing } from '../domain/progress';
import type { EscalationConfig } from '../escalation-config';
import { createProgressStore } from '../store/progress-store';
import { createNotificationDelivery } from './inbox-delivery';
import { teamManagerIdsOf } from './team-managers';
import { recordBreach, tellUnlessStale } from './timed-things';

export function createSupervisionBecameOverdueConsumer(runtime: ServiceRuntime, directory: Directory, config: EscalationConfig) {
  const delivery = createNotificationDelivery(runtime, directory);
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'supervision-became-overdue',
    subscribesTo: [supervisionBecameOverdueV1],
    handle: async (event, context) => {
      const { data } = event;
      const thing = supervisionThing(data.caseId, data.supervisionId);
      const told = await tellUnlessStale(
        { progress, delivery },
        thing,
        'overdue',
        async () => supervisionBecameOverdueNotifications(data, event.metadata, await teamManagerIdsOf(directory, data.teamId)),
        context,
      );
      if (told)
        await recordBreach(progress, thing, supervisionBreach(data, event.metadata), config.serviceManagerAfterWorkingDays, context);
    },
  });
}
