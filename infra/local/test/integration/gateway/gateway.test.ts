import type { ServiceManifest } from '@fsp/shared/manifest';
import { createGateway } from '../../../src/gateway/gateway';
import { createLocalIssuer, type LocalIssuer } from '../../../src/oidc/issuer';
import { FunctionError } from '../../../src/runtime/function-runtime';
import { rawRequest, startServer, type TestServer } from './support';

type Event = Record<string, unknown> & {
  requestContext: Record<string, unknown> & { authorizer?: { jwt: { claims: Record<string, string>; scopes: string[] } } };
};

const manifest: ServiceManifest = {
  name: 'referrals',
  directory: '/nowhere',
  http: {
    function: { name: 'http', entry: 'src/handlers/http.ts' },
    routes: [
      { method: 'GET', path: '/v1/openapi.json', auth: { kind: 'public' } },
      { method: 'POST', path: '/v1/referrals', auth: { kind: 'partner', scopes: ['referrals/submit'] } },
      { method: 'GET', path: '/v1/referrals/{id}', auth: { kind: 'partner', scopes: ['referrals/read'] } },
      { method: 'POST', path: '/echo', auth: { kind: 'public' } },
      { method: 'GET', path: '/respond/{kind}', auth: { kind: 'public' } },
    ],
  },
  subscriptions: [],
  schedules: [],
  publishes: [],
};

const cases: ServiceManifest = {
  name: 'cases',
  directory: '/nowhere',
  http: {
    function: { name: 'web', entry: 'src/handlers/http.ts' },
    routes: [
      { method: 'GET', path: '/cases/summary', auth: { kind: 'worker', roles: ['social-worker'] } },
      { method: 'GET', path: '/cases/{caseId}/notes/{noteId}', auth: { kind: 'worker', roles: ['social-worker'] } },
      { method: 'GET', path: '/cases/{proxy+}', auth: { kind: 'worker', roles: ['social-worker'] } },
    ],
  },
  subscriptions: [],
  schedules: [],
  publishes: [],
};

/** Stands in for the function runtime: records what it was given and answers per route. */
function recordingInvoke() {
  const calls: { functionId: string; event: Event }[] = [];
  const invoke = async (functionId: string, event: unknown): Promise<unknown> => {
    const e = event as Event;
    calls.push({ functionId, event: e });
    const kind = (e.pathParameters as Record<string, string> | undefined)?.kind;
    switch (kind) {
      case 'throws':
        // As the function runtime reports a handler's error.
        throw new FunctionError('referrals-http', 'Error', 'database on fire');
      case 'throttled':
        // As Lambda refuses an invocation over the function's concurrency.
        throw Object.assign(new Error('Rate Exceeded.'), { name: 'TooManyRequestsException' });
      case 'refused':
        throw new Error('no function referrals-http is deployed in the local cloud');
      case 'bare-object':
        return { hello: 'world' };
      case 'bare-string':
        return 'plain words';
      case 'malformed':
        return { statusCode: 'two hundred' };
      case 'hangs':
        return new Promise(() => {});
      case 'binary':
        return {
          statusCode: 200,
          headers: { 'content-type': 'image/png' },
          body: Buffer.from([0, 1, 2, 255]).toString('base64'),
          isBase64Encoded: true,
        };
      case 'cookies':
        return {
          statusCode: 201,
          headers: { 'X-Custom': 7, 'content-type': 'text/plain' },
          cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
          body: 'made',
        };
      default:
        return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: true }) };
    }
  };
  return { calls, invoke };
}

