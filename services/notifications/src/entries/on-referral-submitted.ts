/** Lambda entry of the manifest's `on-referral-submitted` function (subscription `referral-submitted`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { notificationsConfig } from '../config';
import { createReferralSubmittedConsumer } from '../consumers/referral-submitted';

export const handler = createReferralSubmittedConsumer(serviceRuntimeFromEnvironment('notifications'), notificationsConfig());
