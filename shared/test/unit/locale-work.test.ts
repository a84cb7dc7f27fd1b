/**
 * ICU's locale data is loaded the first time a formatter or collator is built: about 7 ms for a
 * collator, 15–25 ms for a number or time-zone formatter, measured in a fresh Node 22 process. At
 * module level that lands on every cold start (QUALITY.md, function start-up); in a request, on the
 * first request of a container. So the functions' code writes numbers and dates itself
 * (shared/src/numbers.ts, time/words.ts), orders ids and instants by code units (order.ts), and
 * builds the one collator it needs on first use (directory.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '../../..');
const sourceDirectories = [
  join(root, 'shared/src'),
  ...readdirSync(join(root, 'services')).map((name) => join(root, 'services', name, 'src')),
];

/** Where locale work is allowed, and why. */
const ALLOWED: Record<string, string> = {
  // Sorting people by name needs a collator; built on first use, by the listings that sort.
  'shared/src/directory.ts': 'new Intl.Collator',
  // Writes the event catalogue's README at build time, never in a function.
  'shared/src/events/json-schema.ts': 'localeCompare',
};

const LOCALE_WORK = /\bnew Intl\.\w+|\.toLocale(?:String|DateString|TimeString)\(|\.localeCompare\(/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.(ts|js|cjs|mjs)$/.test(path))
    .map((path) => join(directory, path));
}

it("keeps ICU's formatters and collators out of the functions' code, but where a listing needs one", () => {
  const found = sourceDirectories.flatMap((directory) =>
    sourceFiles(directory).flatMap((file) => {
      const path = relative(root, file);
      const uses = readFileSync(file, 'utf8').match(LOCALE_WORK) ?? [];
      return uses.filter((use) => !ALLOWED[path] || !use.includes(ALLOWED[path])).map((use) => `${path}: ${use}`);
    }),
  );
  expect(found).toEqual([]);
});

it('finds locale work where it is written', () => {
  expect('const c = new Intl.Collator("en"); (5).toLocaleString("en-GB"); a.localeCompare(b)'.match(LOCALE_WORK)).toEqual([
    'new Intl.Collator',
    '.toLocaleString(',
    '.localeCompare(',
  ]);
});
