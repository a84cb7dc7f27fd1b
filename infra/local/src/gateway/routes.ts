import type { HttpRoute, ServiceManifest } from '@fsp/shared/manifest';

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

export interface CompiledRoute {
  service: ServiceManifest;
  route: HttpRoute;
  /** `GET /v1/referrals/{id}`, as API Gateway names it in the event. */
  routeKey: string;
  segments: Segment[];
}

export interface RouteMatch {
  compiled: CompiledRoute;
  pathParameters: Record<string, string>;
}

function parsePath(path: string): Segment[] {
  if (!path.startsWith('/')) throw new Error(`route path ${path} must start with /`);
  const parts = path === '/' ? [] : path.slice(1).split('/');
  return parts.map((part, index) => {
    const greedy = /^\{([A-Za-z0-9_.-]+)\+\}$/.exec(part);
    if (greedy !== null) {
      if (index !== parts.length - 1) throw new Error(`route path ${path}: a greedy {${greedy[1]}+} must be the last segment`);
      return { kind: 'greedy', name: greedy[1]! };
    }
    const param = /^\{([A-Za-z0-9_.-]+)\}$/.exec(part);
    if (param !== null) return { kind: 'param', name: param[1]! };
    if (part === '' || /[{}]/.test(part)) throw new Error(`route path ${path} has an invalid segment "${part}"`);
    return { kind: 'literal', value: part };
  });
}

/** Compiles every manifest's routes, refusing two routes with the same key as API Gateway does. */
export function compileRoutes(manifests: readonly ServiceManifest[]): CompiledRoute[] {
  const compiled: CompiledRoute[] = [];
  const owners = new Map<string, string>();
  for (const service of manifests) {
    for (const route of service.http?.routes ?? []) {
      const routeKey = `${route.method} ${route.path}`;
      // Two routes that differ only in parameter names are the same route to API Gateway.
      const shape = `${route.method} ${route.path.replace(/\{[^}]*?\+\}/g, '{+}').replace(/\{[^}+]*\}/g, '{}')}`;
      const owner = owners.get(shape);
      if (owner !== undefined) throw new Error(`route ${routeKey} of ${service.name} clashes with a route of ${owner}`);
      owners.set(shape, service.name);
      compiled.push({ service, route, routeKey, segments: parsePath(route.path) });
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

/** Literal beats `{param}` beats `{proxy+}`, segment by segment from the left: the most specific route wins. */
function rank(segments: Segment[]): number[] {
  return segments.map((s) => (s.kind === 'literal' ? 3 : s.kind === 'param' ? 2 : 1));
}

function moreSpecific(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return false;
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === 'greedy') {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[segment.name] = decode(rest.join('/'));
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (decode(part) !== segment.value) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.name] = decode(part);
    }
  }
  return parts.length === segments.length ? params : undefined;
}

export function matchRoute(routes: readonly CompiledRoute[], method: string, path: string): RouteMatch | undefined {
  const parts = path === '/' ? [] : path.slice(1).split('/');
  let best: { match: RouteMatch; rank: number[] } | undefined;
  for (const compiled of routes) {
    if (compiled.route.method !== method) continue;
    const pathParameters = matchSegments(compiled.segments, parts);
    if (pathParameters === undefined) continue;
    const r = rank(compiled.segments);
    if (best === undefined || moreSpecific(r, best.rank)) best = { match: { compiled, pathParameters }, rank: r };
  }
  return best?.match;
}
