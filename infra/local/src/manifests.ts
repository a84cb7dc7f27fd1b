import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceManifest } from '@fsp/shared/manifest';

export const REPOSITORY_ROOT = join(__dirname, '../../..');

/** Every `services/<name>/service.ts`, each exporting its manifest as `manifest`. */
export async function loadServiceManifests(servicesDirectory = join(REPOSITORY_ROOT, 'services')): Promise<ServiceManifest[]> {
  if (!existsSync(servicesDirectory)) return [];
  const manifests: ServiceManifest[] = [];
  for (const name of readdirSync(servicesDirectory).sort()) {
    const file = join(servicesDirectory, name, 'service.ts');
    if (!existsSync(file)) continue;
    const module = (await import(file)) as { manifest?: ServiceManifest };
    if (!module.manifest) throw new Error(`${file} must export its manifest as \`manifest\``);
    if (module.manifest.name !== name)
      throw new Error(`${file} names its service "${module.manifest.name}"; it must match its folder "${name}"`);
    manifests.push(module.manifest);
  }
  return manifests;
}
