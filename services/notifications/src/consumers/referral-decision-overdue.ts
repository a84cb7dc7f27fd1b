/** ReferralDecisionOverdue → the escalation, one item of its own kind in the front-door team's inbox (the manager reads it there). */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { referralDecisionOverdueV1 } from '@fsp/shared/events/definitions/referrals';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { NotificationsConfig } from '../config';
import { referralDecisionOverdueNotifications } from '../domain/notification';
import { createInboxStore } from '../store/inbox-store';
import { deliverAll } from './inbox-delivery';

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
