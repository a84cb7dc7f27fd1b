/**
 * Log messages an alarm watches for. They live here, with no imports, so that the manifest
 * (service.ts) can name them without loading handler code, and a reworded log line cannot
 * silently detach its alarm.
 */

/** Logged at ERROR by the webhook attempt (src/consumers/webhook-attempt.ts) when a delivery has failed for 24 hours and is given up. */
export const WEBHOOK_DEAD_LETTERED = 'Webhook delivery dead-lettered after 24 hours of failures';
