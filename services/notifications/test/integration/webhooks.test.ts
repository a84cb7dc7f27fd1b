/**
 * Partner webhooks end to end against DynamoDB Local and a real receiver on 127.0.0.1: the agency
 * projection, registration (PUT /v1/agencies/me/webhook), signed delivery once per fact, retries
 * with backoff from the sweep (injected clock), dead-lettering after 24 hours and the
 * administrators' list.
 */
import { agencyOnboardedV1, agencyRevokedV1, referralDecidedV1 } from '@fsp/shared/events/definitions/referrals';
import { PROBLEM_CONTENT_TYPE } from '@fsp/shared/http/errors';
import { problemOf } from '@fsp/shared/testing/api-gateway-event';
import { allItems } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted, lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { verifyWebhookSignature, WEBHOOK_SECRET_PATTERN, webhookDeliveryIdOf } from '../../src/domain/webhook';
import { factOf } from '../support/facts';
import { notificationsHttpHandler } from '../support/http';
import { bodyOf } from '../support/notifications';
import { type Receiver, startReceiver } from '../support/outbound';
import { asAdministrator, outboundUnderTest, putWebhook } from '../support/outbound-runtime';

let env: Awaited<ReturnType<typeof outboundUnderTest>>;
const receivers: Receiver[] = [];

beforeAll(async () => {
  env = await outboundUnderTest({ webhookTimeoutMs: 300 });
});
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.stop()));
  await env.table.drop();
});

async function receiver(script?: (number | 'hang')[]) {
  const started = await startReceiver(script);
  receivers.push(started);
  return started;
}

let agencies = 0;
/** A freshly onboarded agency with its own API client. */
async function onboardedAgency() {
  agencies += 1;
  const agencyId = `agency-${agencies}-${Date.now().toString(36)}`;
  const clientId = `client-${agencyId}`;
  await env.deliver(
    'agencyOnboarded',
    factOf(agencyOnboardedV1, { ...agencyOnboardedV1.fixtures[0]!, agencyId, clientId, name: `Agency ${agencies}` }),
  );
  return { agencyId, clientId };
}

async function registered(clientId: string, url: string): Promise<string> {
  const response = await env.localApi(putWebhook(url, { client_id: clientId }));
  expect(response.statusCode).toBe(201);
  return bodyOf<{ secret: string }>(response).secret;
}

const decided = (agencyId: string) =>
  factOf(referralDecidedV1, { ...referralDecidedV1.fixtures[0]!, agencyId }, '2026-01-05T15:10:00.000Z');

function expectSigned(secret: string, request: Receiver['received'][number]) {
  const { headers, body } = request;
  expect(
    verifyWebhookSignature(
      secret,
      String(headers['webhook-id']),
      String(headers['webhook-timestamp']),
      body,
      String(headers['webhook-signature']),
    ),
  ).toBe(true);
}

const deliveryOf = (fact: ReturnType<typeof decided>, agencyId: string) =>
  env.deliveries.get(webhookDeliveryIdOf(fact.detail.metadata.eventId, agencyId));

describe('the agency projection', () => {
  it('keeps each agency once by client id and by agency id, however often the fact arrives', async () => {
    const fact = factOf(agencyOnboardedV1, {
      ...agencyOnboardedV1.fixtures[0]!,
      agencyId: 'agency-projected',
      clientId: 'client-projected',
    });
    for (let i = 0; i < 5; i += 1) await env.deliver('agencyOnboarded', fact);
    const items = (await allItems(env.table)).filter((item) => item.type === 'Agency' && item.agencyId === 'agency-projected');
    expect(items.map((item) => item.pk).sort()).toEqual(['AGENCY#agency-projected', 'CLIENT#client-projected']);
    for (const item of items) {
      expect(item).toMatchObject({ status: 'active', name: 'Oakfield Primary School', contactEmail: 'office@oakfield.example.sch.uk' });
    }
  });

  it('a revocation is final even when the onboarding arrives after it', async () => {
    const ids = { agencyId: 'agency-late', clientId: 'client-late' };
    await env.deliver('agencyRevoked', factOf(agencyRevokedV1, { ...ids, revokedAt: '2026-06-30T16:00:00.000Z' }));
    await env.deliver('agencyOnboarded', factOf(agencyOnboardedV1, { ...agencyOnboardedV1.fixtures[0]!, ...ids }));
    const items = (await allItems(env.table)).filter((item) => item.type === 'Agency' && item.agencyId === 'agency-late');
    expect(items).toHaveLength(2);
    for (const item of items) expect(item).toMatchObject({ status: 'revoked', name: 'Oakfield Primary School' });
    const response = await env.localApi(putWebhook('http://127.0.0.1:9/hook', { client_id: 'client-late' }));
    expect(response.statusCode).toBe(401);
  });
});

