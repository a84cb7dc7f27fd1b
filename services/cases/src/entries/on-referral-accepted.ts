/** Lambda entry of the manifest's `on-referral-accepted` function (subscription `referral-accepted`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createReferralAcceptedConsumer } from '../consumers/referral-accepted';

export const handler = createReferralAcceptedConsumer(serviceRuntimeFromEnvironment('cases'));
