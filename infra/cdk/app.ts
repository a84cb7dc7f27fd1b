/**
 * `npm run synth`: the CDK app. Stage from context (`-c stage=prod`), `dev` by default; `-c publicOrigin=…` the
 * pages' origin (the CloudFront distribution's by default). Works
 * offline: stacks are environment-agnostic and nothing is looked up in an account.
 */

import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { App } from 'aws-cdk-lib';
import { buildFspApp, FSP_APP_CONTEXT } from './fsp-app';
import { parseStage } from './naming';

async function main(): Promise<void> {
  const app = new App({ context: { ...FSP_APP_CONTEXT } });
  const stage = parseStage(app.node.tryGetContext('stage'));
  const workerCallbackPath = app.node.tryGetContext('workerCallbackPath') as string | undefined;
  // The custom domain's origin once there is one (`-c publicOrigin=https://fsp.council.example`); CloudFront's domain until then.
  const publicOrigin = app.node.tryGetContext('publicOrigin') as string | undefined;
  const manifests = await loadServiceManifests();
  buildFspApp(app, {
    stage,
    manifests,
    ...(workerCallbackPath ? { workerCallbackPath } : {}),
    ...(publicOrigin ? { publicOrigin } : {}),
  });
  app.synth();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
