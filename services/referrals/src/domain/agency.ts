/**
 * Partner agencies (DOMAIN.md, People and roles): an organisation onboarded by an administrator
 * with its own OAuth client (PARTNER-API.md, Onboarding an agency). We keep who the agency is, its
 * client id and the ids of its client secrets, never a secret's value: that is shown once to the
 * administrator and lives only in the identity provider.
 */

import { REFERRAL_SOURCE_CODES, type ReferralSourceCode } from '@fsp/shared/events/codes';
import { idSchema } from '@fsp/shared/events/definitions/common';
import { AGENCY_TYPES } from '@fsp/shared/events/definitions/referrals';
import { byCodeUnits } from '@fsp/shared/order';
import * as z from 'zod/mini';

export type AgencyType = (typeof AGENCY_TYPES)[number];
export type AgencyStatus = 'active' | 'revoked';

/** The identity provider's limit (Cognito: two secrets per app client); a rotation beyond it retires the oldest. */
export const MAX_ACTIVE_SECRETS = 2;

export interface AgencySecret {
  /** The identity provider's id of the secret (Cognito: `<client-id>--<epoch-ms>`). */
  secretId: string;
  createdAt: string;
}

export interface Agency {
  agencyId: string;
  name: string;
  type: AgencyType;
  /** The census referral-source code its referrals are recorded under. */
  referralSource: ReferralSourceCode;
  contactEmail: string;
  /** The OAuth client its tokens carry; stable across rotations. */
  clientId: string;
  status: AgencyStatus;
  /** Oldest first; never a value. */
  secrets: AgencySecret[];
  onboardedAt: string;
  onboardedBy: string;
  revokedAt?: string;
  revokedBy?: string;
  version: number;
}

const text = (max: number) =>
  z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max, `must be at most ${max} characters`));

/** What an administrator gives to onboard an agency. */
export const agencyInputSchema = z.object({
  /** Optional: a readable id such as `agency-oakfield-primary`; one is made up when absent. */
  agencyId: z.optional(idSchema),
  name: text(200),
  type: z.enum(AGENCY_TYPES, `must be one of ${AGENCY_TYPES.join(', ')}`),
  referralSource: z.enum(REFERRAL_SOURCE_CODES, 'must be a census referral source code such as 2A'),
  contactEmail: z.email('must be an email address'),
});
export type AgencyInput = z.infer<typeof agencyInputSchema>;

/** An agency id from its name when the administrator gives none: `agency-oakfield-primary-school-7f3a`. */
export function newAgencyId(name: string, randomSuffix: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return `agency-${slug ? `${slug}-` : ''}${randomSuffix}`;
}

/** The identity provider's client name: Cognito allows `[\w\s+=,.@-]{1,128}`, so the id, not the agency's name. */
export const clientNameOf = (agencyId: string): string => `fsp-agency-${agencyId.replace(/[^\w.@-]/g, '-')}`.slice(0, 128);

/**
 * Which secrets to retire before adding one so that at most `MAX_ACTIVE_SECRETS` remain after it:
 * the oldest first.
 */
export function secretsToRetireBeforeAdding(secrets: readonly AgencySecret[]): AgencySecret[] {
  const sorted = [...secrets].sort((a, b) => byCodeUnits(a.createdAt, b.createdAt));
  return sorted.slice(0, Math.max(0, sorted.length - (MAX_ACTIVE_SECRETS - 1)));
}

/** The agency as revoked by `userId` at `now` (final): its secrets are gone with its client. */
export function revokedAgency(agency: Agency, by: { userId: string; now: Date }): Agency & { status: 'revoked'; revokedAt: string } {
  return {
    ...agency,
    status: 'revoked',
    secrets: [],
    revokedAt: by.now.toISOString(),
    revokedBy: by.userId,
    version: agency.version + 1,
  };
}

/** The view an administrator gets: everything but the version. There is no secret to leave out, because none is kept. */
export function agencyView(agency: Agency) {
  const { version: _version, ...visible } = agency;
  return visible;
}
