/**
 * The platform's one public origin: a CloudFront distribution in front of the HTTP API, with one
 * behaviour per manifest `assets` entry served from a private S3 bucket. Pages and the files they
 * reference absolutely (`/refer` and `/assets/…`) are therefore same-origin, as the local cloud's
 * gateway serves them. Three kinds of request:
 *
 * | paths                          | origin   | cached                                      | forwarded                                       |
 * | ------------------------------ | -------- | ------------------------------------------- | ----------------------------------------------- |
 * | `/api/*`, `/v1/*` (JSON APIs)  | HTTP API | no                                          | Authorization, query strings; no cookie         |
 * | manifest assets (`/assets/…`)  | S3       | a year at the edge, invalidated each deploy | nothing                                         |
 * | everything else (pages, forms) | HTTP API | no                                          | the session, sign-in and form cookies, Origin,  |
 * |                                |          |                                             | Content-Type, query strings; no Authorization   |
 *
 * JSON APIs take bearer tokens only and pages the session cookie only (ADR 0012 §4): the edge
 * already keeps the cookie away from the APIs.
 *
 * ADR 0018 adds the rest of the edge: the WAF web ACL (edge-security-stack.ts, us-east-1) on the
 * distribution, response headers policies on every behaviour (SECURITY_HEADERS; no-store on pages
 * and APIs), and, for a stage with its own domain (edge-domain.ts), its certificate with TLS 1.2 at
 * least and the API reached through a regional custom domain, its execute-api endpoint off.
 *
 * Its own stack, built from every manifest's assets, because a distribution's behaviours cannot be
 * added from other stacks and the platform stack must stay free of service knowledge. It depends on
 * the platform (the API id) and on no service: changing a service's routes never redeploys it.
 */

import { CSRF_HEADER } from '@fsp/shared/http/page-session';
import { SESSION_COOKIE, SIGN_IN_STATE_COOKIE } from '@fsp/shared/http/session';
import { resolveAssetDirectory } from '@fsp/shared/manifest-loader';
import type { ResolvedManifest } from '@fsp/shared/manifest-resolve';
import { CORRELATION_HEADER } from '@fsp/shared/observability/correlation';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnApiMapping, DomainName, SecurityPolicy } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CacheCookieBehavior,
  CachedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  type ResponseSecurityHeadersBehavior,
  S3OriginAccessControl,
  SecurityPolicyProtocol,
  Signing,
  SSLMethod,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { type EdgeDomain, originOf } from './edge-domain';
import { acknowledge } from './nag-suppressions';
import { prefixOf, type Stage } from './naming';
import { logRetentionOfSettings, removalPolicyOf, type StageSettings } from './stages';

export const edgeStackNameOf = (stage: Stage): string => `${prefixOf(stage)}-edge`;

/** One manifest `assets` entry as deployed: where its files go in the bucket and which requests reach them. */
export interface DeployedAssets {
  service: string;
  urlPath: string;
  /** The folder the files are read from, resolved as the local cloud resolves it. */
  sourceDirectory: string;
  /**
   * The entry's own top-level folder in the bucket. CloudFront asks S3 for the whole request path,
   * so the files sit at `<root>/<urlPath>/…` and the behaviour's origin path is `/<root>`. Each
   * entry owning a folder no other entry's folder contains lets every deployment prune its own
   * stale files without deleting another's (`/assets` would otherwise prune `/assets/frontend`).
   */
  bucketRoot: string;
  /** `<root>/<urlPath>/`: the deployment's destination key prefix. */
  keyPrefix: string;
  /** The behaviour's path pattern, `<urlPath>/*`. */
  pathPattern: string;
}

/**
 * Every manifest's assets, longest URL prefix first: CloudFront takes the first behaviour whose
 * pattern matches, and the longest prefix wins (as in the local gateway). A prefix claimed twice,
 * or two prefixes that would share a bucket folder, are refused at synth.
 */
