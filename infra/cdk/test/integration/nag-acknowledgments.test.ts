/**
 * Where each cdk-nag acknowledgment sits (QUALITY.md, security 9): cdk-nag 3 honours an
 * acknowledgment (`Validations.of(construct).acknowledge`, recorded as construct metadata under
 * `Validations.ACKNOWLEDGED_RULES_METADATA_KEY`) on the resource it finds at fault or on any
 * construct above it, so one placed high silently covers every resource below, including ones added
 * later. The packs are run here with acknowledgments ignored, to learn which resources each rule
 * finds; every acknowledgment in the synthesized tree must then sit on exactly the construct its
 * findings are about (the resource, or the L2 construct wrapping it: a function, a role's
 * DefaultPolicy, a queue), never on a stack nor above the resource at fault.
 */
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { type App, Stack, Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type NagPack, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { EdgeDomain } from '../../edge-domain';
import { synthesiseWithoutBundling } from './support';

const DOMAIN: EdgeDomain = {
  domainName: 'fsp.council.example',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  apiCertificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/66666666-7777-8888-9999-000000000000',
};

interface Acknowledgment {
  path: string;
  rule: string;
  construct: IConstruct;
}

/** Every acknowledgment recorded in the tree under `root`, with the construct it is on. */
function acknowledgmentsUnder(root: IConstruct): Acknowledgment[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data)
      .flatMap((entry) =>
        Object.keys(entry.data as Record<string, string>).map((key) => ({
          path: construct.node.path,
          rule: key.replace(/^annotation::/i, ''),
          construct,
        })),
      ),
  );
}

/** The packs' findings with every acknowledgment ignored: rule id → paths of the resources found at fault. */
function findingsIgnoringAcknowledgments(app: App): Map<string, string[]> {
  const packs: NagPack[] = [new AwsSolutionsChecks(), new ServerlessChecks(), new NIST80053R5Checks()];
  const findings = new Map<string, string[]>();
  for (const pack of packs) {
    // cdk-nag 3 asks this (private) method before reporting a finding; answering no shows them all.
    (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    for (const violation of pack.validateScope(app).violations) {
      findings.set(violation.ruleName, [
        ...(findings.get(violation.ruleName) ?? []),
        ...violation.violatingResources.flatMap((resource) => (resource.constructPath === undefined ? [] : [resource.constructPath])),
      ]);
    }
  }
  return findings;
}

/**
 * What is wrong with where an acknowledgment sits, or undefined when it sits on exactly its findings'
 * construct. One covering no finding in this app (a stage's or a context's, or stale) is not judged here.
 */
function misplacement(acknowledgment: Acknowledgment, findings: Map<string, string[]>): string | undefined {
  const { construct, path, rule } = acknowledgment;
  if (Stack.isStack(construct) || Stage.isStage(construct) || construct.node.scope === undefined) return 'on a stack or the app';
  const under = (findings.get(rule) ?? []).filter((found) => found === path || found.startsWith(`${path}/`));
  if (under.length === 0) return undefined;
  const own = new Set([path, construct.node.defaultChild?.node.path].filter((p): p is string => p !== undefined));
  const below = under.filter((found) => !own.has(found));
  return below.length === 0 ? undefined : `above the construct at fault: ${below.join(', ')}`;
}

describe.each([
  ['dev', { stage: 'dev' as const }],
  ['prod', { stage: 'prod' as const, domain: DOMAIN }],
])('cdk-nag acknowledgments in %s', (_stage, options) => {
  let app: App;
  beforeAll(async () => {
    app = synthesiseWithoutBundling(await loadServiceManifests(), options).app;
  });

  test('each sits on the construct its finding is about: not a stack, not a role or scope above the resource', () => {
    const findings = findingsIgnoringAcknowledgments(app);
    const acknowledgments = acknowledgmentsUnder(app);
    expect(acknowledgments.length).toBeGreaterThan(20);
    const wrong = acknowledgments
      .map((acknowledgment) => ({ at: acknowledgment.path, rule: acknowledgment.rule, problem: misplacement(acknowledgment, findings) }))
      .filter((entry) => entry.problem !== undefined);
    expect(wrong).toEqual([]);
  });

  test('the check fails on an acknowledgment on a stack and on one on a role above its policy', () => {
    const findings = findingsIgnoringAcknowledgments(app);
    const service = app.node.findAll().find((construct) => Stack.isStack(construct) && construct.node.id.includes('referrals')) as Stack;
    const role = service.node.findAll().find((construct) => construct.node.id.startsWith('Role-'))!;
    const policy = role.node.findChild('DefaultPolicy');
    const inlineRule = 'NIST.800.53.R5-IAMNoInlinePolicy';
    expect(misplacement({ construct: service, path: service.node.path, rule: inlineRule }, findings)).toBe('on a stack or the app');
    expect(misplacement({ construct: role, path: role.node.path, rule: inlineRule }, findings)).toMatch(/^above the construct at fault/);
    expect(misplacement({ construct: policy, path: policy.node.path, rule: inlineRule }, findings)).toBeUndefined();
  });
});
