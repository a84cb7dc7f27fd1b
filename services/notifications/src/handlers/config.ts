/**
 * What the notifications functions need beyond the platform's runtime (shared/runtime): the
 * variables the manifest's `environment` adds, validated at cold start so a wiring mistake names
 * the variable at once.
 */
import { idSchema } from '@fsp/shared/events/definitions/common';
import { ConfigurationError } from '@fsp/shared/runtime';
import * as z from 'zod/mini';

/** Set in service.ts `environment`; the team whose workers screen new referrals. */
export const FRONT_DOOR_TEAM_ENV = 'FRONT_DOOR_TEAM_ID';

const notificationsEnvSchema = z.object({ [FRONT_DOOR_TEAM_ENV]: idSchema });

export interface NotificationsConfig {
  frontDoorTeamId: string;
}

export function notificationsConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  const parsed = z.safeParse(notificationsEnvSchema, env);
  if (!parsed.success) {
    throw new ConfigurationError(`${FRONT_DOOR_TEAM_ENV} must be a team id: it is set by the notifications manifest's environment`);
  }
  return { frontDoorTeamId: parsed.data[FRONT_DOOR_TEAM_ENV] };
}
