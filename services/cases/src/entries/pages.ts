/** Lambda entry of the manifest's `pages` function: the Cases area's pages, each area's loaded on first use (src/http/page-groups.ts). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { createHttpHandler } from '@fsp/shared/http/handler';
import { pageSessions } from '@fsp/shared/http/page-session';
import { fetchSessionKeysSecret } from '@fsp/shared/http/session-keys-secret';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { pagesConfig } from '../config';
import { lazyCasePageRoutes } from '../http/page-groups';
import { createCasesRenderer } from '../web/pages';

const runtime = serviceRuntimeFromEnvironment('cases');
const renderer = createCasesRenderer(pagesConfig().stage);
// Once per environment, so its five-minute cache outlives a request (shared/src/directory.ts).
const directory = directoryFromEnvironment();

export const handler = createHttpHandler(lazyCasePageRoutes(runtime, renderer, { directory }), {
  logger: runtime.logger,
  // In AWS the session keys come from the stage's secret; locally SESSION_KEYS is set and this is never called.
  pages: pageSessions({ fetchSecret: fetchSessionKeysSecret, errorPages: renderer }),
});
