/**
 * The local gateway's `$default` route (ADR 0013), as API Gateway's: a request no route matches,
 * whatever its method and path, goes to the one service that declares it, with the event API
 * Gateway builds for it (`routeKey: "$default"`, no path parameters, no authorizer); a request a
 * route matches never does, and without a declaration the gateway passes as before.
 */
import type { ServiceManifest } from '@fsp/shared/manifest';
import { createGateway } from '../../../src/gateway/gateway';
import { createLocalIssuer, type LocalIssuer } from '../../../src/oidc/issuer';
import { rawRequest, startServer, type TestServer } from './support';

type Event = Record<string, unknown> & { requestContext: Record<string, unknown> };

const referrals: ServiceManifest = {
  name: 'referrals',
  directory: '/nowhere',
  http: {
    function: { name: 'http', entry: 'src/handlers/http.ts' },
    routes: [
      { method: 'GET', path: '/v1/referrals/{id}', auth: { kind: 'partner', scopes: ['referrals/read'] } },
      { method: 'GET', path: '/refer', auth: { kind: 'public' } },
      { method: 'GET', path: '/api/front-door/referrals', auth: { kind: 'worker', roles: ['front-door'] } },
    ],
  },
  subscriptions: [],
  schedules: [],
  publishes: [],
};

const pages = { name: 'pages', entry: 'src/handlers/pages.ts' };
const notifications: ServiceManifest = {
  name: 'notifications',
  directory: '/nowhere',
  http: {
    function: { name: 'http', entry: 'src/handlers/http.ts' },
    routes: [{ method: 'GET', path: '/', auth: { kind: 'page', roles: ['social-worker'] }, function: pages }],
    defaultRoute: { function: pages },
  },
  subscriptions: [],
  schedules: [],
  publishes: [],
};

function recordingInvoke() {
  const calls: { functionId: string; event: Event }[] = [];
  const invoke = async (functionId: string, event: unknown): Promise<unknown> => {
    calls.push({ functionId, event: event as Event });
    return { statusCode: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<h1>Page not found</h1>' };
  };
  return { calls, invoke };
}

describe('the local gateway’s $default route', () => {
  let server: TestServer;
  let issuer: LocalIssuer;
  let calls: ReturnType<typeof recordingInvoke>['calls'];

  beforeEach(async () => {
    server = await startServer();
    issuer = createLocalIssuer({ issuerUrl: server.url });
    const recorder = recordingInvoke();
    calls = recorder.calls;
    server.use(issuer.handle);
    server.use(createGateway({ manifests: [referrals, notifications], invoke: recorder.invoke, issuer, log: () => {} }).handle);
  });
  afterEach(() => server.close());

  it('takes every method and path no route has, with the event API Gateway builds for it', async () => {
    const client = issuer.registerClient({ name: 'Riverside Primary', scopes: ['referrals/read'], agencyId: 'agency-1' });
    const { access_token } = issuer.issueClientToken(client.clientId);
    for (const [method, path] of [
      ['GET', '/front-door/xyz'],
      ['GET', '/cases/a/b'],
      ['PUT', '/refer'],
      ['GET', '/refer/a/b'],
      ['DELETE', '/v1/referrals/r1'],
      ['GET', '/v1/referrals/'],
      ['POST', '/api/nope'],
      ['HEAD', '/'],
    ] as const) {
      calls.length = 0;
      const res = await fetch(`${server.url}${path}?q=1`, {
        method,
        headers: { authorization: `Bearer ${access_token}`, cookie: 'theme=dark' },
      });
      expect({ method, path, status: res.status, type: res.headers.get('content-type') }).toEqual({
        method,
        path,
        status: 404,
        type: 'text/html; charset=utf-8',
      });
      expect(calls.map((call) => call.functionId)).toEqual(['notifications-pages']);
      const event = calls[0]!.event;
      expect(event).toMatchObject({
        version: '2.0',
        routeKey: '$default',
        rawPath: path,
        rawQueryString: 'q=1',
        cookies: ['theme=dark'],
        requestContext: { routeKey: '$default', stage: '$default', http: { method, path } },
      });
      // No path parameters to a route with none, and no authorizer on it: a token is not verified, nor passed as claims.
      expect(event.pathParameters).toBeUndefined();
      expect(event.requestContext.authorizer).toBeUndefined();
      expect((event.headers as Record<string, string>).authorization).toBe(`Bearer ${access_token}`);
    }
  });

  it('never takes a request a route matches: its route answers, or the route’s authorizer refuses it', async () => {
    expect((await fetch(`${server.url}/refer`)).status).toBe(404);
    expect(calls.map(({ functionId, event }) => [functionId, event.routeKey])).toEqual([['referrals-http', 'GET /refer']]);
    calls.length = 0;
    const refused = await fetch(`${server.url}/api/front-door/referrals`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ message: 'Unauthorized' });
    expect((await fetch(`${server.url}/v1/referrals/r1`, { headers: { authorization: 'Bearer forged' } })).status).toBe(401);
    expect(calls).toEqual([]);
  });

  it('leaves the issuer’s own paths to the issuer, as the handlers before the gateway keep priority', async () => {
    const res = await fetch(`${server.url}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(calls).toEqual([]);
  });

  it('passes a path with a malformed escape as it was sent', async () => {
    const res = await rawRequest(server.port, `GET /front-door/%E0%A4%A HTTP/1.1\nHost: 127.0.0.1:${server.port}`);
    expect(res.status).toBe(404);
    expect(calls[0]!.event).toMatchObject({ routeKey: '$default', rawPath: '/front-door/%E0%A4%A' });
  });
});

describe('the local gateway without a $default route, or outside its stage', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('passes what no route has, which the server answers as API Gateway does without one', async () => {
    server = await startServer();
    const issuer = createLocalIssuer({ issuerUrl: server.url });
    const recorder = recordingInvoke();
    server.use(createGateway({ manifests: [referrals], invoke: recorder.invoke, issuer }).handle);
    const res = await fetch(`${server.url}/front-door/xyz`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
    expect(recorder.calls).toEqual([]);
  });

  it('takes only paths under a named stage', async () => {
    server = await startServer();
    const issuer = createLocalIssuer({ issuerUrl: server.url });
    const recorder = recordingInvoke();
    server.use(createGateway({ manifests: [referrals, notifications], invoke: recorder.invoke, issuer, stage: 'dev' }).handle);
    expect((await fetch(`${server.url}/front-door/xyz`)).status).toBe(404);
    expect(recorder.calls).toEqual([]);
    expect((await fetch(`${server.url}/dev/front-door/xyz`)).status).toBe(404);
    expect(recorder.calls.map(({ event }) => [event.routeKey, event.rawPath, (event.requestContext as { stage: string }).stage])).toEqual([
      ['$default', '/dev/front-door/xyz', 'dev'],
    ]);
  });

  it('lists the $default route with the routes, and refuses two services declaring it, naming both', () => {
    const issuer = createLocalIssuer({ issuerUrl: 'http://127.0.0.1:1' });
    const gateway = createGateway({ manifests: [referrals, notifications], invoke: async () => null, issuer });
    expect(gateway.routes().at(-1)).toEqual({ routeKey: '$default', service: 'notifications', auth: { kind: 'public' } });
    const also: ServiceManifest = { ...referrals, http: { ...referrals.http!, defaultRoute: {} } };
    expect(() => createGateway({ manifests: [also, notifications], invoke: async () => null, issuer })).toThrow(
      'the $default route is declared by 2 services, referrals and notifications: only one service in the platform may serve it',
    );
  });
});
