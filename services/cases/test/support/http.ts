import type { Directory } from '@fsp/shared/directory';
import { createHttpHandler } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { workerRoutes } from '../../src/http/workers';

/** The cases HTTP function as src/entries/http.ts composes it, around a test runtime (and a test directory, to allocate). */
export const casesHttpHandler = (runtime: ServiceRuntime, options: { directory?: Directory } = {}) =>
  createHttpHandler(workerRoutes(runtime, options), { logger: runtime.logger });
