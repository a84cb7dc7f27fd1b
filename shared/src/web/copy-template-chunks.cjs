/**
 * `copyTemplateChunks(<working directory>, <bundle directory>, [metafile])`: after esbuild has
 * bundled a function into `<bundle directory>/index.js` with its metafile (by default beside it,
 * `index.meta.json`; inputs relative to `<working directory>`), copies the template chunks of
 * each generated template module the bundle holds to `<bundle directory>/template-chunks/<module>/`,
 * where the module's `join(__dirname, 'template-chunks', <module>)` finds them (template-chunks.ts,
 * generate-templates.ts). The CDK app's bundles copy chunks with it
 * (infra/cdk/function-bundles.ts, ADR 0029), and so do the local cloud's and the bench's, so that
 * they measure and load what is deployed.
 *
 * Plain CommonJS, typed by copy-template-chunks.d.cts, so that it loads without a TypeScript
 * loader wherever it is required. Copies nothing for a function without pages.
 */
const { cpSync, existsSync, readFileSync } = require('node:fs');
const { basename, dirname, join, resolve } = require('node:path');

/** The generated modules: `src/web/precompiled-templates.ts`, `src/web/precompiled/<folder>.ts`. */
const GENERATED_MODULE = /(^|\/)src\/web\/(precompiled-templates|precompiled\/[^/]+)\.ts$/;

/** Copies the chunks and answers the chunk directories copied, by where they went. */
function copyTemplateChunks(workingDirectory, bundleDirectory, metafilePath = join(bundleDirectory, 'index.meta.json')) {
  const metafile = JSON.parse(readFileSync(metafilePath, 'utf8'));
  return copyTemplateChunksOf(workingDirectory, bundleDirectory, Object.keys(metafile.inputs));
}

/**
 * The same from a bundle's inputs (paths relative to `<working directory>`, as esbuild's metafile
 * names them): for a build of several functions at once, each output's own inputs (the local
 * cloud's bundles, infra/local/src/runtime/function-bundles.ts).
 */
function copyTemplateChunksOf(workingDirectory, bundleDirectory, inputs) {
  const copied = [];
  for (const input of inputs) {
    if (!GENERATED_MODULE.test(input)) continue;
    const module = resolve(workingDirectory, input);
    const name = basename(module, '.ts');
    const from = join(dirname(module), 'template-chunks', name);
    // A set every template of which is used by all its pages has no chunks.
    if (!existsSync(from)) continue;
    const to = join(bundleDirectory, 'template-chunks', name);
    if (copied.includes(to))
      throw new Error(`${input}: another template module named ${name} is in the same bundle; their chunks would mix`);
    cpSync(from, to, { recursive: true });
    copied.push(to);
  }
  return copied;
}

module.exports = { copyTemplateChunks, copyTemplateChunksOf };
