/**
 * QUALITY.md, function start-up and bundle size: every Lambda entry bundled as CDK bundles it
 * (infra/cdk/service-stack.ts BUNDLING: esbuild, everything bundled, minified, CJS, node22), then
 * loaded in a fresh Node process 20 times; the median load time is divided by that of a bundle
 * holding only the AWS SDK clients the function's own bundle contains.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { httpFunctionsOf, type ServiceManifest } from '../shared/src/manifest';
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

const ESBUILD_OPTIONS: BuildOptions = {
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
  ratio: number;
}

function sdkPackagesIn(metafile: Metafile): string[] {
  const inputs = Object.keys(metafile.inputs);
  return Object.keys(SDK_CLIENTS).filter((name) => inputs.some((input) => input.includes(`node_modules/${name}/`)));
}

function loadTimeMs(bundle: string, environment: NodeJS.ProcessEnv): number {
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

export async function measureStartup(manifests: readonly ServiceManifest[], runs = LOAD_RUNS): Promise<StartupRow[]> {
  const workDirectory = mkdtempSync(join(tmpdir(), 'fsp-bench-bundles-'));
  const environment = { ...process.env, ...LOAD_ENVIRONMENT };
  try {
    const rows: StartupRow[] = [];
    for (const manifest of manifests) {
      const entries = [
        ...httpFunctionsOf(manifest).map(({ function: fn }) => fn),
        ...manifest.subscriptions.map((subscription) => subscription.function),
        ...manifest.schedules.map((schedule) => schedule.function),
      ].filter((entry, index, all) => all.findIndex((other) => other.name === entry.name) === index);
      for (const entry of entries) {
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
        const sdkPackages = sdkPackagesIn(built.metafile);
        const baseline = join(directory, 'sdk-only.js');
        await build({
          ...ESBUILD_OPTIONS,
          // Resolved from the service's folder, so the baseline holds the very same SDK versions.
          stdin: { contents: sdkPackages.map((sdk) => SDK_CLIENTS[sdk]).join('\n'), resolveDir: manifest.directory, loader: 'js' },
          outfile: baseline,
        });
        const loads: number[] = [];
        const baselineLoads: number[] = [];
        // Alternate the two so that a noisy neighbour slows both alike.
        for (let run = 0; run < runs; run += 1) {
          loads.push(loadTimeMs(outfile, { ...environment, ...manifest.environment }));
          baselineLoads.push(loadTimeMs(baseline, environment));
        }
        const loadMs = summarise(loads);
        const sdkOnlyLoadMs = summarise(baselineLoads);
        rows.push({
          function: name,
          bundleBytes: statSync(outfile).size,
          sdkPackages,
          loadMs,
          sdkOnlyLoadMs,
          ratio: Math.round((loadMs.median / sdkOnlyLoadMs.median) * 100) / 100,
        });
      }
    }
    return rows;
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}