export function deployedAssetsOf(manifests: readonly ResolvedManifest[]): DeployedAssets[] {
  const byUrlPath = new Map<string, DeployedAssets>();
  const byRoot = new Map<string, string>();
  for (const manifest of manifests) {
    for (const asset of manifest.assets ?? []) {
      const urlPath = asset.urlPath.replace(/\/+$/, '');
      if (!/^(\/[A-Za-z0-9._-]+)+$/.test(urlPath)) {
        throw new Error(`service ${manifest.name}: asset urlPath ${asset.urlPath} must be /segments of letters, digits, ., _ or -`);
      }
      const api = API_PATH_PREFIXES.find((prefix) => urlPath === prefix || urlPath.startsWith(`${prefix}/`));
      if (api !== undefined) throw new Error(`service ${manifest.name}: asset urlPath ${asset.urlPath} is under ${api}, the JSON API's`);
      const owner = byUrlPath.get(urlPath);
      if (owner !== undefined) throw new Error(`assets at ${urlPath} of ${manifest.name} clash with those of ${owner.service}`);
      const bucketRoot = `${manifest.name}${urlPath.replaceAll('/', '-')}`;
      const rootOwner = byRoot.get(bucketRoot);
      if (rootOwner !== undefined) throw new Error(`assets at ${urlPath} and ${rootOwner} would share the bucket folder ${bucketRoot}`);
      byRoot.set(bucketRoot, urlPath);
      byUrlPath.set(urlPath, {
        service: manifest.name,
        urlPath,
        sourceDirectory: resolveAssetDirectory(manifest.directory, asset.directory),
        bucketRoot,
        keyPrefix: `${bucketRoot}${urlPath}/`,
        pathPattern: `${urlPath}/*`,
      });
    }
  }
  return [...byUrlPath.values()].sort((a, b) => b.urlPath.length - a.urlPath.length);
}

/**
 * Browsers may keep an asset this long. The files keep their names across versions (ADR 0011's
 * fixed ASSET_PATHS, not fingerprinted), so a browser's copy must not outlive an upgrade by long.
 */
export const ASSET_BROWSER_MAX_AGE = Duration.hours(1);
/** CloudFront keeps an asset this long (`s-maxage`): each deployment invalidates its paths, so the edge never serves a stale one. */
export const ASSET_EDGE_MAX_AGE = Duration.days(365);

/** The path prefixes of the JSON APIs: workers' (`/api`) and partner agencies' (`/v1`). Bearer tokens only. */
export const API_PATH_PREFIXES = ['/api', '/v1'] as const;

/** The referral form's draft cookie (services/referrals/src/http/public-form.ts DRAFT_COOKIE): the public form is a page too. */
export const REFERRAL_DRAFT_COOKIE = 'fsp_referral';

/**
 * The cookies page paths forward, and the only ones the platform's origin ever sees: the worker's
 * session and sign-in state (ADR 0012), and the public referral form's draft. Anything else a
 * browser holds for the domain stays at the edge.
 */
export const PAGE_COOKIES = [SESSION_COOKIE, SIGN_IN_STATE_COOKIE, REFERRAL_DRAFT_COOKIE] as const;

/**
 * Viewer headers a page request carries to its function: Origin (checked on every POST),
 * Content-Type (a form's body), the CSRF header (a script's write) and the caller's correlation id.
 */
export const PAGE_HEADERS = ['Origin', 'Content-Type', CSRF_HEADER, CORRELATION_HEADER] as const;

/**
 * Viewer headers a JSON API request carries besides Authorization (which is in the cache key, as
 * CloudFront requires): the body's type, the partner API's Idempotency-Key and the correlation id.
 */
export const API_HEADERS = ['Content-Type', 'Idempotency-Key', CORRELATION_HEADER] as const;
/** Superseded asset files are kept this long, so a bad deployment can be rolled back object by object. */
export const NONCURRENT_ASSET_DAYS = 30;

/**
 * What browsers are told on every answer, pages, APIs and static files alike: HTTPS only for a year
 * (subdomains too, and fit for the preload list), no MIME sniffing, never framed, and the referrer
 * only to this origin. The values are the pages' own where the functions set them
 * (shared/src/web/page.ts: nosniff, same-origin), so the edge's copy replaces theirs with the same.
 */
export const SECURITY_HEADERS = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
} as const;

