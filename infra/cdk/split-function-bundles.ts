/**
 * Function bundles split into files, so that a cold start reads only the code it runs (ADR 0038).
 *
 * esbuild splits code only for ES module output, and the functions are CommonJS (the source-mapped
 * stacks banner, `__dirname` for the template chunks, the local cloud's `require`). So the build is
 * two passes, each one esbuild run for every entry:
 *
 * 1. ES modules with splitting: each entry, plus a chunk for each dynamic `import()` (the AWS SDK's
 *    credential providers other than the environment's, its event streams…) and for the code the
 *    entries share;
 * 2. each file of pass 1 turned into CommonJS on its own (no bundling), its `import()`s into
 *    `require`s, its source map chained to pass 1's, so a stack still names the TypeScript source.
 *
 * A function's files are its entry (staged as `index.js`) and the chunks it reaches from there,
 * statically or by `import()`: `stageSplitBundle` copies exactly those. What its cold start loads is
 * the entry and the chunks it reaches statically (`loadedAtStart`).
 *
 * Kept free of the CDK so that the bench builds what is deployed without loading it.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { type BuildOptions, build, buildSync, type Metafile, type Plugin } from 'esbuild';
import { FUNCTION_ESBUILD_OPTIONS } from './function-esbuild-options';

export interface SplitEntry {
  /** Absolute path of the entry module. */
  in: string;
  /** The entry's output name: `<out>.js` in the build, staged as `index.js`. */
  out: string;
}

export interface SplitBuild {
  /** The CommonJS files: `<out>.js` per entry and `chunk-<hash>.js`, each with its `.map`. */
  directory: string;
  /** Pass 1's metafile: outputs keyed by the path relative to the working directory, under `<directory>.esm`. */
  metafile: Metafile;
  absWorkingDir: string;
}

export interface SplitBuildOptions {
  absWorkingDir: string;
  /** Emptied first; pass 1's files go beside it, in `<outdir>.esm`. */
  outdir: string;
  /** Pass 1's (buildSplitBundlesWithPlugins only). */
  plugins?: Plugin[];
}

const IMPORT_KINDS = new Set(['import-statement', 'require-call', 'dynamic-import']);

/** Both passes for every entry; synchronous, as CDK's `tryBundle` must be (esbuild then takes no plugins). */
export function buildSplitBundles(entries: readonly SplitEntry[], options: Omit<SplitBuildOptions, 'plugins'>): SplitBuild {
  const first = buildSync(firstPassOptions(entries, options));
  return secondPass(entries, options, first.metafile);
}

/** The same, with plugins for the first pass (the bench's comparison bundles resolve their packages with one). */
export async function buildSplitBundlesWithPlugins(entries: readonly SplitEntry[], options: SplitBuildOptions): Promise<SplitBuild> {
  const first = await build({ ...firstPassOptions(entries, options), plugins: options.plugins ?? [] });
  return secondPass(entries, options, first.metafile);
}

const { banner: SOURCE_MAPPED_STACKS, ...DEPLOYED_OPTIONS } = FUNCTION_ESBUILD_OPTIONS;

function firstPassOptions(entries: readonly SplitEntry[], options: SplitBuildOptions) {
  for (const directory of [options.outdir, `${options.outdir}.esm`]) rmSync(directory, { recursive: true, force: true });
  return {
    ...DEPLOYED_OPTIONS,
    format: 'esm',
    splitting: true,
    // Pass 2 reads the linked map and chains its own to it.
    sourcemap: 'linked',
    chunkNames: 'chunk-[hash]',
    entryPoints: entries.map((entry) => ({ in: entry.in, out: entry.out })),
    outdir: `${options.outdir}.esm`,
    absWorkingDir: options.absWorkingDir,
  } satisfies BuildOptions;
}

function secondPass(entries: readonly SplitEntry[], options: SplitBuildOptions, metafile: Metafile | undefined): SplitBuild {
  const { absWorkingDir, outdir } = options;
  if (!metafile) throw new Error('esbuild gave no metafile for the split bundles');
  const esmDirectory = `${outdir}.esm`;
  const files = readdirSync(esmDirectory).filter((file) => file.endsWith('.js'));
  const entryFiles = new Set(entries.map((entry) => `${entry.out}.js`));
  const toCommonJs: BuildOptions = {
    ...DEPLOYED_OPTIONS,
    bundle: false,
    metafile: false,
    format: 'cjs',
    // `import("./chunk-….js")` becomes a `require`: the chunk is CommonJS now, and the ES module loader would wrap it.
    supported: { 'dynamic-import': false },
    outdir,
    absWorkingDir,
  };
  // Only an entry starts with the banner: it installs the hook once, for every file's frames.
  const inEsm = (names: string[]) => names.map((file) => join(esmDirectory, file));
  buildSync({ ...toCommonJs, entryPoints: inEsm(files.filter((file) => entryFiles.has(file))), banner: SOURCE_MAPPED_STACKS });
  const chunks = files.filter((file) => !entryFiles.has(file));
  if (chunks.length > 0) buildSync({ ...toCommonJs, entryPoints: inEsm(chunks) });
  return { directory: outdir, metafile, absWorkingDir };
}

