/**
 * What the notifications functions need beyond the platform's runtime (shared/runtime): the
 * variables the manifest's `environment` adds, and the stage, validated at cold start so a wiring
 * mistake names the variable at once.
 */
import { idSchema } from '@fsp/shared/events/definitions/common';
import { ConfigurationError } from '@fsp/shared/runtime';
import * as z from 'zod/mini';

/** Set in service.ts `environment`; the team whose workers screen new referrals. */
export const FRONT_DOOR_TEAM_ENV = 'FRONT_DOOR_TEAM_ID';
/** Set in service.ts `environment`; the address referrer emails come from (an SES verified identity in AWS). */
export const MAIL_FROM_ENV = 'MAIL_FROM';
/** Set by the platform: `local` in the local cloud, dev / staging / prod in AWS. */
export const STAGE_ENV = 'STAGE';
export const STAGES = ['local', 'dev', 'staging', 'prod'] as const;

const notificationsEnvSchema = z.object({ [FRONT_DOOR_TEAM_ENV]: idSchema });
const mailEnvSchema = z.object({ [MAIL_FROM_ENV]: z.email() });
const stageEnvSchema = z.object({ [STAGE_ENV]: z.optional(z.enum(STAGES)) });

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

export interface MailConfig {
  mailFrom: string;
}

export function mailConfig(env: NodeJS.ProcessEnv = process.env): MailConfig {
  const parsed = z.safeParse(mailEnvSchema, env);
  if (!parsed.success) {
    throw new ConfigurationError(`${MAIL_FROM_ENV} must be an email address: it is set by the notifications manifest's environment`);
  }
  return { mailFrom: parsed.data[MAIL_FROM_ENV] };
}

export interface WebhookConfig {
  /**
   * Plain-http webhooks to 127.0.0.1 / localhost are accepted only when STAGE is exactly `local`.
   * A missing STAGE counts as a deployed stage (https only): the safe reading of a wiring mistake.
   */
  allowLocalHttp: boolean;
}

export function webhookConfig(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const parsed = z.safeParse(stageEnvSchema, env);
  if (!parsed.success) throw new ConfigurationError(`${STAGE_ENV} must be one of ${STAGES.join(', ')}: it is set by the platform`);
  return { allowLocalHttp: parsed.data[STAGE_ENV] === 'local' };
}
