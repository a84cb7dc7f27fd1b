/** Lambda entry of the manifest's `on-agency-onboarded` function (subscription `agency-onboarded`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createAgencyOnboardedConsumer } from '../consumers/agency-onboarded';

export const handler = createAgencyOnboardedConsumer(serviceRuntimeFromEnvironment('notifications'));
