/**
 * The parts of nunjucks the platform uses, typed here because the package ships no types (and
 * @types/nunjucks covers neither its parser nor its slim runtime). Two entry points:
 * - `nunjucks`: the whole engine, with the parser and compiler, for `npm run web:templates` only;
 * - `nunjucks/browser/nunjucks-slim.js`: the runtime without the compiler, which is all a function
 *   bundles (ADR 0011).
 */

declare module 'nunjucks/browser/nunjucks-slim.js' {
  /** What `compiler.compile` produces once evaluated: `root` and one `b_<name>` per block. */
  export type CompiledTemplate = Record<string, unknown>;

  export class PrecompiledLoader {
    constructor(templates: Readonly<Record<string, CompiledTemplate>>);
    resolve(from: string, to: string): string;
    isRelative(name: string): boolean;
  }

  export interface EnvironmentOptions {
    autoescape?: boolean;
    throwOnUndefined?: boolean;
  }

  export class Environment {
    constructor(loader: PrecompiledLoader, options?: EnvironmentOptions);
    addFilter(name: string, filter: (...args: never[]) => unknown): this;
    render(name: string, context?: object): string;
  }
}

declare module 'nunjucks' {
  export interface Node {
    readonly typename: string;
    readonly fields: readonly string[];
    readonly lineno: number;
    readonly colno: number;
    [field: string]: unknown;
  }

  export const parser: {
    parse(source: string, extensions?: readonly unknown[], options?: object): Node;
  };

  export const compiler: {
    /** Compiles a transformed tree (see nunjucks/src/transformer) into `getCode()`: a function body returning `root` and the blocks. */
    Compiler: new (
      name: string,
      throwOnUndefined: boolean,
    ) => {
      compile(tree: Node): void;
      getCode(): string;
    };
  };
}

declare module 'nunjucks/src/transformer' {
  import type { Node } from 'nunjucks';
  /** What `compiler.compile` does between parsing and compiling: lifts async filters and the like out of expressions. */
  export function transform(tree: Node, asyncFilters: readonly string[], name: string): Node;
}
