/**
 * Issue 11's "Done when", for every demo worker: on the local cloud with the demo data loaded as
 * `npm start -- --seed` loads it, in headless Chromium with JavaScript off, each worker opens the
 * platform, signs in by the sign-in page's labels with the password that page lists, lands on their
 * home, follows the primary navigation to every area their role may use and, in each, a link to
 * what the seed put there (a referral and the case of a known family, a case, a case's
 * supervision, an inbox item, a partner agency, the failed webhook deliveries); the areas their
 * role may not use are not in the navigation, and typing their address answers the GOV.UK
 * "forbidden" page; then they sign out with the header's button. Every page on the way is axe clean
 * at 1280 and 320 px and does not scroll sideways there (checkPage: once per route and role, see
 * checkOnce). Sign-in, the first step of the
 * navigation and sign-out are done by tabbing to the control; the rest by the keyboard too.
 *
 * Then the front door decides one of the seeded new referrals for the south team, and the south
 * team's manager finds its case by the Cases link (the README's walkthrough, readme-browser.test.ts,
 * does the same for the north team with a referral of its own).
 */
import { ERROR_PAGE_HEADINGS } from '@fsp/shared/http/page-session';
import type { HttpRoute } from '@fsp/shared/manifest';
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import type { Role } from '@fsp/shared/people';
import { checkPage, describeWithBrowser, type FocusedElement, tabTo } from '@fsp/shared/testing/browser';
import { AREA_DEFINITIONS, AREAS, type Area, mayUse } from '@fsp/shared/web/navigation';
import type { Locator, Page, Response } from 'playwright-core';
import { DEMO_WORKERS, type LocalCloud } from '../../src/local-cloud';
import type { DemoWorker } from '../../src/oidc';
import type { SeedResult } from '../../src/seed';
import { SEED_AGENCIES, SEED_WORKERS } from '../../src/seed/data';
import { eventually, verboseLog } from './local-cloud/support';
import { startSeededCloud } from './seeded-cloud';

/** Every demo worker `npm start -- --seed` offers: the local cloud's, then the seed's south team. */
const USERNAMES = [...DEMO_WORKERS, ...SEED_WORKERS].map((worker) => worker.username);

const ERROR_HEADINGS = new Set(Object.values(ERROR_PAGE_HEADINGS));

let cloud: LocalCloud;
let seed: SeedResult;
let areaRoutes: Map<Area, HttpRoute>;
let pageRoutes: HttpRoute[];

beforeAll(async () => {
  ({ cloud, seed } = await startSeededCloud({ tablePrefix: 'journeys' }));
  // Each area's first page, as the manifests declare it: who its route admits, whatever the navigation shows.
  const routes = (await loadServiceManifests()).flatMap((manifest) => manifest.http?.routes ?? []);
  pageRoutes = routes.filter((route) => route.method === 'GET' && route.auth.kind === 'page');
  areaRoutes = new Map(
    AREAS.map((area) => {
      const route = routes.find((candidate) => candidate.method === 'GET' && candidate.path === AREA_DEFINITIONS[area].href);
      if (route?.auth.kind !== 'page') throw new Error(`no page route serves the ${area} area at ${AREA_DEFINITIONS[area].href}`);
      return [area, route];
    }),
  );
}, 300_000);
afterAll(() => cloud?.stop());

const workerNamed = (username: string): DemoWorker => {
  const worker = cloud.demoWorkers.find((candidate) => candidate.username === username);
  if (!worker) throw new Error(`the local cloud has no demo worker ${username}`);
  return worker;
};

/** The page route that serves `path` (its `{parameters}` match any one segment), if a service's page route does. */
const pageRouteServing = (path: string): HttpRoute | undefined =>
  pageRoutes.find((candidate) =>
    new RegExp(
      `^${candidate.path
        .split(/\{[^}]+\}/)
        .map(escapeRegExp)
        .join('[^/]+')}$`,
    ).test(path),
  );

