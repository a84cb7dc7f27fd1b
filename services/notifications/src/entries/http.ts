/**
 * Lambda entry of the manifest's `http` function: every notifications JSON and partner route (the
 * inbox and preferences, the partner webhook registration, the admin lists), each module's loaded on
 * first use (src/http/api-groups.ts).
 */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { rateLimitConfig } from '@fsp/shared/rate-limit';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { webhookConfig } from '../config';
import { lazyNotificationsRoutes } from '../http/api-groups';

const runtime = serviceRuntimeFromEnvironment('notifications');

// Read at cold start, not with the partner routes' module: a wiring mistake fails the start, naming the variable.
export const handler = createHttpHandler(lazyNotificationsRoutes(runtime, webhookConfig(), rateLimitConfig()), {
  logger: runtime.logger,
});
