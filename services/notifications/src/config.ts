/**
 * What the notifications functions read from their environment beyond the platform's runtime
 * (shared/runtime): the variables the manifest's `environment` adds, and the stage. Each function
 * reads only what it uses, at cold start (its entry), so a wiring mistake fails the start naming
 * the variable. The partner rate limit is read by shared/rate-limit (`rateLimitConfig`).
 */
import { readEnvironment, variable } from '@fsp/shared/environment';
import { idSchema } from '@fsp/shared/events/definitions/common';
import * as z from 'zod/mini';

/** Set in service.ts `environment`; the team whose workers screen new referrals. */
export const FRONT_DOOR_TEAM_ENV = 'FRONT_DOOR_TEAM_ID';
/** Set in service.ts `environment`; the address referrer emails come from (an SES verified identity in AWS). */
export const MAIL_FROM_ENV = 'MAIL_FROM';
/** Set by the platform: `local` in the local cloud, dev / staging / prod in AWS. */
export const STAGE_ENV = 'STAGE';
export const STAGES = ['local', 'dev', 'staging', 'prod'] as const;

export interface NotificationsConfig {
  frontDoorTeamId: string;
}

/** For the consumers that address the front door (new referrals, decision reminders and escalations). */
export function notificationsConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  const values = readEnvironment(
    { [FRONT_DOOR_TEAM_ENV]: variable(idSchema, "a team id: it is set by the notifications manifest's environment") },
    env,
  );
  return { frontDoorTeamId: values[FRONT_DOOR_TEAM_ENV] };
}

export interface MailConfig {
  mailFrom: string;
}

/** For the one function that emails (on-referral-decided). */
export function mailConfig(env: NodeJS.ProcessEnv = process.env): MailConfig {
  const values = readEnvironment(
    { [MAIL_FROM_ENV]: variable(z.email(), "an email address: it is set by the notifications manifest's environment") },
    env,
  );
  return { mailFrom: values[MAIL_FROM_ENV] };
}

export interface WebhookConfig {
  /**
   * Plain-http webhooks to 127.0.0.1 / localhost are accepted (and loopback called) only when STAGE
   * is exactly `local`. A missing STAGE counts as a deployed stage (https only): the safe reading
   * of a wiring mistake.
   */
  allowLocalHttp: boolean;
}

/** For the webhook registration route and the two functions that send webhooks. */
export function webhookConfig(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const values = readEnvironment(
    { [STAGE_ENV]: variable(z.optional(z.enum(STAGES)), `one of ${STAGES.join(', ')}: it is set by the platform`) },
    env,
  );
  return { allowLocalHttp: values[STAGE_ENV] === 'local' };
}

export interface PagesConfig {
  /** The phase banner's stage: the platform always sets STAGE, so a page function without one is a wiring mistake. */
  stage: (typeof STAGES)[number];
}

/** For the `pages` function. */
export function pagesConfig(env: NodeJS.ProcessEnv = process.env): PagesConfig {
  const values = readEnvironment({ [STAGE_ENV]: variable(z.enum(STAGES), `one of ${STAGES.join(', ')}: it is set by the platform`) }, env);
  return { stage: values[STAGE_ENV] };
}
