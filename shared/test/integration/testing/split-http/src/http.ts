/** Lambda entry point of the fixture's workers' routes. */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { workerRoutes } from './http/things';

const runtime = serviceRuntimeFromEnvironment('split-http');
export const handler = createHttpHandler(workerRoutes(runtime), { logger: runtime.logger });
