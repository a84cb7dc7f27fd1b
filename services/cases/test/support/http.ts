import { createHttpHandler } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { workerRoutes } from '../../src/http/workers';

/** The cases HTTP function as src/entries/http.ts composes it, around a test runtime. */
export const casesHttpHandler = (runtime: ServiceRuntime) => createHttpHandler(workerRoutes(runtime), { logger: runtime.logger });
