/**
 * What administrators do to partner agencies (PARTNER-API.md, Onboarding an agency), one
 * implementation for both ways in: the admin JSON API (admin-agencies.ts) and the administrators'
 * pages (admin-pages.ts). Each operation changes the identity provider and this service's table in
 * the order that keeps a failure between them safe, and throws the HTTP error a caller shows.
 *
 * Rotation follows Cognito's model: at most two secrets per client, so a rotation while two exist
 * first retires the oldest. The identity provider is changed before the store where a failure in
 * between must leave nobody locked out (create, rotate), and after it where it must leave nobody
 * let in (revoke: the store says revoked first, so the resolver refuses at once, then the client
 * is deleted; repeating a revoke finishes a half-done one).
 */
import { buildEvent } from '@fsp/shared/events/build';
import { agencyOnboardedV1, agencyRevokedV1 } from '@fsp/shared/events/definitions/referrals';
import { Conflict, NotFound } from '@fsp/shared/http/errors';
import type { HttpRequest } from '@fsp/shared/http/handler';
import { PARTNER_SCOPES } from '@fsp/shared/people';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { IdentityProvider, IssuedSecret } from '../adapters/identity-provider';
import {
  type Agency,
  type AgencyInput,
  type AgencySecret,
  clientNameOf,
  revokedAgency,
  secretsToRetireBeforeAdding,
} from '../domain/agency';
import { agencyOnboardedData, agencyRevokedData } from '../domain/events';
import { AgencyChanged, type AgencyCursor, AgencyExists, createAgenciesStore } from '../store/agencies-store';
import { requestEventContext } from './event-context';

/** The request an operation is for: who asks (its claims' user), its correlation for the events, its logger. */
type AdminRequest = HttpRequest<unknown, unknown, unknown, { userId: string }>;

/**
 * A page's form says which version of the agency it was made from: a form posted again (reload,
 * Back) after the agency changed is refused rather than rotating or retiring a second time.
 */
export interface Expecting {
  version?: number;
}

export interface AgencyAdministration {
  list(): Promise<Agency[]>;
  /** A page of the agencies by name (the administrators' list), from after `after`, with where the next starts when there are more. */
  listPage(limit: number, after?: AgencyCursor): Promise<{ agencies: Agency[]; next: AgencyCursor | undefined }>;
  /** Throws NotFound. */
  get(agencyId: string): Promise<Agency>;
  /** The agency with its client and first secret, whose value is shown once and kept nowhere. Throws Conflict when the id is taken. */
  onboard(request: AdminRequest, input: AgencyInput & { agencyId: string }): Promise<{ agency: Agency; secret: IssuedSecret }>;
  /** A new secret (the oldest retired first when there are two already); the others keep working. */
  rotate(
    request: AdminRequest,
    agencyId: string,
    expecting?: Expecting,
  ): Promise<{ agency: Agency; secret: IssuedSecret; retired: AgencySecret[] }>;
  /** Never the last secret: rotate first, or revoke the agency. */
  retire(request: AdminRequest, agencyId: string, secretId: string, expecting?: Expecting): Promise<Agency>;
  /** Final: the client is deleted, so no new token is issued and the resolver refuses the old ones. Repeating it finishes a half-done one. */
  revoke(request: AdminRequest, agencyId: string): Promise<Agency>;
}

/** Why an operation did nothing, for a page to say in its own words (the JSON API answers the detail). */
export type AgencyConflictReason = 'exists' | 'changed' | 'stale' | 'revoked' | 'only-secret';

export class AgencyConflict extends Conflict {
  constructor(
    readonly reason: AgencyConflictReason,
    detail: string,
    agencyId?: string,
  ) {
    super(detail, agencyId === undefined ? {} : { extensions: { agencyId } });
  }
}

const existsConflict = (agencyId: string) => new AgencyConflict('exists', `Agency ${agencyId} already exists.`, agencyId);

export const changedConflict = (agencyId: string) =>
  new AgencyConflict('changed', `Agency ${agencyId} was changed by someone else at the same time; reload it and try again.`, agencyId);

/** The form was made from an earlier version of the agency (sent again, or the agency changed in another tab meanwhile). */
const staleFormConflict = (agencyId: string) =>
  new AgencyConflict(
    'stale',
    `Agency ${agencyId} has changed since this page was loaded; nothing was done. Look at it again before you try again.`,
    agencyId,
  );

