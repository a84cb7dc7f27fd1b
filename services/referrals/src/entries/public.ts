/**
 * Lambda entry of the manifest's `public` function: the referral form (src/http/public-form.ts) and
 * the OpenAPI document (src/http/openapi.ts), each loaded on the first request for one of its routes
 * (src/http/public-groups.ts).
 */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { keyringFromEnvironment } from '@fsp/shared/keyed-hash';
import { fetchMatchKeysSecret } from '@fsp/shared/keyed-hash-secret';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createPageRenderer } from '@fsp/shared/web/page';
import { pagesConfig } from '../config';
import { lazyPublicRoutes } from '../http/public-groups';
import { formErrorPages } from '../web/form-error-pages';
import { PRECOMPILED_TEMPLATES } from '../web/precompiled/refer';

const runtime = serviceRuntimeFromEnvironment('referrals');
const renderer = createPageRenderer(PRECOMPILED_TEMPLATES, { stage: pagesConfig().stage });

// The form's failures are its own GOV.UK pages (errorPages); the OpenAPI document's stay problem documents.
export const handler = createHttpHandler(lazyPublicRoutes(runtime, renderer, keyringFromEnvironment(fetchMatchKeysSecret)), {
  logger: runtime.logger,
  errorPages: formErrorPages(renderer),
});
