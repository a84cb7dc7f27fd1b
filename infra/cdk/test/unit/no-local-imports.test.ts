/**
 * The CDK app builds from the manifests as shared/ resolves them, never from the local cloud's
 * code (issue 10): what is deployed must not depend on how this machine emulates AWS. Every
 * import, export-from, dynamic import and require of every .ts file under infra/cdk (its tests
 * too) is checked. Reads the source files only; nothing is run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const CDK_DIRECTORY = resolve(__dirname, '../..');
const LOCAL_DIRECTORY = resolve(CDK_DIRECTORY, '../local');
/** The infra package's own export of the local cloud (infra/package.json). */
const LOCAL_PACKAGE_PREFIX = '@fsp/infra/local';

/** Every module specifier the source names, whichever way it loads it. */
const specifiersIn = (source: string): string[] => ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);

/** The specifiers of `source` (a file at `file`) that reach into infra/local. */
function localImportsOf(file: string, source: string): string[] {
  return specifiersIn(source).filter((specifier) => {
    if (specifier === LOCAL_PACKAGE_PREFIX || specifier.startsWith(`${LOCAL_PACKAGE_PREFIX}/`)) return true;
    if (!specifier.startsWith('.')) return false;
    const target = resolve(dirname(file), specifier);
    return target === LOCAL_DIRECTORY || target.startsWith(`${LOCAL_DIRECTORY}${sep}`);
  });
}

function typeScriptFilesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'cdk.out') return [];
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return typeScriptFilesUnder(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

test('no file under infra/cdk imports from infra/local', () => {
  const files = typeScriptFilesUnder(CDK_DIRECTORY);
  // The scan sees the app, its stacks and its tests, this file among them.
  expect(files.map((file) => relative(CDK_DIRECTORY, file))).toEqual(
    expect.arrayContaining([
      'app.ts',
      'service-stack.ts',
      join('test', 'integration', 'fsp-app.test.ts'),
      join('test', 'unit', 'no-local-imports.test.ts'),
    ]),
  );
  const offenders = files.flatMap((file) =>
    localImportsOf(file, readFileSync(file, 'utf8')).map((specifier) => `${relative(CDK_DIRECTORY, file)} imports ${specifier}`),
  );
  expect(offenders).toEqual([]);
});

test('the check catches every way of reaching infra/local, and lets shared/ and the CDK own modules through', () => {
  const file = join(CDK_DIRECTORY, 'test', 'example.test.ts');
  const source = [
    "import { loadServiceManifests } from '../../local/src/manifests';",
    "import type { LocalCloud } from '@fsp/infra/local/local-cloud';",
    "export { parseEventPattern } from '../../local/src/eventbridge/pattern';",
    "const later = () => import('../../local/test/fixtures/notes-service/service');",
    "const fixture = require('../../local/src/gateway/assets');",
    "import { resolveManifest } from '@fsp/shared/manifest-resolve';",
    "import { buildFspApp } from '../fsp-app';",
    "import { App } from 'aws-cdk-lib';",
    // A name that merely starts like the folder is another folder.
    "import { nothing } from '../../localised/x';",
  ].join('\n');
  expect(localImportsOf(file, source)).toEqual([
    '../../local/src/manifests',
    '@fsp/infra/local/local-cloud',
    '../../local/src/eventbridge/pattern',
    '../../local/test/fixtures/notes-service/service',
    '../../local/src/gateway/assets',
  ]);
});
