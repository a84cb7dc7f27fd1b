/**
 * The shared manifest checks on a service with two HTTP functions: each is held to exactly the
 * routes the manifest gives it, and its real entry point serves those and refuses the others.
 */
import { resolve } from 'node:path';
import { httpFunctionsOf } from '@fsp/shared/manifest';
import { apiGatewayEvent, partnerClaims, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { describeServiceManifest } from '@fsp/shared/testing/manifest';
import { manifest } from './split-http/service';
import { partnerRoutes, workerRoutes } from './split-http/src/http/things';

describeServiceManifest({
  manifest,
  serviceDirectory: resolve(__dirname, 'split-http'),
  routes: { http: workerRoutes, 'partner-api': partnerRoutes },
  entryPointTests: {
    'serves each audience from its own entry point': async ({ http, httpFunctions }) => {
      expect(Object.keys(httpFunctions)).toEqual(['http', 'partner-api']);
      expect(httpFunctions.http).toBe(http);
      const partner = partnerClaims({ scope: 'referrals/read' });
      const asPartner = await httpFunctions['partner-api']!(apiGatewayEvent({ path: '/v1/things/t-1', claims: partner }));
      expect(JSON.parse(asPartner.body!)).toEqual({ audience: 'partner', thingId: 't-1' });
      const asWorker = await http(apiGatewayEvent({ path: '/things/t-1', claims: workerClaims({ 'cognito:groups': ['social-worker'] }) }));
      expect(JSON.parse(asWorker.body!)).toEqual({ audience: 'worker', thingId: 't-1' });
    },
  },
});

describe('httpFunctionsOf', () => {
  it("gives each HTTP function its routes in manifest order, the service's own function first", () => {
    const routeKeys = httpFunctionsOf(manifest).map(({ function: fn, routes }) => [fn.name, routes.map((r) => `${r.method} ${r.path}`)]);
    expect(routeKeys).toEqual([
      ['http', ['GET /things', 'GET /things/{thingId}']],
      ['partner-api', ['GET /v1/things', 'GET /v1/things/{thingId}']],
    ]);
  });

  it("keeps the service's own function when every route has one of its own, and has none without `http`", () => {
    const allOwn = { ...manifest, http: { ...manifest.http!, routes: manifest.http!.routes.filter((route) => route.function) } };
    expect(httpFunctionsOf(allOwn).map(({ function: fn, routes }) => [fn.name, routes.length])).toEqual([
      ['http', 0],
      ['partner-api', 2],
    ]);
    const { http: _, ...withoutHttp } = manifest;
    expect(httpFunctionsOf(withoutHttp)).toEqual([]);
  });

  it('refuses one function name declared with two entries or different settings', () => {
    const [first, ...rest] = manifest.http!.routes;
    const redeclared = (fn: { name: string; entry: string; timeoutSeconds?: number }) => ({
      ...manifest,
      http: {
        ...manifest.http!,
        routes: [first!, ...rest, { method: 'POST' as const, path: '/v1/things', auth: first!.auth, function: fn }],
      },
    });
    expect(() => httpFunctionsOf(redeclared({ name: 'partner-api', entry: 'src/http.ts' }))).toThrow(
      'service split-http: function partner-api is declared with two entries, src/partner-api.ts and src/http.ts (route POST /v1/things)',
    );
    expect(() => httpFunctionsOf(redeclared({ name: 'http', entry: 'src/partner-api.ts' }))).toThrow(
      /function http is declared with two entries, src\/http.ts and src\/partner-api.ts/,
    );
    expect(() => httpFunctionsOf(redeclared({ name: 'partner-api', entry: 'src/partner-api.ts', timeoutSeconds: 20 }))).toThrow(
      /function partner-api is declared with different settings/,
    );
  });
});
