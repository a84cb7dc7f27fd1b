/**
 * The partner API v1 contract (PARTNER-API.md) end to end through the local cloud's gateway, with
 * real client-credentials tokens: authentication and scopes, idempotency (also under concurrent
 * retries), field errors, 413, 415, agency-scoped reads, the updatedSince listing with cursors,
 * and per-agency rate limiting with isolation (QUALITY.md security 1, 2, 7).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { workerToken } from '@fsp/infra/local/demo-tokens';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@fsp/infra/local/dynamodb-local';
import { type LocalCloud, startLocalCloud } from '@fsp/infra/local/local-cloud';
import { loadServiceManifests } from '@fsp/infra/local/manifests';
import { validate } from '@fsp/shared/events/field-issues';
import { allItems, testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { submitReferralExample } from '../../src/http/openapi/examples';
import { referralChangesSchema, referralReceiptSchema, referralViewSchema } from '../../src/http/openapi/schemas';
import { onboardAgency } from '../support/agencies';

/** Low, so that a test can exceed it; every test uses its own agency, so their counts never meet. */
const RATE_LIMIT = 15;

let cloud: LocalCloud;
let dataDirectory: string;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'fsp-partner-api-'));
  const manifests = (await loadServiceManifests()).map((manifest) =>
    manifest.name === 'referrals'
      ? { ...manifest, environment: { ...manifest.environment, PARTNER_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) } }
      : manifest,
  );
  cloud = await startLocalCloud({
    manifests,
    dynamoEndpoint: testDynamoEndpoint(),
    dataDirectory,
    tablePrefix: `pa${Date.now().toString(36)}-`,
    functionLogLevel: 'SILENT',
    log: () => {},
  });
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: cloud.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
  );
}, 120_000);

afterAll(async () => {
  documents?.destroy();
  await cloud?.stop();
  rmSync(dataDirectory, { recursive: true, force: true });
});

interface Agency {
  agencyId: string;
  clientId: string;
  clientSecret: string;
}

/** A new agency: an OAuth client at the issuer, onboarded in the referrals service as the admin API would. */
async function newAgency(label: string): Promise<Agency> {
  const agencyId = `agency-${label}-${randomUUID().slice(0, 8)}`;
  const client = cloud.issuer.registerClient({ name: label, scopes: ['referrals/submit', 'referrals/read'], agencyId });
  await onboardAgency(documents, cloud.tableNames.referrals!, { agencyId, clientId: client.clientId });
  return { agencyId, clientId: client.clientId, clientSecret: client.clientSecret };
}

