/**
 * The referrals pages are three functions' (ADR 0011): the referral form (`public`), the front
 * door's (`pages`) and the administrators' (`admin`). Each function's entry makes its renderer
 * from its own folder's precompiled module, src/web/precompiled/refer.ts, front-door.ts or
 * admin.ts (regenerate with `npm run web:templates` after changing a template), so that it bundles
 * only its own pages; the public layout is the referral form's, the worker one the others'.
 */

/** What a route renders: the template, the layout's part and the page's own data. */
export interface PageView<L> {
  template: string;
  layout: L;
  data: Readonly<Record<string, unknown>>;
}
