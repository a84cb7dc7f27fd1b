import type { ServiceManifest } from '@fsp/shared/manifest';
import { resolveAssetDirectory } from '@fsp/shared/manifest-loader';
import type { LocalHandler } from './http-util';
import { serveStatic } from './static';

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
