/**
 * What sits outside the platform in the outbound tests: a partner's webhook receiver (a real
 * node:http server on 127.0.0.1) and the local SES v2 stand-in (the local cloud's mail outbox,
 * served in-process), with a clock the test moves by hand.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@fsp/infra/local/dynamodb-local';
import { createMailOutbox, type MailOutbox } from '@fsp/infra/local/mail/outbox';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers each request with the next status of `script` (the last one repeats); 'hang' never answers. */
export async function startReceiver(script: (number | 'hang')[] = [200]) {
  const received: ReceivedWebhook[] = [];
  let answers = [...script];
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(answer, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/fsp`,
    received,
    answer(next: (number | 'hang')[]) {
      answers = [...next];
    },
    async stop() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** The local cloud's mail outbox on its own port, and an SES v2 client pointed at it. */
export async function startMailOutbox(): Promise<{ outbox: MailOutbox; ses: SESv2Client; endpoint: string; stop(): Promise<void> }> {
  const outbox = createMailOutbox();
  const server = createServer((req, res) => {
    outbox.handle(req, res).then(
      (handled) => {
        if (!handled) {
          res.writeHead(404);
          res.end();
        }
      },
      (error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      },
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ses = new SESv2Client({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  return {
    outbox,
    ses,
    endpoint,
    async stop() {
      ses.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A clock the test sets and moves; every read returns a fresh Date. */
export function movableClock(startIso: string) {
  let now = Date.parse(startIso);
  return {
    clock: () => new Date(now),
    set(iso: string) {
      now = Date.parse(iso);
    },
    advance(ms: number) {
      now += ms;
    },
    now: () => new Date(now),
  };
}
