import type { ServiceManifest } from '@fsp/shared/manifest';
import { LANDING_PAGE_CSP, LANDING_PAGE_PATH, renderLandingPage } from '../../src/gateway/landing';

const referrals: ServiceManifest = {
  name: 'referrals',
  directory: '/nowhere/services/referrals',
  http: {
    function: { name: 'http', entry: 'src/http.ts' },
    routes: [
      { method: 'GET', path: '/refer', auth: { kind: 'public' } },
      { method: 'POST', path: '/refer/{step}', auth: { kind: 'public' } },
      { method: 'GET', path: '/api/front-door/referrals', auth: { kind: 'worker', roles: ['front-door'] } },
      { method: 'GET', path: '/v1/referrals/{id}', auth: { kind: 'partner', scopes: ['referrals/read'] } },
    ],
  },
  assets: [
    { urlPath: '/assets/frontend', directory: 'node_modules/govuk-frontend/dist/govuk' },
    { urlPath: '/assets', directory: 'node_modules/govuk-frontend/dist/govuk/assets' },
  ],
  subscriptions: [],
  schedules: [],
} as unknown as ServiceManifest;

const links = (html: string) => [...html.matchAll(/<a [^>]*href="([^"]+)"/g)].map((match) => match[1]);

describe('the local home page', () => {
  const html = renderLandingPage([referrals]);

  it('is styled by the govuk-frontend stylesheet the referrals service serves', () => {
    expect(html).toContain('<link rel="stylesheet" href="/assets/frontend/govuk-frontend.min.css">');
    expect(html).toMatch(/<html lang="en-GB" class="govuk-template/);
    expect(html).toContain('class="govuk-template__body"');
    expect(html).toContain('class="govuk-footer"');
  });

  it('links to the worker home, the referral form, sign-in, mail, queues, dead letters and the OpenAPI document', () => {
    expect(links(html)).toEqual(
      expect.arrayContaining(['/', '/refer', '/signin', '/mail', '/_local/queues', '/_local/dlq', '/v1/openapi.json']),
    );
  });

  it('names itself, linking to itself at /local: the worker home owns /', () => {
    expect(LANDING_PAGE_PATH).toBe('/local');
    expect(html).toMatch(/<a href="\/local" class="govuk-service-navigation__link">Family Safeguarding Platform on this computer<\/a>/);
  });

  it('has a skip link to its main landmark, one h1, and header, navigation and footer landmarks', () => {
    expect(html).toContain('<a href="#main-content" class="govuk-skip-link">');
    expect(html).toContain('<main class="govuk-main-wrapper" id="main-content">');
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toMatch(/<header[ >]/);
    expect(html).toContain('<nav aria-label="Menu"');
    expect(html).toMatch(/<footer[ >]/);
  });

  it('lists each service with its routes, who may call them, and links only the routes a browser can follow', () => {
    expect(html).toContain('<h3 class="govuk-heading-m" id="service-referrals">referrals</h3>');
    expect(html).toContain('<a class="govuk-link" href="/api/front-door/referrals">/api/front-door/referrals</a>');
    expect(html).toContain('workers: front door');
    expect(html).toContain('partner systems (referrals/read)');
    expect(html).toContain('<code>/refer/{step}</code>');
    expect(html).toContain('<code>/v1/referrals/{id}</code>');
  });

  it('escapes what it shows', () => {
    const odd = { ...referrals, name: '<b>odd</b>', assets: [] } as unknown as ServiceManifest;
    expect(renderLandingPage([odd])).not.toContain('<b>odd</b>');
  });

  it('runs no script, and its policy forbids any', () => {
    expect(html).not.toMatch(/<script/i);
    expect(LANDING_PAGE_CSP).toContain("default-src 'none'");
    expect(LANDING_PAGE_CSP).not.toMatch(/script-src|unsafe-inline/);
  });

  it('leaves out the stylesheet when no service serves it, and says when no service runs', () => {
    const bare = renderLandingPage([]);
    expect(bare).not.toContain('govuk-frontend.min.css');
    expect(bare).toContain('No services are running.');
  });
});
