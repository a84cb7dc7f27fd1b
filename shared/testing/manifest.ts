/**
 * The checks every service's manifest test makes, written once: the manifest names its folder,
 * declares exactly the routes its HTTP function serves, points every function at a module that
 * exists, and the real entry points load as Lambda loads them (environment first) and refuse to
 * start without TABLE_NAME. A service adds its own assertions in its test file.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type HttpHandler, type Route, toManifestRoutes } from '@fsp/shared/http/handler';
import type { FunctionEntry, ServiceManifest } from '@fsp/shared/manifest';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { lambdaEnvironment, type TestTable } from './dynamodb';
import type { Consumer } from './events';
import { createTestRuntime } from './runtime';

/** The entry points as loaded from the files the manifest names. */
export interface EntryPoints {
  /** The HTTP function's handler. */
  http: HttpHandler;
  /** Each subscription's consumer, by subscription name. */
  consumers: Record<string, Consumer>;
  /** Each schedule's handler, by schedule name. */
  schedules: Record<string, unknown>;
}

export interface ManifestChecks {
  manifest: ServiceManifest;
  /** The service's folder: `resolve(__dirname, '..')` from its test folder. */
  serviceDirectory: string;
  /** The routes the HTTP function serves (the service's `<name>Routes`); required when the manifest has `http`. */
  routes?: (runtime: ServiceRuntime) => readonly Route[];
  /**
   * Service-specific tests run against the entry points, loaded with the environment set and the
   * table they use; keyed by test title.
   */
  entryPointTests?: Record<string, (entries: EntryPoints, table: TestTable) => Promise<void>>;
}

const functionsOf = (manifest: ServiceManifest): FunctionEntry[] => [
  ...(manifest.http ? [manifest.http.function] : []),
  ...manifest.subscriptions.map((subscription) => subscription.function),
  ...manifest.schedules.map((schedule) => schedule.function),
];

function handlerIn(manifest: ServiceManifest, fn: FunctionEntry): unknown {
  // Loaded through jest's registry (the caller isolates it), transformed like any test module.
  return (require(join(manifest.directory, fn.entry)) as { handler?: unknown }).handler;
}

/** Loads every entry point the manifest names, in a fresh module registry so that each reads the environment now. */
function loadEntryPoints(manifest: ServiceManifest): EntryPoints {
  const entries: EntryPoints = { http: undefined as unknown as HttpHandler, consumers: {}, schedules: {} };
  jest.isolateModules(() => {
    if (manifest.http) entries.http = handlerIn(manifest, manifest.http.function) as HttpHandler;
    for (const subscription of manifest.subscriptions) {
      entries.consumers[subscription.name] = handlerIn(manifest, subscription.function) as Consumer;
    }
    for (const schedule of manifest.schedules) entries.schedules[schedule.name] = handlerIn(manifest, schedule.function);
  });
  return entries;
}

/** Declares the shared manifest and entry-point tests of one service; call it at the top level of its manifest test. */
export function describeServiceManifest({ manifest, serviceDirectory, routes, entryPointTests = {} }: ManifestChecks): void {
  describe(`the ${manifest.name} manifest`, () => {
    it('is named after its folder, which it names as its directory', () => {
      expect(manifest.name).toBe(basename(serviceDirectory));
      expect(manifest.directory).toBe(serviceDirectory);
    });

    it('points every function at a module that exists', () => {
      const missing = functionsOf(manifest).filter(({ entry }) => !existsSync(join(manifest.directory, entry)));
      expect(missing).toEqual([]);
    });

    it('declares exactly the routes the HTTP function serves', async () => {
      if (!manifest.http) {
        expect(routes).toBeUndefined();
        return;
      }
      expect(routes).toBeDefined();
      const { table, runtime } = await createTestRuntime(manifest.name);
      try {
        expect(manifest.http.routes).toEqual(toManifestRoutes(routes!(runtime)));
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

    it('each exports a handler function', () => {
      const entries = loadEntryPoints(manifest);
      const handlers = [...(manifest.http ? [entries.http] : []), ...Object.values(entries.consumers), ...Object.values(entries.schedules)];
      expect(handlers).toHaveLength(functionsOf(manifest).length);
      for (const handler of handlers) expect(handler).toEqual(expect.any(Function));
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
        await run(loadEntryPoints(manifest), table);
      });
    }
  });
}
