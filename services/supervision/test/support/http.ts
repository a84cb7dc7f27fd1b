/** The supervision `http` function as src/entries/http.ts composes it, around a test runtime and a directory. */
import type { Directory } from '@fsp/shared/directory';
import { createHttpHandler, type HttpHandler } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { workerRoutes } from '../../src/http/workers';

export const supervisionHttpHandler = (runtime: ServiceRuntime, directory?: Directory): HttpHandler =>
  createHttpHandler(workerRoutes(runtime, directory ? { directory } : {}), { logger: runtime.logger });
