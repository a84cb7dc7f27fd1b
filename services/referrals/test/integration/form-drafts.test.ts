/**
 * The public form's drafts and CSRF against DynamoDB Local, through the real `public` handler:
 * showing the form writes nothing (anyone and any crawler may open it); the first post that saves
 * answers writes the draft; the CSRF token, derived from the cookie's draft id, holds for that
 * first post as for every other. And an anonymous referral (census source 9), end to end: no
 * details asked, check your answers and the confirmation say so, the referral has no referrer.
 */

import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiGatewayV2Result } from '@fsp/shared/http/api-gateway';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, capturingLogger } from '@fsp/shared/testing/api-gateway-event';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createDraftsStore, DraftChanged, newSecret, SENDING_LEASE_MS, unsavedDraft } from '../../src/store/drafts-store';
import { createPublicApi } from '../support/http';

let table: TestTable;
let runtime: ServiceRuntime;
let now = '2026-11-23T10:00:00Z';

beforeEach(async () => {
  now = '2026-11-23T10:00:00Z';
  ({ table, runtime } = await createTestRuntime('referrals-form', () => fixedClock(now)()));
});
afterEach(async () => {
  await table.drop();
});

const api = () => createPublicApi(runtime);
const get = (path: string, cookie?: string) => api()(apiGatewayEvent({ method: 'GET', path, ...(cookie ? { cookies: [cookie] } : {}) }));
/** A form post, to the public API on the test's table unless `to` is another (one on a failing or held client). */
const post = (path: string, cookie: string | undefined, form: Record<string, string | string[]>, to = api()) =>
  to(
    apiGatewayEvent({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(
        Object.entries(form).flatMap(([name, value]): [string, string][] =>
          Array.isArray(value) ? value.map((v): [string, string] => [name, v]) : [[name, value]],
        ),
      ).toString(),
      ...(cookie ? { cookies: [cookie] } : {}),
    }),
  );

/** The cookie as a browser sends it back, and the page's CSRF token. */
function visitorOf(response: ApiGatewayV2Result): { cookie: string; csrfToken: string } {
  const cookie = /^(fsp_referral=[A-Za-z0-9_-]{22});/.exec(response.cookies?.[0] ?? '')?.[1];
  const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(response.body ?? '')?.[1];
  if (!cookie || !csrfToken) throw new Error(`no cookie or token: ${response.statusCode} ${response.cookies}`);
  return { cookie, csrfToken };
}
const drafts = async () => (await allItems(table)).filter((item) => item.kind === 'referral-draft');
const location = (response: ApiGatewayV2Result) => [response.statusCode, response.headers?.location];

