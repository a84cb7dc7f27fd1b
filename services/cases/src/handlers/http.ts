/** Lambda entry point of the cases HTTP API. */
import { createCasesApi } from './api';
import { runtimeFromEnvironment } from './runtime';

export const handler = createCasesApi(runtimeFromEnvironment());
