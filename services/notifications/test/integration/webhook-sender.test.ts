/**
 * The webhook sender connects only to public addresses: a URL naming a loopback address, or a name
 * resolving to one, is refused before any byte is sent (the registration rules check only the
 * URL's text; a name can point anywhere). Loopback is allowed only on the local stage.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookPoster } from '../../src/adapters/webhook-sender';

let server: Server;
let port: number;
let received: string[];

beforeAll(async () => {
  server = createServer((request, response) => {
    received.push(`${request.method} ${request.url} ${request.headers['webhook-id'] ?? ''}`);
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
beforeEach(() => {
  received = [];
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const headers = { 'content-type': 'application/json', 'webhook-id': 'msg_1' };

it('refuses a loopback address, and a name that resolves to one, outside the local stage: nothing reaches the receiver', async () => {
  const deployed = createWebhookPoster({ timeoutMs: 2_000, allowLoopback: false });
  expect(await deployed(`http://127.0.0.1:${port}/hook`, headers, '{}')).toEqual({ ok: false, result: 'network error (ENONPUBLIC)' });
  expect(await deployed(`http://localhost:${port}/hook`, headers, '{}')).toEqual({ ok: false, result: 'network error (ENONPUBLIC)' });
  expect(received).toEqual([]);
});

it.each(['[::127.0.0.1]', '[::7f00:1]', '[2002:7f00:1::]', '[2002:7f00:1::1]', '[::ffff:7f00:1]'])(
  'refuses %s, an IPv6 address carrying 127.0.0.1, before connecting, on every stage',
  async (host) => {
    for (const allowLoopback of [false, true]) {
      const post = createWebhookPoster({ timeoutMs: 2_000, allowLoopback });
      expect(await post(`http://${host}:${port}/hook`, headers, '{}')).toEqual({ ok: false, result: 'network error (ENONPUBLIC)' });
    }
    expect(received).toEqual([]);
  },
);

it('posts to loopback on the local stage, and reports the status', async () => {
  const local = createWebhookPoster({ timeoutMs: 2_000, allowLoopback: true });
  expect(await local(`http://localhost:${port}/hook`, headers, '{"a":1}')).toEqual({ ok: true, result: 'HTTP 204' });
  expect(received).toEqual(['POST /hook msg_1']);
});

it('reports a refused connection as a network error to retry', async () => {
  const local = createWebhookPoster({ timeoutMs: 2_000, allowLoopback: true });
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  expect(await local(`http://127.0.0.1:${closedPort}/hook`, headers, '{}')).toEqual({ ok: false, result: 'network error (ECONNREFUSED)' });
});
