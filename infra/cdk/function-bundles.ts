/**
 * Every Lambda function of the app bundled by one esbuild run (ADR 0029), instead of one esbuild
 * process per function as NodejsFunction's own bundling runs it: the modules the functions share
 * (the AWS SDK, Powertools, shared/) are parsed once, and `npm run synth` no longer spends most of
 * its time starting esbuild 51 times.
 *
 * The bundles are what NodejsFunction made with the options it was given (service-stack.ts used
 * `minify`, `sourceMap`, `sourcesContent: false`, `metafile`, Node 22, CommonJS, `module` before
 * `main`, nothing external): each asset holds `index.js`, its linked `index.js.map`, its own
 * `index.meta.json` (the inputs of that function only), and a page function's template chunks
 * beside them (ADR 0009), as the afterBundling hook copied them.
 *
 * The build runs when the first stack that needs bundling stages its first function (CDK calls
 * `tryBundle` as each function is made), so every entry must be known beforehand: fsp-app.ts gives
 * them all. A stack left out of `aws:cdk:bundling-stacks` (the CDK tests) never triggers it.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { buildSync, type Metafile } from 'esbuild';
// Plain CommonJS shared with the local cloud's bundles and the bench (ADR 0027).
import { copyTemplateChunksOf } from '../../shared/src/web/copy-template-chunks.cjs';
import { FUNCTION_ESBUILD_OPTIONS } from './function-esbuild-options';

/** Used only if CDK were to bundle in Docker, which `tryBundle` never lets it: it builds or throws. */
const NO_DOCKER_IMAGE = DockerImage.fromRegistry('fsp-bundles-are-built-locally');

export class FunctionBundles {
  private readonly outputNames = new Map<string, string>();
  private built: { directory: string; metafile: Metafile } | undefined;

  /**
   * @param projectRoot esbuild's working directory: the metafile's inputs are relative to it.
   * @param entries every function entry the app will make (absolute paths); the same entry twice is one bundle.
   * @param buildParent where the one build is written, then removed at exit: the app's output
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

  /** The function's code: its bundle, staged by CDK from this app's one build. */
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

  private build(): { directory: string; metafile: Metafile } {
    if (this.built) return this.built;
    // Absolute: esbuild reads a relative outdir from the project root, Node from the process's own directory.
    const parent = resolve(this.buildParent);
    mkdirSync(parent, { recursive: true });
    const directory = mkdtempSync(join(parent, 'fsp-function-bundles-'));
    process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
    const result = buildSync({
      ...FUNCTION_ESBUILD_OPTIONS,
      absWorkingDir: this.projectRoot,
      entryPoints: [...this.outputNames].map(([path, name]) => ({ in: path, out: `${name}/index` })),
      outdir: directory,
    });
    if (!result.metafile) throw new Error('esbuild gave no metafile for the functions’ bundles');
    this.built = { directory, metafile: result.metafile };
    return this.built;
  }

  private stage(entry: string, outputName: string, outputDirectory: string): void {
    const { directory, metafile } = this.build();
    const outputKey = relative(this.projectRoot, join(directory, outputName, 'index.js'));
    const output = metafile.outputs[outputKey];
    if (!output) throw new Error(`esbuild wrote no bundle for ${entry} (looked for ${outputKey})`);
    for (const file of ['index.js', 'index.js.map']) copyFileSync(join(directory, outputName, file), join(outputDirectory, file));
    const inputs = Object.keys(output.inputs);
    const ownMetafile: Metafile = {
      inputs: Object.fromEntries(inputs.map((input) => [input, metafile.inputs[input]!])),
      outputs: { 'index.js': output },
    };
    writeFileSync(join(outputDirectory, 'index.meta.json'), JSON.stringify(ownMetafile));
    copyTemplateChunksOf(this.projectRoot, outputDirectory, inputs);
  }
}
