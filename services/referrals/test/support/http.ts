/**
 * The referrals HTTP functions as src/entries/*.ts compose them, around a test runtime: one
 * builder of routes and one handler per manifest function (`http`, `partner-api`, `public`, `admin`).
 * Their routes are defined up front here; the `public` and `admin` entries load the same factories
 * on first use (src/http/*-groups.ts, ADR 0038), which the manifest test checks.
 */
import { createHttpHandler, type HttpHandler, type Route } from '@fsp/shared/http/handler';
import { pageSessions } from '@fsp/shared/http/page-session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { createPageRenderer } from '@fsp/shared/web/page';
import { createCognitoIdentityProvider, type IdentityProvider } from '../../src/adapters/identity-provider';
import { adminAgencyRoutes } from '../../src/http/admin-agencies';
import { adminPageRoutes } from '../../src/http/admin-pages';
import { frontDoorRoutes } from '../../src/http/front-door';
import { openApiRoutes } from '../../src/http/openapi';
import { type PartnerApiOptions, partnerApiRoutes } from '../../src/http/partner-api';
import { publicFormRoutes } from '../../src/http/public-form';
import { formErrorPages } from '../../src/web/form-error-pages';
import { PRECOMPILED_TEMPLATES as ADMIN_TEMPLATES } from '../../src/web/precompiled/admin';
import { PRECOMPILED_TEMPLATES as REFERRAL_FORM_TEMPLATES } from '../../src/web/precompiled/refer';

const formRenderer = () => createPageRenderer(REFERRAL_FORM_TEMPLATES, { stage: 'local' });

/** The `public` function's routes: the OpenAPI document and the referral form. */
export const publicRoutes = (runtime: ServiceRuntime): Route[] => [...openApiRoutes(), ...publicFormRoutes(runtime, formRenderer())];

/** A user pool nobody calls: for tests that build the admin routes without using them (the client is made on first use). */
export const unusedIdentityProvider = (): IdentityProvider => createCognitoIdentityProvider({ userPoolId: 'eu-west-2_unused' });

/** The `admin` function's routes around `identity` (the entry's is Cognito's, from USER_POOL_ID): the JSON API and the pages. */
export const adminRoutes = (runtime: ServiceRuntime, identity: IdentityProvider = unusedIdentityProvider()): Route[] => [
  ...adminAgencyRoutes(runtime, identity),
  ...adminPageRoutes(runtime, identity, createPageRenderer(ADMIN_TEMPLATES, { stage: 'local' })),
];

const handlerOf = (routes: readonly Route[], runtime: ServiceRuntime): HttpHandler => createHttpHandler(routes, { logger: runtime.logger });

/** The `http` function: the front door. */
export const createFrontDoorApi = (runtime: ServiceRuntime): HttpHandler => handlerOf(frontDoorRoutes(runtime), runtime);
/** The `partner-api` function; the rate limit defaults as the entry reads it (PARTNER_RATE_LIMIT_PER_MINUTE, else 1,200). */
export const createPartnerApi = (runtime: ServiceRuntime, options?: PartnerApiOptions): HttpHandler =>
  handlerOf(partnerApiRoutes(runtime, options), runtime);
/** The `public` function, with the form's error pages for its HTML routes. */
export const createPublicApi = (runtime: ServiceRuntime): HttpHandler =>
  createHttpHandler(publicRoutes(runtime), { logger: runtime.logger, errorPages: formErrorPages(formRenderer()) });
/** The `admin` function. */
export const createAdminApi = (runtime: ServiceRuntime, identity?: IdentityProvider): HttpHandler =>
  createHttpHandler(adminRoutes(runtime, identity), {
    logger: runtime.logger,
    // Pages read SESSION_KEYS and PUBLIC_ORIGIN from the environment on their first request (test/support/admin-pages.ts seals cookies for them).
    pages: pageSessions({ errorPages: createPageRenderer(ADMIN_TEMPLATES, { stage: 'local' }) }),
  });
