/**
 * AgencyRevoked → the agency projection: the agency is revoked (final, even against an onboarding
 * that arrives later), so its client is refused and its webhook deliveries are cancelled.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { agencyRevokedV1 } from '@fsp/shared/events/definitions/referrals';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { createAgencyStore } from '../store/agency-store';

export function createAgencyRevokedConsumer(runtime: ServiceRuntime) {
  const agencies = createAgencyStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'agency-revoked',
    subscribesTo: [agencyRevokedV1],
    handle: async ({ data }, context) => {
      await agencies.revoked(data);
      context.logger.info('Agency projected as revoked', { agencyId: data.agencyId });
    },
  });
}
