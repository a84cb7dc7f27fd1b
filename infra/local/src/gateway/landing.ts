import type { ServerResponse } from 'node:http';
import type { HttpRoute, ServiceManifest } from '@fsp/shared/manifest';
import { escapeHtml, sendHtml } from './http-util';

/** Where the local cloud serves this page: notifications' worker home owns `/`. */
export const LANDING_PAGE_PATH = '/local';

/** Where the referrals service serves govuk-frontend's dist (see its manifest's `assets`). */
const FRONTEND_PATH = '/assets/frontend';
const ASSET_PATH = '/assets';

/**
 * The page itself runs no script and loads only this origin's stylesheet, fonts and images, so its
 * policy can be stricter than the local screens' (which need inline styles).
 */
export const LANDING_PAGE_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "font-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const servesPath = (manifests: readonly ServiceManifest[], urlPath: string) =>
  manifests.some((manifest) => manifest.assets?.some((asset) => asset.urlPath.replace(/\/+$/, '') === urlPath));

function audienceOf(route: HttpRoute): string {
  switch (route.auth.kind) {
    case 'public':
      return 'anyone';
    case 'partner':
      return `partner systems (${route.auth.scopes.join(', ')})`;
    case 'worker':
      return `workers: ${route.auth.roles.map((role) => role.replace(/-/g, ' ')).join(', ')}`;
    case 'page':
      return `signed-in workers' pages: ${route.auth.roles.map((role) => role.replace(/-/g, ' ')).join(', ')}`;
  }
}

function routeItem(route: HttpRoute): string {
  const path = escapeHtml(route.path);
  // Only a GET without path parameters can be followed as it stands.
  const target =
    route.method === 'GET' && !route.path.includes('{') ? `<a class="govuk-link" href="${path}">${path}</a>` : `<code>${path}</code>`;
  return `<li class="govuk-!-text-break-word"><strong class="govuk-tag govuk-tag--grey">${escapeHtml(route.method)}</strong> ${target} <span class="govuk-hint govuk-!-display-inline">– ${escapeHtml(audienceOf(route))}</span></li>`;
}

function serviceSection(manifest: ServiceManifest): string {
  const routes = manifest.http?.routes ?? [];
  const subscriptions = manifest.subscriptions.map((subscription) => escapeHtml(subscription.name));
  const schedules = manifest.schedules.map((schedule) => escapeHtml(schedule.name));
  const id = `service-${manifest.name.replace(/[^a-z0-9-]/gi, '-')}`;
  return `<section aria-labelledby="${id}">
<h3 class="govuk-heading-m" id="${id}">${escapeHtml(manifest.name)}</h3>
${routes.length > 0 ? `<ul class="govuk-list govuk-list--spaced">${routes.map(routeItem).join('')}</ul>` : '<p class="govuk-body">No HTTP routes.</p>'}
${subscriptions.length > 0 ? `<p class="govuk-body-s">Handles events: ${subscriptions.join(', ')}.</p>` : ''}
${schedules.length > 0 ? `<p class="govuk-body-s">Runs on a schedule: ${schedules.join(', ')}.</p>` : ''}
</section>`;
}

const link = (href: string, text: string) => `<a class="govuk-link" href="${href}">${text}</a>`;

/**
 * The local cloud's page for developers, at LANDING_PAGE_PATH: what is running and where to start, in the GOV.UK Design System's
 * template (govuk-frontend's `template.njk`: service navigation instead of the GOV.UK crown, which
 * is only for GOV.UK itself), styled by the govuk-frontend stylesheet the referrals service serves.
 */
