import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { BodyTooLargeError, escapeHtml, govukPage, readBody, requestUrl, sendHtml, sendJson } from '../gateway/http-util';

export interface StoredMessage {
  messageId: string;
  receivedAt: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  text?: string;
  html?: string;
  /** The request's EmailTags (name → value), as SES gives them back in its events; absent when none. */
  tags?: Record<string, string>;
}

/**
 * One SES event as SES event publishing puts it on EventBridge (source `aws.ses`): `Email Sent` when
 * SES accepted a message, `Email Bounced` when its recipient's server refused it. Only the fields
 * the platform reads; `mail.tags` maps each tag name to its values, as SES does.
 */
export interface SesEventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': 'Email Sent' | 'Email Bounced';
  source: 'aws.ses';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    eventType: 'Send' | 'Bounce';
    mail: { timestamp: string; source: string; messageId: string; destination: string[]; tags: Record<string, string[]> };
    send?: Record<string, never>;
    bounce?: {
      bounceType: 'Permanent' | 'Transient' | 'Undetermined';
      bounceSubType: string;
      bouncedRecipients: { emailAddress: string; diagnosticCode?: string }[];
      timestamp: string;
    };
  };
}

/** SES's mailbox simulator: a message to this address is accepted, then bounces (as in AWS). */
export const SIMULATOR_BOUNCE_ADDRESS = 'bounce@simulator.amazonses.com';

export interface MailOutboxOptions {
  /** Keep each message as a JSON file here (survives restarts); in memory when undefined. */
  directory?: string;
  clock?: () => Date;
  /**
   * Where the outbox publishes SES's events for an accepted message (as SES event publishing does to
   * EventBridge): `Email Sent` for every message, then `Email Bounced` for one to the simulator's
   * bounce address. None when undefined.
   */
  publish?: (event: SesEventBridgeEvent) => Promise<void>;
}

export interface MailOutbox {
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Newest first. */
  messages(): Promise<StoredMessage[]>;
  clear(): Promise<void>;
}

/** SES caps a message at 50 recipients across To, Cc and Bcc. */
const MAX_RECIPIENTS = 50;
/** SES's largest message (v2 SendEmail) is 40 MB; the local outbox is for notifications, so far less is plenty. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MESSAGE_ID = /^[0-9a-f]{16}-[0-9a-f-]{36}-000000$/;

class SesError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** `addr@domain` optionally inside a display name: `"Front door" <frontdoor@example.gov.uk>`. */
function validAddress(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 320) return false;
  const angle = /<([^<>]+)>\s*$/.exec(value);
  const address = angle ? angle[1]! : value.trim();
  return /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/.test(address);
}

function addressList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new SesError(400, 'BadRequestException', `${field} must be a list of email addresses.`);
  for (const address of value) {
    if (!validAddress(address)) throw new SesError(400, 'BadRequestException', `Illegal address in ${field}: ${JSON.stringify(address)}.`);
  }
  return value as string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function contentData(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || typeof value.Data !== 'string') throw new SesError(400, 'BadRequestException', `${field}.Data must be a string.`);
  return value.Data;
}

/** SES's EmailTags: a list of { Name, Value }, each of letters, digits, `_`, `-`, `.` or `@`, at most 256 characters. */
function emailTags(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new SesError(400, 'BadRequestException', 'EmailTags must be a list of { Name, Value }.');
  const tags: Record<string, string> = {};
  for (const tag of value) {
    const valid = (text: unknown): text is string => typeof text === 'string' && /^[A-Za-z0-9_.@-]{1,256}$/.test(text);
    if (!isRecord(tag) || !valid(tag.Name) || !valid(tag.Value)) {
      throw new SesError(400, 'BadRequestException', `Illegal tag in EmailTags: ${JSON.stringify(tag)}.`);
    }
    tags[tag.Name] = tag.Value;
  }
  return tags;
}

