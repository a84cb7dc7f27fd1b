/**
 * QUALITY.md security 3, for `PUT /v1/agencies/me/webhook` (PARTNER-API.md): 10,000 generated
 * valid and mutated requests through the real HTTP handler, built as a deployed stage builds it
 * (https only), against DynamoDB Local. Valid ones answer 201 (first registration) or 200 (a
 * replacement) with a new signing secret, and the stored registration is exactly what was sent;
 * invalid ones (among them IPv6 literals carrying an IPv4 address, IPv4-compatible or 6to4, and
 * ports other than 443) answer 400 problem+json whose one error names the failing field by JSON
 * path (415 for a wrong content type); nothing answers 5xx; the stored registration is unchanged
 * by a rejected one.
 *
 * Each lane of CONCURRENCY runs its requests one after another for its own agency, so it knows what
 * is stored for that agency and which success status comes next.
 */

import { isDeepStrictEqual } from 'node:util';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { agencyOnboardedV1 } from '@fsp/shared/events/definitions/referrals';
import { PROBLEM_CONTENT_TYPE } from '@fsp/shared/http/errors';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, partnerClaims } from '@fsp/shared/testing/api-gateway-event';
import { allItems, ownDynamoDbLocal, type TestTable } from '@fsp/shared/testing/dynamodb';
import { lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import fc from 'fast-check';
import { createAgencyOnboardedConsumer } from '../../src/consumers/agency-onboarded';
import { MAX_WEBHOOK_URL_LENGTH, WEBHOOK_SECRET_PATTERN } from '../../src/domain/webhook';
import { webhookKey } from '../../src/store/agency-store';
import { factOf } from '../support/facts';
import { notificationsHttpHandler } from '../support/http';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 10_000);
const CONCURRENCY = Number(process.env.PROPERTY_CONCURRENCY ?? 16);
const PATH = '/v1/agencies/me/webhook';

let table: TestTable;
let runtime: ServiceRuntime;

const ownDynamo = ownDynamoDbLocal();

beforeAll(async () => {
  ({ table, runtime } = await createTestRuntime('notifications-webhook-property'));
});
afterAll(async () => {
  await table.drop();
  await ownDynamo.stop();
});

// --- Valid registrations ---------------------------------------------------------------------------

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$/);
const domainName = fc
  .tuple(
    fc.array(label, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('org', 'com', 'net', 'uk', 'org.uk', 'gov.uk', 'nhs.uk', 'sch.uk', 'police.uk'),
  )
  .map(([labels, tld]) => `${labels.join('.')}.${tld}`);
/** Public (UK provider) IPv4 literals: an agency may register an address rather than a name. Documentation ranges are refused. */
const publicIpv4 = fc
  .tuple(fc.constantFrom('81.2.69', '51.140.12', '212.58.244', '151.101.0'), fc.integer({ min: 1, max: 254 }))
  .map(([prefix, last]) => `${prefix}.${last}`);
const hexGroup = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
/** Public IPv6 literals (global unicast, outside every refused range), in brackets as a URL writes them. */
const publicIpv6 = fc
  .tuple(
    fc.constantFrom('2a00:1450:4009', '2a04:4e42', '2606:4700', '2001:4860:4860', '2a01:111:f400'),
    fc.array(hexGroup, { minLength: 1, maxLength: 3 }),
  )
  .map(([prefix, rest]) => `[${prefix}::${rest.join(':')}]`);
/** Outside the local stage a webhook is on port 443: written, or left to the https default. */
const allowedPort = fc.constantFrom('', '', '', ':443');
/** Any port a URL can hold, 443 included, sometimes with leading zeros (which the parser drops). */
const anyPort = fc
  .tuple(fc.integer({ min: 0, max: 65_535 }), fc.constantFrom('', '', '', '0', '00'))
  .map(([port, zeros]) => `:${zeros}${port}`);
/** A port other than 443, however it is written: the parser reads `:0443` as 443, so those are left out. */
const forbiddenPort = fc
  .oneof(fc.constantFrom(':80', ':8443', ':8080', ':22', ':25', ':6379', ':0', ':444', ':442', ':4430', ':00080', ':65535'), anyPort)
  .filter((port) => Number(port.slice(1)) !== 443);
const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,24}$/);
const queryPair = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/), fc.stringMatching(/^[A-Za-z0-9_-]{0,16}$/));