export function renderLandingPage(manifests: readonly ServiceManifest[]): string {
  const styled = servesPath(manifests, FRONTEND_PATH);
  const icons = servesPath(manifests, ASSET_PATH);
  const head = [
    '<meta charset="utf-8">',
    '<title>Family Safeguarding Platform – local</title>',
    '<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">',
    '<meta name="theme-color" content="#1d70b8">',
    icons ? `<link rel="icon" sizes="48x48" href="${ASSET_PATH}/images/favicon.ico">` : '',
    icons ? `<link rel="icon" sizes="any" href="${ASSET_PATH}/images/favicon.svg" type="image/svg+xml">` : '',
    styled ? `<link rel="stylesheet" href="${FRONTEND_PATH}/govuk-frontend.min.css">` : '',
  ].join('');
  const navigation = [
    ['/', 'Worker home'],
    ['/refer', 'Make a referral'],
    ['/mail', 'Mail'],
    ['/_local/queues', 'Queues'],
  ]
    .map(
      ([href, text]) =>
        `<li class="govuk-service-navigation__item">${link(href!, text!).replace('govuk-link', 'govuk-service-navigation__link')}</li>`,
    )
    .join('');
  const services = manifests.length > 0 ? manifests.map(serviceSection).join('') : '<p class="govuk-body">No services are running.</p>';
  return `<!DOCTYPE html>
<html lang="en-GB" class="govuk-template govuk-template--rebranded">
<head>${head}</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-template__header">
<section aria-label="Service information" class="govuk-service-navigation">
<div class="govuk-width-container"><div class="govuk-service-navigation__container">
<span class="govuk-service-navigation__service-name"><a href="${LANDING_PAGE_PATH}" class="govuk-service-navigation__link">Family Safeguarding Platform on this computer</a></span>
<nav aria-label="Menu" class="govuk-service-navigation__wrapper"><ul class="govuk-service-navigation__list">${navigation}</ul></nav>
</div></div>
</section>
</header>
<div class="govuk-width-container">
<div class="govuk-phase-banner"><p class="govuk-phase-banner__content"><strong class="govuk-tag govuk-phase-banner__content__tag">Local</strong><span class="govuk-phase-banner__text">Running on this computer, with demo people and a demo partner agency.</span></p></div>
<main class="govuk-main-wrapper" id="main-content">
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<h1 class="govuk-heading-xl">Family Safeguarding Platform on this computer</h1>
<h2 class="govuk-heading-l">Start here</h2>
<ul class="govuk-list govuk-list--spaced">
<li>${link('/refer', 'Refer a child to children’s services')}: the public referral form, as a teacher or a neighbour would use it.</li>
<li>${link('/signin', 'Sign in as a demo worker')}: the front door, social workers, managers and an administrator, each arriving at their own ${link('/', 'home page')} (their passwords are on the sign-in page and the start-up screen).</li>
</ul>
<h2 class="govuk-heading-l">See what happened</h2>
<ul class="govuk-list govuk-list--spaced">
<li>${link('/mail', 'Mail outbox')}: every email the platform would have sent.</li>
<li>${link('/_local/queues', 'Queues')} and ${link('/_local/dlq', 'dead letters')}: the events each service has been given, and those it could not handle.</li>
<li>${link('/v1/openapi.json', 'Partner API description')} (OpenAPI, JSON) for partner agencies’ systems.</li>
</ul>
</div></div>
<h2 class="govuk-heading-l">Services and their routes</h2>
${services}
</main>
</div>
<footer class="govuk-footer">
<div class="govuk-width-container"><div class="govuk-footer__meta"><div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
<h2 class="govuk-visually-hidden">Local tools</h2>
<ul class="govuk-footer__inline-list">
<li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/mail">Mail outbox</a></li>
<li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/_local/queues">Queues</a></li>
<li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/_local/dlq">Dead letters</a></li>
<li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/v1/openapi.json">OpenAPI</a></li>
</ul>
<p class="govuk-body-s">The local cloud: the same handlers as in AWS, on DynamoDB Local and a local event bus.</p>
</div></div></div>
</footer>
</body>
</html>
`;
}

export function sendLandingPage(res: ServerResponse, manifests: readonly ServiceManifest[]): void {
  sendHtml(res, 200, renderLandingPage(manifests), { 'content-security-policy': LANDING_PAGE_CSP });
}
