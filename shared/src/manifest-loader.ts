/**
 * Reading every service's manifest from disk, resolved (manifest-resolve.ts): the one loader CDK,
 * the local cloud, the bench and the tests share. Build-time and local code only; no Lambda bundle
 * imports it.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { platformDefaultRouteOf, type ServiceManifest } from './manifest';
import { type ResolvedManifest, resolveManifest } from './manifest-resolve';

export const REPOSITORY_ROOT = join(__dirname, '../..');
export const SERVICES_DIRECTORY = join(REPOSITORY_ROOT, 'services');

/** Every `services/<name>/service.ts`, each exporting its manifest as `manifest`, resolved, in folder order; at most one declaring the `$default` route. */
export async function loadServiceManifests(servicesDirectory = SERVICES_DIRECTORY): Promise<ResolvedManifest[]> {
  if (!existsSync(servicesDirectory)) return [];
  const manifests: ResolvedManifest[] = [];
  for (const name of readdirSync(servicesDirectory).sort()) {
    const file = join(servicesDirectory, name, 'service.ts');
    if (!existsSync(file)) continue;
    const module = (await import(file)) as { manifest?: ServiceManifest };
    if (!module.manifest) throw new Error(`${file} must export its manifest as \`manifest\``);
    if (module.manifest.name !== name)
      throw new Error(`${file} names its service "${module.manifest.name}"; it must match its folder "${name}"`);
    manifests.push(resolveManifest(module.manifest));
  }
  // What one manifest cannot check alone: only one service may take the platform's `$default` route.
  platformDefaultRouteOf(manifests);
  return manifests;
}

/**
 * Where a manifest's asset directory is: relative to the service's folder, or, for `node_modules/…`,
 * the first such folder in the service's folder or above it, as Node finds packages (npm
 * workspaces hoist them to the root). The local gateway serves it; the edge stack uploads it.
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
