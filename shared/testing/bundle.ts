/**
 * A function's entry bundled as CDK bundles it (infra/cdk/service-stack.ts BUNDLING: esbuild,
 * minified CJS for Node 22, packages' ES module builds first), for tests that check what a
 * function's bundle holds and how big it is.
 */
import { build, type Metafile } from 'esbuild';

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
  return { outfile, metafile, inputs: Object.keys(metafile.inputs) };
}
