/**
 * One HTTP attempt at a partner's webhook. Redirects are not followed (a 3xx is a failure like any
 * non-2xx: the partner registers the address that answers), the response body is never read or
 * logged, and the attempt is abandoned after the timeout.
 */
import { WEBHOOK_TIMEOUT_MS } from '../domain/webhook';

export type AttemptResult = { ok: true; result: string } | { ok: false; result: string };

export type WebhookPoster = (url: string, headers: Record<string, string>, body: string) => Promise<AttemptResult>;

export function createWebhookPoster(options: { timeoutMs?: number } = {}): WebhookPoster {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  return async (url, headers, body) => {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'user-agent': 'fsp-webhooks/1' },
        body,
        redirect: 'manual',
        signal,
      });
      await response.body?.cancel();
      const result = `HTTP ${response.status}`;
      return response.status >= 200 && response.status < 300 ? { ok: true, result } : { ok: false, result };
    } catch (error) {
      // Every way the request can fail is an outcome to record and retry, never the sweep's own failure.
      if (signal.aborted) return { ok: false, result: `timed out after ${timeoutMs / 1000} s` };
      const cause = (error as { cause?: { code?: unknown } }).cause;
      const code = typeof cause?.code === 'string' ? cause.code : (error as Error).name;
      return { ok: false, result: `network error (${code})` };
    }
  };
}
