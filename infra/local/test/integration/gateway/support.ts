import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { sendNotFound } from '../../../src/gateway/gateway';

type Handler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface TestServer {
  url: string;
  port: number;
  /** Handlers are tried in order; the first to answer wins; nobody answering is API Gateway's 404. */
  use(handler: Handler): void;
  close(): Promise<void>;
  errors: unknown[];
}

/** A real HTTP server on a loopback port the OS picks, wired as the local cloud wires its parts. */
export async function startServer(): Promise<TestServer> {
  const handlers: Handler[] = [];
  const errors: unknown[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      for (const handler of handlers) if (await handler(req, res)) return;
      sendNotFound(res);
    })().catch((error: unknown) => {
      errors.push(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    use: (handler) => handlers.push(handler),
    errors,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

/**
 * Sends bytes exactly as written (repeated headers, unnormalised paths), which fetch would tidy up,
 * and reads the response until the server closes the connection.
 */
export function rawRequest(port: number, head: string, body = ''): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const lines = text.slice(0, split).split('\r\n');
      const status = Number(lines[0]?.split(' ')[1]);
      const headers = lines.slice(1).map((line): [string, string] => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
      });
      resolve({ status, headers, body: text.slice(split + 4) });
    });
    socket.write(`${head.trim().split('\n').join('\r\n')}\r\nConnection: close\r\n\r\n${body}`);
  });
}

export const decodePayload = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