describe('PUT /v1/agencies/me/webhook', () => {
  it('registers (201, the secret once), then replaces (200, a new secret); the secret is never logged', async () => {
    const { clientId } = await onboardedAgency();
    const first = await env.localApi(putWebhook('http://127.0.0.1:4010/hook', { client_id: clientId }));
    expect(first.statusCode).toBe(201);
    expect(first.headers?.location).toBe('/v1/agencies/me/webhook');
    expect(first.headers?.['cache-control']).toBe('no-store');
    const registeredBody = bodyOf<{ url: string; secret: string; registeredAt: string }>(first);
    expect(registeredBody).toEqual({
      url: 'http://127.0.0.1:4010/hook',
      secret: expect.stringMatching(WEBHOOK_SECRET_PATTERN),
      registeredAt: '2026-01-05T15:10:00.000Z',
    });

    const second = await env.localApi(putWebhook('http://localhost:4011/hook', { client_id: clientId }));
    expect(second.statusCode).toBe(200);
    const replaced = bodyOf<{ url: string; secret: string }>(second);
    expect(replaced.url).toBe('http://localhost:4011/hook');
    expect(replaced.secret).toMatch(WEBHOOK_SECRET_PATTERN);
    expect(replaced.secret).not.toBe(registeredBody.secret);

    const logged = JSON.stringify(env.logLines);
    expect(logged).not.toContain(registeredBody.secret.slice(6));
    expect(logged).not.toContain(replaced.secret.slice(6));
  });

  it('finds the agency by client id only: a client it does not know gets 401 invalid_token, whatever agency the token names', async () => {
    const { agencyId } = await onboardedAgency();
    const response = await env.localApi(
      putWebhook('http://127.0.0.1:4012/hook', { client_id: 'client-unknown-here', 'custom:agency': agencyId }),
    );
    // As referrals' partner routes answer the same token.
    expect(response.statusCode).toBe(401);
    expect(response.headers?.['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(response.headers?.['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(problemOf(response).detail).toBe('The access token was issued to a client that is not an onboarded partner agency.');
    expect((await allItems(env.table)).filter((item) => item.pk === `AGENCY#${agencyId}` && item.sk === 'WEBHOOK')).toEqual([]);
  });

  it('answers a revoked agency’s client 401 invalid_token, and a token without referrals/read 403', async () => {
    const revoked = await onboardedAgency();
    await env.deliver('agencyRevoked', factOf(agencyRevokedV1, { ...revoked, revokedAt: '2026-01-05T16:00:00.000Z' }));
    const refused = await env.localApi(putWebhook('https://partner.example.org/hook', { client_id: revoked.clientId }));
    expect(refused.statusCode).toBe(401);
    expect(refused.headers?.['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(problemOf(refused).detail).toBe("This agency's API access has been revoked; contact the local authority.");

    const { clientId } = await onboardedAgency();
    const noScope = await env.localApi(putWebhook('https://partner.example.org/hook', { client_id: clientId }, 'referrals/submit'));
    expect(noScope.statusCode).toBe(403);
    expect(noScope.headers?.['content-type']).toBe(PROBLEM_CONTENT_TYPE);
  });

  describe('the agency’s rate limit', () => {
    // Later tests read their timestamps against the suite's starting time.
    afterEach(() => env.time.set('2026-01-05T15:10:00.000Z'));

    it('counts registrations against it: a flood gets 429 with Retry-After, another agency still registers', async () => {
      env.time.set('2026-01-05T15:10:20.000Z');
      // The API as deployed, with a limit a test can reach (under 200 a minute the limit is exact).
      const api = notificationsHttpHandler(env.runtime, { allowLocalHttp: false }, { perMinute: 5 });
      const flooding = await onboardedAgency();
      const other = await onboardedAgency();

      const flood = await Promise.all(
        Array.from({ length: 20 }, (_, i) => api(putWebhook(`https://partner.example.org/hooks/${i}`, { client_id: flooding.clientId }))),
      );
      const statuses = flood.map((response) => response.statusCode).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 201, ...Array.from({ length: 15 }, () => 429)]);
      for (const limited of flood.filter((response) => response.statusCode === 429)) {
        expect(limited.headers?.['retry-after']).toBe('40'); // the window began at 15:10:00
        expect(limited.headers?.['content-type']).toBe(PROBLEM_CONTENT_TYPE);
        expect(problemOf(limited).detail).toMatch(/too many requests this minute/);
      }
      // A refused registration changed nothing: the stored one is one that was accepted.
      const accepted = flood.filter((response) => response.statusCode < 300).map((response) => bodyOf<{ secret: string }>(response).secret);
      const [stored] = (await allItems(env.table)).filter((item) => item.pk === `AGENCY#${flooding.agencyId}` && item.sk === 'WEBHOOK');
      expect(accepted).toContain(stored?.secret);

      // One agency's burst does not spend another's limit.
      expect((await api(putWebhook('https://other.example.org/hooks', { client_id: other.clientId }))).statusCode).toBe(201);
      // A malformed request is refused before it is counted (as referrals counts a submission only when it stores it).
      expect((await api(putWebhook('not a url', { client_id: flooding.clientId }))).statusCode).toBe(400);

      // The next window starts afresh.
      env.time.set('2026-01-05T15:11:00.000Z');
      expect((await api(putWebhook('https://partner.example.org/hooks/again', { client_id: flooding.clientId }))).statusCode).toBe(200);
    });
  });

  it.each([
    ['http://127.0.0.1:4010/hook', /https/],
    ['http://partner.example.org/hook', /https/],
    ['not a url', /URL/],
    [42, /^url must be text, not a whole number$/],
    [undefined, /^url is required: the https:\/\/ address/],
  ])('outside the local stage refuses %p with 400 naming $.url, and stores nothing', async (url, message) => {
    const { clientId, agencyId } = await onboardedAgency();
    const response = await env.deployedApi(putWebhook(url, { client_id: clientId }));
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(problemOf(response).errors).toEqual([
      expect.objectContaining({ in: 'body', path: '$.url', message: expect.stringMatching(message) }),
    ]);
    expect((await allItems(env.table)).filter((item) => item.pk === `AGENCY#${agencyId}` && item.sk === 'WEBHOOK')).toEqual([]);
  });

  it('accepts https in every stage', async () => {
    const { clientId } = await onboardedAgency();
    expect((await env.deployedApi(putWebhook('https://partner.example.org/hooks/fsp', { client_id: clientId }))).statusCode).toBe(201);
  });

  const PRIVATE = 'url must be a public internet address, not a private or loopback one';
  const port443Only = (port: number) =>
    `url must use port 443, the https default: remove :${port} from the address, or serve the webhook on 443`;

  it.each([
    ['https://[::127.0.0.1]/hook', PRIVATE],
    ['https://[::7f00:1]/hook', PRIVATE],
    ['https://[::7f00:1]:443/hook', PRIVATE],
    ['https://[2002:7f00:1::]/hook', PRIVATE],
    ['https://[2002:7f00:1::]:8443/hook', PRIVATE],
    ['https://[::ffff:7f00:1]/hook', PRIVATE],
    ['https://partner.example.org:8443/hook', port443Only(8443)],
    ['https://partner.example.org:80/hook', port443Only(80)],
    ['https://81.2.69.160:22/hook', port443Only(22)],
  ])('outside the local stage refuses %s with 400 naming $.url, and stores nothing', async (url, message) => {
    const { clientId, agencyId } = await onboardedAgency();
    const response = await env.deployedApi(putWebhook(url, { client_id: clientId }));
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors).toEqual([{ in: 'body', path: '$.url', message }]);
    expect((await allItems(env.table)).filter((item) => item.pk === `AGENCY#${agencyId}` && item.sk === 'WEBHOOK')).toEqual([]);
  });

  it('outside the local stage accepts port 443 written out, and stores the address without it', async () => {
    const { clientId } = await onboardedAgency();
    const response = await env.deployedApi(putWebhook('https://partner.example.org:443/hooks/fsp', { client_id: clientId }));
    expect(response.statusCode).toBe(201);
    expect(bodyOf<{ url: string }>(response).url).toBe('https://partner.example.org/hooks/fsp');
  });

  it('on the local stage accepts any port, and still refuses an IPv6 address carrying 127.0.0.1', async () => {
    const hook = await receiver([200]);
    const { port } = new URL(hook.url);
    const { clientId } = await onboardedAgency();
    expect((await env.localApi(putWebhook(hook.url, { client_id: clientId }))).statusCode).toBe(201);
    expect((await env.localApi(putWebhook('https://partner.example.org:8443/hook', { client_id: clientId }))).statusCode).toBe(200);
    for (const host of ['[::127.0.0.1]', '[::7f00:1]', '[2002:7f00:1::]']) {
      for (const scheme of ['http', 'https']) {
        const refused = await env.localApi(putWebhook(`${scheme}://${host}:${port}/hooks/fsp`, { client_id: clientId }));
        expect(refused.statusCode).toBe(400);
        const message =
          scheme === 'https'
            ? PRIVATE
            : 'url must be an https:// address (on the local stage http://127.0.0.1 or http://localhost also works)';
        expect(problemOf(refused).errors).toEqual([{ in: 'body', path: '$.url', message }]);
      }
    }
  });
});

describe('ReferralDecided → the agency’s webhook', () => {
  it('is one signed POST of the referral id, reference, outcome and decision time, however often the fact arrives', async () => {
    const { agencyId, clientId } = await onboardedAgency();
    const hook = await receiver([200]);
    const secret = await registered(clientId, hook.url);
    const fact = decided(agencyId);

    for (let i = 0; i < 5; i += 1) await env.deliver('referralDecided', fact);
    await deliverUntilAccepted(
      env.consumers.referralDecided,
      Array.from({ length: 5 }, () => fact),
    );
    await env.forgetIdempotency();
    await env.deliver('referralDecided', fact);

    expect(hook.received).toHaveLength(1);
    const [request] = hook.received;
    expectSigned(secret, request!);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['webhook-id']).toBe(`msg_${webhookDeliveryIdOf(fact.detail.metadata.eventId, agencyId)}`);
    expect(request!.headers['webhook-timestamp']).toBe(String(Date.parse('2026-01-05T15:10:00.000Z') / 1000));
    expect(JSON.parse(request!.body)).toEqual({
      type: 'referral.decided',
      timestamp: '2026-01-05T15:10:00.000Z',
      data: {
        referralId: '01JGZ8Q4V7K3M2N5P6R8S9T0VW',
        reference: 'FSP-2026-000123',
        outcome: 'assessment',
        decidedAt: '2026-01-05T15:10:00.000Z',
      },
    });
    expect(await deliveryOf(fact, agencyId)).toMatchObject({ state: 'delivered', attempts: 1, lastResult: 'HTTP 200' });
    expect(JSON.stringify(env.logLines)).not.toContain(secret.slice(6));
  });

  it('is retried with backoff by the sweep, with the same webhook-id, when the receiver answers 500 then 200', async () => {
    env.time.set('2026-01-05T15:10:00.000Z');
    const { agencyId, clientId } = await onboardedAgency();
    const hook = await receiver([500, 200]);
    const secret = await registered(clientId, hook.url);
    const fact = decided(agencyId);

    await env.deliver('referralDecided', fact);
    expect(hook.received).toHaveLength(1);
    expect(await deliveryOf(fact, agencyId)).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastResult: 'HTTP 500',
      nextAttemptAt: '2026-01-05T15:11:00.000Z',
    });

    env.time.advance(59_000);
    await env.sweep();
    expect(hook.received).toHaveLength(1);

    env.time.advance(1_000);
    await env.sweep();
    expect(hook.received).toHaveLength(2);
    const [first, second] = hook.received;
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(second!.body).toBe(first!.body);
    expect(Number(second!.headers['webhook-timestamp']) - Number(first!.headers['webhook-timestamp'])).toBe(60);
    expectSigned(secret, first!);
    expectSigned(secret, second!);
    expect(await deliveryOf(fact, agencyId)).toMatchObject({ state: 'delivered', attempts: 2 });

    env.time.advance(60 * 60_000);
    await env.sweep();
    expect(hook.received).toHaveLength(2);
  });

  it('overlapping sweeps attempt a due delivery once', async () => {
    env.time.set('2026-01-05T15:10:00.000Z');
    const { agencyId, clientId } = await onboardedAgency();
    const hook = await receiver([500, 200]);
    await registered(clientId, hook.url);
    await env.deliver('referralDecided', decided(agencyId));
    env.time.advance(60_000);
    await Promise.all(Array.from({ length: 5 }, () => env.sweep()));
    expect(hook.received).toHaveLength(2);
  });

  it('treats a receiver that does not answer in time as a failure to retry', async () => {
    env.time.set('2026-01-05T15:10:00.000Z');
    const { agencyId, clientId } = await onboardedAgency();
    const hook = await receiver(['hang']);
    await registered(clientId, hook.url);
    const fact = decided(agencyId);
    await env.deliver('referralDecided', fact);
    expect(await deliveryOf(fact, agencyId)).toMatchObject({ state: 'pending', attempts: 1, lastResult: 'timed out after 0.3 s' });
  });

  it('is dead-lettered after 24 hours of failures, always with the same webhook-id, and listed for administrators', async () => {
    env.time.set('2026-01-05T15:10:00.000Z');
    const { agencyId, clientId } = await onboardedAgency();
    const hook = await receiver([503]);
    const secret = await registered(clientId, hook.url);
    const fact = decided(agencyId);
    await env.deliver('referralDecided', fact);

    for (let round = 0; round < 50; round += 1) {
      const delivery = await deliveryOf(fact, agencyId);
      if (delivery?.state !== 'pending') break;
      env.time.set(delivery.nextAttemptAt!);
      await env.sweep();
    }
    const dead = await deliveryOf(fact, agencyId);
    expect(dead).toMatchObject({ state: 'dead', attempts: 13, lastResult: 'HTTP 503' });
    expect(Date.parse(dead!.deadAt!) - Date.parse('2026-01-05T15:10:00.000Z')).toBeGreaterThanOrEqual(24 * 60 * 60_000);
    expect(hook.received).toHaveLength(13);
    expect(new Set(hook.received.map((request) => request.headers['webhook-id'])).size).toBe(1);
    const gaps = hook.received
      .slice(1)
      .map((request, i) => Number(request.headers['webhook-timestamp']) - Number(hook.received[i]!.headers['webhook-timestamp']));
    expect(gaps.slice(0, 4)).toEqual([60, 120, 240, 480]);
    for (const request of hook.received) expectSigned(secret, request);

    env.time.advance(7 * 24 * 60 * 60_000);
    await env.sweep();
    expect(hook.received).toHaveLength(13);

    const listed = await env.localApi(asAdministrator('/api/admin/webhook-deliveries?status=dead'));
    expect(listed.statusCode).toBe(200);
    const items = bodyOf<{ items: Record<string, unknown>[] }>(listed).items;
    expect(items).toContainEqual(
      expect.objectContaining({
        id: dead!.deliveryId,
        webhookId: dead!.webhookId,
        agencyId,
        reference: 'FSP-2026-000123',
        state: 'dead',
        attempts: 13,
        lastResult: 'HTTP 503',
      }),
    );
    expect(listed.body).not.toContain(secret.slice(6));
  });

  it('lists deliveries for administrators only, with a checked status and cursor', async () => {
    expect((await env.localApi(asAdministrator('/api/admin/webhook-deliveries?status=dead', '[front-door team-manager]'))).statusCode).toBe(
      403,
    );
    // Who may ask is settled before what they asked: another role learns nothing of the query's rules.
    const notAdmin = await env.localApi(asAdministrator('/api/admin/webhook-deliveries?status=everything', '[service-manager]'));
    expect(notAdmin.statusCode).toBe(403);
    expect(problemOf(notAdmin).detail).toMatch(/administrator/);
    const badStatus = await env.localApi(asAdministrator('/api/admin/webhook-deliveries?status=everything'));
    expect(badStatus.statusCode).toBe(400);
    expect(problemOf(badStatus).errors?.[0]).toMatchObject({ in: 'query', path: '$.status' });
    const badCursor = await env.localApi(asAdministrator('/api/admin/webhook-deliveries?status=dead&cursor=abc'));
    expect(problemOf(badCursor).errors?.[0]).toMatchObject({ in: 'query', path: '$.cursor' });
    const pending = await env.localApi(asAdministrator('/api/admin/webhook-deliveries?status=pending&limit=1'));
    expect(pending.statusCode).toBe(200);
    const page = bodyOf<{ items: unknown[]; nextCursor: string | null }>(pending);
    expect(page.items.length).toBeLessThanOrEqual(1);
    if (page.nextCursor) {
      const next = await env.localApi(asAdministrator(`/api/admin/webhook-deliveries?status=pending&limit=1&cursor=${page.nextCursor}`));
      expect(next.statusCode).toBe(200);
    }
  });

  it('sends nothing when the agency has registered no webhook', async () => {
    const { agencyId } = await onboardedAgency();
    const fact = decided(agencyId);
    await env.deliver('referralDecided', fact);
    expect(await deliveryOf(fact, agencyId)).toBeUndefined();
  });

  it('sends nothing to a revoked agency, and stops retrying one revoked meanwhile', async () => {
    env.time.set('2026-01-05T15:10:00.000Z');
    const revokedFirst = await onboardedAgency();
    const hook = await receiver([500]);
    await registered(revokedFirst.clientId, hook.url);
    await env.deliver('agencyRevoked', factOf(agencyRevokedV1, { ...revokedFirst, revokedAt: '2026-01-05T15:00:00.000Z' }));
    await env.deliver('referralDecided', decided(revokedFirst.agencyId));
    expect(hook.received).toHaveLength(0);

    const revokedLater = await onboardedAgency();
    await registered(revokedLater.clientId, hook.url);
    const fact = decided(revokedLater.agencyId);
    await env.deliver('referralDecided', fact);
    expect(hook.received).toHaveLength(1);
    await env.deliver('agencyRevoked', factOf(agencyRevokedV1, { ...revokedLater, revokedAt: '2026-01-05T15:10:30.000Z' }));
    env.time.advance(60_000);
    await env.sweep();
    expect(hook.received).toHaveLength(1);
    expect(await deliveryOf(fact, revokedLater.agencyId)).toMatchObject({ state: 'cancelled', lastResult: 'agency revoked' });
  });

  it('a fact breaking its contract fails alone', async () => {
    const fact = decided('agency-x');
    const bad = { ...fact, detail: { ...fact.detail, data: { ...fact.detail.data, outcome: 'maybe' } } };
    const response = await env.consumers.referralDecided(sqsEventOf(bad), lambdaContext);
    expect(response.batchItemFailures).toHaveLength(1);
  });
});
