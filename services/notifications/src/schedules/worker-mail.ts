/**
 * The `worker-mail` schedule (`rate(1 minute)`, function `worker-mail`; issue 15 Deliver 4–5, ADR
 * 0019): gathers the workers' email intents whose time has come into mails (one per immediate
 * intent, one per recipient and digest moment), then claims the due mails and sends each once.
 *
 * Exactly once per (fact, recipient, channel): a mail is `sending` with a fresh token before SES is
 * called, the token goes with the email as an SES tag, and SES's Send event for that token
 * (src/schedules/worker-mail-ses-events.ts) marks it sent. A mail found `sending` by a later run (its
 * sender stopped between the two steps) is sent again only if SES has said nothing of its token for
 * IN_DOUBT_WAIT_MS. A refusal by SES, or a bounce, is tried again after 1, 5, 30 and 120 minutes; then
 * the mail has failed: the worker is told in their inbox and administrators see it
 * (GET /api/admin/worker-mail-failures).
 */
import type { Directory } from '@fsp/shared/directory';
import { flushingMetrics, recordMetric } from '@fsp/shared/metrics';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { type EmailSender, isSesRefusal } from '../adapters/ses-email-sender';
import { emailFailedDraft, IN_DOUBT_WAIT_MS, MAX_ATTEMPTS, retryAfter, workerEmailOf } from '../domain/worker-email';
import { createInboxStore } from '../store/inbox-store';
import { type ClaimedMail, createWorkerMailStore, groupIntoMails, type WorkerMailStore } from '../store/worker-mail-store';

/** The SES tag whose value is an attempt's token: SES's events carry it back. */
export const WORKER_MAIL_TAG = 'fsp-worker-mail';

const INTENT_PAGE = 100;
const MAIL_PAGE = 10;
const MAX_ROUNDS = 100;
/** One send can take the SDK's whole timeout; keep that much and some slack in hand. */
const RESERVE_MS = 15_000;
const DEFAULT_BUDGET_MS = 45_000;

export type MailOutcome = 'sent' | 'retry' | 'failed' | 'not-sent' | 'waiting' | 'in-doubt' | 'claim-lost' | 'error';
export type WorkerMailSummary = Record<MailOutcome, number> & { gathered: number; claimed: number };

export interface WorkerMailOptions {
  sendEmail: EmailSender;
  directory: Directory;
  /** The workers' web app (PUBLIC_ORIGIN): every link in an email is absolute. */
  origin: string;
  /** The SES configuration set that publishes the emails' events (ADR 0019); the account's default when undefined. */
  configurationSet?: string;
}

/** A mail that will not be tried again: the worker is told in their inbox (once: the item's id is the mail's), then it is failed. */
export async function failMail(
  ports: { store: WorkerMailStore; inbox: ReturnType<typeof createInboxStore> },
  claimed: ClaimedMail,
  now: Date,
  problem: string,
): Promise<boolean> {
  await ports.inbox.deliver(emailFailedDraft(claimed.mail, now), now);
  return ports.store.recordFailed(claimed, now, problem);
}

/**
 * What is kept and logged of a failed send: the error's name and SES's HTTP status, never its
 * message, which may quote the recipient's address.
 */
export function problemOf(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? `${name} (HTTP ${status})` : name;
}