export interface SplitBundleFiles {
  /** The entry's file name in the build (`<out>.js`). */
  entry: string;
  /** Every chunk the entry reaches, statically or by `import()`. */
  chunks: string[];
  /** The chunks a cold start loads: those reached by static imports alone. */
  loadedAtStart: string[];
  /** The source inputs of the entry and every chunk it reaches, relative to the working directory. */
  inputs: string[];
}

/** What one entry's function is made of, from pass 1's metafile (pass 2 keeps every file's name). */
export function filesOf(build: SplitBuild, out: string): SplitBundleFiles {
  const esmDirectory = relative(build.absWorkingDir, `${build.directory}.esm`);
  const key = (file: string) => join(esmDirectory, file);
  const entry = `${out}.js`;
  if (!build.metafile.outputs[key(entry)]) throw new Error(`the split build has no entry named ${out}`);
  const reached = new Map<string, boolean>(); // file → reached statically
  const visit = (file: string, statically: boolean) => {
    const known = reached.get(file);
    if (known === true || (known === false && !statically)) return;
    reached.set(file, statically);
    for (const imported of build.metafile.outputs[key(file)]?.imports ?? []) {
      if (imported.external || !IMPORT_KINDS.has(imported.kind)) continue;
      visit(basename(imported.path), statically && imported.kind !== 'dynamic-import');
    }
  };
  visit(entry, true);
  reached.delete(entry);
  const chunks = [...reached.keys()].sort();
  const inputs = new Set<string>();
  for (const file of [entry, ...chunks])
    for (const input of Object.keys(build.metafile.outputs[key(file)]?.inputs ?? {})) inputs.add(input);
  return { entry, chunks, loadedAtStart: chunks.filter((chunk) => reached.get(chunk)), inputs: [...inputs].sort() };
}

/**
 * One function's files into `destination`: its entry as `index.js` (with `index.js.map`), the
 * chunks it reaches with their maps, and `index.meta.json`: its inputs, and pass 1's record of
 * each of its files under the staged name.
 */
export function stageSplitBundle(build: SplitBuild, out: string, destination: string): SplitBundleFiles {
  const files = filesOf(build, out);
  mkdirSync(destination, { recursive: true });
  const source = readFileSync(join(build.directory, files.entry), 'utf8');
  const mapComment = `//# sourceMappingURL=${files.entry}.map`;
  if (!source.trimEnd().endsWith(mapComment)) throw new Error(`${files.entry} does not end with its source map comment`);
  writeFileSync(join(destination, 'index.js'), `${source.trimEnd().slice(0, -mapComment.length)}//# sourceMappingURL=index.js.map\n`);
  copyFileSync(join(build.directory, `${files.entry}.map`), join(destination, 'index.js.map'));
  for (const chunk of files.chunks) {
    copyFileSync(join(build.directory, chunk), join(destination, chunk));
    copyFileSync(join(build.directory, `${chunk}.map`), join(destination, `${chunk}.map`));
  }
  const esmDirectory = relative(build.absWorkingDir, `${build.directory}.esm`);
  // Pass 1's record of each file, under its staged name, with the size pass 2 gave it.
  const outputOf = (file: string, staged: string): [string, Metafile['outputs'][string]] => [
    staged,
    { ...build.metafile.outputs[join(esmDirectory, file)]!, bytes: statSync(join(destination, staged)).size },
  ];
  const ownMetafile: Metafile = {
    inputs: Object.fromEntries(files.inputs.map((input) => [input, build.metafile.inputs[input]!])),
    outputs: Object.fromEntries([outputOf(files.entry, 'index.js'), ...files.chunks.map((chunk) => outputOf(chunk, chunk))]),
  };
  writeFileSync(join(destination, 'index.meta.json'), JSON.stringify(ownMetafile));
  return files;
}
