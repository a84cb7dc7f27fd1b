/**
 * The run-time side of the templates: nunjucks' slim build (its runtime, filters and the
 * precompiled-template loader, without the lexer, parser and compiler), over templates that
 * `npm run web:templates` compiled at build time. A function parses no template at cold start and
 * evaluates no generated source: the compiled templates are plain functions in its bundle.
 */
import { posix } from 'node:path';
import { type CompiledTemplate, Environment, PrecompiledLoader } from 'nunjucks/browser/nunjucks-slim.js';
import { mojDate } from './dates';

export type { CompiledTemplate };

/** A generated module's export (see generate-templates.ts). */
export interface PrecompiledTemplateSet {
  /** By name: `govuk/components/tag/template.njk`, `moj/components/timeline/template.njk`, `fsp/layout.njk`, a service's `front-door/queue.njk`. */
  templates: Readonly<Record<string, CompiledTemplate>>;
  /**
   * `sha256-…` of each inline script the layouts render (govuk-frontend's template marks `<body>`
   * `js-enabled`; the layout starts the components' JavaScript): the page's CSP allows these and
   * no other inline script.
   */
  inlineScriptHashes: readonly string[];
}

export type TemplateEnvironment = Pick<Environment, 'render'>;

export function createTemplateEnvironment(set: PrecompiledTemplateSet): TemplateEnvironment {
  const loader = new PrecompiledLoader(set.templates);
  // The slim build has no `path` (its Loader.resolve would throw): GOV.UK's templates name each
  // other relatively ("../../macros/attributes.njk"), and the generator named every template by
  // the same posix rule, so resolving here finds the name it was compiled under.
  loader.resolve = (from, to) => posix.join(posix.dirname(from), to);
  // Autoescape on, as govuk-frontend and MoJ Frontend expect: a value reaches the HTML escaped
  // unless a template marks it `safe` (their `html` parameters).
  const environment = new Environment(loader, { autoescape: true, throwOnUndefined: false });
  environment.addFilter('mojDate', mojDate);
  return environment;
}
