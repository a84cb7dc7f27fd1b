/**
 * Which agency a partner request comes from. Every partner route asks this, never the token
 * directly, so that onboarding, rotation and revocation (the admin API) decide who gets in.
 *
 * The token's client id is looked up in the agencies store (`CLIENT#<clientId>`); an agency claim
 * in the token is not trusted on its own, because only the store knows whether the agency has been
 * revoked since the token was issued.
 *
 * - an unknown client id → 401 (not a client we onboarded, or one whose record is gone);
 * - a revoked agency → 401 as well: PARTNER-API.md says a revoked client's *tokens stop working*,
 *   which is what 401 `invalid_token` means (RFC 6750), and it is what the gateway answers once it
 *   knows the client is gone. Deleting the Cognito client at revocation stops new tokens at once.
 *
 * Revocation delay: what the store says is cached per execution environment for at most
 * `AGENCY_CACHE_SECONDS` (60 s), so a token issued before revocation may still be honoured for up
 * to a minute by a warm function, well within PARTNER-API.md's "within their lifetime at most (an
 * hour)". Unknown clients are not cached, so a newly onboarded agency is never refused from cache.
 */
import type { PartnerClaims } from '@fsp/shared/http/claims';
import { Unauthorized } from '@fsp/shared/http/errors';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { type ClientAgency, createAgenciesStore } from '../store/agencies-store';

export interface PartnerAgency {
  agencyId: string;
}

/** Resolves the calling agency, or throws an HttpError (401 unknown client or revoked agency). */
export type AgencyResolver = (claims: PartnerClaims) => Promise<PartnerAgency>;

/** How long a warm function trusts what it last read about a client: the revocation delay. */
export const AGENCY_CACHE_SECONDS = 60;

export interface AgencyResolverOptions {
  /** 0 turns the cache off (tests of revocation). */
  cacheSeconds?: number;
}

const invalidToken = (detail: string) => new Unauthorized(detail, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });

export function createAgencyResolver(runtime: ServiceRuntime, options: AgencyResolverOptions = {}): AgencyResolver {
  const store = createAgenciesStore(runtime.documents, runtime.tableName);
  const ttlMs = Math.min(options.cacheSeconds ?? AGENCY_CACHE_SECONDS, AGENCY_CACHE_SECONDS) * 1000;
  const cache = new Map<string, { entry: ClientAgency; until: number }>();

  async function lookUp(clientId: string): Promise<ClientAgency | undefined> {
    const now = runtime.clock().getTime();
    const cached = cache.get(clientId);
    if (cached && cached.until > now) return cached.entry;
    const entry = await store.byClientId(clientId);
    if (entry && ttlMs > 0) cache.set(clientId, { entry, until: now + ttlMs });
    else cache.delete(clientId);
    return entry;
  }

  return async (claims) => {
    const entry = await lookUp(claims.clientId);
    if (!entry) throw invalidToken('The access token was issued to a client that is not an onboarded partner agency.');
    if (entry.status !== 'active') throw invalidToken("This agency's API access has been revoked; contact the local authority.");
    return { agencyId: entry.agencyId };
  };
}
