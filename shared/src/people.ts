/**
 * Who uses the platform, in one place for the whole repository: the workers' roles (DOMAIN.md,
 * People and roles; Cognito groups of the same names, the local issuer's demo accounts, the
 * roles each route admits) and the partner API's scopes (PARTNER-API.md; the Cognito resource
 * server's scopes, the app clients' grants, each partner route's requirement). Data only, so that
 * manifests, CDK and the local cloud read it without loading handler code.
 */

export const ROLES = ['front-door', 'social-worker', 'adult-specialist', 'team-manager', 'service-manager', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);
export const isRole = (value: string): value is Role => ROLE_SET.has(value);

/** Roles that work with families: the roles a case-working route admits (the front door and administrators are not among them). */
export const CASE_WORKING_ROLES = [
  'social-worker',
  'adult-specialist',
  'team-manager',
  'service-manager',
] as const satisfies readonly Role[];

/** The OAuth resource server the partner scopes belong to: a scope is `<server>/<name>`. */
export const PARTNER_RESOURCE_SERVER = 'referrals';
export const PARTNER_SCOPE_NAMES = ['submit', 'read'] as const;
export const PARTNER_SCOPES = [
  'referrals/submit',
  'referrals/read',
] as const satisfies readonly `${typeof PARTNER_RESOURCE_SERVER}/${(typeof PARTNER_SCOPE_NAMES)[number]}`[];
export type PartnerScope = (typeof PARTNER_SCOPES)[number];
