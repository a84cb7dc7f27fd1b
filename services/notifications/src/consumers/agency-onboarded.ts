/** AgencyOnboarded → the agency projection: the agency is active, findable by agency id and by its API client's id. */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { agencyOnboardedV1 } from '@fsp/shared/events/definitions/referrals';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { createAgencyStore } from '../store/agency-store';

export function createAgencyOnboardedConsumer(runtime: ServiceRuntime) {
  const agencies = createAgencyStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'agency-onboarded',
    subscribesTo: [agencyOnboardedV1],
    handle: async ({ data }, context) => {
      await agencies.onboarded(data);
      context.logger.info('Agency projected as onboarded', { agencyId: data.agencyId });
    },
  });
}
