/**
 * The outbound email port and its SES v2 adapter. Locally the same adapter talks to the local
 * cloud's mail outbox (AWS_ENDPOINT_URL_SESV2); tests pass an EmailSender of their own or point the
 * adapter's client at an in-process outbox.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EmailMessage } from '../domain/referral-email';

export type EmailSender = (message: EmailMessage) => Promise<{ messageId: string | undefined }>;

export function createSesEmailSender(from: string, client: SESv2Client = new SESv2Client({})): EmailSender {
  return async (message) => {
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
      }),
    );
    return { messageId: result.MessageId };
  };
}
