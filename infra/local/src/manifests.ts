// The loader lives in shared/ (CDK, the bench and the tests read manifests the same way); re-exported for the local cloud's own modules.
export { loadServiceManifests, REPOSITORY_ROOT } from '@fsp/shared/manifest-loader';
