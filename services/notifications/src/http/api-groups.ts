/**
 * The notifications JSON and partner API as the deployed `http` function serves it: each module's
 * routes loaded on the first request for one of them (ADR 0038), so that a cold start loads none of
 * their code and a worker polling the inbox never loads the partner API's or the administrators'.
 * Imports nothing but the routes' declarations: every module below is reached by `import()` alone,
 * which the split bundle keeps in chunks of its own. Each group must declare exactly the routes its
 * module defines (the manifest test loads every group).
 */
import { lazyRoutes, type Route } from '@fsp/shared/http/handler';
import type { RateLimitConfig } from '@fsp/shared/rate-limit';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { WebhookConfig } from '../config';
import { routes } from './routes';

/**
 * `webhooks` and `partnerRateLimit`: the stage's, read by src/entries/http.ts at cold start so that
 * a wiring mistake fails the start, not the first partner request; left out, partnerApiRoutes'
 * defaults (a deployed stage's).
 */
export function lazyNotificationsRoutes(runtime: ServiceRuntime, webhooks?: WebhookConfig, partnerRateLimit?: RateLimitConfig): Route[] {
  return [
    ...lazyRoutes([routes.inbox, routes.unreadCount, routes.markAllRead, routes.markRead], async () =>
      (await import('./inbox')).inboxRoutes(runtime),
    ),
    ...lazyRoutes([routes.preferences, routes.savePreferences], async () => (await import('./preferences')).preferencesRoutes(runtime)),
    ...lazyRoutes([routes.registerWebhook], async () =>
      (await import('./partner-api')).partnerApiRoutes(runtime, webhooks, partnerRateLimit),
    ),
    ...lazyRoutes([routes.webhookDeliveries], async () => (await import('./admin')).adminRoutes(runtime)),
    ...lazyRoutes([routes.workerMailFailures], async () => (await import('./admin-worker-mail')).workerMailAdminRoutes(runtime)),
  ];
}
