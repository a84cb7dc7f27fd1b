/**
 * Referrals' three page functions, bundled as CDK bundles them (infra/cdk/service-stack.ts
 * BUNDLING): each holds its own folder's precompiled templates and not the other two's, so that
 * none carries another function's pages towards QUALITY.md's 1 MB bar (ADR 0011).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleAsDeployed } from '@fsp/shared/testing/bundle';

const SERVICE = resolve(__dirname, '../..');

describe('a referrals page function’s bundle', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'fsp-referrals-bundles-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it.each([
    ['public', 'src/entries/public.ts', 'refer'],
    ['pages', 'src/entries/pages.ts', 'front-door'],
    ['admin', 'src/entries/admin.ts', 'admin'],
  ])('%s holds only its own templates (%s: precompiled/%s.ts) and stays under 1 MB', async (name, entry, folder) => {
    const outfile = join(directory, `${name}.js`);
    const { inputs } = await bundleAsDeployed(join(SERVICE, entry), outfile, { absWorkingDir: SERVICE });
    const templateModules = inputs.filter((input) => /src\/web\/precompiled/.test(input));
    expect(templateModules).toEqual([`src/web/precompiled/${folder}.ts`]);
    expect(statSync(outfile).size).toBeLessThan(1024 * 1024);
  });
});
