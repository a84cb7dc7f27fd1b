import { type CompiledPath, compilePath, matchAll } from '@fsp/shared/http/router';
import {
  DEFAULT_ROUTE_KEY,
  type FunctionEntry,
  type HttpRoute,
  httpFunctionsOf,
  platformDefaultRouteOf,
  type RouteAuth,
  type ServiceManifest,
} from '@fsp/shared/manifest';

/** What a request is given to: the service's function, the route key API Gateway names in the event, and who it admits. */
export interface RouteTarget {
  service: ServiceManifest;
  /** The function the route invokes: the route's own, else the service's HTTP function. */
  function: FunctionEntry;
  /** `GET /v1/referrals/{id}`, or `$default`, as API Gateway names it in the event. */
  routeKey: string;
  auth: RouteAuth;
}

export interface CompiledRoute extends RouteTarget {
  route: HttpRoute;
  /** The same template compiler and specificity rules the services' own routers use. */
  compiled: CompiledPath;
}

/**
 * The platform's `$default` route (ADR 0013): every request no route matches, any method and path.
 * No authorizer, as in AWS: anyone may ask for an address that is not there.
 */
export interface CompiledDefaultRoute extends RouteTarget {
  routeKey: typeof DEFAULT_ROUTE_KEY;
  auth: { kind: 'public' };
}

export interface RouteMatch {
  compiled: CompiledRoute | CompiledDefaultRoute;
  pathParameters: Record<string, string>;
}

/** Compiles every manifest's routes, refusing two routes with the same key as API Gateway does. */
export function compileRoutes(manifests: readonly ServiceManifest[]): CompiledRoute[] {
  const compiled: CompiledRoute[] = [];
  const owners = new Map<string, string>();
  for (const service of manifests) {
    for (const { function: fn, routes } of httpFunctionsOf(service)) {
      for (const route of routes) {
        const routeKey = `${route.method} ${route.path}`;
        // Two routes that differ only in parameter names are the same route to API Gateway.
        const shape = `${route.method} ${route.path.replace(/\{[^}]*?\+\}/g, '{+}').replace(/\{[^}+]*\}/g, '{}')}`;
        const owner = owners.get(shape);
        if (owner !== undefined) throw new Error(`route ${routeKey} of ${service.name} clashes with a route of ${owner}`);
        owners.set(shape, service.name);
        compiled.push({ service, route, function: fn, routeKey, auth: route.auth, compiled: compilePath(route.path) });
      }
    }
  }
  return compiled;
}

/** The `$default` route of the one service that declares it, if any; two services declaring it is an error naming both. */
export function compileDefaultRoute(manifests: readonly ServiceManifest[]): CompiledDefaultRoute | undefined {
  const declared = platformDefaultRouteOf(manifests);
  return declared && { service: declared.service, function: declared.function, routeKey: DEFAULT_ROUTE_KEY, auth: { kind: 'public' } };
}

const decode = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch (error) {
    // A malformed escape (`%E0%A4%A`) is passed through as sent rather than failing the request.
    if (error instanceof URIError) return value;
    throw error;
  }
};

/**
 * The route for a method and path: the most specific of the method's routes, else the `$default`
 * route when one is declared (as API Gateway does, with no path parameters), else none.
 */
export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  path: string,
  defaultRoute?: CompiledDefaultRoute,
): RouteMatch | undefined {
  const parts = path === '/' ? [] : path.slice(1).split('/').map(decode);
  const [best] = matchAll(
    routes.filter((route) => route.route.method === method),
    parts,
  );
  if (best) return { compiled: best.entry, pathParameters: best.params };
  return defaultRoute && { compiled: defaultRoute, pathParameters: {} };
}
