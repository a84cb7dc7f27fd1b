/** The directory port in supervision's tests: shared/testing/directory.ts. */
export { fixtureDirectory, person } from '@fsp/shared/testing/directory';
