/** Lambda entry point of the `referral-accepted` subscription. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createReferralAcceptedConsumer } from './referral-accepted';

export const handler = createReferralAcceptedConsumer(serviceRuntimeFromEnvironment('cases'));
