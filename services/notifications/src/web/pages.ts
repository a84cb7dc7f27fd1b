/**
 * The notifications pages' renderer: the precompiled templates of src/web/templates (regenerate
 * with `npm run web:templates`) in the platform's worker layout. A page's answer is the shared
 * workerPageResult (shared/src/web/page-result.ts), with the worker's exact unread count from the
 * inbox store.
 */
import { createPageRenderer, type PageRenderer, type Stage } from '@fsp/shared/web/page';
import { PRECOMPILED_TEMPLATES } from './precompiled-templates';

export const createNotificationsRenderer = (stage: Stage): PageRenderer => createPageRenderer(PRECOMPILED_TEMPLATES, { stage });
