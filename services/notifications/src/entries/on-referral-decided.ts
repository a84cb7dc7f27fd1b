/** Lambda entry of the manifest's `on-referral-decided` function (subscription `referral-decided`): the only function that emails. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createSesEmailSender } from '../adapters/ses-email-sender';
import { createWebhookPoster } from '../adapters/webhook-sender';
import { mailConfig, webhookConfig } from '../config';
import { createReferralDecidedConsumer } from '../consumers/referral-decided';

const runtime = serviceRuntimeFromEnvironment('notifications');

export const handler = createReferralDecidedConsumer(runtime, {
  sendEmail: createSesEmailSender(mailConfig().mailFrom),
  post: createWebhookPoster({ allowLoopback: webhookConfig().allowLocalHttp }),
});
