/** Lambda entry point of the `agency-revoked` subscription. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createAgencyRevokedConsumer } from './agency-facts';

export const handler = createAgencyRevokedConsumer(serviceRuntimeFromEnvironment('notifications'));
