/** ReferralDecisionDue / ReferralDecisionOverdue → the front-door team's inbox (the overdue one is the escalation). */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { referralDecisionDueV1, referralDecisionOverdueV1 } from '@fsp/shared/events/definitions/referrals';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { referralDecisionDueNotifications, referralDecisionOverdueNotifications } from '../domain/notification';
import { createInboxStore } from '../store/inbox-store';
import type { NotificationsConfig } from './config';
import { deliverAll } from './deliver';

export function createReferralDecisionDueConsumer(runtime: ServiceRuntime, config: NotificationsConfig) {
  const store = createInboxStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'referral-decision-due',
    subscribesTo: [referralDecisionDueV1],
    handle: (event, context) =>
      deliverAll(store, referralDecisionDueNotifications(event.data, event.metadata, config.frontDoorTeamId), context),
  });
}

export function createReferralDecisionOverdueConsumer(runtime: ServiceRuntime, config: NotificationsConfig) {
  const store = createInboxStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'referral-decision-overdue',
    subscribesTo: [referralDecisionOverdueV1],
    handle: (event, context) =>
      deliverAll(store, referralDecisionOverdueNotifications(event.data, event.metadata, config.frontDoorTeamId), context),
  });
}
