/** Lambda entry of the manifest's `webhook-sweep` function (schedule `webhook-retries`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createWebhookPoster } from '../adapters/webhook-sender';
import { webhookConfig } from '../config';
import { createWebhookSweep } from '../schedules/webhook-retries';

const runtime = serviceRuntimeFromEnvironment('notifications');

export const handler = createWebhookSweep(runtime, { post: createWebhookPoster({ allowLoopback: webhookConfig().allowLocalHttp }) });
