/** Lambda entry point of the supervision HTTP API. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createSupervisionApi } from './api';

export const handler = createSupervisionApi(serviceRuntimeFromEnvironment('supervision'));
