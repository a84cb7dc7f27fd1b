/**
 * The admin API for partner agencies (PARTNER-API.md, Onboarding an agency; routes.ts: the
 * `administrator` role, checked before this code runs): administrators create
 * an agency with its OAuth client, rotate its secret and revoke it, with no deployment. The pages
 * (admin-pages.ts) do the same through the same operations (agency-administration.ts).
 *
 * | route                                                   | does                                              |
 * |---------------------------------------------------------|---------------------------------------------------|
 * | POST   /api/admin/agencies                                  | onboard: client created, secret shown once, AgencyOnboarded |
 * | GET    /api/admin/agencies                                  | every agency, by name (never a secret)            |
 * | GET    /api/admin/agencies/{agencyId}                       | one agency (never a secret)                       |
 * | POST   /api/admin/agencies/{agencyId}/credentials           | rotate: a new secret, shown once; the old keeps working |
 * | DELETE /api/admin/agencies/{agencyId}/credentials/{secretId} | retire a secret (never the last)                  |
 * | POST   /api/admin/agencies/{agencyId}/revoke                | revoke: client deleted, agency revoked, AgencyRevoked |
 */
import { randomBytes } from 'node:crypto';
import { idSchema } from '@fsp/shared/events/definitions/common';
import { defineRoute, json, noContent, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import type { IdentityProvider } from '../adapters/identity-provider';
import { agencyInputSchema, agencyView, newAgencyId } from '../domain/agency';
import { createAgencyAdministration } from './agency-administration';
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
  const administration = createAgencyAdministration(runtime, identity);

  return [
    defineRoute(routes.onboardAgency, {
      body: agencyInputSchema,
      handle: async (request) => {
        const input = request.body;
        const agencyId = input.agencyId ?? newAgencyId(input.name, randomBytes(3).toString('hex'));
        const { agency, secret } = await administration.onboard(request, { ...input, agencyId });
        return json(
          201,
          { ...agencyView(agency), clientSecret: secret.value, secretId: secret.secretId },
          { ...NO_STORE, location: `/api/admin/agencies/${agencyId}` },
        );
      },
    }),

    defineRoute(routes.listAgencies, {
      handle: async () => json(200, { agencies: (await administration.list()).map(agencyView) }),
    }),

    defineRoute(routes.showAgency, {
      params: agencyParams,
      handle: async (request) => json(200, agencyView(await administration.get(request.params.agencyId))),
    }),

    defineRoute(routes.rotateCredentials, {
      params: agencyParams,
      handle: async (request) => {
        const { agency, secret, retired } = await administration.rotate(request, request.params.agencyId);
        return json(
          201,
          {
            agencyId: agency.agencyId,
            clientId: agency.clientId,
            secretId: secret.secretId,
            clientSecret: secret.value,
            createdAt: secret.createdAt.toISOString(),
            retiredSecretIds: retired.map((s) => s.secretId),
            secrets: agency.secrets,
          },
          NO_STORE,
        );
      },
    }),

    defineRoute(routes.retireSecret, {
      params: secretParams,
      handle: async (request) => {
        await administration.retire(request, request.params.agencyId, request.params.secretId);
        return noContent();
      },
    }),

    defineRoute(routes.revokeAgency, {
      params: agencyParams,
      handle: async (request) => json(200, agencyView(await administration.revoke(request, request.params.agencyId))),
    }),
  ];
}
