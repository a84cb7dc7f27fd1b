/** Lambda entry point of the `referral-decision-due` subscription. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { notificationsConfig } from './config';
import { createReferralDecisionDueConsumer } from './referral-decision-clock';

export const handler = createReferralDecisionDueConsumer(serviceRuntimeFromEnvironment('notifications'), notificationsConfig());
