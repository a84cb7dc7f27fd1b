/** Lambda entry of the manifest's `public` function: the referral form (src/http/public-form.ts) and the OpenAPI document (src/http/openapi.ts). */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { keyringFromEnvironment } from '@fsp/shared/keyed-hash';
import { fetchMatchKeysSecret } from '@fsp/shared/keyed-hash-secret';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createPageRenderer } from '@fsp/shared/web/page';
import { pagesConfig } from '../config';
import { openApiRoutes } from '../http/openapi';
import { publicFormRoutes } from '../http/public-form';
import { formErrorPages } from '../web/form-pages';
import { PRECOMPILED_TEMPLATES } from '../web/precompiled/refer';

const runtime = serviceRuntimeFromEnvironment('referrals');
const renderer = createPageRenderer(PRECOMPILED_TEMPLATES, { stage: pagesConfig().stage });

// The form's failures are its own GOV.UK pages (errorPages); the OpenAPI document's stay problem documents.
export const handler = createHttpHandler(
  [...openApiRoutes(), ...publicFormRoutes(runtime, renderer, keyringFromEnvironment(fetchMatchKeysSecret))],
  {
    logger: runtime.logger,
    errorPages: formErrorPages(renderer),
  },
);
