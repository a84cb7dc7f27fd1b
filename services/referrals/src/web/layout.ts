/**
 * The page every step is rendered into: the GOV.UK template (govuk-frontend's `template.njk`)
 * with a service navigation header instead of the GOV.UK crown, which is only for GOV.UK itself.
 * Styles, scripts, fonts and images come from govuk-frontend's dist, served at `/assets`
 * (fonts and images, where its CSS expects them) and `/assets/frontend` (CSS and JavaScript).
 */
import { createHash } from 'node:crypto';
import { html, type Markup, raw } from './html';

export const SERVICE_NAME = 'Refer a child to children’s services';
export const ASSET_PATH = '/assets';
export const FRONTEND_PATH = '/assets/frontend';

const JS_ENABLED_SCRIPT =
  "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');";
const INIT_SCRIPT = `import { initAll } from '${FRONTEND_PATH}/govuk-frontend.min.js'; initAll();`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Only this origin's files, and the two inline scripts above by their hashes. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' ${sha256(JS_ENABLED_SCRIPT)} ${sha256(INIT_SCRIPT)}`,
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers for every page of the form: never cached (they show personal data), never framed. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

export interface PageOptions {
  title: string;
  /** Prefixes the title with "Error: " (GOV.UK pattern) when the page shows errors. */
  hasErrors?: boolean;
  backLink?: string | undefined;
  content: Markup;
}

export function page(o: PageOptions): string {
  const title = `${o.hasErrors ? 'Error: ' : ''}${o.title} – ${SERVICE_NAME}`;
  return `<!DOCTYPE html>${html`<html lang="en" class="govuk-template govuk-template--rebranded"><head><meta charset="utf-8"><title>${title}</title><meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"><meta name="theme-color" content="#1d70b8"><link rel="icon" sizes="48x48" href="${ASSET_PATH}/images/favicon.ico"><link rel="icon" sizes="any" href="${ASSET_PATH}/images/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="${FRONTEND_PATH}/govuk-frontend.min.css"></head><body class="govuk-template__body"><script>${raw(JS_ENABLED_SCRIPT)}</script><a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a><header class="govuk-template__header"><section aria-label="Service information" class="govuk-service-navigation" data-module="govuk-service-navigation"><div class="govuk-width-container"><div class="govuk-service-navigation__container"><span class="govuk-service-navigation__service-name"><a href="/refer" class="govuk-service-navigation__link">${SERVICE_NAME}</a></span></div></div></section></header><div class="govuk-width-container">${o.backLink ? html`<a href="${o.backLink}" class="govuk-back-link">Back</a>` : undefined}<main class="govuk-main-wrapper" id="main-content"><div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${o.content}</div></div></main></div><footer class="govuk-footer"><div class="govuk-width-container"><div class="govuk-footer__meta"><div class="govuk-footer__meta-item govuk-footer__meta-item--grow"><p class="govuk-body-s">If a child is in immediate danger, call 999.</p></div></div></div></footer><script type="module">${raw(INIT_SCRIPT)}</script></body></html>`}`;
}
