/**
 * `npm run synth`: the CDK app. Works offline: stacks are environment-agnostic and nothing is
 * looked up in an account. Context values:
 * - `stage`: dev (the default), staging or prod; everything that differs between them is in
 *   stages.ts (prod also needs the domain's three keys below);
 * - `publicOrigin`: the pages' https origin (`https://fsp.council.example`); by default the stage's
 *   domain's (below), else the CloudFront distribution's own;
 * - `userPoolDomainPrefix`: the Cognito domain's prefix; `fsp-<stage>-<8 hex digits of the platform
 *   stack's id>` by default;
 * - `workerIdentityProviders`: the identity providers the web client offers, by their names in the
 *   pool (`EntraID`, `COGNITO,EntraID`); the pool's own accounts (`COGNITO`) by default;
 * - `domainName`, `certificateArn` (ACM, us-east-1) and `apiCertificateArn` (ACM, the platform's
 *   region), all three or none: the stage's own domain at the edge (edge-domain.ts, ADR 0018);
 * - `restoredTables`: services bound to a table restored by an operator, as JSON
 *   (`{"cases":{"tableName":"fsp-prod-cases-r20261203","streamArn":"arn:aws:dynamodb:…"}}`,
 *   restored-tables.ts, docs/operations/restore-a-table.md).
 */

import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { App } from 'aws-cdk-lib';
import { EDGE_DOMAIN_CONTEXT_KEYS, parseEdgeDomain } from './edge-domain';
import { buildFspApp, FSP_APP_CONTEXT } from './fsp-app';
import { parseStage } from './naming';

async function main(): Promise<void> {
  const app = new App({ context: { ...FSP_APP_CONTEXT } });
  const stage = parseStage(app.node.tryGetContext('stage'));
  // The pages' origin when it is not the stage's domain (`-c publicOrigin=https://fsp.council.example`); by default
  // `https://<domainName>` for a stage with a domain, else CloudFront's own.
  const publicOrigin = app.node.tryGetContext('publicOrigin') as string | undefined;
  const userPoolDomainPrefix = app.node.tryGetContext('userPoolDomainPrefix') as string | undefined;
  const domain = parseEdgeDomain(
    Object.fromEntries(EDGE_DOMAIN_CONTEXT_KEYS.map((key) => [key, app.node.tryGetContext(key)])) as Record<
      (typeof EDGE_DOMAIN_CONTEXT_KEYS)[number],
      unknown
    >,
  );
  const manifests = await loadServiceManifests();
  buildFspApp(app, {
    stage,
    manifests,
    ...(publicOrigin ? { publicOrigin } : {}),
    ...(userPoolDomainPrefix ? { userPoolDomainPrefix } : {}),
    workerIdentityProviders: app.node.tryGetContext('workerIdentityProviders'),
    ...(domain ? { domain } : {}),
    restoredTables: app.node.tryGetContext('restoredTables'),
  });
  app.synth();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
