/** Lambda entry point of the supervision HTTP API (manifest function `http`). */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { workerRoutes } from '../http/workers';

const runtime = serviceRuntimeFromEnvironment('supervision');

export const handler = createHttpHandler(workerRoutes(runtime), { logger: runtime.logger });
