/**
 * The page checks every browser test leans on (shared/testing/browser.ts) must fail a page that
 * breaks WEB.md's rules, at either width, with the page's JavaScript off as the platform's pages
 * are tested; and pass a page that keeps them.
 */
import { checkPage, describeWithBrowser } from '@fsp/shared/testing/browser';
import type { BrowserContext, Page } from 'playwright-core';

const page = (main: string, head = '') =>
  `<!doctype html><html lang="en"><head><title>A page</title><meta name="viewport" content="width=device-width, initial-scale=1">${head}</head><body><main><h1>A page</h1>${main}</main></body></html>`;

describeWithBrowser('checkPage', (browser) => {
  let context: BrowserContext;
  let tab: Page;
  beforeAll(async () => {
    context = await browser().newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    tab = await context.newPage();
  });
  afterAll(() => context?.close());

  it('passes a page that keeps the rules, and leaves the viewport as it was', async () => {
    await tab.setContent(page('<p>Nothing wrong here. <a href="/next">Next</a></p>'));
    await expect(checkPage(tab, 'good')).resolves.toBeUndefined();
    expect(tab.viewportSize()).toEqual({ width: 1280, height: 900 });
  });

  it('fails a page axe finds a violation on, naming the rule and the width', async () => {
    await tab.setContent(page('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'));
    await expect(checkPage(tab, 'image-without-alt')).rejects.toThrow(/image-without-alt at 1280 px .*\n- image-alt/);
  });

  it('fails a page with a violation only at 320 px', async () => {
    const narrowOnly = '<style>@media (max-width: 600px) { .narrow { display: block !important; } }</style>';
    await tab.setContent(page('<div class="narrow" style="display:none"><input type="text"></div>', narrowOnly));
    await expect(checkPage(tab, 'unlabelled-when-narrow')).rejects.toThrow(/unlabelled-when-narrow at 320 px .*\n- label/);
  });

  it('fails a page that scrolls sideways at 320 px', async () => {
    await tab.setContent(page('<div style="width: 600px">Too wide</div>'));
    await expect(checkPage(tab, 'too-wide')).rejects.toThrow(/too-wide .* scrolls sideways at 320 px/);
  });
});
