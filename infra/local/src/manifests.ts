// The loader lives in shared/ (CDK, the local cloud and the bench read manifests the same way); re-exported for the tests that still import it from here.
export { loadServiceManifests, REPOSITORY_ROOT } from '@fsp/shared/manifest-loader';
