/** Lambda entry of the manifest's `on-referral-decision-overdue` function (subscription `referral-decision-overdue`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { notificationsConfig } from '../config';
import { createReferralDecisionOverdueConsumer } from '../consumers/referral-decision-overdue';

export const handler = createReferralDecisionOverdueConsumer(serviceRuntimeFromEnvironment('notifications'), notificationsConfig());
