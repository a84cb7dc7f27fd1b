/** Lambda entry of the manifest's `http` function: the front door's routes (src/http/front-door.ts). */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { frontDoorRoutes } from '../http/front-door';

const runtime = serviceRuntimeFromEnvironment('referrals');

export const handler = createHttpHandler(frontDoorRoutes(runtime), { logger: runtime.logger });