/**
 * Added where an answer has none of its own (the edge does not override them): pages send their own
 * content security policy (with their inline scripts' hashes, and frame-ancestors 'none') and
 * Cache-Control: no-store; what else comes from the API (JSON, API Gateway's own 401, 403, 429 and
 * 503) gets these. Static files get the policy but keep their own Cache-Control.
 */
export const DEFAULT_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";
export const PERSONAL_DATA_CACHE_CONTROL = 'no-store';

export interface EdgeStackProps extends StackProps {
  stage: Stage;
  /** The stage's settings (stages.ts): what is kept on deletion, and log retention. */
  settings: StageSettings;
  manifests: readonly ResolvedManifest[];
  /** The platform HTTP API's id (a token from the platform stack); the distribution's default origin. */
  httpApiId: string;
  /** The platform key's ARN: the deployment function's log group is encrypted with it, like every other. */
  keyArn: string;
  /** The edge web ACL's ARN (edge-security-stack.ts, in us-east-1), read with Fn::GetStackOutput. */
  webAclArn: string;
  /**
   * The stage's own domain (edge-domain.ts, from context): CloudFront serves it on its certificate,
   * TLS 1.2 at least, and reaches the API through a regional custom domain of the same name, the
   * API's execute-api endpoint being off. Absent: the distribution's own name and certificate, and
   * the API's execute-api address as the origin.
   */
  domain?: EdgeDomain;
}

export class EdgeStack extends Stack {
  readonly assetsBucket: Bucket;
  readonly accessLogsBucket: Bucket;
  readonly distribution: Distribution;
  readonly deployments = new Map<string, BucketDeployment>();

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const prefix = prefixOf(props.stage);
    const retain = removalPolicyOf(props.settings);
    const assets = deployedAssetsOf(props.manifests);

