import { type CompiledPath, compilePath, matchAll } from '@fsp/shared/http/router';
import { type FunctionEntry, type HttpRoute, httpFunctionsOf, type ServiceManifest } from '@fsp/shared/manifest';

export interface CompiledRoute {
  service: ServiceManifest;
  route: HttpRoute;
  /** The function the route invokes: the route's own, else the service's HTTP function. */
  function: FunctionEntry;
  /** `GET /v1/referrals/{id}`, as API Gateway names it in the event. */
  routeKey: string;
  /** The same template compiler and specificity rules the services' own routers use. */
  compiled: CompiledPath;
}

export interface RouteMatch {
  compiled: CompiledRoute;
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
        compiled.push({ service, route, function: fn, routeKey, compiled: compilePath(route.path) });
      }
    }
  }
  return compiled;
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

export function matchRoute(routes: readonly CompiledRoute[], method: string, path: string): RouteMatch | undefined {
  const parts = path === '/' ? [] : path.slice(1).split('/').map(decode);
  const [best] = matchAll(
    routes.filter((route) => route.route.method === method),
    parts,
  );
  return best && { compiled: best.entry, pathParameters: best.params };
}
