/** Lambda entry point of the `agency-onboarded` subscription. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createAgencyOnboardedConsumer } from './agency-facts';

export const handler = createAgencyOnboardedConsumer(serviceRuntimeFromEnvironment('notifications'));
