/**
 * `npm run web:templates`: precompiles the platform's page templates, and every govuk-frontend and
 * MoJ Frontend template they use, into checked-in modules, one per page function, so that a page
 * function bundles compiled templates and nunjucks' slim runtime and parses nothing at cold start
 * (ADR 0011).
 *
 * A package's templates are the `.njk` files under its `src/web/templates/` (shared's are the
 * layouts, `fsp/…`; a service's are its pages). Which module holds them:
 * - shared, and a service with templates at the top of `templates/` (one page function):
 *   `src/web/precompiled-templates.ts`, from all of them;
 * - a service whose `templates/` holds only folders (one per page function: referrals' `refer/`,
 *   `front-door/`, `admin/`): `src/web/precompiled/<folder>.ts`, from that folder's templates.
 * A module holds its templates and what they reach through `extends`, `include`, `import` and
 * `from … import`, and nothing else: a function carries only the components its pages can use,
 * and not another function's pages. Names:
 * - `govuk/…`: govuk-frontend's `dist/govuk/…` (its own templates name each other relatively);
 * - `moj/…`: @ministryofjustice/frontend's `moj/…`;
 * - `fsp/…`: shared's layouts, `shared/src/web/templates/fsp/…`;
 * - anything else: the package's own templates, by their path under its `templates/`.
 * A service's module also holds shared's error pages (`fsp/errors/…`): every page function answers
 * a failed page request with them (its renderer is pageSessions' `errorPages`).
 *
 * The module itself holds only the templates every page of its function reaches (the layout and
 * the components all its pages use); every other template is in a chunk file beside it,
 * `template-chunks/<module>/<chunk>.js`, loaded on a page's first render (template-chunks.ts,
 * splitTemplateSet; ADR 0009). CDK's afterBundling hook copies a function's chunks beside its
 * bundle (copy-template-chunks.cjs).
 *
 * The module also lists the hashes of the inline scripts the layouts render, for the pages' CSP.
 * A test fails when a checked-in module or chunk is not what this would write, or when one is left
 * that this would not write.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import { transformSync } from 'esbuild';
import { compiler, type Node, parser } from 'nunjucks';
import { transform } from 'nunjucks/src/transformer';
import type { CompiledTemplate, PrecompiledTemplateSet } from './environment';
import { createPageRenderer, type Layout } from './page';

export const REPOSITORY_ROOT = resolve(__dirname, '../../..');
export const SHARED_TEMPLATES_DIRECTORY = join(__dirname, 'templates');
export const GENERATED_MODULE_NAME = 'precompiled-templates.ts';
/** Where a service with a page function per template folder has its modules, one per folder. */
export const GENERATED_FOLDER_NAME = 'precompiled';
/** Beside each module, `template-chunks/<module's name>/`: the templates not every page uses, loaded on first use (template-chunks.ts). */
export const CHUNKS_FOLDER_NAME = 'template-chunks';

/** Where a module's chunk files are: `template-chunks/<its name>` beside it, as `join(__dirname, …)` finds them from the module (and from a bundle's `index.js`). */
export const chunkDirectoryOf = (outputFile: string): string => join(dirname(outputFile), CHUNKS_FOLDER_NAME, basename(outputFile, '.ts'));

/** The statements that load another template by name. */
const LOADING_STATEMENTS = new Set(['Extends', 'Include', 'Import', 'FromImport']);
const PACKAGE_PREFIXES = ['govuk/', 'moj/', 'fsp/'] as const;

export interface TemplateSet {
  /** `shared/src/web/templates`, `services/referrals/src/web/templates/admin`: where they are, for messages and the module's header. */
  label: string;
  /** The package's templates: its templates' names are their paths under it. */
  templatesDirectory: string;
  /** Only the templates under this folder of `templatesDirectory` (one function's pages) start the module; all of them when absent. */
  folder?: string;
  /** Where its module goes. */
  outputFile: string;
  /** How the module imports the set's type (shared's own module imports it relatively). */
  typeImport: string;
}

const packageDirectory = (name: string): string => dirname(require.resolve(`${name}/package.json`, { paths: [REPOSITORY_ROOT] }));
const packageVersion = (name: string): string =>
  (JSON.parse(readFileSync(join(packageDirectory(name), 'package.json'), 'utf8')) as { version: string }).version;

