/**
 * CaseTimescaleOverdue → the social worker, and an escalation to each of the team's managers (the
 * directory's; the team's mailbox when it lists none); the breach is recorded for the service
 * manager. Nothing once met or the case closed.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { caseTimescaleOverdueV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { caseTimescaleBreach, caseTimescaleOverdueNotifications } from '../domain/notification';
import { caseTimescaleThing } from '../domain/progress';
import type { EscalationConfig } from '../escalation-config';
import { createProgressStore } from '../store/progress-store';
import { createNotificationDelivery } from './inbox-delivery';
import { teamManagerIdsOf } from './team-managers';
import { recordBreach, tellUnlessStale } from './timed-things';

export function createCaseTimescaleOverdueConsumer(runtime: ServiceRuntime, directory: Directory, config: EscalationConfig) {
  const delivery = createNotificationDelivery(runtime, directory);
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-timescale-overdue',
    subscribesTo: [caseTimescaleOverdueV1],
    handle: async (event, context) => {
      const { data } = event;
      const thing = caseTimescaleThing(data.caseId, data.targetId);
      const told = await tellUnlessStale(
        { progress, delivery },
        thing,
        'overdue',
        async () => caseTimescaleOverdueNotifications(data, event.metadata, await teamManagerIdsOf(directory, data.teamId)),
        context,
      );
      if (told)
        await recordBreach(progress, thing, caseTimescaleBreach(data, event.metadata), config.serviceManagerAfterWorkingDays, context);
    },
  });
}
