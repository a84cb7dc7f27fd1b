/**
 * The README's browser walkthrough ("In a browser: the front door decides a referral"), walked in
 * headless Chromium with JavaScript off against a fresh local cloud: real sign-in through the local
 * identity provider, the front door's queue, screening, a decision that opens a case for the north
 * team, sign-out, and the north team's manager finding the new case on their home page. Every
 * control is found by the words the README prints in bold and worked with the keyboard, so the
 * README cannot name a button or label the pages no longer have.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithBrowser } from '@fsp/shared/testing/browser';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import type { Locator, Page } from 'playwright-core';
import { partnerToken } from '../../src/demo-tokens';
import { type LocalCloud, startLocalCloud } from '../../src/local-cloud';
import { loadServiceManifests, REPOSITORY_ROOT } from '../../src/manifests';
import { eventually, verboseLog } from './local-cloud/support';

jest.setTimeout(240_000);

const readme = readFileSync(join(REPOSITORY_ROOT, 'README.md'), 'utf8');
const START = '<!-- browser-walkthrough:start -->';
const END = '<!-- browser-walkthrough:end -->';

/** The bold words of the README's walkthrough, in order: the labels, links and buttons a reader looks for. */
function boldWordsOfWalkthrough(): string[] {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md has no ${START} … ${END} section`);
  return [...readme.slice(from, to).matchAll(/\*\*([^*]+)\*\*/g)].map((match) => match[1]!.replace(/\s+/g, ' '));
}

/** What the walkthrough below uses, in the README's order. */
const USED: string[] = [];
const used = (words: string): string => {
  USED.push(words);
  return words;
};

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({
    manifests: await loadServiceManifests(),
    dynamoEndpoint: testDynamoEndpoint(),
    tablePrefix: `readmeweb${Date.now().toString(36)}-`,
    functionLogLevel: 'WARN',
    log: verboseLog,
  });
}, 120_000);
afterAll(() => cloud?.stop());

const passwordOf = (username: string): string => {
  const worker = cloud.demoWorkers.find((candidate) => candidate.username === username);
  if (!worker) throw new Error(`no demo worker ${username}`);
  return worker.password;
};

/** Moves the keyboard's focus to `control` and presses `key`, as a keyboard user does once they have tabbed to it. */
async function press(control: Locator, key: 'Enter' | 'Space'): Promise<void> {
  await control.focus();
  await control.page().keyboard.press(key);
}

async function type(control: Locator, text: string): Promise<void> {
  await control.focus();
  await control.page().keyboard.type(text);
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === '/login');
  await type(page.getByLabel(used('Username')), username);
  await type(page.getByLabel(used('Password')), passwordOf(username));
  await press(page.getByRole('button', { name: used('Sign in') }), 'Enter');
}

const mainText = async (page: Page): Promise<string> => ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

async function submitReferral(): Promise<{ id: string; reference: string }> {
  const response = await fetch(`${cloud.url}/v1/referrals`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await partnerToken(cloud, 'referrals/submit')}`,
      'content-type': 'application/json',
      'idempotency-key': `readme-browser-${Date.now()}`,
    },
    body: readFileSync(join(REPOSITORY_ROOT, 'docs/examples/referral.json'), 'utf8'),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; reference: string };
}

describeWithBrowser('the README’s browser walkthrough', (browser) => {
  it('signs the front door in, decides a referral for the north team, and the north team’s manager sees the case', async () => {
    const referral = await submitReferral();
    const context = await browser().newContext({ javaScriptEnabled: false });
    context.setDefaultTimeout(30_000);
    try {
      const page = await context.newPage();

      // 1. Open the platform: sign in, land on the home page.
      await page.goto(`${cloud.url}/`);
      await signIn(page, 'frontdoor');
      await page.waitForURL(`${cloud.url}/`);

      // 2. The front door's queue.
      await press(page.getByRole('navigation').getByRole('link', { name: used('Front door') }), 'Enter');
      await page.waitForURL(`${cloud.url}/front-door`);

      // 3. The referral, and screening.
      await press(page.getByRole('link', { name: referral.reference }), 'Enter');
      await page.waitForURL(`${cloud.url}/front-door/referrals/${referral.id}`);
      await press(page.getByRole('button', { name: used('Start screening') }), 'Enter');
      await page.waitForURL(`${cloud.url}/front-door/referrals/${referral.id}/screening`);
      await press(page.getByRole('button', { name: used('Start screening') }), 'Enter');
      await page.waitForURL(`${cloud.url}/front-door/referrals/${referral.id}?done=screening`);

      // 4. The decision.
      await press(page.getByRole('button', { name: used('Record the decision') }), 'Enter');
      await page.waitForURL(`${cloud.url}/front-door/referrals/${referral.id}/decision`);
      await press(page.getByLabel(used('Child and Family assessment (section 17)')), 'Space');
      await press(page.getByRole('group', { name: 'Which team will do the assessment?' }).getByLabel(used('North team')), 'Space');
      await type(page.getByLabel(used('Reason for the decision')), 'Repeated disclosures of domestic abuse: assess with the north team.');
      await press(page.getByRole('button', { name: used('Record the decision') }), 'Enter');
      await page.waitForURL(`${cloud.url}/front-door/referrals/${referral.id}?done=decision`);
      expect(await mainText(page)).toContain('Decision recorded');

      // 5. Sign out; the north team's manager sees the new case on their home page.
      await press(page.getByRole('button', { name: used('Sign out') }), 'Enter');
      await page.waitForURL((url) => url.pathname === '/signed-out');
      await page.goto(`${cloud.url}/`);
      await signIn(page, 'manager');
      await page.waitForURL(`${cloud.url}/`);
      // The case opens through the event flow (outbox, bus, queues): the home page is read again until it has.
      const home = await eventually(async () => {
        await page.reload();
        const text = await mainText(page);
        return text.includes(referral.reference) ? text : undefined;
      }, `the north team manager's home listing ${referral.reference}`);
      expect(home).toContain('Cases opened for your team');
    } finally {
      await context.close();
    }
  });

  it('names in bold exactly the labels, links and buttons the walkthrough uses, in order', () => {
    const distinctInOrder = USED.filter(
      (words, index) => USED.indexOf(words) === index || !['Username', 'Password', 'Sign in'].includes(words),
    );
    expect(boldWordsOfWalkthrough()).toEqual(distinctInOrder);
  });
});
