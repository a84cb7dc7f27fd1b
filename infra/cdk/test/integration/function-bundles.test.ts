/**
 * The app's functions bundled and staged by CDK (function-bundles.ts, ADRs 0029 and 0038): each
 * function's asset is its own entry's split bundle (index.js and the chunks it reaches), with source
 * maps, its own metafile and, for a page function, its template chunks as generated; a cold start
 * loads only the chunks reached statically; a stack CDK is told not to bundle builds nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { Metafile } from 'esbuild';
import { FunctionBundles } from '../../function-bundles';
import { buildSplitBundles, stageSplitBundle } from '../../split-function-bundles';

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

/** The environment a function has at a cold start (values are never used to reach AWS: nothing here calls it). */
const COLD_START_ENVIRONMENT = {
  PATH: process.env.PATH,
  TABLE_NAME: 'fsp-test',
  EVENT_BUS_NAME: 'fsp-test',
  STAGE: 'dev',
  USER_POOL_ID: 'eu-west-2_test',
  AWS_REGION: 'eu-west-2',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

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

  it('stages the chunks the entry reaches, and a cold start loads only those it reaches statically: no route module', () => {
    const asset = assets.get('Http')!;
    const metafile = metafileIn(asset);
    const chunks = readdirSync(asset).filter((file) => /^chunk-.*\.js$/.test(file));
    expect(Object.keys(metafile.outputs).sort()).toEqual(['index.js', ...chunks].sort());
    for (const chunk of chunks) expect(existsSync(join(asset, `${chunk}.map`))).toBe(true);
    const script = `const fn = require('./index.js'); process.stdout.write(JSON.stringify({ handler: typeof fn.handler, loaded: Object.keys(require.cache) }));`;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: asset, encoding: 'utf8', env: COLD_START_ENVIRONMENT });
    if (result.status !== 0) throw new Error(`node exited ${result.status}: ${result.stderr}`);
    const { handler, loaded } = JSON.parse(result.stdout) as { handler: string; loaded: string[] };
    expect(handler).toBe('function');
    const loadedChunks = loaded.filter((file) => file.startsWith(asset)).map((file) => file.slice(asset.length + 1));
    const lazy = chunks.filter((chunk) => !loadedChunks.includes(chunk));
    // The SDK's other credential providers (SSO, INI files, processes, web identity) are among them.
    expect(lazy.length).toBeGreaterThan(0);
    const lazyInputs = lazy.flatMap((chunk) => Object.keys(metafile.outputs[chunk]!.inputs));
    expect(lazyInputs.some((input) => input.includes('node_modules/@aws-sdk/credential-provider-sso/'))).toBe(true);
    // And so are the route modules the entry loads by area on first use (lazyRoutes).
    expect(lazyInputs).toEqual(expect.arrayContaining(['services/cases/src/http/notes-api.ts', 'services/cases/src/http/workers.ts']));
    const startInputs = ['index.js', ...loadedChunks.filter((file) => file !== 'index.js')].flatMap((file) =>
      Object.keys(metafile.outputs[file]?.inputs ?? {}),
    );
    expect(
      startInputs.filter(
        (input) => input.startsWith('services/cases/src/http/') && !input.endsWith('/routes.ts') && !input.endsWith('-groups.ts'),
      ),
    ).toEqual([]);
    expect(loadedChunks.filter((file) => file !== 'index.js' && !chunks.includes(file))).toEqual([]);
  });

  it("answers a request from a route loaded out of its chunk, with that route's own validation", () => {
    const asset = assets.get('Http')!;
    // A worker asking for a case by a malformed id: the router loads the case record's group, whose schema refuses the id.
    const event = apiGatewayEvent({ path: '/api/cases/no%20such%20id', claims: workerClaims() });
    const script = `require('./index.js').handler(${JSON.stringify(event)}).then((answer) => process.stdout.write(JSON.stringify({ answer, loaded: Object.keys(require.cache) })));`;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: asset, encoding: 'utf8', env: COLD_START_ENVIRONMENT });
    if (result.status !== 0) throw new Error(`node exited ${result.status}: ${result.stderr}`);
    const { answer, loaded } = JSON.parse(result.stdout) as { answer: { statusCode: number; body: string }; loaded: string[] };
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body).errors).toEqual([expect.objectContaining({ in: 'path', path: '$.caseId' })]);
    const metafile = metafileIn(asset);
    const workersChunk = Object.keys(metafile.outputs).find(
      (file) => 'services/cases/src/http/workers.ts' in metafile.outputs[file]!.inputs,
    );
    expect(loaded).toContain(join(asset, workersChunk!));
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
    const built = buildSplitBundles([{ in: fixture, out: 'index' }], { absWorkingDir: ROOT, outdir: join(directory, 'build') });
    stageSplitBundle(built, 'index', directory);
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  /** Node as Lambda runs the bundle, with no NODE_OPTIONS: it loads the bundle, says so on stderr, then prints the stack of an error thrown in it. */
  const loadThenThrow = (failing = 'fn.failing()'): { stack: string; stderr: string } => {
    const script = `const fn = require(${JSON.stringify(bundle)}); process.stderr.write('loaded\\n'); (async () => ${failing})().catch((error) => process.stdout.write(error.stack));`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    if (result.status !== 0) throw new Error(`node exited ${result.status}: ${result.stderr}`);
    return { stack: result.stdout, stderr: result.stderr };
  };

  it('names the TypeScript source and line, without --enable-source-maps', () => {
    const { stack } = loadThenThrow();
    expect(stack.split('\n')[0]).toBe('Error: failed in the source');
    expect(stack).toContain(`${fixture}:3:`);
  });

  it('names the TypeScript source of a module in a chunk of its own', () => {
    const { stack } = loadThenThrow('fn.failingInAChunk()');
    expect(stack.split('\n')[0]).toBe('Error: failed in a chunk');
    expect(stack).toContain(`${join(__dirname, 'fixtures/throws-later.ts')}:3:`);
    expect(readdirSync(directory).filter((file) => /^chunk-.*\.js$/.test(file))).not.toEqual([]);
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
