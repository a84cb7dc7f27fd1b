/**
 * QUALITY.md, function start-up and bundle size: every Lambda entry bundled as CDK bundles it
 * (infra/cdk/split-function-bundles.ts: esbuild, everything bundled, minified, split into the entry
 * and its chunks, CommonJS, node22; ADR 0038), then
 * loaded in fresh Node processes, interleaved with its two comparison bundles (ADR 0009):
 * Both comparison bundles are built and staged the same way, so the ratios measure the code, not
 * the split:
 * - "SDK only": the AWS SDK clients the function's own bundle holds, each constructed;
 * - "libraries only": the same clients plus the libraries it holds that ARCHITECTURE.md mandates
 *   (zod, middy, Powertools) and the template runtime (nunjucks' slim build), each used as little
 *   as a function can.
 * Two bars: own code, load ÷ libraries only ≤ 1.10; total, load ÷ SDK only ≤ 1.25; and every
 * bundle < 1 MB.
 *
 * Each load is timed twice inside its process: the wall clock (the bar) and the process's CPU time
 * (user + system), which a busy machine disturbs far less; both medians are reported.
 *
 * The libraries-only bundle is loaded a second time in each round, interleaved like the others: the
 * same bundle against itself ("A/A"), whose ratio would be 1 on a quiet machine. How far each
 * function's A/A ratio strays from 1 in a run is how far that run's machine moved a ratio by itself;
 * a bar of 1.10 cannot be read closer than that.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BuildOptions, Metafile, Plugin } from 'esbuild';
import { FUNCTION_ESBUILD_OPTIONS } from '../infra/cdk/function-esbuild-options';
import { buildSplitBundlesWithPlugins, type SplitBundleFiles, stageSplitBundle } from '../infra/cdk/split-function-bundles';
import type { ResolvedManifest } from '../shared/src/manifest-resolve';
// The same copy CDK's bundles and the local cloud's make, in this process rather than a `node` per function.
import { copyTemplateChunks } from '../shared/src/web/copy-template-chunks.cjs';
import { type Summary, summarise } from './stats';
import { TARGETS } from './targets';

/** Loads of each bundle; FSP_BENCH_LOAD_RUNS overrides it (a shared machine needs more for a stable median). */
export const LOAD_RUNS = Number(process.env.FSP_BENCH_LOAD_RUNS ?? 30);
/** FSP_BENCH_FUNCTIONS=cases-pages,cases-http measures only those functions (a quick run while working). */
const ONLY_FUNCTIONS = process.env.FSP_BENCH_FUNCTIONS?.split(',').map((name) => name.trim());
/** QUALITY.md: function start-up, total (load ÷ SDK only). */
export const TOTAL_RATIO_TARGET = TARGETS.startupTotal;
/** The bar `ratio` is held to: the total one (kept under this name for bench/run.ts). */
export const RATIO_TARGET = TOTAL_RATIO_TARGET;
/** QUALITY.md: function start-up, own code (load ÷ libraries only). */
export const OWN_CODE_RATIO_TARGET = TARGETS.startupOwnCode;
export const SIZE_LIMIT_BYTES = TARGETS.bundleBytes;

/** The SDK packages a bundle can hold, and how the baseline bundle constructs each client. */
export const SDK_CLIENTS: Record<string, string> = {
  '@aws-sdk/client-dynamodb': "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; globalThis.c1 = new DynamoDBClient({});",
  '@aws-sdk/lib-dynamodb':
    "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; globalThis.c2 = DynamoDBDocumentClient.from(globalThis.c1);",
  '@aws-sdk/client-eventbridge':
    "import { EventBridgeClient } from '@aws-sdk/client-eventbridge'; globalThis.c3 = new EventBridgeClient({});",
  '@aws-sdk/client-sesv2': "import { SESv2Client } from '@aws-sdk/client-sesv2'; globalThis.c4 = new SESv2Client({});",
  '@aws-sdk/client-cognito-identity-provider':
    "import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'; globalThis.c5 = new CognitoIdentityProviderClient({});",
  '@aws-sdk/client-secrets-manager':
    "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'; globalThis.c6 = new SecretsManagerClient({});",
  '@aws-sdk/client-kms': "import { KMSClient } from '@aws-sdk/client-kms'; globalThis.c7 = new KMSClient({});",
  '@aws-sdk/client-sqs': "import { SQSClient } from '@aws-sdk/client-sqs'; globalThis.c8 = new SQSClient({});",
  '@aws-sdk/client-cloudwatch': "import { CloudWatchClient } from '@aws-sdk/client-cloudwatch'; globalThis.c9 = new CloudWatchClient({});",
};

