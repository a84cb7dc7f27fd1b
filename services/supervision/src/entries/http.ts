/** Lambda entry point of the supervision HTTP API (manifest function `http`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { createHttpHandler } from '@fsp/shared/http/handler';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { workerRoutes } from '../http/workers';

const runtime = serviceRuntimeFromEnvironment('supervision');
// Once per environment, so its five-minute cache outlives a request (shared/src/directory.ts): action owners' names.
const directory = directoryFromEnvironment();

export const handler = createHttpHandler(workerRoutes(runtime, { directory }), { logger: runtime.logger });
