/**
 * A function's entry bundled as CDK bundles it (infra/cdk/service-stack.ts BUNDLING: esbuild,
 * minified CJS for Node 22, packages' ES module builds first, then the afterBundling hook that
 * copies the template chunks the bundle's page templates load on first use beside it), for tests
 * that check what a function's bundle holds, how big it is, and that it renders.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';

/** The afterBundling hook's script (plain CommonJS: CDK runs it with `node`). */
export const COPY_TEMPLATE_CHUNKS_SCRIPT = resolve(__dirname, '../src/web/copy-template-chunks.cjs');

export interface BundledFunction {
  outfile: string;
  /** esbuild's record of every input: what the bundle holds. */
  metafile: Metafile;
  /** Its inputs' paths, relative to `absWorkingDir` (the process's working directory by default). */
  inputs: string[];
}

export async function bundleAsDeployed(entry: string, outfile: string, options: { absWorkingDir?: string } = {}): Promise<BundledFunction> {
  const { metafile } = await build({
    entryPoints: [entry],
    outfile,
    ...(options.absWorkingDir ? { absWorkingDir: options.absWorkingDir } : {}),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'silent',
  });
  const metafilePath = `${outfile}.meta.json`;
  writeFileSync(metafilePath, JSON.stringify(metafile));
  execFileSync(process.execPath, [COPY_TEMPLATE_CHUNKS_SCRIPT, options.absWorkingDir ?? process.cwd(), dirname(outfile), metafilePath]);
  return { outfile, metafile, inputs: Object.keys(metafile.inputs) };
}

/** The template chunks a bundle's directory holds (copied by the afterBundling hook), by path under it. */
export const templateChunksDirectoryOf = (outfile: string): string => join(dirname(outfile), 'template-chunks');