/** The mandated libraries a bundle can hold, and the least use of each: how the libraries-only bundle loads them. */
export const MANDATED_LIBRARIES: Record<string, string> = {
  zod: "import * as z from 'zod/mini'; globalThis.m1 = z.parse(z.object({ TABLE_NAME: z.string().check(z.minLength(1)) }), process.env);",
  '@aws-lambda-powertools/logger':
    "import { Logger } from '@aws-lambda-powertools/logger'; globalThis.m2 = new Logger({ serviceName: 'bench' });",
  '@aws-lambda-powertools/metrics':
    "import { Metrics } from '@aws-lambda-powertools/metrics'; globalThis.m3 = new Metrics({ namespace: 'bench', serviceName: 'bench' });",
  '@middy/core':
    "import middy from '@middy/core'; globalThis.m4 = middy().use({ before: () => {}, after: () => {}, onError: () => {} }).handler(async () => ({ statusCode: 200 }));",
  '@aws-lambda-powertools/batch':
    "import { BatchProcessor, EventType } from '@aws-lambda-powertools/batch'; globalThis.m5 = new BatchProcessor(EventType.SQS);",
  '@aws-lambda-powertools/idempotency':
    "import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency'; import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb'; globalThis.m6 = makeIdempotent(async (record) => record, { persistenceStore: new DynamoDBPersistenceLayer({ tableName: process.env.TABLE_NAME, awsSdkV3Client: globalThis.c1 }), config: new IdempotencyConfig({}) });",
  '@aws-lambda-powertools/tracer':
    "import { Tracer } from '@aws-lambda-powertools/tracer'; globalThis.m7 = new Tracer({ serviceName: 'bench' });",
  // The template runtime (ADR 0011): an environment over an empty precompiled loader, as a page function makes one.
  nunjucks:
    "import { Environment, PrecompiledLoader } from 'nunjucks/browser/nunjucks-slim.js'; globalThis.m8 = new Environment(new PrecompiledLoader({}), { autoescape: true });",
};

/** A package of the AWS SDK's clients that neither table knows would leave the baselines short of it: refused. */
const CLIENT_PACKAGE = /node_modules\/(@aws-sdk\/client-[^/]+)\//;

/** What CDK deploys (infra/cdk/function-esbuild-options.ts): the bench measures those bundles. */
export const ESBUILD_OPTIONS: BuildOptions = FUNCTION_ESBUILD_OPTIONS;

/** The environment a function expects at cold start (values are never used: nothing is called). */
const LOAD_ENVIRONMENT = {
  TABLE_NAME: 'fsp-bench-table',
  EVENT_BUS_NAME: 'fsp-bench',
  STAGE: 'dev',
  USER_POOL_ID: 'eu-west-2_bench',
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

export interface StartupRow {
  function: string;
  /** `index.js` and every code chunk it reaches: all the function's code (the size bar). */
  bundleBytes: number;
  /** `index.js` and the chunks it reaches statically: what every cold start loads. */
  startBytes: number;
  /** The template chunks beside it (a page function's templates not every page uses, each loaded on a page's first render; 0 for other functions). */
  templateChunkBytes?: number;
  sdkPackages: string[];
  loadMs: Summary;
  sdkOnlyLoadMs: Summary;
  /** The total bar: load ÷ SDK only (≤ TOTAL_RATIO_TARGET). */
  ratio: number;
  mandatedLibraries: string[];
  librariesOnlyLoadMs: Summary;
  /** What the mandated libraries cost by themselves: libraries only ÷ SDK only. */
  librariesRatio: number;
  /** The own-code bar: load ÷ libraries only (≤ OWN_CODE_RATIO_TARGET). */
  ownCodeRatio: number;
  /** Not a bar: the libraries-only bundle loaded again in each round, ÷ its first loads: what the machine alone did to a ratio. */
  sameBundleRatio: number;
  /** The same three loads in CPU time (user + system of the loading process), and the two ratios of their medians. */
  loadCpuMs: Summary;
  sdkOnlyLoadCpuMs: Summary;
  librariesOnlyLoadCpuMs: Summary;
  cpuRatio: number;
  ownCodeCpuRatio: number;
  meetsTotalTarget: boolean;
  meetsOwnCodeTarget: boolean;
  meetsSizeLimit: boolean;
  /** All three. */
  meetsTarget: boolean;
}

const packagesIn = (metafile: Metafile, candidates: Record<string, string>): string[] => {
  const inputs = Object.keys(metafile.inputs);
  return Object.keys(candidates).filter((name) => inputs.some((input) => input.includes(`node_modules/${name}/`)));
};

/** Every SDK client package the bundle holds; one the baselines cannot construct is refused rather than left out of them. */
function sdkClientsIn(metafile: Metafile, name: string): string[] {
  const held = new Set(Object.keys(metafile.inputs).flatMap((input) => CLIENT_PACKAGE.exec(input)?.[1] ?? []));
  const unknown = [...held].filter((client) => !(client in SDK_CLIENTS));
  if (unknown.length > 0) throw new Error(`${name} holds ${unknown.join(', ')}: add it to SDK_CLIENTS in bench/startup.ts`);
  return packagesIn(metafile, SDK_CLIENTS);
}

/**
 * Resolves each package the comparison bundles import from where the function's own bundle found
 * it (a service's or shared's node_modules), so that they hold the very same copies and versions.
 */
function sameCopiesAs(metafile: Metafile, workingDirectory: string, source: string): Plugin {
  const inputs = Object.keys(metafile.inputs);
  return {
    name: 'same-copies-as-the-function',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.importer !== source) return undefined;
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : (args.path.split('/')[0] as string);
        const input = inputs.find((candidate) => candidate.includes(`node_modules/${name}/`));
        // The source is written outside the repository: what the function does not hold resolves from its working directory.
        const resolveDir = input ? resolve(workingDirectory, input.slice(0, input.indexOf(`node_modules/${name}/`))) : workingDirectory;
        return builder.resolve(args.path, { kind: args.kind, resolveDir });
      });
    },
  };
}

