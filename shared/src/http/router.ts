/**
 * Matches a request path against API Gateway route templates (`/v1/referrals/{id}`,
 * `/assets/{proxy+}`). When several templates match, the most specific wins as in API Gateway:
 * a literal segment beats a `{param}`, which beats a greedy `{proxy+}`.
 */

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

export interface CompiledPath {
  template: string;
  segments: Segment[];
}

const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;

export function compilePath(template: string): CompiledPath {
  if (!template.startsWith('/')) throw new Error(`Route path "${template}" must start with /`);
  const parts = template === '/' ? [] : template.slice(1).split('/');
  const names = new Set<string>();
  const segments = parts.map((part, index): Segment => {
    if (part.length === 0) throw new Error(`Route path "${template}" has an empty segment`);
    const param = PARAM.exec(part);
    if (!param) {
      if (part.includes('{') || part.includes('}')) throw new Error(`Route path "${template}": "${part}" must be a whole-segment {param}`);
      return { kind: 'literal', value: part };
    }
    const name = param[1] as string;
    if (names.has(name)) throw new Error(`Route path "${template}" uses {${name}} twice`);
    names.add(name);
    if (param[2] === '+') {
      if (index !== parts.length - 1) throw new Error(`Route path "${template}": {${name}+} must be the last segment`);
      return { kind: 'greedy', name };
    }
    return { kind: 'param', name };
  });
  return { template, segments };
}

const RANK = { literal: 2, param: 1, greedy: 0 } as const;

/** Compares specificity segment by segment; positive when `a` is more specific. */
function specificity(a: CompiledPath, b: CompiledPath): number {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const left = a.segments[i];
    const right = b.segments[i];
    if (!left || !right) return left ? 1 : -1;
    const diff = RANK[left.kind] - RANK[right.kind];
    if (diff !== 0) return diff;
  }
  return 0;
}

/** `segments` are already percent-decoded. Returns the path parameters, or undefined when it does not match. */
export function matchPath(compiled: CompiledPath, segments: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < compiled.segments.length; i++) {
    const segment = compiled.segments[i] as Segment;
    if (segment.kind === 'greedy') {
      const rest = segments.slice(i);
      if (rest.length === 0 || rest.every((s) => s.length === 0)) return undefined;
      params[segment.name] = rest.join('/');
      return params;
    }
    const actual = segments[i];
    if (actual === undefined || actual.length === 0) return undefined;
    if (segment.kind === 'literal' && segment.value !== actual) return undefined;
    if (segment.kind === 'param') params[segment.name] = actual;
  }
  return segments.length === compiled.segments.length ? params : undefined;
}

export interface PathMatch<T> {
  entry: T;
  params: Record<string, string>;
}

/** All entries whose path matches, most specific first (several methods may share a path). */
export function matchAll<T extends { compiled: CompiledPath }>(entries: readonly T[], segments: readonly string[]): PathMatch<T>[] {
  const matches: PathMatch<T>[] = [];
  for (const entry of entries) {
    const params = matchPath(entry.compiled, segments);
    if (params) matches.push({ entry, params });
  }
  return matches.sort((a, b) => specificity(b.entry.compiled, a.entry.compiled));
}

/**
 * Splits a raw path into decoded segments. A trailing slash is ignored, as people type one. An
 * encoded slash stays inside its segment, so `/v1/referrals/a%2Fb` is one id, not two segments.
 */
export function pathSegments(rawPath: string): string[] | undefined {
  const trimmed = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
  if (trimmed === '/' || trimmed === '') return [];
  const parts = trimmed.replace(/^\//, '').split('/');
  const decoded: string[] = [];
  for (const part of parts) {
    try {
      decoded.push(decodeURIComponent(part));
    } catch (error) {
      // A malformed escape (`%zz`) names no resource; the caller answers 400.
      if (error instanceof URIError) return undefined;
      throw error;
    }
  }
  return decoded;
}
