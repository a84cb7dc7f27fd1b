/**
 * What the referrals functions read from their environment beyond the platform's runtime
 * (shared/runtime). Each function reads only what it uses, at cold start (its entry), so a wiring
 * mistake fails the start naming the variable. The partner rate limit, PARTNER_RATE_LIMIT_PER_MINUTE
 * (the manifest's `environment`), is read by shared/rate-limit (`rateLimitConfig`), the same reader
 * every service with partner routes uses.
 */
import { ConfigurationError, readEnvironment, variable } from '@fsp/shared/environment';
import { onFirstUse } from '@fsp/shared/first-use';
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

/** The manifest's `environment`: the teams the front door can hand a family to, as JSON `[{ "id", "name" }]`. */
export const CASE_HOLDING_TEAMS_ENV = 'CASE_HOLDING_TEAMS';

export interface CaseHoldingTeam {
  id: string;
  name: string;
}

const teamListSchema = onFirstUse(() =>
  z
    .array(
      z.object({
        id: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/)),
        name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
      }),
    )
    .check(
      z.minLength(1),
      z.refine((teams) => new Set(teams.map((team) => team.id)).size === teams.length),
    ),
);

const TEAMS_EXPECTED =
  'a JSON list of the case-holding teams, [{"id":"north","name":"North team"}], each id once: set in the referrals manifest\'s environment';

/** The JSON value, or undefined when it is not JSON (the caller's error names the variable; the parser's would quote the value). */
function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/**
 * For the front door's pages (`pages`): the case-holding teams a decision can choose. The platform
 * has no team register yet (the directory knows each person's team, not the list of teams), so the
 * list is configuration, set in the manifest's environment.
 */
export function caseHoldingTeamsConfig(env: NodeJS.ProcessEnv = process.env): { teams: CaseHoldingTeam[] } {
  const values = readEnvironment({ [CASE_HOLDING_TEAMS_ENV]: variable(z.string(), TEAMS_EXPECTED) }, env);
  const teams = z.safeParse(teamListSchema(), jsonOf(values[CASE_HOLDING_TEAMS_ENV]));
  if (!teams.success) {
    throw new ConfigurationError(`The function's environment is not usable: ${CASE_HOLDING_TEAMS_ENV} must be ${TEAMS_EXPECTED}`);
  }
  return { teams: teams.data };
}