/** Validates a SendEmail request as SES v2 does, for the Simple content this outbox supports. */
export function parseSendEmail(body: unknown): Omit<StoredMessage, 'messageId' | 'receivedAt'> {
  if (!isRecord(body)) throw new SesError(400, 'BadRequestException', 'The request body must be a JSON object.');
  if (body.FromEmailAddress === undefined) throw new SesError(400, 'BadRequestException', 'Missing required field FromEmailAddress.');
  if (!validAddress(body.FromEmailAddress))
    throw new SesError(400, 'BadRequestException', `Illegal address in FromEmailAddress: ${JSON.stringify(body.FromEmailAddress)}.`);
  if (!isRecord(body.Destination)) throw new SesError(400, 'BadRequestException', 'Missing required field Destination.');
  const to = addressList(body.Destination.ToAddresses, 'Destination.ToAddresses');
  const cc = addressList(body.Destination.CcAddresses, 'Destination.CcAddresses');
  const bcc = addressList(body.Destination.BccAddresses, 'Destination.BccAddresses');
  if (to.length + cc.length + bcc.length === 0)
    throw new SesError(400, 'BadRequestException', 'The message must have at least one recipient.');
  if (to.length + cc.length + bcc.length > MAX_RECIPIENTS) {
    throw new SesError(400, 'BadRequestException', `Recipient count exceeds ${MAX_RECIPIENTS}.`);
  }
  const replyTo = addressList(body.ReplyToAddresses, 'ReplyToAddresses');
  if (!isRecord(body.Content)) throw new SesError(400, 'BadRequestException', 'Missing required field Content.');
  const kinds = ['Simple', 'Raw', 'Template'].filter((k) => (body.Content as Record<string, unknown>)[k] !== undefined);
  if (kinds.length !== 1) throw new SesError(400, 'BadRequestException', 'Content must contain exactly one of Simple, Raw or Template.');
  const simple = body.Content.Simple;
  if (!isRecord(simple)) {
    // Say so plainly rather than pretending to have sent a Raw or Template message.
    throw new SesError(400, 'BadRequestException', `The local mail outbox supports Content.Simple only, not Content.${kinds[0]}.`);
  }
  const subject = contentData(simple.Subject, 'Content.Simple.Subject');
  if (subject === undefined) throw new SesError(400, 'BadRequestException', 'Missing required field Content.Simple.Subject.');
  if (!isRecord(simple.Body)) throw new SesError(400, 'BadRequestException', 'Missing required field Content.Simple.Body.');
  const text = contentData(simple.Body.Text, 'Content.Simple.Body.Text');
  const html = contentData(simple.Body.Html, 'Content.Simple.Body.Html');
  if (text === undefined && html === undefined)
    throw new SesError(400, 'BadRequestException', 'Content.Simple.Body must have Text, Html or both.');
  const tags = emailTags(body.EmailTags);
  return {
    ...(tags === undefined ? {} : { tags }),
    from: body.FromEmailAddress,
    to,
    cc,
    bcc,
    replyTo,
    subject,
    ...(text === undefined ? {} : { text }),
    ...(html === undefined ? {} : { html }),
  };
}

function sesMessageId(now: Date): string {
  // Shaped like SES's ids (time-ordered hex, a UUID, a suffix) so code that logs or parses them sees the real form.
  return `${now.getTime().toString(16).padStart(12, '0')}${randomBytes(2).toString('hex')}-${randomUUID()}-000000`;
}

const SERVICE_NAME = 'Family Safeguarding (local mail)';

function sesEvent(kind: 'Email Sent' | 'Email Bounced', message: StoredMessage, now: Date): SesEventBridgeEvent {
  const destination = [...message.to, ...message.cc, ...message.bcc];
  const mail = {
    timestamp: message.receivedAt,
    source: message.from,
    messageId: message.messageId,
    destination,
    tags: Object.fromEntries(Object.entries(message.tags ?? {}).map(([name, value]) => [name, [value]])),
  };
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': kind,
    source: 'aws.ses',
    account: '000000000000',
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'eu-west-2',
    resources: [],
    detail:
      kind === 'Email Sent'
        ? { eventType: 'Send', mail, send: {} }
        : {
            eventType: 'Bounce',
            mail,
            bounce: {
              bounceType: 'Permanent',
              bounceSubType: 'General',
              bouncedRecipients: destination
                .filter((address) => address.toLowerCase().includes(SIMULATOR_BOUNCE_ADDRESS))
                .map((emailAddress) => ({ emailAddress, diagnosticCode: 'smtp; 550 5.1.1 user unknown' })),
              timestamp: now.toISOString(),
            },
          },
  };
}