describe('local HTTP gateway', () => {
  let server: TestServer;
  let issuer: LocalIssuer;
  let now: Date;
  let calls: ReturnType<typeof recordingInvoke>['calls'];
  let logs: string[];
  let partner: { clientId: string; clientSecret: string };
  let workerToken: string;

  beforeEach(async () => {
    server = await startServer();
    now = new Date('2025-06-01T09:00:00Z');
    issuer = createLocalIssuer({ issuerUrl: server.url, clock: () => now });
    const recorder = recordingInvoke();
    calls = recorder.calls;
    logs = [];
    const gateway = createGateway({
      manifests: [manifest, cases],
      invoke: recorder.invoke,
      issuer,
      clock: () => now,
      log: (line) => logs.push(line),
      integrationTimeoutMs: 300,
    });
    server.use(issuer.handle);
    server.use(gateway.handle);
    partner = issuer.registerClient({ name: 'Riverside Primary', scopes: ['referrals/submit', 'referrals/read'], agencyId: 'agency-1' });
    issuer.registerWorker({
      username: 'sam',
      name: 'Sam',
      email: 'sam@example.gov.uk',
      roles: ['social-worker', 'team-manager'],
      teamId: 'team-north',
    });
    workerToken = issuer.issueWorkerToken('sam').access_token;
  });
  afterEach(() => server.close());

  const lastEvent = (): Event => calls.at(-1)!.event;

  it('builds the exact payload 2.0 event for a public route', async () => {
    const res = await rawRequest(
      server.port,
      `GET /v1/openapi.json?tag=a&tag=b&q=hello%20world&empty= HTTP/1.1
Host: 127.0.0.1:${server.port}
User-Agent: test-agent/1.0
X-Dup: one
X-DUP: two
Cookie: theme=dark; lang=en
Cookie: extra=1`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.find(([n]) => n === 'apigw-requestid')).toBeDefined();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.functionId).toBe('referrals-http');
    const event = lastEvent();
    expect(Object.keys(event).sort()).toEqual(
      [
        'version',
        'routeKey',
        'rawPath',
        'rawQueryString',
        'cookies',
        'headers',
        'queryStringParameters',
        'requestContext',
        'isBase64Encoded',
      ].sort(),
    );
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /v1/openapi.json',
      rawPath: '/v1/openapi.json',
      rawQueryString: 'tag=a&tag=b&q=hello%20world&empty=',
      cookies: ['theme=dark', 'lang=en', 'extra=1'],
      queryStringParameters: { tag: 'a,b', q: 'hello world', empty: '' },
      isBase64Encoded: false,
    });
    const headers = event.headers as Record<string, string>;
    expect(headers['x-dup']).toBe('one,two');
    expect(headers['user-agent']).toBe('test-agent/1.0');
    expect(headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(headers.cookie).toBeUndefined();
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    for (const name of Object.keys(headers)) expect(name).toBe(name.toLowerCase());
    const context = event.requestContext;
    expect(context).toMatchObject({
      accountId: '000000000000',
      domainName: `127.0.0.1:${server.port}`,
      domainPrefix: '127',
      http: { method: 'GET', path: '/v1/openapi.json', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test-agent/1.0' },
      routeKey: 'GET /v1/openapi.json',
      stage: '$default',
      time: '01/Jun/2025:09:00:00 +0000',
      timeEpoch: now.getTime(),
    });
    expect(context.apiId).toMatch(/^[a-z0-9]{10}$/);
    expect(typeof context.requestId).toBe('string');
    expect(context.authorizer).toBeUndefined();
  });

  it('passes a partner token through as authorizer.jwt claims (strings, as API Gateway sends them) and decodes path parameters', async () => {
    const { access_token } = issuer.issueClientToken(partner.clientId);
    const res = await fetch(`${server.url}/v1/referrals/ref%20123`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(200);
    const event = lastEvent();
    expect(event.routeKey).toBe('GET /v1/referrals/{id}');
    expect(event.pathParameters).toEqual({ id: 'ref 123' });
    expect(event.rawPath).toBe('/v1/referrals/ref%20123');
    const jwt = event.requestContext.authorizer!.jwt;
    expect(jwt.scopes).toEqual(['referrals/submit', 'referrals/read']);
    expect(jwt.claims).toMatchObject({
      iss: server.url,
      client_id: partner.clientId,
      'custom:agency': 'agency-1',
      token_use: 'access',
      exp: String(now.getTime() / 1000 + 3600),
    });
    for (const value of Object.values(jwt.claims)) expect(typeof value).toBe('string');
  });

  it('renders a worker token’s groups as API Gateway does', async () => {
    const res = await fetch(`${server.url}/cases/summary`, { headers: { authorization: `Bearer ${workerToken}` } });
    expect(res.status).toBe(200);
    expect(lastEvent().requestContext.authorizer!.jwt.claims).toMatchObject({
      username: 'sam',
      'cognito:groups': '[social-worker team-manager]',
      'custom:team': 'team-north',
    });
  });

  it('never takes a token from a cookie: JSON routes take a bearer token only (ADR 0012), and a browser is not sent anywhere', async () => {
    for (const cookie of [`fsp_session=${workerToken}`, `__Host-fsp-session=${workerToken}`]) {
      const res = await fetch(`${server.url}/cases/summary`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
      expect(res.status).toBe(401);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect(calls).toHaveLength(0);
  });

  it('picks the most specific route', async () => {
    const auth = { authorization: `Bearer ${workerToken}` };
    await fetch(`${server.url}/cases/summary`, { headers: auth });
    expect(lastEvent().routeKey).toBe('GET /cases/summary');
    await fetch(`${server.url}/cases/c1/notes/n2`, { headers: auth });
    expect(lastEvent()).toMatchObject({ routeKey: 'GET /cases/{caseId}/notes/{noteId}', pathParameters: { caseId: 'c1', noteId: 'n2' } });
    await fetch(`${server.url}/cases/c1/chronology/2025`, { headers: auth });
    expect(lastEvent()).toMatchObject({ routeKey: 'GET /cases/{proxy+}', pathParameters: { proxy: 'c1/chronology/2025' } });
  });

  it('passes JSON bodies as text and base64-encodes form and binary bodies', async () => {
    await fetch(`${server.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(lastEvent()).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    await fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=A+B&x=%26',
    });
    expect(lastEvent().isBase64Encoded).toBe(true);
    expect(Buffer.from(lastEvent().body as string, 'base64').toString()).toBe('name=A+B&x=%26');
    await fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0, 159, 255]),
    });
    expect(Buffer.from(lastEvent().body as string, 'base64')).toEqual(Buffer.from([0, 159, 255]));
  });

  it('maps structured responses, including cookies and base64 bodies', async () => {
    const made = await fetch(`${server.url}/respond/cookies`);
    expect(made.status).toBe(201);
    expect(made.headers.get('x-custom')).toBe('7');
    expect(made.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(await made.text()).toBe('made');
    const binary = await fetch(`${server.url}/respond/binary`);
    expect(binary.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await binary.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('infers 200 JSON from a bare object or string', async () => {
    const object = await fetch(`${server.url}/respond/bare-object`);
    expect(object.status).toBe(200);
    expect(object.headers.get('content-type')).toBe('application/json');
    expect(await object.json()).toEqual({ hello: 'world' });
    const text = await fetch(`${server.url}/respond/bare-string`);
    expect(await text.text()).toBe('plain words');
  });

  it('answers 502 and logs when the function fails or returns a malformed response, as API Gateway does', async () => {
    const thrown = await fetch(`${server.url}/respond/throws`);
    expect(thrown.status).toBe(502);
    expect(await thrown.json()).toEqual({ message: 'Internal Server Error' });
    expect(logs.some((l) => l.includes('database on fire') && l.includes('referrals-http'))).toBe(true);
    const malformed = await fetch(`${server.url}/respond/malformed`);
    expect(malformed.status).toBe(502);
    expect(logs.some((l) => l.includes('malformed Lambda proxy response'))).toBe(true);
  });

  it('answers 500 when the function could not be invoked at all, as API Gateway does', async () => {
    const refused = await fetch(`${server.url}/respond/refused`);
    expect(refused.status).toBe(500);
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(logs.some((l) => l.includes('the function could not be invoked') && l.includes('no function referrals-http'))).toBe(true);
  });

  it('answers 503 with Retry-After when the integration does not answer in time', async () => {
    const res = await fetch(`${server.url}/respond/hangs`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('apigw-requestid')).toBeTruthy();
    expect(await res.json()).toEqual({ message: 'Service Unavailable' });
  });

  it('answers 503 with Retry-After when the invocation was throttled (where API Gateway answers 500)', async () => {
    const res = await fetch(`${server.url}/respond/throttled`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({ message: 'Service Unavailable' });
    expect(logs.some((l) => l.includes('the invocation was throttled'))).toBe(true);
  });

  describe('authorisation, as the JWT authorizer answers', () => {
    const expectUnauthorized = async (res: Response) => {
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ message: 'Unauthorized' });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    };
    const expectForbidden = async (res: Response) => {
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ message: 'Forbidden' });
    };
    const getReferral = (token?: string) =>
      fetch(`${server.url}/v1/referrals/r1`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

    it('401 without a token', async () => {
      await expectUnauthorized(await getReferral());
      await expectUnauthorized(await fetch(`${server.url}/cases/summary`));
      expect(calls).toHaveLength(0);
    });

    it('401 for an expired token', async () => {
      const { access_token } = issuer.issueClientToken(partner.clientId);
      now = new Date(now.getTime() + 3601_000);
      const res = await getReferral(access_token);
      expect(res.headers.get('www-authenticate')).toContain('expired');
      await expectUnauthorized(res);
    });

    it('401 for a token from another issuer', async () => {
      const other = createLocalIssuer({ issuerUrl: 'http://127.0.0.1:9', clock: () => now });
      const client = other.registerClient({ name: 'x', scopes: ['referrals/read'] });
      await expectUnauthorized(await getReferral(other.issueClientToken(client.clientId).access_token));
    });

    it('401 for an altered signature or payload', async () => {
      const [h, p, s] = issuer.issueClientToken(partner.clientId).access_token.split('.') as [string, string, string];
      const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
      await expectUnauthorized(await getReferral(`${h}.${p}.${flipped}`));
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...claims, 'custom:agency': 'agency-2' })).toString('base64url');
      await expectUnauthorized(await getReferral(`${h}.${forged}.${s}`));
      await expectUnauthorized(await getReferral('garbage'));
    });

    it('401 once the client is revoked', async () => {
      const { access_token } = issuer.issueClientToken(partner.clientId);
      expect((await getReferral(access_token)).status).toBe(200);
      issuer.revokeClient(partner.clientId);
      await expectUnauthorized(await getReferral(access_token));
    });

    it('403 when a scope is missing', async () => {
      const { access_token } = issuer.issueClientToken(partner.clientId, ['referrals/submit']);
      const res = await getReferral(access_token);
      expect(res.headers.get('www-authenticate')).toContain('insufficient_scope');
      await expectForbidden(res);
      expect(calls).toHaveLength(0);
    });

    it('403 for a worker token on a partner route and a partner token on a worker route', async () => {
      await expectForbidden(await getReferral(workerToken));
      const { access_token } = issuer.issueClientToken(partner.clientId);
      await expectForbidden(await fetch(`${server.url}/cases/summary`, { headers: { authorization: `Bearer ${access_token}` } }));
    });

    it('a partner token obtained from the token endpoint works end to end', async () => {
      const tokenRes = await fetch(`${server.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: partner.clientId, client_secret: partner.clientSecret }),
      });
      const { access_token } = (await tokenRes.json()) as { access_token: string };
      const res = await fetch(`${server.url}/v1/referrals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(200);
      expect(lastEvent().routeKey).toBe('POST /v1/referrals');
    });
  });

  it('404 Not Found for unknown paths and methods (the gateway passes, the server answers)', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['DELETE', '/v1/referrals/r1'],
      ['GET', '/v1/referrals/'],
      ['GET', '/cases'],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, { method });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ message: 'Not Found' });
    }
    expect(calls).toHaveLength(0);
  });
});

describe('gateway options', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves a named stage under its prefix', async () => {
    const started = await startServer();
    server = started;
    const issuer = createLocalIssuer({ issuerUrl: started.url });
    const recorder = recordingInvoke();
    const gateway = createGateway({ manifests: [cases, manifest], invoke: recorder.invoke, issuer, stage: 'dev' });
    started.use(gateway.handle);
    expect(gateway.routes().map((r) => r.routeKey)).toContain('GET /cases/{proxy+}');

    const res = await fetch(`${started.url}/dev/respond/ok`);
    expect(res.status).toBe(200);
    expect(recorder.calls[0]!.event).toMatchObject({
      rawPath: '/dev/respond/ok',
      routeKey: 'GET /respond/{kind}',
      requestContext: { stage: 'dev', http: { path: '/dev/respond/ok' } },
    });
    expect((await fetch(`${started.url}/respond/ok`)).status).toBe(404);

    expect((await fetch(`${started.url}/dev/cases/summary`)).status).toBe(401);
  });

  it("invokes a route's own function, and the service's HTTP function for every route without one", async () => {
    const started = await startServer();
    server = started;
    const issuer = createLocalIssuer({ issuerUrl: started.url });
    const recorder = recordingInvoke();
    const partnerApi = { name: 'partner-api', entry: 'src/handlers/partner-api.ts' };
    const split: ServiceManifest = {
      ...manifest,
      http: {
        ...manifest.http!,
        routes: manifest.http!.routes.map((route) => (route.path.startsWith('/v1/') ? { ...route, function: partnerApi } : route)),
      },
    };
    started.use(createGateway({ manifests: [split], invoke: recorder.invoke, issuer }).handle);

    expect((await fetch(`${started.url}/v1/openapi.json`)).status).toBe(200);
    expect((await fetch(`${started.url}/respond/ok`)).status).toBe(200);
    expect(recorder.calls.map(({ functionId, event }) => [event.routeKey, functionId])).toEqual([
      ['GET /v1/openapi.json', 'referrals-partner-api'],
      ['GET /respond/{kind}', 'referrals-http'],
    ]);
  });

  it('refuses a function name a manifest declares with two entries', () => {
    const twice: ServiceManifest = {
      ...cases,
      http: {
        ...cases.http!,
        routes: [
          {
            method: 'GET',
            path: '/cases',
            auth: { kind: 'worker', roles: ['social-worker'] },
            function: { name: 'web', entry: 'src/other.ts' },
          },
        ],
      },
    };
    const issuer = createLocalIssuer({ issuerUrl: 'http://127.0.0.1:1' });
    expect(() => createGateway({ manifests: [twice], invoke: async () => null, issuer })).toThrow(
      /function web is declared with two entries, src\/handlers\/http.ts and src\/other.ts/,
    );
  });

  it('refuses manifests whose routes clash', () => {
    const clash: ServiceManifest = {
      ...cases,
      name: 'other',
      http: {
        ...cases.http!,
        routes: [{ method: 'GET', path: '/cases/{id}/notes/{n}', auth: { kind: 'worker', roles: ['social-worker'] } }],
      },
    };
    const issuer = createLocalIssuer({ issuerUrl: 'http://127.0.0.1:1' });
    expect(() => createGateway({ manifests: [cases, clash], invoke: async () => null, issuer })).toThrow(/clashes with a route of cases/);
  });
});
