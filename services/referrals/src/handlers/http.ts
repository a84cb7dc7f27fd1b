/** Lambda entry point of the referrals HTTP API. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createReferralsApi } from './api';

export const handler = createReferralsApi(serviceRuntimeFromEnvironment('referrals'));
