/**
 * A stage's own domain at the edge (ADR 0018), from context: `-c domainName=fsp.council.example
 * -c certificateArn=arn:aws:acm:us-east-1:…:certificate/… -c apiCertificateArn=arn:aws:acm:<region>:…`.
 * All three or none. With them, CloudFront serves the domain on its certificate with TLS 1.2 as the
 * minimum, and the HTTP API gets a regional custom domain of the same name (the second certificate,
 * in the API's region) so that its execute-api endpoint can be switched off. Without them, the
 * distribution keeps its `*.cloudfront.net` name and certificate and reaches the API at its
 * execute-api address. Pure: no construct is built here, so the rules are tested on their own.
 */
import * as z from 'zod/mini';

/** CloudFront takes ACM certificates from us-east-1 only, whatever region the platform runs in. */
export const CLOUDFRONT_CERTIFICATE_REGION = 'us-east-1';

export interface EdgeDomain {
  /** The public host name, `fsp.council.example`: CloudFront's alternate domain name and the API's custom domain name. */
  domainName: string;
  /** ACM certificate in us-east-1 covering the name: CloudFront's. */
  certificateArn: string;
  /** ACM certificate in the platform's region covering the same name: the API's regional custom domain's. */
  apiCertificateArn: string;
}

const certificateArn = (region: string) =>
  new RegExp(`^arn:aws(-[a-z]+)*:acm:${region}:[0-9]{12}:certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`);

const edgeDomainSchema = z.object({
  domainName: z
    .string()
    .check(
      z.regex(
        /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        'domainName must be a lower-case host name such as fsp.council.example (no scheme, no path, no wildcard)',
      ),
    ),
  certificateArn: z
    .string()
    .check(
      z.regex(
        certificateArn(CLOUDFRONT_CERTIFICATE_REGION),
        `certificateArn must be an ACM certificate ARN in ${CLOUDFRONT_CERTIFICATE_REGION}, where CloudFront takes its certificates from`,
      ),
    ),
  apiCertificateArn: z
    .string()
    .check(
      z.regex(certificateArn('[a-z]{2}(-[a-z]+)+-[0-9]'), "apiCertificateArn must be an ACM certificate ARN in the platform's region"),
    ),
});

/** The context keys, as an operator types them. */
export const EDGE_DOMAIN_CONTEXT_KEYS = ['domainName', 'certificateArn', 'apiCertificateArn'] as const;

/**
 * The stage's domain from the three context values, or undefined when none is given. One or two of
 * them alone, or a value CloudFront or API Gateway would refuse at deploy, is refused here, naming
 * the key.
 */
export function parseEdgeDomain(context: Readonly<Record<(typeof EDGE_DOMAIN_CONTEXT_KEYS)[number], unknown>>): EdgeDomain | undefined {
  const given = EDGE_DOMAIN_CONTEXT_KEYS.filter((key) => context[key] !== undefined && context[key] !== null && context[key] !== '');
  if (given.length === 0) return undefined;
  if (given.length < EDGE_DOMAIN_CONTEXT_KEYS.length) {
    const missing = EDGE_DOMAIN_CONTEXT_KEYS.filter((key) => !given.includes(key));
    throw new Error(`a stage's domain needs ${EDGE_DOMAIN_CONTEXT_KEYS.join(', ')} together; ${missing.join(' and ')} missing`);
  }
  const parsed = z.safeParse(edgeDomainSchema, context);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(context[issue.path[0] as keyof typeof context])})`)
        .join('; '),
    );
  }
  return parsed.data;
}

/** The pages' origin on the stage's domain: `https://<domainName>`. */
export const originOf = (domain: EdgeDomain): string => `https://${domain.domainName}`;
