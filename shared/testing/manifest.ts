/**
 * The checks every service's manifest test makes, written once: the manifest names its folder,
 * assigns each HTTP function exactly the routes it serves, points every function at a module that
 * exists, and the real entry points load as Lambda loads them (environment first) and refuse to
 * start without TABLE_NAME. A service adds its own assertions in its test file.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { HttpHandler, Route } from '@fsp/shared/http/handler';
import { compilePath, matchAll, pathSegments } from '@fsp/shared/http/router';
import { type FunctionEntry, type HttpRoute, httpFunctionsOf, type ServiceManifest } from '@fsp/shared/manifest';
import { resolveManifest } from '@fsp/shared/manifest-resolve';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from './api-gateway-event';
import { lambdaEnvironment, type TestTable } from './dynamodb';
import type { Consumer } from './events';
import { createTestRuntime } from './runtime';

/** The entry points as loaded from the files the manifest names. */
export interface EntryPoints {
  /** The handler of the service's HTTP function (`http.function`), which serves every route without a function of its own. */
  http: HttpHandler;
  /** Every HTTP function's handler, by function name: `http.function`'s and each a route names. */
  httpFunctions: Record<string, HttpHandler>;
  /** Each subscription's consumer, by subscription name. */
  consumers: Record<string, Consumer>;
  /** Each schedule's handler, by schedule name. */
  schedules: Record<string, unknown>;
}

export interface ManifestChecks {
  manifest: ServiceManifest;
  /** The service's folder: `resolve(__dirname, '..')` from its test folder. */
  serviceDirectory: string;
  /**
   * The routes each HTTP function serves (the service's `<name>Routes`), required when the manifest
   * has `http`: the one function's routes when every route is served by `http.function`, else the
   * routes of each HTTP function by its name (`{ http: frontDoorApiRoutes, 'partner-api': partnerRoutes }`).
   */
  routes?: RoutesBuilder | Readonly<Record<string, RoutesBuilder>>;
  /**
   * Service-specific tests run against the entry points, loaded with the environment set and the
   * table they use; keyed by test title.
   */
  entryPointTests?: Record<string, (entries: EntryPoints, table: TestTable) => Promise<void>>;
}

/** Builds the routes one HTTP function serves, around a runtime (a test table, a test clock). */
export type RoutesBuilder = (runtime: ServiceRuntime) => readonly Route[];

const functionsOf = (manifest: ServiceManifest): FunctionEntry[] => [
  ...httpFunctionsOf(manifest).map(({ function: fn }) => fn),
  ...manifest.subscriptions.map((subscription) => subscription.function),
  ...manifest.schedules.map((schedule) => schedule.function),
];

function handlerIn(manifest: ServiceManifest, fn: FunctionEntry): unknown {
  // Loaded through jest's registry (the caller isolates it), transformed like any test module.
  return (require(join(manifest.directory, fn.entry)) as { handler?: unknown }).handler;
}

/** The routes builder of each HTTP function, by function name: a lone builder is `http.function`'s. */
const routesBuildersOf = (
  manifest: ServiceManifest,
  routes: NonNullable<ManifestChecks['routes']>,
): Readonly<Record<string, RoutesBuilder>> => (typeof routes === 'function' ? { [manifest.http!.function.name]: routes } : routes);

const routeKey = (route: Pick<HttpRoute, 'method' | 'path'>): string => `${route.method} ${route.path}`;

/** A path a route template matches, every parameter filled in. */
const concretePathOf = (template: string): string => template.replace(/\{[^}]+\}/g, 'probe');

/**
 * Runs `use` with every entry point the manifest names, loaded in a fresh module registry so that
 * each reads the environment now. The registry stays in force until `use` settles: a route group an
 * entry loads on first use (lazyRoutes, ADR 0038) is loaded into it, sharing the entry's modules.
 */
async function withEntryPoints(manifest: ServiceManifest, use: (entries: EntryPoints) => Promise<void> | void): Promise<void> {
  await jest.isolateModulesAsync(async () => {
    const entries: EntryPoints = { http: undefined as unknown as HttpHandler, httpFunctions: {}, consumers: {}, schedules: {} };
    for (const { function: fn } of httpFunctionsOf(manifest)) entries.httpFunctions[fn.name] = handlerIn(manifest, fn) as HttpHandler;
    if (manifest.http) entries.http = entries.httpFunctions[manifest.http.function.name]!;
    for (const subscription of manifest.subscriptions) {
      entries.consumers[subscription.name] = handlerIn(manifest, subscription.function) as Consumer;
    }
    for (const schedule of manifest.schedules) entries.schedules[schedule.name] = handlerIn(manifest, schedule.function);
    await use(entries);
  });
}

