/**
 * The layouts and the example pages in headless Chromium, served as the gateway serves pages: the
 * page with its headers (the strict CSP included), govuk-frontend's and MoJ Frontend's files at
 * the asset mounts ADR 0011 asks the manifests for. axe finds nothing at 1280 and 320 CSS pixels,
 * nothing scrolls sideways at 320, the CSP refuses nothing, and the pages work with JavaScript off.
 *
 * FSP_WEB_SCREENSHOTS=<folder> also writes a full-page screenshot of each page at each width.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, normalize, sep } from 'node:path';
import { errorPageFor, publicErrorPages } from '@fsp/shared/http/error-pages';
import { describeWithBrowser, expectNoAxeViolations } from '@fsp/shared/testing/browser';
import { CASE_SUMMARY_EXAMPLE, type ExamplePage, REFERRAL_STEP_EXAMPLE } from '@fsp/shared/web/examples';
import { ASSET_PATHS, createPageRenderer } from '@fsp/shared/web/page';
import { PRECOMPILED_TEMPLATES } from '@fsp/shared/web/precompiled-templates';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const packageDirectory = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** The mounts a service's manifest declares (`assets`), longest prefix first, as the gateway and the edge match them. */
const MOUNTS = [
  { urlPath: ASSET_PATHS.frontend, directory: join(packageDirectory('govuk-frontend'), 'dist/govuk') },
  { urlPath: ASSET_PATHS.moj, directory: join(packageDirectory('@ministryofjustice/frontend'), 'moj') },
  { urlPath: ASSET_PATHS.assets, directory: join(packageDirectory('govuk-frontend'), 'dist/govuk/assets') },
].sort((a, b) => b.urlPath.length - a.urlPath.length);

const CONTENT_TYPES: Record<string, string> = {
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
};

const renderer = createPageRenderer(PRECOMPILED_TEMPLATES, { stage: 'local' });
const PAGES: Readonly<Record<string, ExamplePage>> = { '/case-summary': CASE_SUMMARY_EXAMPLE, '/referral-step': REFERRAL_STEP_EXAMPLE };
/** The service's problem page with the longest reference it can show (a correlation id), for the public and for a signed-in worker. */
const LONG_REFERENCE = '0f8e2c1a-7b3d-4e59-9a61-2d4c8b7e5f30';
const ERROR_PAGES: Readonly<Record<string, () => string>> = {
  '/public-error': () =>
    publicErrorPages(renderer, {
      layout: {
        service: { name: 'Refer a child to children’s services', href: '/refer' },
        footerText: 'If a child is in immediate danger, call 999.',
      },
    }).renderErrorPage(errorPageFor(undefined, LONG_REFERENCE), undefined),
  '/worker-error': () =>
    renderer.renderErrorPage(errorPageFor(undefined, LONG_REFERENCE), {
      kind: 'worker',
      userId: 'u-1',
      username: 'priya.shah',
      name: 'Priya Shah',
      roles: ['front-door'],
      teamId: 'front-door',
      csrfToken: 'token-1',
    }),
};

function startServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const page = PAGES[path];
    if (page) {
      res.writeHead(200, renderer.headers);
      res.end(renderer.renderPage(page.template, page.layout, page.data));
      return;
    }
    const errorPage = ERROR_PAGES[path];
    if (errorPage) {
      // Served as 200: here the page is under test, not its status, and every response of 400 or more counts as a failed request.
      res.writeHead(200, renderer.headers);
      res.end(errorPage());
      return;
    }
    const mount = MOUNTS.find((candidate) => path.startsWith(`${candidate.urlPath}/`));
    const file = mount ? normalize(join(mount.directory, path.slice(mount.urlPath.length))) : undefined;
    if (!mount || !file?.startsWith(mount.directory + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface Problems {
  failedRequests: string[];
  cspViolations: string[];
  consoleErrors: string[];
}

/** Opens `path`, collecting what went wrong: requests that failed, what the CSP refused, errors in the console. */
async function open(context: BrowserContext, url: string): Promise<{ page: Page; problems: Problems }> {
  const page = await context.newPage();
  const problems: Problems = { failedRequests: [], cspViolations: [], consoleErrors: [] };
  page.on('response', (response) => {
    if (response.status() >= 400) problems.failedRequests.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => problems.failedRequests.push(`${request.failure()?.errorText} ${request.url()}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  // Page code as strings: this project compiles without the DOM library.
  await page.addInitScript(`globalThis.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => globalThis.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));`);
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}

const cspViolationsOf = (page: Page) => page.evaluate('globalThis.cspViolations') as Promise<string[]>;

/** The page's width beyond the viewport's: anything above 0 scrolls sideways. */
const OVERFLOW = 'document.documentElement.scrollWidth - document.documentElement.clientWidth';

/**
 * `expression`'s value, evaluated in a world of its own: it works with the page's JavaScript off,
 * where `page.evaluate` would wait for ever (the DOM and layout are the page's all the same).
 */
async function isolatedEvaluate(page: Page, expression: string): Promise<unknown> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const { executionContextId } = await cdp.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: 'fsp-checks' });
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
      expression,
      contextId: executionContextId,
      returnByValue: true,
    });
    if (exceptionDetails) throw new Error(`${expression} failed: ${exceptionDetails.text}`);
    return result.value;
  } finally {
    await cdp.detach();
  }
}

const screenshotFolder = process.env.FSP_WEB_SCREENSHOTS;
const screenshot = async (page: Page, name: string) => {
  if (screenshotFolder) await page.screenshot({ path: join(screenshotFolder, `fsp-web-${name}.png`), fullPage: true });
};

describeWithBrowser('pages from the precompiled GOV.UK and MoJ macros, in Chromium', (browser: () => Browser) => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = await startServer();
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ['/case-summary', 1280],
    ['/case-summary', 320],
    ['/referral-step', 1280],
    ['/referral-step', 320],
    ['/public-error', 1280],
    ['/public-error', 320],
    ['/worker-error', 320],
  ])('%s at %i px: no accessibility violations, no sideways scrolling, nothing refused or missing', async (path, width) => {
    const context = await browser().newContext({ viewport: { width, height: 900 } });
    try {
      const { page, problems } = await open(context, `${origin}${path}`);
      await expectNoAxeViolations(page, `${path} at ${width} px`);
      expect(await isolatedEvaluate(page, OVERFLOW)).toBeLessThanOrEqual(0);
      expect(problems.failedRequests).toEqual([]);
      expect(problems.consoleErrors).toEqual([]);
      expect(await cspViolationsOf(page)).toEqual([]);
      await screenshot(page, `${path.slice(1)}-${width}`);
    } finally {
      await context.close();
    }
  });

  it.each([
    // Signing out changes state: a button posting a form, not a link.
    ['/case-summary', ['Family Safeguarding Platform', 'Cases', 'Supervision', 'Inbox (4 unread)', 'button:Sign out']],
    // "Exit this page" is a link styled, and announced, as a button.
    ['/referral-step', ['Refer a child to children’s services', 'button:Emergency Exit this page', 'Back']],
  ])(
    '%s works without JavaScript at 320 px: every link in the header is there to follow, nothing scrolls sideways',
    async (path, links) => {
      const context = await browser().newContext({ viewport: { width: 320, height: 900 }, javaScriptEnabled: false });
      try {
        const { page, problems } = await open(context, `${origin}${path}`);
        for (const link of links) {
          const [role, name] = link.startsWith('button:') ? (['button', link.slice('button:'.length)] as const) : (['link', link] as const);
          expect(`${link}: ${await page.getByRole(role, { name, exact: true }).isVisible()}`).toBe(`${link}: true`);
        }
        // Without JavaScript the menu is not collapsed behind a button.
        expect(await page.getByRole('button', { name: 'Menu' }).count()).toBe(0);
        expect(await isolatedEvaluate(page, OVERFLOW)).toBeLessThanOrEqual(0);
        expect(problems.failedRequests).toEqual([]);
        await screenshot(page, `${path.slice(1)}-320-without-javascript`);
      } finally {
        await context.close();
      }
    },
  );

  it('runs the two inline scripts the CSP allows by hash, and the components start: GOV.UK marks the body, MoJ sorts the table', async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const { page } = await open(context, `${origin}/case-summary`);
      await page.waitForSelector('[data-module="moj-sortable-table"] th button');
      expect(await page.evaluate('document.body.className')).toMatch(/\bjs-enabled\b.*\bgovuk-frontend-supported\b/);
      const headings = () =>
        page.$$eval('[data-module="moj-sortable-table"] tbody tr td:first-child', (cells) => cells.map((cell) => cell.textContent?.trim()));
      expect(await headings()).toEqual(['17 Nov 2026', '3 Nov 2026', '20 Oct 2026']);
      await page.click('th button:has-text("Date")');
      expect(await headings()).toEqual(['20 Oct 2026', '3 Nov 2026', '17 Nov 2026']);
      expect(await cspViolationsOf(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('still starts GOV.UK’s components when MoJ Frontend’s files are missing (no manifest serves /assets/moj yet)', async () => {
    const context = await browser().newContext({ viewport: { width: 320, height: 900 } });
    try {
      await context.route(`${origin}${ASSET_PATHS.moj}/**`, (route) => route.fulfill({ status: 404, body: 'Not Found' }));
      const { page } = await open(context, `${origin}/case-summary`);
      // govuk-frontend's service navigation collapses behind its Menu button at this width once started.
      await page.getByRole('button', { name: 'Menu' }).waitFor({ state: 'visible' });
      expect(await page.locator('[data-module="moj-sortable-table"] th button').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('refuses any inline script the layouts did not render: the CSP is not a blanket allowance', async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const { page } = await open(context, `${origin}/case-summary`);
      const ran = await page.evaluate(`(() => {
        const script = document.createElement('script');
        script.textContent = 'document.body.dataset.injected = "ran"';
        document.body.append(script);
        return document.body.dataset.injected ?? 'refused';
      })()`);
      expect(ran).toBe('refused');
      expect(await cspViolationsOf(page)).toEqual([expect.stringMatching(/^script-src/)]);
    } finally {
      await context.close();
    }
  });

  it('lets a keyboard user skip to the content and leave the public page at once with "Exit this page"', async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const { page } = await open(context, `${origin}/referral-step`);
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement?.textContent?.trim()')).toBe('Skip to main content');
      const exit = page.locator('.govuk-exit-this-page a');
      expect(await exit.getAttribute('href')).toBe('https://www.bbc.co.uk/weather');
      expect((await exit.textContent())?.replace(/\s+/g, ' ').trim()).toBe('Emergency Exit this page');
    } finally {
      await context.close();
    }
  });
});
