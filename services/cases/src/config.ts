/** The cases functions' configuration from their environment (shared/environment): the stage, for the pages' phase banner. */
import { readEnvironment, variable } from '@fsp/shared/environment';
import { STAGES, type Stage } from '@fsp/shared/web/page';
import * as z from 'zod/mini';

export const STAGE_ENV = 'STAGE';

export interface PagesConfig {
  /** The platform always sets STAGE, so a page function without one is a wiring mistake. */
  stage: Stage;
}

export function pagesConfig(env: NodeJS.ProcessEnv = process.env): PagesConfig {
  const values = readEnvironment({ [STAGE_ENV]: variable(z.enum(STAGES), `one of ${STAGES.join(', ')}: it is set by the platform`) }, env);
  return { stage: values[STAGE_ENV] };
}