const labelOf = (directory: string): string => relative(REPOSITORY_ROOT, directory).split(sep).join('/');

/** shared, and every service with `src/web/templates/`: one set for the service, or one per folder when it holds only folders. */
export function discoverTemplateSets(root: string = REPOSITORY_ROOT): TemplateSet[] {
  const sets: TemplateSet[] = [
    {
      label: labelOf(SHARED_TEMPLATES_DIRECTORY),
      templatesDirectory: SHARED_TEMPLATES_DIRECTORY,
      outputFile: join(__dirname, GENERATED_MODULE_NAME),
      typeImport: './environment',
    },
  ];
  const services = join(root, 'services');
  for (const service of existsSync(services) ? readdirSync(services).sort() : []) {
    const web = join(services, service, 'src', 'web');
    const templates = join(web, 'templates');
    if (!existsSync(templates)) continue;
    const entries = readdirSync(templates).sort();
    const folders = entries.filter((entry) => statSync(join(templates, entry)).isDirectory());
    const typeImport = '@fsp/shared/web/environment';
    if (folders.length > 0 && folders.length === entries.length) {
      for (const folder of folders) {
        sets.push({
          label: labelOf(join(templates, folder)),
          templatesDirectory: templates,
          folder,
          outputFile: join(web, GENERATED_FOLDER_NAME, `${folder}.ts`),
          typeImport,
        });
      }
    } else {
      sets.push({ label: labelOf(templates), templatesDirectory: templates, outputFile: join(web, GENERATED_MODULE_NAME), typeImport });
    }
  }
  return sets;
}

/**
 * The generated modules that are there now: shared's, and each service's `precompiled-templates.ts`
 * and `precompiled/*.ts`. One that no set writes (a folder renamed or removed, a service split into
 * folders) is stale: a function could still bundle it.
 */
export function generatedModulesIn(root: string = REPOSITORY_ROOT): string[] {
  const found = [join(__dirname, GENERATED_MODULE_NAME)].filter((file) => existsSync(file));
  found.push(...chunkFilesIn(__dirname));
  const services = join(root, 'services');
  for (const service of existsSync(services) ? readdirSync(services).sort() : []) {
    const web = join(services, service, 'src', 'web');
    if (existsSync(join(web, GENERATED_MODULE_NAME))) found.push(join(web, GENERATED_MODULE_NAME));
    found.push(...chunkFilesIn(web));
    const folder = join(web, GENERATED_FOLDER_NAME);
    if (existsSync(folder)) {
      found.push(
        ...readdirSync(folder)
          .sort()
          .filter((entry) => entry.endsWith('.ts'))
          .map((entry) => join(folder, entry)),
      );
      found.push(...chunkFilesIn(folder));
    }
  }
  return found;
}

/** Every file under `directory/template-chunks/`: the chunks of the modules in `directory`. */
function chunkFilesIn(directory: string): string[] {
  const chunks = join(directory, CHUNKS_FOLDER_NAME);
  if (!existsSync(chunks)) return [];
  return readdirSync(chunks, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(chunks, entry))
    .filter((file) => statSync(file).isFile())
    .sort();
}

/** Every `.njk` under `directory`, named by its posix path inside it. */
function ownTemplateNames(directory: string): string[] {
  const names: string[] = [];
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) visit(path);
      else if (entry.endsWith('.njk')) names.push(relative(directory, path).split(sep).join('/'));
    }
  };
  visit(directory);
  return names;
}

const isShared = (set: TemplateSet): boolean => set.templatesDirectory === SHARED_TEMPLATES_DIRECTORY;

function sourceFileOf(name: string, set: TemplateSet): string {
  if (name.startsWith('govuk/')) return join(packageDirectory('govuk-frontend'), 'dist', name);
  if (name.startsWith('moj/')) return join(packageDirectory('@ministryofjustice/frontend'), name);
  if (name.startsWith('fsp/')) return join(SHARED_TEMPLATES_DIRECTORY, name);
  return join(set.templatesDirectory, name);
}

/** As the run-time loader resolves (environment.ts): relative to the naming template, posix. */
export const resolveTemplateName = (from: string, to: string): string =>
  to.startsWith('./') || to.startsWith('../') ? posix.join(posix.dirname(from), to) : to;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'typename' in value && 'fields' in value;
}