/** Declares the shared manifest and entry-point tests of one service; call it at the top level of its manifest test. */
export function describeServiceManifest({ manifest, serviceDirectory, routes, entryPointTests = {} }: ManifestChecks): void {
  describe(`the ${manifest.name} manifest`, () => {
    it('is named after its folder, which it names as its directory', () => {
      expect(manifest.name).toBe(basename(serviceDirectory));
      expect(manifest.directory).toBe(serviceDirectory);
    });

    it('resolves: defaults applied, one entry per function name, roles on every worker route', () => {
      expect(() => resolveManifest(manifest)).not.toThrow();
    });

    it('points every function at a module that exists', () => {
      const missing = functionsOf(manifest).filter(({ entry }) => !existsSync(join(manifest.directory, entry)));
      expect(missing).toEqual([]);
    });

    it('assigns each HTTP function exactly the routes it serves', async () => {
      if (!manifest.http) {
        expect(routes).toBeUndefined();
        return;
      }
      expect(routes).toBeDefined();
      const functions = httpFunctionsOf(manifest);
      const builders = routesBuildersOf(manifest, routes!);
      expect(Object.keys(builders).sort()).toEqual(functions.map(({ function: fn }) => fn.name).sort());
      const { table, runtime } = await createTestRuntime(manifest.name);
      try {
        for (const { function: fn, routes: assigned } of functions) {
          const served = builders[fn.name]!(runtime);
          expect({ function: fn.name, routes: served.map(routeKey).sort() }).toEqual({
            function: fn.name,
            routes: assigned.map(routeKey).sort(),
          });
          // Declared once: each route the function serves implements the manifest's own declaration object.
          const notDeclared = served.filter((route) => !assigned.includes(route.declaration)).map(routeKey);
          expect({ function: fn.name, implementedFromACopy: notDeclared }).toEqual({ function: fn.name, implementedFromACopy: [] });
          // A route loaded on first use (lazyRoutes, ADR 0038): its group loads, defines exactly what it declares, and this route among them.
          for (const route of served.filter((candidate) => candidate.implementation !== undefined)) {
            const loaded = await route.implementation!();
            expect({ route: routeKey(route), loaded: loaded.declaration === route.declaration }).toEqual({
              route: routeKey(route),
              loaded: true,
            });
          }
        }
      } finally {
        await table.drop();
      }
    });
  });

  describe(`the ${manifest.name} entry points, loaded as Lambda loads them (environment first)`, () => {
    let table: TestTable;
    const saved = { ...process.env };

    beforeAll(async () => {
      ({ table } = await createTestRuntime(manifest.name));
      Object.assign(process.env, manifest.environment, lambdaEnvironment(table.tableName));
    });
    afterAll(async () => {
      process.env = saved;
      await table.drop();
    });

    it('names, in each consumer, the subscription whose queue it consumes (its idempotency records are keyed by it)', async () => {
      await withEntryPoints(manifest, ({ consumers }) => {
        const named = Object.fromEntries(
          Object.entries(consumers).map(([name, consumer]) => [name, (consumer as { subscription?: string }).subscription]),
        );
        expect(named).toEqual(Object.fromEntries(manifest.subscriptions.map((subscription) => [subscription.name, subscription.name])));
      });
    });

    it('each exports a handler function', async () => {
      await withEntryPoints(manifest, (entries) => {
        const handlers = [
          ...Object.values(entries.httpFunctions),
          ...Object.values(entries.consumers),
          ...Object.values(entries.schedules),
        ];
        expect(handlers).toHaveLength(functionsOf(manifest).length);
        for (const handler of handlers) expect(handler).toEqual(expect.any(Function));
      });
    });

    // The route check above compares the route builders the test names; this holds the real entry
    // modules to the split, so that a lean function does not carry (and load) another's routes.
    it('each HTTP function answers 404 to the routes the manifest gives another HTTP function', async () => {
      await withEntryPoints(manifest, async ({ httpFunctions }) => {
        const functions = httpFunctionsOf(manifest);
        for (const { function: fn, routes: own } of functions) {
          const ownPaths = own.map((route) => ({ compiled: compilePath(route.path) }));
          for (const route of functions.filter((other) => other.function.name !== fn.name).flatMap((other) => other.routes)) {
            const path = concretePathOf(route.path);
            // A path one of its own routes also matches (`/refer/{step}` for `/refer/confirmation`) proves nothing either way.
            if (matchAll(ownPaths, pathSegments(path) ?? []).length > 0) continue;
            const response = await httpFunctions[fn.name]!(apiGatewayEvent({ method: route.method, path }));
            const probe = { function: fn.name, route: `${route.method} ${route.path}` };
            expect({ ...probe, status: response.statusCode }).toEqual({ ...probe, status: 404 });
          }
        }
      });
    });

    it.each(functionsOf(manifest).map((fn) => [fn.name, fn] as const))('%s refuses to start without TABLE_NAME, naming it', (_, fn) => {
      const tableName = process.env.TABLE_NAME;
      delete process.env.TABLE_NAME;
      try {
        jest.isolateModules(() => {
          expect(() => handlerIn(manifest, fn)).toThrow(/TABLE_NAME/);
        });
      } finally {
        process.env.TABLE_NAME = tableName;
      }
    });

    for (const [title, run] of Object.entries(entryPointTests)) {
      it(title, async () => {
        await withEntryPoints(manifest, (entries) => run(entries, table));
      });
    }
  });
}
