/** Lambda entry of the manifest's `http` function: every notifications route (the inbox, the partner webhook registration, the admin list). */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { rateLimitConfig } from '@fsp/shared/rate-limit';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { webhookConfig } from '../config';
import { adminRoutes } from '../http/admin';
import { inboxRoutes } from '../http/inbox';
import { partnerApiRoutes } from '../http/partner-api';

const runtime = serviceRuntimeFromEnvironment('notifications');

export const handler = createHttpHandler(
  [...inboxRoutes(runtime), ...partnerApiRoutes(runtime, webhookConfig(), rateLimitConfig()), ...adminRoutes(runtime)],
  { logger: runtime.logger },
);
