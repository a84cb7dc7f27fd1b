/**
 * The outbound email port and its SES v2 adapter. Locally the same adapter talks to the local
 * cloud's mail outbox (AWS_ENDPOINT_URL_SESV2); tests pass an EmailSender of their own or point the
 * adapter's client at an in-process outbox.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { withoutSdkLogging } from '@fsp/shared/sdk-client';
import type { EmailMessage } from '../domain/referral-email';

/** What a sender may add to one email: tags SES carries back in its events (workers' email, ADR 0019). */
export interface SendOptions {
  /** Name → value; SES allows letters, digits, `_`, `-`, `.` and `@` in both. */
  tags?: Readonly<Record<string, string>>;
  /** The SES configuration set whose event destinations publish this email's events. */
  configurationSet?: string;
}

export type EmailSender = (message: EmailMessage, options?: SendOptions) => Promise<{ messageId: string | undefined }>;

export function createSesEmailSender(from: string, client: SESv2Client = withoutSdkLogging(new SESv2Client({}))): EmailSender {
  return async (message, options) => {
    const tags = Object.entries(options?.tags ?? {});
    const result = await client.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [message.to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
          },
        },
        ...(tags.length > 0 ? { EmailTags: tags.map(([Name, Value]) => ({ Name, Value })) } : {}),
        ...(options?.configurationSet === undefined ? {} : { ConfigurationSetName: options.configurationSet }),
      }),
    );
    return { messageId: result.MessageId };
  };
}

/**
 * SES answered the send with an error (it refused the email: a rejected message, an unverified
 * address, throttling): nothing was sent. Any other failure (no answer: a timeout, a broken
 * connection) leaves it unknown whether SES accepted the email.
 */
export function isSesRefusal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 400;
}
