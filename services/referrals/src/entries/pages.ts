/** Lambda entry of the manifest's `pages` function: the front door's pages (src/http/front-door-pages.ts). */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { pageSessions } from '@fsp/shared/http/page-session';
import { fetchSessionKeysSecret } from '@fsp/shared/http/session-keys-secret';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createPageRenderer } from '@fsp/shared/web/page';
import { caseHoldingTeamsConfig, pagesConfig } from '../config';
import { frontDoorPageRoutes } from '../http/front-door-pages';
import { PRECOMPILED_TEMPLATES } from '../web/precompiled/front-door';

const runtime = serviceRuntimeFromEnvironment('referrals');
const renderer = createPageRenderer(PRECOMPILED_TEMPLATES, { stage: pagesConfig().stage });
const { teams } = caseHoldingTeamsConfig();

export const handler = createHttpHandler(frontDoorPageRoutes(runtime, { renderer, teams }), {
  logger: runtime.logger,
  // In AWS the session keys come from the stage's secret; locally SESSION_KEYS is set and this is never called.
  pages: pageSessions({ fetchSecret: fetchSessionKeysSecret, errorPages: renderer }),
});
