/**
 * ReferralDecisionOverdue → the escalation to each of the front-door team's managers (the directory's;
 * the front-door team's mailbox when it lists none), once per referral and never after the decision;
 * the breach is recorded for the service manager. The front door's desk marks the referral escalated.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { referralDecisionOverdueV1 } from '@fsp/shared/events/definitions/referrals';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { NotificationsConfig } from '../config';
import { referralDecisionOverdueDesk } from '../domain/desk';
import { referralDecisionBreach, referralDecisionOverdueNotifications } from '../domain/notification';
import { referralDecisionThing } from '../domain/progress';
import type { EscalationConfig } from '../escalation-config';
import { createDeskStore } from '../store/desk-store';
import { createProgressStore } from '../store/progress-store';
import { projectAwaitingDecision } from './desk-projection';
import { createNotificationDelivery } from './inbox-delivery';
import { teamManagerIdsOf } from './team-managers';
import { recordBreach, tellUnlessStale } from './timed-things';

export function createReferralDecisionOverdueConsumer(
  runtime: ServiceRuntime,
  directory: Directory,
  config: NotificationsConfig & EscalationConfig,
) {
  const delivery = createNotificationDelivery(runtime, directory);
  const desk = createDeskStore(runtime.documents, runtime.tableName);
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'referral-decision-overdue',
    subscribesTo: [referralDecisionOverdueV1],
    handle: async (event, context) => {
      const { data } = event;
      await projectAwaitingDecision(desk, referralDecisionOverdueDesk(data), context);
      const thing = referralDecisionThing(data.referralId);
      const told = await tellUnlessStale(
        { progress, delivery },
        thing,
        'overdue',
        async () =>
          referralDecisionOverdueNotifications(
            data,
            event.metadata,
            config.frontDoorTeamId,
            await teamManagerIdsOf(directory, config.frontDoorTeamId),
          ),
        context,
      );
      if (told) {
        const breach = referralDecisionBreach(data, event.metadata, config.frontDoorTeamId);
        await recordBreach(progress, thing, breach, config.serviceManagerAfterWorkingDays, context);
      }
    },
  });
}
