import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSeedClient } from '../../../src/seed/client';

/** A loopback server that answers each request with the next of `answers`, recording what it was asked. */
async function serving(answers: Array<{ status: number; headers?: Record<string, string> }>) {
  const asked: Array<{ method: string; url: string; idempotencyKey: string | undefined }> = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    asked.push({ method: req.method ?? '', url: req.url ?? '', idempotencyKey: req.headers['idempotency-key'] as string | undefined });
    const answer = answers[Math.min(asked.length - 1, answers.length - 1)]!;
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify({ status: answer.status }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, asked, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const unavailable = { status: 503, headers: { 'retry-after': '2' } };

describe('the seed client after a 503 with Retry-After', () => {
  it('asks again for a read once the seconds it was told have passed, and gets the answer', async () => {
    const server = await serving([unavailable, unavailable, { status: 200 }]);
    const waited: number[] = [];
    try {
      const client = createSeedClient(server.url, { wait: async (ms) => void waited.push(ms) });
      await expect(client.expect(200, 'GET', '/api/front-door/referrals/r-1')).resolves.toEqual({ status: 200 });
      expect(waited).toEqual([2000, 2000]);
      expect(server.asked).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it('repeats a POST only with its Idempotency-Key, the same one each time', async () => {
    const server = await serving([unavailable, { status: 201 }]);
    try {
      const client = createSeedClient(server.url, { wait: async () => undefined });
      await client.expect(201, 'POST', '/v1/referrals', { body: {}, headers: { 'Idempotency-Key': 'seed-1' } });
      expect(server.asked.map((request) => request.idempotencyKey)).toEqual(['seed-1', 'seed-1']);
    } finally {
      await server.close();
    }
  });

  it('does not repeat a POST without one: its outcome is unknown, so the 503 is the error it names', async () => {
    const server = await serving([unavailable, { status: 200 }]);
    try {
      const client = createSeedClient(server.url, { wait: async () => undefined });
      await expect(client.expect(200, 'POST', '/api/front-door/referrals/r-1/decision', { body: {} })).rejects.toThrow(
        /POST \/api\/front-door\/referrals\/r-1\/decision answered 503, not 200/,
      );
      expect(server.asked).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('gives up after four attempts, and does not wait on a 503 that says nothing of when to come back', async () => {
    const always = await serving([unavailable]);
    const bare = await serving([{ status: 503 }]);
    try {
      const waited: number[] = [];
      const client = createSeedClient(always.url, { wait: async (ms) => void waited.push(ms) });
      await expect(client.expect(200, 'GET', '/cases')).rejects.toThrow(/answered 503/);
      expect({ attempts: always.asked.length, waits: waited.length }).toEqual({ attempts: 4, waits: 3 });
      await expect(createSeedClient(bare.url, { wait: async () => undefined }).expect(200, 'GET', '/cases')).rejects.toThrow(
        /answered 503/,
      );
      expect(bare.asked).toHaveLength(1);
    } finally {
      await always.close();
      await bare.close();
    }
  });
});
