/** Lambda entry of the manifest's `on-referral-decision-due` function (subscription `referral-decision-due`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { notificationsConfig } from '../config';
import { createReferralDecisionDueConsumer } from '../consumers/referral-decision-due';

export const handler = createReferralDecisionDueConsumer(serviceRuntimeFromEnvironment('notifications'), notificationsConfig());
