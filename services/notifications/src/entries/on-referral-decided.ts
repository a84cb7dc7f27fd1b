/** Lambda entry point of the `referral-decided` subscription. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { mailConfig } from './config';
import { createSesEmailSender } from './email-sender';
import { createReferralDecidedConsumer } from './referral-decided';

const runtime = serviceRuntimeFromEnvironment('notifications');
export const handler = createReferralDecidedConsumer(runtime, { sendEmail: createSesEmailSender(mailConfig().mailFrom) });
