/** The directory port in tests: a fixed list of people behind the real cache (shared/src/directory.ts). */
import { cachedDirectory, type Directory, type DirectoryWorker } from '@fsp/shared/directory';
import type { Role } from '@fsp/shared/people';

export const person = (userId: string, name: string, roles: Role[], teamId: string | undefined, enabled = true): DirectoryWorker => ({
  userId,
  username: name.toLowerCase().replace(/\W+/g, '.'),
  name,
  email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.gov.uk`,
  roles,
  teamId,
  enabled,
});

/** The north team as these tests know it: a manager, three social workers (one has left), four specialists; and one from the south. */
export const NORTH = 'team-north-1';
export const people = {
  manager: person('tm-0001', 'Tara Mensah', ['team-manager'], NORTH),
  samOkafor: person('sw-0001', 'Sam Okafor', ['social-worker'], NORTH),
  ruthHale: person('sw-0002', 'Ruth Hale', ['social-worker'], NORTH),
  leaver: person('sw-0003', 'Lee Carter', ['social-worker'], NORTH, false),
  danaLewis: person('as-0001', 'Dana Lewis', ['adult-specialist'], NORTH),
  omarFarouk: person('as-0002', 'Omar Farouk', ['adult-specialist'], NORTH),
  grace: person('as-0003', 'Grace Mwangi', ['adult-specialist'], NORTH),
  southWorker: person('sw-0009', 'Kim Lee', ['social-worker'], 'team-south-2'),
} as const;

export function fixtureDirectory(workers: readonly DirectoryWorker[] = Object.values(people)): Directory {
  return cachedDirectory({
    worker: async (userId) => workers.find((worker) => worker.userId === userId),
    workersWithRoles: async () => workers.filter((worker) => worker.roles.length > 0),
  });
}
