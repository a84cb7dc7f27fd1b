/**
 * A page function bundled as CDK bundles it (infra/cdk/service-stack.ts BUNDLING): the templates
 * arrive compiled, with nunjucks' slim runtime, and without the lexer, parser and compiler, so
 * that a cold start parses no template (ADR 0011); the templates not every page uses are in chunk
 * files beside the bundle, loaded on a page's first render (ADR 0009).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleAsDeployed, templateChunksDirectoryOf } from '@fsp/shared/testing/bundle';
import type { Metafile } from 'esbuild';

const WEB = join(__dirname, '../../../src/web');

const ENTRY = `
import { createPageRenderer } from ${JSON.stringify(join(WEB, 'page'))};
import { PRECOMPILED_TEMPLATES } from ${JSON.stringify(join(WEB, 'precompiled-templates'))};
const pages = createPageRenderer(PRECOMPILED_TEMPLATES, { stage: 'prod' });
export const render = () => pages.renderPage('fsp/layout.njk', { title: 'Cases', worker: { name: 'Priya Shah', roles: ['team-manager'] }, area: 'cases' });
`;

/** Prints the chunk files loaded before and after one render, then the page. */
const CHUNKS_LOADED = (
  bundle: string,
) => `const chunks = () => Object.keys(require.cache).filter((file) => file.includes('template-chunks'));
  const { render } = require(${JSON.stringify(bundle)}); const before = chunks(); const html = render();
  process.stdout.write(JSON.stringify({ before, after: chunks(), html }));`;

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

  it('loads none of its template chunks at load, and on a render only those of the templates it uses, from beside the bundle', () => {
    const { before, after, html } = JSON.parse(execFileSync(process.execPath, ['-e', CHUNKS_LOADED(bundle)], { encoding: 'utf8' })) as {
      before: string[];
      after: string[];
      html: string;
    };
    expect(html).toContain('<title>Cases – Family Safeguarding Platform</title>');
    expect(before).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
    const chunks = templateChunksDirectoryOf(bundle);
    expect(after.filter((file) => !file.startsWith(join(chunks, 'precompiled-templates')))).toEqual([]);
    // The example pages' own chunks are beside it, and the layout's render did not load them.
    expect(existsSync(join(chunks, 'precompiled-templates', 'fsp--examples--case-summary.js'))).toBe(true);
    expect(after.filter((file) => file.includes('examples'))).toEqual([]);
  });

  it('cannot render a page whose chunks were not copied beside it: the bundle holds only the templates every page uses', () => {
    const chunks = templateChunksDirectoryOf(bundle);
    renameSync(chunks, `${chunks}-away`);
    try {
      expect(() => execFileSync(process.execPath, ['-e', CHUNKS_LOADED(bundle)], { encoding: 'utf8', stdio: 'pipe' })).toThrow(
        /Cannot find module '[^']*template-chunks\/precompiled-templates\/[^']+\.js'/,
      );
    } finally {
      renameSync(`${chunks}-away`, chunks);
    }
  });

  it('stays well under the platform’s 1 MB function limit', () => {
    expect(statSync(bundle).size).toBeLessThan(400 * 1024);
  });
});
