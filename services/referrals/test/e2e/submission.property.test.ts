/**
 * QUALITY.md security 3, for `POST /v1/referrals`: 10,000 generated valid and mutated requests
 * through the real HTTP handler against DynamoDB Local. Valid ones answer 201; invalid ones 400
 * with field errors naming where; nothing answers 5xx; nothing is stored for a rejected one.
 */
import { randomUUID } from 'node:crypto';
import { FACTOR_CODES, REFERRAL_SOURCE_CODES } from '@fsp/shared/events/codes';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, partnerClaims } from '@fsp/shared/testing/api-gateway-event';
import { allItems, ownDynamoDbLocal, type TestTable } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import fc from 'fast-check';
import { onboardAgency } from '../support/agencies';
import { createPartnerApi } from '../support/http';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 10_000);
const CONCURRENCY = Number(process.env.PROPERTY_CONCURRENCY ?? 16);

let table: TestTable;
let runtime: ServiceRuntime;
const savedLimit = process.env.PARTNER_RATE_LIMIT_PER_MINUTE;

const ownDynamo = ownDynamoDbLocal();

beforeAll(async () => {
  // This test is about validation, not rate limits: one agency sends 10,000 requests in seconds.
  process.env.PARTNER_RATE_LIMIT_PER_MINUTE = '9999999';
  ({ table, runtime } = await createTestRuntime('referrals-property'));
  await onboardAgency(table.documentClient, table.tableName, { agencyId: 'agency-property', clientId: 'property-client' });
});
afterAll(async () => {
  if (savedLimit === undefined) delete process.env.PARTNER_RATE_LIMIT_PER_MINUTE;
  else process.env.PARTNER_RATE_LIMIT_PER_MINUTE = savedLimit;
  await table.drop();
  await ownDynamo.stop();
});

type Json = Record<string, unknown>;

