/** Lambda entry of the manifest's `admin` function: partner agencies and their credentials (src/http/admin-agencies.ts), through Cognito. */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCognitoIdentityProvider } from '../adapters/identity-provider';
import { identityProviderConfig } from '../config';
import { adminAgencyRoutes } from '../http/admin-agencies';

const runtime = serviceRuntimeFromEnvironment('referrals');
const identityProvider = createCognitoIdentityProvider({ userPoolId: identityProviderConfig().userPoolId });

export const handler = createHttpHandler(adminAgencyRoutes(runtime, identityProvider), { logger: runtime.logger });