async function tokenFor(agency: Agency, scope = 'referrals/submit referrals/read'): Promise<string> {
  const response = await fetch(`${cloud.url}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${agency.clientId}:${agency.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: a parsed JSON answer, checked field by field by the assertions
  body: any;
}

async function call(
  path: string,
  init: { method?: string; token?: string; body?: unknown; raw?: string; contentType?: string; key?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined || init.raw !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
  if (init.key !== undefined) headers['idempotency-key'] = init.key;
  const response = await fetch(`${cloud.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.raw !== undefined ? { body: init.raw } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

const submit = (token: string, body: unknown = submitReferralExample, key: string = randomUUID()) =>
  call('/v1/referrals', { method: 'POST', token, body, key });

describe('tokens and scopes', () => {
  let agency: Agency;
  let token: string;
  let referralId: string;
  beforeAll(async () => {
    agency = await newAgency('tokens');
    token = await tokenFor(agency);
    const created = await submit(token);
    expect(created.status).toBe(201);
    referralId = created.body.id;
  });

  const routes = () => [
    { method: 'POST', path: '/v1/referrals', scope: 'referrals/submit' },
    { method: 'GET', path: `/v1/referrals/${referralId}`, scope: 'referrals/read' },
    { method: 'GET', path: '/v1/referrals?updatedSince=2020-01-01T00:00:00Z', scope: 'referrals/read' },
  ];

  it('answers 401 to no token, an expired token and a tampered token on every partner route', async () => {
    // A token issued two hours ago (tokens last an hour): only Date is faked, while it is minted.
    jest.useFakeTimers({
      now: Date.now() - 2 * 60 * 60 * 1000,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    const expired = cloud.issuer.issueClientToken(agency.clientId, ['referrals/submit', 'referrals/read']).access_token;
    jest.useRealTimers();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, agency_id: 'someone-else' })).toString('base64url')}.${signature}`;

    for (const route of routes()) {
      for (const bad of [undefined, expired, tampered, 'not-a-jwt']) {
        const answer = await call(route.path, {
          method: route.method,
          ...(bad ? { token: bad } : {}),
          ...(route.method === 'POST' ? { body: submitReferralExample, key: randomUUID() } : {}),
        });
        expect({ route: route.path, bad: bad?.slice(0, 10), status: answer.status }).toEqual({
          route: route.path,
          bad: bad?.slice(0, 10),
          status: 401,
        });
        expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    }
  });

  it('answers 403 to a token without the scope a route needs', async () => {
    const readOnly = await tokenFor(agency, 'referrals/read');
    const submitOnly = await tokenFor(agency, 'referrals/submit');
    for (const route of routes()) {
      const token = route.scope === 'referrals/submit' ? readOnly : submitOnly;
      const answer = await call(route.path, {
        method: route.method,
        token,
        ...(route.method === 'POST' ? { body: submitReferralExample, key: randomUUID() } : {}),
      });
      expect({ route: route.path, status: answer.status }).toEqual({ route: route.path, status: 403 });
    }
    const worker = await workerToken(cloud, 'frontdoor');
    expect((await submit(worker)).status).toBe(403);
  });
});

describe('POST /v1/referrals', () => {
  let agency: Agency;
  let token: string;
  beforeAll(async () => {
    agency = await newAgency('submit');
    token = await tokenFor(agency);
  });

  it('answers 201 with Location, id, reference, status, receivedAt and decisionDueBy', async () => {
    const answer = await submit(token);
    expect(answer.status).toBe(201);
    expect(validate(referralReceiptSchema, answer.body)).toMatchObject({ success: true });
    expect(answer.headers.get('location')).toBe(`/v1/referrals/${answer.body.id}`);
    expect(answer.body.status).toBe('received');
  });

  it('answers a retry with the same key and body with the original result, sequentially and 10 times concurrently', async () => {
    const key = randomUUID();
    const first = await submit(token, submitReferralExample, key);
    expect(first.status).toBe(201);
    // The same body with its keys in another order and other spacing is the same body.
    const reorder = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reorder)
        : value && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reorder(v)]),
            )
          : value;
    const reordered = reorder(submitReferralExample);
    const again = await submit(token, reordered, key);
    expect({ status: again.status, text: again.text, location: again.headers.get('location') }).toEqual({
      status: 201,
      text: first.text,
      location: first.headers.get('location'),
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const concurrentKey = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => submit(token, submitReferralExample, concurrentKey)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(new Set(answers.map((answer) => answer.headers.get('location'))).size).toBe(1);

    // Exactly one referral each: the agency's listing holds the two, not twelve.
    const listed = await call('/v1/referrals?updatedSince=2000-01-01T00:00:00Z&limit=100', { token });
    const ids = listed.body.referrals.map((entry: { id: string }) => entry.id);
    expect(ids.filter((id: string) => id === first.body.id)).toHaveLength(1);
    expect(ids.filter((id: string) => id === answers[0]!.body.id)).toHaveLength(1);
  });

  it('answers 422 when a key is reused with a different body, and keys are per agency', async () => {
    const key = randomUUID();
    expect((await submit(token, submitReferralExample, key)).status).toBe(201);
    const other = await submit(token, { ...submitReferralExample, referralSource: '1A' }, key);
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    expect(other.body).toMatchObject({ status: 422, type: 'urn:fsp:problem:idempotency-key-reused' });
    // Another agency using the same key makes its own referral.
    const stranger = await tokenFor(await newAgency('same-key'));
    expect((await submit(stranger, submitReferralExample, key)).status).toBe(201);
  });

  it('answers 400 naming every failing field, the Idempotency-Key header included', async () => {
    const answer = await call('/v1/referrals', {
      method: 'POST',
      token,
      body: {
        ...submitReferralExample,
        referralSource: 'school',
        children: [{ firstName: '', lastName: 'Jones', dateOfBirth: '2018-02-30' }],
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.errors.map((error: { in: string; path: string }) => `${error.in} ${error.path}`)).toEqual(
      expect.arrayContaining([
        'header $["Idempotency-Key"]',
        'body $.referralSource',
        'body $.children[0].firstName',
        'body $.children[0].dateOfBirth',
      ]),
    );
    const badKey = await submit(token, submitReferralExample, 'x'.repeat(256));
    expect(badKey.status).toBe(400);
    expect(badKey.body.errors).toEqual([expect.objectContaining({ in: 'header', path: '$["Idempotency-Key"]' })]);
  });

  it('answers 413 to a body over 256 KB and 415 to a body that is not JSON', async () => {
    const huge = { ...submitReferralExample, concerns: { whatHappened: 'x'.repeat(300 * 1024), whyNow: 'now' } };
    const tooLarge = await call('/v1/referrals', { method: 'POST', token, body: huge, key: randomUUID() });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('content-type')).toContain('application/problem+json');
    const wrongType = await call('/v1/referrals', {
      method: 'POST',
      token,
      raw: JSON.stringify(submitReferralExample),
      contentType: 'text/plain',
      key: randomUUID(),
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('reading', () => {
  let agency: Agency;
  let token: string;
  beforeAll(async () => {
    agency = await newAgency('reader');
    token = await tokenFor(agency);
  });

  it('shows the agency its referral as submitted, with status and, once decided, outcome and decision time', async () => {
    const created = await submit(token);
    const read = await call(`/v1/referrals/${created.body.id}`, { token });
    expect(read.status).toBe(200);
    expect(validate(referralViewSchema, read.body)).toMatchObject({ success: true });
    expect(read.body).toMatchObject({ id: created.body.id, reference: created.body.reference, status: 'received' });
    expect(read.body.outcome).toBeUndefined();
    expect(read.body.submitted).toEqual(submitReferralExample);
    // Nothing of ours: no child ids, matches, flags.
    expect(read.text).not.toMatch(/childId|familyMatches|familySafeguardingFlag|version/);

    const frontDoor = await workerToken(cloud, 'frontdoor');
    const decided = await call(`/api/front-door/referrals/${created.body.id}/decision`, {
      method: 'POST',
      token: frontDoor,
      body: { outcome: 'early-help', reason: 'The early help team will call the family this week.' },
    });
    expect(decided.status).toBe(200);
    const after = await call(`/v1/referrals/${created.body.id}`, { token });
    expect(after.body).toMatchObject({ status: 'decided', outcome: 'early-help', decidedAt: expect.any(String) });
    expect(after.text).not.toContain('early help team will call');
  });

  it("answers another agency's referral id exactly like an unknown id: 404", async () => {
    const created = await submit(token);
    const stranger = await tokenFor(await newAgency('stranger'));
    const theirs = await call(`/v1/referrals/${created.body.id}`, { token: stranger });
    const unknown = await call(`/v1/referrals/${randomUUID()}`, { token: stranger });
    expect(theirs.status).toBe(404);
    expect(unknown.status).toBe(404);
    const comparable = (answer: Answer) => ({ ...answer.body, requestId: undefined, instance: undefined });
    expect(comparable(theirs)).toEqual(comparable(unknown));
    const listed = await call('/v1/referrals?updatedSince=2000-01-01T00:00:00Z', { token: stranger });
    expect(listed.body.referrals).toEqual([]);
  });

  it('lists the referrals changed since a time, oldest change first, in cursor pages', async () => {
    const lister = await newAgency('lister');
    const listerToken = await tokenFor(lister);
    const before = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await submit(listerToken)).body.id);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await call(
        `/v1/referrals?updatedSince=${encodeURIComponent(before)}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { token: listerToken },
      );
      expect(page.status).toBe(200);
      expect(validate(referralChangesSchema, page.body)).toMatchObject({ success: true });
      seen.push(...page.body.referrals.map((entry: { id: string }) => entry.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(ids);
    expect(pages).toBeGreaterThanOrEqual(3);

    // A decision moves the referral to the end of the changes.
    const frontDoor = await workerToken(cloud, 'frontdoor');
    await call(`/api/front-door/referrals/${ids[0]}/decision`, {
      method: 'POST',
      token: frontDoor,
      body: { outcome: 'no-further-action', reason: 'Information only.' },
    });
    const all = await call(`/v1/referrals?updatedSince=${encodeURIComponent(before)}`, { token: listerToken });
    expect(all.body.referrals.map((entry: { id: string }) => entry.id)).toEqual([...ids.slice(1), ids[0]]);
    expect(all.body.referrals.at(-1)).toMatchObject({ status: 'decided', outcome: 'no-further-action' });
    const later = await call(`/v1/referrals?updatedSince=${encodeURIComponent(all.body.referrals.at(-1).updatedAt)}`, {
      token: listerToken,
    });
    expect(later.body.referrals.map((entry: { id: string }) => entry.id)).toEqual([ids[0]]);
  });

  it('answers 400 naming the cursor or updatedSince when they are not valid', async () => {
    const since = '2026-01-01T00:00:00Z';
    await submit(token);
    await submit(token);
    const first = await call(`/v1/referrals?updatedSince=${since}&limit=1`, { token });
    expect(first.body.nextCursor).toBeDefined();
    for (const cursor of ['garbage', Buffer.from('{"v":1}').toString('base64url'), `${first.body.nextCursor}x`]) {
      const answer = await call(`/v1/referrals?updatedSince=${since}&cursor=${encodeURIComponent(cursor)}`, { token });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ in: 'query', path: '$.cursor' })]);
    }
    const otherSince = await call(`/v1/referrals?updatedSince=2025-01-01T00:00:00Z&cursor=${first.body.nextCursor}`, { token });
    expect(otherSince.status).toBe(400);
    for (const query of ['', 'updatedSince=yesterday', `updatedSince=${since}&limit=0`, `updatedSince=${since}&limit=101`]) {
      const answer = await call(`/v1/referrals?${query}`, { token });
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].in).toBe('query');
    }
  });
});

