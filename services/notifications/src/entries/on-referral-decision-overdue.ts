/** Lambda entry point of the `referral-decision-overdue` subscription. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { notificationsConfig } from './config';
import { createReferralDecisionOverdueConsumer } from './referral-decision-clock';

export const handler = createReferralDecisionOverdueConsumer(serviceRuntimeFromEnvironment('notifications'), notificationsConfig());
