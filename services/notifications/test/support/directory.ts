/** The directory port in notifications' tests (shared/testing/directory.ts), and one that cannot answer. */
import type { Directory } from '@fsp/shared/directory';

export { fixtureDirectory, person } from '@fsp/shared/testing/directory';

/** A directory that cannot answer (Cognito throttling, say): the escalation must wait, not go to nobody. */
export const unavailableDirectory: Directory = {
  worker: () => Promise.reject(new Error('the directory is unavailable')),
  teamMembers: () => Promise.reject(new Error('the directory is unavailable')),
};
