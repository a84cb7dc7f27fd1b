import { createHmac } from 'node:crypto';
import { referralDecidedV1 } from '@fsp/shared/events/definitions/referrals';
import {
  afterFailure,
  isPublicAddress,
  MAX_RETRY_DELAY_MS,
  normalisedWebhookUrl,
  RETRY_FOR_MS,
  referralDecidedDelivery,
  referralDecidedPayload,
  retryDelayMs,
  signWebhook,
  verifyWebhookSignature,
  WEBHOOK_SECRET_PATTERN,
  webhookDeliveryIdOf,
  webhookHeaders,
  webhookIdOf,
  webhookSecretOf,
  webhookUrlProblem,
} from '../../src/domain/webhook';

describe('Standard Webhooks signatures', () => {
  it('reproduce the specification’s published test vector exactly', () => {
    // standard-webhooks/standard-webhooks, the reference libraries' test vector.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('match a verification written from the spec: HMAC-SHA256 over "id.timestamp.body" with the base64-decoded key', () => {
    const secret = webhookSecretOf(Buffer.alloc(32, 7));
    const body = '{"type":"referral.decided"}';
    const headers = webhookHeaders(secret, 'msg_abc', new Date('2026-01-05T15:10:00.900Z'), body);
    expect(headers['webhook-timestamp']).toBe('1767625800');
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`msg_abc.1767625800.${body}`).digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(verifyWebhookSignature(secret, 'msg_abc', '1767625800', body, headers['webhook-signature']!)).toBe(true);
    expect(verifyWebhookSignature(secret, 'msg_abc', '1767625800', `${body} `, headers['webhook-signature']!)).toBe(false);
  });

  it('secrets are whsec_ + base64 of 32 bytes', () => {
    const secret = webhookSecretOf(Buffer.alloc(32, 255));
    expect(secret).toMatch(WEBHOOK_SECRET_PATTERN);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(() => webhookSecretOf(Buffer.alloc(16))).toThrow(RangeError);
  });
});

describe('webhook deliveries', () => {
  it('have one id per (fact, agency), the same however often the fact arrives', () => {
    const id = webhookDeliveryIdOf('0b9a7c1e-0000-4000-8000-000000000001', 'agency-a');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(webhookDeliveryIdOf('0b9a7c1e-0000-4000-8000-000000000001', 'agency-a')).toBe(id);
    expect(webhookDeliveryIdOf('0b9a7c1e-0000-4000-8000-000000000001', 'agency-b')).not.toBe(id);
    expect(webhookIdOf(id)).toBe(`msg_${id}`);
  });

  it('carry the referral id, reference, outcome and decision time, and nothing else about the family', () => {
    const data = referralDecidedV1.fixtures[0]!;
    const payload = referralDecidedPayload(data as never, {
      eventId: 'e',
      occurredAt: '2026-01-05T15:10:00.123+00:00',
      correlationId: 'c',
    });
    expect(payload).toEqual({
      type: 'referral.decided',
      timestamp: '2026-01-05T15:10:00.123Z',
      data: { referralId: data.referralId, reference: data.reference, outcome: data.outcome, decidedAt: data.decidedAt },
    });
  });

  it('are created from ReferralDecided with the payload as the exact body every attempt sends, and the fact they came from', () => {
    const data = referralDecidedV1.fixtures[0]!;
    const fact = { eventId: '0b9a7c1e-0000-4000-8000-000000000002', occurredAt: '2026-01-05T15:10:00.000Z', correlationId: 'corr-1' };
    const agency = { agencyId: 'agency-a', name: 'Oakfield Primary School', contactEmail: 'dsl@oakfield.example.sch.uk' };
    const draft = referralDecidedDelivery(data as never, fact, agency);
    const deliveryId = webhookDeliveryIdOf(fact.eventId, 'agency-a');
    expect(draft).toEqual({
      deliveryId,
      webhookId: `msg_${deliveryId}`,
      agencyId: 'agency-a',
      agencyName: 'Oakfield Primary School',
      agencyContactEmail: 'dsl@oakfield.example.sch.uk',
      eventType: 'referral.decided',
      body: JSON.stringify(referralDecidedPayload(data as never, fact)),
      referralId: data.referralId,
      reference: data.reference,
      sourceEventId: fact.eventId,
      correlationId: 'corr-1',
    });
    expect(referralDecidedDelivery(data as never, fact, agency)).toEqual(draft);
    // An agency whose onboarding has not been projected yet has no name to keep.
    expect(referralDecidedDelivery(data as never, fact, { agencyId: 'agency-a' })).not.toHaveProperty('agencyName');
  });

  it('back off exponentially, then are dead-lettered only once 24 hours of retries have passed', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(20)).toBe(MAX_RETRY_DELAY_MS);
    const first = new Date('2026-01-05T15:10:00Z');
    let now = first;
    let failures = 0;
    for (;;) {
      failures += 1;
      const next = afterFailure(first, failures, now);
      if (next.kind === 'dead') break;
      expect(next.at.getTime() - now.getTime()).toBe(retryDelayMs(failures));
      now = next.at;
    }
    expect(now.getTime() - first.getTime()).toBeGreaterThanOrEqual(RETRY_FOR_MS);
    expect(failures).toBe(13);
  });
});

