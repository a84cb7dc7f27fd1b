/**
 * Stack traces of a bundled function in the TypeScript sources' lines, with the source map read
 * only when a stack is first formatted (ADR 0030). Put at the top of every function bundle as
 * esbuild's banner (`SOURCE_MAPPED_STACKS_BANNER`), by the CDK app and by the local cloud.
 *
 * Node's own `--enable-source-maps` reads and parses a bundle's whole map while the bundle loads,
 * on every cold start, whether or not anything ever throws: 35–50 ms of a page function's start.
 * V8 formats `error.stack` lazily, on first access, through `Error.prepareStackTrace`; the map is
 * parsed there, once per bundle file, so a function that never logs a stack never reads it.
 *
 * Plain CommonJS with no imports of its own: the function below is written into each bundle as
 * text, so it may use only Node's built-in modules.
 */
function installSourceMappedStacks() {
  const { SourceMap } = require('node:module');
  const { readFileSync } = require('node:fs');
  const { dirname, resolve } = require('node:path');
  /** By bundle file: its parsed map, or null when it has none (a stack then keeps the bundle's positions). */
  const maps = new Map();
  const mapOf = (file) => {
    if (!maps.has(file)) {
      let map = null;
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
      } catch (error) {
        // Formatting a stack must never throw; the bundle's own positions are the fallback, and why is said once.
        process.stderr.write(`source-mapped stacks: no map for ${file} (${error instanceof Error ? error.message : String(error)})\n`);
      }
      maps.set(file, map);
    }
    return maps.get(file);
  };
  const mapped = (site) => {
    const text = String(site);
    const file = site.getFileName();
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (typeof file !== 'string' || !file.endsWith('.js') || line === null || column === null) return text;
    const map = mapOf(file);
    const origin = map?.findEntry(line - 1, column - 1);
    if (!origin || origin.originalSource === undefined) return text;
    const source = `${resolve(dirname(file), origin.originalSource)}:${origin.originalLine + 1}:${origin.originalColumn + 1}`;
    return text.replace(`${file}:${line}:${column}`, source);
  };
  Error.prepareStackTrace = (error, callSites) => {
    const header = error instanceof Error ? Error.prototype.toString.call(error) : String(error);
    return [header, ...callSites.map((site) => `    at ${mapped(site)}`)].join('\n');
  };
}

/** esbuild's `banner.js` for a function bundle: the hook, installed before any of the bundle's own code runs. */
const SOURCE_MAPPED_STACKS_BANNER = `(${installSourceMappedStacks.toString()})();`;

module.exports = { SOURCE_MAPPED_STACKS_BANNER };
