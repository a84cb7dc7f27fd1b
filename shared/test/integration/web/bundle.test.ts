/**
 * A page function bundled as CDK bundles it (infra/cdk/service-stack.ts BUNDLING): the templates
 * arrive compiled, with nunjucks' slim runtime, and without the lexer, parser and compiler, so
 * that a cold start parses no template (ADR 0011).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleAsDeployed } from '@fsp/shared/testing/bundle';
import type { Metafile } from 'esbuild';

const WEB = join(__dirname, '../../../src/web');

const ENTRY = `
import { createPageRenderer } from ${JSON.stringify(join(WEB, 'page'))};
import { PRECOMPILED_TEMPLATES } from ${JSON.stringify(join(WEB, 'precompiled-templates'))};
const pages = createPageRenderer(PRECOMPILED_TEMPLATES, { stage: 'prod' });
export const render = () => pages.renderPage('fsp/layout.njk', { title: 'Cases', worker: { name: 'Priya Shah', roles: ['team-manager'] }, area: 'cases' });
`;

describe('a page function’s bundle', () => {
  let directory: string;
  let bundle: string;
  let metafile: Metafile;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'fsp-web-bundle-'));
    bundle = join(directory, 'index.js');
    writeFileSync(join(directory, 'entry.ts'), ENTRY);
    const result = await bundleAsDeployed(join(directory, 'entry.ts'), bundle);
    metafile = result.metafile;
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('holds nunjucks’ slim runtime and not its lexer, parser or compiler', () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((input) => input.endsWith('nunjucks/browser/nunjucks-slim.js'))).toBe(true);
    expect(inputs.filter((input) => /nunjucks\/(src|index\.js)|nunjucks\/browser\/nunjucks\.js/.test(input))).toEqual([]);
  });

  it('renders the layout in a fresh process, compiling nothing from source', () => {
    // Function and eval are taken away before the bundle loads: a template compiled at run time would need them.
    const harness = `globalThis.Function = function () { throw new Error('compiled at run time'); }; globalThis.eval = globalThis.Function;
      const { render } = require(${JSON.stringify(bundle)}); process.stdout.write(render());`;
    const html = execFileSync(process.execPath, ['-e', harness], { encoding: 'utf8' });
    expect(html).toContain('<title>Cases – Family Safeguarding Platform</title>');
    expect(html).toMatch(/aria-current="true">\s*<strong class="govuk-service-navigation__active-fallback">\s*Cases/);
  });

  it('stays well under the platform’s 1 MB function limit', () => {
    expect(statSync(bundle).size).toBeLessThan(400 * 1024);
  });
});
