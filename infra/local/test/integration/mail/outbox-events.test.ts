/**
 * The local mail outbox as SES event publishing (ADR 0019): a message's EmailTags are kept and come
 * back in an `Email Sent` event, shaped as SES puts it on EventBridge; the mailbox simulator's bounce
 * address also gives an `Email Bounced`; tags SES would refuse are refused.
 */
import { createMailOutbox, type SesEventBridgeEvent, SIMULATOR_BOUNCE_ADDRESS } from '../../../src/mail/outbox';
import { startServer, type TestServer } from '../gateway/support';

const request = (to: string, tags?: unknown) => ({
  FromEmailAddress: 'notifications@fsp.example.gov.uk',
  Destination: { ToAddresses: [to] },
  Content: { Simple: { Subject: { Data: 'A new item in your inbox' }, Body: { Text: { Data: 'See your inbox.' } } } },
  ...(tags === undefined ? {} : { EmailTags: tags }),
});

describe('local mail outbox: SES events', () => {
  let server: TestServer;
  let published: SesEventBridgeEvent[];
  let outbox: ReturnType<typeof createMailOutbox>;

  const send = (body: unknown) =>
    fetch(`${server.url}/v2/email/outbound-emails`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeEach(async () => {
    server = await startServer();
    published = [];
    outbox = createMailOutbox({
      clock: () => new Date('2026-01-05T09:30:00.000Z'),
      publish: async (event) => {
        published.push(event);
      },
    });
    server.use(outbox.handle);
  });
  afterEach(async () => {
    await server.close();
  });

  it('keeps the tags and publishes one Send event carrying them, with the message id SES answered', async () => {
    const response = await send(request('sam@example.gov.uk', [{ Name: 'fsp-worker-mail', Value: 'abc.1' }]));
    expect(response.status).toBe(200);
    const { MessageId } = (await response.json()) as { MessageId: string };
    const [message] = await outbox.messages();
    expect(message!.tags).toEqual({ 'fsp-worker-mail': 'abc.1' });
    expect(published).toEqual([
      expect.objectContaining({
        source: 'aws.ses',
        'detail-type': 'Email Sent',
        detail: expect.objectContaining({
          eventType: 'Send',
          mail: expect.objectContaining({
            messageId: MessageId,
            destination: ['sam@example.gov.uk'],
            tags: { 'fsp-worker-mail': ['abc.1'] },
          }),
        }),
      }),
    ]);
  });

  it('the simulator’s bounce address is accepted, then bounces', async () => {
    expect((await send(request(SIMULATOR_BOUNCE_ADDRESS, [{ Name: 'fsp-worker-mail', Value: 'abc.2' }]))).status).toBe(200);
    expect(published.map((event) => event['detail-type'])).toEqual(['Email Sent', 'Email Bounced']);
    expect(published[1]!.detail.bounce).toMatchObject({
      bounceType: 'Permanent',
      bouncedRecipients: [{ emailAddress: SIMULATOR_BOUNCE_ADDRESS }],
    });
  });

  it('refuses a tag SES would refuse, and publishes nothing', async () => {
    const response = await send(request('sam@example.gov.uk', [{ Name: 'has space', Value: 'x' }]));
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(published).toEqual([]);
    expect(await outbox.messages()).toEqual([]);
  });

  it('a message without tags has none, and its Send event an empty tag map', async () => {
    await send(request('sam@example.gov.uk'));
    const [message] = await outbox.messages();
    expect(message!.tags).toBeUndefined();
    expect(published[0]!.detail.mail.tags).toEqual({});
  });
});
