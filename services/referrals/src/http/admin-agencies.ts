/**
 * The admin API for partner agencies (PARTNER-API.md, Onboarding an agency; routes.ts: the
 * `administrator` role, checked before this code runs): administrators create
 * an agency with its OAuth client, rotate its secret and revoke it, with no deployment.
 *
 * | route                                                   | does                                              |
 * |---------------------------------------------------------|---------------------------------------------------|
 * | POST   /api/admin/agencies                                  | onboard: client created, secret shown once, AgencyOnboarded |
 * | GET    /api/admin/agencies                                  | every agency, by name (never a secret)            |
 * | GET    /api/admin/agencies/{agencyId}                       | one agency (never a secret)                       |
 * | POST   /api/admin/agencies/{agencyId}/credentials           | rotate: a new secret, shown once; the old keeps working |
 * | DELETE /api/admin/agencies/{agencyId}/credentials/{secretId} | retire a secret (never the last)                  |
 * | POST   /api/admin/agencies/{agencyId}/revoke                | revoke: client deleted, agency revoked, AgencyRevoked |
 *
 * Rotation follows Cognito's model: at most two secrets per client, so a rotation while two exist
 * first retires the oldest. The identity provider is changed before the store where a failure in
 * between must leave nobody locked out (create, rotate), and after it where it must leave nobody
 * let in (revoke: the store says revoked first, so the resolver refuses at once, then the client
 * is deleted; repeating a revoke finishes a half-done one).
 */
import { randomBytes } from 'node:crypto';
import { buildEvent } from '@fsp/shared/events/build';
import { idSchema } from '@fsp/shared/events/definitions/common';
import { agencyOnboardedV1, agencyRevokedV1 } from '@fsp/shared/events/definitions/referrals';
import { Conflict, NotFound } from '@fsp/shared/http/errors';
import { defineRoute, json, noContent, type Route } from '@fsp/shared/http/handler';
import { PARTNER_SCOPES } from '@fsp/shared/people';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import type { IdentityProvider } from '../adapters/identity-provider';
import {
  type Agency,
  agencyInputSchema,
  agencyView,
  clientNameOf,
  newAgencyId,
  revokedAgency,
  secretsToRetireBeforeAdding,
} from '../domain/agency';
import { agencyOnboardedData, agencyRevokedData } from '../domain/events';
import { AgencyChanged, AgencyExists, createAgenciesStore } from '../store/agencies-store';
import { requestEventContext } from './event-context';
import { routes } from './routes';

const agencyParams = z.object({ agencyId: idSchema });
const secretParams = z.object({
  agencyId: idSchema,
  secretId: z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[\w.-]+$/, 'must be a secret id from this agency')),
});

/** Responses that carry a secret must not be kept by any cache on the way. */
const NO_STORE = { 'cache-control': 'no-store' };

/**
 * `identity` is the platform's user pool (the entry builds it from USER_POOL_ID, src/config.ts);
 * tests pass the local cloud's Cognito or a double.
 */
export function adminAgencyRoutes(runtime: ServiceRuntime, identity: IdentityProvider): Route[] {
  const agencies = createAgenciesStore(runtime.documents, runtime.tableName);

  async function existing(agencyId: string): Promise<Agency> {
    const agency = await agencies.get(agencyId);
    if (!agency) throw new NotFound(`There is no agency ${agencyId}.`);
    return agency;
  }

  const changedConflict = (agencyId: string) =>
    new Conflict(`Agency ${agencyId} was changed by someone else at the same time; reload it and try again.`, { extensions: { agencyId } });

  return [
    defineRoute(routes.onboardAgency, {
      body: agencyInputSchema,
      handle: async (request) => {
        const input = request.body;
        const agencyId = input.agencyId ?? newAgencyId(input.name, randomBytes(3).toString('hex'));
        if (await agencies.get(agencyId)) throw new Conflict(`Agency ${agencyId} already exists.`, { extensions: { agencyId } });

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
          if (error instanceof AgencyExists) throw new Conflict(`Agency ${agencyId} already exists.`, { extensions: { agencyId } });
          throw error;
        }
        request.logger.info('agency onboarded', { agencyId, clientId: agency.clientId });
        return json(
          201,
          { ...agencyView(agency), clientSecret: client.secret.value, secretId: client.secret.secretId },
          { ...NO_STORE, location: `/api/admin/agencies/${agencyId}` },
        );
      },
    }),

    defineRoute(routes.listAgencies, {
      handle: async () => json(200, { agencies: (await agencies.list()).map(agencyView) }),
    }),

    defineRoute(routes.showAgency, {
      params: agencyParams,
      handle: async (request) => json(200, agencyView(await existing(request.params.agencyId))),
    }),

    defineRoute(routes.rotateCredentials, {
      params: agencyParams,
      handle: async (request) => {
        const agency = await existing(request.params.agencyId);
        if (agency.status !== 'active') throw new Conflict(`Agency ${agency.agencyId} is revoked; it cannot be given credentials.`);
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
        return json(
          201,
          {
            agencyId: agency.agencyId,
            clientId: agency.clientId,
            secretId: secret.secretId,
            clientSecret: secret.value,
            createdAt: secret.createdAt.toISOString(),
            retiredSecretIds: [...retiredIds],
            secrets: rotated.secrets,
          },
          NO_STORE,
        );
      },
    }),

    defineRoute(routes.retireSecret, {
      params: secretParams,
      handle: async (request) => {
        const agency = await existing(request.params.agencyId);
        const { secretId } = request.params;
        if (!agency.secrets.some((secret) => secret.secretId === secretId)) {
          throw new NotFound(`Agency ${agency.agencyId} has no secret ${secretId}.`);
        }
        if (agency.secrets.length === 1) {
          throw new Conflict(`Secret ${secretId} is the agency's only secret; rotate first, or revoke the agency.`);
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
        return noContent();
      },
    }),

    defineRoute(routes.revokeAgency, {
      params: agencyParams,
      handle: async (request) => {
        const agency = await existing(request.params.agencyId);
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
        return json(200, agencyView(revoked));
      },
    }),
  ];
}
