/** Lambda entry point of the partner API v1. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createPartnerApi } from './partner-api';

export const handler = createPartnerApi(serviceRuntimeFromEnvironment('referrals'));
