import { Forbidden, HttpError } from '@fsp/shared/http/errors';
import { errorPageFor } from '@fsp/shared/http/page-session';
import { ROLES, type Role } from '@fsp/shared/people';
import { CASE_SUMMARY_EXAMPLE, EXAMPLE_PAGES, REFERRAL_STEP_EXAMPLE } from '@fsp/shared/web/examples';
import { inlineScriptsOf, scriptHashOf } from '@fsp/shared/web/generate-templates';
import { createPageRenderer, type PublicLayout, type WorkerLayout } from '@fsp/shared/web/page';
import { PRECOMPILED_TEMPLATES } from '@fsp/shared/web/precompiled-templates';

const pages = createPageRenderer(PRECOMPILED_TEMPLATES, { stage: 'local' });

const worker = (roles: Role[], extra: Partial<WorkerLayout> = {}): WorkerLayout => ({
  title: 'Home',
  worker: { name: 'Priya Shah', roles },
  ...extra,
});

const PUBLIC: PublicLayout = { title: 'Who are you?', service: { name: 'Refer a child to children’s services', href: '/refer' } };

/** Text as a screen reader reads it: tags gone, what is aria-hidden gone, whitespace collapsed. */
const spoken = (html: string) =>
  html
    .replace(/<(\w+)[^>]*aria-hidden="true"[^>]*>[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();

interface Item {
  href: string;
  text: string;
  ariaCurrent: string | undefined;
}

/** The service navigation's items, as a browser's accessibility tree would give them. */
function navigationOf(html: string): Item[] {
  const list = /<ul class="govuk-service-navigation__list"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1];
  if (list === undefined) return [];
  return [...list.matchAll(/<a class="govuk-service-navigation__link" href="([^"]*)"([^>]*)>([\s\S]*?)<\/a>/g)].map(
    ([, href, attributes, inner]) => ({ href: href!, text: spoken(inner!), ariaCurrent: /aria-current="(\w+)"/.exec(attributes!)?.[1] }),
  );
}

/** The header's sign-out form: where it posts, its hidden token and its button. */
function signOutFormOf(html: string): { action: string; method: string; csrfToken: string; button: string } | undefined {
  const form = /<form method="(\w+)" action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) return undefined;
  const [, method, action, inner] = form;
  return {
    action: action!,
    method: method!,
    csrfToken: /<input type="hidden" name="csrfToken" value="([^"]*)">/.exec(inner!)?.[1] ?? '',
    button: spoken(/<button[^>]*type="submit"[^>]*>([\s\S]*?)<\/button>/.exec(inner!)?.[1] ?? ''),
  };
}

const identityBarOf = (html: string) => spoken(/<div class="moj-identity-bar__details">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '');

