/**
 * DNS rebinding: a page on another site reaches the local cloud on 127.0.0.1 with its own domain in
 * the Host header. Every path must refuse it, those the gateway routes and those served beside it.
 */
import { request } from 'node:http';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { type LocalCloud, startLocalCloud } from '../../src/local-cloud';

interface Answer {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** node:http, because fetch will not let a caller choose the Host header. Always to 127.0.0.1. */
function send(cloud: LocalCloud, options: Probe & { host: string }) {
  const { port } = new URL(cloud.url);
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: Number(port),
        method: options.method,
        path: options.path,
        headers: { ...options.headers, host: options.host },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

interface Probe {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const requests: Probe[] = [
  { method: 'GET', path: '/' },
  { method: 'GET', path: '/local' },
  // The issuer's sign-in page lists the demo passwords.
  { method: 'GET', path: '/login' },
  { method: 'POST', path: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=x' },
  { method: 'GET', path: '/logout' },
  {
    method: 'POST',
    path: '/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  },
  { method: 'GET', path: '/.well-known/openid-configuration' },
  { method: 'GET', path: '/mail' },
  { method: 'GET', path: '/_local/queues' },
  { method: 'GET', path: '/_local/dlq' },
  { method: 'GET', path: '/v1/openapi.json' },
  { method: 'GET', path: '/no/such/path' },
  {
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
    body: JSON.stringify({ Entries: [{ Source: 'evil', DetailType: 'x', Detail: '{}' }] }),
  },
  {
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPoolClients' },
    body: JSON.stringify({ UserPoolId: 'eu-west-2_fsplocal' }),
  },
];

describe('the local cloud answers only requests addressed to a loopback host', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startLocalCloud({ manifests: [], dynamoEndpoint: testDynamoEndpoint(), log: () => {} });
  });
  afterAll(async () => {
    await cloud.stop();
  });

  describe.each(['evil.example', 'evil.example:80', 'localhost.evil.example', '127.0.0.1.nip.io', '10.0.0.1'])('Host: %s', (host) => {
    it.each(requests.map((r) => [`${r.method} ${r.path}`, r] as const))(
      'refuses %s with 421 and a short plain message',
      async (_label, r) => {
        const answer = await send(cloud, { ...r, host });
        expect(answer.status).toBe(421);
        expect(answer.contentType).toBe('text/plain; charset=utf-8');
        expect(answer.body).toMatch(/^Misdirected Request: .*loopback/);
        expect(answer.body).not.toMatch(/password/i);
      },
    );
  });

  it.each(['127.0.0.1', 'localhost', 'LOCALHOST', 'app.localhost', '127.42.0.1', '[::1]'])(
    'serves its page for developers to Host %s (with the port)',
    async (name) => {
      const { port } = new URL(cloud.url);
      const answer = await send(cloud, { method: 'GET', path: '/local', host: `${name}:${port}` });
      expect(answer.status).toBe(200);
      expect(answer.contentType).toMatch(/^text\/html/);
    },
  );

  it('still answers the AWS SDK, which names 127.0.0.1 and the port', async () => {
    const { port } = new URL(cloud.url);
    const answer = await send(cloud, {
      method: 'POST',
      path: '/',
      host: `127.0.0.1:${port}`,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
      body: JSON.stringify({ Entries: [{ Source: 'fsp.test', DetailType: 'Tested', Detail: '{}', EventBusName: 'fsp-local' }] }),
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ FailedEntryCount: 0 });
  });
});