interface UrlParts {
  host: string;
  port: string;
  path: string;
  query: string;
}
const urlPartsWith = (port: fc.Arbitrary<string>): fc.Arbitrary<UrlParts> =>
  fc.record({
    host: fc.oneof({ weight: 16, arbitrary: domainName }, { weight: 2, arbitrary: publicIpv4 }, { weight: 1, arbitrary: publicIpv6 }),
    port,
    path: fc.array(segment, { maxLength: 4 }).map((segments) => `/${segments.join('/')}`),
    query: fc
      .option(fc.array(queryPair, { minLength: 1, maxLength: 3 }), { nil: undefined })
      .map((pairs) => (pairs === undefined ? '' : `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`)),
  });
/** The parts of a URL a deployed stage accepts. */
const urlParts = urlPartsWith(allowedPort);
/**
 * The same with any port, for mutations refused for another reason: that reason, checked before the
 * port, is the one the partner is told.
 */
const anyPortUrlParts = urlPartsWith(anyPort);
const urlOf = (parts: UrlParts, scheme = 'https://', host = parts.host) => `${scheme}${host}${parts.port}${parts.path}${parts.query}`;
/** Pads the path so the whole URL is exactly `length` characters (the path ends in letters, which changes nothing else). */
const padded = (parts: UrlParts, length: number): string => {
  const base = urlOf({ ...parts, query: '' });
  const filler = base.endsWith('/') ? '' : '/';
  const room = length - base.length - filler.length - parts.query.length;
  return `${base}${filler}${'a'.repeat(Math.max(room, 1))}${parts.query}`;
};

const validUrl = fc.oneof(
  { weight: 9, arbitrary: urlParts.map((parts) => urlOf(parts)) },
  // At and just under the documented limit.
  {
    weight: 1,
    arbitrary: fc
      .tuple(urlParts, fc.integer({ min: MAX_WEBHOOK_URL_LENGTH - 50, max: MAX_WEBHOOK_URL_LENGTH }))
      .map(([parts, n]) => padded(parts, n)),
  },
);

/** The schema is not strict: fields other than `url` are ignored (and must never be stored or honoured). */
const extraFields = fc.record(
  {
    description: fc.string({ maxLength: 60 }),
    events: fc.constant(['referral.decided']),
    secret: fc.constant('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='),
    agencyId: fc.constant('agency-someone-else'),
    registeredAt: fc.constant('2020-01-01T00:00:00.000Z'),
    enabled: fc.boolean(),
  },
  { requiredKeys: [] },
);
/** Some requests carry ignored fields too: one in three. */
const maybeExtras = fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: extraFields });
const jsonContentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8');

// --- Mutations ---------------------------------------------------------------------------------------

/** Why a mutated URL is refused, as webhookUrlProblem words it (domain/webhook.ts). */
const REASONS = {
  scheme: /must be an https:\/\/ address/,
  malformed: /this is not a URL/,
  overlong: new RegExp(`at most ${MAX_WEBHOOK_URL_LENGTH} characters`),
  credentials: /user name or password/,
  fragment: /#fragment/,
  private: /public internet address, not a private or loopback one/,
  port: /^url must use port 443, the https default: remove :\d+ from the address, or serve the webhook on 443$/,
} as const;

const loopbackOrPrivateHost = fc.oneof(
  fc.constantFrom(
    'localhost',
    'LOCALHOST',
    'localhost.',
    'hooks.localhost',
    'hooks.localhost.',
    '203.0.113.9',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '127.0.0.1',
    '127.1',
    '2130706433',
    '0x7f.0.0.1',
    '0177.0.0.1',
    '0.0.0.0',
    '169.254.169.254',
    '[::1]',
    '[::]',
    '[::ffff:127.0.0.1]',
    '[fd00::1]',
    '[2001:db8::1]',
  ),
  fc
    .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 }))
    .chain(([b, c, d]) =>
      fc.constantFrom(
        `10.${b}.${c}.${d}`,
        `127.${b}.${c}.${d}`,
        `192.168.${c}.${d}`,
        `172.${16 + (b % 16)}.${c}.${d}`,
        `100.${64 + (b % 64)}.${c}.${d}`,
        `169.254.${c}.${d}`,
      ),
    ),
);

