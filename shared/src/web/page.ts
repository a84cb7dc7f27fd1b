/**
 * Pages: a service's page template (which extends `fsp/layout.njk` for workers or
 * `fsp/public-layout.njk` for the public) rendered with the layout's context, worked out here in
 * TypeScript (who may see which area, the title, the phase), and the page's data. The markup is
 * govuk-frontend's and MoJ Frontend's own Nunjucks macros, precompiled (ADR 0011).
 */
import type { WorkerClaims } from '../http/claims';
import type { ErrorPage, ErrorPageRenderer } from '../http/error-pages';
import { type PageClaims, SIGN_OUT_PATH } from '../http/page-session';
import type { Role } from '../people';
import { createTemplateEnvironment, type PrecompiledTemplateSet } from './environment';
import { type Area, type NavigationItem, navigationFor, rolesInWords } from './navigation';

export const SERVICE_NAME = 'Family Safeguarding Platform';

/**
 * Where the edge serves the packages' files (each a manifest `assets` entry): govuk-frontend's dist
 * (CSS and JavaScript) at `/assets/frontend`, its fonts and images at `/assets` where its CSS looks
 * for them, and MoJ Frontend's `moj` folder at `/assets/moj`. Fixed, not per page: the inline
 * script that starts the components names them, and the CSP allows that script by its hash.
 */
export const ASSET_PATHS = Object.freeze({ assets: '/assets', frontend: '/assets/frontend', moj: '/assets/moj' });

export const STAGES = ['local', 'dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export interface PhaseBanner {
  tag: string;
  text: string;
}

/** Locally, what the local cloud's own home page says; in AWS, the service's phase, and a warning on the test copies. */
export function phaseBannerFor(stage: Stage): PhaseBanner {
  switch (stage) {
    case 'local':
      return { tag: 'Local', text: 'Running on this computer, with demo people and a demo partner agency.' };
    case 'dev':
    case 'staging':
      return { tag: 'Test', text: `A test copy of the platform (${stage}): never enter a real family’s details.` };
    case 'prod':
      return { tag: 'Beta', text: 'This is a new service. Tell your team manager what works and what does not.' };
  }
}

export interface SignedInWorker {
  name: string;
  roles: readonly Role[];
  /** The session's CSRF token (a page route's `claims.csrfToken`): the header's "Sign out" form carries it, and is shown only with it. */
  csrfToken?: string;
}

/** The worker the layout names (the directory's display name, or the username when the token has none), with a page session's CSRF token. */
export const signedInWorkerOf = (claims: WorkerClaims | PageClaims): SignedInWorker => ({
  name: claims.name ?? claims.username,
  roles: claims.roles,
  ...('csrfToken' in claims ? { csrfToken: claims.csrfToken } : {}),
});

interface CommonLayout {
  /** The page's own title; the layout adds the service name (and "Error: " when `hasErrors`). */
  title: string;
  /** The page shows an error summary: GOV.UK prefixes the title with "Error: ". */
  hasErrors?: boolean;
  /** A GOV.UK back link above the content. */
  backLink?: string;
}

/** A signed-in worker's page (`fsp/layout.njk`). */
export interface WorkerLayout extends CommonLayout {
  worker: SignedInWorker;
  service?: undefined;
  /** The area the page belongs to, selected in the navigation. */
  area?: Area;
  /** Unread inbox items, shown on the Inbox item as an MoJ notification badge (nothing when 0). */
  unreadCount?: number;
}

/**
 * A worker's page for someone not signed in (`fsp/layout.njk` without navigation or who is signed
 * in): signed out, sign-in did not work, an error before the session was opened.
 */
export interface SignedOutLayout extends CommonLayout {
  worker?: undefined;
  service?: undefined;
}

/** A page for the public, without worker navigation (`fsp/public-layout.njk`, with "Exit this page"). */
export interface PublicLayout extends CommonLayout {
  worker?: undefined;
  /** The public service's own name and start page, for example the referral form's. */
  service: { name: string; href: string };
  /** A line above the footer's links, for example "If a child is in immediate danger, call 999." */
  footerText?: string;
}

export type Layout = WorkerLayout | PublicLayout | SignedOutLayout;

