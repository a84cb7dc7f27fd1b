/** The directory port in tests: a fixed list of people behind the real cache (shared/src/directory.ts). */
import { cachedDirectory, type Directory, type DirectoryWorker } from '../src/directory';
import type { Role } from '../src/people';

/** A person as the user pool holds them; their username and email made from their name. */
export const person = (userId: string, name: string, roles: Role[], teamId: string | undefined, enabled = true): DirectoryWorker => ({
  userId,
  username: name.toLowerCase().replace(/\W+/g, '.'),
  name,
  email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.gov.uk`,
  roles,
  teamId,
  enabled,
});

/** The directory of exactly these people, with the real cache in front. */
export function fixtureDirectory(workers: readonly DirectoryWorker[]): Directory {
  return cachedDirectory({
    worker: async (userId) => workers.find((worker) => worker.userId === userId),
    workersWithRoles: async () => workers.filter((worker) => worker.roles.length > 0),
  });
}
