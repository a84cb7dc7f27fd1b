/**
 * What the supervision functions read from their environment beyond the platform's runtime
 * (shared/runtime). Read at cold start (the entry), so a wiring mistake fails the start naming the
 * variable.
 */
import { readEnvironment, variable } from '@fsp/shared/environment';
import { STAGES, type Stage } from '@fsp/shared/web/page';
import * as z from 'zod/mini';

/** Set by the platform: `local` in the local cloud, dev / staging / prod in AWS. */
export const STAGE_ENV = 'STAGE';

export interface PagesConfig {
  /** The phase banner's stage: the platform always sets STAGE, so a page function without one is a wiring mistake. */
  stage: Stage;
}

/** For the `pages` function. */
export function pagesConfig(env: NodeJS.ProcessEnv = process.env): PagesConfig {
  const values = readEnvironment({ [STAGE_ENV]: variable(z.enum(STAGES), `one of ${STAGES.join(', ')}: it is set by the platform`) }, env);
  return { stage: values[STAGE_ENV] };
}
