/**
 * The notifications routes, declared once: the manifest (service.ts) lists these objects, and
 * src/http/inbox.ts, partner-api.ts and admin.ts implement them with `defineRoute(routes.x, …)`.
 * Data only, so that CDK and the local cloud read them without loading handler code. One function
 * (`http`) serves them all.
 */
import type { HttpRoute } from '@fsp/shared/manifest';
import { ROLES } from '@fsp/shared/people';

export const routes = {
  // Every worker has an inbox: their own mailbox and their team's, both taken from the verified token.
  inbox: { method: 'GET', path: '/api/inbox', auth: { kind: 'worker', roles: ROLES } },
  unreadCount: { method: 'GET', path: '/api/inbox/unread-count', auth: { kind: 'worker', roles: ROLES } },
  markRead: { method: 'POST', path: '/api/inbox/{notificationId}/read', auth: { kind: 'worker', roles: ROLES } },
  // A partner agency registers where its decisions are POSTed (PARTNER-API.md, Webhooks).
  registerWebhook: { method: 'PUT', path: '/v1/agencies/me/webhook', auth: { kind: 'partner', scopes: ['referrals/read'] } },
  // Deliveries that failed for 24 hours (the webhook-dead-lettered alarm points here) and those still being retried.
  webhookDeliveries: { method: 'GET', path: '/api/admin/webhook-deliveries', auth: { kind: 'worker', roles: ['administrator'] } },
} as const satisfies Record<string, HttpRoute>;
