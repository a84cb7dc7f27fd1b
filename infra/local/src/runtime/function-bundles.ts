/**
 * The local cloud runs each function from an esbuild bundle of its entry, as Lambda runs CDK's
 * (ADR 0027): compiling a function's hundred-odd TypeScript modules through tsx at every cold start
 * cost 0.8–2 s of CPU per function, and an end-to-end suite cold-starts about thirty. Bundles are
 * built for every function in one esbuild run (shared modules parsed once), kept under
 * `node_modules/.cache`, and used again while none of their inputs has changed: a start after an
 * edit rebuilds them all (a few seconds), a start after none only checks the inputs' sizes and
 * modification times.
 *
 * How they differ from CDK's: not minified (stack traces stay readable; worker-bootstrap.mjs maps
 * them to the sources when an error leaves the handler); `@smithy/core` stays outside, loaded
 * from `node_modules`, so that the local IAM (table-guard.ts) wraps the very client class the
 * bundle's SDK clients use; and not split into chunks (ADR 0038): the same modules in one file,
 * each `import()` run from inside it, because a split build is one build per function and would
 * take the local cloud's start from seconds to half a minute.
 *
 * Each build is its own directory and never changed once `current.json` names it, so several test
 * workers or clouds starting at once may each build, and a running cloud's later cold starts still
 * find the build it started with.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { REPOSITORY_ROOT } from '@fsp/shared/manifest-loader';
import { build, version as esbuildVersion, type Plugin } from 'esbuild';
import { copyTemplateChunksOf } from '../../../../shared/src/web/copy-template-chunks.cjs';
import { FUNCTION_ESBUILD_OPTIONS } from '../../../cdk/function-esbuild-options';

/** Bumped when what a build holds or how it is laid out changes, so older builds are not used. */
const LAYOUT_VERSION = 4;

/** The local IAM's module, bundled with the functions so that it loads without a TypeScript loader too. */
export const TABLE_GUARD_SOURCE = join(__dirname, 'table-guard.ts');
const TABLE_GUARD_OUT = '__table-guard';

/** Kept beside the current build so a cloud started a moment ago still finds its own; older ones are removed. */
const BUILDS_KEPT = 3;

export const DEFAULT_BUNDLE_CACHE = join(REPOSITORY_ROOT, 'node_modules', '.cache', 'fsp-local-functions');

export interface FunctionSource {
  id: string;
  /** Absolute path of the entry module. */
  entry: string;
}

export interface FunctionBundles {
  /** Each function's bundle (`<build>/<id>/index.js`), by function id. */
  bundles: ReadonlyMap<string, string>;
  /** The table guard's bundle, for worker-bootstrap.mjs. */
  tableGuard: string;
  /** Whether this call built them (false: an unchanged build was found). */
  built: boolean;
  directory: string;
}

/** What a build's inputs were when it was made: path (relative to the repository) → [size, mtimeMs]. */
type InputStamps = Record<string, [number, number]>;

interface CurrentBuild {
  build: string;
}

/**
 * `@smithy/core` left out of the bundle and required by its resolved path, wherever the bundle is:
 * the very module the table guard resolves from the entry and wraps (its `Client.prototype.send`).
 */
const smithyCoreFromNodeModules: Plugin = {
  name: 'smithy-core-from-node-modules',
  setup(plugins) {
    plugins.onResolve({ filter: /^@smithy\/core(\/|$)/ }, ({ path, resolveDir }) => ({
      path: createRequire(join(resolveDir, 'importer.js')).resolve(path),
      external: true,
    }));
  },
};

