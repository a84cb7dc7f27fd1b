/**
 * Workers' email (issue 15; ADR 0019): the intents delivery records, and the emails made of them.
 * Recording an intent is worker-mail-intents-store.ts's, all the notification consumers need of
 * workers' email (this store includes it), so that their bundles leave the rest out (ADR 0039).
 *
 * An intent is one notification for one worker by one mode; an email ("mail") is what is sent: one
 * immediate intent, or every digest intent of one recipient and digest moment. Intents wait in
 * gsi1 at their `sendAt`; the schedule gathers the due ones into mails (one transaction moves them
 * out of the index and creates the mail, so an intent is in exactly one mail), and mails wait in
 * gsi1 at their next attempt.
 *
 * | access pattern                         | key condition                                                                | index |
 * |----------------------------------------|------------------------------------------------------------------------------|-------|
 * | record an intent once                  | PutItem pk=WORKER-MAIL#<userId>, sk=INTENT#<mode>#<notificationId> if absent | table |
 * | intents due for gathering              | Query gsi1pk=WORKER-MAIL-INTENTS#due AND gsi1sk <= "<now>#\uffff"            | gsi1  |
 * | gather intents into one mail           | TransactWrite: Put the mail if absent + Update each intent if still due      | table |
 * | mails due for an attempt               | Query gsi1pk=WORKER-MAILS#due AND gsi1sk <= "<now>#\uffff"                   | gsi1  |
 * | claim a due mail (one sender wins)     | UpdateItem pk=WORKER-MAIL-SEND#<mailId> … if nextAttemptAt = the one read    | table |
 * | record an attempt, sent, retry, failed | UpdateItem … if claimId = the claimer's                                      | table |
 * | SES said it accepted / bounced a token | UpdateItem pk=WORKER-MAIL-SEND#<mailId> (the token names the mail)           | table |
 * | failed mails, newest first             | Query gsi1pk=WORKER-MAILS#failed, descending, paged                          | gsi1  |
 */

import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { jsonCursorCodec } from '@fsp/shared/cursor';
import { failedConditionsOf, isTransactionConflict } from '@fsp/shared/dynamo-errors';
import { byCodeUnits } from '@fsp/shared/order';
import { conditionalWrite } from '@fsp/shared/store';
import { parseStoredItem } from '@fsp/shared/stored-item';
import { TABLE_KEYS } from '@fsp/shared/table';
import * as z from 'zod/mini';
import { NOTIFICATION_KINDS } from '../domain/notification';
import { MAIL_MODES, type MailMode, type WorkerMailIntent, type WorkerMailIntents } from '../domain/worker-mail';
import { createWorkerMailIntentsStore, INTENTS_DUE, intentKey, intentSchema, sortAt } from './worker-mail-intents-store';

/** Longer than the sending function's timeout, so a claim is never taken over while its claimer may still be at work. */
export const MAIL_CLAIM_LEASE_MS = 2 * 60 * 1000;
/** At most this many intents in one mail (a transaction holds 100 items: the mail and 99 intents). */
export const MAX_INTENTS_PER_MAIL = 99;

export const MAIL_STATES = ['due', 'sending', 'sent', 'failed', 'not-sent'] as const;
export type MailState = (typeof MAIL_STATES)[number];

const mailKey = (mailId: string) => ({ pk: `WORKER-MAIL-SEND#${mailId}`, sk: 'MAIL' });
const mailPartition = (state: 'due' | 'failed') => `WORKER-MAILS#${state}`;
const plusMs = (now: Date, ms: number) => new Date(now.getTime() + ms).toISOString();

/** What a mail keeps of each intent: enough to write the email without reading the inbox again. */
const mailIntentSchema = z.lazy(() =>
  z.object({
    notificationId: z.string(),
    kind: z.enum(NOTIFICATION_KINDS),
    title: z.string(),
    link: z.string(),
    reference: z.optional(z.string()),
    urgent: z.boolean(),
    createdAt: z.iso.datetime(),
  }),
);
export type MailIntent = z.infer<typeof mailIntentSchema>;

