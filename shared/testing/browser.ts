/**
 * Pages are tested in a real headless Chromium (Debian's `chromium-headless-shell`, driven by
 * playwright-core), and checked with axe-core against WCAG 2.2 AA. Without the browser, tests are
 * skipped with a visible warning on a laptop, and fail in CI (`.ci/run` sets CI=true and installs
 * it). The headless shell is Chromium's own engine without the desktop browser around it, and uses
 * half the CPU of `chromium --headless` for the same suites (ADR 0028); FSP_CHROMIUM_PATH picks
 * another build.
 */
import { existsSync } from 'node:fs';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.FSP_CHROMIUM_PATH ?? '/usr/bin/chromium-headless-shell';

/** The machine may have no network: without these, Chromium waits on connections it will never make. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

export const browserAvailable = (): boolean => existsSync(CHROMIUM_PATH);

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });

/**
 * `describe` with a browser launched before its tests and closed after them; `browser()` gives it.
 * Without Chromium: skipped with a warning, or, when `process.env.CI` is set, one failing test.
 */
export function describeWithBrowser(name: string, body: (browser: () => Browser) => void): void {
  if (!browserAvailable()) {
    const message = `Chromium is not installed at ${CHROMIUM_PATH}: install Debian's chromium-headless-shell package (apt-get install chromium-headless-shell) to run "${name}"`;
    if (process.env.CI) {
      describe(name, () => {
        it('needs Chromium', () => {
          throw new Error(message);
        });
      });
      return;
    }
    console.warn(`SKIPPED (browser tests): ${message}`);
    describe.skip(name, () => body(() => undefined as unknown as Browser));
    return;
  }
  describe(name, () => {
    let launched: Browser | undefined;
    beforeAll(async () => {
      launched = await launchBrowser();
    }, 60_000);
    afterAll(async () => {
      await launched?.close();
    });
    body(() => {
      if (!launched) throw new Error('the browser did not start');
      return launched;
    });
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** An isolated world of the page's main frame, kept open for several evaluations (see inIsolatedWorld). */
interface IsolatedWorld {
  evaluate(expression: string, awaitPromise?: boolean): Promise<unknown>;
  close(): Promise<void>;
}

async function openIsolatedWorld(page: Page): Promise<IsolatedWorld> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const { executionContextId } = await cdp.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: 'fsp-checks' });
    return {
      async evaluate(expression, awaitPromise = false) {
        const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
          expression,
          contextId: executionContextId,
          returnByValue: true,
          awaitPromise,
        });
        if (exceptionDetails)
          throw new Error(`${expression.slice(0, 80)} failed: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
        return result.value;
      },
      close: () => cdp.detach(),
    };
  } catch (error) {
    await cdp.detach();
    throw error;
  }
}

/**
 * `expression` evaluated in an isolated world of the page's main frame (through the DevTools
 * protocol), answered by value. Works whether or not the page may run JavaScript: with it off,
 * Playwright's `page.evaluate` waits for ever, and the page's own scripts never see what runs here.
 */
export async function inIsolatedWorld(page: Page, expression: string, awaitPromise = false): Promise<unknown> {
  const world = await openIsolatedWorld(page);
  try {
    return await world.evaluate(expression, awaitPromise);
  } finally {
    await world.close();
  }
}

/**
 * axe schedules its work with setTimeout, whose callbacks a page with JavaScript disabled never
 * calls: in the isolated world axe runs in, and only there, they run as microtasks instead.
 */
const RUN_TIMERS_AS_MICROTASKS =
  'globalThis.setTimeout = (callback, _ms, ...args) => { Promise.resolve().then(() => callback(...args)); return 0; }; globalThis.clearTimeout = () => {};';

const AXE_SOURCE = `${RUN_TIMERS_AS_MICROTASKS} ${axe.source}; true`;
const AXE_RUN = `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} } }).then((results) =>
  results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })))`;

/** axe in an isolated world of the page (loaded once: half a megabyte of script), run as often as the page is checked. */
async function withAxe<T>(page: Page, use: (world: IsolatedWorld) => Promise<T>): Promise<T> {
  const world = await openIsolatedWorld(page);
  try {
    await world.evaluate(AXE_SOURCE);
    return await use(world);
  } finally {
    await world.close();
  }
}

const violationsIn = async (world: IsolatedWorld) => (await world.evaluate(AXE_RUN, true)) as AxeViolation[];

/**
 * axe-core's violations of WCAG 2.0, 2.1 and 2.2 A and AA on the page as it is now, with the page's
 * JavaScript on or off. axe runs in an isolated world, so the page's Content-Security-Policy does
 * not stop it and the page's scripts do not see it.
 */
export const axeViolations = (page: Page): Promise<AxeViolation[]> => withAxe(page, violationsIn);

function failOnViolations(page: Page, label: string, violations: readonly AxeViolation[]): void {
  if (violations.length > 0) {
    throw new Error(
      `${label} (${page.url()}) has accessibility violations:\n${violations.map((v) => `- ${v.id} (${v.impact}): ${v.help} at ${v.targets.join(', ')}`).join('\n')}`,
    );
  }
}

/** Fails with every violation listed, naming the page. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  failOnViolations(page, label, await axeViolations(page));
}

/** WCAG 2.2's reflow width: a page must fit it without scrolling sideways. */
export const REFLOW_WIDTH = 320;

/** Fails naming the widest elements when the page scrolls sideways at its current viewport width. */
export async function expectNoHorizontalScroll(page: Page, label: string): Promise<void> {
  const width = page.viewportSize()?.width ?? REFLOW_WIDTH;
  const scrollWidth = (await inIsolatedWorld(page, 'document.documentElement.scrollWidth')) as number;
  if (scrollWidth <= width) return;
  const widest = await inIsolatedWorld(
    page,
    `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > ${width}).map((e) => e.tagName.toLowerCase() + '.' + e.className).slice(-5)`,
  );
  throw new Error(`${label} (${page.url()}) scrolls sideways at ${width} px: ${scrollWidth} px wide, at ${JSON.stringify(widest)}`);
}

/**
 * What WEB.md asks of every page, checked on the page as it is: axe finds nothing at a desktop
 * width and at 320 px, where nothing scrolls sideways. With FSP_WEB_SCREENSHOTS=<folder>, a
 * full-page screenshot at each width is written there as `<name>-<width>.png`, to look at.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  const folder = process.env.FSP_WEB_SCREENSHOTS;
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  try {
    // Resizing the viewport keeps the document, so one isolated world with axe loaded serves both widths.
    await withAxe(page, async (world) => {
      for (const width of [1280, REFLOW_WIDTH]) {
        await page.setViewportSize({ width, height: 900 });
        if (folder) await page.screenshot({ path: `${folder}/${name}-${width}.png`, fullPage: true });
        failOnViolations(page, `${name} at ${width} px`, await violationsIn(world));
        if (width === REFLOW_WIDTH) await expectNoHorizontalScroll(page, name);
      }
    });
  } finally {
    await page.setViewportSize(original);
  }
}

export interface FocusedElement {
  tag: string;
  /** Its visible text, or its value for a field. */
  text: string;
  name: string | null;
  value: string | null;
  type: string | null;
  checked: boolean;
}

/** What has the keyboard's focus. */
export const focused = async (page: Page): Promise<FocusedElement | undefined> =>
  (await inIsolatedWorld(
    page,
    `(() => { const e = document.activeElement; return e && e !== document.body ? { tag: e.tagName.toLowerCase(), text: (e.innerText || e.value || '').trim(), name: e.getAttribute('name'), value: e.getAttribute('value'), type: e.getAttribute('type'), checked: e.checked === true } : undefined; })()`,
  )) as FocusedElement | undefined;

/** Presses Tab until `wanted` has the focus, as a keyboard user moves through a page; fails after `limit` presses. */
export async function tabTo(page: Page, what: string, wanted: (element: FocusedElement) => boolean, limit = 120): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press('Tab');
    const element = await focused(page);
    if (element && wanted(element)) return;
  }
  throw new Error(`${what} never had the focus on ${page.url()}`);
}

/**
 * Puts a session cookie (`name=value`, as sign-in sets it: `__Host-`, Secure, HttpOnly,
 * SameSite=Lax, this host only) in the browser's jar through the DevTools protocol: Playwright's
 * addCookies refuses a Secure cookie for an http address, though Chromium keeps and sends one on
 * 127.0.0.1 (ADR 0012 §7).
 */
export async function setSessionCookie(page: Page, origin: string, cookie: string): Promise<void> {
  const separator = cookie.indexOf('=');
  const cdp = await page.context().newCDPSession(page);
  try {
    const { success } = await cdp.send('Network.setCookie', {
      name: cookie.slice(0, separator),
      value: cookie.slice(separator + 1),
      url: `${origin}/`,
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
    });
    if (!success) throw new Error(`Chromium refused the cookie ${cookie.slice(0, separator)} for ${origin}`);
  } finally {
    await cdp.detach();
  }
}
