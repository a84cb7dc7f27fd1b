/** Lambda entry of the manifest's `on-agency-revoked` function (subscription `agency-revoked`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createAgencyRevokedConsumer } from '../consumers/agency-revoked';

export const handler = createAgencyRevokedConsumer(serviceRuntimeFromEnvironment('notifications'));