describe('showing the form writes nothing', () => {
  it('GET /refer and the first step, without a cookie, write no item; later steps send a new visitor to the first step', async () => {
    const before = await allItems(table);
    expect((await get('/refer')).statusCode).toBe(200);
    const first = await get('/refer/who-you-are');
    expect(first.statusCode).toBe(200);
    expect(first.cookies?.[0]).toMatch(/^fsp_referral=[A-Za-z0-9_-]{22}; Path=\/refer; Max-Age=86400; HttpOnly; SameSite=Lax$/);
    for (const step of ['about-you', 'child', 'consent', 'check-your-answers']) {
      const answer = await get(`/refer/${step}`);
      expect(location(answer)).toEqual([303, '/refer/who-you-are']);
      expect(answer.cookies?.[0]).toMatch(/^fsp_referral=/);
    }
    // A returning visitor whose draft was never written keeps their cookie, so two tabs agree.
    const { cookie, csrfToken } = visitorOf(first);
    const again = await get('/refer/who-you-are', cookie);
    expect(visitorOf(again)).toEqual({ cookie, csrfToken });
    expect(await allItems(table)).toEqual(before);
  });

  it('writes the draft on the first post that saves answers, with its cookie set again; an invalid first post writes nothing', async () => {
    const { cookie, csrfToken } = visitorOf(await get('/refer/who-you-are'));
    const invalid = await post('/refer/professional', cookie, { csrfToken, referralSource: '10' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Select which best describes you');
    expect(invalid.body).toContain(`name="csrfToken" value="${csrfToken}"`);
    expect(await drafts()).toEqual([]);

    const saved = await post('/refer/professional', cookie, { csrfToken, referralSource: '2A' });
    expect(location(saved)).toEqual([303, '/refer/about-you']);
    expect(saved.cookies?.[0]).toMatch(new RegExp(`^${cookie}; Path=/refer; Max-Age=86400;`));
    const [draft] = await drafts();
    expect(draft).toMatchObject({
      answers: { referralSource: '2A', children: [], adults: [] },
      version: 1,
      createdAt: new Date(now).toISOString(),
    });
    expect(draft).not.toHaveProperty('csrfToken');
    // The same token goes on working for the written draft.
    const next = await post('/refer/about-you', cookie, { csrfToken, name: 'Amara Okafor', email: 'a@example.org' });
    expect(location(next)).toEqual([303, '/refer/child?n=1']);
    expect(next.cookies ?? []).toEqual([]);
    expect((await drafts())[0]).toMatchObject({ version: 2 });
  });

  it('refuses a first post without the token its cookie goes with, and writes nothing', async () => {
    const { cookie, csrfToken } = visitorOf(await get('/refer/who-you-are'));
    const other = visitorOf(await get('/refer/who-you-are'));
    for (const token of [undefined, '', other.csrfToken, `${csrfToken}x`, csrfToken.toLowerCase()]) {
      if (token === csrfToken) continue;
      const answer = await post('/refer/professional', cookie, {
        ...(token === undefined ? {} : { csrfToken: token }),
        referralSource: '2A',
      });
      expect(answer.statusCode).toBe(403);
      expect(answer.body).toContain('Sorry, your answers could not be saved');
    }
    // A made-up cookie with a token of ours, and no cookie at all, write nothing either.
    expect((await post('/refer/professional', 'fsp_referral=AAAAAAAAAAAAAAAAAAAAAA', { csrfToken, referralSource: '2A' })).statusCode).toBe(
      403,
    );
    expect((await post('/refer/professional', undefined, { csrfToken, referralSource: '2A' })).statusCode).toBe(400);
    expect(await drafts()).toEqual([]);
  });

  it('lets only one of two first saves of a draft write it (two tabs); the other is a change it must see first', async () => {
    const store = createDraftsStore(runtime.documents, runtime.tableName);
    const unsaved = unsavedDraft(newSecret());
    const at = new Date(now);
    await store.saveAnswers(unsaved, { referralSource: '2A', children: [], adults: [] }, at);
    await expect(store.saveAnswers(unsaved, { referralSource: '9', children: [], adults: [] }, at)).rejects.toBeInstanceOf(DraftChanged);
    expect(await drafts()).toEqual([expect.objectContaining({ answers: { referralSource: '2A', children: [], adults: [] } })]);
  });

  it('starts again over an expired draft that DynamoDB has not yet deleted', async () => {
    const { cookie, csrfToken } = visitorOf(await get('/refer/who-you-are'));
    expect((await post('/refer/professional', cookie, { csrfToken, referralSource: '2A' })).statusCode).toBe(303);
    now = '2026-11-24T10:00:01Z';
    // Expired: the form shows the first page again, and the next answer writes a new draft over it.
    expect(location(await get('/refer/consent', cookie))).toEqual([303, '/refer/who-you-are']);
    expect(location(await post('/refer/member-of-the-public', cookie, { csrfToken, referralSource: '1D' }))).toEqual([
      303,
      '/refer/about-you',
    ]);
    const [draft] = await drafts();
    expect(draft).toMatchObject({ answers: { referralSource: '1D' }, version: 1, createdAt: new Date(now).toISOString() });
  });
});

describe('who you are, in two questions', () => {
  it('asks a professional or a member of the public first, saving nothing, then which from that list only', async () => {
    const { cookie, csrfToken } = visitorOf(await get('/refer/who-you-are'));
    const first = await get('/refer/who-you-are', cookie);
    expect(first.body).toContain('Are you a professional or a member of the public?');
    expect(first.body).not.toContain('Someone from the police');

    const unanswered = await post('/refer/who-you-are', cookie, { csrfToken });
    expect(unanswered.statusCode).toBe(400);
    expect(unanswered.body).toContain('<title>Error: Are you a professional or a member of the public?');
    expect(unanswered.body).toContain('<a href="#referrerType">Select whether you are a professional or a member of the public</a>');
    expect(await drafts()).toEqual([]);

    // The first answer only chooses the list: nothing is written, and the next page is shown without a draft.
    expect(location(await post('/refer/who-you-are', cookie, { csrfToken, referrerType: 'professional' }))).toEqual([
      303,
      '/refer/professional',
    ]);
    expect(await drafts()).toEqual([]);
    const professional = (await get('/refer/professional', cookie)).body ?? '';
    expect(professional).toContain('Someone from the police');
    expect(professional).not.toContain('I would rather not say');
    expect(professional).toContain('<a href="/refer/who-you-are" class="govuk-back-link">');
    // A source from the other list is refused, and nothing is written.
    expect((await post('/refer/professional', cookie, { csrfToken, referralSource: '1A' })).statusCode).toBe(400);
    expect(await drafts()).toEqual([]);

    expect(location(await post('/refer/who-you-are', cookie, { csrfToken, referrerType: 'public' }))).toEqual([
      303,
      '/refer/member-of-the-public',
    ]);
    const publicList = (await get('/refer/member-of-the-public', cookie)).body ?? '';
    expect(publicList).toContain('A friend, neighbour or someone else who knows the family');
    expect(publicList).not.toContain('Someone from the police');
    expect((await post('/refer/member-of-the-public', cookie, { csrfToken, referralSource: '6' })).statusCode).toBe(400);
    expect(await answer(cookie, csrfToken, '/refer/member-of-the-public', { referralSource: '1B' })).toBe('/refer/about-you');
    // The census code is stored, as before the question had two steps.
    expect((await drafts())[0]).toMatchObject({ answers: { referralSource: '1B' } });
    // Shown again, each question has the answer given (the first worked out from the source).
    expect((await get('/refer/who-you-are', cookie)).body).toMatch(/value="public" checked/);
    expect((await get('/refer/member-of-the-public', cookie)).body).toMatch(/value="1B" checked/);
    expect((await get('/refer/professional', cookie)).body).not.toContain('checked');
    expect((await get('/refer/about-you', cookie)).body).toContain('<a href="/refer/member-of-the-public" class="govuk-back-link">');
  });

  it('comes back to check your answers through both questions when changing who you are', async () => {
    const { cookie, csrfToken } = await readyToSend();
    expect((await get('/refer/who-you-are?from=check', cookie)).body).toContain(
      '<a href="/refer/check-your-answers" class="govuk-back-link">',
    );
    expect(await answer(cookie, csrfToken, '/refer/who-you-are?from=check', { referrerType: 'professional' })).toBe(
      '/refer/professional?from=check',
    );
    expect((await get('/refer/professional?from=check', cookie)).body).toContain(
      '<a href="/refer/who-you-are?from=check" class="govuk-back-link">',
    );
    expect(await answer(cookie, csrfToken, '/refer/professional?from=check', { referralSource: '3B' })).toBe('/refer/check-your-answers');
    expect((await get('/refer/check-your-answers', cookie)).body).toContain('A health visitor');
  });
});

async function answer(cookie: string, csrfToken: string, path: string, form: Record<string, string | string[]>) {
  const response = await post(path, cookie, { csrfToken, ...form });
  if (response.statusCode !== 303) throw new Error(`${path}: ${response.statusCode} ${response.body?.slice(0, 500)}`);
  return response.headers?.location;
}

/** A named referrer's answers up to check your answers, ready to send. */
async function readyToSend(): Promise<{ cookie: string; csrfToken: string }> {
  const visitor = visitorOf(await get('/refer/who-you-are'));
  const { cookie, csrfToken } = visitor;
  await answer(cookie, csrfToken, '/refer/member-of-the-public', { referralSource: '1D' });
  await answer(cookie, csrfToken, '/refer/about-you', { name: 'Jo Bloggs', email: 'jo@example.org' });
  await answer(cookie, csrfToken, '/refer/child?n=1', { firstName: 'Mia', lastName: 'Jones', born: 'yes' });
  await answer(cookie, csrfToken, '/refer/adults', { adultsKnown: 'no' });
  await answer(cookie, csrfToken, '/refer/what-is-happening', { whatHappened: 'x', whyNow: 'y', factors: '21' });
  await answer(cookie, csrfToken, '/refer/consent', { familyKnows: 'yes', consentGiven: 'yes' });
  return visitor;
}

describe('an anonymous referral through the form', () => {
  it('asks no contact details, says it is anonymous, and stores a referral with source 9 and no referrer', async () => {
    const { cookie, csrfToken } = visitorOf(await get('/refer/who-you-are'));
    expect((await get('/refer/member-of-the-public', cookie)).body).toContain('I would rather not say');
    // Details given first, then "I would rather not say": the details are dropped, not kept.
    expect(await answer(cookie, csrfToken, '/refer/member-of-the-public', { referralSource: '1D' })).toBe('/refer/about-you');
    expect(await answer(cookie, csrfToken, '/refer/about-you', { name: 'Jo Bloggs', email: 'jo@example.org' })).toBe('/refer/child?n=1');
    expect(await answer(cookie, csrfToken, '/refer/member-of-the-public', { referralSource: '9' })).toBe('/refer/child?n=1');
    expect((await drafts())[0]?.answers).not.toHaveProperty('aboutYou');
    // The details page is skipped, shown or posted to.
    expect(location(await get('/refer/about-you', cookie))).toEqual([303, '/refer/child?n=1']);
    expect(await answer(cookie, csrfToken, '/refer/about-you', { name: 'Jo Bloggs', email: 'jo@example.org' })).toBe('/refer/child?n=1');
    expect((await drafts())[0]?.answers).not.toHaveProperty('aboutYou');
    // The first child's Back link goes to the question just answered.
    expect((await get('/refer/child?n=1', cookie)).body).toContain('<a href="/refer/member-of-the-public" class="govuk-back-link">');

    expect(await answer(cookie, csrfToken, '/refer/child?n=1', { firstName: 'Mia', lastName: 'Jones', born: 'yes' })).toBe(
      '/refer/children',
    );
    expect(await answer(cookie, csrfToken, '/refer/children', { addAnother: 'no' })).toBe('/refer/adults');
    expect(await answer(cookie, csrfToken, '/refer/adults', { adultsKnown: 'no' })).toBe('/refer/what-is-happening');
    expect(
      await answer(cookie, csrfToken, '/refer/what-is-happening', {
        whatHappened: 'Shouting every night.',
        whyNow: 'Worse.',
        factors: '3B',
      }),
    ).toBe('/refer/consent');
    expect(
      await answer(cookie, csrfToken, '/refer/consent', {
        familyKnows: 'no',
        consentGiven: 'no',
        withoutConsentReason: 'I am a neighbour.',
      }),
    ).toBe('/refer/check-your-answers');

    const check = (await get('/refer/check-your-answers', cookie)).body ?? '';
    expect(check).toContain('I would rather not say (an anonymous referral)');
    expect(check).toContain('You are referring anonymously');
    expect(check).not.toContain('Email address');
    expect(check).not.toContain('Jo Bloggs');

    expect(await answer(cookie, csrfToken, '/refer/check-your-answers', {})).toBe('/refer/confirmation');
    const confirmation = (await get('/refer/confirmation', cookie)).body ?? '';
    expect(confirmation).toContain('You referred anonymously, so nobody will contact you about this referral');
    expect(confirmation).not.toContain('We will email you the outcome');

    const items = await allItems(table);
    const referrals = items.filter((item) => item.kind === 'referral');
    expect(referrals).toHaveLength(1);
    expect(referrals[0]).toMatchObject({ channel: 'form', referralSource: '9' });
    expect(referrals[0]).not.toHaveProperty('referrer');
    expect(JSON.stringify(items)).not.toContain('jo@example.org');
    const submitted = items.filter((item) => item.kind === 'outbox' && item.detailType === 'ReferralSubmitted');
    expect(submitted.map((item) => JSON.parse(String(item.detail)).data)).toEqual([
      expect.objectContaining({ channel: 'form', referralSource: '9', childCount: 1 }),
    ]);
  });

  it('tells a named referrer they will be emailed the outcome', async () => {
    const { cookie, csrfToken } = await readyToSend();
    await answer(cookie, csrfToken, '/refer/check-your-answers', {});
    const confirmation = (await get('/refer/confirmation', cookie)).body ?? '';
    expect(confirmation).toContain('We will email you the outcome');
    const [referral] = (await allItems(table)).filter((item) => item.kind === 'referral');
    expect(referral).toMatchObject({ referralSource: '1D', referrer: { name: 'Jo Bloggs', email: 'jo@example.org' } });
  });
});

describe('giving up the claim to send after a failure', () => {
  const throttled = () => Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ThrottlingException' });
  const isRelease = (command: { input?: { UpdateExpression?: string } }) => command.input?.UpdateExpression === 'REMOVE sendingSince';
  const isTransaction = (command: object) => command instanceof TransactWriteCommand;

  /** The table as it is, except that the commands `fails` picks are refused as DynamoDB refuses a throttled request. */
  function failing(fails: (command: { input?: { UpdateExpression?: string } }) => boolean): DynamoDBDocumentClient {
    const documents = runtime.documents;
    return new Proxy(documents, {
      get: (target, property, receiver) =>
        property === 'send'
          ? async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
              if (fails(command as { input?: { UpdateExpression?: string } })) throw throttled();
              return target.send(command);
            }
          : Reflect.get(target, property, receiver),
    });
  }

  it('releases a claimed draft so that it can be sent at once; a sent or missing draft has nothing to release', async () => {
    const store = createDraftsStore(runtime.documents, runtime.tableName);
    const at = new Date(now);
    const fresh = unsavedDraft(newSecret());
    const draft = await store.saveAnswers(fresh, fresh.answers, at);
    expect(await store.claimSending(draft, at)).toBe(true);
    expect(await store.claimSending(draft, at)).toBe(false);
    expect(await store.releaseSending(draft)).toBe(true);
    expect(await store.claimSending(draft, at)).toBe(true);

    await runtime.documents.send(
      new TransactWriteCommand({
        TransactItems: [store.sentWrite(draft, { referralId: 'referral-1', reference: 'FSP-2026-ABC123', anonymous: false })],
      }),
    );
    expect(await store.releaseSending(draft)).toBe(false);
    expect((await store.get(draft.draftId, at))?.sendingSince).toBe(at.toISOString());

    const before = await allItems(table);
    expect(await store.releaseSending(unsavedDraft(newSecret()))).toBe(false);
    expect(await allItems(table)).toEqual(before);
  });

  it('throws any failure other than the refusal', async () => {
    const store = createDraftsStore(failing(isRelease), runtime.tableName);
    await expect(store.releaseSending(unsavedDraft(newSecret()))).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('lets "Send referral" send again at once when storing the referral failed', async () => {
    const { cookie, csrfToken } = await readyToSend();
    const failingOnce = createPublicApi({ ...runtime, documents: failing(isTransaction) });
    const refused = await post('/refer/check-your-answers', cookie, { csrfToken }, failingOnce);
    // Throttled: busy, not broken (shared/src/http/transient.ts): the problem page, 503, and when to try again.
    expect(refused.statusCode).toBe(503);
    expect(refused.headers?.['retry-after']).toBe('2');
    expect(refused.body).toContain('Sorry, there is a problem with the service');
    expect((await drafts())[0]).not.toHaveProperty('sendingSince');
    expect((await allItems(table)).filter((item) => item.kind === 'referral')).toHaveLength(0);

    expect(await answer(cookie, csrfToken, '/refer/check-your-answers', {})).toBe('/refer/confirmation');
    expect((await allItems(table)).filter((item) => item.kind === 'referral')).toHaveLength(1);
  });

  it('stores the referral once when a press whose claim lapsed meets an earlier press still storing it', async () => {
    const { cookie, csrfToken } = await readyToSend();
    // The first press's transaction is held, as a function frozen after answering at its deadline holds it.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached: () => void = () => {};
    const atTransaction = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const documents = runtime.documents;
    const holding = new Proxy(documents, {
      get: (target, property, receiver) =>
        property === 'send'
          ? async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
              if (isTransaction(command)) {
                reached();
                await held;
              }
              return target.send(command);
            }
          : Reflect.get(target, property, receiver),
    });
    const first = post('/refer/check-your-answers', cookie, { csrfToken }, createPublicApi({ ...runtime, documents: holding }));
    await atTransaction;

    // Its claim lapses, and the referrer's next press takes it over and stores the referral.
    now = new Date(Date.parse(now) + SENDING_LEASE_MS + 1000).toISOString();
    expect(await answer(cookie, csrfToken, '/refer/check-your-answers', {})).toBe('/refer/confirmation');
    const referrals = async () => (await allItems(table)).filter((item) => item.kind === 'referral');
    expect(await referrals()).toHaveLength(1);

    // The first press's transaction goes through at last: its draft already names a referral, so it stores nothing.
    release();
    expect(location(await first)).toEqual([303, '/refer/confirmation']);
    const stored = await referrals();
    expect(stored).toHaveLength(1);
    expect((await drafts())[0]).toMatchObject({ referralId: stored[0]?.referralId, reference: stored[0]?.reference });
  });

  it('answers the storing failure and logs an error when the claim cannot be given up either; the claim then lapses', async () => {
    const { cookie, csrfToken } = await readyToSend();
    const { logger, lines } = capturingLogger();
    const brokenTable = createPublicApi({
      ...runtime,
      logger,
      documents: failing((command) => isTransaction(command) || isRelease(command)),
    });
    const refused = await post('/refer/check-your-answers', cookie, { csrfToken }, brokenTable);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers?.['retry-after']).toBe('2');
    const errors = lines.filter((line) => line.level === 'ERROR').map((line) => line.message);
    expect(errors).toEqual(['form draft sending claim not released; it lapses on its own']);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'Request failed for a moment', reason: 'ThrottlingException' }),
    );
    expect(JSON.stringify(lines)).not.toContain(cookie.split('=')[1]);
    // Held until the lease lapses: another press in the meantime shows that it is being sent.
    expect((await drafts())[0]).toHaveProperty('sendingSince');
    now = new Date(Date.parse(now) + SENDING_LEASE_MS + 1000).toISOString();
    expect(await answer(cookie, csrfToken, '/refer/check-your-answers', {})).toBe('/refer/confirmation');
    expect((await allItems(table)).filter((item) => item.kind === 'referral')).toHaveLength(1);
  });
});