/** After SES accepted a message: its Send event, and a Bounce for the mailbox simulator's bounce address. */
async function publishEvents(publish: (event: SesEventBridgeEvent) => Promise<void>, message: StoredMessage, now: Date): Promise<void> {
  await publish(sesEvent('Email Sent', message, now));
  const bounces = [...message.to, ...message.cc, ...message.bcc].some((address) =>
    address.toLowerCase().includes(SIMULATOR_BOUNCE_ADDRESS),
  );
  if (bounces) await publish(sesEvent('Email Bounced', message, now));
}

export function createMailOutbox(options: MailOutboxOptions = {}): MailOutbox {
  const clock = options.clock ?? (() => new Date());
  const memory: StoredMessage[] = [];
  const directory = options.directory;

  async function save(message: StoredMessage): Promise<void> {
    if (directory === undefined) {
      memory.push(message);
      return;
    }
    await mkdir(directory, { recursive: true });
    await writeFile(join(directory, `${message.messageId}.json`), `${JSON.stringify(message, null, 2)}\n`, { flag: 'wx' });
  }

  async function messages(): Promise<StoredMessage[]> {
    let all: StoredMessage[];
    if (directory === undefined) {
      all = [...memory];
    } else {
      let names: string[];
      try {
        names = await readdir(directory);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      all = await Promise.all(
        names
          .filter((n) => MESSAGE_ID.test(n.replace(/\.json$/, '')) && n.endsWith('.json'))
          .map(async (n) => JSON.parse(await readFile(join(directory, n), 'utf8')) as StoredMessage),
      );
    }
    return all.sort((a, b) =>
      a.receivedAt === b.receivedAt ? b.messageId.localeCompare(a.messageId) : b.receivedAt.localeCompare(a.receivedAt),
    );
  }

  async function find(id: string): Promise<StoredMessage | undefined> {
    if (!MESSAGE_ID.test(id)) return undefined;
    return (await messages()).find((m) => m.messageId === id);
  }

  async function clear(): Promise<void> {
    memory.length = 0;
    if (directory === undefined) return;
    for (const message of await messages()) await rm(join(directory, `${message.messageId}.json`), { force: true });
  }

  function sesError(res: ServerResponse, error: SesError): void {
    // The SDK reads the error code from this header; the body carries the human message.
    sendJson(res, error.status, { message: error.message }, { 'x-amzn-errortype': error.type, 'x-amzn-requestid': randomUUID() });
  }

  async function sendEmail(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse((await readBody(req, MAX_BODY_BYTES)).toString('utf8'));
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new SesError(400, 'SerializationException', `The request body is not valid JSON: ${error.message}`);
      if (error instanceof BodyTooLargeError)
        throw new SesError(400, 'BadRequestException', 'Message length is more than the local limit.');
      throw error;
    }
    const now = clock();
    const message: StoredMessage = { messageId: sesMessageId(now), receivedAt: now.toISOString(), ...parseSendEmail(parsed) };
    await save(message);
    if (options.publish !== undefined) {
      // SES publishes its events some time after accepting; here before the answer, so a test sees them at once.
      // A bus that cannot take them loses them, as an event destination's failures do: the message was still sent.
      await publishEvents(options.publish, message, now).catch((error: unknown) => {
        console.warn(`local mail outbox: could not publish the SES events of ${message.messageId}: ${String(error)}`);
      });
    }
    sendJson(res, 200, { MessageId: message.messageId }, { 'x-amzn-requestid': randomUUID() });
  }

  function listPage(all: StoredMessage[]): string {
    const rows = all
      .map(
        (
          m,
        ) => `<tr><td><time datetime="${escapeHtml(m.receivedAt)}">${escapeHtml(m.receivedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</time></td>
<td>${escapeHtml([...m.to, ...m.cc, ...m.bcc].join(', '))}</td>
<td><a href="/mail/${escapeHtml(m.messageId)}">${escapeHtml(m.subject || '(no subject)')}</a></td></tr>`,
      )
      .join('\n');
    const body =
      all.length === 0
        ? '<h1>Mail outbox</h1><p>No messages have been sent yet.</p>'
        : `<h1>Mail outbox</h1>
<p class="hint">Every email the platform sends locally lands here instead of being delivered. Newest first.</p>
<table><caption class="skip-link">Messages</caption><thead><tr><th scope="col">Sent</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead>
<tbody>${rows}</tbody></table>`;
    return govukPage({ title: 'Mail outbox', serviceName: SERVICE_NAME, body, wide: true });
  }

  function messagePage(m: StoredMessage): string {
    const row = (label: string, values: string[]) =>
      values.length === 0 ? '' : `<dt>${label}</dt><dd>${escapeHtml(values.join(', '))}</dd>`;
    // The HTML body goes into a sandboxed iframe as an escaped srcdoc attribute: it is never part of this page,
    // and with an empty sandbox it can run no script, submit no form and navigate nowhere.
    const html =
      m.html === undefined
        ? ''
        : `<h2>HTML body</h2><iframe title="HTML body of the message" sandbox="" referrerpolicy="no-referrer" srcdoc="${escapeHtml(m.html)}"></iframe>`;
    const text = m.text === undefined ? '' : `<h2>Text body</h2><pre>${escapeHtml(m.text)}</pre>`;
    const body = `<p><a href="/mail">Back to the outbox</a></p>
<h1>${escapeHtml(m.subject || '(no subject)')}</h1>
<dl>
<dt>Sent</dt><dd><time datetime="${escapeHtml(m.receivedAt)}">${escapeHtml(m.receivedAt)}</time></dd>
${row('From', [m.from])}${row('To', m.to)}${row('Cc', m.cc)}${row('Bcc', m.bcc)}${row('Reply to', m.replyTo)}
<dt>Message id</dt><dd><code>${escapeHtml(m.messageId)}</code></dd>
</dl>
${text}
${html}`;
    return govukPage({ title: m.subject || 'Message', serviceName: SERVICE_NAME, body, wide: true });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = requestUrl(req);
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path === '/v2/email/outbound-emails') {
      if (method !== 'POST') {
        sesError(res, new SesError(405, 'MethodNotAllowedException', 'Use POST to send an email.'));
        return true;
      }
      try {
        await sendEmail(req, res);
      } catch (error) {
        if (!(error instanceof SesError)) throw error;
        sesError(res, error);
      }
      return true;
    }
    if (path === '/_local/mail/messages') {
      if (method === 'GET') {
        const to = url.searchParams.get('to');
        const all = await messages();
        const wanted =
          to === null ? all : all.filter((m) => [...m.to, ...m.cc, ...m.bcc].some((a) => a.toLowerCase().includes(to.toLowerCase())));
        sendJson(res, 200, { messages: wanted }, { 'cache-control': 'no-store' });
      } else if (method === 'DELETE') {
        await clear();
        res.writeHead(204, { 'content-length': 0 });
        res.end();
      } else {
        sendJson(res, 405, { message: 'Use GET or DELETE' }, { allow: 'GET, DELETE' });
      }
      return true;
    }
    if (method !== 'GET' && method !== 'HEAD') return false;
    if (path === '/mail' || path === '/mail/') {
      sendHtml(res, 200, listPage(await messages()));
      return true;
    }
    const single = /^\/mail\/([^/]+)$/.exec(path);
    if (single !== null) {
      // Ids are plain hex and dashes, so the segment is compared as sent; anything else is simply not found.
      const message = await find(single[1]!);
      if (message === undefined) {
        sendHtml(
          res,
          404,
          govukPage({
            title: 'Message not found',
            serviceName: SERVICE_NAME,
            body: '<h1>Message not found</h1><p><a href="/mail">Back to the outbox</a></p>',
          }),
        );
      } else {
        sendHtml(res, 200, messagePage(message));
      }
      return true;
    }
    return false;
  }

  return { handle, messages, clear };
}
