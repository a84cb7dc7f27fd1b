/**
 * What the referrals functions read from their environment beyond the platform's runtime
 * (shared/runtime). Each function reads only what it uses, at cold start (its entry), so a wiring
 * mistake fails the start naming the variable. The partner rate limit, PARTNER_RATE_LIMIT_PER_MINUTE
 * (the manifest's `environment`), is read by shared/rate-limit (`rateLimitConfig`), the same reader
 * every service with partner routes uses.
 */
import { readEnvironment, variable } from '@fsp/shared/environment';
import { STAGES, type Stage } from '@fsp/shared/web/page';
import * as z from 'zod/mini';

/** Set by the platform (CDK, the local cloud) for a function whose manifest entry asks for `permissions.cognitoUserPoolClients`. */
export const USER_POOL_ID_ENV = 'USER_POOL_ID';

/** Cognito's user pool id: `<region>_<id>`. */
const userPoolIdSchema = z.string().check(z.regex(/^[\w-]+_[0-9a-zA-Z]+$/));

export interface IdentityProviderConfig {
  userPoolId: string;
}

/** For the one function that manages partner agencies' app clients (`admin`). */
export function identityProviderConfig(env: NodeJS.ProcessEnv = process.env): IdentityProviderConfig {
  const values = readEnvironment(
    {
      [USER_POOL_ID_ENV]: variable(
        userPoolIdSchema,
        "a Cognito user pool id such as eu-west-2_AbC123: the platform sets it for the function with the manifest's cognitoUserPoolClients permission",
      ),
    },
    env,
  );
  return { userPoolId: values[USER_POOL_ID_ENV] };
}

/** Set by the platform: `local` in the local cloud, dev / staging / prod in AWS. */
export const STAGE_ENV = 'STAGE';

export interface PagesConfig {
  /** The phase banner's stage: the platform always sets STAGE, so a page function without one is a wiring mistake. */
  stage: Stage;
}

/** For the functions that serve pages (`public`, `admin`, the front door's pages): the layout's phase banner. */
export function pagesConfig(env: NodeJS.ProcessEnv = process.env): PagesConfig {
  const values = readEnvironment({ [STAGE_ENV]: variable(z.enum(STAGES), `one of ${STAGES.join(', ')}: it is set by the platform`) }, env);
  return { stage: values[STAGE_ENV] };
}