const octet = fc.integer({ min: 0, max: 255 });
const anyIpv4 = fc.tuple(octet, octet, octet, octet);
const loopbackIpv4 = fc.tuple(fc.constant(127), octet, octet, octet);
const privateIpv4 = fc.oneof(
  loopbackIpv4,
  fc.tuple(fc.constant(10), octet, octet, octet),
  fc.tuple(fc.constant(169), fc.constant(254), octet, octet),
  fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
);
type Quad = [number, number, number, number];
const dotted = ([a, b, c, d]: Quad) => `${a}.${b}.${c}.${d}`;
/** The two 16-bit groups an IPv4 address becomes inside an IPv6 one. */
const hexPair = ([a, b, c, d]: Quad) => `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;

/**
 * IPv6 addresses that carry an IPv4 address, each way it can be written: IPv4-compatible (::/96)
 * and 6to4 (2002::/16) are refused whatever they carry, loopback most of all; IPv4-mapped ones are
 * judged by what they carry, so only private and loopback ones are generated here.
 */
const ipv4InIpv6Host: fc.Arbitrary<{ host: string; category: string }> = fc.oneof(
  fc.tuple(fc.oneof(loopbackIpv4, anyIpv4), fc.integer({ min: 0, max: 3 })).map(([ipv4, shape]) => ({
    host: [`[::${dotted(ipv4)}]`, `[::${hexPair(ipv4)}]`, `[0:0:0:0:0:0:${dotted(ipv4)}]`, `[0000::${hexPair(ipv4).toUpperCase()}]`][
      shape
    ]!,
    category: 'url: IPv4-compatible host',
  })),
  fc.tuple(fc.oneof(loopbackIpv4, anyIpv4), fc.array(hexGroup, { maxLength: 5 })).map(([ipv4, rest]) => ({
    host: rest.length === 5 ? `[2002:${hexPair(ipv4)}:${rest.join(':')}]` : `[2002:${hexPair(ipv4)}::${rest.join(':')}]`,
    category: 'url: 6to4 host',
  })),
  fc
    .tuple(privateIpv4, fc.boolean())
    .map(([ipv4, hex]) => ({ host: `[::ffff:${hex ? hexPair(ipv4) : dotted(ipv4)}]`, category: 'url: private host' })),
);

type BadUrl = { url: unknown; reason: RegExp; category: string };
const badUrls: fc.Arbitrary<BadUrl>[] = [
  fc
    .tuple(anyPortUrlParts, fc.constantFrom('http://', 'HTTP://', 'ftp://', 'ws://', 'wss://', 'file://', 'gopher://'))
    .map(([parts, scheme]) => ({ url: urlOf(parts, scheme), reason: REASONS.scheme, category: 'url: not https' })),
  fc.constantFrom('javascript:alert(1)', 'mailto:hooks@partner.example.org', 'data:text/plain,hello', 'urn:isbn:0451450523').map((url) => ({
    url,
    reason: REASONS.scheme,
    category: 'url: not https',
  })),
  fc.tuple(urlParts, fc.integer({ min: 0, max: 5 })).map(([parts, shape]) => {
    const broken = [
      `${parts.host}${parts.path}`, // no scheme
      `//${parts.host}${parts.path}`, // scheme-relative
      `https://${parts.host} ${parts.host}${parts.path}`, // space in the host
      `https://${parts.host}:${65_536 + parts.path.length}${parts.path}`, // port out of range
      `https://[${parts.host}]${parts.path}`, // a name in IPv6 brackets
      'https://',
    ][shape]!;
    return { url: broken, reason: REASONS.malformed, category: 'url: malformed' };
  }),
  fc.constantFrom('', ' ', 'not a url', 'partner.example.org', 'https//partner.example.org/hooks', 'https://exa mple.org/').map((url) => ({
    url,
    reason: REASONS.malformed,
    category: 'url: malformed',
  })),
  fc
    .tuple(anyPortUrlParts, fc.integer({ min: MAX_WEBHOOK_URL_LENGTH + 1, max: 3 * MAX_WEBHOOK_URL_LENGTH }))
    .map(([parts, n]) => ({ url: padded(parts, n), reason: REASONS.overlong, category: 'url: overlong' })),
  fc.tuple(anyPortUrlParts, fc.constantFrom('user@', 'user:pass@', ':secret@', 'admin:admin@')).map(([parts, credentials]) => ({
    url: urlOf(parts, `https://${credentials}`),
    reason: REASONS.credentials,
    category: 'url: credentials',
  })),
  fc
    .tuple(anyPortUrlParts, fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/))
    .map(([parts, fragment]) => ({ url: `${urlOf(parts)}#${fragment}`, reason: REASONS.fragment, category: 'url: fragment' })),
  fc
    .tuple(anyPortUrlParts, loopbackOrPrivateHost)
    .map(([parts, host]) => ({ url: urlOf(parts, 'https://', host), reason: REASONS.private, category: 'url: private host' })),
  fc
    .tuple(anyPortUrlParts, ipv4InIpv6Host)
    .map(([parts, { host, category }]) => ({ url: urlOf(parts, 'https://', host), reason: REASONS.private, category })),
  fc
    .tuple(urlParts, forbiddenPort)
    .map(([parts, port]) => ({ url: urlOf({ ...parts, port }), reason: REASONS.port, category: 'url: port other than 443' })),
];

