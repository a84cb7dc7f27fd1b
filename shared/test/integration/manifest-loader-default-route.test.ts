/** The loader reads every service's folder and refuses a platform where two services declare the `$default` route (ADR 0013). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServiceManifests } from '@fsp/shared/manifest-loader';

describe('loading the services’ manifests', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fsp-default-route-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const write = (name: string, declares: boolean) => {
    mkdirSync(join(root, name));
    const defaultRoute = declares ? 'defaultRoute: {},' : '';
    writeFileSync(
      join(root, name, 'service.ts'),
      `export const manifest = { name: '${name}', directory: __dirname, http: { function: { name: 'http', entry: 'src/entries/http.ts' }, routes: [], ${defaultRoute} }, subscriptions: [], schedules: [], publishes: [] };\n`,
    );
  };

  it('refuses two services declaring the $default route, naming both, before CDK or the local cloud sees either', async () => {
    write('alpha', true);
    write('beta', true);
    write('gamma', false);
    await expect(loadServiceManifests(root)).rejects.toThrow(
      'the $default route is declared by 2 services, alpha and beta: only one service in the platform may serve it',
    );
  });

  it('loads a platform where one service declares it, its HTTP function serving it', async () => {
    write('alpha', false);
    write('beta', true);
    const loaded = await loadServiceManifests(root);
    expect(loaded.map((m) => [m.name, m.functions.map((fn) => fn.servesDefaultRoute)])).toEqual([
      ['alpha', [false]],
      ['beta', [true]],
    ]);
  });
});