const isBusy = (answer: { status: number; headers: Headers }) => answer.status === 503 && Number(answer.headers.get('retry-after')) >= 1;

/**
 * Requests from one agency, FLOOD_CONCURRENCY at a time for as long as there are any: a flood, but
 * one that DynamoDB Local on a two-core machine can serve inside the function timeout (dozens of
 * transactions at once on one counter item make it wait for seconds, where DynamoDB would not).
 */
const FLOOD_CONCURRENCY = 8;
async function floodOf(requests: (() => Promise<Answer>)[]): Promise<Answer[]> {
  const answers: Answer[] = new Array(requests.length);
  let next = 0;
  const lane = async () => {
    while (next < requests.length) {
      const index = next++;
      answers[index] = await requests[index]!();
    }
  };
  await Promise.all(Array.from({ length: FLOOD_CONCURRENCY }, lane));
  return answers;
}

describe('rate limiting', () => {
  it('answers one flooding agency 429 with Retry-After while another agency is still served', async () => {
    const flooder = await tokenFor(await newAgency('flooder'));
    const neighbour = await tokenFor(await newAgency('neighbour'));
    const flood = await floodOf(
      // Twice the limit and more: even if the window rolls over mid-flood, some must be refused.
      Array.from(
        { length: 2 * RATE_LIMIT + 15 },
        (_, i) => () => (i % 3 === 0 ? submit(flooder) : call('/v1/referrals?updatedSince=2026-01-01T00:00:00Z', { token: flooder })),
      ),
    );
    const limited = flood.filter((answer) => answer.status === 429);
    // The window may roll over mid-flood; at most two windows' worth get through.
    expect(limited.length).toBeGreaterThanOrEqual(15);
    // Anything else is shown with its body, so that a failure says what went wrong. A 503 with
    // Retry-After ("busy, nothing changed, send it again") is a fair answer to a burst contending
    // for the agency's counter; it is never a 500.
    const unexpected = flood.filter((answer) => ![200, 201, 429].includes(answer.status) && !isBusy(answer));
    expect(unexpected.map((answer) => `${answer.status} ${JSON.stringify(answer.body)}`)).toEqual([]);
    for (const answer of limited) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ status: 429 });
    }
    // The flooder keeps being refused; its neighbour is served.
    expect((await submit(neighbour)).status).toBe(201);
    expect((await call('/v1/referrals?updatedSince=2026-01-01T00:00:00Z', { token: neighbour })).status).toBe(200);
  });

  it('keeps a refused submission from storing anything', async () => {
    const agency = await newAgency('refused');
    const token = await tokenFor(agency);
    const answers = await floodOf(Array.from({ length: 2 * RATE_LIMIT + 10 }, () => () => submit(token)));
    const unexpected = answers.filter((answer) => answer.status !== 201 && answer.status !== 429 && !isBusy(answer));
    expect(unexpected.map((answer) => `${answer.status} ${JSON.stringify(answer.body)}`)).toEqual([]);
    const created = answers.filter((answer) => answer.status === 201).length;
    expect(created).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer.status === 429).length).toBeGreaterThan(0);
    // Read from the table itself, not through the API (whose answer this agency's spent minute
    // could refuse): everything an accepted submission writes, once per 201 and never for a 429.
    const items = (await allItems({ documentClient: documents, tableName: cloud.tableNames.referrals! })).filter(
      (item) =>
        item.agencyId === agency.agencyId ||
        item.pk === `AGENCY#${agency.agencyId}#CHANGES` ||
        String(item.pk).startsWith(`IDEMPOTENCY-KEY#${agency.agencyId}#`) ||
        item.pk === `RATE-LIMIT#${agency.agencyId}` ||
        (item.kind === 'outbox' &&
          (JSON.parse(String(item.detail)) as { data?: { agencyId?: string } }).data?.agencyId === agency.agencyId),
    );
    const count = (kind: string) => items.filter((item) => item.kind === kind).length;
    expect(count('referral')).toBe(created);
    expect(count('agency-change')).toBe(created);
    expect(count('idempotency-key')).toBe(created);
    expect(items.filter((item) => item.kind === 'outbox' && item.detailType === 'ReferralSubmitted')).toHaveLength(created);
    // The rate-limit counter counts only what it let through: a refused request leaves it as it was.
    expect(items.filter((item) => item.kind === 'rate-limit').reduce((sum, item) => sum + Number(item.count), 0)).toBe(created);
  });
});