const mailSchema = z.lazy(() =>
  z.object({
    mailId: z.string().check(z.regex(/^[0-9a-f]{32}$/)),
    userId: z.string(),
    mode: z.enum(MAIL_MODES),
    sendAt: z.iso.datetime(),
    intents: z.array(mailIntentSchema),
    state: z.enum(MAIL_STATES),
    /** Attempts begun (a send was tried, or is in doubt); the next attempt's token is `<mailId>.<attempts + 1>`. */
    attempts: z.int().check(z.gte(0)),
    createdAt: z.iso.datetime(),
    nextAttemptAt: z.optional(z.iso.datetime()),
    claimId: z.optional(z.string()),
    /** The token of the attempt begun last (state `sending`): SES carries it back in its events. */
    token: z.optional(z.string()),
    attemptStartedAt: z.optional(z.iso.datetime()),
    /** Tokens SES said it accepted (its Send event); any of them means the email went. */
    acceptedTokens: z.optional(z.array(z.string())),
    lastResult: z.optional(z.string()),
    /** Each refusal or bounce, oldest first: `<at> <what>`. */
    problems: z.optional(z.array(z.string())),
    providerMessageId: z.optional(z.string()),
    sentAt: z.optional(z.iso.datetime()),
    failedAt: z.optional(z.iso.datetime()),
    notSentAt: z.optional(z.iso.datetime()),
  }),
);
export type WorkerMail = z.infer<typeof mailSchema>;

/** A mail this caller holds the claim of, with the state it was in when claimed (`sending`: an attempt is in doubt). */
export interface ClaimedMail {
  mail: WorkerMail;
  claimId: string;
}

