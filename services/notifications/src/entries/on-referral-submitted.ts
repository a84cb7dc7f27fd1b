/** Lambda entry point of the `referral-submitted` subscription. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { notificationsConfig } from './config';
import { createReferralSubmittedConsumer } from './referral-submitted';

export const handler = createReferralSubmittedConsumer(serviceRuntimeFromEnvironment('notifications'), notificationsConfig());
