// Scratch: per-module top-level time of one function bundle, by markers appended to each module.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { relative, extname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { rmSync } from 'node:fs';
import { SDK_CLIENTS, MANDATED_LIBRARIES } from '../bench/startup';

const [entry, workDir, outDir, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 20);
const root = '/work/main';
const markPlugin: Plugin = {
  name: 'mark',
  setup(b) {
    b.onLoad({ filter: /\.(ts|js|mjs|cjs)$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const ext = extname(args.path);
      const rel = relative(root, args.path).replace(/^.*node_modules\//, 'nm:');
      const loader = ext === '.ts' ? 'ts' : 'js';
      return { contents: `${source}\n;globalThis.__fspMark && globalThis.__fspMark(${JSON.stringify(rel)});\n`, loader };
    });
  },
};
mkdirSync(outDir, { recursive: true });
let entryPoint = entry;
if (process.env.LIBS) {
  const probe = await build({ entryPoints: [entry], bundle: true, platform: 'node', target: 'node22', format: 'cjs', mainFields: ['module', 'main'], write: false, metafile: true, absWorkingDir: workDir, logLevel: 'warning' });
  const inputs = Object.keys(probe.metafile.inputs);
  const has = (name: string) => inputs.some((i) => i.includes(`node_modules/${name}/`));
  const lines = [...Object.entries(SDK_CLIENTS), ...(process.env.LIBS === 'sdk' ? [] : Object.entries(MANDATED_LIBRARIES))].filter(([n]) => has(n)).map(([, l]) => l);
  entryPoint = join(workDir, '.scratch-libs-entry.mjs');
  writeFileSync(entryPoint, lines.join('\n'));
  console.log('libs:', lines.length);
}
await build({
  entryPoints: [entryPoint], bundle: true, platform: 'node', target: 'node22', format: 'cjs', minify: process.env.MIN === '1',
  nodePaths: ['/work/main/shared/node_modules'], mainFields: ['module', 'main'], outfile: join(outDir, 'index.js'), absWorkingDir: workDir, plugins: process.env.NOMARK ? [] : [markPlugin], logLevel: 'warning',
});
if (process.env.LIBS) rmSync(entryPoint);
writeFileSync(join(outDir, 'load.js'), `
const marks = []; const t0 = performance.now();
globalThis.__fspMark = (m) => marks.push([m, performance.now()]);
require('./index.js');
const t1 = performance.now();
process.stdout.write(JSON.stringify({ total: t1 - t0, marks: marks.map(([m, t]) => [m, t - t0]) }));
`);
const env = { ...process.env, TABLE_NAME: 'b', EVENT_BUS_NAME: 'b', STAGE: 'dev', USER_POOL_ID: 'eu-west-2_b', AWS_REGION: 'eu-west-2', AWS_ACCESS_KEY_ID: 'b', AWS_SECRET_ACCESS_KEY: 'b', POWERTOOLS_LOG_LEVEL: 'SILENT' };
const per = new Map<string, number[]>();
const totals: number[] = [];
for (let i = 0; i < runs; i++) {
  const out = JSON.parse(execFileSync(process.execPath, [join(outDir, 'load.js')], { env }).toString());
  totals.push(out.total);
  let prev = 0;
  for (const [m, t] of out.marks) { const list = per.get(m) ?? []; list.push(t - prev); per.set(m, list); prev = t; }
  const list = per.get('(after last mark)') ?? []; list.push(out.total - prev); per.set('(after last mark)', list);
}
const med = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const rows = [...per].map(([m, xs]) => [m, med(xs)] as const).sort((a, b) => b[1] - a[1]);
console.log('total median', med(totals).toFixed(1), 'ms');
let own = 0, lib = 0;
for (const [m, x] of rows) { if (m.startsWith('nm:')) lib += x; else own += x; }
console.log('own modules sum', own.toFixed(1), 'libs sum', lib.toFixed(1));
const groups = new Map<string, number>();
for (const [m, x] of rows) { const g = m.startsWith('nm:') ? m.split('/').slice(0, m.startsWith('nm:@') ? 2 : 1).join('/') : m.split('/').slice(0, 3).join('/'); groups.set(g, (groups.get(g) ?? 0) + x); }
console.log([...groups].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([g, x]) => `${x.toFixed(2).padStart(7)}  ${g}`).join('\n'));
console.log('--- top modules');
console.log(rows.slice(0, Number(process.env.TOP ?? 40)).map(([m, x]) => `${x.toFixed(2).padStart(7)}  ${m}`).join('\n'));
