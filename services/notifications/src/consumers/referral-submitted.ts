/**
 * ReferralSubmitted → the front-door team's inbox, and the front door's desk (awaiting a decision,
 * src/domain/desk.ts). Every referral comes this way, so it keeps no idempotency records (ADR 0032):
 * its writes change nothing for a fact seen before, in sequence or concurrently (the desk's update
 * sets the same values; the inbox item is put on condition that it is absent, under an id made from
 * the fact), and it sends no email.
 */
import { consumerRuntimeOptions, createEventConsumer, HANDLED_BEFORE } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { NotificationsConfig } from '../config';
import { referralSubmittedDesk } from '../domain/desk';
import { referralSubmittedNotifications } from '../domain/notification';
import { createDeskStore } from '../store/desk-store';
import { projectAwaitingDecision } from './desk-projection';
import { createNotificationDelivery } from './inbox-delivery';

export function createReferralSubmittedConsumer(runtime: ServiceRuntime, directory: Directory, config: NotificationsConfig) {
  const delivery = createNotificationDelivery(runtime, directory);
  const desk = createDeskStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'referral-submitted',
    subscribesTo: [referralSubmittedV1],
    idempotency: 'by-its-own-writes',
    handle: async (event, context) => {
      await projectAwaitingDecision(desk, referralSubmittedDesk(event.data), context);
      const delivered = await delivery.deliver(referralSubmittedNotifications(event.data, event.metadata, config.frontDoorTeamId), context);
      return delivered === 0 ? HANDLED_BEFORE : undefined;
    },
  });
}