/** The entry built and staged as CDK stages a function (infra/cdk/function-bundles.ts), into `directory`. */
async function buildAsDeployed(
  entry: string,
  workingDirectory: string,
  directory: string,
  plugins: Plugin[] = [],
): Promise<SplitBundleFiles & { metafile: Metafile }> {
  const built = await buildSplitBundlesWithPlugins([{ in: entry, out: 'index' }], {
    absWorkingDir: workingDirectory,
    outdir: `${directory}.build`,
    plugins,
  });
  const files = stageSplitBundle(built, 'index', directory);
  for (const build of [built.directory, `${built.directory}.esm`]) rmSync(build, { recursive: true, force: true });
  return { ...files, metafile: built.metafile };
}

const bytesOf = (directory: string, files: readonly string[]): number =>
  files.reduce((sum, file) => sum + statSync(join(directory, file)).size, 0);

/** The bytes of every file under `directory` (none there: 0). */
function bytesUnder(directory: string): number {
  if (!existsSync(directory)) return 0;
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .map((entry) => statSync(join(directory, entry)))
    .filter((stat) => stat.isFile())
    .reduce((sum, stat) => sum + stat.size, 0);
}

const ratioOf = (numerator: Summary, denominator: Summary): number => Math.round((numerator.median / denominator.median) * 100) / 100;

export interface LoadTime {
  wallMs: number;
  cpuMs: number;
}

