/** What the CDK tests share: the app synthesised from manifests without bundling, and reading its templates. */
import type { ResolvedManifest } from '@fsp/shared/manifest-resolve';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildFspApp, FSP_APP_CONTEXT, type FspAppOptions, type FspStacks } from '../../fsp-app';

export type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };

export interface SynthesisedApp {
  app: App;
  stacks: FspStacks;
  /** The template of a service's stack; throws for a service the app has no stack for. */
  templateOf(service: string): Template;
  /** Every service stack's template. */
  serviceTemplates(): Template[];
}

/**
 * The whole app, for the `dev` stage unless `options` say otherwise. No bundling: NodejsFunction
 * skips esbuild for stacks not listed in `aws:cdk:bundling-stacks`. No cdk-nag at synthesis unless
 * `options` ask: the nag tests run the packs on every stack themselves (fsp-app.ts, `nagAtSynthesis`).
 */
export function synthesiseWithoutBundling(
  manifests: readonly ResolvedManifest[],
  options: Omit<FspAppOptions, 'manifests'> = { stage: 'dev' },
): SynthesisedApp {
  const app = new App({ context: { ...FSP_APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const stacks = buildFspApp(app, { nagAtSynthesis: false, ...options, manifests });
  const templates = new Map(stacks.services.map((stack) => [stack.manifest.name, Template.fromStack(stack)]));
  return {
    app,
    stacks,
    templateOf(service) {
      const template = templates.get(service);
      if (template === undefined) throw new Error(`no stack for service ${service}`);
      return template;
    },
    serviceTemplates: () => [...templates.values()],
  };
}

export const resourcesOf = (template: Template, type: string): Array<[string, Resource]> =>
  Object.entries(template.findResources(type) as Record<string, Resource>);

/**
 * The IAM statements each function's own role is granted whose actions mention `actionPrefix`
 * (`'ses:'`), by function name: what that function, and no other, may do.
 */
export function grantsByFunction(template: Template, actionPrefix: string): Map<string, Record<string, unknown>[]> {
  const policies = resourcesOf(template, 'AWS::IAM::Policy');
  const grants = new Map<string, Record<string, unknown>[]>();
  for (const [, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = policies
      .filter(([, policy]) => (policy.Properties.Roles as { Ref?: string }[]).some((role) => role.Ref === roleId))
      .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement)
      .filter((statement) => JSON.stringify(statement.Action).includes(actionPrefix));
    grants.set(fn.Properties.FunctionName as string, statements);
  }
  return grants;
}
