/**
 * The supervision pages' renderer: the precompiled templates of src/web/templates (regenerate with
 * `npm run web:templates` after changing one) in the platform's worker layout. A page's answer is
 * the shared workerPageResult (shared/src/web/page-result.ts), with the Inbox count from this
 * service's unread projection (ADR 0013).
 */
import { createPageRenderer, type PageRenderer, type Stage } from '@fsp/shared/web/page';
import { PRECOMPILED_TEMPLATES } from './precompiled-templates';

export const createSupervisionRenderer = (stage: Stage): PageRenderer => createPageRenderer(PRECOMPILED_TEMPLATES, { stage });
