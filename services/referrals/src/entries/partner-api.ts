/** Lambda entry of the manifest's `partner-api` function: the partner API v1 (src/http/partner-api.ts), and only what it needs. */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { keyringFromEnvironment } from '@fsp/shared/keyed-hash';
import { fetchMatchKeysSecret } from '@fsp/shared/keyed-hash-secret';
import { rateLimitConfig } from '@fsp/shared/rate-limit';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { partnerApiRoutes } from '../http/partner-api';

const runtime = serviceRuntimeFromEnvironment('referrals');

export const handler = createHttpHandler(
  partnerApiRoutes(runtime, { rateLimit: rateLimitConfig(), matchKeys: keyringFromEnvironment(fetchMatchKeysSecret) }),
  { logger: runtime.logger },
);