describe('the worker layout', () => {
  it.each<[string, Role[], string[]]>([
    ['the front door', ['front-door'], ['Front door', 'Inbox']],
    ['a social worker', ['social-worker'], ['Cases', 'Supervision', 'Inbox']],
    ['an adult specialist', ['adult-specialist'], ['Cases', 'Supervision', 'Inbox']],
    ['a team manager', ['team-manager'], ['Cases', 'Supervision', 'Inbox']],
    ['a service manager', ['service-manager'], ['Cases', 'Supervision', 'Inbox']],
    ['an administrator', ['administrator'], ['Inbox', 'Admin']],
    ['a front-door worker who also administers', ['administrator', 'front-door'], ['Front door', 'Inbox', 'Admin']],
    ['an account with no platform role', [], ['Inbox']],
  ])('shows %s only the areas their roles may use', (_who, roles, expected) => {
    const items = navigationOf(pages.renderPage('fsp/layout.njk', worker(roles)));
    expect(items.map((item) => item.text)).toEqual(expected);
    expect(items.map((item) => item.href)).toEqual(
      expected.map(
        (text) =>
          ({
            'Front door': '/front-door',
            Cases: '/cases',
            Supervision: '/supervision',
            Inbox: '/inbox',
            Admin: '/admin',
          })[text],
      ),
    );
  });

  it('names the service, linking to the worker’s home, and titles the page after it', () => {
    const html = pages.renderPage('fsp/layout.njk', worker(['social-worker'], { title: 'Cases' }));
    expect(html).toMatch(/<a href="\/" class="govuk-service-navigation__link">\s*Family Safeguarding Platform\s*<\/a>/);
    expect(html).toContain('<title>Cases – Family Safeguarding Platform</title>');
    expect(pages.renderPage('fsp/layout.njk', worker(['social-worker'], { title: 'Add a visit', hasErrors: true }))).toContain(
      '<title>Error: Add a visit – Family Safeguarding Platform</title>',
    );
  });

  it('says who is signed in, with their roles in words', () => {
    expect(identityBarOf(pages.renderPage('fsp/layout.njk', worker(['team-manager'])))).toBe('Signed in as Priya Shah Team manager');
    expect(identityBarOf(pages.renderPage('fsp/layout.njk', worker(['front-door', 'administrator'])))).toBe(
      'Signed in as Priya Shah Front door and administrator',
    );
  });

  it('escapes the worker’s name: a name is text, never markup', () => {
    const name = `<script>alert("x")</script> O'Brien & <b>Sons</b>`;
    const html = pages.renderPage('fsp/layout.njk', { title: 'Home', worker: { name, roles: ['social-worker'] } });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>Sons</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; &lt;b&gt;Sons&lt;/b&gt;');
    expect(identityBarOf(html)).toBe(
      `Signed in as &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; &lt;b&gt;Sons&lt;/b&gt; Social worker`,
    );
  });

  it('counts unread inbox items on the Inbox item with an MoJ notification badge, and shows none at 0', () => {
    const inboxOf = (unreadCount: number) =>
      navigationOf(pages.renderPage('fsp/layout.njk', worker(['social-worker'], { unreadCount }))).find((item) => item.href === '/inbox');
    expect(inboxOf(3)?.text).toBe('Inbox (3 unread)');
    expect(inboxOf(0)?.text).toBe('Inbox');
    expect(inboxOf(150)?.text).toBe('Inbox (99 or more unread)');
    const html = pages.renderPage('fsp/layout.njk', worker(['social-worker'], { unreadCount: 150 }));
    expect(html).toMatch(/<span class="moj-notification-badge">\s*<span aria-hidden="true">99\+<\/span>/);
    expect(pages.renderPage('fsp/layout.njk', worker(['social-worker'], { unreadCount: 0 }))).not.toContain('moj-notification-badge');
  });

  it('marks the area the page belongs to as the current one, and no other', () => {
    const items = navigationOf(pages.renderPage('fsp/layout.njk', worker(['team-manager'], { area: 'supervision' })));
    expect(items.filter((item) => item.ariaCurrent !== undefined)).toEqual([
      { href: '/supervision', text: 'Supervision', ariaCurrent: 'true' },
    ]);
  });

  it('signs out with a form that posts the session’s CSRF token to /signout, beside who is signed in: never a link', () => {
    const html = pages.renderPage(
      'fsp/layout.njk',
      worker(['team-manager'], { worker: { name: 'Priya Shah', roles: ['team-manager'], csrfToken: 'token-1' } }),
    );
    const form = signOutFormOf(html);
    expect(form).toEqual({ action: '/signout', method: 'post', csrfToken: 'token-1', button: 'Sign out' });
    expect(html).toMatch(/<form method="post" action="\/signout"[^>]*>[\s\S]*class="moj-identity-bar"[\s\S]*<\/form>/);
    expect(navigationOf(html).map((item) => item.text)).not.toContain('Sign out');
    const elsewhere = createPageRenderer(PRECOMPILED_TEMPLATES, { stage: 'local', signOutAction: '/elsewhere/signout' });
    expect(
      signOutFormOf(elsewhere.renderPage('fsp/layout.njk', worker(['team-manager'], { worker: { name: 'P', roles: [], csrfToken: 't' } })))
        ?.action,
    ).toBe('/elsewhere/signout');
  });

  it('escapes the CSRF token into its hidden field', () => {
    const html = pages.renderPage('fsp/layout.njk', worker([], { worker: { name: 'P', roles: [], csrfToken: '"><script>x</script>' } }));
    expect(html).not.toContain('<script>x</script>');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
  });

  it('offers no "Sign out" without a session’s CSRF token (a bearer-token page, a preview)', () => {
    const html = pages.renderPage('fsp/layout.njk', worker(['team-manager']));
    expect(signOutFormOf(html)).toBeUndefined();
    expect(identityBarOf(html)).toBe('Signed in as Priya Shah Team manager');
  });

  it.each([
    ['local', 'Local', 'Running on this computer, with demo people and a demo partner agency.'],
    ['dev', 'Test', 'A test copy of the platform (dev): never enter a real family’s details.'],
    ['staging', 'Test', 'A test copy of the platform (staging): never enter a real family’s details.'],
    ['prod', 'Beta', 'This is a new service. Tell your team manager what works and what does not.'],
  ] as const)('shows the %s stage’s phase banner', (stage, tag, text) => {
    const html = createPageRenderer(PRECOMPILED_TEMPLATES, { stage }).renderPage('fsp/layout.njk', worker(['team-manager']));
    expect(spoken(/<div class="govuk-phase-banner[^"]*">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '')).toBe(`${tag} ${text}`);
  });

  it('has a skip link to the main content, and the main content where it points', () => {
    const html = pages.renderPage('fsp/layout.njk', worker(['team-manager']));
    expect(html).toContain('<a href="#main-content" class="govuk-skip-link"');
    expect(html).toMatch(/<main class="govuk-main-wrapper" id="main-content"/);
    expect(html).toContain('<html lang="en-GB" class="govuk-template">');
    expect(html).toContain('<footer class="govuk-template__footer">');
  });
});

describe('the layout for a worker who is not signed in', () => {
  it('names the service, linking home, with no navigation, no one signed in and no "Sign out"', () => {
    const html = pages.renderPage('fsp/layout.njk', { title: 'You have signed out' });
    expect(html).toMatch(/<a href="\/" class="govuk-service-navigation__link">\s*Family Safeguarding Platform\s*<\/a>/);
    expect(html).toContain('<title>You have signed out – Family Safeguarding Platform</title>');
    expect(navigationOf(html)).toEqual([]);
    expect(html).not.toContain('moj-identity-bar');
    expect(signOutFormOf(html)).toBeUndefined();
    expect(html).not.toContain('govuk-exit-this-page');
  });
});

describe('the error pages', () => {
  const claims = {
    kind: 'worker' as const,
    userId: 'u-1',
    username: 'priya',
    name: 'Priya Shah',
    roles: ['front-door' as const],
    teamId: 'front-door',
    csrfToken: 'token-1',
  };
  it.each([
    [404, 'Page not found', ['If you typed the web address, check it is correct.', 'go to your home page']],
    [405, 'Page not found', ['If you pasted the web address, check you copied the entire address.']],
    [
      400,
      'There is a problem with the page address',
      ['Check the web address is correct, or go back to the page you were on and try again.'],
    ],
    [500, 'Sorry, there is a problem with the service', ['Try again later.']],
    [503, 'Sorry, there is a problem with the service', ['Try again later.']],
  ])('show a %s as GOV.UK’s “%s” page, in the worker’s layout when they are signed in', (status, heading, lines) => {
    const page = errorPageFor(status === 500 ? undefined : new HttpError(status, 'x', { detail: 'not for people' }));
    expect(page.status).toBe(status);
    const signedIn = pages.renderErrorPage(page, claims);
    expect(signedIn).toContain(`<title>${heading} – Family Safeguarding Platform</title>`);
    expect(spoken(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(signedIn)?.[1] ?? '')).toBe(heading);
    for (const line of lines) expect(spoken(signedIn)).toContain(line);
    expect(spoken(signedIn)).not.toContain('not for people');
    expect(identityBarOf(signedIn)).toBe('Signed in as Priya Shah Front door');
    expect(signOutFormOf(signedIn)?.csrfToken).toBe('token-1');
    const signedOut = pages.renderErrorPage(page, undefined);
    expect(spoken(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(signedOut)?.[1] ?? '')).toBe(heading);
    expect(signedOut).not.toContain('moj-identity-bar');
  });

  it('say why a 403 was refused, in the words the check wrote for people', () => {
    const html = pages.renderErrorPage(
      errorPageFor(new Forbidden('This is for team managers; your account does not have that role.')),
      claims,
    );
    expect(spoken(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '')).toBe('You do not have permission to see this page');
    expect(spoken(html)).toContain('This is for team managers; your account does not have that role.');
  });
});

describe('the public layout', () => {
  it('has "Exit this page" and no worker navigation, names the public service, and says what to do in an emergency', () => {
    const html = pages.renderPage(REFERRAL_STEP_EXAMPLE.template, REFERRAL_STEP_EXAMPLE.layout, REFERRAL_STEP_EXAMPLE.data);
    expect(html).toMatch(
      /<div class="govuk-exit-this-page" data-module="govuk-exit-this-page"\s*>\s*<a href="https:\/\/www\.bbc\.co\.uk\/weather" role="button"[^>]*>\s*<span class="govuk-visually-hidden">Emergency<\/span> Exit this page/,
    );
    expect(navigationOf(html)).toEqual([]);
    expect(html).not.toContain('moj-identity-bar');
    expect(html).toMatch(/<a href="\/refer" class="govuk-service-navigation__link">\s*Refer a child to children’s services\s*<\/a>/);
    expect(html).toContain('<title>Which of these best describes you? – Refer a child to children’s services</title>');
    expect(html).toContain('If a child is in immediate danger, call 999.');
    expect(html).toMatch(/<a href="\/refer" class="govuk-back-link">Back<\/a>/);
  });

  it('puts "Exit this page" on every public page, whatever the page', () => {
    expect(pages.renderPage('fsp/public-layout.njk', PUBLIC)).toContain('data-module="govuk-exit-this-page"');
  });
});

describe('the footer', () => {
  const footerOf = (html: string) => /<footer class="govuk-template__footer">([\s\S]*?)<\/footer>/.exec(html)?.[1] ?? '';

  it.each([
    ['a worker’s page', pages.renderPage('fsp/layout.njk', worker(['team-manager'])), ''],
    [
      'a public page',
      pages.renderPage(REFERRAL_STEP_EXAMPLE.template, REFERRAL_STEP_EXAMPLE.layout, REFERRAL_STEP_EXAMPLE.data),
      'Support links If a child is in immediate danger, call 999.',
    ],
  ])(
    'on %s is govuk-frontend’s, without the crown, Crown copyright or the Open Government Licence: a council’s service is not GOV.UK',
    (_, html, text) => {
      const footer = footerOf(html);
      expect(footer).toContain('<div class="govuk-footer">');
      expect(footer).not.toContain('<svg');
      expect(footer).not.toContain('govuk-footer__crown');
      expect(footer).not.toContain('copyright');
      expect(footer).not.toContain('nationalarchives.gov.uk');
      expect(footer).not.toContain('Open Government Licence');
      expect(spoken(footer)).toBe(text);
    },
  );
});

describe('the pages’ Content-Security-Policy', () => {
  it('allows no inline script but the layouts’ own, each by its hash, and forbids framing', () => {
    const csp = pages.headers['content-security-policy'];
    expect(csp).toBe(pages.contentSecurityPolicy);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    const rendered = [
      ...EXAMPLE_PAGES.map((page) => pages.renderPage(page.template, page.layout, page.data)),
      ...ROLES.map((role) => pages.renderPage('fsp/layout.njk', worker([role]))),
      pages.renderPage('fsp/public-layout.njk', PUBLIC),
    ];
    const hashes = new Set<string>();
    for (const html of rendered) {
      const scripts = inlineScriptsOf(html);
      // govuk-frontend's `js-enabled` marker and the layout's start of the components.
      expect(scripts).toHaveLength(2);
      for (const script of scripts) {
        expect(csp).toContain(`'${scriptHashOf(script)}'`);
        hashes.add(scriptHashOf(script));
      }
    }
    // And nothing more: a hash left from an older layout would allow a script no page has.
    expect(PRECOMPILED_TEMPLATES.inlineScriptHashes).toEqual([...hashes].sort());
  });

  it('never lets the page be cached or sniffed', () => {
    expect(pages.headers).toMatchObject({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-type': 'text/html; charset=utf-8',
    });
  });
});

describe('pages', () => {
  it('render the page’s data escaped, the packages’ macros doing the markup', () => {
    const data = { family: { ...(CASE_SUMMARY_EXAMPLE.data.family as object), name: 'Jones <img src=x onerror=alert(1)> family' } };
    const html = pages.renderPage(CASE_SUMMARY_EXAMPLE.template, CASE_SUMMARY_EXAMPLE.layout, data);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('Jones &lt;img src=x onerror=alert(1)&gt; family');
    expect(html).toContain('<div class="moj-timeline">');
    expect(html).toContain('data-module="moj-sortable-table"');
    expect(html).toContain('data-module="moj-date-picker"');
    expect(html).toContain('class="moj-ticket-panel"');
    expect(html).toContain('aria-label="Case sections"');
  });

  it('write timeline dates in words, in London time (2:30pm GMT in November; 10am BST in October)', () => {
    const html = pages.renderPage(CASE_SUMMARY_EXAMPLE.template, CASE_SUMMARY_EXAMPLE.layout, CASE_SUMMARY_EXAMPLE.data);
    expect(html).toContain('<time datetime="2026-11-10T14:30:00Z">Tuesday 10 November 2026 at 2:30pm</time>');
    expect(html).toContain('<time datetime="2026-10-15T09:00:00Z">Thursday 15 October 2026 at 10am</time>');
  });

  it('refuses page data named like the layout’s context, and a template that is not in the set', () => {
    expect(() => pages.renderPage('fsp/layout.njk', worker(['team-manager']), { fsp: {} })).toThrow(/may not be called fsp/);
    expect(() => pages.renderPage('cases/missing.njk', worker(['team-manager']))).toThrow(/template not found: cases\/missing\.njk/);
  });
});
