/**
 * SES's word on workers' email (ADR 0019), from the `worker-mail-ses-events` subscription: SES event
 * publishing puts `Email Sent` and `Email Bounced` on EventBridge (source `aws.ses`), each carrying
 * the email's tags. The `fsp-worker-mail` tag is the attempt's token: a Send event says the attempt
 * went (so an in-doubt mail is not sent again); a Bounce schedules the next attempt, or fails the mail
 * when none is left (the worker is told in their inbox). Events without the tag are not ours.
 */
import type { BatchResponse, ConsumerSqsEvent } from '@fsp/shared/consumer';
import { flushingMetrics, recordMetric } from '@fsp/shared/metrics';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { emailFailedDraft, retryAfter } from '../domain/worker-email';
import { createInboxStore } from '../store/inbox-store';
import { createWorkerMailStore, mailIdOfToken } from '../store/worker-mail-store';
import { WORKER_MAIL_TAG } from './worker-mail';

const sesEventSchema = z.object({
  source: z.literal('aws.ses'),
  'detail-type': z.string(),
  time: z.iso.datetime(),
  detail: z.object({
    eventType: z.string(),
    mail: z.object({ messageId: z.string(), tags: z.optional(z.record(z.string(), z.array(z.string()))) }),
    bounce: z.optional(
      z.object({
        bounceType: z.string(),
        bounceSubType: z.optional(z.string()),
        bouncedRecipients: z.optional(z.array(z.object({ diagnosticCode: z.optional(z.string()) }))),
      }),
    ),
  }),
});
export type SesEvent = z.infer<typeof sesEventSchema>;

/** The manifest subscription (src/worker-mail-manifest.ts) whose queue this consumes. */
export const WORKER_MAIL_SES_EVENTS = 'worker-mail-ses-events';

export type SesEventOutcome = 'accepted' | 'bounce-retry' | 'bounce-failed' | 'ignored';

export function createWorkerMailSesEvents(runtime: ServiceRuntime) {
  const store = createWorkerMailStore(runtime.documents, runtime.tableName);
  const inbox = createInboxStore(runtime.documents, runtime.tableName);

  /** One SES event, parsed (zod: the error names the field) and acted on; repeats change nothing. */
  async function handle(raw: unknown): Promise<SesEventOutcome> {
    const parsed = z.safeParse(sesEventSchema, raw);
    if (!parsed.success) {
      throw new Error(`Not an SES event: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    }
    const event = parsed.data;
    const token = event.detail.mail.tags?.[WORKER_MAIL_TAG]?.[0];
    const mailId = token === undefined ? undefined : mailIdOfToken(token);
    if (token === undefined || mailId === undefined) return 'ignored';
    const now = runtime.clock();
    if (event.detail.eventType === 'Send') {
      await store.recordAccepted(token, now, event.detail.mail.messageId);
      return 'accepted';
    }
    if (event.detail.eventType !== 'Bounce' || event.detail.bounce === undefined) return 'ignored';
    const mail = await store.get(mailId);
    if (mail === undefined || mail.token !== token) return 'ignored';
    const { bounce } = event.detail;
    const diagnostic = bounce.bouncedRecipients?.[0]?.diagnosticCode;
    const problem = `bounced (${bounce.bounceType}${bounce.bounceSubType ? `, ${bounce.bounceSubType}` : ''})${diagnostic ? `: ${diagnostic}` : ''}`;
    const retryAt = retryAfter(mail.attempts, now);
    if (retryAt === undefined) {
      // Told in the inbox first: a repeat of this event finds the item there and the mail failed.
      await inbox.deliver(emailFailedDraft(mail, now), now);
      const failed = await store.recordBounce(token, now, problem, undefined);
      runtime.logger.warn('Worker email failed: it bounced and no attempts are left', { mailId, attempts: mail.attempts, problem });
      if (failed) recordMetric('EmailFailed', { email: 'worker' });
      return failed ? 'bounce-failed' : 'ignored';
    }
    runtime.logger.warn('Worker email bounced', { mailId, attempts: mail.attempts, problem, retryAt: retryAt.toISOString() });
    const retried = await store.recordBounce(token, now, problem, retryAt);
    // Once per bounce: a repeat of this event finds it recorded and counts nothing.
    if (retried) recordMetric('EmailFailed', { email: 'worker' });
    return retried ? 'bounce-retry' : 'ignored';
  }

  /** The subscription's SQS consumer: each message is one EventBridge event; a failure is retried, then dead-lettered. */
  async function consume(event: ConsumerSqsEvent): Promise<BatchResponse> {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        await handle(JSON.parse(record.body) as unknown);
      } catch (error) {
        runtime.logger.error('Could not record an SES event for worker email', {
          messageId: record.messageId,
          error: error instanceof Error ? error.message : String(error),
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  }

  // Labelled as the manifest test expects of every consumer (it keeps no idempotency records: each write is conditional).
  return { handle, consume: Object.assign(flushingMetrics(consume), { subscription: WORKER_MAIL_SES_EVENTS }) };
}
