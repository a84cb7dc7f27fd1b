/**
 * The esbuild options every deployed function is bundled with (function-bundles.ts), in a module of
 * its own with no CDK in it, so that the bench and the local cloud (its few differences named there,
 * infra/local/src/runtime/function-bundles.ts) build what is deployed without loading the CDK.
 */
import type { BuildOptions } from 'esbuild';
// The stack-mapping hook every function bundle starts with (ADR 0030).
import { SOURCE_MAPPED_STACKS_BANNER } from '../../shared/src/source-mapped-stacks.cjs';

/** What every deployed function is bundled with (ARCHITECTURE.md: the AWS SDK bundled, never from a layer or the runtime). */
export const FUNCTION_ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  // Stacks in the sources' lines without `--enable-source-maps`, which parsed the whole map at every cold start.
  banner: { js: SOURCE_MAPPED_STACKS_BANNER },
  metafile: true,
  // Prefer packages' ES module builds: esbuild can only tree-shake what it sees as ESM.
  mainFields: ['module', 'main'],
  external: [],
  logLevel: 'warning',
} satisfies BuildOptions;