/** One load of `bundle` in a fresh Node process: the require alone, on the wall clock and in the process's CPU time. */
export function loadTimes(bundle: string, environment: NodeJS.ProcessEnv): LoadTime {
  // Time the require inside the fresh process: Node's own start-up is the same for every bundle and would only dilute the ratio.
  const harness = `const { performance } = require('node:perf_hooks'); const c = process.cpuUsage(); const t = performance.now(); require(${JSON.stringify(bundle)}); const w = performance.now() - t; const u = process.cpuUsage(c); process.stdout.write(w + ' ' + (u.user + u.system) / 1000);`;
  try {
    const [wallMs, cpuMs] = execFileSync(process.execPath, ['-e', harness], {
      env: environment,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
      .split(' ')
      .map(Number);
    return { wallMs: wallMs as number, cpuMs: cpuMs as number };
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    const reason = stderr.split('\n').find((line) => /Error|error:/.test(line) && line.length < 400) ?? 'see its stderr';
    throw new Error(`loading ${bundle} failed: ${reason}`);
  }
}

export const loadTimeMs = (bundle: string, environment: NodeJS.ProcessEnv): number => loadTimes(bundle, environment).wallMs;

export interface ComparisonBundles {
  sdkPackages: string[];
  mandatedLibraries: string[];
  /** The SDK-only bundle's entry file (built and staged as a function is). */
  baseline: string;
  /** The libraries-only bundle's entry file. */
  librariesOnly: string;
}

/** The function's two comparison bundles (SDK only, libraries only), built into `directory` from its bundle's metafile. */
export async function buildComparisonBundles(
  name: string,
  metafile: Metafile,
  workingDirectory: string,
  directory: string,
): Promise<ComparisonBundles> {
  const sdkPackages = sdkClientsIn(metafile, name);
  const mandatedLibraries = packagesIn(metafile, MANDATED_LIBRARIES);
  const sdkSource = sdkPackages.map((sdk) => SDK_CLIENTS[sdk]).join('\n');
  const bundles: string[] = [];
  for (const [contents, name] of [
    [sdkSource, 'sdk-only'],
    [[sdkSource, ...mandatedLibraries.map((library) => MANDATED_LIBRARIES[library])].join('\n'), 'libraries-only'],
  ] as const) {
    const source = join(directory, `${name}.source.js`);
    writeFileSync(source, contents);
    await buildAsDeployed(source, workingDirectory, join(directory, name), [sameCopiesAs(metafile, workingDirectory, source)]);
    bundles.push(join(directory, name, 'index.js'));
  }
  const [baseline, librariesOnly] = bundles as [string, string];
  return { sdkPackages, mandatedLibraries, baseline, librariesOnly };
}

export async function measureStartup(manifests: readonly ResolvedManifest[], runs = LOAD_RUNS): Promise<StartupRow[]> {
  const workDirectory = mkdtempSync(join(tmpdir(), 'fsp-bench-bundles-'));
  const environment = { ...process.env, ...LOAD_ENVIRONMENT };
  try {
    const rows: StartupRow[] = [];
    for (const manifest of manifests) {
      // Each function once, as CDK builds it, however many uses it has.
      for (const entry of manifest.functions) {
        const name = `${manifest.name}-${entry.name}`;
        if (ONLY_FUNCTIONS && !ONLY_FUNCTIONS.includes(name)) continue;
        const directory = join(workDirectory, name);
        const built = await buildAsDeployed(join(manifest.directory, entry.entry), manifest.directory, directory);
        const outfile = join(directory, 'index.js');
        // As CDK's afterBundling hook does: the template chunks beside index.js, where a page's first render loads them.
        copyTemplateChunks(manifest.directory, directory);
        const comparisons = join(workDirectory, `${name}.comparisons`);
        mkdirSync(comparisons);
        const { sdkPackages, mandatedLibraries, baseline, librariesOnly } = await buildComparisonBundles(
          name,
          built.metafile,
          manifest.directory,
          comparisons,
        );
        const loads: LoadTime[] = [];
        const baselineLoads: LoadTime[] = [];
        const librariesLoads: LoadTime[] = [];
        const librariesAgainLoads: LoadTime[] = [];
        // Alternate the four so that a noisy neighbour slows them alike.
        for (let run = 0; run < runs; run += 1) {
          loads.push(loadTimes(outfile, { ...environment, ...manifest.environment }));
          baselineLoads.push(loadTimes(baseline, environment));
          librariesLoads.push(loadTimes(librariesOnly, environment));
          librariesAgainLoads.push(loadTimes(librariesOnly, environment));
        }
        const wall = (times: LoadTime[]) => summarise(times.map((time) => time.wallMs));
        const cpu = (times: LoadTime[]) => summarise(times.map((time) => time.cpuMs));
        const loadMs = wall(loads);
        const sdkOnlyLoadMs = wall(baselineLoads);
        const librariesOnlyLoadMs = wall(librariesLoads);
        const ratio = ratioOf(loadMs, sdkOnlyLoadMs);
        const ownCodeRatio = ratioOf(loadMs, librariesOnlyLoadMs);
        const bundleBytes = bytesOf(directory, ['index.js', ...built.chunks]);
        const startBytes = bytesOf(directory, ['index.js', ...built.loadedAtStart]);
        const templateChunkBytes = bytesUnder(join(directory, 'template-chunks'));
        const meetsTotalTarget = ratio <= TOTAL_RATIO_TARGET;
        const meetsOwnCodeTarget = ownCodeRatio <= OWN_CODE_RATIO_TARGET;
        const meetsSizeLimit = bundleBytes < SIZE_LIMIT_BYTES;
        rows.push({
          function: name,
          bundleBytes,
          startBytes,
          templateChunkBytes,
          sdkPackages,
          loadMs,
          sdkOnlyLoadMs,
          ratio,
          mandatedLibraries,
          librariesOnlyLoadMs,
          librariesRatio: ratioOf(librariesOnlyLoadMs, sdkOnlyLoadMs),
          ownCodeRatio,
          sameBundleRatio: ratioOf(wall(librariesAgainLoads), librariesOnlyLoadMs),
          loadCpuMs: cpu(loads),
          sdkOnlyLoadCpuMs: cpu(baselineLoads),
          librariesOnlyLoadCpuMs: cpu(librariesLoads),
          cpuRatio: ratioOf(cpu(loads), cpu(baselineLoads)),
          ownCodeCpuRatio: ratioOf(cpu(loads), cpu(librariesLoads)),
          meetsTotalTarget,
          meetsOwnCodeTarget,
          meetsSizeLimit,
          meetsTarget: meetsTotalTarget && meetsOwnCodeTarget && meetsSizeLimit,
        });
      }
    }
    return rows;
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

/** The start-up table: each function's bundle, its loads and both ratios against their targets, met or NOT MET. */
export function describeStartup(rows: readonly StartupRow[]): string {
  const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  const ms = (summary: Summary) => `${summary.median} ms`;
  const header = `  ${'function'.padEnd(46)} ${'bundle'.padStart(8)}  ${'at start'.padStart(8)}  ${'templates'.padStart(9)}  ${'load'.padStart(9)}  ${'SDK only'.padStart(9)}  ${'libs only'.padStart(9)}  ${'own code'.padStart(8)}  ${''.padEnd(7)}  ${'total'.padStart(5)}  ${''.padEnd(7)}  ${'size'.padEnd(7)}  ${'CPU: own'.padStart(8)}  ${'total'.padStart(5)}  ${'A/A'.padStart(5)}`;
  const lines = rows.map(
    (row) =>
      `  ${row.function.padEnd(46)} ${`${(row.bundleBytes / 1024).toFixed(0)} KB`.padStart(8)}  ${`${(row.startBytes / 1024).toFixed(0)} KB`.padStart(8)}  ${(row.templateChunkBytes ? `${(row.templateChunkBytes / 1024).toFixed(0)} KB` : '').padStart(9)}  ${ms(row.loadMs).padStart(9)}  ${ms(row.sdkOnlyLoadMs).padStart(9)}  ${ms(row.librariesOnlyLoadMs).padStart(9)}  ${String(row.ownCodeRatio).padStart(8)}  ${met(row.meetsOwnCodeTarget).padEnd(7)}  ${String(row.ratio).padStart(5)}  ${met(row.meetsTotalTarget).padEnd(7)}  ${met(row.meetsSizeLimit).padEnd(7)}  ${String(row.ownCodeCpuRatio).padStart(8)}  ${String(row.cpuRatio).padStart(5)}  ${String(row.sameBundleRatio).padStart(5)}`,
  );
  const count = (test: (row: StartupRow) => boolean) => `${rows.filter(test).length} of ${rows.length}`;
  return [
    `Function start-up (median of ${rows[0]?.loadMs.runs ?? 0} interleaved loads each in a fresh Node ${process.version}) and bundle size`,
    `targets: own code = load ÷ libraries only ≤ ${OWN_CODE_RATIO_TARGET}; total = load ÷ SDK only ≤ ${TOTAL_RATIO_TARGET}; bundle < 1 MB (QUALITY.md, ADR 0009)`,
    "bundle: index.js and every code chunk it reaches (ADR 0038); at start: those a cold start loads; templates: a page function's templates not all its pages use, each loaded on a page's first render",
    'both comparison bundles are built and split as the function is',
    '"libraries only": its SDK clients plus the zod, middy, Powertools and template runtime it holds, used minimally; CPU: the same ratios in CPU time',
    'A/A: the libraries-only bundle loaded again in each round, ÷ its first loads (not a bar: what the machine alone did to a ratio in this run)',
    header,
    ...lines,
    `  own code met by ${count((row) => row.meetsOwnCodeTarget)}, total by ${count((row) => row.meetsTotalTarget)}, size by ${count((row) => row.meetsSizeLimit)}; all three by ${count((row) => row.meetsTarget)}`,
    ...(rows.length > 0 ? [`  ${describeSameBundleSpread(rows)}`] : []),
  ].join('\n');
}

/** How far the same bundle strayed from itself across the run's functions: the noise any one ratio carries. Pure. */
export function describeSameBundleSpread(rows: readonly StartupRow[]): string {
  const ratios = rows.map((row) => row.sameBundleRatio).sort((a, b) => a - b);
  const strayed = ratios.filter((ratio) => Math.abs(ratio - 1) > OWN_CODE_RATIO_TARGET - 1).length;
  return `A/A, the same bundle against itself: ${ratios[0]} to ${ratios[ratios.length - 1]} (median ${ratios[Math.floor(ratios.length / 2)]}); ${strayed} of ${ratios.length} further from 1 than the own-code bar’s ${Math.round((OWN_CODE_RATIO_TARGET - 1) * 100)} %`;
}
