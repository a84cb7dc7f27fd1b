/**
 * SupervisionActionBecameOverdue → escalatedTo 'owner': the owner; 'team-manager': each of the team's
 * managers (the directory's, or the team's mailbox when it lists none), told whose action it is, and
 * the breach recorded for the service manager. Nothing once completed, already further on, or the case closed.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { supervisionActionBecameOverdueV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { actionBreach, supervisionActionBecameOverdueNotifications } from '../domain/notification';
import { actionThing } from '../domain/progress';
import type { EscalationConfig } from '../escalation-config';
import { createProgressStore } from '../store/progress-store';
import { createNotificationDelivery } from './inbox-delivery';
import { teamManagerIdsOf } from './team-managers';
import { recordBreach, tellUnlessStale } from './timed-things';

export function createSupervisionActionBecameOverdueConsumer(runtime: ServiceRuntime, directory: Directory, config: EscalationConfig) {
  const delivery = createNotificationDelivery(runtime, directory);
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'supervision-action-became-overdue',
    subscribesTo: [supervisionActionBecameOverdueV1],
    handle: async (event, context) => {
      const { data } = event;
      const thing = actionThing(data.caseId, data.actionId);
      const toManagers = data.escalatedTo === 'team-manager';
      const told = await tellUnlessStale(
        { progress, delivery },
        thing,
        toManagers ? 'escalated' : 'overdue',
        async () => {
          const recipients = toManagers
            ? { managerIds: await teamManagerIdsOf(directory, data.teamId), ownerName: (await directory.worker(data.ownerId))?.name }
            : { managerIds: [] };
          return supervisionActionBecameOverdueNotifications(data, event.metadata, recipients);
        },
        context,
      );
      if (told && toManagers) {
        await recordBreach(progress, thing, actionBreach(data, event.metadata), config.serviceManagerAfterWorkingDays, context);
      }
    },
  });
}
