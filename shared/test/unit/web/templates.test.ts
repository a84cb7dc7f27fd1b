import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  collapseIndentation,
  compileTemplateSet,
  discoverTemplateSets,
  generatedModulesIn,
  REPOSITORY_ROOT,
  referencedTemplates,
  renderTemplateFiles,
  renderTemplateModule,
  resolveTemplateName,
  splitTemplateSet,
  type TemplateSet,
} from '@fsp/shared/web/generate-templates';
import { PRECOMPILED_TEMPLATES } from '@fsp/shared/web/precompiled-templates';
import { type Node, parser } from 'nunjucks';

const fixtureSet = (name: string): TemplateSet => ({
  label: `fixture ${name}`,
  templatesDirectory: join(__dirname, 'fixtures', name, 'templates'),
  outputFile: join(__dirname, 'fixtures', name, 'precompiled-templates.ts'),
  typeImport: '@fsp/shared/web/environment',
});

describe('the precompiled templates', () => {
  it.each(discoverTemplateSets().map((set) => [relative(REPOSITORY_ROOT, set.outputFile), set] as const))(
    '%s and its template chunks are what `npm run web:templates` writes from the templates as they are now',
    (_file, set) => {
      for (const [file, source] of renderTemplateFiles(set)) {
        if (!existsSync(file) || readFileSync(file, 'utf8') !== source) {
          throw new Error(
            `${relative(REPOSITORY_ROOT, file)} is stale or missing: a template (or govuk-frontend, MoJ Frontend or esbuild) changed since it was written; run npm run web:templates`,
          );
        }
      }
    },
  );

  it('are all the generator writes: none is left from a template folder renamed or removed, which a function could still bundle', () => {
    const written = discoverTemplateSets().flatMap((set) =>
      [...renderTemplateFiles(set).keys()].map((file) => relative(REPOSITORY_ROOT, file)),
    );
    expect(generatedModulesIn().map((file) => relative(REPOSITORY_ROOT, file))).toEqual(expect.arrayContaining(written));
    const stale = generatedModulesIn()
      .map((file) => relative(REPOSITORY_ROOT, file))
      .filter((file) => !written.includes(file));
    if (stale.length > 0) throw new Error(`${stale.join(', ')}: no templates make it now; run npm run web:templates, which removes it`);
  });

  it('give referrals’ three page functions a module each, holding its own pages and not the other two’s', () => {
    const referrals = discoverTemplateSets().filter((set) => set.label.startsWith('services/referrals/'));
    expect(referrals.map((set) => relative(REPOSITORY_ROOT, set.outputFile))).toEqual([
      'services/referrals/src/web/precompiled/admin.ts',
      'services/referrals/src/web/precompiled/front-door.ts',
      'services/referrals/src/web/precompiled/refer.ts',
    ]);
    for (const set of referrals) {
      const pages = [...compileTemplateSet(set).keys()].filter((name) => !/^(govuk|moj|fsp)\//.test(name));
      expect(pages.length).toBeGreaterThan(0);
      expect(pages.filter((name) => !name.startsWith(`${set.folder}/`))).toEqual([]);
    }
  });

  it('come out the same however many templates were compiled before them in the process', () => {
    const [first] = discoverTemplateSets();
    if (!first) throw new Error('no template sets');
    const once = renderTemplateModule(first);
    for (const set of discoverTemplateSets()) renderTemplateModule(set);
    expect(renderTemplateModule(first)).toBe(once);
  });

  it('hold the layouts, the examples and the components they use, and no other component: a function bundles only what its pages can use', () => {
    const names = Object.keys(PRECOMPILED_TEMPLATES.templates);
    expect(names).toEqual(expect.arrayContaining(['fsp/layout.njk', 'fsp/public-layout.njk', 'govuk/template.njk']));
    expect(names).toEqual(
      expect.arrayContaining([
        'moj/components/timeline/template.njk',
        'moj/components/badge/template.njk',
        'moj/components/sub-navigation/template.njk',
        'moj/components/identity-bar/template.njk',
        'moj/components/filter/template.njk',
        'moj/components/ticket-panel/template.njk',
        'moj/components/notification-badge/template.njk',
        'moj/components/date-picker/template.njk',
        'govuk/components/exit-this-page/template.njk',
        'govuk/components/service-navigation/template.njk',
      ]),
    );
    for (const unused of [
      'govuk/components/accordion/template.njk',
      'govuk/components/cookie-banner/template.njk',
      'moj/components/rich-text-editor/template.njk',
    ]) {
      expect(names).not.toContain(unused);
    }
    expect(names).toEqual([...names].sort());
  });

  it('name each template as the run-time loader resolves it, so that every relative name finds its template', () => {
    expect(resolveTemplateName('govuk/components/tag/macro.njk', './template.njk')).toBe('govuk/components/tag/template.njk');
    expect(resolveTemplateName('govuk/components/tag/template.njk', '../../macros/attributes.njk')).toBe('govuk/macros/attributes.njk');
    expect(resolveTemplateName('govuk/template.njk', './components/footer/macro.njk')).toBe('govuk/components/footer/macro.njk');
    expect(resolveTemplateName('moj/components/filter/template.njk', 'govuk/components/button/macro.njk')).toBe(
      'govuk/components/button/macro.njk',
    );
  });
});

describe('which module holds which templates', () => {
  const FIXTURES = join(__dirname, 'fixtures', 'by-folder');
  const servicesOf = (root: string) => discoverTemplateSets(root).filter((set) => set.label.includes('services/'));

  it('gives a service whose templates are all in folders one module per folder, and a service with pages at the top one module', () => {
    expect(servicesOf(FIXTURES).map((set) => [relative(FIXTURES, set.outputFile), set.folder])).toEqual([
      ['services/demo/src/web/precompiled/one.ts', 'one'],
      ['services/demo/src/web/precompiled/two.ts', 'two'],
      ['services/plain/src/web/precompiled-templates.ts', undefined],
    ]);
  });

  it('starts a folder’s module from that folder’s templates only, with what they reach in another folder and the error pages', () => {
    const [one, two, plain] = servicesOf(FIXTURES).map((set) =>
      [...compileTemplateSet(set).keys()].filter((name) => !/^(govuk|moj|fsp\/(layout|base))/.test(name)),
    );
    expect(one).toEqual([
      'fsp/errors/bad-request.njk',
      'fsp/errors/forbidden.njk',
      'fsp/errors/not-found.njk',
      'fsp/errors/problem.njk',
      'one/page.njk',
      'one/part.njk',
    ]);
    expect(two).toEqual([
      'fsp/errors/bad-request.njk',
      'fsp/errors/forbidden.njk',
      'fsp/errors/not-found.njk',
      'fsp/errors/problem.njk',
      'one/part.njk',
      'two/page.njk',
    ]);
    expect(plain).toEqual(expect.arrayContaining(['home.njk', 'sign-in/signed-out.njk']));
  });

  it('finds a module no set writes any more: a service split into folders leaves its old module stale', () => {
    const root = mkdtempSync(join(tmpdir(), 'fsp-templates-'));
    try {
      cpSync(FIXTURES, root, { recursive: true });
      const left = join(root, 'services', 'demo', 'src', 'web', 'precompiled-templates.ts');
      writeFileSync(left, '// written before the folders\n');
      mkdirSync(join(root, 'services', 'demo', 'src', 'web', 'precompiled'));
      const removedFolder = join(root, 'services', 'demo', 'src', 'web', 'precompiled', 'three.ts');
      writeFileSync(removedFolder, '// written when there was a folder three\n');
      const written = new Set(discoverTemplateSets(root).flatMap((set) => [...renderTemplateFiles(set).keys()]));
      expect(generatedModulesIn(root).filter((file) => !written.has(file))).toEqual([left, removedFolder]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('which templates a page function loads at its cold start, and which on a page’s first render', () => {
  const loads = new Map<string, string[]>([
    ['a.njk', ['fsp/layout.njk', 'govuk/tag.njk', 'govuk/table.njk']],
    ['b.njk', ['fsp/layout.njk', 'govuk/tag.njk']],
    ['c/d.njk', ['fsp/layout.njk', 'govuk/input.njk']],
    ['fsp/layout.njk', ['govuk/template.njk']],
    ['govuk/template.njk', []],
    ['govuk/tag.njk', []],
    ['govuk/table.njk', []],
    ['govuk/input.njk', []],
  ]);

  it('keeps in the module what every page reaches, and puts each other template in the one chunk of the pages that reach it', () => {
    const { eager, chunks } = splitTemplateSet(loads);
    expect(eager).toEqual(['fsp/layout.njk', 'govuk/template.njk']);
    const shared = [...chunks.keys()].find((file) => file.startsWith('shared-'));
    expect(shared).toMatch(/^shared-[0-9a-f]{10}\.js$/);
    expect(
      new Map([
        ['a.js', ['a.njk', 'govuk/table.njk']],
        ['b.js', ['b.njk']],
        ['c--d.js', ['c/d.njk', 'govuk/input.njk']],
        [shared as string, ['govuk/tag.njk']],
      ]),
    ).toEqual(chunks);
  });

  it('names a shared chunk after the pages that share it, so that it keeps its name while they do', () => {
    const again = splitTemplateSet(new Map([...loads].reverse()));
    expect([...again.chunks.keys()].sort()).toEqual([...splitTemplateSet(loads).chunks.keys()].sort());
  });

  it('holds every template of a set in the module or in exactly one chunk, and the cases pages’ own templates in no module', () => {
    const cases = discoverTemplateSets().find((set) => set.label === 'services/cases/src/web/templates');
    if (!cases) throw new Error('no cases template set');
    const files = renderTemplateFiles(cases);
    const names = [...compileTemplateSet(cases).keys()];
    // The chunk files as checked in (the test above holds them to what the generator writes).
    const inChunks = [...files.keys()].filter((file) => file !== cases.outputFile).flatMap((file) => Object.keys(require(file)));
    expect(new Set(inChunks).size).toBe(inChunks.length);
    const module = files.get(cases.outputFile) as string;
    expect(module).toContain('"fsp/layout.njk": (function () {');
    expect(module).not.toContain('"note.njk": (function () {');
    expect(module).toContain('"note.njk": "note.js"');
    expect(names.filter((name) => !module.includes(`${JSON.stringify(name)}: (function () {`) && !inChunks.includes(name))).toEqual([]);
  });
});

describe('finding what a template loads', () => {
  it('finds extends, include, import and from-import, wherever they are: in blocks, macros, conditions, loops and switches', () => {
    const source = `{% extends "fsp/layout.njk" %}
{% import "./forms.njk" as forms %}
{% block content %}
  {% from "govuk/components/tag/macro.njk" import govukTag %}
  {% macro row(x) %}{% include "../rows/row.njk" %}{% endmacro %}
  {% if ready %}{% for i in items %}{% switch i %}{% case 1 %}{% include "cases/one.njk" %}{% endswitch %}{% endfor %}{% endif %}
{% endblock %}`;
    expect(referencedTemplates('cases/summary/page.njk', source)).toEqual([
      'fsp/layout.njk',
      'cases/summary/forms.njk',
      'govuk/components/tag/macro.njk',
      'cases/rows/row.njk',
      'cases/one.njk',
    ]);
  });

  it('refuses a template named by an expression: precompiling could not know which one a page loads', () => {
    expect(() => referencedTemplates('cases/page.njk', '{% include "cases/" + kind + ".njk" %}')).toThrow(
      'cases/page.njk, line 1: Include names its template with an expression; name it with a string, so that precompiling knows every template a page can load',
    );
    expect(() => referencedTemplates('cases/page.njk', '\n{% extends layout %}')).toThrow(/cases\/page\.njk, line 2: Extends/);
  });

  it('names the template that loads one that is not there', () => {
    expect(() => compileTemplateSet(fixtureSet('missing-template'))).toThrow(
      /^cases\/list\.njk loads govuk\/components\/not-a-component\/macro\.njk, which is not at node_modules\/govuk-frontend\/dist\/govuk\/components\/not-a-component\/macro\.njk$/,
    );
  });

  it('refuses a service’s folder named like a package’s templates, which it would shadow', () => {
    expect(() => compileTemplateSet(fixtureSet('clashing-name'))).toThrow(
      /govuk\/page\.njk is in a folder named like govuk\/, moj\/, fsp\/; rename the folder/,
    );
  });
});

describe('collapsing the templates’ indentation', () => {
  const dataOf = (tree: Node): string[] => {
    const found: string[] = [];
    const visit = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object' && 'typename' in value) {
        const node = value as Node;
        if (node.typename === 'TemplateData') found.push(node.value as string);
        for (const field of node.fields) visit(node[field]);
      }
    };
    visit(tree);
    return found;
  };

  it('shortens each run of whitespace holding a line break to one line break, and leaves spaces within a line alone', () => {
    const source = '<ul>\n    <li>a  b</li>   \n\n      <li>{{ x }} c</li>\n</ul>';
    const tree = parser.parse(source, [], {});
    collapseIndentation(tree, source);
    expect(dataOf(tree).join('{x}')).toBe('<ul>\n<li>a  b</li>\n<li>{x} c</li>\n</ul>');
  });

  it('leaves a template with <pre> as it is, where whitespace shows', () => {
    const source = '<pre>\n    indented\n</pre>';
    const tree = parser.parse(source, [], {});
    collapseIndentation(tree, source);
    expect(dataOf(tree)).toEqual([source]);
  });
});
