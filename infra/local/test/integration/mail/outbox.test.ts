import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMailOutbox, type MailOutbox, type StoredMessage } from '../../../src/mail/outbox';
import { startServer, type TestServer } from '../gateway/support';

const sendEmailRequest = (overrides: Record<string, unknown> = {}) => ({
  FromEmailAddress: '"Family Safeguarding" <no-reply@fsp.example.gov.uk>',
  Destination: { ToAddresses: ['sam@example.gov.uk'], CcAddresses: ['manager@example.gov.uk'] },
  Content: {
    Simple: {
      Subject: { Data: 'Group supervision overdue: case <C-42>', Charset: 'UTF-8' },
      Body: {
        Text: { Data: 'Case C-42 was due for group supervision on 1 June.' },
        Html: { Data: '<p>Case <b>C-42</b> is overdue.</p><script>alert("x")</script><img src="https://tracker.example/p.gif">' },
      },
    },
  },
  ...overrides,
});

describe('local mail outbox (SES v2)', () => {
  let server: TestServer;
  let outbox: MailOutbox;

  const send = (body: unknown) =>
    fetch(`${server.url}/v2/email/outbound-emails`, {
      method: 'POST',
      // What SESv2Client sends: REST-JSON with a SigV4 Authorization header, which the outbox does not check.
      headers: {
        'content-type': 'application/json',
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20250601/eu-west-2/ses/aws4_request',
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeEach(async () => {
    server = await startServer();
    outbox = createMailOutbox({ clock: () => new Date('2025-06-01T09:30:00Z') });
    server.use(outbox.handle);
  });
  afterEach(() => server.close());

  it('accepts SendEmail and returns a MessageId', async () => {
    const res = await send(sendEmailRequest());
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amzn-requestid')).toBeTruthy();
    const { MessageId } = (await res.json()) as { MessageId: string };
    expect(MessageId).toMatch(/^[0-9a-f]{16}-[0-9a-f-]{36}-000000$/);

    const listing = (await (await fetch(`${server.url}/_local/mail/messages`)).json()) as { messages: StoredMessage[] };
    expect(listing.messages).toEqual([
      {
        messageId: MessageId,
        receivedAt: '2025-06-01T09:30:00.000Z',
        from: '"Family Safeguarding" <no-reply@fsp.example.gov.uk>',
        to: ['sam@example.gov.uk'],
        cc: ['manager@example.gov.uk'],
        bcc: [],
        replyTo: [],
        subject: 'Group supervision overdue: case <C-42>',
        text: 'Case C-42 was due for group supervision on 1 June.',
        html: '<p>Case <b>C-42</b> is overdue.</p><script>alert("x")</script><img src="https://tracker.example/p.gif">',
      },
    ]);
  });

  it.each([
    ['no sender', { FromEmailAddress: undefined }, /Missing required field FromEmailAddress/],
    ['a malformed sender', { FromEmailAddress: 'not-an-address' }, /Illegal address in FromEmailAddress/],
    ['no destination', { Destination: undefined }, /Missing required field Destination/],
    ['no recipients', { Destination: { ToAddresses: [] } }, /at least one recipient/],
    ['a malformed recipient', { Destination: { ToAddresses: ['sam@'] } }, /Illegal address in Destination.ToAddresses/],
    ['too many recipients', { Destination: { ToAddresses: Array.from({ length: 51 }, (_, i) => `p${i}@example.gov.uk`) } }, /exceeds 50/],
    ['no content', { Content: undefined }, /Missing required field Content/],
    ['no subject', { Content: { Simple: { Body: { Text: { Data: 'x' } } } } }, /Content.Simple.Subject/],
    ['no body', { Content: { Simple: { Subject: { Data: 'x' }, Body: {} } } }, /Text, Html or both/],
    ['raw content', { Content: { Raw: { Data: 'RnJvbTo=' } } }, /supports Content.Simple only/],
  ])('answers %s with 400 BadRequestException and stores nothing', async (_, overrides, message) => {
    const res = await send(sendEmailRequest(overrides));
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(((await res.json()) as { message: string }).message).toMatch(message);
    expect(await outbox.messages()).toEqual([]);
  });

  it('answers a body that is not JSON with SerializationException', async () => {
    const res = await send('{"FromEmailAddress":');
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('SerializationException');
  });

  it('shows an inbox in the browser with the HTML body sandboxed, never injected', async () => {
    const { MessageId } = (await (await send(sendEmailRequest())).json()) as { MessageId: string };
    const list = await fetch(`${server.url}/mail`);
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const listHtml = await list.text();
    expect(listHtml).toContain('sam@example.gov.uk, manager@example.gov.uk');
    expect(listHtml).toContain(`<a href="/mail/${MessageId}">Group supervision overdue: case &lt;C-42&gt;</a>`);
    expect(listHtml).toContain('<time datetime="2025-06-01T09:30:00.000Z">2025-06-01 09:30:00 UTC</time>');

    const page = await fetch(`${server.url}/mail/${MessageId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<iframe title="HTML body of the message" sandbox=""');
    expect(html).toContain(
      'srcdoc="&lt;p&gt;Case &lt;b&gt;C-42&lt;/b&gt; is overdue.&lt;/p&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;',
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>C-42</b>');
    expect(html).toContain('<pre>Case C-42 was due for group supervision on 1 June.</pre>');

    expect((await fetch(`${server.url}/mail/0000000000000000-00000000-0000-0000-0000-000000000000-000000`)).status).toBe(404);
    expect((await fetch(`${server.url}/mail/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });

  it('filters the JSON listing by recipient and clears it', async () => {
    await send(sendEmailRequest());
    await send(sendEmailRequest({ Destination: { BccAddresses: ['audit@example.gov.uk'] } }));
    const filtered = (await (await fetch(`${server.url}/_local/mail/messages?to=audit@`)).json()) as { messages: StoredMessage[] };
    expect(filtered.messages.map((m) => m.bcc)).toEqual([['audit@example.gov.uk']]);
    expect((await fetch(`${server.url}/_local/mail/messages`, { method: 'DELETE' })).status).toBe(204);
    expect(await outbox.messages()).toEqual([]);
  });

  it('leaves other paths to other handlers', async () => {
    expect((await fetch(`${server.url}/v2/email/identities`)).status).toBe(404);
  });
});

describe('local mail outbox on disk', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'fsp-mail-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps each message as a JSON file that a restarted outbox still lists, newest first', async () => {
    const server = await startServer();
    let now = new Date('2025-06-01T09:00:00Z');
    server.use(createMailOutbox({ directory: join(directory, 'mail'), clock: () => now }).handle);
    for (const subject of ['first', 'second']) {
      const res = await fetch(`${server.url}/v2/email/outbound-emails`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sendEmailRequest({ Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: subject } } } } })),
      });
      expect(res.status).toBe(200);
      now = new Date(now.getTime() + 60_000);
    }
    await server.close();
    expect(readdirSync(join(directory, 'mail')).filter((n) => n.endsWith('.json'))).toHaveLength(2);

    const restarted = createMailOutbox({ directory: join(directory, 'mail') });
    expect((await restarted.messages()).map((m) => m.subject)).toEqual(['second', 'first']);
    await restarted.clear();
    expect(readdirSync(join(directory, 'mail'))).toEqual([]);
  });

  it('lists nothing before the directory exists', async () => {
    expect(await createMailOutbox({ directory: join(directory, 'absent') }).messages()).toEqual([]);
  });
});
