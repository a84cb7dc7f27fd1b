/**
 * Templates loaded on a page's first render (ADR 0009, 2026-12-03, second part). A generated set
 * module (generate-templates.ts) holds in the function's bundle only the templates every page of
 * its function renders (the layouts, the error pages' shared parts and the components they all
 * use); each other template is in a chunk file beside it, `template-chunks/<set>/<chunk>.js`,
 * grouped by the pages that use it, so that a cold start loads none of them and a page's first
 * render loads only the chunks of the templates it uses, each once.
 *
 * Where the chunks are: beside the generated module in the repository (jest, the local cloud), and
 * beside `index.js` in a bundle, where CDK's bundling copies them (shared/src/web/copy-template-chunks.cjs):
 * both are `join(__dirname, 'template-chunks', <set>)` from the module's code.
 */
import { join } from 'node:path';
import type { CompiledTemplate } from './environment';

/** A chunk file's export: its templates by name. */
export type TemplateChunk = Readonly<Record<string, CompiledTemplate>>;

/**
 * `eager`'s templates, and a getter for each of `lazy`'s (name → chunk file in `directory`) that
 * loads its chunk on first use. Enumerable, in name order, as the loader and the tests see a plain
 * set. A chunk that does not hold a template it is named for fails that render with both names.
 */
export function templatesLoadedOnFirstUse(
  directory: string,
  eager: Readonly<Record<string, CompiledTemplate>>,
  lazy: Readonly<Record<string, string>>,
): Readonly<Record<string, CompiledTemplate>> {
  const loaded = new Map<string, TemplateChunk>();
  const chunk = (file: string): TemplateChunk => {
    let templates = loaded.get(file);
    if (!templates) {
      // A path esbuild cannot follow: the chunk stays its own file, loaded here, never bundled.
      templates = require(join(directory, file)) as TemplateChunk;
      loaded.set(file, templates);
    }
    return templates;
  };
  const templates: Record<string, CompiledTemplate> = {};
  for (const name of [...Object.keys(eager), ...Object.keys(lazy)].sort()) {
    const file = lazy[name];
    if (file === undefined) {
      templates[name] = eager[name] as CompiledTemplate;
      continue;
    }
    Object.defineProperty(templates, name, {
      enumerable: true,
      get(): CompiledTemplate {
        const template = chunk(file)[name];
        if (!template) throw new Error(`template chunk ${join(directory, file)} does not hold ${name}; run npm run web:templates`);
        return template;
      },
    });
  }
  return Object.freeze(templates);
}
