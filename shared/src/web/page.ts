/**
 * Pages: a service's page template (which extends `fsp/layout.njk` for workers or
 * `fsp/public-layout.njk` for the public) rendered with the layout's context, worked out here in
 * TypeScript (who may see which area, the title, the phase), and the page's data. The markup is
 * govuk-frontend's and MoJ Frontend's own Nunjucks macros, precompiled (ADR 0011).
 */
import type { WorkerClaims } from '../http/claims';
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
}

/** The worker the layout names: the directory's display name, or the username when the token has none. */
export const signedInWorkerOf = (claims: WorkerClaims): SignedInWorker => ({ name: claims.name ?? claims.username, roles: claims.roles });

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
  /** The area the page belongs to, selected in the navigation. */
  area?: Area;
  /** Unread inbox items, shown on the Inbox item as an MoJ notification badge (nothing when 0). */
  unreadCount?: number;
}

/** A page for the public, without worker navigation (`fsp/public-layout.njk`, with "Exit this page"). */
export interface PublicLayout extends CommonLayout {
  worker?: undefined;
  /** The public service's own name and start page, for example the referral form's. */
  service: { name: string; href: string };
  /** A line above the footer's links, for example "If a child is in immediate danger, call 999." */
  footerText?: string;
}

export type Layout = WorkerLayout | PublicLayout;

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
  signOutHref?: string;
  /** Public pages only. */
  service?: { name: string; href: string };
}

export interface PageRendererOptions {
  stage: Stage;
  /** The worker's home (the service name links to it). */
  homeHref?: string;
  /** Shown as "Sign out" beside the worker's name when given. */
  signOutHref?: string;
}

export interface PageRenderer {
  /**
   * `template` rendered with `layout` (as the layout's context, `fsp`) and `data` (the page's own
   * variables). Throws when the template is not in the set or a macro is given what it cannot use.
   */
  renderPage(template: string, layout: Layout, data?: Readonly<Record<string, unknown>>): string;
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
    title: `${layout.hasErrors ? 'Error: ' : ''}${layout.title} – ${layout.worker ? SERVICE_NAME : layout.service.name}`,
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
      ...(options.signOutHref ? { signOutHref: options.signOutHref } : {}),
    };
  }
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
  return {
    renderPage(template, layout, data = {}) {
      if ('fsp' in data) throw new Error(`page data for ${template} may not be called fsp: the layout's context is`);
      return environment.render(template, { ...data, fsp: layoutContextOf(layout, options) });
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
