/**
 * Lambda entry of the manifest's `admin` function: partner agencies and their credentials, through
 * Cognito, as the JSON API (src/http/admin-agencies.ts) and as the administrators' pages
 * (src/http/admin-pages.ts, admitted by the session cookie), each loaded on the first request for
 * one of its routes (src/http/admin-groups.ts).
 */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { pageSessions } from '@fsp/shared/http/page-session';
import { fetchSessionKeysSecret } from '@fsp/shared/http/session-keys-secret';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createPageRenderer } from '@fsp/shared/web/page';
import { createCognitoIdentityProvider } from '../adapters/identity-provider';
import { identityProviderConfig, pagesConfig } from '../config';
import { lazyAdminRoutes } from '../http/admin-groups';
import { PRECOMPILED_TEMPLATES } from '../web/precompiled/admin';

const runtime = serviceRuntimeFromEnvironment('referrals');
const identityProvider = createCognitoIdentityProvider({ userPoolId: identityProviderConfig().userPoolId });
const renderer = createPageRenderer(PRECOMPILED_TEMPLATES, { stage: pagesConfig().stage });

export const handler = createHttpHandler(lazyAdminRoutes(runtime, identityProvider, renderer), {
  logger: runtime.logger,
  // In AWS the session keys come from the stage's secret; locally SESSION_KEYS is set and this is never called.
  // Errors on the pages are GOV.UK pages from this function's own templates.
  pages: pageSessions({ fetchSecret: fetchSessionKeysSecret, errorPages: renderer }),
});