/** The page route that serves `path`. */
const pageRouteOf = (path: string): HttpRoute => {
  const route = pageRouteServing(path);
  if (!route) throw new Error(`no page route serves ${path}`);
  return route;
};

/** The route serving `path` refuses every role the worker has. */
const refusesPath = (path: string, roles: readonly Role[]): boolean => {
  const { auth } = pageRouteOf(path);
  return auth.kind === 'page' && !auth.roles.some((role) => roles.includes(role));
};

/** The area's route refuses every role the worker has. */
const refused = (area: Area, roles: readonly Role[]): boolean => {
  const { auth } = areaRoutes.get(area)!;
  return auth.kind === 'page' && !auth.roles.some((role) => roles.includes(role));
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The header's primary navigation (GOV.UK service navigation). */
const primaryNavigation = (page: Page): Locator => page.getByRole('navigation', { name: 'Menu' });

/** An area's link in the primary navigation, by the words it shows (the inbox's unread badge after them). */
const areaLink = (page: Page, area: Area): Locator =>
  primaryNavigation(page).getByRole('link', { name: new RegExp(`^${escapeRegExp(AREA_DEFINITIONS[area].text)}\\b`) });

/** The areas the primary navigation offers, by their words. */
async function areasInNavigation(page: Page): Promise<Area[]> {
  const texts = (await primaryNavigation(page).getByRole('link').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
  return texts.map((text) => {
    const area = AREAS.find(
      (candidate) => text === AREA_DEFINITIONS[candidate].text || text.startsWith(`${AREA_DEFINITIONS[candidate].text} `),
    );
    if (!area) throw new Error(`the navigation has a link "${text}" to no area`);
    return area;
  });
}

const heading = async (page: Page): Promise<string> =>
  ((await page.locator('main h1').first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** The page, found by the keyboard as a keyboard user finds it: focus on the control, then Enter. */
async function press(control: Locator): Promise<void> {
  await control.focus();
  await control.page().keyboard.press('Enter');
}

/**
 * Follows `control` (a link or button, worked with `go`, by default the keyboard's Enter on it) to a
 * page at `path` (a path, or a test of one), which must answer 200 and not be an error page;
 * checks it as every page is checked.
 */
async function follow(
  page: Page,
  control: Locator,
  path: string | ((pathname: string) => boolean),
  name: string,
  go: () => Promise<void> = () => press(control),
): Promise<Response> {
  const lands = typeof path === 'string' ? (pathname: string) => pathname === path : path;
  const started = Date.now();
  const answered = page.waitForResponse(
    (response) =>
      response.request().isNavigationRequest() && response.frame() === page.mainFrame() && lands(new URL(response.url()).pathname),
  );
  await go();
  const response = await answered;
  await page.waitForURL((url) => lands(url.pathname));
  expect({ page: name, url: page.url(), status: response.status() }).toEqual({ page: name, url: page.url(), status: 200 });
  const h1 = await heading(page);
  expect({ page: name, error: ERROR_HEADINGS.has(h1) ? h1 : undefined }).toEqual({ page: name, error: undefined });
  const loaded = Date.now();
  await checkOnce(page, name);
  verboseLog(`${name}: loaded in ${loaded - started} ms, checked in ${Date.now() - loaded} ms`);
  return response;
}

/**
 * A page is checked once per route and set of roles: what a route shows differs by role (a team
 * manager's case page offers allocation), not by which worker of that role reads it, so the south
 * team's manager and social worker meet the north team's pages again with other records in them. A
 * page whose HTML is exactly that of one already checked (the queue again after a referral, the
 * signed-out page, a refusal by the same function) would pass or fail as that one did. The local
 * identity provider's sign-in page differs only in its form's state and nonce: checked once.
 */
const checked = new Set<string>();

/** The roles of the worker whose journey is under way; undefined between journeys. */
let journeyRoles: readonly Role[] | undefined;

/** checkPage, unless this route was checked for the journey's roles, or this very page was. */
async function checkOnce(page: Page, name: string): Promise<void> {
  const { pathname } = new URL(page.url());
  const html = await page.content();
  const route = pathname === '/login' ? undefined : pageRouteServing(pathname);
  const byRoute = route && journeyRoles ? `${route.path} as ${[...journeyRoles].sort().join('+')}` : undefined;
  const keys = [pathname === '/login' ? '/login' : html, ...(byRoute ? [byRoute] : [])];
  if (keys.some((key) => checked.has(key))) return;
  await checkPage(page, name);
  for (const key of keys) checked.add(key);
}

/** Tabs to the field labelled `label` (as a keyboard user moves through the form) and types `text`. */
async function typeInto(page: Page, label: string, text: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  const name = await field.getAttribute('name');
  await tabTo(page, `the ${label} field`, (element) => element.tag === 'input' && element.name === name);
  await page.keyboard.type(text);
}

const isButton = (text: string) => (element: FocusedElement) => element.tag === 'button' && element.text === text;

/**
 * The local identity provider's sign-in page lists the demo accounts with their passwords, as the
 * ready screen does: a person reads the password from the row with their username.
 */
async function passwordShownFor(page: Page, username: string): Promise<string> {
  const accounts = page.getByRole('table', { name: 'Demo worker accounts' });
  const column = (await accounts.getByRole('columnheader').allInnerTexts()).map((text) => text.trim()).indexOf('Password');
  expect(column).toBeGreaterThanOrEqual(0);
  const row = accounts.getByRole('row').filter({ has: page.getByRole('cell', { name: username, exact: true }) });
  return ((await row.getByRole('cell').nth(column).textContent()) ?? '').trim();
}

/** What the seed left for a worker's team. */
function seededFor(worker: DemoWorker) {
  const state = seed.state;
  if (!state) throw new Error(`the seed read nothing back (${seed.outcome})`);
  const unread = { 'front-door': state.unread.frontDoor, north: state.unread.north, south: state.unread.south }[worker.teamId] ?? 0;
  const teamCases = state.cases.filter((found) => found.teamId === worker.teamId);
  return {
    caseIds: teamCases.map((found) => found.caseId),
    // A case's first group supervision is scheduled when its social worker is allocated: only those are on the agenda.
    supervisedCaseIds: teamCases.filter((found) => found.supervisionsScheduled > 0).map((found) => found.caseId),
    unread,
  };
}

/** The hrefs of `main`'s links that start with `prefix`, in order, without repeats. */
async function linksUnder(page: Page, prefix: string): Promise<string[]> {
  const hrefs: string[] = [];
  for (const link of await page.locator(`main a[href^="${prefix}"]`).all()) hrefs.push((await link.getAttribute('href')) ?? '');
  return [...new Set(hrefs)];
}

/** The link in `main` to `href`, by the words it shows, as a person picks it out. */
async function linkTo(page: Page, href: string): Promise<Locator> {
  const text = ((await page.locator(`main a[href="${href}"]`).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  expect(text).not.toBe('');
  return page.locator('main').getByRole('link', { name: text, exact: true }).first();
}

/** Within each area, the pages the seed gives something to follow to. */
const AREA_JOURNEYS: Record<Area, (page: Page, worker: DemoWorker, name: (page: string) => string) => Promise<void>> = {
  // The queue flags referrals about known families; one of them is about children with an open case, which the front door may read.
  'front-door': async (page, _worker, name) => {
    const known = page
      .locator('main')
      .getByRole('row')
      .filter({ hasText: /Known family/ });
    const references = (await known.getByRole('link').allInnerTexts()).map((text) => text.trim());
    expect(references.length).toBeGreaterThan(0);
    let caseFollowed = false;
    for (const [index, reference] of references.entries()) {
      await follow(
        page,
        page.locator('main').getByRole('link', { name: reference, exact: true }),
        (path) => path.startsWith('/front-door/referrals/'),
        name(`referral-${index + 1}`),
      );
      const [caseHref] = await linksUnder(page, '/cases/');
      if (caseHref) {
        // The link names the referral the front door follows to the case (ADR 0014 §6): the page is the case's.
        await follow(page, await linkTo(page, caseHref), caseHref.split('?')[0]!, name('known-family-case'));
        caseFollowed = true;
        break;
      }
      await follow(page, areaLink(page, 'front-door'), '/front-door', name('queue-again'));
    }
    expect({ 'a known family’s referral links to its open case': caseFollowed }).toEqual({
      'a known family’s referral links to its open case': true,
    });
  },
  cases: async (page, worker, name) => {
    // The team's cases: links to case pages, not the area's other pages (the caseload, the manager's essentials list, a case's allocation form).
    const cases = (await linksUnder(page, '/cases/')).filter(
      (href) => /^\/cases\/[^/]+$/.test(href) && href !== '/cases/caseload' && href !== '/cases/essentials',
    );
    expect(cases.sort()).toEqual(
      seededFor(worker)
        .caseIds.map((caseId) => `/cases/${caseId}`)
        .sort(),
    );
    const link = await linkTo(page, cases[0]!);
    const reference = ((await link.textContent()) ?? '').trim();
    await follow(page, link, cases[0]!, name('case'));
    expect(await heading(page)).toBe(reference);
  },
  supervision: async (page, worker, name) => {
    // The agenda opens on the cases due this month; its "Show all" link lists those due later too.
    const showAll = page.locator('main').getByRole('link', { name: /^Show all scheduled supervisions/ });
    if ((await showAll.count()) > 0) await follow(page, showAll, '/supervision', name('agenda-all'));
    // Each case's supervision page (not the links to a supervision's record from the same rows).
    const supervisions = (await linksUnder(page, '/supervision/cases/')).filter((href) => /^\/supervision\/cases\/[^/]+$/.test(href));
    expect(supervisions.sort()).toEqual(
      seededFor(worker)
        .supervisedCaseIds.map((caseId) => `/supervision/cases/${caseId}`)
        .sort(),
    );
    await follow(page, await linkTo(page, supervisions[0]!), supervisions[0]!, name('case-supervision'));
  },
  // Each item links to its thing: a referral, a case, a case's supervision.
  inbox: async (page, worker, name) => {
    const items = page.locator('main li').getByRole('link');
    if (seededFor(worker).unread === 0) {
      expect(await items.count()).toBe(0);
      expect(await page.locator('main').textContent()).toContain('Your inbox is empty');
      return;
    }
    const first = items.first();
    const href = (await first.getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/(front-door|cases|supervision)\//);
    await follow(page, await linkTo(page, href), href, name('inbox-item'));
  },
  admin: async (page, _worker, name) => {
    await follow(
      page,
      page.locator('main').getByRole('link', { name: 'Partner agencies', exact: true }),
      '/admin/agencies',
      name('agencies'),
    );
    const onboarded = SEED_AGENCIES.flatMap((agency) => (agency.onboard ? [agency.onboard] : []));
    for (const agency of onboarded) {
      expect(await page.locator('main').getByRole('link', { name: agency.name, exact: true }).count()).toBe(1);
    }
    const agency = onboarded[0]!;
    await follow(
      page,
      page.locator('main').getByRole('link', { name: agency.name, exact: true }),
      `/admin/agencies/${agency.agencyId}`,
      name('agency'),
    );
    await follow(page, areaLink(page, 'admin'), '/admin', name('admin-again'));
    await follow(
      page,
      page.locator('main').getByRole('link', { name: 'Failed webhook deliveries', exact: true }),
      '/admin/webhook-deliveries',
      name('webhook-deliveries'),
    );
  },
};

/** A page of the area the worker's role may not use: the seed's own records, so that a refusal is not a "not found". */
function forbiddenAddresses(area: Area): string[] {
  const caseId = seed.state?.cases[0]?.caseId;
  const referralId = seed.seeded[0]?.referralId;
  const agencyId = SEED_AGENCIES.find((agency) => agency.onboard)?.onboard?.agencyId;
  if (!caseId || !referralId || !agencyId) throw new Error('the seed made no case, referral or agency');
  const details: Record<Area, string[]> = {
    'front-door': [`/front-door/referrals/${referralId}`],
    cases: [`/cases/${caseId}`],
    supervision: [`/supervision/cases/${caseId}`],
    inbox: [],
    admin: [`/admin/agencies/${agencyId}`, '/admin/webhook-deliveries'],
  };
  return [AREA_DEFINITIONS[area].href, ...details[area]];
}

describeWithBrowser('each demo worker’s journey through the seeded platform, with JavaScript off', (browser) => {
  it('offers every demo worker the ready screen lists', () => {
    expect(seed.outcome).toBe('loaded');
    expect(cloud.demoWorkers.map((worker) => worker.username)).toEqual(USERNAMES);
  });

  it.each(USERNAMES)(
    '%s signs in, reaches every page their role allows by links, is refused the others, and signs out',
    async (username) => {
      const worker = workerNamed(username);
      journeyRoles = worker.roles;
      const name = (page: string) => `${username}-${page}`;
      const context = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
      context.setDefaultTimeout(30_000);
      try {
        const page = await context.newPage();

        // Open the platform: sent to sign in, on the local identity provider's page.
        await page.goto(`${cloud.url}/`);
        await page.waitForURL((url) => url.pathname === '/login');
        await checkOnce(page, name('sign-in'));
        const password = await passwordShownFor(page, username);
        await typeInto(page, 'Username', username);
        await typeInto(page, 'Password', password);
        await follow(page, page.getByRole('button', { name: 'Sign in' }), '/', name('home'), async () => {
          await tabTo(page, 'the Sign in button', isButton('Sign in'));
          await page.keyboard.press('Enter');
        });
        expect(await heading(page)).toBe('Your work today');
        expect(((await page.locator('header').textContent()) ?? '').replace(/\s+/g, ' ')).toContain(`Signed in as ${worker.name}`);

        // The navigation offers exactly the areas the worker's roles may use.
        const allowed = AREAS.filter((area) => mayUse(area, worker.roles));
        expect(await areasInNavigation(page)).toEqual(allowed);
        for (const area of allowed) {
          expect({ area, refused: refused(area, worker.roles) }).toEqual({ area, refused: false });
        }

        // Each area by its link in the navigation (the first by tabbing to it), and in it what the seed put there.
        for (const [index, area] of allowed.entries()) {
          const link = areaLink(page, area);
          const text = AREA_DEFINITIONS[area].text;
          await follow(page, link, AREA_DEFINITIONS[area].href, name(area), async () => {
            if (index > 0) return press(link);
            await tabTo(page, `the ${text} link`, (element) => element.tag === 'a' && element.text.startsWith(text));
            await page.keyboard.press('Enter');
          });
          expect({ area, current: await areaLink(page, area).getAttribute('aria-current') }).toEqual({ area, current: expect.any(String) });
          await AREA_JOURNEYS[area](page, worker, (page) => name(`${area}-${page}`));
        }

        // Where the worker's roles may not go, typing the address answers the GOV.UK page saying so: HTML, never JSON.
        // The one page of an area hidden from the navigation that admits a worker all the same is a case for the front
        // door, which follows a referral to its case (the front-door journey above goes there by a link).
        for (const area of AREAS.filter((candidate) => !allowed.includes(candidate) && refused(candidate, worker.roles))) {
          for (const [index, path] of forbiddenAddresses(area)
            .filter((path) => refusesPath(path, worker.roles))
            .entries()) {
            const response = await page.goto(`${cloud.url}${path}`);
            expect({ path, status: response?.status(), type: response?.headers()['content-type'] }).toEqual({
              path,
              status: 403,
              type: expect.stringMatching(/^text\/html/),
            });
            expect(await heading(page)).toBe(ERROR_PAGE_HEADINGS.forbidden);
            expect(await areasInNavigation(page)).toEqual(allowed);
            const loaded = Date.now();
            await checkOnce(page, name(`forbidden-${area}-${index}`));
            verboseLog(`${name(`forbidden-${area}-${index}`)}: checked in ${Date.now() - loaded} ms`);
          }
        }

        // Sign out with the header's button; the platform then asks to sign in again.
        await follow(page, page.getByRole('button', { name: 'Sign out' }), '/signed-out', name('signed-out'), async () => {
          await tabTo(page, 'the Sign out button', isButton('Sign out'));
          await page.keyboard.press('Enter');
        });
        await page.goto(`${cloud.url}/`);
        await page.waitForURL((url) => url.pathname === '/login');
      } finally {
        journeyRoles = undefined;
        await context.close();
      }
    },
    180_000,
  );

  it('the front door decides a seeded new referral for the south team, and the south team’s manager finds the case', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(30_000);
    const signIn = async (page: Page, username: string) => {
      await page.goto(`${cloud.url}/`);
      await page.waitForURL((url) => url.pathname === '/login');
      const password = await passwordShownFor(page, username);
      await typeInto(page, 'Username', username);
      await typeInto(page, 'Password', password);
      await press(page.getByRole('button', { name: 'Sign in' }));
      await page.waitForURL((url) => url.pathname === '/');
    };
    try {
      const page = await context.newPage();
      await signIn(page, 'frontdoor');
      await press(areaLink(page, 'front-door'));
      await page.waitForURL((url) => url.pathname === '/front-door');

      // A referral the seed left new (not yet screened), by its reference in the queue.
      const newRow = page
        .locator('main tbody tr')
        .filter({ has: page.locator('.govuk-tag', { hasText: /^\s*New\s*$/ }) })
        .first();
      const reference = ((await newRow.getByRole('link').first().textContent()) ?? '').trim();
      expect(reference).toMatch(/^FSP-/);
      await press(page.locator('main').getByRole('link', { name: reference, exact: true }));
      await page.waitForURL((url) => url.pathname.startsWith('/front-door/referrals/'));
      const referralPath = new URL(page.url()).pathname;

      await press(page.getByRole('button', { name: 'Start screening' }));
      await page.waitForURL((url) => url.pathname === `${referralPath}/screening`);
      await press(page.getByRole('button', { name: 'Start screening' }));
      await page.waitForURL((url) => url.pathname === referralPath);

      await press(page.getByRole('button', { name: 'Record the decision' }));
      await page.waitForURL((url) => url.pathname === `${referralPath}/decision`);
      await page.getByLabel('Child and Family assessment (section 17)').focus();
      await page.keyboard.press('Space');
      await page.getByRole('group', { name: 'Which team will do the assessment?' }).getByLabel('South team').focus();
      await page.keyboard.press('Space');
      await page.getByLabel('Reason for the decision').focus();
      await page.keyboard.type('Neglect concerns from the school and the health visitor: assess with the south team.');
      await press(page.getByRole('button', { name: 'Record the decision' }));
      await page.waitForURL((url) => url.pathname === referralPath);
      expect(((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ')).toContain('Decision recorded');
      await press(page.getByRole('button', { name: 'Sign out' }));
      await page.waitForURL((url) => url.pathname === '/signed-out');

      // The case opens through the event flow (outbox, bus, queues): the manager's Cases page is read again until it lists it.
      await signIn(page, 'southmanager');
      await press(areaLink(page, 'cases'));
      await page.waitForURL((url) => url.pathname === '/cases');
      const caseLink = await eventually(async () => {
        await page.reload();
        const link = page.locator('main').getByRole('link', { name: reference, exact: true });
        return (await link.count()) === 1 ? link : undefined;
      }, `the south team's cases listing ${reference}`);
      await press(caseLink);
      await page.waitForURL((url) => url.pathname.startsWith('/cases/'));
      expect(await heading(page)).toBe(reference);
      await checkOnce(page, 'southmanager-decided-case');
    } finally {
      await context.close();
    }
  }, 120_000);
});
