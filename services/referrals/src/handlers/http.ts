/** Lambda entry point of the front door's HTTP API (see api.ts). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createFrontDoorApi } from './api';

export const handler = createFrontDoorApi(serviceRuntimeFromEnvironment('referrals'));
