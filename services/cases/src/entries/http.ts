/** Lambda entry of the manifest's `http` function: every cases JSON route, each area's loaded on first use (src/http/api-groups.ts). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { createHttpHandler } from '@fsp/shared/http/handler';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { lazyWorkerRoutes } from '../http/api-groups';

const runtime = serviceRuntimeFromEnvironment('cases');
// Once per environment, so its five-minute cache outlives a request (shared/src/directory.ts).
const directory = directoryFromEnvironment();

export const handler = createHttpHandler(lazyWorkerRoutes(runtime, { directory }), { logger: runtime.logger });
