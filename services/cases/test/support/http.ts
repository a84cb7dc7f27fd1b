import type { Directory } from '@fsp/shared/directory';
import { createHttpHandler } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { lazyWorkerRoutes } from '../../src/http/api-groups';

/** The cases HTTP function as src/entries/http.ts composes it, around a test runtime (and a test directory, to allocate). */
export const casesHttpHandler = (runtime: ServiceRuntime, options: { directory?: Directory } = {}) =>
  createHttpHandler(lazyWorkerRoutes(runtime, options), { logger: runtime.logger });
