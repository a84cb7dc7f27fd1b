/** Lambda entry point of the `decision-reminders` schedule. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createDecisionReminders } from './decision-reminders';

export const handler = createDecisionReminders(serviceRuntimeFromEnvironment('referrals'));