function visitNodes(value: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visitNodes(item, visit);
    return;
  }
  if (!isNode(value)) return;
  visit(value);
  for (const field of value.fields) visitNodes(value[field], visit);
}

/** The templates `tree` (the template `name`, parsed) loads, by resolved name. */
function templatesLoadedBy(name: string, tree: Node): string[] {
  const found: string[] = [];
  visitNodes(tree, (node) => {
    if (!LOADING_STATEMENTS.has(node.typename)) return;
    const template = node.template;
    if (!isNode(template) || template.typename !== 'Literal' || typeof template.value !== 'string') {
      throw new Error(
        `${name}, line ${node.lineno + 1}: ${node.typename} names its template with an expression; name it with a string, so that precompiling knows every template a page can load`,
      );
    }
    found.push(resolveTemplateName(name, template.value));
  });
  return found;
}

/** The templates `source` (the template `name`) loads, by resolved name. */
export const referencedTemplates = (name: string, source: string): string[] => templatesLoadedBy(name, parser.parse(source, [], {}));

/**
 * Shortens every run of whitespace that holds a line break, in the template's own text, to one
 * line break: the templates are indented for people, and the indentation would otherwise be in
 * every page (and in every function's bundle, as string literals). HTML treats any run of
 * whitespace as one space, so pages look and read the same; only `<pre>` would show the
 * difference, and a template with one is left as it is.
 */
export function collapseIndentation(tree: Node, source: string): void {
  if (/<pre\b/i.test(source)) return;
  visitNodes(tree, (node) => {
    if (node.typename === 'TemplateData' && typeof node.value === 'string') node.value = node.value.replace(/[ \t]*\n\s*/g, '\n');
  });
}

/** What nunjucks' `compiler.compile` does, with the indentation collapsed between parsing and compiling. */
function compileTemplate(name: string, source: string): { code: string; loads: string[] } {
  const tree = parser.parse(source, [], {});
  const loads = templatesLoadedBy(name, tree);
  collapseIndentation(tree, source);
  const compiling = new compiler.Compiler(name, false);
  compiling.compile(transform(tree, [], name));
  return { code: compiling.getCode(), loads };
}

/**
 * nunjucks names the variables that carry a block's `super()` output `hole_<n>` from one counter
 * for the whole process, so a template compiled after others would come out different from the
 * same template compiled first: every package's module would change whenever another package
 * gained a template. Numbered afresh in each template, in order of first use, the output depends
 * on the template alone. They are local names, so the renumbering changes nothing that runs.
 */
export function numberHolesFromZero(code: string): string {
  const renamed = new Map<string, string>();
  return code.replace(/\bhole_\d+\b/g, (hole) => {
    let name = renamed.get(hole);
    if (!name) {
      name = `hole_${renamed.size}`;
      renamed.set(hole, name);
    }
    return name;
  });
}

/** The set's templates and all they reach, each as nunjucks compiles it (a function body returning `root` and the blocks), by name. */
export const compileTemplateSet = (set: TemplateSet): Map<string, string> =>
  new Map([...compileTemplateSetWithLoads(set)].map(([name, { code }]) => [name, code]));

interface CompiledWithLoads {
  code: string;
  /** The templates it loads, by resolved name. */
  loads: string[];
}

