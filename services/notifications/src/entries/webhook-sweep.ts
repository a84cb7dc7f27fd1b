/** Lambda entry point of the `webhook-retries` schedule. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createWebhookSweep } from './webhook-sweep';

export const handler = createWebhookSweep(serviceRuntimeFromEnvironment('notifications'));
