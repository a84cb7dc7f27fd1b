/**
 * Which agency a partner request comes from. Every partner route asks this, never the token
 * directly, so that onboarding, rotation and revocation (the admin API) decide who gets in.
 */
import type { PartnerClaims } from '@fsp/shared/http/claims';
import type { ServiceRuntime } from '@fsp/shared/runtime';

export interface PartnerAgency {
  agencyId: string;
}

/** Resolves the calling agency, or throws an HttpError (401 unknown client, 403 revoked agency). */
export type AgencyResolver = (claims: PartnerClaims) => Promise<PartnerAgency>;

/** Until agencies are onboarded as data, an agency is known by the token's agency claim or its client id. */
export function createAgencyResolver(_runtime: ServiceRuntime): AgencyResolver {
  return async (claims) => ({ agencyId: claims.agencyId ?? claims.clientId });
}
