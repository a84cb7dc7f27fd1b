/**
 * Pages are tested in a real headless Chromium (Debian's `chromium`, driven by playwright-core),
 * and checked with axe-core against WCAG 2.2 AA. Without the browser, tests are skipped with a
 * visible warning on a laptop, and fail in CI (`.ci/run` sets CI=true and installs chromium).
 */
import { existsSync } from 'node:fs';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.FSP_CHROMIUM_PATH ?? '/usr/bin/chromium';

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
    const message = `Chromium is not installed at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium) to run "${name}"`;
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

/**
 * axe-core's violations of WCAG 2.0, 2.1 and 2.2 A and AA on the page as it is now. axe's source
 * is injected through the debugging protocol, so the page's Content-Security-Policy does not stop
 * it; the page itself may have JavaScript disabled, axe still runs.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axe.source);
  // Runs in the page (axe defaults to the whole document); this project compiles without the DOM library.
  const results = await page.evaluate(
    (tags) => (globalThis as unknown as { axe: typeof axe }).axe.run({ runOnly: { type: 'tag', values: tags } }),
    [...WCAG_TAGS],
  );
  return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** Fails with every violation listed, naming the page. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length > 0) {
    throw new Error(
      `${label} (${page.url()}) has accessibility violations:\n${violations.map((v) => `- ${v.id} (${v.impact}): ${v.help} at ${v.targets.join(', ')}`).join('\n')}`,
    );
  }
}
