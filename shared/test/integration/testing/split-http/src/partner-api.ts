/** Lambda entry point of the fixture's partner routes: loads nothing of the workers' routes. */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { partnerRoutes } from './http/things';

const runtime = serviceRuntimeFromEnvironment('split-http');
export const handler = createHttpHandler(partnerRoutes(runtime), { logger: runtime.logger });
