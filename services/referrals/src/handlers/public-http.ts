/** Lambda entry point of the referrals service's public HTTP API (see api.ts). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createPublicApi } from './public-api';

export const handler = createPublicApi(serviceRuntimeFromEnvironment('referrals'));