/** The functions' bundles: the last build if its inputs are unchanged, otherwise a new one. */
export async function prepareFunctionBundles(
  functions: readonly FunctionSource[],
  options: { cacheDirectory?: string } = {},
): Promise<FunctionBundles> {
  const ids = new Set<string>();
  for (const fn of functions) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(fn.id)) throw new Error(`function id ${JSON.stringify(fn.id)} cannot name a bundle directory`);
    if (ids.has(fn.id)) throw new Error(`two functions are named ${fn.id}`);
    ids.add(fn.id);
  }
  // One cache entry per set of functions (a test's subset and `npm start`'s whole platform do not replace each other's).
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        LAYOUT_VERSION,
        esbuildVersion,
        // Not esbuild inputs, so their edits would not show in the inputs' stamps (the banner's text among them).
        deployedOptions: FUNCTION_ESBUILD_OPTIONS,
        node: process.versions.node,
        functions: [...functions].sort((a, b) => a.id.localeCompare(b.id)).map((fn) => [fn.id, fn.entry]),
      }),
    )
    .digest('hex')
    .slice(0, 16);
  const home = join(options.cacheDirectory ?? DEFAULT_BUNDLE_CACHE, key);
  const current = readCurrent(home);
  if (current && unchanged(join(home, current.build))) return layout(functions, join(home, current.build), false);

  const buildName = `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
  const directory = join(home, buildName);
  mkdirSync(directory, { recursive: true });
  const { metafile } = await build({
    entryPoints: [
      ...functions.map((fn) => ({ in: fn.entry, out: `${fn.id}/index` })),
      { in: TABLE_GUARD_SOURCE, out: `${TABLE_GUARD_OUT}/index` },
    ],
    outdir: directory,
    absWorkingDir: REPOSITORY_ROOT,
    // As CDK bundles them (the banner, packages' ES module builds first, Node 22, CommonJS), but:
    ...FUNCTION_ESBUILD_OPTIONS,
    // readable, for a developer stepping through;
    minify: false,
    // the table guard knows a command by its class's name, which bundling would otherwise suffix (`QueryCommand2`);
    keepNames: true,
    // no map comment, though the banner reads the map all the same;
    sourcemap: 'external',
    // and @smithy/core shared with the table guard.
    plugins: [smithyCoreFromNodeModules],
  });
  // Each page function's template chunks beside its bundle, as CDK's afterBundling hook puts them.
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    if (!output.endsWith('/index.js')) continue;
    copyTemplateChunksOf(REPOSITORY_ROOT, resolve(REPOSITORY_ROOT, output, '..'), Object.keys(inputs));
  }
  writeFileSync(join(directory, 'inputs.json'), JSON.stringify(stampsOf(Object.keys(metafile.inputs))));
  const pointer = join(home, `current.${buildName}.json`);
  writeFileSync(pointer, JSON.stringify({ build: buildName } satisfies CurrentBuild));
  renameSync(pointer, join(home, 'current.json'));
  removeOldBuilds(home, buildName);
  return layout(functions, directory, true);
}

function layout(functions: readonly FunctionSource[], directory: string, built: boolean): FunctionBundles {
  return {
    bundles: new Map(functions.map((fn) => [fn.id, join(directory, fn.id, 'index.js')])),
    tableGuard: join(directory, TABLE_GUARD_OUT, 'index.js'),
    built,
    directory,
  };
}

function readCurrent(home: string): CurrentBuild | undefined {
  const file = join(home, 'current.json');
  if (!existsSync(file)) return undefined;
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as CurrentBuild).build !== 'string')
    throw new Error(`${file} does not name a build; delete ${home} to rebuild`);
  return parsed as CurrentBuild;
}

function stampsOf(inputs: readonly string[]): InputStamps {
  const stamps: InputStamps = {};
  for (const input of inputs) {
    const stat = statSync(join(REPOSITORY_ROOT, input));
    stamps[input] = [stat.size, stat.mtimeMs];
  }
  return stamps;
}

/** True when every input of the build is where it was, with the same size and modification time. */
function unchanged(directory: string): boolean {
  const file = join(directory, 'inputs.json');
  if (!existsSync(file)) return false;
  const stamps = JSON.parse(readFileSync(file, 'utf8')) as InputStamps;
  for (const [input, [size, mtimeMs]] of Object.entries(stamps)) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(join(REPOSITORY_ROOT, input));
    } catch (error) {
      // A removed input: the build is out of date, whatever else holds.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    if (stat.size !== size || stat.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

function removeOldBuilds(home: string, keep: string): void {
  const builds = readdirSync(home, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== keep)
    .map((entry) => ({ name: entry.name, mtimeMs: statSync(join(home, entry.name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const old of builds.slice(BUILDS_KEPT - 1)) rmSync(join(home, old.name), { recursive: true, force: true });
}
