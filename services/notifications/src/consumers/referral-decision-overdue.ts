/**
 * ReferralDecisionOverdue → the escalation, one item of its own kind in the front-door team's inbox (the manager reads it there);
 * the front door's desk marks the referral escalated.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { referralDecisionOverdueV1 } from '@fsp/shared/events/definitions/referrals';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { NotificationsConfig } from '../config';
import { referralDecisionOverdueDesk } from '../domain/desk';
import { referralDecisionOverdueNotifications } from '../domain/notification';
import { createDeskStore } from '../store/desk-store';
import { projectAwaitingDecision } from './desk-projection';
import { createNotificationDelivery } from './inbox-delivery';

export function createReferralDecisionOverdueConsumer(runtime: ServiceRuntime, directory: Directory, config: NotificationsConfig) {
  const delivery = createNotificationDelivery(runtime, directory);
  const desk = createDeskStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'referral-decision-overdue',
    subscribesTo: [referralDecisionOverdueV1],
    handle: async (event, context) => {
      await projectAwaitingDecision(desk, referralDecisionOverdueDesk(event.data), context);
      await delivery.deliver(referralDecisionOverdueNotifications(event.data, event.metadata, config.frontDoorTeamId), context);
    },
  });
}