const wrongTypeUrl = fc.oneof(
  fc.constantFrom<unknown>(42, -1, 3.5, 0, null, true, false, [], {}),
  validUrl.map((url): unknown => [url]),
  validUrl.map((url): unknown => ({ href: url })),
);

// --- Cases -------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

interface Case {
  kind: 'valid' | 'invalid-field' | 'invalid-body' | 'wrong-content-type';
  /** For the tally: which mutation this is. */
  category: string;
  /** The request body exactly as sent. */
  raw: string;
  contentType: string | undefined;
  /** Valid: the URL the registration must hold afterwards. */
  url?: string;
  /** Valid: onboard a new agency first, so this one is a first registration (201). */
  freshAgency?: boolean;
  expectedPath?: string;
  reason?: RegExp;
}

const validCase: fc.Arbitrary<Case> = fc
  .tuple(validUrl, maybeExtras, jsonContentType, fc.integer({ min: 0, max: 9 }))
  .map(([url, extras, contentType, dice]) => ({
    kind: 'valid',
    category: extras ? 'valid with ignored fields' : 'valid',
    raw: JSON.stringify({ ...extras, url }),
    contentType,
    url,
    freshAgency: dice === 0,
  }));

const fieldCase = (body: Json, category: string, reason?: RegExp): Case => ({
  kind: 'invalid-field',
  category,
  raw: JSON.stringify(body),
  contentType: 'application/json',
  expectedPath: '$.url',
  ...(reason ? { reason } : {}),
});

const invalidFieldCase: fc.Arbitrary<Case> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.oneof(...badUrls), maybeExtras)
      .map(([bad, extras]) => fieldCase({ ...extras, url: bad.url }, bad.category, bad.reason)),
  },
  { weight: 1, arbitrary: fc.tuple(wrongTypeUrl, maybeExtras).map(([url, extras]) => fieldCase({ ...extras, url }, 'url: wrong type')) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(validUrl, fc.constantFrom(undefined, 'URL', 'uri', 'webhookUrl', 'href', ' url', 'url '), maybeExtras)
      .map(([url, misspelt, extras]) => fieldCase({ ...extras, ...(misspelt ? { [misspelt]: url } : {}) }, 'url: missing')),
  },
);

const invalidBodyCase: fc.Arbitrary<Case> = fc.tuple(validUrl, fc.integer({ min: 0, max: 14 })).map(([url, shape]): Case => {
  const [raw, category] = (
    [
      ['null', 'body: not an object'],
      ['[]', 'body: not an object'],
      [JSON.stringify([{ url }]), 'body: not an object'],
      ['7', 'body: not an object'],
      ['true', 'body: not an object'],
      [JSON.stringify(url), 'body: not an object'],
      ['', 'body: empty'],
      ['   ', 'body: not JSON'],
      [url, 'body: not JSON'],
      [`url=${encodeURIComponent(url)}`, 'body: not JSON'],
      [`{url: "${url}"}`, 'body: not JSON'],
      [`{"url": "${url}"`, 'body: not JSON'],
      [`{"url": '${url}'}`, 'body: not JSON'],
      [`{"url": "${url}",}`, 'body: not JSON'],
      [`${JSON.stringify({ url })} trailing`, 'body: not JSON'],
    ] as const
  )[shape]!;
  return { kind: 'invalid-body', category, raw, contentType: 'application/json', expectedPath: '$' };
});

const wrongContentTypeCase: fc.Arbitrary<Case> = fc
  .tuple(
    validUrl,
    fc.constantFrom(
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/xml',
      'application/json; charset=iso-8859-1',
    ),
  )
  .map(([url, contentType]) => ({ kind: 'wrong-content-type', category: 'content type', raw: JSON.stringify({ url }), contentType }));

const caseArbitrary: fc.Arbitrary<Case> = fc.oneof(
  { weight: 3, arbitrary: validCase },
  { weight: 5, arbitrary: invalidFieldCase },
  { weight: 1, arbitrary: invalidBodyCase },
  { weight: 1, arbitrary: wrongContentTypeCase },
);

