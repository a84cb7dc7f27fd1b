/** Lambda entry point of the notifications HTTP API: the worker's inbox, partner webhooks, webhook deliveries. */
import { rateLimitConfig } from '@fsp/shared/rate-limit';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createNotificationsApi } from './api';
import { webhookConfig } from './config';

export const handler = createNotificationsApi(serviceRuntimeFromEnvironment('notifications'), webhookConfig(), rateLimitConfig());
