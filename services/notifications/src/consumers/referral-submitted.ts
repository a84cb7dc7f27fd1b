/** ReferralSubmitted → the front-door team's inbox. */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { NotificationsConfig } from '../config';
import { referralSubmittedNotifications } from '../domain/notification';
import { createInboxStore } from '../store/inbox-store';
import { deliverAll } from './inbox-delivery';

export function createReferralSubmittedConsumer(runtime: ServiceRuntime, config: NotificationsConfig) {
  const store = createInboxStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'referral-submitted',
    subscribesTo: [referralSubmittedV1],
    handle: (event, context) =>
      deliverAll(store, referralSubmittedNotifications(event.data, event.metadata, config.frontDoorTeamId), context),
  });
}
