/**
 * The partner API's per-agency rate limit (PARTNER-API.md; QUALITY.md security 7), counted with
 * shared/rate-limit in this service's table: submissions, reads and listings share one limit per
 * agency and window, over it answers 429 with Retry-After, one agency's requests never spend
 * another's, and a refused submission writes nothing. (The counters' sharding and concurrency are
 * shared/rate-limit's own tests.)
 */
import { randomUUID } from 'node:crypto';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, partnerClaims, problemOf } from '@fsp/shared/testing/api-gateway-event';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { onboardAgency } from '../support/agencies';
import { schoolReferral } from '../support/fixtures';
import { createPartnerApi } from '../support/http';

let table: TestTable;
let runtime: ServiceRuntime;
/** 20 seconds into a window that began at 09:15:00: a refusal says to retry after 40. */
let now = new Date('2026-11-23T09:15:20Z');

const oakfield = partnerClaims({ client_id: 'client-oakfield', sub: 'client-oakfield' });
const elmwood = partnerClaims({ client_id: 'client-elmwood', sub: 'client-elmwood' });

beforeEach(async () => {
  now = new Date('2026-11-23T09:15:20Z');
  ({ table, runtime } = await createTestRuntime('referrals', () => now));
  await onboardAgency(table.documentClient, table.tableName, { agencyId: 'agency-oakfield', clientId: 'client-oakfield' });
  await onboardAgency(table.documentClient, table.tableName, { agencyId: 'agency-elmwood', clientId: 'client-elmwood' });
});
afterEach(async () => {
  await table.drop();
});

const apiLimitedTo = (perMinute: number) => {
  const api = createPartnerApi(runtime, { rateLimit: { perMinute } });
  return {
    submit: (claims = oakfield) =>
      api(
        apiGatewayEvent({
          method: 'POST',
          path: '/v1/referrals',
          body: schoolReferral() as object,
          claims,
          headers: { 'idempotency-key': randomUUID() },
        }),
      ),
    read: (id: string, claims = oakfield) => api(apiGatewayEvent({ path: `/v1/referrals/${id}`, claims })),
    list: (claims = oakfield) => api(apiGatewayEvent({ path: '/v1/referrals?updatedSince=2026-11-23T00:00:00Z', claims })),
  };
};

it('counts submissions, reads and listings against one limit per agency, and refuses the next with 429 and Retry-After', async () => {
  const api = apiLimitedTo(3);
  const submitted = await api.submit();
  expect(submitted.statusCode).toBe(201);
  const { id } = JSON.parse(submitted.body!);
  expect((await api.read(id)).statusCode).toBe(200);
  expect((await api.list()).statusCode).toBe(200);

  for (const refused of [await api.list(), await api.read(id), await api.submit()]) {
    expect(refused.statusCode).toBe(429);
    expect(refused.headers).toMatchObject({ 'retry-after': '40' });
    expect(problemOf(refused)).toMatchObject({
      status: 429,
      detail: 'Your agency has made too many requests this minute; wait for Retry-After seconds and try again.',
    });
  }

  // Another agency has its own counters.
  expect((await api.submit(elmwood)).statusCode).toBe(201);
  // The next window starts afresh.
  now = new Date('2026-11-23T09:16:00Z');
  expect((await api.read(id)).statusCode).toBe(200);
});

it('writes nothing for a refused submission: no referral, key, change index item or event', async () => {
  const api = apiLimitedTo(1);
  expect((await api.submit()).statusCode).toBe(201);
  const before = (await allItems(table)).filter((item) => item.kind !== 'rate-limit');
  expect((await api.submit()).statusCode).toBe(429);
  expect((await allItems(table)).filter((item) => item.kind !== 'rate-limit')).toEqual(before);
  expect(before.filter((item) => item.kind === 'referral')).toHaveLength(1);
});
