import type { ApiGatewayV2Event, JwtClaims } from '@fsp/shared/http/api-gateway';
import { createLogger } from '@fsp/shared/observability/logger';

export interface EventInput {
  method?: string;
  /** May include a query string: `/v1/referrals?updatedSince=...`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | object;
  isBase64Encoded?: boolean;
  claims?: JwtClaims;
  scopes?: string[] | null;
  requestId?: string;
  cookies?: string[];
}

let counter = 0;

/** An API Gateway HTTP API (payload 2.0) event, as the gateway builds it after verifying a token. */
export function apiGatewayEvent(input: EventInput): ApiGatewayV2Event {
  const [rawPath = '/', rawQueryString = ''] = input.path.split('?');
  const method = (input.method ?? 'GET').toUpperCase();
  const body = input.body === undefined ? undefined : typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const headers: Record<string, string> = { host: 'api.example.org', 'user-agent': 'jest' };
  if (body !== undefined && typeof input.body === 'object') headers['content-type'] = 'application/json';
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  counter += 1;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    ...(input.cookies ? { cookies: input.cookies } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.org',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: input.requestId ?? `req-${counter}-${Date.now().toString(36)}=`,
      routeKey: '$default',
      stage: '$default',
      time: '05/Jan/2026:09:30:00 +0000',
      timeEpoch: 1767605400000,
      ...(input.claims ? { authorizer: { jwt: { claims: input.claims, scopes: input.scopes ?? null } } } : {}),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: input.isBase64Encoded ?? false,
  };
}

/** Claims as API Gateway passes a Cognito ID token's: arrays flattened into `"[a b]"`. */
export const workerClaims = (overrides: JwtClaims = {}): JwtClaims => ({
  sub: '5f0c2a8e-3b7d-4f61-9a2e-8c1d4b6e7f90',
  'cognito:username': 'sam.patel',
  'cognito:groups': '[front-door team-manager]',
  'custom:team': 'team-north-1',
  name: 'Sam Patel',
  email: 'sam.patel@council.example.org',
  token_use: 'id',
  iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_example',
  exp: '1767609000',
  ...overrides,
});

/** A partner agency's client-credentials access token. */
export const partnerClaims = (overrides: JwtClaims = {}): JwtClaims => ({
  sub: '7k2j9d0agency0client0id',
  client_id: '7k2j9d0agency0client0id',
  token_use: 'access',
  scope: 'referrals/submit referrals/read',
  iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_example',
  exp: '1767609000',
  ...overrides,
});

/** A real Powertools logger whose lines land in an array instead of stdout. */
export function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('test-service', { sink: (line) => lines.push(line), level: 'DEBUG' });
  return { logger, lines };
}

export const problemOf = (result: { body?: string }) =>
  JSON.parse(result.body ?? 'null') as Record<string, unknown> & { errors?: { in: string; path: string; message: string }[] };
