/** Lambda entry of the manifest's `decision-reminders` function (schedule `decision-reminders`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createDecisionReminders } from '../schedules/decision-reminders';

export const handler = createDecisionReminders(serviceRuntimeFromEnvironment('referrals'));
