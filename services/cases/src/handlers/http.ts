/** Lambda entry point of the cases HTTP API. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCasesApi } from './api';

export const handler = createCasesApi(serviceRuntimeFromEnvironment('cases'));
