/** Lambda entry of the manifest's `public` function: the referral form (src/http/public-form.ts) and the OpenAPI document (src/http/openapi.ts). */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { pagesConfig } from '../config';
import { openApiRoutes } from '../http/openapi';
import { publicFormRoutes } from '../http/public-form';
import { createReferralsRenderer } from '../web/renderer';

const runtime = serviceRuntimeFromEnvironment('referrals');
const renderer = createReferralsRenderer(pagesConfig().stage);

export const handler = createHttpHandler([...openApiRoutes(), ...publicFormRoutes(runtime, renderer)], { logger: runtime.logger });
