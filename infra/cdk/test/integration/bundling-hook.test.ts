/**
 * The functions' afterBundling hook (service-stack.ts BUNDLING), run as CDK runs it (bash, from the
 * project root, after esbuild has written `index.js` and `index.meta.json`): a page function gets
 * its template chunks beside `index.js`, exactly as generated; a function without pages gets none.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { BUNDLING } from '../../service-stack';

const ROOT = resolve(__dirname, '../../../..');

/** esbuild as CDK runs it here (from the project root, metafile beside the bundle), then the hook's commands in bash. */
async function bundleWithHook(entry: string, directory: string): Promise<void> {
  mkdirSync(directory, { recursive: true });
  const { metafile } = await build({
    entryPoints: [join(ROOT, entry)],
    outfile: join(directory, 'index.js'),
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'silent',
  });
  writeFileSync(join(directory, 'index.meta.json'), JSON.stringify(metafile));
  const hooks = BUNDLING.commandHooks;
  if (!hooks) throw new Error('BUNDLING has no command hooks');
  for (const command of hooks.afterBundling(ROOT, directory)) execFileSync('bash', ['-c', command], { cwd: ROOT });
}

describe('the afterBundling hook', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'fsp-bundling-hook-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('copies a page function’s template chunks beside its bundle, as generated', async () => {
    const bundle = join(directory, 'supervision-pages');
    await bundleWithHook('services/supervision/src/entries/pages.ts', bundle);
    const generated = join(ROOT, 'services/supervision/src/web/template-chunks/precompiled-templates');
    const copied = join(bundle, 'template-chunks/precompiled-templates');
    expect(readdirSync(copied).sort()).toEqual(readdirSync(generated).sort());
    for (const file of readdirSync(generated))
      expect(readFileSync(join(copied, file), 'utf8')).toBe(readFileSync(join(generated, file), 'utf8'));
  });

  it('copies nothing for a function without pages', async () => {
    const bundle = join(directory, 'cases-http');
    await bundleWithHook('services/cases/src/entries/http.ts', bundle);
    expect(existsSync(join(bundle, 'template-chunks'))).toBe(false);
  });
});
