/** Lambda entry of the manifest's `pages` function: the Supervision area's pages (src/http/worker-pages.ts). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { createHttpHandler } from '@fsp/shared/http/handler';
import { pageSessions } from '@fsp/shared/http/page-session';
import { fetchSessionKeysSecret } from '@fsp/shared/http/session-keys-secret';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { pagesConfig } from '../config';
import { workerPageRoutes } from '../http/worker-pages';
import { createSupervisionRenderer } from '../web/pages';

const runtime = serviceRuntimeFromEnvironment('supervision');
const renderer = createSupervisionRenderer(pagesConfig().stage);
// Once per environment, so its five-minute cache outlives a request (shared/src/directory.ts): the case's workers' names.
const directory = directoryFromEnvironment();

export const handler = createHttpHandler(workerPageRoutes(runtime, renderer, { directory }), {
  logger: runtime.logger,
  // In AWS the session keys come from the stage's secret; locally SESSION_KEYS is set and this is never called.
  // Errors on pages are GOV.UK pages from this function's own templates.
  pages: pageSessions({ fetchSecret: fetchSessionKeysSecret, errorPages: renderer }),
});
