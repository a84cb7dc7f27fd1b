/** Lambda entry of the manifest's `on-referral-decision-overdue` function (subscription `referral-decision-overdue`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { notificationsConfig } from '../config';
import { createReferralDecisionOverdueConsumer } from '../consumers/referral-decision-overdue';
import { escalationConfig } from '../escalation-config';

// Once per environment, so its five-minute cache outlives a message (shared/src/directory.ts).
export const handler = createReferralDecisionOverdueConsumer(serviceRuntimeFromEnvironment('notifications'), directoryFromEnvironment(), {
  ...notificationsConfig(),
  ...escalationConfig(),
});
