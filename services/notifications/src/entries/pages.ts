/** Lambda entry of the manifest's `pages` function: the worker's desk as pages (home, inbox, sign-in, failed webhook deliveries). */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { pageSessions } from '@fsp/shared/http/page-session';
import { fetchSessionKeysSecret } from '@fsp/shared/http/session-keys-secret';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { pagesConfig } from '../config';
import { adminPageRoutes } from '../http/admin-pages';
import { workerPageRoutes } from '../http/worker-pages';
import { createNotificationsRenderer } from '../web/pages';

const runtime = serviceRuntimeFromEnvironment('notifications');
const renderer = createNotificationsRenderer(pagesConfig().stage);

export const handler = createHttpHandler([...workerPageRoutes(runtime, renderer), ...adminPageRoutes(runtime, renderer)], {
  logger: runtime.logger,
  // In AWS the session keys come from the stage's secret; locally SESSION_KEYS is set and this is never called.
  pages: pageSessions({ fetchSecret: fetchSessionKeysSecret }),
});