function compileTemplateSetWithLoads(set: TemplateSet): Map<string, CompiledWithLoads> {
  const own =
    set.folder === undefined
      ? ownTemplateNames(set.templatesDirectory)
      : ownTemplateNames(join(set.templatesDirectory, set.folder)).map((name) => `${set.folder}/${name}`);
  if (!isShared(set)) {
    const clash = own.find((name) => PACKAGE_PREFIXES.some((prefix) => name.startsWith(prefix)));
    if (clash) throw new Error(`${set.label}: ${clash} is in a folder named like ${PACKAGE_PREFIXES.join(', ')}; rename the folder`);
  }
  const compiled = new Map<string, CompiledWithLoads>();
  const errorPages = isShared(set)
    ? []
    : ownTemplateNames(join(SHARED_TEMPLATES_DIRECTORY, 'fsp', 'errors')).map((name) => `fsp/errors/${name}`);
  const pending: { name: string; by?: string }[] = [...own, ...errorPages].map((name) => ({ name }));
  for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
    const { name, by } = next;
    if (compiled.has(name)) continue;
    const file = sourceFileOf(name, set);
    if (!existsSync(file)) throw new Error(`${by ?? set.label} loads ${name}, which is not at ${relative(REPOSITORY_ROOT, file)}`);
    const { code, loads } = compileTemplate(name, readFileSync(file, 'utf8'));
    compiled.set(name, { code: numberHolesFromZero(code), loads });
    for (const referenced of loads) pending.push({ name: referenced, by: name });
  }
  return new Map([...compiled].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Evaluates compiled templates as the generated module does: at generation only, never in a function. */
function evaluate(compiled: ReadonlyMap<string, string>): Record<string, CompiledTemplate> {
  return Object.fromEntries([...compiled].map(([name, code]) => [name, new Function(code)() as CompiledTemplate]));
}

const SAMPLE_LAYOUTS: Readonly<Record<string, Layout>> = {
  'fsp/layout.njk': { title: 'Sample', worker: { name: 'Sample Worker', roles: ['team-manager'] }, unreadCount: 1 },
  'fsp/public-layout.njk': { title: 'Sample', service: { name: 'Sample service', href: '/' } },
};

/** The bodies of the `<script>` elements without `src` in `html`. */
export function inlineScriptsOf(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attributes]) => !/\bsrc\s*=/i.test(attributes ?? ''))
    .map(([, , body]) => body ?? '');
}

export const scriptHashOf = (body: string): string => `sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}`;

/** The hashes of the inline scripts the set's layouts render: the layouts are the only templates that may have any. */
export function inlineScriptHashesOf(compiled: ReadonlyMap<string, string>): string[] {
  const set: PrecompiledTemplateSet = { templates: evaluate(compiled), inlineScriptHashes: [] };
  const renderer = createPageRenderer(set, { stage: 'local' });
  const hashes = new Set<string>();
  for (const [layout, context] of Object.entries(SAMPLE_LAYOUTS)) {
    if (!compiled.has(layout)) continue;
    for (const script of inlineScriptsOf(renderer.renderPage(layout, context))) hashes.add(scriptHashOf(script));
  }
  return [...hashes].sort();
}

/**
 * Which templates a module holds itself and which go into chunk files (template-chunks.ts). The
 * pages are the templates no other template loads (a page, an error page); a template every page
 * reaches (the layouts and the components they all use) is held by the module, in the function's
 * bundle, since every render needs it; every other template goes into the chunk of the pages that
 * reach it, one chunk per distinct set of pages, so a template is in exactly one chunk and a page's
 * first render loads only chunks it uses. A chunk used by one page is named after it; one shared by
 * several pages, after a hash of their names.
 */
export function splitTemplateSet(loads: ReadonlyMap<string, readonly string[]>): { eager: string[]; chunks: Map<string, string[]> } {
  const loaded = new Set([...loads.values()].flat());
  const pages = [...loads.keys()].filter((name) => !loaded.has(name)).sort();
  const reachedBy = new Map<string, string[]>();
  for (const page of pages) {
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      reachedBy.set(name, [...(reachedBy.get(name) ?? []), page]);
      for (const next of loads.get(name) ?? []) visit(next);
    };
    visit(page);
  }
  const eager: string[] = [];
  const chunks = new Map<string, string[]>();
  for (const name of [...loads.keys()].sort()) {
    const by = reachedBy.get(name) ?? [];
    if (by.length === pages.length) {
      eager.push(name);
      continue;
    }
    const file =
      by.length === 1
        ? `${(by[0] as string).replace(/\.njk$/, '').replaceAll('/', '--')}.js`
        : `shared-${createHash('sha256').update(by.join('\n')).digest('hex').slice(0, 10)}.js`;
    chunks.set(file, [...(chunks.get(file) ?? []), name]);
  }
  return { eager, chunks };
}

const generatedHeader = (set: TemplateSet): string[] => [
  `// Generated by \`npm run web:templates\` (shared/src/web/generate-templates.ts) from ${set.label} and the`,
  `// govuk-frontend ${packageVersion('govuk-frontend')} and @ministryofjustice/frontend ${packageVersion('@ministryofjustice/frontend')} templates they use. Do not edit.`,
];

