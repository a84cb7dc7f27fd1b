/**
 * The edge as QUALITY.md's security bars want it (issue 16, ADR 0018), on the synthesized
 * templates: the WAF web ACL in its us-east-1 stack (managed rule groups, rate rules per IP and per
 * partner client, logs with credentials redacted) and the distribution naming it; the response
 * headers policies on every behaviour, and that they agree with what the functions send; and a
 * stage's domain from context: TLS 1.2 on its certificate and the API's execute-api endpoint off,
 * against the default certificate and the execute-api origin without one.
 */
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import type { ResolvedManifest } from '@fsp/shared/manifest-resolve';
import { DEFAULT_RATE_LIMIT_PER_MINUTE, WINDOW_SECONDS } from '@fsp/shared/rate-limit';
import { createPageRenderer } from '@fsp/shared/web/page';
import { App, type Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import { PARTNER_PROBLEM_TYPES } from '../../../../services/referrals/src/http/partner-api';
import type { EdgeDomain } from '../../edge-domain';
import {
  EDGE_SECURITY_REGION,
  PER_CLIENT_LIMIT,
  PER_IP_LIMIT,
  RATE_LIMITED_BODY,
  REDACTED_HEADERS,
  WEB_ACL_ARN_OUTPUT,
} from '../../edge-security-stack';
import { DEFAULT_CONTENT_SECURITY_POLICY, PERSONAL_DATA_CACHE_CONTROL, SECURITY_HEADERS } from '../../edge-stack';
import { buildFspApp, FSP_APP_CONTEXT, type FspStacks } from '../../fsp-app';
import { type Resource, resourcesOf, synthesiseWithoutBundling } from './support';

const domain: EdgeDomain = {
  domainName: 'fsp.council.example',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
  apiCertificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
};

let manifests: ResolvedManifest[];
/** The dev stage as `npm run synth` builds it by default: no domain. */
let stacks: FspStacks;
/** The same stage with a domain (the referrals service alone, which has static files): quicker to build. */
let withDomain: FspStacks;
let security: Template;
let edge: Template;
let edgeWithDomain: Template;

beforeAll(async () => {
  manifests = await loadServiceManifests();
  stacks = synthesiseWithoutBundling(manifests).stacks;
  const app = new App({ context: { ...FSP_APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  withDomain = buildFspApp(app, { stage: 'dev', manifests: manifests.filter((m) => m.name === 'referrals'), domain });
  security = Template.fromStack(stacks.edgeSecurity);
  edge = Template.fromStack(stacks.edge);
  edgeWithDomain = Template.fromStack(withDomain.edge);
});

type Rule = {
  Name: string;
  Priority: number;
  Action?: Record<string, unknown>;
  OverrideAction?: Record<string, unknown>;
  Statement: { ManagedRuleGroupStatement?: { RuleActionOverrides?: unknown } } & Record<string, unknown>;
};
type PolicyRef = { Ref: string };
type Behaviour = { PathPattern?: string; TargetOriginId: string; ResponseHeadersPolicyId: PolicyRef; OriginRequestPolicyId: PolicyRef };
type DistributionConfig = {
  Origins: Array<{ Id: string; DomainName: unknown }>;
  DefaultCacheBehavior: Behaviour;
  CacheBehaviors: Behaviour[];
  Aliases?: string[];
  ViewerCertificate?: unknown;
  WebACLId?: unknown;
};
type HeadersPolicy = {
  Name: string;
  SecurityHeadersConfig: {
    StrictTransportSecurity: { AccessControlMaxAgeSec: number; IncludeSubdomains?: boolean; Preload?: boolean };
    FrameOptions: { FrameOption: string };
    ReferrerPolicy: { ReferrerPolicy: string };
  };
  CustomHeadersConfig?: unknown;
};
const webAcl = () => {
  const acls = resourcesOf(security, 'AWS::WAFv2::WebACL');
  expect(acls).toHaveLength(1);
  return { id: acls[0]![0], properties: acls[0]![1].Properties as { Rules: Rule[] } & Record<string, unknown> };
};
const ruleNamed = (name: string): Rule => {
  const rule = webAcl().properties.Rules.find((candidate) => candidate.Name === name);
  if (rule === undefined) throw new Error(`no rule ${name}`);
  return rule;
};
const distributionConfigOf = (template: Template) => {
  const [[, distribution]] = resourcesOf(template, 'AWS::CloudFront::Distribution') as [[string, Resource]];
  return distribution.Properties.DistributionConfig as DistributionConfig;
};

describe('the web ACL (its own stack, in us-east-1)', () => {
  test('a CLOUDFRONT web ACL in a stack pinned to us-east-1, allowing what no rule stops', () => {
    expect(stacks.edgeSecurity.stackName).toBe('fsp-dev-edge-security');
    expect(stacks.edgeSecurity.region).toBe('us-east-1');
    expect(EDGE_SECURITY_REGION).toBe('us-east-1');
    expect(webAcl().properties).toMatchObject({ Name: 'fsp-dev-edge', Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    // Nothing else that could be in the platform's region lives here.
    expect(
      Object.values(security.toJSON().Resources as Record<string, Resource>)
        .map((r) => r.Type)
        .sort(),
    ).toEqual(['AWS::KMS::Alias', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::WAFv2::LoggingConfiguration', 'AWS::WAFv2::WebACL']);
  });

  test('the AWS managed groups: IP reputation first, then the core rule set (body size only counted) and known bad inputs; no SQL injection group', () => {
    const rules = webAcl().properties.Rules;
    expect(rules.map((rule) => [rule.Priority, rule.Name])).toEqual([
      [0, 'AmazonIpReputationList'],
      [1, 'PerIp'],
      [2, 'PerPartnerClient'],
      [3, 'CommonRuleSet'],
      [4, 'KnownBadInputsRuleSet'],
    ]);
    for (const name of ['AmazonIpReputationList', 'CommonRuleSet', 'KnownBadInputsRuleSet']) {
      const rule = ruleNamed(name);
      // `none`: the group's own actions (block) apply; `count` would turn the whole group off.
      expect(rule.OverrideAction).toEqual({ None: {} });
      expect(rule.Statement.ManagedRuleGroupStatement).toMatchObject({ VendorName: 'AWS', Name: `AWSManagedRules${name}` });
    }
    expect(ruleNamed('CommonRuleSet').Statement.ManagedRuleGroupStatement!.RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
    ]);
    expect(ruleNamed('AmazonIpReputationList').Statement.ManagedRuleGroupStatement!.RuleActionOverrides).toBeUndefined();
    expect(ruleNamed('KnownBadInputsRuleSet').Statement.ManagedRuleGroupStatement!.RuleActionOverrides).toBeUndefined();
    expect(JSON.stringify(rules)).not.toContain('SQLi');
  });

  test('per IP: every request an address sends counts, over the partner API’s one-minute window', () => {
    expect(ruleNamed('PerIp').Statement).toEqual({
      RateBasedStatement: { AggregateKeyType: 'IP', Limit: PER_IP_LIMIT, EvaluationWindowSec: WINDOW_SECONDS },
    });
    // A partner at its full per-agency rate from one address is never cut off at the edge.
    expect(PER_IP_LIMIT).toBeGreaterThan(DEFAULT_RATE_LIMIT_PER_MINUTE);
  });

  test('per partner client: requests to /v1/ counted by their bearer token, above the API’s own per-agency limit', () => {
    expect(ruleNamed('PerPartnerClient').Statement).toEqual({
      RateBasedStatement: {
        AggregateKeyType: 'CUSTOM_KEYS',
        CustomKeys: [{ Header: { Name: 'authorization', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
        Limit: PER_CLIENT_LIMIT,
        EvaluationWindowSec: WINDOW_SECONDS,
        ScopeDownStatement: {
          ByteMatchStatement: {
            FieldToMatch: { UriPath: {} },
            PositionalConstraint: 'STARTS_WITH',
            SearchString: '/v1/',
            TextTransformations: [{ Priority: 0, Type: 'NONE' }],
          },
        },
      },
    });
    // The API's exact 429 (per agency, with Retry-After) comes first; WAF stops only a client that ignores it.
    expect(PER_CLIENT_LIMIT).toBeGreaterThan(DEFAULT_RATE_LIMIT_PER_MINUTE);
  });

  test('both rate rules answer 429 with Retry-After and a problem document like the partner API’s own', () => {
    const action = {
      Block: {
        CustomResponse: {
          ResponseCode: 429,
          CustomResponseBodyKey: 'rate-limited',
          ResponseHeaders: [{ Name: 'retry-after', Value: String(WINDOW_SECONDS) }],
        },
      },
    };
    expect(ruleNamed('PerIp').Action).toEqual(action);
    expect(ruleNamed('PerPartnerClient').Action).toEqual(action);
    expect(webAcl().properties.CustomResponseBodies).toEqual({
      'rate-limited': { ContentType: 'APPLICATION_JSON', Content: RATE_LIMITED_BODY },
    });
    expect(JSON.parse(RATE_LIMITED_BODY)).toMatchObject({ type: PARTNER_PROBLEM_TYPES.rateLimited, status: 429 });
  });

  test('WAF logs go to an aws-waf-logs- group encrypted with a key of their region; credentials and query strings redacted; only what was blocked or counted', () => {
    const [[logGroupId, logGroup]] = resourcesOf(security, 'AWS::Logs::LogGroup') as [[string, Resource]];
    const [[keyId]] = resourcesOf(security, 'AWS::KMS::Key') as [[string, Resource]];
    expect(logGroup.Properties).toMatchObject({
      LogGroupName: 'aws-waf-logs-fsp-dev-edge',
      KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      RetentionInDays: 30,
    });
    security.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'CloudWatchLogsEncryptsWafLogs', Principal: { Service: 'logs.us-east-1.amazonaws.com' } }),
        ]),
      },
    });
    const [[, logging]] = resourcesOf(security, 'AWS::WAFv2::LoggingConfiguration') as [[string, Resource]];
    expect(logging.Properties.ResourceArn).toEqual({ 'Fn::GetAtt': [webAcl().id, 'Arn'] });
    // The group's own ARN, not CloudFormation's `…:*` attribute, which WAF refuses.
    const destination = JSON.stringify(logging.Properties.LogDestinationConfigs);
    expect(destination).toContain(':log-group:');
    expect(destination).toContain(`"Ref":"${logGroupId}"`);
    expect(destination).not.toContain(':*');
    expect(REDACTED_HEADERS).toEqual(['authorization', 'cookie']);
    expect(logging.Properties.RedactedFields).toEqual([
      { SingleHeader: { Name: 'authorization' } },
      { SingleHeader: { Name: 'cookie' } },
      { QueryString: {} },
    ]);
    expect(logging.Properties.LoggingFilter).toEqual({
      DefaultBehavior: 'DROP',
      Filters: [
        {
          Behavior: 'KEEP',
          Requirement: 'MEETS_ANY',
          Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }],
        },
      ],
    });
  });

  test("the distribution names the ACL by the security stack's output, and is deployed after it", () => {
    security.hasOutput(WEB_ACL_ARN_OUTPUT, { Value: { 'Fn::GetAtt': [webAcl().id, 'Arn'] } });
    // An output, not an export: CloudFormation exports do not cross regions.
    expect(security.toJSON().Outputs[WEB_ACL_ARN_OUTPUT].Export).toBeUndefined();
    for (const template of [edge, edgeWithDomain]) {
      expect(distributionConfigOf(template).WebACLId).toEqual({
        'Fn::GetStackOutput': { StackName: 'fsp-dev-edge-security', Region: 'us-east-1', OutputName: WEB_ACL_ARN_OUTPUT },
      });
    }
    expect(stacks.edge.dependencies.map((stack) => stack.stackName).sort()).toEqual(['fsp-dev-edge-security', 'fsp-dev-platform']);
    expect(stacks.edgeSecurity.dependencies).toEqual([]);
  });
});

describe('response headers', () => {
  const policyOf = (template: Template, reference: PolicyRef) => {
    const [, policy] = resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy').find(([id]) => id === reference.Ref)!;
    return policy.Properties.ResponseHeadersPolicyConfig as HeadersPolicy;
  };
  /** The security headers a policy sends, as a browser would see them. */
  const headersOf = (policy: HeadersPolicy): Record<string, string> => {
    const config = policy.SecurityHeadersConfig;
    const hsts = config.StrictTransportSecurity;
    return {
      'strict-transport-security': `max-age=${hsts.AccessControlMaxAgeSec}${hsts.IncludeSubdomains ? '; includeSubDomains' : ''}${hsts.Preload ? '; preload' : ''}`,
      'x-content-type-options': 'nosniff',
      'x-frame-options': config.FrameOptions.FrameOption,
      'referrer-policy': config.ReferrerPolicy.ReferrerPolicy,
    };
  };

  test('pages and APIs get the personal-data policy, static files the static one: every behaviour has one', () => {
    const config = distributionConfigOf(edge);
    const personal = config.DefaultCacheBehavior.ResponseHeadersPolicyId;
    expect(policyOf(edge, personal).Name).toBe('fsp-dev-personal-data');
    for (const behaviour of config.CacheBehaviors) {
      const expected = ['/api/*', '/v1/*'].includes(behaviour.PathPattern!) ? 'fsp-dev-personal-data' : 'fsp-dev-static-files';
      expect({ path: behaviour.PathPattern, policy: policyOf(edge, behaviour.ResponseHeadersPolicyId).Name }).toEqual({
        path: behaviour.PathPattern,
        policy: expected,
      });
    }
  });

  test('HSTS for a year with subdomains and preload, nosniff, DENY and same-origin, on both policies, replacing any origin copy', () => {
    const config = distributionConfigOf(edge);
    const personal = policyOf(edge, config.DefaultCacheBehavior.ResponseHeadersPolicyId);
    const assets = policyOf(edge, config.CacheBehaviors.at(-1)!.ResponseHeadersPolicyId);
    for (const policy of [personal, assets]) {
      expect(headersOf(policy)).toEqual(SECURITY_HEADERS);
      expect(policy.SecurityHeadersConfig).toMatchObject({
        StrictTransportSecurity: { AccessControlMaxAgeSec: 365 * 24 * 3600, IncludeSubdomains: true, Preload: true, Override: true },
        ContentTypeOptions: { Override: true },
        FrameOptions: { FrameOption: 'DENY', Override: true },
        ReferrerPolicy: { ReferrerPolicy: 'same-origin', Override: true },
        // The pages' own policy (with their script hashes) is kept; the edge's fills in where there is none.
        ContentSecurityPolicy: { ContentSecurityPolicy: DEFAULT_CONTENT_SECURITY_POLICY, Override: false },
      });
    }
    // Personal data is never stored by a browser or a proxy, unless the function says otherwise (it never does for pages).
    expect(personal.CustomHeadersConfig).toEqual({
      Items: [{ Header: 'Cache-Control', Value: PERSONAL_DATA_CACHE_CONTROL, Override: false }],
    });
    // Static files keep the Cache-Control their deployment set (an hour in browsers, a year at the edge).
    expect(assets.CustomHeadersConfig).toBeUndefined();
  });

  test('nothing the edge sends contradicts what a page sends: same values where both set a header, and frame-ancestors none behind DENY', () => {
    const page = createPageRenderer({ templates: {}, inlineScriptHashes: [] }, { stage: 'dev' }).headers;
    const edgeHeaders: Record<string, string> = {
      ...SECURITY_HEADERS,
      'content-security-policy': DEFAULT_CONTENT_SECURITY_POLICY,
      'cache-control': PERSONAL_DATA_CACHE_CONTROL,
    };
    for (const [name, value] of Object.entries(page)) {
      if (name === 'content-type' || name === 'content-security-policy') continue;
      expect({ name, edge: edgeHeaders[name] ?? value }).toEqual({ name, edge: value });
    }
    expect(page['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(DEFAULT_CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });
});

describe("a stage's domain and TLS", () => {
  const apiOf = (stack: Stack) => resourcesOf(Template.fromStack(stack), 'AWS::ApiGatewayV2::Api')[0]![1].Properties;

  test('without one: the default certificate, no alias, the execute-api origin, and the execute-api endpoint left on', () => {
    const config = distributionConfigOf(edge);
    expect(config.Aliases).toBeUndefined();
    expect(config.ViewerCertificate).toBeUndefined();
    edge.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    edge.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 0);
    const origin = config.Origins.find((o) => o.Id === config.DefaultCacheBehavior.TargetOriginId);
    expect(JSON.stringify(origin!.DomainName)).toContain('.execute-api.');
    expect(apiOf(stacks.platform).DisableExecuteApiEndpoint).not.toBe(true);
    // The acknowledged finding says why, on the distribution only, and only here.
    expect(acknowledgedOn(stacks.edge.distribution)).toEqual(['AwsSolutions-CFR1', 'AwsSolutions-CFR4']);
  });

  test('with one: its certificate with TLSv1.2_2021 at least, by SNI, for its name', () => {
    expect(distributionConfigOf(edgeWithDomain)).toMatchObject({
      Aliases: ['fsp.council.example'],
      ViewerCertificate: { AcmCertificateArn: domain.certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
    });
    // No acknowledgement is left for TLS or WAF: cdk-nag checks them (below).
    expect(acknowledgedOn(withDomain.edge.distribution)).toEqual(['AwsSolutions-CFR1']);
    edgeWithDomain.hasOutput('Url', { Value: 'https://fsp.council.example' });
  });

  test("with one: the API's execute-api endpoint is off and CloudFront reaches it through a regional custom domain of the same name", () => {
    expect(apiOf(withDomain.platform).DisableExecuteApiEndpoint).toBe(true);
    const [[domainId, apiDomain]] = resourcesOf(edgeWithDomain, 'AWS::ApiGatewayV2::DomainName') as [[string, Resource]];
    expect(apiDomain.Properties).toMatchObject({
      DomainName: 'fsp.council.example',
      DomainNameConfigurations: [{ CertificateArn: domain.apiCertificateArn, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
    edgeWithDomain.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: { 'Fn::ImportValue': Match.stringLikeRegexp('^fsp-dev-platform:ExportsOutputRefHttpApi') },
      DomainName: { Ref: domainId },
      Stage: '$default',
    });
    const config = distributionConfigOf(edgeWithDomain);
    for (const behaviour of [
      config.DefaultCacheBehavior,
      ...config.CacheBehaviors.filter((b) => ['/api/*', '/v1/*'].includes(b.PathPattern!)),
    ]) {
      const origin = config.Origins.find((o) => o.Id === behaviour.TargetOriginId);
      expect(origin!.DomainName).toEqual({ 'Fn::GetAtt': [domainId, 'RegionalDomainName'] });
      // The API answers only to its own name: the viewer's Host is forwarded (and so sent as the TLS server name).
      const [, requestPolicy] = resourcesOf(edgeWithDomain, 'AWS::CloudFront::OriginRequestPolicy').find(
        ([id]) => id === behaviour.OriginRequestPolicyId.Ref,
      )!;
      expect(
        (requestPolicy.Properties.OriginRequestPolicyConfig as { HeadersConfig: { Headers: string[] } }).HeadersConfig.Headers,
      ).toContain('Host');
    }
  });

  test("with one: the pages' public origin, and so the sign-in callback, is on the stage's domain", () => {
    const client = resourcesOf(Template.fromStack(withDomain.signIn), 'AWS::Cognito::UserPoolClient')[0]![1].Properties;
    expect(client.CallbackURLs).toEqual(['https://fsp.council.example/signin/callback']);
  });

  test.each([
    ['AwsSolutions', () => new AwsSolutionsChecks(undefined, { verbose: true })],
    ['Serverless', () => new ServerlessChecks(undefined, { verbose: true })],
    ['NIST 800-53 rev 5', () => new NIST80053R5Checks(undefined, { verbose: true })],
  ])('%s: no unacknowledged finding on the edge, security and platform stacks, with a domain and without', (_pack, create) => {
    for (const stack of [stacks.edgeSecurity, stacks.edge, withDomain.edgeSecurity, withDomain.edge, withDomain.platform]) {
      const findings = create()
        .validateScope(stack)
        .violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
      expect({ stack: stack.node.path, findings }).toEqual({ stack: stack.node.path, findings: [] });
    }
  });
});

/** The rule ids acknowledged on a construct itself (nag-suppressions.ts `acknowledge`), sorted. */
function acknowledgedOn(construct: Parameters<typeof Validations.of>[0]): string[] {
  return construct.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.keys(entry.data as Record<string, string>).map((id) => id.replace(/^.*::/, '')))
    .sort();
}
