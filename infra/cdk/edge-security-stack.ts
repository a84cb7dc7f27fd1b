/**
 * The edge's web ACL (ADR 0018): AWS WAF in front of the CloudFront distribution. A web ACL for
 * CloudFront (scope CLOUDFRONT) can only be created in us-east-1, while the rest of the platform is
 * environment-agnostic and deploys to one region; so this is a stack of its own, pinned to
 * us-east-1, whose one output (the ACL's ARN) the edge stack reads with `Fn::GetStackOutput`
 * naming this stack and region (edge-stack.ts). It holds nothing else but what the ACL needs: its
 * log group (`aws-waf-logs-…`, the prefix WAF delivers to) and the key that encrypts it, which has
 * to be in the log group's region as well.
 *
 * Rules, cheapest and most specific first (WAF stops at the first terminating match):
 *
 * | priority | rule                  | what it does                                                                      |
 * | -------- | --------------------- | --------------------------------------------------------------------------------- |
 * | 0        | AmazonIpReputation    | blocks addresses AWS threat intelligence lists as bots and attackers              |
 * | 1        | PerIp                 | 429 once one address sends more than PER_IP_LIMIT requests a minute               |
 * | 2        | PerPartnerClient      | 429 once one bearer token on /v1/ sends more than PER_CLIENT_LIMIT a minute       |
 * | 3        | Common                | the core rule set (OWASP-style: bad bots, LFI, XSS, …), body size counted only    |
 * | 4        | KnownBadInputs        | request patterns of known exploits (Log4j, Java deserialisation, …)               |
 *
 * No SQL injection group: the platform has no SQL store (DynamoDB only, expressions never built
 * from input), and its rules would inspect free-text narratives that may well read like SQL.
 */
