/**
 * Every Lambda function of the app bundled as its own split build (ADR 0038): its entry as
 * `index.js` and the chunks it reaches beside it, so that a cold start reads only what it loads
 * statically and the AWS SDK's unused credential providers and other `import()`s stay on disk
 * (split-function-bundles.ts). Each function is built alone: one build of every entry (ADR 0029)
 * shares chunks between functions, and a function then loads dozens of small files, which cost more
 * than the split saved.
 *
 * The bundles hold what NodejsFunction made with the options it was given (service-stack.ts used
 * `minify`, `sourceMap`, `sourcesContent: false`, `metafile`, Node 22, CommonJS, `module` before
 * `main`, nothing external): each asset holds `index.js`, its linked `index.js.map`, its chunks with
 * theirs, its own `index.meta.json` (the inputs of that function only), and a page function's
 * template chunks beside them (ADR 0009), as the afterBundling hook copied them.
 *
 * The builds run when CDK stages each function (`tryBundle`), so a stack left out of
 * `aws:cdk:bundling-stacks` (the CDK tests) builds nothing. Every entry must still be known
 * beforehand (fsp-app.ts gives them all): each names its build.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
// Plain CommonJS shared with the local cloud's bundles and the bench (ADR 0027).
import { copyTemplateChunksOf } from '../../shared/src/web/copy-template-chunks.cjs';
import { buildSplitBundles, type SplitBuild, stageSplitBundle } from './split-function-bundles';

/** Used only if CDK were to bundle in Docker, which `tryBundle` never lets it: it builds or throws. */
const NO_DOCKER_IMAGE = DockerImage.fromRegistry('fsp-bundles-are-built-locally');

export class FunctionBundles {
  private readonly outputNames = new Map<string, string>();
  /** Each entry's split build, made the first time a function on it is staged. */
  private readonly builds = new Map<string, SplitBuild>();

  /**
   * @param projectRoot esbuild's working directory: the metafile's inputs are relative to it.
   * @param entries every function entry the app will make (absolute paths); the same entry twice is one bundle.
   * @param buildParent where the builds are written, then removed at exit: the app's output
   *   directory, so that the source maps name the sources from beside it, as CDK's own bundling did.
   */
  constructor(
    private readonly projectRoot: string,
    entries: Iterable<string>,
    private readonly buildParent: string = tmpdir(),
  ) {
    for (const entry of entries) {
      const path = resolve(entry);
      if (!this.outputNames.has(path)) this.outputNames.set(path, `f${this.outputNames.size}`);
    }
  }

  /** The function's code: its bundle, staged by CDK from its entry's build. */
  code(entry: string): Code {
    const path = resolve(entry);
    const outputName = this.outputNames.get(path);
    if (outputName === undefined) throw new Error(`${entry} is not among the entries the app's bundles were made for`);
    return Code.fromAsset(this.projectRoot, {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        image: NO_DOCKER_IMAGE,
        // Part of CDK's bundling cache key, which ignores `local`: without it two functions would share one asset.
        command: ['fsp-function-bundle', relative(this.projectRoot, path)],
        local: {
          tryBundle: (outputDirectory) => {
            this.stage(path, outputName, outputDirectory);
            return true;
          },
        },
      },
    });
  }

  private build(entry: string, outputName: string): SplitBuild {
    const done = this.builds.get(entry);
    if (done) return done;
    // Absolute: esbuild reads a relative outdir from the project root, Node from the process's own directory.
    const parent = resolve(this.buildParent);
    mkdirSync(parent, { recursive: true });
    // Beside the assets, at their depth, so that the maps' relative source paths still hold once staged.
    const directory = mkdtempSync(join(parent, `fsp-function-bundle-${outputName}-`));
    if (this.builds.size === 0) process.once('exit', () => this.removeBuilds());
    const built = buildSplitBundles([{ in: entry, out: 'index' }], { absWorkingDir: this.projectRoot, outdir: directory });
    this.builds.set(entry, built);
    return built;
  }

  private removeBuilds(): void {
    for (const { directory } of this.builds.values())
      for (const built of [directory, `${directory}.esm`]) rmSync(built, { recursive: true, force: true });
  }

  private stage(entry: string, outputName: string, outputDirectory: string): void {
    const { inputs } = stageSplitBundle(this.build(entry, outputName), 'index', outputDirectory);
    copyTemplateChunksOf(this.projectRoot, outputDirectory, inputs);
  }
}
