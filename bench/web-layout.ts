/**
 * What the shared page layout (ADR 0011) costs a function: an HTTP function's libraries (its SDK
 * client, zod, middy, the Powertools logger) with and without a page renderer whose templates are
 * the layout and one page, bundled as CDK bundles (startup.ts), loaded in fresh Node processes in
 * turn. Also how long the first render takes in a fresh process (what a cold start adds to the
 * first request) and a warm one.
 *
 * `npx tsx bench/web-layout.ts` prints it; `npm run bench` includes it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { GENERATED_MODULE_NAME, renderTemplateModule, type TemplateSet } from '../shared/src/web/generate-templates';
import { ESBUILD_OPTIONS, loadTimeMs } from './startup';
import { type Summary, summarise } from './stats';

export const WEB_LAYOUT_RUNS = 40;
const RENDER_RUNS = 200;

const REPOSITORY_ROOT = resolve(__dirname, '..');
const WEB = join(REPOSITORY_ROOT, 'shared/src/web');

/** The least an HTTP function loads (startup.ts MANDATED_LIBRARIES, as a function uses them). */
const LIBRARIES = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const config = z.parse(z.object({ TABLE_NAME: z.string().check(z.minLength(1)) }), process.env);
const logger = new Logger({ serviceName: 'bench' });
globalThis.kept = { client, config, logger };
`;

const WITHOUT_LAYOUT = `${LIBRARIES}
export const handler = middy().handler(async () => ({ statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!DOCTYPE html><title>Cases</title><h1>Cases</h1>' }));
`;

const WITH_LAYOUT = `${LIBRARIES}
import { createPageRenderer } from ${JSON.stringify(join(WEB, 'page'))};
import { PRECOMPILED_TEMPLATES } from './${GENERATED_MODULE_NAME.replace(/\.ts$/, '')}';
const pages = createPageRenderer(PRECOMPILED_TEMPLATES, { stage: 'prod' });
export const handler = middy().handler(async () => ({
  statusCode: 200,
  headers: pages.headers,
  body: pages.renderPage('cases/list.njk', { title: 'Cases', worker: { name: 'Priya Shah', roles: ['team-manager'] }, area: 'cases', unreadCount: 4 }, { heading: 'Cases' }),
}));
`;

/** A service's smallest page: the layout and a heading. */
const PAGE_TEMPLATE = `{% extends "fsp/layout.njk" %}
{% block content %}<h1 class="govuk-heading-l">{{ heading }}</h1>{% endblock %}
`;

export interface WebLayoutRow {
  bundle: 'without layout' | 'with layout';
  bundleBytes: number;
  loadMs: Summary;
  /** The first render in a fresh process (after the load). */
  firstRenderMs: Summary;
  /** Later renders in the same process. */
  warmRenderMs: Summary;
  htmlBytes: number;
  /** Whether nunjucks' lexer, parser or compiler reached the bundle (they must not). */
  bundlesCompiler: boolean;
}

export interface WebLayoutResult {
  rows: WebLayoutRow[];
  addedKb: number;
  /** Median load with ÷ without. */
  loadRatio: number;
}

const ENVIRONMENT = { ...process.env, TABLE_NAME: 'fsp-bench', AWS_REGION: 'eu-west-2', POWERTOOLS_LOG_LEVEL: 'SILENT' };

function renderTimes(bundle: string): { first: number; warm: number; htmlBytes: number } {
  const harness = `const { performance } = require('node:perf_hooks');
const { handler } = require(${JSON.stringify(bundle)});
(async () => {
  let t = performance.now(); const response = await handler({}, {}); const first = performance.now() - t;
  t = performance.now(); for (let i = 0; i < ${RENDER_RUNS}; i += 1) await handler({}, {}); const warm = (performance.now() - t) / ${RENDER_RUNS};
  process.stdout.write(JSON.stringify({ first, warm, htmlBytes: Buffer.byteLength(response.body) }));
})();`;
  return JSON.parse(execFileSync(process.execPath, ['-e', harness], { env: ENVIRONMENT, encoding: 'utf8' })) as {
    first: number;
    warm: number;
    htmlBytes: number;
  };
}

const compilerIn = (metafile: Metafile) =>
  Object.keys(metafile.inputs).some((input) => /nunjucks\/src\/(compiler|parser|lexer)\.js$/.test(input));

export async function measureWebLayout(runs = WEB_LAYOUT_RUNS): Promise<WebLayoutResult> {
  const directory = mkdtempSync(join(tmpdir(), 'fsp-bench-web-'));
  try {
    const templates = join(directory, 'templates');
    mkdirSync(join(templates, 'cases'), { recursive: true });
    writeFileSync(join(templates, 'cases/list.njk'), PAGE_TEMPLATE);
    const set: TemplateSet = {
      label: 'bench',
      templatesDirectory: templates,
      outputFile: join(directory, GENERATED_MODULE_NAME),
      typeImport: join(WEB, 'environment'),
    };
    writeFileSync(set.outputFile, renderTemplateModule(set));
    const bundles = { 'without layout': WITHOUT_LAYOUT, 'with layout': WITH_LAYOUT } as const;
    const built: { name: keyof typeof bundles; file: string; metafile: Metafile }[] = [];
    for (const [name, contents] of Object.entries(bundles) as [keyof typeof bundles, string][]) {
      const file = join(directory, `${name.replace(' ', '-')}.js`);
      const result = await build({
        ...ESBUILD_OPTIONS,
        stdin: { contents, resolveDir: directory, loader: 'ts' },
        outfile: file,
        nodePaths: [join(REPOSITORY_ROOT, 'shared/node_modules'), join(REPOSITORY_ROOT, 'node_modules')],
      });
      if (!result.metafile) throw new Error(`esbuild gave no metafile for ${name}`);
      built.push({ name, file, metafile: result.metafile });
    }
    const loads = new Map(built.map(({ name }) => [name, [] as number[]]));
    const firsts = new Map(built.map(({ name }) => [name, [] as number[]]));
    const warms = new Map(built.map(({ name }) => [name, [] as number[]]));
    const htmlBytes = new Map<string, number>();
    // In turn, so that a noisy neighbour slows both alike.
    for (let run = 0; run < runs; run += 1) {
      for (const { name, file } of built) {
        loads.get(name)!.push(loadTimeMs(file, ENVIRONMENT));
        if (run % 4 === 0) {
          const times = renderTimes(file);
          firsts.get(name)!.push(times.first);
          warms.get(name)!.push(times.warm);
          htmlBytes.set(name, times.htmlBytes);
        }
      }
    }
    const rows = built.map(({ name, file, metafile }) => ({
      bundle: name,
      bundleBytes: statSync(file).size,
      loadMs: summarise(loads.get(name)!),
      firstRenderMs: summarise(firsts.get(name)!),
      warmRenderMs: summarise(warms.get(name)!),
      htmlBytes: htmlBytes.get(name)!,
      bundlesCompiler: compilerIn(metafile),
    }));
    const [without, withLayout] = rows as [WebLayoutRow, WebLayoutRow];
    return {
      rows,
      addedKb: Math.round((withLayout.bundleBytes - without.bundleBytes) / 1024),
      loadRatio: Math.round((withLayout.loadMs.median / without.loadMs.median) * 100) / 100,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export function describeWebLayout(result: WebLayoutResult): string {
  const lines = result.rows.map(
    (row) =>
      `  ${row.bundle.padEnd(15)} ${`${(row.bundleBytes / 1024).toFixed(0)} KB`.padStart(7)}  load ${`${row.loadMs.median} ms`.padStart(8)} (p95 ${row.loadMs.p95})  first render ${`${row.firstRenderMs.median} ms`.padStart(7)}  warm ${`${row.warmRenderMs.median} ms`.padStart(7)}  HTML ${(row.htmlBytes / 1024).toFixed(1)} KB${row.bundlesCompiler ? '  BUNDLES THE COMPILER' : ''}`,
  );
  return `Page layout (ADR 0011): an HTTP function's libraries with and without the layout and one page (median of ${result.rows[0]?.loadMs.runs ?? 0} loads)
${lines.join('\n')}
  the layout adds ${result.addedKb} KB; load with ÷ without = ${result.loadRatio}`;
}

if (require.main === module) {
  measureWebLayout()
    .then((result) => console.log(describeWebLayout(result)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
