/**
 * QUALITY.md, function start-up and bundle size: every Lambda entry bundled as CDK bundles it
 * (infra/cdk/service-stack.ts BUNDLING: esbuild, everything bundled, minified, CJS, node22), then
 * loaded in a fresh Node process 20 times; the median load time is divided by that of a bundle
 * holding only the AWS SDK clients the function's own bundle contains.
 *
 * Beside the bar, each function is also compared with its "libraries only" bundle: the same SDK
 * clients plus the libraries ARCHITECTURE.md mandates that the function holds (zod, middy,
 * Powertools), each used as little as a function can. It separates what those libraries cost
 * from what the platform's own code adds (ADR 0009).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import type { ResolvedManifest } from '../shared/src/manifest-resolve';
import { type Summary, summarise } from './stats';

export const LOAD_RUNS = 20;
export const RATIO_TARGET = 1.15;
export const SIZE_LIMIT_BYTES = 1024 * 1024;

/** The SDK packages a bundle can hold, and how the baseline bundle constructs each client. */
const SDK_CLIENTS: Record<string, string> = {
  '@aws-sdk/client-dynamodb': "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; globalThis.c1 = new DynamoDBClient({});",
  '@aws-sdk/lib-dynamodb':
    "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; globalThis.c2 = DynamoDBDocumentClient.from(globalThis.c1);",
  '@aws-sdk/client-eventbridge':
    "import { EventBridgeClient } from '@aws-sdk/client-eventbridge'; globalThis.c3 = new EventBridgeClient({});",
  '@aws-sdk/client-sesv2': "import { SESv2Client } from '@aws-sdk/client-sesv2'; globalThis.c4 = new SESv2Client({});",
  '@aws-sdk/client-cognito-identity-provider':
    "import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'; globalThis.c5 = new CognitoIdentityProviderClient({});",
};

/** The mandated libraries a bundle can hold, and the least use of each: how the libraries-only bundle loads them. */
const MANDATED_LIBRARIES: Record<string, string> = {
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
};

export const ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: 'external',
  mainFields: ['module', 'main'],
  metafile: true,
  logLevel: 'warning',
};

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
  bundleBytes: number;
  sdkPackages: string[];
  loadMs: Summary;
  sdkOnlyLoadMs: Summary;
  /** The bar: load ÷ SDK only. */
  ratio: number;
  mandatedLibraries: string[];
  librariesOnlyLoadMs: Summary;
  /** What the mandated libraries cost by themselves: libraries only ÷ SDK only. */
  librariesRatio: number;
  /** What the platform's own code adds: load ÷ libraries only. */
  ownCodeRatio: number;
}

const packagesIn = (metafile: Metafile, candidates: Record<string, string>): string[] => {
  const inputs = Object.keys(metafile.inputs);
  return Object.keys(candidates).filter((name) => inputs.some((input) => input.includes(`node_modules/${name}/`)));
};

/**
 * Resolves each package the comparison bundles import from where the function's own bundle found
 * it (a service's or shared's node_modules), so that they hold the very same copies and versions.
 */
function sameCopiesAs(metafile: Metafile, workingDirectory: string): Plugin {
  const inputs = Object.keys(metafile.inputs);
  return {
    name: 'same-copies-as-the-function',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.importer !== '<stdin>') return undefined;
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : (args.path.split('/')[0] as string);
        const input = inputs.find((candidate) => candidate.includes(`node_modules/${name}/`));
        if (!input) return undefined;
        const resolveDir = resolve(workingDirectory, input.slice(0, input.indexOf(`node_modules/${name}/`)));
        return builder.resolve(args.path, { kind: args.kind, resolveDir });
      });
    },
  };
}

const ratioOf = (numerator: Summary, denominator: Summary): number => Math.round((numerator.median / denominator.median) * 100) / 100;

export function loadTimeMs(bundle: string, environment: NodeJS.ProcessEnv): number {
  // Time the require inside the fresh process: Node's own start-up is the same for both bundles and would only dilute the ratio.
  const harness = `const { performance } = require('node:perf_hooks'); const t = performance.now(); require(${JSON.stringify(bundle)}); process.stdout.write(String(performance.now() - t));`;
  try {
    return Number(
      execFileSync(process.execPath, ['-e', harness], { env: environment, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    );
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    const reason = stderr.split('\n').find((line) => /Error|error:/.test(line) && line.length < 400) ?? 'see its stderr';
    throw new Error(`loading ${bundle} failed: ${reason}`);
  }
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
        const directory = join(workDirectory, name);
        mkdirSync(directory);
        const outfile = join(directory, 'index.js');
        const built = await build({
          ...ESBUILD_OPTIONS,
          entryPoints: [join(manifest.directory, entry.entry)],
          outfile,
          absWorkingDir: manifest.directory,
        });
        if (!built.metafile) throw new Error(`esbuild gave no metafile for ${name}`);
        const sdkPackages = packagesIn(built.metafile, SDK_CLIENTS);
        const mandatedLibraries = packagesIn(built.metafile, MANDATED_LIBRARIES);
        const sdkSource = sdkPackages.map((sdk) => SDK_CLIENTS[sdk]).join('\n');
        const baseline = join(directory, 'sdk-only.js');
        const librariesOnly = join(directory, 'libraries-only.js');
        for (const [contents, file] of [
          [sdkSource, baseline],
          [[sdkSource, ...mandatedLibraries.map((library) => MANDATED_LIBRARIES[library])].join('\n'), librariesOnly],
        ] as const) {
          await build({
            ...ESBUILD_OPTIONS,
            stdin: { contents, resolveDir: manifest.directory, loader: 'js' },
            plugins: [sameCopiesAs(built.metafile, manifest.directory)],
            outfile: file,
          });
        }
        const loads: number[] = [];
        const baselineLoads: number[] = [];
        const librariesLoads: number[] = [];
        // Alternate the three so that a noisy neighbour slows them alike.
        for (let run = 0; run < runs; run += 1) {
          loads.push(loadTimeMs(outfile, { ...environment, ...manifest.environment }));
          baselineLoads.push(loadTimeMs(baseline, environment));
          librariesLoads.push(loadTimeMs(librariesOnly, environment));
        }
        const loadMs = summarise(loads);
        const sdkOnlyLoadMs = summarise(baselineLoads);
        const librariesOnlyLoadMs = summarise(librariesLoads);
        rows.push({
          function: name,
          bundleBytes: statSync(outfile).size,
          sdkPackages,
          loadMs,
          sdkOnlyLoadMs,
          ratio: ratioOf(loadMs, sdkOnlyLoadMs),
          mandatedLibraries,
          librariesOnlyLoadMs,
          librariesRatio: ratioOf(librariesOnlyLoadMs, sdkOnlyLoadMs),
          ownCodeRatio: ratioOf(loadMs, librariesOnlyLoadMs),
        });
      }
    }
    return rows;
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}