export function createWorkerMailSchedule(runtime: ServiceRuntime, options: WorkerMailOptions) {
  const store = createWorkerMailStore(runtime.documents, runtime.tableName);
  const inbox = createInboxStore(runtime.documents, runtime.tableName);
  const { logger } = runtime;

  async function gatherDue(stopAt: number): Promise<number> {
    let gathered = 0;
    for (let round = 0; round < MAX_ROUNDS && Date.now() < stopAt; round += 1) {
      const now = runtime.clock();
      const due = await store.dueIntents(now, INTENT_PAGE);
      const mails = groupIntoMails(due);
      // A full page may end inside one recipient's digest (the index keeps a digest's intents together):
      // that group waits for the next round, which reads it whole, unless it is the page's only group.
      const last = due.at(-1);
      const whole =
        due.length === INTENT_PAGE && last !== undefined && mails.length > 1 ? mails.filter((mail) => !mail.intents.includes(last)) : mails;
      let progress = 0;
      for (const mail of whole) if (await store.gather(mail.mailId, mail.intents, now)) progress += 1;
      gathered += progress;
      if (due.length < INTENT_PAGE || progress === 0) break;
    }
    return gathered;
  }

  async function attempt(claimed: ClaimedMail): Promise<MailOutcome> {
    const now = runtime.clock();
    const { mail } = claimed;
    if (mail.state === 'sending') {
      // The last attempt's sender stopped before it could say how it went.
      if (mail.token !== undefined && mail.acceptedTokens?.includes(mail.token)) {
        return (await store.recordSent(claimed, now, undefined)) ? 'sent' : 'claim-lost';
      }
      const started = Date.parse(mail.attemptStartedAt ?? mail.createdAt);
      if (now.getTime() < started + IN_DOUBT_WAIT_MS) {
        return (await store.waitForWord(claimed, new Date(started + IN_DOUBT_WAIT_MS))) ? 'waiting' : 'claim-lost';
      }
      logger.warn('Worker email attempt in doubt: SES said nothing of it, so it is sent again', { mailId: mail.mailId, token: mail.token });
    }
    if (mail.attempts >= MAX_ATTEMPTS) {
      // Every attempt is spent and SES never answered the last (nor said it took it): the worker is told.
      return (await failMail({ store, inbox }, claimed, now, 'no answer from SES')) ? 'failed' : 'claim-lost';
    }
    const recipient = await options.directory.worker(mail.userId);
    if (recipient === undefined || !recipient.enabled) {
      const reason = recipient === undefined ? 'not sent: the recipient is not in the directory' : 'not sent: the recipient has left';
      return (await store.recordNotSent(claimed, now, reason)) ? 'not-sent' : 'claim-lost';
    }
    const token = await store.beginAttempt(claimed, now);
    if (token === undefined) return 'claim-lost';
    const message = workerEmailOf(recipient.email, mail.mode, mail.intents, options.origin);
    let messageId: string | undefined;
    try {
      ({ messageId } = await options.sendEmail(message, {
        tags: { [WORKER_MAIL_TAG]: token },
        ...(options.configurationSet === undefined ? {} : { configurationSet: options.configurationSet }),
      }));
    } catch (error) {
      const problem = problemOf(error);
      if (!isSesRefusal(error)) {
        // SES may have taken it: wait for its word on the token before trying again.
        logger.warn('Worker email attempt in doubt: no answer from SES', { mailId: mail.mailId, token, problem });
        return (await store.waitForWord(claimed, new Date(now.getTime() + IN_DOUBT_WAIT_MS))) ? 'in-doubt' : 'claim-lost';
      }
      const retryAt = retryAfter(mail.attempts + 1, now);
      logger.warn('Worker email refused by SES', {
        mailId: mail.mailId,
        attempts: mail.attempts + 1,
        problem,
        retryAt: retryAt?.toISOString(),
      });
      if (retryAt !== undefined)
        return (await store.recordRetry(claimed, now, `refused by SES: ${problem}`, retryAt)) ? 'retry' : 'claim-lost';
      return (await failMail({ store, inbox }, claimed, now, `refused by SES: ${problem}`)) ? 'failed' : 'claim-lost';
    }
    return (await store.recordSent(claimed, runtime.clock(), messageId)) ? 'sent' : 'claim-lost';
  }

  /** One mail's failure (the directory unavailable, say) is logged and leaves its claim to lapse; the others go on. */
  async function attemptOrLog(claimed: ClaimedMail): Promise<MailOutcome> {
    try {
      return await attempt(claimed);
    } catch (error) {
      logger.error('Worker email attempt failed; it is tried again when its claim lapses', {
        mailId: claimed.mail.mailId,
        problem: problemOf(error),
      });
      return 'error';
    }
  }

  return flushingMetrics(async (_event?: unknown, context?: { getRemainingTimeInMillis(): number }): Promise<WorkerMailSummary> => {
    // Wall-clock budget of this invocation (not domain time, so not the injected clock).
    const stopAt = Date.now() + (context ? context.getRemainingTimeInMillis() - RESERVE_MS : DEFAULT_BUDGET_MS);
    const summary: WorkerMailSummary = {
      gathered: await gatherDue(stopAt),
      claimed: 0,
      sent: 0,
      retry: 0,
      failed: 0,
      'not-sent': 0,
      waiting: 0,
      'in-doubt': 0,
      'claim-lost': 0,
      error: 0,
    };
    for (let round = 0; round < MAX_ROUNDS && Date.now() < stopAt; round += 1) {
      const now = runtime.clock();
      const due = await store.dueMails(now, MAIL_PAGE);
      const claims = (await Promise.all(due.map((seen) => store.claim(seen, now)))).filter((claim) => claim !== undefined);
      if (claims.length === 0) break;
      summary.claimed += claims.length;
      for (const outcome of await Promise.all(claims.map(attemptOrLog))) {
        summary[outcome] += 1;
        // Refused by SES (retried or not), failed with no answer, or an attempt that threw.
        if (outcome === 'retry' || outcome === 'failed' || outcome === 'error') recordMetric('EmailFailed', { email: 'worker' });
      }
      if (due.length < MAIL_PAGE) break;
    }
    if (summary.gathered > 0 || summary.claimed > 0) logger.info('Worker mail run finished', summary);
    return summary;
  });
}
