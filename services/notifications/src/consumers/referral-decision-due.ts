/**
 * ReferralDecisionDue → a reminder in the front-door team's inbox, on the deadline's day (nothing once
 * decided or overdue); the front door's desk keeps the referral.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import { referralDecisionDueV1 } from '@fsp/shared/events/definitions/referrals';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { NotificationsConfig } from '../config';
import { referralDecisionDueDesk } from '../domain/desk';
import { referralDecisionDueNotifications } from '../domain/notification';
import { referralDecisionThing } from '../domain/progress';
import { createDeskStore } from '../store/desk-store';
import { createProgressStore } from '../store/progress-store';
import { projectAwaitingDecision } from './desk-projection';
import { createNotificationDelivery } from './inbox-delivery';
import { tellUnlessStale } from './timed-things';

export function createReferralDecisionDueConsumer(runtime: ServiceRuntime, directory: Directory, config: NotificationsConfig) {
  const delivery = createNotificationDelivery(runtime, directory);
  const desk = createDeskStore(runtime.documents, runtime.tableName);
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'referral-decision-due',
    subscribesTo: [referralDecisionDueV1],
    handle: async (event, context) => {
      await projectAwaitingDecision(desk, referralDecisionDueDesk(event.data), context);
      await tellUnlessStale(
        { progress, delivery },
        referralDecisionThing(event.data.referralId),
        'due-soon',
        () => referralDecisionDueNotifications(event.data, event.metadata, config.frontDoorTeamId),
        context,
      );
    },
  });
}