// --- The property ------------------------------------------------------------------------------------

async function storedWebhook(agencyId: string): Promise<Record<string, unknown> | undefined> {
  const found = await table.documentClient.send(
    new GetCommand({ TableName: table.tableName, Key: webhookKey(agencyId), ConsistentRead: true }),
  );
  return found.Item;
}

interface Lane {
  agencyId: string;
  clientId: string;
  /** What the table holds for this agency's webhook, as last read back. */
  stored: Record<string, unknown> | undefined;
}

it(`answers ${RUNS} generated valid and mutated webhook registrations: 201/200 with a secret or 400 naming the field, never 5xx, nothing stored when rejected`, async () => {
  // The rate limit is not what is tested here (test/integration/webhooks.test.ts floods it): high enough never to answer.
  const api = notificationsHttpHandler(runtime, { allowLocalHttp: false }, { perMinute: 9_999_999 });
  const onboard = createAgencyOnboardedConsumer(runtime);
  const onboarded: string[] = [];
  let agencies = 0;
  async function newAgency(lane: number): Promise<Lane> {
    agencies += 1;
    const agencyId = `agency-p${lane}-${agencies}`;
    const clientId = `client-${agencyId}`;
    const fact = factOf(agencyOnboardedV1, { ...agencyOnboardedV1.fixtures[0]!, agencyId, clientId, name: `Agency ${agencyId}` });
    const response = await onboard(sqsEventOf(fact), lambdaContext);
    if (response.batchItemFailures.length > 0) throw new Error(`could not onboard ${agencyId}`);
    onboarded.push(agencyId);
    return { agencyId, clientId, stored: undefined };
  }

  const lanes = await Promise.all(Array.from({ length: CONCURRENCY }, (_, lane) => newAgency(lane)));
  const typesBefore = new Set((await allItems(table)).map((item) => String(item.type)));

  const t0 = Date.now();
  const cases = fc.sample(caseArbitrary, { numRuns: RUNS, seed: 20261124 });
  const failures: string[] = [];
  const tally = new Map<string, number>();
  const secrets = new Set<string>();
  let accepted = 0;
  let registered = 0;
  let next = 0;

  async function run(laneIndex: number, item: Case): Promise<void> {
    if (item.freshAgency) lanes[laneIndex] = await newAgency(laneIndex);
    const lane = lanes[laneIndex]!;
    tally.set(item.category, (tally.get(item.category) ?? 0) + 1);
    const response = await api(
      apiGatewayEvent({
        method: 'PUT',
        path: PATH,
        claims: partnerClaims({ client_id: lane.clientId, sub: lane.clientId }),
        headers: item.contentType === undefined ? {} : { 'content-type': item.contentType },
        body: item.raw,
      }),
    );
    const describe = (why: string) =>
      `${item.category} ${JSON.stringify(item.raw.slice(0, 160))} → ${response.statusCode} ${response.body?.slice(0, 300)}: ${why}`;
    if (response.statusCode >= 500) {
      failures.push(describe('5xx'));
      return;
    }

    if (item.kind === 'valid') {
      const first = lane.stored === undefined;
      const expectedStatus = first ? 201 : 200;
      if (response.statusCode !== expectedStatus) return void failures.push(describe(`expected ${expectedStatus}`));
      const body = JSON.parse(response.body ?? 'null') as { url?: unknown; secret?: unknown; registeredAt?: unknown };
      if (item.url === undefined) return void failures.push(describe('a valid case without a url'));
      // Stored and echoed as parsed: the address really called.
      const expectedUrl = new URL(item.url).href;
      if (
        body.url !== expectedUrl ||
        typeof body.secret !== 'string' ||
        !WEBHOOK_SECRET_PATTERN.test(body.secret) ||
        typeof body.registeredAt !== 'string' ||
        Number.isNaN(Date.parse(body.registeredAt)) ||
        Object.keys(body).length !== 3
      ) {
        return void failures.push(describe('body is not { url, secret, registeredAt }'));
      }
      if (response.headers?.['cache-control'] !== 'no-store') return void failures.push(describe('secret response is cacheable'));
      if ((response.headers?.location === PATH) !== first) return void failures.push(describe('Location only on a first registration'));
      if (secrets.has(body.secret)) return void failures.push(describe('a secret was handed out twice'));
      secrets.add(body.secret);
      const stored = await storedWebhook(lane.agencyId);
      const expected = {
        ...webhookKey(lane.agencyId),
        type: 'Webhook',
        agencyId: lane.agencyId,
        url: expectedUrl,
        secret: body.secret,
        registeredAt: body.registeredAt,
      };
      if (!isDeepStrictEqual(stored, expected)) return void failures.push(describe(`stored ${JSON.stringify(stored)}`));
      lane.stored = stored;
      accepted += 1;
      if (first) registered += 1;
      return;
    }

    const expectedStatus = item.kind === 'wrong-content-type' ? 415 : 400;
    if (response.statusCode !== expectedStatus) failures.push(describe(`expected ${expectedStatus}`));
    else if (response.headers?.['content-type'] !== PROBLEM_CONTENT_TYPE) failures.push(describe('not problem+json'));
    else if (item.kind !== 'wrong-content-type') {
      const problem = JSON.parse(response.body ?? 'null') as { errors?: { in?: string; path?: string; message?: string }[] };
      const errors = problem.errors ?? [];
      const [error] = errors;
      if (errors.length !== 1 || error?.in !== 'body' || error.path !== item.expectedPath) {
        failures.push(describe(`expected one error at body ${item.expectedPath}`));
      } else if (typeof error.message !== 'string' || error.message.length === 0 || (item.reason && !item.reason.test(error.message))) {
        failures.push(describe(`message should match ${item.reason}`));
      }
    }
    // Nothing stored: the agency's registration is exactly what it was before the request.
    const after = await storedWebhook(lane.agencyId);
    if (!isDeepStrictEqual(after, lane.stored)) failures.push(describe(`registration changed to ${JSON.stringify(after)}`));
  }

  await Promise.all(
    lanes.map(async (_, laneIndex) => {
      while (next < cases.length) await run(laneIndex, cases[next++]!);
    }),
  );

  const elapsed = Date.now() - t0;
  const rejected = cases.length - accepted;
  console.log(
    `Property: ${cases.length} requests (${accepted} accepted: ${registered} registered, ${accepted - registered} replaced; ${rejected} rejected) in ${elapsed} ms\n` +
      [...tally.entries()]
        .sort()
        .map(([category, count]) => `  ${category}: ${count}`)
        .join('\n'),
  );
  expect(failures.slice(0, 10)).toEqual([]);
  expect(failures).toHaveLength(0);

  // Not vacuous: a real share of each side, and every kind of mutation was tried.
  const expectedValid = cases.filter((item) => item.kind === 'valid').length;
  expect(accepted).toBe(expectedValid);
  expect(expectedValid).toBeGreaterThan(RUNS / 10);
  expect(rejected).toBeGreaterThan(RUNS / 10);
  expect(registered).toBeGreaterThan(0);
  expect(accepted - registered).toBeGreaterThan(0);
  if (RUNS >= 1_000) {
    const categories = [
      'valid',
      'valid with ignored fields',
      'url: not https',
      'url: malformed',
      'url: overlong',
      'url: credentials',
      'url: fragment',
      'url: private host',
      'url: IPv4-compatible host',
      'url: 6to4 host',
      'url: port other than 443',
      'url: wrong type',
      'url: missing',
      'body: not an object',
      'body: not JSON',
      'body: empty',
      'content type',
    ];
    expect(categories.filter((category) => !tally.has(category))).toEqual([]);
    // Accepted above: the refused ranges and ports are not drawn so wide that public IPv6 or an explicit :443 is refused.
    const validUrls = cases.flatMap((item) => (item.kind === 'valid' && item.url !== undefined ? [item.url] : []));
    expect(validUrls.filter((url) => url.startsWith('https://[')).length).toBeGreaterThan(0);
    expect(validUrls.filter((url) => /^https:\/\/[^/]+:443\//.test(url)).length).toBeGreaterThan(0);
  }
  expect(secrets.size).toBe(accepted);

  // Nothing else stored: one webhook item per agency that registered, each the last one accepted for it.
  const items = await allItems(table);
  const webhooks = items.filter((item) => item.type === 'Webhook');
  expect(webhooks).toHaveLength(registered);
  for (const lane of lanes) if (lane.stored) expect(webhooks).toContainEqual(lane.stored);
  expect(items.filter((item) => item.type === 'Agency')).toHaveLength(2 * onboarded.length);
  expect([...new Set(items.map((item) => String(item.type)))].filter((type) => !typesBefore.has(type)).sort()).toEqual(['Webhook']);
}, 600_000);
