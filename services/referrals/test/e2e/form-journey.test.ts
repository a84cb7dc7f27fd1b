// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, and the test reads the page as rendered (innerText), as the referrer sees it
/**
 * The referral form end to end: Chromium against a real local cloud (gateway, the referrals
 * function, DynamoDB Local, outbox). The journey with and without JavaScript, errors, check your
 * answers and its Change links, the confirmation and the stored referral, a double submit, and
 * axe-core (WCAG 2.2 AA) and GOV.UK's "Exit this page" on every page.
 *
 * FSP_WEB_SCREENSHOTS=<folder> also writes a full-page screenshot of each page reached, at 1280 and
 * 320 CSS pixels wide.
 */
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type LocalCloud, startLocalCloud } from '@fsp/infra/local/local-cloud';
import { loadServiceManifests } from '@fsp/infra/local/manifests';
import { checkPage, describeWithBrowser } from '@fsp/shared/testing/browser';
import { testDynamoClient, testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import type { BrowserContext, Page } from 'playwright-core';

let cloud: LocalCloud;
/** A whole journey is some forty page loads through the local gateway, each checked by axe and at 320 pixels. */
jest.setTimeout(300_000);
const documents = DynamoDBDocumentClient.from(testDynamoClient());

async function tableItems(filter: (item: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: cloud.tableNames.referrals, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).filter(filter));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

const referralsBy = (email: string) =>
  tableItems((item) => item.kind === 'referral' && (item.referrer as { email?: string })?.email === email);

async function submittedEventsFor(referralId: string) {
  return tableItems(
    (item) => item.kind === 'outbox' && item.detailType === 'ReferralSubmitted' && String(item.detail).includes(referralId),
  );
}

/** Every page of the journey is checked with axe as it is reached, with JavaScript on. */
interface Journey {
  page: Page;
  axe: boolean;
}

async function arrive(j: Journey, path: RegExp, label: string) {
  await j.page.waitForURL(path);
  // Someone referring domestic abuse may need to leave at once: every page has GOV.UK's "Exit this page".
  await expect(j.page.locator('.govuk-exit-this-page .govuk-exit-this-page__button').count()).resolves.toBe(1);
  // axe at 1280 and 320 px, nothing scrolling sideways at 320 (and the screenshots, with FSP_WEB_SCREENSHOTS).
  if (j.axe) await checkPage(j.page, `refer-${label.replace(/[^a-z0-9]+/gi, '-')}`);
}

const continueButton = (page: Page) => page.getByRole('button', { name: 'Continue' }).click();

/** Who you are, in two questions: a professional or a member of the public, then which. */
async function whoYouAre(j: Journey, who: { professional: boolean; which: string }) {
  await j.page.getByRole('radio', { name: who.professional ? 'A professional' : 'A member of the public' }).check();
  await continueButton(j.page);
  await arrive(
    j,
    who.professional ? /\/refer\/professional$/ : /\/refer\/member-of-the-public$/,
    who.professional ? 'where you work' : 'which member of the public',
  );
  await j.page.getByRole('radio', { name: who.which }).check();
  await continueButton(j.page);
}

async function aboutYou(j: Journey, email: string) {
  const { page } = j;
  await page.getByLabel('Full name').fill('Amara Okafor');
  await page.getByLabel('Job title or role (optional)').fill('Designated safeguarding lead');
  await page.getByLabel('Organisation (optional)').fill('Demo Primary School');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Telephone number (optional)').fill('01632 960 001');
  await continueButton(page);
}

async function child(j: Journey, c: { first: string; last: string; born: boolean; day: string; month: string; year: string }) {
  const { page } = j;
  await page.getByLabel('First name').fill(c.first);
  await page.getByLabel('Last name').fill(c.last);
  if (c.born) {
    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.locator('#dateOfBirth-day').fill(c.day);
    await page.locator('#dateOfBirth-month').fill(c.month);
    await page.locator('#dateOfBirth-year').fill(c.year);
    await page.getByRole('radio', { name: 'Female' }).check();
    await page.getByLabel('Address line 1').fill('1 Example Street');
    await page.getByLabel('Town or city').fill('Exampleton');
    await page.getByLabel('Postcode').fill('ex1 2ab');
    await page.getByLabel('School, college or nursery (optional)').fill('Demo Primary School');
  } else {
    await page.getByRole('radio', { name: 'No, this is an unborn baby' }).check();
    await page.locator('#expectedDateOfBirth-day').fill(c.day);
    await page.locator('#expectedDateOfBirth-month').fill(c.month);
    await page.locator('#expectedDateOfBirth-year').fill(c.year);
  }
  await continueButton(page);
}

const nextYear = String(new Date().getUTCFullYear() + 1);

/**
 * From the start page to check your answers: who you are, about you (unless anonymous: `email`
 * undefined), two children (one unborn), one adult, what is happening, consent.
 */
async function toCheckYourAnswers(j: Journey, email: string | undefined) {
  const { page } = j;
  await page.goto(`${cloud.url}/refer`);
  await arrive(j, /\/refer$/, 'start page');
  await page.getByRole('button', { name: 'Start now' }).click();
  await arrive(j, /\/refer\/who-you-are$/, 'who are you');
  if (email === undefined) await whoYouAre(j, { professional: false, which: 'I would rather not say' });
  else {
    await whoYouAre(j, { professional: true, which: 'Someone from a school or college' });
    await arrive(j, /\/refer\/about-you$/, 'about you');
    await aboutYou(j, email);
  }

  await arrive(j, /\/refer\/child\?n=1$/, 'first child');
  await child(j, { first: 'Mia', last: 'Jones', born: true, day: '14', month: '3', year: '2018' });
  await arrive(j, /\/refer\/children$/, 'children list');
  await page.getByRole('radio', { name: 'Yes' }).check();
  await continueButton(page);
  await arrive(j, /\/refer\/child\?n=2$/, 'second child');
  await child(j, { first: 'Baby', last: 'Jones', born: false, day: '1', month: '2', year: nextYear });
  await arrive(j, /\/refer\/children$/, 'children list with two');
  await page.getByRole('radio', { name: 'No' }).check();
  await continueButton(page);

  await arrive(j, /\/refer\/adults$/, 'adults question');
  await page.getByRole('radio', { name: 'Yes' }).check();
  await continueButton(page);
  await arrive(j, /\/refer\/adult\?n=1$/, 'first adult');
  await page.getByLabel('First name').fill('Kerry');
  await page.getByLabel('Last name').fill('Jones');
  await page.getByLabel('Relationship to the children').fill('mother');
  await continueButton(page);
  await arrive(j, /\/refer\/adults$/, 'adults list');
  await page.getByRole('radio', { name: 'No' }).check();
  await continueButton(page);

  await arrive(j, /\/refer\/what-is-happening$/, 'what is happening');
  await page.getByLabel('What has happened?').fill('Mia disclosed violence between her mother and her mother’s partner.\nShe was upset.');
  await page.getByLabel('Why are you worried now?').fill('Third disclosure this term.');
  await page.locator('#factors-3B').check();
  await page.locator('#factors-17A').check();
  await continueButton(page);

  await arrive(j, /\/refer\/consent$/, 'consent');
  await page.locator('#familyKnows').check();
  await page.locator('#consentGiven-2').check();
  await page
    .getByLabel('If the family does not know or has not agreed, why are you making this referral?')
    .fill('Mother asked us not to refer; the risk to the children overrides.');
  await continueButton(page);
  await arrive(j, /\/refer\/check-your-answers$/, 'check your answers');
}

async function send(j: Journey): Promise<string> {
  await j.page.getByRole('button', { name: 'Send referral' }).click();
  await arrive(j, /\/refer\/confirmation$/, 'confirmation');
  const reference = (await j.page.locator('.govuk-panel__body strong').innerText()).trim();
  expect(reference).not.toBe('');
  return reference;
}

describeWithBrowser('the referral form in Chromium', (browser) => {
  beforeAll(async () => {
    cloud = await startLocalCloud({
      manifests: await loadServiceManifests(),
      dynamoEndpoint: testDynamoEndpoint(),
      tablePrefix: `form${Date.now().toString(36)}-`,
      functionLogLevel: 'WARN',
      log: process.env.FSP_TEST_VERBOSE ? (line) => process.stderr.write(`${line}\n`) : () => {},
    });
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  let context: BrowserContext;
  afterEach(async () => {
    await context?.close();
  });

  it('serves govuk-frontend’s styles, scripts, fonts and images', async () => {
    const css = await fetch(`${cloud.url}/assets/frontend/govuk-frontend.min.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain('/assets/fonts/');
    expect((await fetch(`${cloud.url}/assets/frontend/govuk-frontend.min.js`)).status).toBe(200);
    expect((await fetch(`${cloud.url}/assets/images/favicon.svg`)).status).toBe(200);
    expect((await fetch(`${cloud.url}/assets/fonts/bold-b542beb274-v2.woff2`)).headers.get('content-type')).toBe('font/woff2');
    expect((await fetch(`${cloud.url}/assets/../service.ts`)).status).toBe(404);
  });

  it('tells the referrer to call 999 first, before anything else on the start page', async () => {
    context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(`${cloud.url}/refer`);
    const main = await page.locator('main').innerText();
    expect(main.indexOf('If a child is in immediate danger, call 999')).toBeGreaterThanOrEqual(0);
    expect(main.indexOf('If a child is in immediate danger, call 999')).toBeLessThan(main.indexOf('Refer a child you are worried about'));
  });

  it('shows every error in the summary and at its field, keeps the answers, and is accessible in the error state', async () => {
    context = await browser().newContext();
    const page = await context.newPage();
    const j = { page, axe: true };
    // A later step, before anything is answered, starts at the first.
    await page.goto(`${cloud.url}/refer/about-you`);
    await arrive(j, /\/refer\/who-you-are$/, 'who are you');
    await continueButton(page);
    await arrive(j, /\/refer\/who-you-are$/, 'who are you with an error');
    const summary = page.locator('.govuk-error-summary');
    await expect(
      summary.getByRole('link', { name: 'Select whether you are a professional or a member of the public' }).getAttribute('href'),
    ).resolves.toBe('#referrerType');
    expect(await page.locator('#referrerType-error').innerText()).toContain(
      'Select whether you are a professional or a member of the public',
    );
    await page.getByRole('radio', { name: 'A member of the public' }).check();
    await continueButton(page);
    await arrive(j, /\/refer\/member-of-the-public$/, 'which member of the public');
    await continueButton(page);
    await arrive(j, /\/refer\/member-of-the-public$/, 'which member of the public with an error');
    await expect(summary.getByRole('link', { name: 'Select which best describes you' }).getAttribute('href')).resolves.toBe(
      '#referralSource',
    );
    expect(await page.locator('#referralSource-error').innerText()).toContain('Select which best describes you');
    await page.getByRole('radio', { name: 'Another member of the public' }).check();
    await continueButton(page);

    await arrive(j, /\/refer\/about-you$/, 'about you');
    await page.getByLabel('Full name').fill('Amara <b>Okafor</b>');
    await page.getByLabel('Organisation (optional)').fill('Demo\u202e loohcS');
    await page.getByLabel('Email address').fill('not-an-email');
    await continueButton(page);

    await arrive(j, /\/refer\/about-you$/, 'about you with errors');
    expect(await page.title()).toMatch(/^Error: About you/);
    await expect(
      summary.getByRole('link', { name: 'Enter an email address in the correct format, like name@example.com' }).getAttribute('href'),
    ).resolves.toBe('#email');
    await expect(
      summary.getByRole('link', { name: /^Your organisation must not contain invisible or control characters/ }).getAttribute('href'),
    ).resolves.toBe('#organisation');
    expect(await page.locator('#email-error').innerText()).toContain('Enter an email address in the correct format');
    // Kept, and shown as text: what was typed is never markup.
    expect(await page.getByLabel('Full name').inputValue()).toBe('Amara <b>Okafor</b>');
    expect(await page.getByLabel('Email address').inputValue()).toBe('not-an-email');
    await summary.getByRole('link', { name: /email address/ }).click();
    await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe('email');

    // A date error links to the day field and keeps the parts.
    await page.getByLabel('Organisation (optional)').fill('');
    await page.getByLabel('Email address').fill('someone@example.com');
    await continueButton(page);
    await arrive(j, /\/refer\/child\?n=1$/, 'first child');
    await page.getByLabel('First name').fill('Mia');
    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.locator('#dateOfBirth-day').fill('31');
    await page.locator('#dateOfBirth-month').fill('2');
    await page.locator('#dateOfBirth-year').fill('2018');
    await continueButton(page);
    await arrive(j, /\/refer\/child\?n=1$/, 'first child with errors');
    expect(await page.title()).toMatch(/^Error: /);
    await expect(summary.getByRole('link', { name: 'Date of birth must be a real date' }).getAttribute('href')).resolves.toBe(
      '#dateOfBirth-day',
    );
    await expect(summary.getByRole('link', { name: 'Enter the child’s last name' }).getAttribute('href')).resolves.toBe('#lastName');
    expect(await page.locator('#dateOfBirth-day').inputValue()).toBe('31');
    expect(await page.getByLabel('First name').inputValue()).toBe('Mia');
  });

  it('completes the journey with JavaScript, accessible on every page; check your answers shows the answers and its Change links work', async () => {
    context = await browser().newContext();
    const page = await context.newPage();
    const j = { page, axe: true };
    const email = `js-${Date.now()}@example.org`;
    await toCheckYourAnswers(j, email);

    const main = page.locator('main');
    for (const text of [
      'Amara Okafor',
      email,
      'Someone from a school or college',
      'Mia Jones',
      '14 March 2018',
      'Baby Jones',
      'Expected date of birth',
      'EX1 2AB',
      'Kerry Jones',
      'mother',
      'Third disclosure this term.',
      'Domestic abuse (about a parent or carer)',
      'Emotional abuse (about the child)',
      'Mother asked us not to refer',
    ]) {
      await expect(main.innerText()).resolves.toContain(text);
    }
    // Change the email: back to about you with the answer filled in, then straight back here.
    await page.getByRole('link', { name: 'Change your email address' }).click();
    await arrive(j, /\/refer\/about-you\?from=check$/, 'about you from check your answers');
    expect(await page.getByLabel('Email address').inputValue()).toBe(email);
    const changed = `changed-${email}`;
    await page.getByLabel('Email address').fill(changed);
    await continueButton(page);
    await arrive(j, /\/refer\/check-your-answers$/, 'check your answers after a change');
    await expect(main.innerText()).resolves.toContain(changed);
    // Change a child: the child's own page, then back.
    await page.getByRole('link', { name: 'Change details (Mia Jones)' }).click();
    await arrive(j, /\/refer\/child\?n=1&from=check$/, 'child from check your answers');
    await page.getByLabel('Last name').fill('Smith');
    await continueButton(page);
    await arrive(j, /\/refer\/check-your-answers$/, 'check your answers after changing a child');
    await expect(main.innerText()).resolves.toContain('Mia Smith');

    const reference = await send(j);
    await expect(page.locator('main').innerText()).resolves.toMatch(/within one working day/);
    await expect(page.locator('main').innerText()).resolves.toMatch(/email you the outcome/);

    const [referral] = await referralsBy(changed);
    expect(referral).toMatchObject({ reference, channel: 'form', referralSource: '2A' });
    expect([...((referral?.factors as string[] | undefined) ?? [])].sort()).toEqual(['17A', '3B']);
    expect(referral?.referrer).toMatchObject({
      name: 'Amara Okafor',
      email: changed,
      organisation: 'Demo Primary School',
      phone: '01632 960 001',
    });
    expect(referral?.children).toMatchObject([
      { firstName: 'Mia', lastName: 'Smith', unborn: false, dateOfBirth: '2018-03-14', gender: 'female', address: { postcode: 'EX1 2AB' } },
      { firstName: 'Baby', lastName: 'Jones', unborn: true, dateOfBirth: `${nextYear}-02-01` },
    ]);
    expect(referral?.consent).toEqual({
      familyKnows: true,
      consentGiven: false,
      withoutConsentReason: 'Mother asked us not to refer; the risk to the children overrides.',
    });
    expect(await submittedEventsFor(referral?.referralId as string)).toHaveLength(1);

    // The front door sees it, as received through the form.
    const token = await workerToken();
    const seen = await fetch(`${cloud.url}/api/front-door/referrals/${referral?.referralId as string}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(seen.status).toBe(200);
    expect(await seen.json()).toMatchObject({ reference, channel: 'form' });
  });

  it('completes the journey with JavaScript disabled', async () => {
    context = await browser().newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const j = { page, axe: false };
    const email = `nojs-${Date.now()}@example.org`;
    await toCheckYourAnswers(j, email);
    const reference = await send(j);
    const referrals = await referralsBy(email);
    expect(referrals).toHaveLength(1);
    expect(referrals[0]).toMatchObject({ reference, channel: 'form' });
    expect(await submittedEventsFor(referrals[0]?.referralId as string)).toHaveLength(1);
  });

  it('stores one referral however often it is sent: a double click, two requests at once, the back button', async () => {
    context = await browser().newContext();
    const page = await context.newPage();
    const j = { page, axe: false };
    const email = `twice-${Date.now()}@example.org`;
    await toCheckYourAnswers(j, email);
    const csrfToken = await page.locator('input[name=csrfToken]').first().inputValue();
    // Two sends at once, sharing the browser's cookie, as a double click without JavaScript would.
    const post = () => context.request.post(`${cloud.url}/refer/check-your-answers`, { form: { csrfToken }, maxRedirects: 0 });
    const answers = await Promise.all([post(), post(), post()]);
    expect(answers.map((a) => a.status())).toEqual([303, 303, 303]);
    expect(answers.map((a) => a.headers().location)).toEqual(['/refer/confirmation', '/refer/confirmation', '/refer/confirmation']);
    // And the button on the page, pressed after all that (the page is stale, as after Back).
    await page.getByRole('button', { name: 'Send referral' }).click();
    await page.waitForURL(/\/refer\/confirmation$/);
    const reference = (await page.locator('.govuk-panel__body strong').innerText()).trim();
    await page.goBack();
    await page.goto(`${cloud.url}/refer/check-your-answers`);
    await page.waitForURL(/\/refer\/confirmation$/);

    const referrals = await referralsBy(email);
    expect(referrals).toHaveLength(1);
    expect(referrals[0]?.reference).toBe(reference);
    expect(await submittedEventsFor(referrals[0]?.referralId as string)).toHaveLength(1);
  });

  it('refuses a POST without the draft’s CSRF token and stores nothing, on the first post as on later ones', async () => {
    context = await browser().newContext();
    const page = await context.newPage();
    await page.goto(`${cloud.url}/refer/who-you-are`);
    const forged = (path: string, form: Record<string, string>) =>
      context.request.post(`${cloud.url}${path}`, { form: { csrfToken: 'forged-token-forged-token', ...form }, maxRedirects: 0 });
    const drafts = async () => (await tableItems((item) => item.kind === 'referral-draft')).length;
    const before = await drafts();
    expect((await forged('/refer/professional', { referralSource: '8' })).status()).toBe(403);
    await page.goto(`${cloud.url}/refer/professional`);
    expect(await page.locator('input[name=referralSource]:checked').count()).toBe(0);
    expect(await drafts()).toBe(before);
    await page.goto(`${cloud.url}/refer/who-you-are`);
    await whoYouAre({ page, axe: false }, { professional: true, which: 'Someone from the police' });
    await page.waitForURL(/\/refer\/about-you$/);
    expect(await drafts()).toBe(before + 1);
    expect((await forged('/refer/about-you', { name: 'Mallory', email: 'mallory@example.org' })).status()).toBe(403);
    await page.reload();
    expect(await page.getByLabel('Full name').inputValue()).toBe('');
  });

  it('takes an anonymous referral: no details asked, and says nobody will contact the referrer', async () => {
    context = await browser().newContext();
    const page = await context.newPage();
    const j = { page, axe: true };
    await toCheckYourAnswers(j, undefined);
    const main = page.locator('main');
    await expect(main.innerText()).resolves.toContain('I would rather not say (an anonymous referral)');
    await expect(main.innerText()).resolves.toContain('You are referring anonymously');
    await expect(main.innerText()).resolves.not.toContain('Email address');
    const reference = await send(j);
    await expect(main.innerText()).resolves.toMatch(/nobody will contact you about this referral/);
    await expect(main.innerText()).resolves.not.toMatch(/email you the outcome/);
    const [referral] = await tableItems((item) => item.kind === 'referral' && item.reference === reference);
    expect(referral).toMatchObject({ channel: 'form', referralSource: '9' });
    expect(referral).not.toHaveProperty('referrer');
    expect(await submittedEventsFor(referral?.referralId as string)).toHaveLength(1);
  });

  it('sets the draft cookie HttpOnly and SameSite=Lax, scoped to the form', async () => {
    const answer = await fetch(`${cloud.url}/refer/who-you-are`, { redirect: 'manual' });
    const cookie = answer.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^fsp_referral=[A-Za-z0-9_-]{22};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/refer');
    expect(cookie).not.toContain('Secure'); // plain http locally; Secure behind HTTPS
  });
});

async function workerToken(): Promise<string> {
  const { workerToken: tokenFor } = await import('@fsp/infra/local/demo-tokens');
  return tokenFor(cloud, 'frontdoor');
}

// Keep the document client's connections from holding jest open.
afterAll(() => documents.destroy());
