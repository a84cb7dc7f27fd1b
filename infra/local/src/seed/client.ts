/**
 * How the seed talks to the local cloud: over HTTP, as any client does (the gateway, the issuer's
 * token endpoints), with the demo workers' and agencies' own tokens. Nothing here reaches a table.
 */

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export class SeedError extends Error {
  override readonly name = 'SeedError';
}

export interface SeedClient {
  url: string;
  /** A JSON request; the answer's JSON body (or `{}` when it has none). */
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Answer<T>>;
  /** Like `call`, but anything other than `expected` is an error naming the request and the problem it answered. */
  expect<T = Record<string, unknown>>(
    expected: number,
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<T>;
  workerToken(username: string, password: string): Promise<string>;
  partnerToken(clientId: string, clientSecret: string, scope: string): Promise<string>;
}

/**
 * A 503 says, with Retry-After, when to come back (QUALITY.md, reliability 8): the seed comes back then,
 * as a partner's client would, for a request it may repeat: a read, or one carrying an
 * Idempotency-Key. Any other request's outcome is unknown after a 503, so it stays an error.
 */
const MAX_ATTEMPTS_AFTER_503 = 4;

const mayRepeat = (method: string, headers: Record<string, string> | undefined) =>
  method === 'GET' || method === 'HEAD' || Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'idempotency-key');

/** Retry-After's seconds, when the header is a whole number of them (how the platform writes it). */
const retryAfterSeconds = (header: string | null): number | undefined =>
  header !== null && /^\d+$/.test(header.trim()) ? Number(header.trim()) : undefined;

export interface SeedClientOptions {
  /** Waits out a Retry-After; the tests pass one that only records it. */
  wait?: (milliseconds: number) => Promise<void>;
}

export function createSeedClient(url: string, clientOptions: SeedClientOptions = {}): SeedClient {
  const wait = clientOptions.wait ?? ((milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)));
  const call: SeedClient['call'] = async (method, path, options = {}) => {
    for (let attempt = 1; ; attempt += 1) {
      const response = await send(method, path, options);
      const seconds = retryAfterSeconds(response.headers.get('retry-after'));
      if (response.status !== 503 || seconds === undefined || attempt >= MAX_ATTEMPTS_AFTER_503 || !mayRepeat(method, options.headers))
        return answerOf(method, path, response);
      await response.arrayBuffer();
      await wait(seconds * 1000);
    }
  };

  const send = (method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> }) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });

  const answerOf = async <T>(method: string, path: string, response: Response): Promise<Answer<T>> => {
    const text = await response.text();
    let body: unknown = {};
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new SeedError(`${method} ${path} answered ${response.status} with something that is not JSON: ${text.slice(0, 200)}`);
      }
    }
    return { status: response.status, body: body as never };
  };

  return {
    url,
    call,
    async expect(expected, method, path, options) {
      const answer = await call(method, path, options);
      if (answer.status !== expected) {
        throw new SeedError(`${method} ${path} answered ${answer.status}, not ${expected}: ${JSON.stringify(answer.body).slice(0, 1_000)}`);
      }
      return answer.body as never;
    },
    async workerToken(username, password) {
      const answer = await call<{ access_token?: string }>('POST', '/local/worker-token', { body: { username, password } });
      if (answer.status !== 200 || !answer.body.access_token) throw new SeedError(`signing in ${username} answered ${answer.status}`);
      return answer.body.access_token;
    },
    async partnerToken(clientId, clientSecret, scope) {
      const response = await fetch(`${url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope }).toString(),
      });
      const body = (await response.json()) as { access_token?: string };
      if (response.status !== 200 || !body.access_token)
        throw new SeedError(`the token endpoint answered ${response.status} for client ${clientId}`);
      return body.access_token;
    },
  };
}

/** Polls until `check` gives a value: events take a moment to travel through outbox, relay, bus and queue. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new SeedError(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
