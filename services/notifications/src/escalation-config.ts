/**
 * How long a breached timescale may stay open before it goes to the service manager (issue 15
 * Deliver 2): `SERVICE_MANAGER_ESCALATION_WORKING_DAYS`, set in service.ts `environment`, read at
 * cold start by the functions that record breaches, so a wiring mistake fails the start naming it.
 */
import { readEnvironment, variable } from '@fsp/shared/environment';
import * as z from 'zod/mini';

export const ESCALATION_WORKING_DAYS_ENV = 'SERVICE_MANAGER_ESCALATION_WORKING_DAYS';

export interface EscalationConfig {
  /** Working days (Monday to Friday, not bank holidays) from the breach to the service manager. */
  serviceManagerAfterWorkingDays: number;
}

export function escalationConfig(env: NodeJS.ProcessEnv = process.env): EscalationConfig {
  const values = readEnvironment(
    {
      [ESCALATION_WORKING_DAYS_ENV]: variable(
        z.coerce.number().check(z.int(), z.gte(1), z.lte(60)),
        "a whole number of working days from 1 to 60: it is set by the notifications manifest's environment",
      ),
    },
    env,
  );
  return { serviceManagerAfterWorkingDays: values[ESCALATION_WORKING_DAYS_ENV] };
}
