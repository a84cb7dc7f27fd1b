/** The directory port in cases' tests: the north team as these tests know it (shared/testing/directory.ts). */
import type { Directory, DirectoryWorker } from '@fsp/shared/directory';
import { fixtureDirectory as directoryOf, person } from '@fsp/shared/testing/directory';

export { person };

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

export const fixtureDirectory = (workers: readonly DirectoryWorker[] = Object.values(people)): Directory => directoryOf(workers);
