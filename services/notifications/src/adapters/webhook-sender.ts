/**
 * One HTTP attempt at a partner's webhook. Redirects are not followed (a 3xx is a failure like any
 * non-2xx: the partner registers the address that answers), the response body is never read or
 * logged, and the attempt is abandoned after the timeout.
 *
 * The connection goes only to a public address: the name is resolved for this very connection
 * and every address it resolves to is checked (domain/webhook.ts `isPublicAddress`), so a name
 * that points inwards (a metadata service, the platform's own network, DNS rebinding) is refused
 * before a byte is sent. On the local stage, loopback is allowed so that tests and demos receive.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import { isPublicAddress, WEBHOOK_TIMEOUT_MS } from '../domain/webhook';

export type AttemptResult = { ok: true; result: string } | { ok: false; result: string };

export type WebhookPoster = (url: string, headers: Record<string, string>, body: string) => Promise<AttemptResult>;

export interface WebhookPosterOptions {
  timeoutMs?: number;
  /** Only on the local stage (webhookConfig's allowLocalHttp): loopback addresses may be called. */
  allowLoopback: boolean;
}

class NonPublicAddress extends Error {
  override readonly name = 'NonPublicAddress';
  readonly code = 'ENONPUBLIC';
}

const isLoopback = (address: string): boolean => address === '::1' || address.startsWith('127.');

/** `lookup` for http(s).request: resolves as usual, then refuses every address the policy does not allow. */
function guardedLookup(allowed: (address: string) => boolean): RequestOptions['lookup'] {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error);
      const refused = addresses.find((entry) => !allowed(entry.address));
      if (refused || addresses.length === 0) {
        return callback(new NonPublicAddress(`${hostname} resolves to ${refused?.address ?? 'nothing'}, which is not a public address`));
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses as [LookupAddress];
      return callback(null, first.address, first.family);
    });
  }) as RequestOptions['lookup'];
}

export function createWebhookPoster(options: WebhookPosterOptions): WebhookPoster {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const allowed = (address: string) => isPublicAddress(address) || (options.allowLoopback && isLoopback(address));
  const lookup = guardedLookup(allowed);
  return (url, headers, body) =>
    new Promise<AttemptResult>((resolve) => {
      const target = new URL(url);
      // An address written in the URL is connected to without a lookup: check it here.
      const literal = target.hostname.replace(/^\[(.*)\]$/, '$1');
      if (isIP(literal) !== 0 && !allowed(literal)) return resolve({ ok: false, result: 'network error (ENONPUBLIC)' });
      const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
      const request = send(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'fsp-webhooks/1' },
          lookup,
          signal: AbortSignal.timeout(timeoutMs),
        },
        (response) => {
          response.resume();
          const status = response.statusCode ?? 0;
          const result = `HTTP ${status}`;
          resolve(status >= 200 && status < 300 ? { ok: true, result } : { ok: false, result });
        },
      );
      // Every way the request can fail is an outcome to record and retry, never the sweep's own failure.
      request.on('error', (error: Error & { code?: unknown }) => {
        if (error.name === 'AbortError') return resolve({ ok: false, result: `timed out after ${timeoutMs / 1000} s` });
        const code = typeof error.code === 'string' ? error.code : error.name;
        resolve({ ok: false, result: `network error (${code})` });
      });
      request.end(body);
    });
}
