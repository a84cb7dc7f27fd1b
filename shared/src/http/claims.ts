/**
 * The caller, from the claims the gateway put on the event after verifying the token. Handlers
 * never see a raw token: they get a worker or a partner agency, or a 401.
 */
import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';
import { onFirstUse } from '../first-use';
import { isRole, type Role } from '../people';
import type { ApiGatewayV2Event, JwtClaims } from './api-gateway';
import { Unauthorized } from './errors';

export interface WorkerClaims {
  kind: 'worker';
  /** Cognito `sub`: stable for the person, unlike the username. */
  userId: string;
  username: string;
  roles: Role[];
  teamId: string;
  name?: string;
  email?: string;
}

export interface PartnerClaims {
  kind: 'partner';
  clientId: string;
  /** Present when the issuer puts it in the token; otherwise the service looks the client id up. */
  agencyId?: string;
  scopes: string[];
}

export type VerifiedClaims = WorkerClaims | PartnerClaims;

/**
 * API Gateway flattens array claims into one string, `"[front-door team-manager]"`; the local
 * gateway passes real arrays. Both, and a bare single value, mean the same list.
 */
function listOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  const inner = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return inner.split(/[\s,]+/).filter((item) => item.length > 0);
}

/** Built on first use: a function serves workers or partners, and needs only that one's schema. */
const claimSchemas = onFirstUse(() => {
  /**
   * API Gateway flattens array claims into one string, `"[front-door team-manager]"`; the local
   * gateway passes real arrays. Both, and a bare single value, mean the same list.
   */
  const claimList = z.union([z.array(z.string()), z.string()]);
  const nonEmpty = z.string().check(z.trim(), z.minLength(1));
  return {
    worker: z.object({
      sub: nonEmpty,
      'cognito:username': z.optional(nonEmpty),
      username: z.optional(nonEmpty),
      'cognito:groups': z.optional(claimList),
      'custom:team': nonEmpty,
      name: z.optional(nonEmpty),
      email: z.optional(z.email()),
    }),
    partner: z.object({
      client_id: nonEmpty,
      token_use: z.literal('access'),
      scope: z.optional(claimList),
      'custom:agency': z.optional(nonEmpty),
      agency_id: z.optional(nonEmpty),
    }),
  };
});

function toWorker(claims: z.infer<ReturnType<typeof claimSchemas>['worker']>, username: string): WorkerClaims {
  return {
    kind: 'worker',
    userId: claims.sub,
    username,
    // Groups that are not platform roles (federation groups, for example) carry no permission here.
    roles: listOf(claims['cognito:groups']).filter(isRole),
    teamId: claims['custom:team'],
    ...(claims.name ? { name: claims.name } : {}),
    ...(claims.email ? { email: claims.email } : {}),
  };
}

/** A client-credentials token is the only kind with a client id and no user. */
const isUserToken = (claims: Record<string, unknown>): boolean => 'cognito:username' in claims || 'username' in claims;

/** Which claims failed (names only, never values) go to the log through `cause`, not to the caller. */
function withClaimNames(error: Unauthorized, issues: readonly core.$ZodIssue[]): Unauthorized {
  error.cause = { invalidClaims: issues.map((issue) => issue.path.join('.') || '(root)') };
  return error;
}

/** Throws `Unauthorized` (401) when the event carries no verified claims or they are not a worker's or a partner's. */
export function verifiedClaims(event: ApiGatewayV2Event): VerifiedClaims {
  const lambdaContext = event.requestContext.authorizer?.lambda;
  // The partner authorizer (infra/cdk/functions/partner-authorizer.ts) passes the verified access
  // token's claims as its context; it only ever verifies client-credentials tokens.
  const jwt = event.requestContext.authorizer?.jwt ?? (lambdaContext ? { claims: lambdaContext as JwtClaims, scopes: null } : undefined);
  if (!jwt || typeof jwt.claims !== 'object' || jwt.claims === null) throw new Unauthorized();
  const claims = jwt.claims as Record<string, unknown>;

  if (isUserToken(claims)) {
    if (lambdaContext && !event.requestContext.authorizer?.jwt) throw new Unauthorized('A partner route needs a client-credentials token.');
    const worker = z.safeParse(claimSchemas().worker, claims);
    const unusable = new Unauthorized('The sign-in token is missing details this service needs; sign in again.');
    if (!worker.success) throw withClaimNames(unusable, worker.error.issues);
    const username = worker.data['cognito:username'] ?? worker.data.username;
    if (!username) throw withClaimNames(unusable, [{ code: 'custom', path: ['cognito:username'], message: 'required', input: undefined }]);
    return toWorker(worker.data, username);
  }
  const partner = z.safeParse(claimSchemas().partner, claims);
  if (!partner.success) {
    throw withClaimNames(new Unauthorized('The access token is not a client-credentials token for this API.'), partner.error.issues);
  }
  const agencyId = partner.data['custom:agency'] ?? partner.data.agency_id;
  return {
    kind: 'partner',
    clientId: partner.data.client_id,
    ...(agencyId ? { agencyId } : {}),
    scopes: [...new Set([...listOf(partner.data.scope), ...(jwt.scopes ?? [])])],
  };
}
