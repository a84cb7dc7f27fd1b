/**
 * ReferralDecisionOverdue → the escalation, one item of its own kind in the front-door team's inbox (the manager reads it there);
 * the front door's desk marks the referral escalated.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { referralDecisionOverdueV1 } from '@fsp/shared/events/definitions/referrals';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { NotificationsConfig } from '../config';
import { referralDecisionOverdueDesk } from '../domain/desk';
import { referralDecisionOverdueNotifications } from '../domain/notification';
import { createDeskStore } from '../store/desk-store';
import { createInboxStore } from '../store/inbox-store';
import { projectAwaitingDecision } from './desk-projection';
import { deliverAll } from './inbox-delivery';

export function createReferralDecisionOverdueConsumer(runtime: ServiceRuntime, config: NotificationsConfig) {
  const store = createInboxStore(runtime.documents, runtime.tableName);
  const desk = createDeskStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'referral-decision-overdue',
    subscribesTo: [referralDecisionOverdueV1],
    handle: async (event, context) => {
      await projectAwaitingDecision(desk, referralDecisionOverdueDesk(event.data), context);
      await deliverAll(store, referralDecisionOverdueNotifications(event.data, event.metadata, config.frontDoorTeamId), context);
    },
  });
}