export function createAgencyAdministration(runtime: ServiceRuntime, identity: IdentityProvider): AgencyAdministration {
  const agencies = createAgenciesStore(runtime.documents, runtime.tableName);

  async function existing(agencyId: string, expecting: Expecting = {}): Promise<Agency> {
    const agency = await agencies.get(agencyId);
    if (!agency) throw new NotFound(`There is no agency ${agencyId}.`);
    if (expecting.version !== undefined && expecting.version !== agency.version) throw staleFormConflict(agencyId);
    return agency;
  }

  return {
    list: () => agencies.list(),
    listPage: (limit, after) => agencies.listPage(limit, after),
    get: (agencyId) => existing(agencyId),

    async onboard(request, input) {
      const { agencyId } = input;
      if (await agencies.get(agencyId)) throw existsConflict(agencyId);
      const client = await identity.createClient({ name: clientNameOf(agencyId), scopes: PARTNER_SCOPES });
      const now = runtime.clock();
      const agency: Agency = {
        agencyId,
        name: input.name,
        type: input.type,
        referralSource: input.referralSource,
        contactEmail: input.contactEmail,
        clientId: client.clientId,
        status: 'active',
        secrets: [{ secretId: client.secret.secretId, createdAt: client.secret.createdAt.toISOString() }],
        onboardedAt: now.toISOString(),
        onboardedBy: request.claims.userId,
        version: 1,
      };
      const onboarded = buildEvent(agencyOnboardedV1, agencyOnboardedData(agency), requestEventContext(request, now));
      try {
        await agencies.saveNew(agency, [onboarded], now);
      } catch (error) {
        // Nothing refers to the new client: remove it rather than leave a working credential behind.
        await identity.deleteClient(client.clientId);
        if (error instanceof AgencyExists) throw existsConflict(agencyId);
        throw error;
      }
      request.logger.info('agency onboarded', { agencyId, clientId: agency.clientId });
      return { agency, secret: client.secret };
    },

    async rotate(request, agencyId, expecting) {
      const agency = await existing(agencyId, expecting);
      if (agency.status !== 'active') {
        throw new AgencyConflict('revoked', `Agency ${agency.agencyId} is revoked; it cannot be given credentials.`);
      }
      // Cognito allows two secrets per client: the oldest goes before a third is added.
      const retired = secretsToRetireBeforeAdding(agency.secrets);
      for (const secret of retired) await identity.deleteSecret(agency.clientId, secret.secretId);
      const secret = await identity.addSecret(agency.clientId);
      const now = runtime.clock();
      const retiredIds = new Set(retired.map((s) => s.secretId));
      const rotated: Agency = {
        ...agency,
        secrets: [
          ...agency.secrets.filter((s) => !retiredIds.has(s.secretId)),
          { secretId: secret.secretId, createdAt: secret.createdAt.toISOString() },
        ],
        version: agency.version + 1,
      };
      try {
        await agencies.saveChanged(rotated, agency.version, [], now);
      } catch (error) {
        await identity.deleteSecret(agency.clientId, secret.secretId);
        if (error instanceof AgencyChanged) throw changedConflict(agency.agencyId);
        throw error;
      }
      request.logger.info('agency credentials rotated', { agencyId: agency.agencyId, retired: retired.length });
      return { agency: rotated, secret, retired };
    },

    async retire(request, agencyId, secretId, expecting) {
      const agency = await existing(agencyId, expecting);
      if (!agency.secrets.some((secret) => secret.secretId === secretId)) {
        throw new NotFound(`Agency ${agency.agencyId} has no secret ${secretId}.`);
      }
      if (agency.secrets.length === 1) {
        throw new AgencyConflict('only-secret', `Secret ${secretId} is the agency's only secret; rotate first, or revoke the agency.`);
      }
      const changed: Agency = { ...agency, secrets: agency.secrets.filter((s) => s.secretId !== secretId), version: agency.version + 1 };
      try {
        await agencies.saveChanged(changed, agency.version, [], runtime.clock());
      } catch (error) {
        if (error instanceof AgencyChanged) throw changedConflict(agency.agencyId);
        throw error;
      }
      await identity.deleteSecret(agency.clientId, secretId);
      request.logger.info('agency secret retired', { agencyId: agency.agencyId });
      return changed;
    },

    async revoke(request, agencyId) {
      const agency = await existing(agencyId);
      let revoked = agency;
      if (agency.status !== 'revoked') {
        const now = runtime.clock();
        const revoking = revokedAgency(agency, { userId: request.claims.userId, now });
        revoked = revoking;
        const event = buildEvent(agencyRevokedV1, agencyRevokedData(revoking), requestEventContext(request, now));
        try {
          await agencies.saveChanged(revoking, agency.version, [event], now);
        } catch (error) {
          if (error instanceof AgencyChanged) throw changedConflict(agency.agencyId);
          throw error;
        }
      }
      // After the store, and again on a repeated revoke, so a failure here is finished by trying again.
      await identity.deleteClient(agency.clientId);
      request.logger.info('agency revoked', { agencyId: agency.agencyId, clientId: agency.clientId });
      return revoked;
    },
  };
}
