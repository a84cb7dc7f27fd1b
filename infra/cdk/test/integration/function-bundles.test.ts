/**
 * The app's functions bundled in one esbuild run and staged by CDK (function-bundles.ts, ADR 0029):
 * each function's asset is its own entry's bundle, with its source map, its own metafile and, for a
 * page function, its template chunks as generated; a stack CDK is told not to bundle builds nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { buildSync, type Metafile } from 'esbuild';
import { FunctionBundles } from '../../function-bundles';
import { FUNCTION_ESBUILD_OPTIONS } from '../../function-esbuild-options';

const ROOT = resolve(__dirname, '../../../..');
const PAGES = join(ROOT, 'services/supervision/src/entries/pages.ts');
const HTTP = join(ROOT, 'services/cases/src/entries/http.ts');

/** A stack of functions on the given entries, synthesised; answers each function's staged asset directory by its id. */
function synthesise(entries: Record<string, string>, context: Record<string, unknown> = {}): Map<string, string> {
  // As the CDK CLI synthesises: each function's asset path in its metadata.
  const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true, ...context } });
  assemblies.push(app.outdir);
  const stack = new Stack(app, 'Bundles');
  const bundles = new FunctionBundles(ROOT, [PAGES, HTTP], app.outdir);
  for (const [id, entry] of Object.entries(entries))
    new LambdaFunction(stack, id, { code: bundles.code(entry), handler: 'index.handler', runtime: Runtime.NODEJS_22_X });
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
  };
  const assets = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    // The longest id the logical id starts with: `HttpAgain…` is not `Http`'s.
    const id = Object.keys(entries)
      .sort((a, b) => b.length - a.length)
      .find((candidate) => logicalId.startsWith(candidate));
    assets.set(id!, join(assembly.directory, resource.Metadata!['aws:asset:path']!));
  }
  return assets;
}

const assemblies: string[] = [];
afterAll(() => {
  for (const directory of assemblies) rmSync(directory, { recursive: true, force: true });
});

const metafileIn = (asset: string): Metafile => JSON.parse(readFileSync(join(asset, 'index.meta.json'), 'utf8'));

describe("the app's function bundles", () => {
  let assets: Map<string, string>;
  beforeAll(() => {
    assets = synthesise({ Pages: PAGES, Http: HTTP, HttpAgain: HTTP });
  }, 60_000);

  it("gives each function its own entry's bundle, with its linked source map and a metafile of its inputs only", () => {
    for (const [id, entry] of [
      ['Pages', PAGES],
      ['Http', HTTP],
    ] as const) {
      const asset = assets.get(id)!;
      const metafile = metafileIn(asset);
      expect(metafile.outputs['index.js']?.entryPoint).toBe(entry.slice(ROOT.length + 1));
      const service = id === 'Pages' ? 'supervision' : 'cases';
      const otherService = id === 'Pages' ? 'cases' : 'supervision';
      expect(Object.keys(metafile.inputs).some((input) => input.startsWith(`services/${service}/`))).toBe(true);
      expect(Object.keys(metafile.inputs).filter((input) => input.startsWith(`services/${otherService}/`))).toEqual([]);
      expect(readFileSync(join(asset, 'index.js'), 'utf8').trimEnd().endsWith('//# sourceMappingURL=index.js.map')).toBe(true);
      expect(JSON.parse(readFileSync(join(asset, 'index.js.map'), 'utf8')).sourcesContent).toBeUndefined();
    }
  });

  it('gives two functions on one entry the same bundle', () => {
    expect(readFileSync(join(assets.get('HttpAgain')!, 'index.js'), 'utf8')).toBe(
      readFileSync(join(assets.get('Http')!, 'index.js'), 'utf8'),
    );
  });

  it("copies a page function's template chunks beside its bundle, as generated, and none for a function without pages", () => {
    const generated = join(ROOT, 'services/supervision/src/web/template-chunks/precompiled-templates');
    const copied = join(assets.get('Pages')!, 'template-chunks/precompiled-templates');
    expect(readdirSync(copied).sort()).toEqual(readdirSync(generated).sort());
    for (const file of readdirSync(generated))
      expect(readFileSync(join(copied, file), 'utf8')).toBe(readFileSync(join(generated, file), 'utf8'));
    expect(existsSync(join(assets.get('Http')!, 'template-chunks'))).toBe(false);
  });

  it('refuses an entry it was not made for, naming it', () => {
    const bundles = new FunctionBundles(ROOT, [HTTP]);
    expect(() => bundles.code(PAGES)).toThrow(/services\/supervision\/src\/entries\/pages\.ts is not among the entries/);
  });

  it('builds nothing for a stack CDK is told not to bundle', () => {
    const skipped = synthesise({ Http: HTTP }, { 'aws:cdk:bundling-stacks': [] });
    expect(existsSync(join(skipped.get('Http')!, 'index.js'))).toBe(false);
  });
});

describe('a deployed bundle’s stack traces', () => {
  const fixture = join(__dirname, 'fixtures/throws-from-source.ts');
  let directory: string;
  let bundle: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'fsp-stacks-'));
    bundle = join(directory, 'index.js');
    buildSync({ ...FUNCTION_ESBUILD_OPTIONS, entryPoints: [fixture], outfile: bundle, absWorkingDir: ROOT, logLevel: 'silent' });
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  /** Node as Lambda runs the bundle, with no NODE_OPTIONS: it loads the bundle, says so on stderr, then prints the stack of an error thrown in it. */
  const loadThenThrow = (): { stack: string; stderr: string } => {
    const script = `const fn = require(${JSON.stringify(bundle)}); process.stderr.write('loaded\\n'); try { fn.failing(); } catch (error) { process.stdout.write(error.stack); }`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    if (result.status !== 0) throw new Error(`node exited ${result.status}: ${result.stderr}`);
    return { stack: result.stdout, stderr: result.stderr };
  };

  it('names the TypeScript source and line, without --enable-source-maps', () => {
    const { stack } = loadThenThrow();
    expect(stack.split('\n')[0]).toBe('Error: failed in the source');
    expect(stack).toContain(`${fixture}:3:`);
  });

  it('reads the map only when a stack is formatted, and keeps the bundle’s positions without a usable one', () => {
    writeFileSync(`${bundle}.map`, 'not a source map');
    const { stack, stderr } = loadThenThrow();
    const [beforeLoaded, afterLoaded] = stderr.split('loaded\n');
    expect(beforeLoaded).toBe('');
    expect(afterLoaded).toContain(`source-mapped stacks: no map for ${bundle}`);
    expect(stack).toContain(`${bundle}:`);
    expect(stack).not.toContain(fixture);
  });
});
