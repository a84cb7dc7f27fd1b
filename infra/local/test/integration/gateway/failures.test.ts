/**
 * The local gateway's answers when a function does not give one, through a real server and the
 * real function runtime (worker threads running a fixture): as API Gateway answers them (the
 * Lambda developer guide, "Handling Lambda errors with an API Gateway API"), except that every 503
 * the gateway makes carries Retry-After (QUALITY.md, reliability 8; the ADR on overload says why).
 */
import { join } from 'node:path';
import type { ServiceManifest } from '@fsp/shared/manifest';
import { createGateway, GATEWAY_RETRY_AFTER_SECONDS } from '../../../src/gateway/gateway';
import { createLocalIssuer } from '../../../src/oidc/issuer';
import { createFunctionRuntime, type FunctionRuntime } from '../../../src/runtime/function-runtime';
import { startServer, type TestServer } from './support';

const manifest: ServiceManifest = {
  name: 'drill',
  directory: '/nowhere',
  http: {
    function: { name: 'http', entry: 'src/entries/http.ts' },
    routes: [
      { method: 'GET', path: '/quick', auth: { kind: 'public' } },
      { method: 'GET', path: '/patient', auth: { kind: 'public' }, function: { name: 'patient', entry: 'src/entries/patient.ts' } },
      { method: 'GET', path: '/absent', auth: { kind: 'public' }, function: { name: 'absent', entry: 'src/entries/absent.ts' } },
    ],
  },
  subscriptions: [],
  schedules: [],
  publishes: [],
};

const entry = join(__dirname, 'fixtures/failing-http.ts');

describe('the local gateway when a function gives no answer', () => {
  let server: TestServer;
  let runtime: FunctionRuntime;
  let logs: string[];

  beforeAll(async () => {
    server = await startServer();
    runtime = createFunctionRuntime(
      [
        // Lambda ends this one after 300 ms, well before the gateway's integration timeout.
        { id: 'drill-http', entry, environment: {}, timeoutMs: 300 },
        // This one outlives the gateway's integration timeout (2 s here, whatever a cold start after a crash takes; 30 s in AWS).
        { id: 'drill-patient', entry, environment: {}, timeoutMs: 60_000 },
      ],
      { region: 'eu-west-2', accountId: '000000000000' },
    );
    logs = [];
    const gateway = createGateway({
      manifests: [manifest],
      invoke: runtime.invoke,
      issuer: createLocalIssuer({ issuerUrl: server.url }),
      log: (line) => logs.push(line),
      integrationTimeoutMs: 2_000,
    });
    server.use(gateway.handle);
    expect(await runtime.warmAll()).toEqual([]);
  });

  afterAll(async () => {
    await runtime.stop();
    await server.close();
  });

  const get = async (path: string) => {
    const response = await fetch(`${server.url}${path}`);
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
  };

  it('answers the function’s own answer when it gives one', async () => {
    expect(await get('/quick')).toEqual({ status: 200, retryAfter: null, body: { ok: true } });
  });

  it('answers 502 when the function throws, crashes, times out or answers in the wrong format, and logs why', async () => {
    for (const [fail, cause] of [
      ['throw', 'RangeError: asked to fail'],
      ['exit', 'Runtime.ExitError'],
      ['hang', 'Sandbox.Timedout'],
      ['malformed', 'malformed Lambda proxy response'],
    ]) {
      expect(await get(`/quick?fail=${fail}`)).toEqual({ status: 502, retryAfter: null, body: { message: 'Internal Server Error' } });
      const line = logs.find((l) => l.includes(cause as string));
      expect(line).toBeDefined();
      expect(JSON.parse(line as string)).toMatchObject({
        level: 'ERROR',
        component: 'gateway',
        functionId: 'drill-http',
        routeKey: 'GET /quick',
      });
    }
    // A crashed or timed-out environment is replaced: the next request is answered.
    expect((await get('/quick')).status).toBe(200);
  });

  it('answers 503 with Retry-After when the integration outlives its timeout', async () => {
    expect(await get('/patient?fail=hang')).toEqual({
      status: 503,
      retryAfter: String(GATEWAY_RETRY_AFTER_SECONDS),
      body: { message: 'Service Unavailable' },
    });
    expect(logs.some((l) => l.includes('the integration did not answer within 2000 ms') && l.includes('drill-patient'))).toBe(true);
  });

  it('answers 500 when there is no function to invoke, as API Gateway does when Lambda refuses the invocation', async () => {
    expect(await get('/absent')).toEqual({ status: 500, retryAfter: null, body: { message: 'Internal Server Error' } });
  });
});
