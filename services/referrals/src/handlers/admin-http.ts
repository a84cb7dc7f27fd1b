/** Lambda entry point of the referrals service's admin HTTP API (see api.ts). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createAdminApi } from './admin-api';

export const handler = createAdminApi(serviceRuntimeFromEnvironment('referrals'));
