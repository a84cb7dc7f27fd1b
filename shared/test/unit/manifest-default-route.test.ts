/** The platform's `$default` route in the manifests (ADR 0013): one service declares it, and its function is an HTTP function. */
import {
  DEFAULT_ROUTE_KEY,
  defaultRouteFunctionOf,
  type FunctionEntry,
  httpFunctionsOf,
  platformDefaultRouteOf,
  type ServiceManifest,
} from '@fsp/shared/manifest';
import { resolveManifest } from '@fsp/shared/manifest-resolve';

const http: FunctionEntry = { name: 'http', entry: 'src/entries/http.ts' };
const pages: FunctionEntry = { name: 'pages', entry: 'src/entries/pages.ts' };

const service = (name: string, defaultRoute?: { function?: FunctionEntry }): ServiceManifest => ({
  name,
  directory: `/services/${name}`,
  http: {
    function: http,
    routes: [{ method: 'GET', path: `/${name}`, auth: { kind: 'page', roles: ['social-worker'] }, function: pages }],
    ...(defaultRoute === undefined ? {} : { defaultRoute }),
  },
  subscriptions: [],
  schedules: [],
  publishes: [],
});

describe('the $default route in a manifest', () => {
  it('is API Gateway’s own route key', () => {
    expect(DEFAULT_ROUTE_KEY).toBe('$default');
  });

  it('is served by the function it names, else by the service’s HTTP function', () => {
    expect(defaultRouteFunctionOf(service('notes', { function: pages }).http)).toBe(pages);
    expect(defaultRouteFunctionOf(service('notes', {}).http)).toBe(http);
    expect(defaultRouteFunctionOf(service('notes').http)).toBeUndefined();
    expect(defaultRouteFunctionOf(undefined)).toBeUndefined();
  });

  it('makes its function an HTTP function, built once with the routes it shares it with', () => {
    const shared = resolveManifest(service('notes', { function: pages }));
    expect(shared.functions.map((fn) => [fn.name, fn.uses, fn.routes.length, fn.servesDefaultRoute])).toEqual([
      ['http', ['http'], 0, false],
      ['pages', ['http'], 1, true],
    ]);
    const own = service('notes', { function: { name: 'not-found', entry: 'src/entries/not-found.ts', memoryMb: 256 } });
    expect(httpFunctionsOf(own).map(({ function: fn, routes }) => [fn.name, routes.length])).toEqual([
      ['http', 0],
      ['pages', 1],
      ['not-found', 0],
    ]);
    expect(resolveManifest(own).functions.find((fn) => fn.name === 'not-found')).toMatchObject({
      entry: 'src/entries/not-found.ts',
      memoryMb: 256,
      timeoutSeconds: 10,
      uses: ['http'],
      routes: [],
      servesDefaultRoute: true,
    });
    expect(resolveManifest(service('notes')).functions.every((fn) => !fn.servesDefaultRoute)).toBe(true);
  });

  it('refuses a function name its routes declare with another entry, naming the route', () => {
    const clash = service('notes', { function: { name: 'pages', entry: 'src/entries/other.ts' } });
    expect(() => resolveManifest(clash)).toThrow(
      'service notes: function pages is declared with two entries, src/entries/pages.ts and src/entries/other.ts (route $default)',
    );
  });
});

describe('the $default route in the platform', () => {
  it('belongs to the one service that declares it, with its function', () => {
    const notifications = service('notifications', { function: pages });
    expect(platformDefaultRouteOf([service('cases'), notifications, service('referrals')])).toEqual({
      service: notifications,
      function: pages,
    });
    expect(platformDefaultRouteOf([service('cases'), service('referrals')])).toBeUndefined();
    expect(platformDefaultRouteOf([])).toBeUndefined();
  });

  it('is refused when two services declare it, naming both', () => {
    expect(() =>
      platformDefaultRouteOf([service('cases', {}), service('notifications', { function: pages }), service('referrals')]),
    ).toThrow('the $default route is declared by 2 services, cases and notifications: only one service in the platform may serve it');
  });
});
