/**
 * The referrals pages' renderer: the precompiled templates of src/web/templates (regenerate with
 * `npm run web:templates` after changing one) in the platform's layouts, the public one for the
 * referral form and the worker one for the front door's and administrators' pages.
 */
import { createPageRenderer, type PageRenderer, type Stage } from '@fsp/shared/web/page';
import { PRECOMPILED_TEMPLATES } from './precompiled-templates';

export const createReferralsRenderer = (stage: Stage): PageRenderer => createPageRenderer(PRECOMPILED_TEMPLATES, { stage });

/** What a route renders: the template, the layout's part and the page's own data. */
export interface PageView<L> {
  template: string;
  layout: L;
  data: Readonly<Record<string, unknown>>;
}
