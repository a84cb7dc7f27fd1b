/** Lambda entry of the manifest's `http` function: every cases route. */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { workerRoutes } from '../http/workers';

const runtime = serviceRuntimeFromEnvironment('cases');

export const handler = createHttpHandler(workerRoutes(runtime), { logger: runtime.logger });
