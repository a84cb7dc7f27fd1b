/**
 * A function's entry bundled as the CDK app bundles it (infra/cdk/function-bundles.ts, ADR 0029:
 * the deployed esbuild options, then the template chunks the bundle's page templates load on first
 * use copied beside it), for tests that check what a function's bundle holds, how big it is, and
 * that it renders.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { FUNCTION_ESBUILD_OPTIONS } from '../../infra/cdk/function-esbuild-options';
import { copyTemplateChunks } from '../src/web/copy-template-chunks.cjs';

export interface BundledFunction {
  outfile: string;
  /** esbuild's record of every input: what the bundle holds. */
  metafile: Metafile;
  /** Its inputs' paths, relative to `absWorkingDir` (the process's working directory by default). */
  inputs: string[];
}

export async function bundleAsDeployed(entry: string, outfile: string, options: { absWorkingDir?: string } = {}): Promise<BundledFunction> {
  const { metafile } = await build({
    ...FUNCTION_ESBUILD_OPTIONS,
    entryPoints: [entry],
    outfile,
    ...(options.absWorkingDir ? { absWorkingDir: options.absWorkingDir } : {}),
  });
  const metafilePath = `${outfile}.meta.json`;
  writeFileSync(metafilePath, JSON.stringify(metafile));
  copyTemplateChunks(options.absWorkingDir ?? process.cwd(), dirname(outfile), metafilePath);
  return { outfile, metafile, inputs: Object.keys(metafile.inputs) };
}

/** The template chunks a bundle's directory holds (copied beside it as the CDK app's bundles have them), by path under it. */
export const templateChunksDirectoryOf = (outfile: string): string => join(dirname(outfile), 'template-chunks');
