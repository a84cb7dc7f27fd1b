/**
 * The referral form's error pages, in a module of their own: the public function's entry builds
 * them at cold start, and taking them from form-pages.ts would load the form's steps, choices and
 * submission schema there too, which the form's route module otherwise loads on first use
 * (src/http/public-groups.ts, ADR 0038).
 */
import { type ErrorPageRenderer, publicErrorPages } from '@fsp/shared/http/error-pages';
import type { PageRenderer } from '@fsp/shared/web/page';
import { REFERRAL_FORM_LAYOUT } from '@fsp/shared/web/referral-form';

/** The form's problem page: for its own problems (form-pages.ts `problemPage`) and the handler's. */
export const PROBLEM_TEMPLATE = 'refer/problem.njk';

/**
 * The form's pages for what the shared handler refuses before a route runs (an empty, unreadable,
 * oversized or mistyped post, an address or method that is not a page) and for its unexpected
 * failures: the same problem page as the form's own, with "Exit this page", the way back to the
 * start and, for the service's problems, the request's reference. The public function's
 * `errorPages`, for the routes that answer HTML.
 */
export const formErrorPages = (renderer: Pick<PageRenderer, 'renderPage' | 'headers'>): ErrorPageRenderer =>
  publicErrorPages(renderer, {
    template: PROBLEM_TEMPLATE,
    layout: {
      service: { name: REFERRAL_FORM_LAYOUT.service.name, href: REFERRAL_FORM_LAYOUT.service.href },
      footerText: REFERRAL_FORM_LAYOUT.footerText,
    },
  });