describe('webhook URLs', () => {
  const deployed = { allowLocalHttp: false };
  const local = { allowLocalHttp: true };

  it.each([
    'https://partner.example.org/hooks',
    'https://partner.example.org:443/hooks?k=v',
    'https://81.2.69.160/hooks',
    'https://[2a00:1450:4009:81d::200e]/hooks',
    'https://[2a00:1450:4009:81d::200e]:443/hooks',
  ])('accepts %s anywhere', (url) => {
    expect(webhookUrlProblem(url, deployed)).toBeUndefined();
    expect(webhookUrlProblem(url, local)).toBeUndefined();
  });

  it.each([
    ['https://partner.example.org:8443/hooks?k=v', '8443'],
    ['https://partner.example.org:80/hooks', '80'],
    ['https://partner.example.org:22/', '22'],
    ['https://partner.example.org:0/', '0'],
    ['https://81.2.69.160:6379/', '6379'],
    ['https://[2a00:1450:4009:81d::200e]:8080/hooks', '8080'],
    ['https://partner.example.org:00443/hooks', undefined],
  ])('outside the local stage allows only port 443: %s', (url, port) => {
    const problem = webhookUrlProblem(url, deployed);
    if (port === undefined) expect(problem).toBeUndefined();
    else expect(problem).toBe(`url must use port 443, the https default: remove :${port} from the address, or serve the webhook on 443`);
  });

  it('allows any port on the local stage, where test receivers listen where the system puts them', () => {
    expect(webhookUrlProblem('https://partner.example.org:8443/hooks', local)).toBeUndefined();
    expect(webhookUrlProblem('http://127.0.0.1:49152/hook', local)).toBeUndefined();
  });

  it.each([
    // IPv4-compatible (::/96): the parser writes the dotted form in hex.
    'https://[::127.0.0.1]/hook',
    'https://[::7f00:1]/hook',
    'https://[0:0:0:0:0:0:127.0.0.1]/hook',
    'https://[::10.0.0.1]/hook',
    'https://[::8.8.8.8]/hook',
    'https://[::7f00:1]:443/hook',
    // 6to4 (2002::/16), embedding loopback, private and public IPv4 addresses.
    'https://[2002:7f00:1::]/hook',
    'https://[2002:7f00:0001:0:0:0:0:1]/hook',
    'https://[2002:a00:1::1]/hook',
    'https://[2002:808:808::1]/hook',
    // IPv4-mapped, written in hex.
    'https://[::ffff:7f00:1]/hook',
    // Local-use NAT64 (64:ff9b:1::/48).
    'https://[64:ff9b:1::7f00:1]/hook',
  ])('refuses %s on every stage, whatever its port', (url) => {
    for (const policy of [deployed, local]) {
      expect(webhookUrlProblem(url, policy)).toBe('url must be a public internet address, not a private or loopback one');
      expect(webhookUrlProblem(url.replace(']/', ']:8443/'), policy)).toBe(
        'url must be a public internet address, not a private or loopback one',
      );
    }
  });

  it.each(['http://127.0.0.1:4000/hook', 'http://localhost:4000/hook'])('accepts %s on the local stage only', (url) => {
    expect(webhookUrlProblem(url, local)).toBeUndefined();
    expect(webhookUrlProblem(url, deployed)).toMatch(/https/);
  });

  it.each([
    ['http://partner.example.org/hooks', /https/],
    ['ftp://partner.example.org/hooks', /https/],
    ['not a url', /not a URL/],
    ['https://user:pass@partner.example.org/', /user name or password/],
    ['https://partner.example.org/#x', /fragment/],
    ['https://10.0.0.4/hook', /private/],
    ['https://169.254.169.254/latest', /private/],
    ['https://[::1]/hook', /private/],
    ['https://localhost./hook', /private/],
    ['https://foo.localhost./hook', /private/],
    ['https://224.0.0.1/hook', /private/],
    ['https://198.18.0.7/hook', /private/],
    ['https://[::ffff:127.0.0.1]/hook', /private/],
    ['https://partner.example.org/hooks#', /fragment/],
    ['https://@partner.example.org/hooks', /user name or password/],
    [`https://partner.example.org/${'a'.repeat(2100)}`.slice(0, 2100), /at most/],
  ])('refuses case %# (%s)', (url, reason) => {
    expect(webhookUrlProblem(url, deployed)).toMatch(reason);
  });

  it('stores and calls the parsed address, not the text as sent', () => {
    expect(normalisedWebhookUrl(' HTTPS://Partner.Example.org/hooks ')).toBe('https://partner.example.org/hooks');
    expect(normalisedWebhookUrl('https:partner.example.org/h')).toBe('https://partner.example.org/h');
  });

  it('refuses plain http to anywhere but loopback even on the local stage', () => {
    expect(webhookUrlProblem('http://partner.example.org/hooks', local)).toMatch(/https/);
  });
});

describe('which addresses a webhook may reach', () => {
  it.each([
    '0.0.0.0',
    '10.1.2.3',
    '100.64.0.1',
    '127.0.0.1',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.0.0.8',
    '192.0.2.1',
    '192.168.1.1',
    '198.18.0.1',
    '198.19.255.255',
    '198.51.100.7',
    '203.0.113.9',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    '::',
    '::1',
    '[::1]',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '2001:db8::1',
    '::7f00:1',
    '::127.0.0.1',
    '[::7f00:1]',
    '::a00:1',
    '::808:808',
    '::ffff:7f00:1',
    '2002:7f00:1::',
    '2002:7f00:1::1',
    '2002:a9fe:a9fe::',
    '2002:808:808::1',
    '[2002:7f00:1::]',
    '64:ff9b:1::a00:1',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '198.20.0.1',
    '2a00:1450:4009:81d::200e',
    '[2606:4700::1111]',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    // Just outside the ranges refused above.
    '::1:0:0:1',
    '2003::1',
    '2001:4860:4860::8888',
  ])('allows %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});
