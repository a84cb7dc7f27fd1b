/** Lambda entry of the manifest's `on-referral-decision-due` function (subscription `referral-decision-due`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { notificationsConfig } from '../config';
import { createReferralDecisionDueConsumer } from '../consumers/referral-decision-due';

// Once per environment, so its five-minute cache outlives a message (shared/src/directory.ts).
export const handler = createReferralDecisionDueConsumer(
  serviceRuntimeFromEnvironment('notifications'),
  directoryFromEnvironment(),
  notificationsConfig(),
);
