/**
 * The notifications HTTP function's routes as src/entries/http.ts serves them, defined up front
 * (the deployed function loads each module's on first use, src/http/api-groups.ts), around a test
 * runtime and a stage's settings.
 */
import { createHttpHandler, type HttpHandler, type Route } from '@fsp/shared/http/handler';
import type { RateLimitConfig } from '@fsp/shared/rate-limit';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { WebhookConfig } from '../../src/config';
import { adminRoutes } from '../../src/http/admin';
import { workerMailAdminRoutes } from '../../src/http/admin-worker-mail';
import { inboxRoutes } from '../../src/http/inbox';
import { partnerApiRoutes } from '../../src/http/partner-api';
import { preferencesRoutes } from '../../src/http/preferences';

/** Every route of the `http` function; webhooks and the rate limit default as partnerApiRoutes defaults them (a deployed stage). */
export const notificationsRoutes = (runtime: ServiceRuntime, webhooks?: WebhookConfig, partnerRateLimit?: RateLimitConfig): Route[] => [
  ...inboxRoutes(runtime),
  ...preferencesRoutes(runtime),
  ...partnerApiRoutes(runtime, webhooks, partnerRateLimit),
  ...adminRoutes(runtime),
  ...workerMailAdminRoutes(runtime),
];

export const notificationsHttpHandler = (
  runtime: ServiceRuntime,
  webhooks?: WebhookConfig,
  partnerRateLimit?: RateLimitConfig,
): HttpHandler => createHttpHandler(notificationsRoutes(runtime, webhooks, partnerRateLimit), { logger: runtime.logger });