/** What the layouts read, under `fsp` so that no page's data can shadow it. */
export interface LayoutContext {
  serviceName: string;
  /** The whole `<title>`. */
  title: string;
  homeHref: string;
  assets: typeof ASSET_PATHS;
  phase: PhaseBanner;
  backLink?: string;
  footerText?: string;
  /** Worker pages only. */
  worker?: { name: string; roles: string };
  navigation?: NavigationItem[];
  /** The header's "Sign out" form: where it posts and the token it carries. */
  signOut?: { action: string; csrfToken: string };
  /** Public pages only. */
  service?: { name: string; href: string };
}

export interface PageRendererOptions {
  stage: Stage;
  /** The worker's home (the service name links to it). */
  homeHref?: string;
  /** Where the "Sign out" form beside the worker's name posts; `/signout` (notifications' route) by default. */
  signOutAction?: string;
}

export interface PageRenderer {
  /**
   * `template` rendered with `layout` (as the layout's context, `fsp`) and `data` (the page's own
   * variables). Throws when the template is not in the set or a macro is given what it cannot use.
   */
  renderPage(template: string, layout: Layout, data?: Readonly<Record<string, unknown>>): string;
  /**
   * A GOV.UK error page (shared's `fsp/errors/<kind>.njk`, which `npm run web:templates` puts in
   * every service's set): in the worker's layout when `worker` is given, else without navigation.
   */
  renderErrorPage: ErrorPageRenderer['renderErrorPage'];
  /** Headers for every page: never cached (personal data), never framed, no script but this origin's and the layouts' own. */
  readonly headers: Readonly<Record<string, string>>;
  readonly contentSecurityPolicy: string;
}

/** Only this origin's files; inline script only the layouts' own, by hash; no framing, no plugins, forms back to this origin. */
export const contentSecurityPolicyFor = (inlineScriptHashes: readonly string[]): string =>
  [
    "default-src 'self'",
    `script-src 'self'${inlineScriptHashes.map((hash) => ` '${hash}'`).join('')}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

export function layoutContextOf(layout: Layout, options: PageRendererOptions): LayoutContext {
  const common = {
    title: `${layout.hasErrors ? 'Error: ' : ''}${layout.title} – ${layout.service ? layout.service.name : SERVICE_NAME}`,
    assets: ASSET_PATHS,
    phase: phaseBannerFor(options.stage),
    ...(layout.backLink ? { backLink: layout.backLink } : {}),
  };
  if (layout.worker) {
    return {
      ...common,
      serviceName: SERVICE_NAME,
      homeHref: options.homeHref ?? '/',
      worker: { name: layout.worker.name, roles: rolesInWords(layout.worker.roles) },
      navigation: navigationFor(layout.worker.roles, layout.area, layout.unreadCount ?? 0),
      ...(layout.worker.csrfToken
        ? { signOut: { action: options.signOutAction ?? SIGN_OUT_PATH, csrfToken: layout.worker.csrfToken } }
        : {}),
    };
  }
  if (!layout.service) return { ...common, serviceName: SERVICE_NAME, homeHref: options.homeHref ?? '/' };
  return {
    ...common,
    serviceName: layout.service.name,
    homeHref: layout.service.href,
    service: layout.service,
    ...(layout.footerText ? { footerText: layout.footerText } : {}),
  };
}

export function createPageRenderer(set: PrecompiledTemplateSet, options: PageRendererOptions): PageRenderer {
  const environment = createTemplateEnvironment(set);
  const contentSecurityPolicy = contentSecurityPolicyFor(set.inlineScriptHashes);
  const renderPage: PageRenderer['renderPage'] = (template, layout, data = {}) => {
    if ('fsp' in data) throw new Error(`page data for ${template} may not be called fsp: the layout's context is`);
    return environment.render(template, { ...data, fsp: layoutContextOf(layout, options) });
  };
  return {
    renderPage,
    renderErrorPage(page: ErrorPage, worker: PageClaims | undefined) {
      const layout: Layout = worker ? { title: page.heading, worker: signedInWorkerOf(worker) } : { title: page.heading };
      return renderPage(`fsp/errors/${page.kind}.njk`, layout, {
        heading: page.heading,
        ...(page.detail ? { detail: page.detail } : {}),
        ...(page.reference ? { reference: page.reference } : {}),
      });
    },
    contentSecurityPolicy,
    headers: Object.freeze({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
    }),
  };
}
