import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ServiceManifest } from '@fsp/shared/manifest';
import type { LocalHandler } from './http-util';
import { serveStatic } from './static';

/**
 * Where a manifest's asset directory is: relative to the service's folder, or, for `node_modules/…`,
 * the first such folder in the service's folder or above it, as Node finds packages (npm
 * workspaces hoist them to the root).
 */
export function resolveAssetDirectory(serviceDirectory: string, directory: string): string {
  if (!directory.startsWith('node_modules/')) return resolve(serviceDirectory, directory);
  for (let folder = resolve(serviceDirectory); ; folder = dirname(folder)) {
    const candidate = join(folder, directory);
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    if (dirname(folder) === folder) break;
  }
  throw new Error(`no ${directory} in ${serviceDirectory} or any folder above it: are the dependencies installed?`);
}

/**
 * Every manifest's `assets`, served with `serveStatic`, the longest prefix first so that
 * `/assets/frontend/…` is not taken for `/assets/…`. Two services claiming the same prefix fail here.
 */
export function serviceAssets(manifests: readonly ServiceManifest[]): LocalHandler {
  const mounts: { urlPath: string; handler: LocalHandler }[] = [];
  const owners = new Map<string, string>();
  for (const manifest of manifests) {
    for (const asset of manifest.assets ?? []) {
      const urlPath = asset.urlPath.replace(/\/+$/, '');
      const owner = owners.get(urlPath);
      if (owner !== undefined) throw new Error(`assets at ${urlPath} of ${manifest.name} clash with those of ${owner}`);
      owners.set(urlPath, manifest.name);
      mounts.push({
        urlPath,
        handler: serveStatic({ prefix: urlPath, directory: resolveAssetDirectory(manifest.directory, asset.directory) }),
      });
    }
  }
  mounts.sort((a, b) => b.urlPath.length - a.urlPath.length);
  return async (req, res) => {
    for (const mount of mounts) if (await mount.handler(req, res)) return true;
    return false;
  };
}
