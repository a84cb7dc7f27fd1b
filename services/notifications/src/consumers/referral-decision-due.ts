/** ReferralDecisionDue → a reminder in the front-door team's inbox, on the deadline's day. */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { referralDecisionDueV1 } from '@fsp/shared/events/definitions/referrals';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { NotificationsConfig } from '../config';
import { referralDecisionDueNotifications } from '../domain/notification';
import { createInboxStore } from '../store/inbox-store';
import { deliverAll } from './inbox-delivery';

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