const word = fc.stringMatching(/^[A-Za-z][A-Za-z' -]{0,30}[a-z]$/);
const text = (max: number) => fc.string({ minLength: 1, maxLength: Math.min(max, 120) }).map((s) => (s.trim().length === 0 ? `x${s}` : s));
const isoDate = fc
  .date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const postcode = fc
  .tuple(
    fc.stringMatching(/^[A-Z]{1,2}$/),
    fc.integer({ min: 1, max: 9 }),
    fc.boolean(),
    fc.integer({ min: 0, max: 9 }),
    fc.stringMatching(/^[A-Z]{2}$/),
  )
  .map(([area, district, space, sector, unit]) => `${area}${district}${space ? ' ' : ''}${sector}${unit}`);
const email = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.stringMatching(/^[a-z]{2,10}$/), fc.constantFrom('org', 'uk', 'com'))
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

const child = fc.record(
  {
    firstName: word,
    lastName: word,
    born: fc.oneof(
      fc.constant({}),
      isoDate.map((dateOfBirth) => ({ dateOfBirth })),
      isoDate.map((expectedDateOfBirth) => ({ expectedDateOfBirth })),
    ),
    gender: fc.constantFrom('female', 'male', 'other', 'not-known'),
    address: fc.record({ line1: text(200), town: text(100), postcode }),
    school: text(200),
  },
  { requiredKeys: ['firstName', 'lastName', 'born'] },
);

const validSubmission: fc.Arbitrary<Json> = fc.record(
  {
    referrer: fc.record(
      { name: text(200), role: text(200), organisation: text(200), email, phone: fc.stringMatching(/^\+?[0-9]{7,15}$/) },
      { requiredKeys: ['name', 'email'] },
    ),
    referralSource: fc.constantFrom(...REFERRAL_SOURCE_CODES),
    children: fc
      .array(child, { minLength: 1, maxLength: 3 })
      .map((children) => children.map(({ born, ...rest }) => ({ ...rest, ...born }))),
    adults: fc.array(fc.record({ firstName: word, lastName: word, relationship: text(100) }), { maxLength: 2 }),
    concerns: fc.record({ whatHappened: text(10_000), whyNow: text(5_000) }),
    factors: fc.uniqueArray(fc.constantFrom(...FACTOR_CODES), { minLength: 1, maxLength: 4 }),
    consent: fc.record(
      { familyKnows: fc.boolean(), consentGiven: fc.boolean(), withoutConsentReason: text(2_000) },
      { requiredKeys: ['familyKnows', 'consentGiven'] },
    ),
  },
  { requiredKeys: ['referrer', 'referralSource', 'children', 'concerns', 'factors', 'consent'] },
);

/** Where a mutation breaks the body, and how; every one of these makes a valid body invalid. */
type Mutation = (body: Json) => { body: Json; path: string };
const set = (body: Json, path: readonly (string | number)[], value: unknown): Json => {
  const copy = structuredClone(body);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
};
const wrongType = fc.constantFrom<unknown>(42, null, [], {});
/**
 * Characters no name or free text may hold (shared/src/text.ts): controls, format characters
 * (bidirectional overrides, zero-width ones, the byte order mark, tags) and lone surrogates, which
 * JSON can carry escaped. The generators above make printable ASCII only, so no valid body has one.
 */
const HIDDEN = [
  '\u0000',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00ad',
  '\u061c',
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2066',
  '\u2069',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\u{e0041}',
];
const mutations: fc.Arbitrary<Mutation>[] = [
  fc.constantFrom('referrer', 'referralSource', 'children', 'concerns', 'factors', 'consent').map(
    (field): Mutation =>
      (body) => ({ body: set(body, [field], undefined), path: `$.${field}` }),
  ),
  fc
    .constantFrom(
      ['referrer', 'name'],
      ['referrer', 'email'],
      ['concerns', 'whatHappened'],
      ['concerns', 'whyNow'],
      ['children', 0, 'firstName'],
    )
    .map(
      (path): Mutation =>
        (body) => ({
          body: set(body, path, fc.sample(fc.constantFrom('', '   ', '\t\n'), 1)[0]),
          path: `$.${path.join('.').replace('.0.', '[0].')}`,
        }),
    ),
  fc
    .tuple(
      fc.constantFrom(
        ['referralSource'],
        ['factors'],
        ['consent', 'familyKnows'],
        ['children'],
        ['referrer', 'email'],
        ['children', 0, 'lastName'],
      ),
      wrongType,
    )
    .map(
      ([path, value]): Mutation =>
        (body) => ({ body: set(body, path, value), path: `$.${path.join('.').replace('.0.', '[0].')}` }),
    ),
  fc.constantFrom('school', '99', '2', 'A2', '').map(
    (code): Mutation =>
      (body) => ({ body: set(body, ['referralSource'], code), path: '$.referralSource' }),
  ),
  fc.constantFrom('2018-02-30', '14/03/2018', '2018-3-14', 'yesterday').map(
    (date): Mutation =>
      (body) => ({ body: set(body, ['children', 0, 'dateOfBirth'], date), path: '$.children[0].dateOfBirth' }),
  ),
  fc.constantFrom('not-an-email', 'a@b', '@example.org', 'x y@example.org').map(
    (value): Mutation =>
      (body) => ({ body: set(body, ['referrer', 'email'], value), path: '$.referrer.email' }),
  ),
  fc
    .tuple(
      fc.constantFrom(
        ['referrer', 'name'],
        ['children', 0, 'firstName'],
        ['children', 0, 'lastName'],
        ['concerns', 'whatHappened'],
        ['concerns', 'whyNow'],
      ),
      fc.constantFrom(...HIDDEN),
    )
    .map(
      ([path, character]): Mutation =>
        (body) => ({ body: set(body, path, `Mi${character}ller`), path: `$.${path.join('.').replace('.0.', '[0].')}` }),
    ),
  fc
    .tuple(
      fc.constantFrom(['referrer', 'name'], ['children', 0, 'firstName'], ['children', 0, 'lastName']),
      fc.constantFrom('\t', '\n', '\r\n'),
    )
    .map(
      ([path, lineBreak]): Mutation =>
        (body) => ({ body: set(body, path, `Mi${lineBreak}ller`), path: `$.${path.join('.').replace('.0.', '[0].')}` }),
    ),
  fc.constant<Mutation>((body) => ({ body: set(body, ['children'], []), path: '$.children' })),
  fc.constant<Mutation>((body) => ({ body: set(body, ['factors'], []), path: '$.factors' })),
  fc.constant<Mutation>((body) => ({ body: set(body, ['factors'], ['3B', '3B']), path: '$.factors' })),
  fc.constant<Mutation>((body) => ({ body: set(body, ['factors'], ['not-a-code']), path: '$.factors[0]' })),
  fc.constant<Mutation>((body) => ({ body: set(body, ['concerns', 'whatHappened'], 'x'.repeat(10_001)), path: '$.concerns.whatHappened' })),
  fc.constant<Mutation>((body) => ({ body: set(body, ['children', 0, 'firstName'], 'x'.repeat(101)), path: '$.children[0].firstName' })),
  fc.constant<Mutation>((body) => ({
    body: set(set(body, ['children', 0, 'dateOfBirth'], '2018-03-14'), ['children', 0, 'expectedDateOfBirth'], '2026-12-01'),
    path: '$.children[0].expectedDateOfBirth',
  })),
  fc.constant<Mutation>((body) => ({
    body: set(body, ['children', 0, 'address'], { line1: '1 High St', town: 'Northtown', postcode: 'NOT A POSTCODE' }),
    path: '$.children[0].address.postcode',
  })),
];

interface Case {
  kind: 'valid' | 'invalid-body' | 'no-key' | 'bad-key' | 'not-an-object';
  body: unknown;
  expectedPath?: string;
}

const caseArbitrary: fc.Arbitrary<Case> = fc.oneof(
  { weight: 2, arbitrary: validSubmission.map((body): Case => ({ kind: 'valid', body })) },
  {
    weight: 7,
    arbitrary: fc.tuple(validSubmission, fc.oneof(...mutations)).map(([body, mutate]): Case => {
      const mutated = mutate(body);
      return { kind: 'invalid-body', body: mutated.body, expectedPath: mutated.path };
    }),
  },
  { weight: 1, arbitrary: validSubmission.map((body): Case => ({ kind: 'no-key', body })) },
  { weight: 1, arbitrary: validSubmission.map((body): Case => ({ kind: 'bad-key', body })) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>([], 7, 'referral', null, true).map((body): Case => ({ kind: 'not-an-object', body })) },
);

it(`answers ${RUNS} generated valid and mutated submissions: 201 or 400 with field errors, never 5xx, nothing stored when rejected`, async () => {
  const api = createPartnerApi(runtime);
  const claims = partnerClaims({ client_id: 'property-client', sub: 'property-client' });
  const t0 = Date.now();
  const cases = fc.sample(caseArbitrary, { numRuns: RUNS, seed: 20261123 });
  const failures: string[] = [];
  let accepted = 0;
  let next = 0;

  async function run(item: Case): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (item.kind === 'bad-key') headers['idempotency-key'] = fc.sample(fc.constantFrom('', 'x'.repeat(256), 'tab\there', 'café'), 1)[0]!;
    else if (item.kind !== 'no-key') headers['idempotency-key'] = randomUUID();
    const response = await api(
      apiGatewayEvent({ method: 'POST', path: '/v1/referrals', claims, headers, body: JSON.stringify(item.body) }),
    );
    const body = JSON.parse(response.body ?? 'null') as { errors?: { in: string; path: string }[] };
    const describe = () => `${item.kind} ${item.expectedPath ?? ''} → ${response.statusCode} ${response.body?.slice(0, 300)}`;
    if (response.statusCode >= 500) failures.push(describe());
    else if (item.kind === 'valid') {
      if (response.statusCode === 201) accepted += 1;
      else failures.push(describe());
    } else if (response.statusCode !== 400 || !body.errors || body.errors.length === 0) failures.push(describe());
    else if (item.kind === 'invalid-body' && !body.errors.some((error) => error.in === 'body' && error.path === item.expectedPath)) {
      failures.push(describe());
    } else if ((item.kind === 'no-key' || item.kind === 'bad-key') && !body.errors.some((error) => error.in === 'header')) {
      failures.push(describe());
    }
  }

  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length) await run(cases[next++]!);
    }),
  );

  process.stderr.write(`property: ${cases.length} requests (${accepted} accepted) in ${Date.now() - t0} ms\n`);
  expect(failures.slice(0, 10)).toEqual([]);
  const expectedValid = cases.filter((item) => item.kind === 'valid').length;
  expect(accepted).toBe(expectedValid);
  expect(expectedValid).toBeGreaterThan(RUNS / 10);
  expect(RUNS - expectedValid).toBeGreaterThan(RUNS / 2);

  // Nothing stored for a rejected request: exactly one referral, key record and event per accepted one.
  const items = await allItems(table);
  const count = (kind: string) => items.filter((item) => item.kind === kind).length;
  expect(count('referral')).toBe(accepted);
  expect(count('idempotency-key')).toBe(accepted);
  expect(count('outbox')).toBe(accepted);
  expect(count('agency-change')).toBe(accepted);
  const counted = items.filter((item) => item.kind === 'rate-limit').reduce((sum, item) => sum + Number(item.count), 0);
  expect(counted).toBe(accepted);
}, 600_000);
