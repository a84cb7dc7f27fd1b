/** The directory port in tests: a fixed list of people behind the real cache (shared/src/directory.ts). */
import { cachedDirectory, type Directory, type DirectoryWorker } from '@fsp/shared/directory';
import type { Role } from '@fsp/shared/people';

export const person = (userId: string, name: string, roles: Role[], teamId: string | undefined): DirectoryWorker => ({
  userId,
  username: name.toLowerCase().replace(/\W+/g, '.'),
  name,
  email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.gov.uk`,
  roles,
  teamId,
  enabled: true,
});

export function fixtureDirectory(workers: readonly DirectoryWorker[]): Directory {
  return cachedDirectory({
    worker: async (userId) => workers.find((worker) => worker.userId === userId),
    workersWithRoles: async () => workers.filter((worker) => worker.roles.length > 0),
  });
}
