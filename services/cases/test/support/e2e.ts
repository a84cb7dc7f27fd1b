/**
 * What the cases pages' browser tests share: the real local cloud started for one test file, a demo
 * worker's session cookie sealed with its keys, a case opened from a partner's referral through the
 * platform, and the page checks (axe and reflow, screenshots, forms waited for, text as read).
 */
import { randomUUID } from 'node:crypto';
import { partnerToken, workerToken } from '@fsp/infra/local/demo-tokens';
import { type LocalCloud, startLocalCloud } from '@fsp/infra/local/local-cloud';
import { loadServiceManifests } from '@fsp/infra/local/manifests';
import { checkPage, setSessionCookie } from '@fsp/shared/testing/browser';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { demoPageWorker, type PageWorker, sealedSessionCookie } from '@fsp/shared/testing/pages';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** The local cloud with every service, its tables named `<prefix><time>-`, queues retried quickly, the functions' logs quiet unless FSP_TEST_VERBOSE. */
export const startCasesCloud = async (prefix: string): Promise<LocalCloud> =>
  startLocalCloud({
    manifests: await loadServiceManifests(),
    dynamoEndpoint: testDynamoEndpoint(),
    tablePrefix: `${prefix}${Date.now().toString(36)}-`,
    queueOverrides: { backoff: () => 200 },
    functionLogLevel: 'WARN',
    log: process.env.FSP_TEST_VERBOSE ? (line) => process.stderr.write(`${line}\n`) : () => {},
  });

/**
 * The one local cloud of the cases browser tests: test/e2e/pages.test.ts starts it before the areas'
 * tests (test/e2e/areas/) and stops it after them, so that the cloud starts, and its functions start
 * cold, once rather than once per area. Each area opens cases of its own, named by their references.
 */
let sharedCloud: LocalCloud | undefined;

export async function startSharedCasesCloud(): Promise<void> {
  sharedCloud = await startCasesCloud('cases');
}

export async function stopSharedCasesCloud(): Promise<void> {
  await sharedCloud?.stop();
  sharedCloud = undefined;
}

export function casesCloud(): LocalCloud {
  if (!sharedCloud) throw new Error('the cases browser tests’ local cloud is not started (test/e2e/pages.test.ts starts it)');
  return sharedCloud;
}

/**
 * The session cookie of a demo worker (by username) or of any `PageWorker`, sealed with the keys the
 * local cloud gave every function, as sign-in seals it; `userId` overrides the demo worker's.
 */
export function sessionCookieOf(cloud: LocalCloud, worker: string | PageWorker, userId?: string): string {
  if (typeof worker !== 'string') return sealedSessionCookie(cloud.sessionKeys, worker);
  const demo = cloud.demoWorkers.find((candidate) => candidate.username === worker);
  if (!demo) throw new Error(`no demo worker ${worker}`);
  const page = demoPageWorker(demo);
  return sealedSessionCookie(cloud.sessionKeys, userId === undefined ? page : { ...page, userId });
}

/** `check()`'s answer once it has one, asked again every 200 ms; fails naming `what` after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * A JSON POST with a bearer token, expected to answer 201 (`/v1/…`) or 200. A busy machine can keep a
 * cold function past the gateway's 30 seconds (503): the same request again, with the same
 * idempotency key; a 409 to such a repeat (not `/v1/`) means the first was done after all.
 */
export async function postJson(cloud: LocalCloud, token: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const idempotencyKey = randomUUID();
  for (let attempt = 1; ; attempt += 1) {
    const response = await fetch(`${cloud.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(body),
    });
    if (response.status === 503 && attempt < 4) continue;
    if (response.status === 409 && attempt > 1 && !path.startsWith('/v1/')) return {};
    expect({ path, status: response.status }).toEqual({ path, status: path.startsWith('/v1/') ? 201 : 200 });
    return (await response.json()) as Record<string, unknown>;
  }
}

/** A partner agency submits `referral` and the front door decides it for an assessment by `teamId`: the case opens from that fact on the bus. */
export async function referForAssessment(
  cloud: LocalCloud,
  referral: unknown,
  teamId = 'north',
): Promise<{ reference: string; referralId: string }> {
  const submitted = await postJson(cloud, await partnerToken(cloud, 'referrals/submit'), '/v1/referrals', referral);
  const referralId = submitted.id as string;
  await postJson(cloud, await workerToken(cloud, 'frontdoor'), `/api/front-door/referrals/${referralId}/decision`, {
    outcome: 'assessment',
    reason: 'Repeated disclosures of domestic abuse meet the threshold for a Child and Family assessment.',
    teamId,
  });
  return { reference: submitted.reference as string, referralId };
}

/** The case's address (`/cases/case-…`) once the team's list, as `cookie`'s worker sees it, links it by its reference. */
export const caseHrefOnceListed = (cloud: LocalCloud, reference: string, cookie: string): Promise<string> =>
  eventually(async () => {
    const response = await fetch(`${cloud.url}/cases`, { headers: { cookie }, redirect: 'manual' });
    const html = response.status === 200 ? await response.text() : '';
    return new RegExp(`href="(/cases/case-[0-9a-f]+)"[^>]*>${reference}<`).exec(html)?.[1];
  }, `the team's new case ${reference}`);

/** A new browser context at 1280 × 900 (JavaScript off unless asked for) with `cookie` in its jar, and a page in it. */
export async function signedInPage(
  browser: Browser,
  cloud: LocalCloud,
  cookie: string,
  javaScriptEnabled = false,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await setSessionCookie(page, cloud.url, cookie);
  return { context, page };
}

/** checkPage (axe and reflow at 1280 and 320 px), and a screenshot at 1024 px too when screenshots are asked for. */
export async function checkAndShoot(page: Page, name: string): Promise<void> {
  await checkPage(page, name);
  const folder = process.env.FSP_WEB_SCREENSHOTS;
  if (!folder) return;
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.screenshot({ path: `${folder}/${name}-1024.png`, fullPage: true });
  await page.setViewportSize(original);
}

/** Does `act` (a form's submission) and waits for the page its POST answers. */
export async function submitting(page: Page, act: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'), act()]);
  await page.waitForLoadState('load');
}

/** The first `selector`'s textContent, its white space folded. */
export const textOf = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** What a reader sees of the first `selector` (innerText: list items and paragraphs apart), its white space folded. */
export const seenText = async (page: Page, selector: string) =>
  // biome-ignore lint/performance/useDomNodeTextContent: the test reads the page as a person sees it, each list item apart
  (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();
