/**
 * ReferralSubmitted → the front-door team's inbox, and the front door's desk (awaiting a decision,
 * src/domain/desk.ts). Every referral comes this way, all to one team's mailbox, so a batch's facts
 * are taken together: their desk entries at once, and their inbox items in one transaction that
 * moves the team's counter once (ADR 0032). It keeps no idempotency records: its writes change
 * nothing for a fact seen before, in sequence or concurrently (the desk's update sets the same
 * values; each inbox item is put on condition that it is absent, under an id made from the fact),
 * and it sends no email.
 */
import { consumerRuntimeOptions, createBatchEventConsumer, type FactHandled, HANDLED_BEFORE } from '@fsp/shared/consumer';
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
  return createBatchEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'referral-submitted',
    subscribesTo: [referralSubmittedV1],
    handleBatch: async (facts) => {
      const projected = await Promise.allSettled(
        facts.map(({ event, context }) => projectAwaitingDecision(desk, referralSubmittedDesk(event.data), context)),
      );
      const onTheDesk = facts.flatMap((fact, index) => (projected[index]?.status === 'fulfilled' ? [fact] : []));
      const delivered = await delivery.deliverFacts(
        onTheDesk.map(({ event, context }) => ({
          drafts: referralSubmittedNotifications(event.data, event.metadata, config.frontDoorTeamId),
          context,
        })),
      );
      return facts.map((fact, index): PromiseSettledResult<FactHandled> => {
        const desked = projected[index] as PromiseSettledResult<void>;
        if (desked.status === 'rejected') return desked;
        const result = delivered[onTheDesk.indexOf(fact)] as PromiseSettledResult<number>;
        if (result.status === 'rejected') return result;
        return { status: 'fulfilled', value: result.value === 0 ? HANDLED_BEFORE : undefined };
      });
    },
  });
}
