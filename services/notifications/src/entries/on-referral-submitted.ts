/** Lambda entry of the manifest's `on-referral-submitted` function (subscription `referral-submitted`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { notificationsConfig } from '../config';
import { createReferralSubmittedConsumer } from '../consumers/referral-submitted';

// Once per environment, so its five-minute cache outlives a message (shared/src/directory.ts).
export const handler = createReferralSubmittedConsumer(
  serviceRuntimeFromEnvironment('notifications'),
  directoryFromEnvironment(),
  notificationsConfig(),
);
