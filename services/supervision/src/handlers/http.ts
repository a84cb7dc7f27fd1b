/** Lambda entry point of the supervision HTTP API. */
import { createSupervisionApi } from './api';
import { runtimeFromEnvironment } from './runtime';

export const handler = createSupervisionApi(runtimeFromEnvironment());