/** The mail an intent goes in: one per immediate intent, one per recipient and digest moment (and its first intent, when split). */
export function mailIdOf(userId: string, mode: MailMode, sendAt: string, firstNotificationId: string): string {
  const parts = mode === 'immediate' ? [userId, mode, firstNotificationId] : [userId, mode, sendAt, firstNotificationId];
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

/** The token of one attempt, passed to SES as an email tag and read back from SES's events. */
export const attemptToken = (mailId: string, attempt: number) => `${mailId}.${attempt}`;
export function mailIdOfToken(token: string): string | undefined {
  const match = /^([0-9a-f]{32})\.([1-9][0-9]{0,3})$/.exec(token);
  return match ? match[1] : undefined;
}

const cursorSchema = () => z.strictObject({ pk: z.string(), sk: z.string(), gsi1sk: z.string() });
export type FailedMailCursor = z.infer<ReturnType<typeof cursorSchema>>;

/** Only a cursor this store could have issued decodes; anything else is undefined. */
const failedMailCursors = jsonCursorCodec(cursorSchema, { accepts: (cursor) => cursor.pk.startsWith('WORKER-MAIL-SEND#') });
export const encodeFailedMailCursor = failedMailCursors.encode;
export const decodeFailedMailCursor = failedMailCursors.decode;

/** Due intents grouped into the mails they make: immediate ones alone, digest ones by recipient and moment. */
export function groupIntoMails(intents: readonly WorkerMailIntent[]): { mailId: string; intents: WorkerMailIntent[] }[] {
  const groups = new Map<string, WorkerMailIntent[]>();
  for (const intent of intents) {
    const key =
      intent.mode === 'immediate'
        ? `${intent.userId}\n${intent.mode}\n${intent.notificationId}`
        : `${intent.userId}\n${intent.mode}\n${intent.sendAt}`;
    const group = groups.get(key);
    if (group) group.push(intent);
    else groups.set(key, [intent]);
  }
  const mails: { mailId: string; intents: WorkerMailIntent[] }[] = [];
  for (const group of groups.values()) {
    const sorted = [...group].sort((a, b) => byCodeUnits(a.notificationId, b.notificationId));
    for (let start = 0; start < sorted.length; start += MAX_INTENTS_PER_MAIL) {
      const part = sorted.slice(start, start + MAX_INTENTS_PER_MAIL);
      const first = part[0]!;
      mails.push({ mailId: mailIdOf(first.userId, first.mode, first.sendAt, first.notificationId), intents: part });
    }
  }
  return mails;
}

export function createWorkerMailStore(documents: DynamoDBDocumentClient, tableName: string) {
  /** An update that only the claim holder may make; false when the claim was lost. */
  async function updateClaimed(
    claimed: ClaimedMail,
    expression: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    return conditionalWrite(() =>
      documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: mailKey(claimed.mail.mailId),
          UpdateExpression: expression,
          ConditionExpression: 'claimId = :claimId',
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: { ':claimId': claimed.claimId, ...values },
        }),
      ),
    );
  }

  const gsiNames = { '#gpk': TABLE_KEYS.gsi1.partitionKey, '#gsk': TABLE_KEYS.gsi1.sortKey };

  const store = {
    ...createWorkerMailIntentsStore(documents, tableName),

    /** Intents whose time has come and which are in no mail yet, soonest first (from the index: may be a moment stale). */
    async dueIntents(now: Date, limit: number): Promise<WorkerMailIntent[]> {
      const result = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: '#gpk = :due AND #gsk <= :upTo',
          ExpressionAttributeNames: gsiNames,
          ExpressionAttributeValues: { ':due': INTENTS_DUE, ':upTo': `${now.toISOString()}#\uffff` },
          Limit: limit,
        }),
      );
      return (result.Items ?? []).map((item) => parseStoredItem(intentSchema, item, 'worker mail intent'));
    },

    /**
     * Puts one group of intents (of one recipient and mode, and for a digest one moment) into one new
     * mail, due now. All or nothing: false when any of them is already in a mail (another run
     * gathered it) or the mail exists; the next run reads the index again.
     */
    async gather(mailId: string, intents: readonly WorkerMailIntent[], now: Date): Promise<boolean> {
      const first = intents[0];
      if (first === undefined || intents.length > MAX_INTENTS_PER_MAIL)
        throw new Error(`A mail holds 1 to ${MAX_INTENTS_PER_MAIL} intents`);
      const at = now.toISOString();
      const mail: WorkerMail = {
        mailId,
        userId: first.userId,
        mode: first.mode,
        sendAt: first.sendAt,
        intents: intents.map(({ notificationId, kind, title, link, reference, urgent, createdAt }) => ({
          notificationId,
          kind,
          title,
          link,
          ...(reference === undefined ? {} : { reference }),
          urgent,
          createdAt,
        })),
        state: 'due',
        attempts: 0,
        createdAt: at,
        nextAttemptAt: at,
      };
      try {
        await documents.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...mailKey(mailId),
                    type: 'WorkerMail',
                    ...mail,
                    [TABLE_KEYS.gsi1.partitionKey]: mailPartition('due'),
                    [TABLE_KEYS.gsi1.sortKey]: sortAt(at, mailId),
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              ...intents.map((intent) => ({
                Update: {
                  TableName: tableName,
                  Key: intentKey(intent.userId, intent.mode, intent.notificationId),
                  UpdateExpression: 'SET #state = :gathered, mailId = :mailId REMOVE #gpk, #gsk',
                  ConditionExpression: '#state = :due',
                  ExpressionAttributeNames: { '#state': 'state', ...gsiNames },
                  ExpressionAttributeValues: { ':gathered': 'gathered', ':mailId': mailId, ':due': 'due' },
                },
              })),
            ],
          }),
        );
        return true;
      } catch (error) {
        if (failedConditionsOf(error) !== undefined || isTransactionConflict(error)) return false;
        throw error;
      }
    },

    /** Mails whose next attempt is due, oldest first (from the index: may be a moment stale; claiming checks). */
    async dueMails(now: Date, limit: number): Promise<WorkerMail[]> {
      const result = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: '#gpk = :due AND #gsk <= :upTo',
          ExpressionAttributeNames: gsiNames,
          ExpressionAttributeValues: { ':due': mailPartition('due'), ':upTo': `${now.toISOString()}#\uffff` },
          Limit: limit,
        }),
      );
      return (result.Items ?? []).map((item) => parseStoredItem(mailSchema, item, 'worker mail'));
    },

    /** Claims a due mail for one step; undefined when someone else claimed it first or it is no longer due. */
    async claim(seen: WorkerMail, now: Date): Promise<ClaimedMail | undefined> {
      if (seen.nextAttemptAt === undefined) return undefined;
      const claimId = crypto.randomUUID();
      const leaseUntil = plusMs(now, MAIL_CLAIM_LEASE_MS);
      let claimed: Record<string, unknown> | undefined;
      const won = await conditionalWrite(async () => {
        const result = await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: mailKey(seen.mailId),
            UpdateExpression: 'SET claimId = :claimId, nextAttemptAt = :lease, #gsk = :leaseSort',
            ConditionExpression: '#state IN (:due, :sending) AND nextAttemptAt = :seen AND nextAttemptAt <= :now',
            ExpressionAttributeNames: { '#state': 'state', '#gsk': TABLE_KEYS.gsi1.sortKey },
            ExpressionAttributeValues: {
              ':claimId': claimId,
              ':lease': leaseUntil,
              ':leaseSort': sortAt(leaseUntil, seen.mailId),
              ':due': 'due',
              ':sending': 'sending',
              ':seen': seen.nextAttemptAt,
              ':now': now.toISOString(),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        claimed = result.Attributes;
      });
      return won ? { mail: parseStoredItem(mailSchema, claimed ?? {}, 'worker mail'), claimId } : undefined;
    },

    /**
     * Step one of an attempt, before SES is called: the mail is `sending` with a new token. If the
     * sender dies after SES accepted the email, the next claimer finds it `sending` (in doubt) and
     * looks for SES's Send event for the token before trying again. Returns the token, or undefined
     * when the claim was lost.
     */
    async beginAttempt(claimed: ClaimedMail, now: Date): Promise<string | undefined> {
      const token = attemptToken(claimed.mail.mailId, claimed.mail.attempts + 1);
      const begun = await updateClaimed(
        claimed,
        'SET #state = :sending, #token = :token, attemptStartedAt = :now, attempts = attempts + :one',
        { '#state': 'state', '#token': 'token' },
        { ':sending': 'sending', ':token': token, ':now': now.toISOString(), ':one': 1 },
      );
      return begun ? token : undefined;
    },

    async recordSent(claimed: ClaimedMail, now: Date, providerMessageId: string | undefined): Promise<boolean> {
      return updateClaimed(
        claimed,
        'SET #state = :sent, sentAt = :now, lastResult = :result, providerMessageId = :messageId REMOVE claimId, nextAttemptAt, #gpk, #gsk',
        { '#state': 'state', ...gsiNames },
        { ':sent': 'sent', ':now': now.toISOString(), ':result': 'accepted by SES', ':messageId': providerMessageId ?? 'unknown' },
      );
    },

    /** An in-doubt attempt with no word from SES yet: wait for its events until `until`. */
    async waitForWord(claimed: ClaimedMail, until: Date): Promise<boolean> {
      const at = until.toISOString();
      return updateClaimed(
        claimed,
        'SET nextAttemptAt = :at, #gsk = :sort REMOVE claimId',
        { '#gsk': TABLE_KEYS.gsi1.sortKey },
        { ':at': at, ':sort': sortAt(at, claimed.mail.mailId) },
      );
    },

    /** SES refused or bounced the attempt: try again at `retryAt` with a new token. */
    async recordRetry(claimed: ClaimedMail, now: Date, problem: string, retryAt: Date): Promise<boolean> {
      const at = retryAt.toISOString();
      return updateClaimed(
        claimed,
        'SET #state = :due, lastResult = :problem, problems = list_append(if_not_exists(problems, :none), :problems), nextAttemptAt = :at, #gsk = :sort REMOVE claimId, #token',
        { '#state': 'state', '#token': 'token', '#gsk': TABLE_KEYS.gsi1.sortKey },
        {
          ':due': 'due',
          ':problem': problem,
          ':none': [],
          ':problems': [`${now.toISOString()} ${problem}`],
          ':at': at,
          ':sort': sortAt(at, claimed.mail.mailId),
        },
      );
    },

    /** No more attempts: listed for administrators, newest first. */
    async recordFailed(claimed: ClaimedMail, now: Date, problem: string): Promise<boolean> {
      const at = now.toISOString();
      return updateClaimed(
        claimed,
        'SET #state = :failed, failedAt = :now, lastResult = :problem, problems = list_append(if_not_exists(problems, :none), :problems), #gpk = :failedPartition, #gsk = :sort REMOVE claimId, nextAttemptAt, #token',
        { '#state': 'state', '#token': 'token', ...gsiNames },
        {
          ':failed': 'failed',
          ':now': at,
          ':problem': problem,
          ':none': [],
          ':problems': [`${at} ${problem}`],
          ':failedPartition': mailPartition('failed'),
          ':sort': sortAt(at, claimed.mail.mailId),
        },
      );
    },

    /** Not sent, and never will be: the recipient has left (or is not in the directory) at send time. */
    async recordNotSent(claimed: ClaimedMail, now: Date, reason: string): Promise<boolean> {
      return updateClaimed(
        claimed,
        'SET #state = :notSent, notSentAt = :now, lastResult = :reason REMOVE claimId, nextAttemptAt, #gpk, #gsk',
        { '#state': 'state', ...gsiNames },
        { ':notSent': 'not-sent', ':now': now.toISOString(), ':reason': reason },
      );
    },

    /**
     * SES's word on one attempt (its Send event: accepted). Kept on the mail whatever its state, so
     * an in-doubt attempt is known to have gone; a mail still `sending` with this token becomes sent.
     */
    async recordAccepted(token: string, now: Date, providerMessageId: string): Promise<void> {
      const mailId = mailIdOfToken(token);
      if (mailId === undefined) return;
      await conditionalWrite(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: mailKey(mailId),
            UpdateExpression: 'SET acceptedTokens = list_append(if_not_exists(acceptedTokens, :none), :token)',
            ConditionExpression: 'attribute_exists(pk) AND NOT contains(acceptedTokens, :tokenValue)',
            ExpressionAttributeValues: { ':none': [], ':token': [token], ':tokenValue': token },
          }),
        ),
      );
      // A mail whose claimer died after SES took it: sent now, without waiting for the lease.
      await conditionalWrite(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: mailKey(mailId),
            UpdateExpression:
              'SET #state = :sent, sentAt = :now, lastResult = :result, providerMessageId = :messageId REMOVE nextAttemptAt, #gpk, #gsk',
            // The claim stays: a sender still at work records its own answer over this one.
            ConditionExpression: '#state = :sending AND #token = :token',
            ExpressionAttributeNames: { '#state': 'state', '#token': 'token', ...gsiNames },
            ExpressionAttributeValues: {
              ':sent': 'sent',
              ':sending': 'sending',
              ':token': token,
              ':now': now.toISOString(),
              ':result': 'accepted by SES (its Send event)',
              ':messageId': providerMessageId,
            },
          }),
        ),
      );
    },

    /**
     * SES's word that an accepted attempt bounced: the mail of this token is due again at
     * `retryAt` (or failed, when `retryAt` is undefined: no attempts left), with the bounce kept.
     * A bounce for an older token than the mail's last attempt changes nothing.
     */
    async recordBounce(token: string, now: Date, problem: string, retryAt: Date | undefined): Promise<boolean> {
      const mailId = mailIdOfToken(token);
      if (mailId === undefined) return false;
      const at = (retryAt ?? now).toISOString();
      const partition = retryAt === undefined ? mailPartition('failed') : mailPartition('due');
      return conditionalWrite(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: mailKey(mailId),
            UpdateExpression: `SET #state = :next, lastResult = :problem, problems = list_append(if_not_exists(problems, :none), :problems), #gpk = :partition, #gsk = :sort, ${
              retryAt === undefined ? 'failedAt = :at REMOVE nextAttemptAt, claimId' : 'nextAttemptAt = :at REMOVE claimId'
            }`,
            // `sending`: SES's Send event has not been seen (it may come after the bounce, or be lost).
            ConditionExpression: '#state IN (:sent, :sending) AND #token = :token',
            ExpressionAttributeNames: { '#state': 'state', '#token': 'token', ...gsiNames },
            ExpressionAttributeValues: {
              ':next': retryAt === undefined ? 'failed' : 'due',
              ':sent': 'sent',
              ':sending': 'sending',
              ':token': token,
              ':problem': problem,
              ':none': [],
              ':problems': [`${now.toISOString()} ${problem}`],
              ':partition': partition,
              ':sort': sortAt(at, mailId),
              ':at': at,
            },
          }),
        ),
      );
    },

    async get(mailId: string): Promise<WorkerMail | undefined> {
      const found = await documents.send(new GetCommand({ TableName: tableName, Key: mailKey(mailId), ConsistentRead: true }));
      return found.Item ? parseStoredItem(mailSchema, found.Item, 'worker mail') : undefined;
    },

    /** Failed mails, newest first. */
    async listFailed(
      limit: number,
      after: FailedMailCursor | undefined,
    ): Promise<{ items: WorkerMail[]; next: FailedMailCursor | undefined }> {
      const result = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: '#gpk = :partition',
          ExpressionAttributeNames: { '#gpk': TABLE_KEYS.gsi1.partitionKey },
          ExpressionAttributeValues: { ':partition': mailPartition('failed') },
          ScanIndexForward: false,
          Limit: limit,
          ...(after ? { ExclusiveStartKey: { ...after, [TABLE_KEYS.gsi1.partitionKey]: mailPartition('failed') } } : {}),
        }),
      );
      const last = result.LastEvaluatedKey;
      return {
        items: (result.Items ?? []).map((item) => parseStoredItem(mailSchema, item, 'worker mail')),
        next: last ? { pk: String(last.pk), sk: String(last.sk), gsi1sk: String(last[TABLE_KEYS.gsi1.sortKey]) } : undefined,
      };
    },
  } satisfies WorkerMailIntents & Record<string, unknown>;
  return store;
}

export type WorkerMailStore = ReturnType<typeof createWorkerMailStore>;