    this.accessLogsBucket = new Bucket(this, 'AccessLogs', {
      // S3 server access logging delivers only to buckets encrypted with S3-managed keys.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logs are written with an object ACL, which needs ACLs enabled (never public: see above).
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      versioned: true,
      lifecycleRules: [
        { expiration: Duration.days(logRetentionOfSettings(props.settings)), noncurrentVersionExpiration: Duration.days(1) },
      ],
      // Access records outlive the stack; CloudFormation could not delete a bucket holding objects anyway.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const logBucketReason =
      'This bucket receives the server access logs of the assets bucket and the distribution; logging it to itself would loop and logging it elsewhere only moves the question.';
    acknowledge(this.accessLogsBucket, 'AwsSolutions-S1', logBucketReason);
    acknowledge(this.accessLogsBucket, 'NIST.800.53.R5-S3BucketLoggingEnabled', logBucketReason);
    acknowledge(
      this.accessLogsBucket,
      'NIST.800.53.R5-S3DefaultEncryptionKMS',
      'S3 server access logging can only deliver to a bucket whose default encryption is SSE-S3; the logs hold request metadata for public files, encrypted at rest with S3-managed keys.',
    );
    acknowledge(
      this.accessLogsBucket,
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'Access logs of public static files are kept for the stage’s log retention for incident review; a cross-region copy is not worth a second bucket and replication role for them.',
    );

    this.assetsBucket = new Bucket(this, 'Assets', {
      // The files are public by nature (GOV.UK Frontend's CSS, JS, fonts and images) but reach readers only through CloudFront.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // Versioned so that a deployment that overwrote or pruned the wrong files can be undone from S3 alone.
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(NONCURRENT_ASSET_DAYS) }],
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'assets-bucket/',
      // CloudFormation cannot delete a bucket that holds objects, and emptying it on deletion would
      // take another custom-resource function; a torn-down stage's bucket is emptied by hand.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.assetsBucket,
      'NIST.800.53.R5-S3DefaultEncryptionKMS',
      'The bucket holds only public, open-source static files (GOV.UK Frontend) that anyone may download through the distribution; SSE-S3 encrypts them at rest, and a KMS key would add a key policy for CloudFront and a cost per request without protecting anything confidential.',
    );
    acknowledge(
      this.assetsBucket,
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'Every object is rebuilt from the repository (package-lock.json pins the files) by the next deployment; a replica would add nothing a redeployment does not restore.',
    );

    const accessControl = new S3OriginAccessControl(this, 'AssetsAccess', {
      originAccessControlName: `${prefix}-assets`,
      description: 'CloudFront signs its requests for static files; the bucket allows only this distribution.',
      signing: Signing.SIGV4_ALWAYS,
    });
    const apiOrigin = new HttpOrigin(this.apiOriginDomainOf(props), {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
    // With a custom domain the API answers only to its own name: CloudFront forwards the viewer's
    // Host (the stage's domain), which it then also sends as the TLS server name.
    const host = props.domain === undefined ? [] : ['Host'];

    // Pages and forms: each answer is for one person (or one referrer's draft), so nothing is cached.
    const pages = new OriginRequestPolicy(this, 'PagesRequests', {
      originRequestPolicyName: `${prefix}-pages`,
      comment: `${prefix}: pages and forms get their cookies, Origin, Content-Type and query strings; never Authorization`,
      cookieBehavior: OriginRequestCookieBehavior.allowList(...PAGE_COOKIES),
      headerBehavior: OriginRequestHeaderBehavior.allowList(...PAGE_HEADERS, ...host),
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
    });
    // JSON APIs: CloudFront forwards Authorization only from a cache policy's key, never from an
    // origin request policy, and a policy with a key must allow some caching. So: no caching by
    // default, at most one second when an answer asks for more, and then only for the same token
    // and query string. No answer of the APIs asks today.
    const bearerApiCache = new CachePolicy(this, 'BearerApiCache', {
      cachePolicyName: `${prefix}-bearer-api`,
      comment: `${prefix}: JSON APIs, keyed by the bearer token and query string, not cached unless an answer asks (1 s at most)`,
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      cookieBehavior: CacheCookieBehavior.none(),
    });
    const bearerApiRequests = new OriginRequestPolicy(this, 'BearerApiRequests', {
      originRequestPolicyName: `${prefix}-bearer-api`,
      comment: `${prefix}: JSON APIs get their body type, Idempotency-Key, correlation id and query strings; never a cookie`,
      cookieBehavior: OriginRequestCookieBehavior.none(),
      headerBehavior: OriginRequestHeaderBehavior.allowList(...API_HEADERS, ...host),
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
    });
    const { personalData, staticFiles } = this.buildResponseHeadersPolicies(prefix);
    const apiBehaviour: BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: bearerApiCache,
      originRequestPolicy: bearerApiRequests,
      responseHeadersPolicy: personalData,
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${prefix}: pages and APIs (HTTP API) and the services' static files (S3)`,
      defaultBehavior: {
        origin: apiOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        // The functions answer pages with Cache-Control: no-store as well.
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: pages,
        responseHeadersPolicy: personalData,
      },
      additionalBehaviors: {
        ...Object.fromEntries(API_PATH_PREFIXES.map((apiPrefix) => [`${apiPrefix}/*`, apiBehaviour])),
        ...Object.fromEntries(
          assets.map((entry) => [
            entry.pathPattern,
            {
              origin: S3BucketOrigin.withOriginAccessControl(this.assetsBucket, {
                originAccessControl: accessControl,
                originPath: `/${entry.bucketRoot}`,
              }),
              viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
              allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
              cachedMethods: CachedMethods.CACHE_GET_HEAD,
              // No cookie, header or query string reaches S3 or the cache key.
              cachePolicy: CachePolicy.CACHING_OPTIMIZED,
              responseHeadersPolicy: staticFiles,
              compress: true,
            },
          ]),
        ),
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Users are in the UK: edge locations in Europe (and North America) are enough.
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.accessLogsBucket,
      logFilePrefix: 'distribution/',
      webAclId: props.webAclArn,
      ...(props.domain === undefined
        ? {}
        : {
            domainNames: [props.domain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: SSLMethod.SNI,
          }),
    });
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'The public referral form and the partner API must be reachable from anywhere: a family member abroad may refer a child, and partner agencies run their systems in cloud regions outside the UK. Access is controlled by authentication and authorisation, not location.',
    );
    if (props.domain === undefined) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        "This stage has no domain of its own (no domainName, certificateArn and apiCertificateArn context, ADR 0018), so the distribution answers on *.cloudfront.net with CloudFront's default certificate, whose minimum viewer protocol CloudFront fixes at TLSv1; browsers negotiate TLS 1.2 or 1.3. A stage with a domain gets TLSv1.2_2021.",
      );
    }

