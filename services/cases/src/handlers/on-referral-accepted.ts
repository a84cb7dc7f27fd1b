/** Lambda entry point of the `referral-accepted` subscription. */
import { createReferralAcceptedConsumer } from './referral-accepted';
import { runtimeFromEnvironment } from './runtime';

export const handler = createReferralAcceptedConsumer(runtimeFromEnvironment());