const templateEntries = (compiled: ReadonlyMap<string, string>, names: readonly string[], indent: string): string =>
  names.map((name) => `${indent}${JSON.stringify(name)}: (function () {\n${compiled.get(name)}})(),\n`).join('');

/**
 * The files `npm run web:templates` writes for `set`, by path: its module (`outputFile`) and its
 * chunk files (`chunkDirectoryOf(outputFile)`), minified as a bundle would be, since a function
 * loads them as they are. With `chunks: false`, the module alone, holding every template.
 */
export function renderTemplateFiles(set: TemplateSet, options: { chunks?: boolean } = {}): Map<string, string> {
  const withLoads = compileTemplateSetWithLoads(set);
  const compiled = new Map([...withLoads].map(([name, { code }]) => [name, code]));
  const { eager, chunks } =
    options.chunks === false
      ? { eager: [...compiled.keys()], chunks: new Map<string, string[]>() }
      : splitTemplateSet(new Map([...withLoads].map(([name, { loads }]) => [name, loads])));
  const lazy = [...chunks].flatMap(([file, names]) => names.map((name) => [name, file] as const)).sort(([a], [b]) => (a < b ? -1 : 1));
  const chunksImport = set.typeImport.replace(/environment$/, 'template-chunks');
  const module = [
    '// @ts-nocheck: nunjucks-compiled JavaScript, checked by the test that renders each template, not by tsc.',
    ...generatedHeader(set),
    chunks.size > 0
      ? `// The templates every page uses are here; the others are in ${CHUNKS_FOLDER_NAME}/${basename(set.outputFile, '.ts')}/, loaded on first use.`
      : '// Every template is here.',
    "import { join } from 'node:path';",
    `import type { PrecompiledTemplateSet } from '${set.typeImport}';`,
    `import { templatesLoadedOnFirstUse } from '${chunksImport}';`,
    '',
    'export const PRECOMPILED_TEMPLATES: PrecompiledTemplateSet = {',
    `  inlineScriptHashes: ${JSON.stringify(inlineScriptHashesOf(compiled))},`,
    '  templates: templatesLoadedOnFirstUse(',
    `    join(__dirname, ${JSON.stringify(CHUNKS_FOLDER_NAME)}, ${JSON.stringify(basename(set.outputFile, '.ts'))}),`,
    '    {',
    `${templateEntries(compiled, eager, '      ')}    },`,
    '    {',
    ...lazy.map(([name, file]) => `      ${JSON.stringify(name)}: ${JSON.stringify(file)},`),
    '    },',
    '  ),',
    '};',
    '',
  ].join('\n');
  const files = new Map([[set.outputFile, module]]);
  for (const [file, names] of [...chunks].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const source = `module.exports = {\n${templateEntries(compiled, names, '  ')}};\n`;
    const minified = transformSync(source, { minify: true, target: 'node22', format: 'cjs', legalComments: 'none' }).code;
    files.set(join(chunkDirectoryOf(set.outputFile), file), [...generatedHeader(set), minified].join('\n'));
  }
  return files;
}

/** A module holding every template of `set` itself, with no chunk files: for a tool that bundles one file (bench/web-layout.ts). */
export const renderTemplateModule = (set: TemplateSet): string => renderTemplateFiles(set, { chunks: false }).get(set.outputFile) as string;

if (require.main === module) {
  const written = new Set<string>();
  for (const set of discoverTemplateSets()) {
    const files = renderTemplateFiles(set);
    for (const [file, source] of files) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, source);
      written.add(file);
    }
    const chunkBytes = [...files].reduce((sum, [file, source]) => sum + (file === set.outputFile ? 0 : Buffer.byteLength(source)), 0);
    process.stdout.write(
      `wrote ${relative(REPOSITORY_ROOT, set.outputFile)} (${Math.round(Buffer.byteLength(files.get(set.outputFile) ?? '') / 1024)} KB) and ${files.size - 1} chunks (${Math.round(chunkBytes / 1024)} KB)\n`,
    );
  }
  for (const stale of generatedModulesIn().filter((file) => !written.has(file))) {
    rmSync(stale);
    process.stdout.write(`removed ${relative(REPOSITORY_ROOT, stale)}: no templates make it now\n`);
  }
}
