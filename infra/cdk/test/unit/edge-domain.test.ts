/**
 * A stage's domain from context (infra/cdk/edge-domain.ts, ADR 0018): all three values or none,
 * each refused at synth, naming its key, when CloudFront or API Gateway would refuse it at deploy.
 */
import fc from 'fast-check';
import { CLOUDFRONT_CERTIFICATE_REGION, EDGE_DOMAIN_CONTEXT_KEYS, originOf, parseEdgeDomain } from '../../edge-domain';

const valid = {
  domainName: 'fsp.council.example',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
  apiCertificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
};
const none = { domainName: undefined, certificateArn: undefined, apiCertificateArn: undefined };

test('no value (or empty ones): no domain, and the edge keeps its default certificate', () => {
  expect(parseEdgeDomain(none)).toBeUndefined();
  expect(parseEdgeDomain({ domainName: '', certificateArn: null, apiCertificateArn: '' })).toBeUndefined();
});

test('all three: the domain, its https origin', () => {
  expect(parseEdgeDomain(valid)).toEqual(valid);
  expect(originOf(valid)).toBe('https://fsp.council.example');
  expect(parseEdgeDomain({ ...valid, apiCertificateArn: valid.apiCertificateArn.replace('eu-west-2', 'us-east-1') })).toBeDefined();
  expect(parseEdgeDomain({ ...valid, certificateArn: valid.certificateArn.replace('arn:aws:', 'arn:aws-us-gov:') })).toBeDefined();
});

test('any one or two of them alone is refused, naming the missing keys', () => {
  fc.assert(
    fc.property(fc.subarray([...EDGE_DOMAIN_CONTEXT_KEYS], { minLength: 1, maxLength: 2 }), (keys) => {
      const context = { ...none, ...Object.fromEntries(keys.map((key) => [key, valid[key]])) };
      const missing = EDGE_DOMAIN_CONTEXT_KEYS.filter((key) => !keys.includes(key));
      expect(() => parseEdgeDomain(context)).toThrow(`${missing.join(' and ')} missing`);
    }),
  );
});

test.each([
  ['domainName', 'https://fsp.council.example'],
  ['domainName', 'FSP.council.example'],
  ['domainName', '*.council.example'],
  ['domainName', 'fsp.council.example/refer'],
  ['domainName', 'localhost'],
  ['certificateArn', valid.apiCertificateArn],
  ['certificateArn', 'arn:aws:acm:us-east-1:123456789012:certificate/not-an-id'],
  ['apiCertificateArn', 'arn:aws:iam::123456789012:server-certificate/fsp'],
  ['apiCertificateArn', 42],
] as const)('%s %j is refused, naming the key', (key, value) => {
  expect(() => parseEdgeDomain({ ...valid, [key]: value })).toThrow(new RegExp(`^(.*; )?${key}: `));
});

test(`the CloudFront certificate must be in ${CLOUDFRONT_CERTIFICATE_REGION}, and the message says why`, () => {
  expect(() => parseEdgeDomain({ ...valid, certificateArn: valid.apiCertificateArn })).toThrow(
    /us-east-1, where CloudFront takes its certificates from/,
  );
});