    if (assets.length > 0) this.deployAssets(assets, props, retain);

    new CfnOutput(this, 'Url', {
      description: 'The platform’s public address: pages, APIs and static files',
      value: props.domain === undefined ? `https://${this.distribution.distributionDomainName}` : originOf(props.domain),
    });
  }

  /**
   * Where CloudFront reaches the API. Without a domain: `<apiId>.execute-api.<region>.amazonaws.com`,
   * built from the id so that no endpoint URL needs parsing. With one: a regional API Gateway custom
   * domain of the same name, mapped to the API's `$default` stage, which stays reachable when the
   * platform switches the execute-api endpoint off (ADR 0018).
   */
  private apiOriginDomainOf(props: EdgeStackProps): string {
    if (props.domain === undefined) return `${props.httpApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    const apiDomain = new DomainName(this, 'ApiDomain', {
      domainName: props.domain.domainName,
      certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', props.domain.apiCertificateArn),
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    new CfnApiMapping(this, 'ApiMapping', { apiId: props.httpApiId, domainName: apiDomain.name, stage: '$default' });
    return apiDomain.regionalDomainName;
  }

  /**
   * Two response headers policies (SECURITY_HEADERS for both): `personalData` for pages and APIs,
   * which also adds a content security policy and Cache-Control: no-store to answers that lack them,
   * and `staticFiles` for the assets, which keep the Cache-Control their deployment gave them.
   */
  private buildResponseHeadersPolicies(prefix: string): { personalData: ResponseHeadersPolicy; staticFiles: ResponseHeadersPolicy } {
    const securityHeadersBehavior: ResponseSecurityHeadersBehavior = {
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, preload: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.SAME_ORIGIN, override: true },
      contentSecurityPolicy: { contentSecurityPolicy: DEFAULT_CONTENT_SECURITY_POLICY, override: false },
    };
    const personalData = new ResponseHeadersPolicy(this, 'PersonalDataHeaders', {
      responseHeadersPolicyName: `${prefix}-personal-data`,
      comment: `${prefix}: pages and APIs: HSTS, nosniff, never framed, same-origin referrer; no-store and a CSP where the answer has none`,
      securityHeadersBehavior,
      customHeadersBehavior: { customHeaders: [{ header: 'Cache-Control', value: PERSONAL_DATA_CACHE_CONTROL, override: false }] },
    });
    const staticFiles = new ResponseHeadersPolicy(this, 'StaticFileHeaders', {
      responseHeadersPolicyName: `${prefix}-static-files`,
      comment: `${prefix}: static files: HSTS, nosniff, never framed, same-origin referrer; their own Cache-Control`,
      securityHeadersBehavior,
    });
    return { personalData, staticFiles };
  }

  /** One BucketDeployment per entry, all run by one copying function with its own role and log group. */
  private deployAssets(assets: readonly DeployedAssets[], props: EdgeStackProps, retain: RemovalPolicy): void {
    const prefix = prefixOf(props.stage);
    const deploymentRole = this.buildDeploymentRole(prefix);
    const deploymentLogs = new LogGroup(this, 'DeploymentLogs', {
      logGroupName: `/aws/lambda/${prefix}-edge-asset-deployment`,
      retention: logRetentionOfSettings(props.settings),
      encryptionKey: Key.fromKeyArn(this, 'PlatformKey', props.keyArn),
      removalPolicy: retain,
    });
    deploymentRole.addToPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [deploymentLogs.logGroupArn],
      }),
    );
    for (const entry of assets) {
      const deployment = new BucketDeployment(this, `AssetsDeployment${entry.urlPath.replaceAll('/', '-')}`, {
        sources: [Source.asset(entry.sourceDirectory)],
        destinationBucket: this.assetsBucket,
        destinationKeyPrefix: entry.keyPrefix,
        // The folder is this entry's alone (see DeployedAssets.bucketRoot): files gone from the source go from S3.
        prune: true,
        cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(ASSET_BROWSER_MAX_AGE), CacheControl.sMaxAge(ASSET_EDGE_MAX_AGE)],
        distribution: this.distribution,
        distributionPaths: [entry.pathPattern],
        role: deploymentRole,
        logGroup: deploymentLogs,
        memoryLimit: 512,
      });
      this.deployments.set(entry.urlPath, deployment);
    }
    this.acknowledgeDeploymentFindings(deploymentRole);
  }

  /**
   * BucketDeployment's copying function (CDK's singleton custom resource handler) and the grants
   * CDK writes for it: findings about code and policies this stack does not author, each accepted
   * for what the function is, a deploy-time step that runs only when CloudFormation asks.
   */
  private acknowledgeDeploymentFindings(role: Role): void {
    // On the role's own policy, which holds CDK's statements, not on the role.
    const policy = role.node.findChild('DefaultPolicy');
    const s3Wildcards =
      "BucketDeployment's own grants: s3:GetObject*/GetBucket*/List* on CDK's staging bucket to read the zipped files, and read, write, DeleteObject* and Abort* on the assets bucket's objects to sync and prune them. They name those two buckets only; the function runs only during a deployment.";
    for (const finding of [
      'Action::s3:GetObject*',
      'Action::s3:GetBucket*',
      'Action::s3:List*',
      'Action::s3:DeleteObject*',
      'Action::s3:Abort*',
      'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
      `Resource::<${this.getLogicalId(this.assetsBucket.node.defaultChild as CfnBucket)}.Arn>/*`,
    ]) {
      acknowledge(policy, `AwsSolutions-IAM5[${finding}]`, s3Wildcards);
    }
    acknowledge(
      policy,
      'AwsSolutions-IAM5[Resource::*]',
      "BucketDeployment grants cloudfront:CreateInvalidation and GetInvalidation on '*' (CDK writes the statement); they can only drop cached copies so that the new files are served, and the function invalidates only this stack's distribution.",
    );
    acknowledge(
      policy,
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "The role's policy is the deployment function's alone, created and deleted with it; a managed policy would exist to be shared.",
    );

    const handler = this.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler === undefined) throw new Error('BucketDeployment created no handler function');
    const deployTime =
      "CDK's BucketDeployment handler runs only when CloudFormation creates or updates a deployment; a failure fails the stack update, which rolls back and reports it, so there is no asynchronous event to keep.";
    acknowledge(handler, 'Serverless-LambdaDLQ', deployTime);
    acknowledge(handler, 'NIST.800.53.R5-LambdaDLQ', deployTime);
    const runtime =
      "The runtime is chosen and bundled by aws-cdk-lib's BucketDeployment (Python, with the AWS CLI layer), not by this project; upgrading aws-cdk-lib upgrades it.";
    acknowledge(handler, 'AwsSolutions-L1', runtime);
    acknowledge(handler, 'Serverless-LambdaLatestVersion', runtime);
    acknowledge(
      handler,
      'Serverless-LambdaTracing',
      'A deploy-time copy with no callers to trace through; its log group records each run, and a failure fails the deployment.',
    );
    acknowledge(
      handler,
      'NIST.800.53.R5-LambdaConcurrency',
      'CloudFormation invokes it once per asset deployment during a stack update; there is no traffic to bound.',
    );
    acknowledge(
      handler,
      'NIST.800.53.R5-LambdaInsideVPC',
      'It reaches only S3 and CloudFront APIs over TLS with IAM authorisation; a VPC would need S3 and CloudFront endpoints or NAT to protect nothing private.',
    );
  }

  /** The deployment function's role: CDK adds the asset read, bucket write and invalidation grants; no AWS managed policy. */
  private buildDeploymentRole(prefix: string): Role {
    return new Role(this, 'DeploymentRole', {
      description: `${prefix}: copies the services' static files into the assets bucket at deployment`,
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
  }
}
