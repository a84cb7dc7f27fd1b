/** Lambda entry of the manifest's `public` function: the referral form (src/http/public-form.ts) and the OpenAPI document (src/http/openapi.ts). */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { openApiRoutes } from '../http/openapi';
import { publicFormRoutes } from '../http/public-form';

const runtime = serviceRuntimeFromEnvironment('referrals');

export const handler = createHttpHandler([...openApiRoutes(), ...publicFormRoutes(runtime)], { logger: runtime.logger });