import { DEFAULT_RATE_LIMIT_PER_MINUTE, WINDOW_SECONDS } from '@fsp/shared/rate-limit';
import { ArnFormat, Aws, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { prefixOf, type Stage } from './naming';
import { logRetentionOfSettings, removalPolicyOf, type StageSettings } from './stages';

/** The only region AWS WAF accepts a CloudFront (global) web ACL in. */
export const EDGE_SECURITY_REGION = 'us-east-1';

export const edgeSecurityStackNameOf = (stage: Stage): string => `${prefixOf(stage)}-edge-security`;

/** The output the edge stack reads: the web ACL's ARN (CloudFront's WebACLId for WAFv2). */
export const WEB_ACL_ARN_OUTPUT = 'WebAclArn';

/** WAF's rate rules count over this window (seconds): the partner API's own window (shared/rate-limit). */
export const RATE_WINDOW_SECONDS = WINDOW_SECONDS;

/**
 * Requests one partner client (one bearer token) may send to /v1/ in a window before WAF answers
 * 429: twice the partner API's own per-agency limit, so that an agency normally meets the API's
 * exact 429 with Retry-After first, and only one that ignores it and keeps going is cut off at the
 * edge, before its requests cost an authorizer call or a DynamoDB write.
 */
export const PER_CLIENT_LIMIT = 2 * DEFAULT_RATE_LIMIT_PER_MINUTE;

/**
 * Requests one IP address may send in a window, whatever it asks for: above what a partner at its
 * full per-agency rate sends from one address, and what an office of workers behind one NAT sends
 * (their browsers keep the static files an hour).
 */
export const PER_IP_LIMIT = 3000;

/** Headers WAF logs never show: the bearer token and the session cookie are credentials, and tell who a request was for. */
export const REDACTED_HEADERS = ['authorization', 'cookie'] as const;

/** The answer a rate rule gives, shaped like the partner API's own 429 (RFC 9457 problem). */
export const RATE_LIMITED_BODY = JSON.stringify({
  type: 'urn:fsp:problem:rate-limited',
  title: 'Too many requests',
  status: 429,
  detail: 'Too many requests from this client or address; wait for Retry-After seconds and try again.',
});

export interface EdgeSecurityStackProps extends StackProps {
  stage: Stage;
  /** The stage's settings (stages.ts): what is kept on deletion, and log retention. */
  settings: StageSettings;
}

export class EdgeSecurityStack extends Stack {
  readonly webAcl: CfnWebACL;
  readonly logs: LogGroup;

  constructor(scope: Construct, id: string, props: EdgeSecurityStackProps) {
    super(scope, id, { ...props, env: { ...props.env, region: EDGE_SECURITY_REGION } });
    const prefix = prefixOf(props.stage);
    const retain = removalPolicyOf(props.settings);

    // The platform key lives in the platform's region; a log group takes a key of its own region only.
    const key = new Key(this, 'Key', {
      alias: `alias/${prefix}-edge-security`,
      description: `Family Safeguarding Platform (${props.stage}): the edge's WAF logs`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsEncryptsWafLogs',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal(`logs.${EDGE_SECURITY_REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${EDGE_SECURITY_REGION}:${Aws.ACCOUNT_ID}:log-group:aws-waf-logs-${prefix}-*`,
          },
        },
      }),
    );
    this.logs = new LogGroup(this, 'WafLogs', {
      // WAF delivers only to log groups whose name starts with aws-waf-logs-.
      logGroupName: `aws-waf-logs-${prefix}-edge`,
      retention: logRetentionOfSettings(props.settings),
      encryptionKey: key,
      removalPolicy: retain,
    });

    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${prefix}-edge-${metricName}`,
      sampledRequestsEnabled: true,
    });
    const managed = (
      priority: number,
      name: string,
      ruleActionOverrides?: CfnWebACL.RuleActionOverrideProperty[],
    ): CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name: `AWSManagedRules${name}`,
          ...(ruleActionOverrides ? { ruleActionOverrides } : {}),
        },
      },
      visibilityConfig: visibility(name),
    });
    const tooManyRequests: CfnWebACL.RuleActionProperty = {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: 'rate-limited',
          responseHeaders: [{ name: 'retry-after', value: String(RATE_WINDOW_SECONDS) }],
        },
      },
    };

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `${prefix}-edge`,
      // WAF allows letters, digits, spaces and =:#@/-,. only.
      description: `Family Safeguarding Platform ${props.stage} - AWS managed rules, rate limits per IP and per partner client`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('all'),
      customResponseBodies: { 'rate-limited': { contentType: 'APPLICATION_JSON', content: RATE_LIMITED_BODY } },
      rules: [
        managed(0, 'AmazonIpReputationList'),
        {
          name: 'PerIp',
          priority: 1,
          action: tooManyRequests,
          statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: PER_IP_LIMIT, evaluationWindowSec: RATE_WINDOW_SECONDS } },
          visibilityConfig: visibility('per-ip'),
        },
        {
          // WAF cannot read the client id inside the JWT; it can key on the whole Authorization
          // header. A partner's token is issued to one app client and lives an hour, so counting per
          // token is counting per client; minting tokens to spread the count is bounded by PerIp and
          // by the partner API's own per-agency limit, which reads the client id (ADR 0018).
          // Requests without the header are not counted here (they get 401 from the authorizer
          // without it being invoked) but are by PerIp.
          name: 'PerPartnerClient',
          priority: 2,
          action: tooManyRequests,
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'CUSTOM_KEYS',
              customKeys: [{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
              limit: PER_CLIENT_LIMIT,
              evaluationWindowSec: RATE_WINDOW_SECONDS,
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'STARTS_WITH',
                  searchString: '/v1/',
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
            },
          },
          visibilityConfig: visibility('per-partner-client'),
        },
        // Referral narratives and case notes may exceed the core set's 8 KB body limit; the
        // functions bound every body with their schemas, so the size rule only counts.
        managed(3, 'CommonRuleSet', [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }]),
        managed(4, 'KnownBadInputsRuleSet'),
      ],
    });

    // Only what WAF blocked or counted is logged: every request is already in the distribution's
    // access logs. Credentials and the query string (a search may name a person) are redacted.
    const logging = new CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group's own ARN, without the `:*` that CloudFormation's Arn attribute ends in.
      logDestinationConfigs: [
        this.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: this.logs.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [...REDACTED_HEADERS.map((name) => ({ singleHeader: { Name: name } })), { queryString: {} }],
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }],
          },
        ],
      },
    });
    logging.node.addDependency(this.logs);

    new CfnOutput(this, WEB_ACL_ARN_OUTPUT, {
      description: "The edge web ACL's ARN, read by the edge stack (Fn::GetStackOutput) for its distribution",
      value: this.webAcl.attrArn,
    });
  }
}
