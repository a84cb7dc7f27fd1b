import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  collapseIndentation,
  compileTemplateSet,
  discoverTemplateSets,
  REPOSITORY_ROOT,
  referencedTemplates,
  renderTemplateModule,
  resolveTemplateName,
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
    '%s is what `npm run web:templates` writes from the templates as they are now',
    (file, set) => {
      if (readFileSync(set.outputFile, 'utf8') !== renderTemplateModule(set)) {
        throw new Error(
          `${file} is stale: a template (or govuk-frontend, or MoJ Frontend) changed since it was written; run npm run web:templates`,
        );
      }
    },
  );

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
