/**
 * The referral form's drafts: what a referrer has answered so far, kept server-side so the form
 * works without JavaScript. The browser holds only a random 128-bit id (cookie `fsp_referral`);
 * the table holds its SHA-256, so reading the table gives nobody a way into someone's draft.
 * Drafts expire after a day (TTL `expiresAt`).
 *
 * | access pattern             | key condition                                   | index |
 * |----------------------------|-------------------------------------------------|-------|
 * | a draft by its cookie id   | pk = DRAFT#<sha256(id)>, sk = DRAFT              | table |
 *
 * Every change is conditional on the version read (optimistic locking). Sending is claimed once:
 * the first POST of "Send referral" marks the draft as sending; only it stores the referral, and
 * records the referral's id and reference on the draft, so a second click or the back button
 * finds the confirmation instead of making a second referral.
 */

import { createHash, randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '@fsp/shared/dynamo-errors';
import { onFirstUse } from '@fsp/shared/first-use';
import { parseStoredItem } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';
import { type DraftAnswers, draftAnswersSchema, emptyAnswers } from '../web/steps';

/** How long a draft lives without being finished. */
export const DRAFT_LIFETIME_SECONDS = 24 * 60 * 60;
/**
 * How long a claim to send lasts: longer than the HTTP function's timeout (10 s), so a claim is
 * only ever taken over from a request that can no longer be running.
 */
export const SENDING_LEASE_MS = 30_000;

const draftKey = (draftId: string) => ({ pk: `DRAFT#${createHash('sha256').update(draftId).digest('hex')}`, sk: 'DRAFT' });

const storedDraftSchema = onFirstUse(() =>
  z.object({
    csrfToken: z.string().check(z.minLength(16)),
    answers: draftAnswersSchema,
    createdAt: z.string(),
    expiresAt: z.number(),
    version: z.int().check(z.gte(1)),
    sendingSince: z.optional(z.string()),
    referralId: z.optional(z.string()),
    reference: z.optional(z.string()),
  }),
);

export interface Draft {
  draftId: string;
  csrfToken: string;
  answers: DraftAnswers;
  createdAt: string;
  expiresAt: number;
  version: number;
  /** Set while the referral is being stored. */
  sendingSince?: string;
  /** Set once the referral is stored: the draft then only shows its confirmation. */
  referralId?: string;
  reference?: string;
}

export class DraftChanged extends Error {
  override readonly name = 'DraftChanged';
}

/** 128 random bits, URL-safe: the cookie value and the CSRF token. */
export const newSecret = (): string => randomBytes(16).toString('base64url');

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function createDraftsStore(documents: DynamoDBDocumentClient, tableName: string) {
  const conditional = async (send: () => Promise<unknown>): Promise<boolean> => {
    try {
      await send();
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  };

  return {
    async create(now: Date): Promise<Draft> {
      const draft: Draft = {
        draftId: newSecret(),
        csrfToken: newSecret(),
        answers: emptyAnswers(),
        createdAt: now.toISOString(),
        expiresAt: epochSeconds(now) + DRAFT_LIFETIME_SECONDS,
        version: 1,
      };
      const { draftId, ...attributes } = draft;
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...draftKey(draftId), kind: 'referral-draft', ...attributes },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return draft;
    },

    /** The draft, unless it never existed or has expired (DynamoDB deletes expired items some time later). */
    async get(draftId: string, now: Date): Promise<Draft | undefined> {
      const found = await documents.send(new GetCommand({ TableName: tableName, Key: draftKey(draftId), ConsistentRead: true }));
      if (!found.Item) return undefined;
      const stored = parseStoredItem(storedDraftSchema(), found.Item, 'referral draft');
      if (stored.expiresAt <= epochSeconds(now)) return undefined;
      return { draftId, ...(stored as Omit<Draft, 'draftId'>) };
    },

    /** Saves new answers if nobody changed the draft since it was read, and it is not being sent. */
    async saveAnswers(draft: Draft, answers: DraftAnswers): Promise<Draft> {
      const saved = await conditional(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: draftKey(draft.draftId),
            UpdateExpression: 'SET answers = :answers, version = :next',
            ConditionExpression: 'version = :expected AND attribute_not_exists(sendingSince)',
            ExpressionAttributeValues: { ':answers': answers, ':next': draft.version + 1, ':expected': draft.version },
          }),
        ),
      );
      if (!saved) throw new DraftChanged();
      return { ...draft, answers, version: draft.version + 1 };
    },

    /**
     * Claims the sending of this draft's referral. True for exactly one caller, unless a claim has
     * gone stale (its request can no longer be running); then the next caller takes it over.
     */
    async claimSending(draft: Draft, now: Date): Promise<boolean> {
      return conditional(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: draftKey(draft.draftId),
            UpdateExpression: 'SET sendingSince = :now',
            ConditionExpression:
              'attribute_exists(pk) AND attribute_not_exists(referralId) AND (attribute_not_exists(sendingSince) OR sendingSince < :stale)',
            ExpressionAttributeValues: { ':now': now.toISOString(), ':stale': new Date(now.getTime() - SENDING_LEASE_MS).toISOString() },
          }),
        ),
      );
    },

    /** Records the stored referral; the draft keeps only what the confirmation shows, until it expires. */
    async markSent(draft: Draft, referral: { referralId: string; reference: string }): Promise<void> {
      await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: draftKey(draft.draftId),
          // The answers now live on the referral; the draft drops its copy (share and keep the minimum).
          UpdateExpression: 'SET referralId = :id, #reference = :reference, answers = :empty, version = version + :one',
          ExpressionAttributeNames: { '#reference': 'reference' },
          ExpressionAttributeValues: { ':id': referral.referralId, ':reference': referral.reference, ':empty': emptyAnswers(), ':one': 1 },
        }),
      );
    },

    /** Gives up a claim after a failure, so that trying again can send. */
    async releaseSending(draft: Draft): Promise<void> {
      await documents
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: draftKey(draft.draftId),
            UpdateExpression: 'REMOVE sendingSince',
            ConditionExpression: 'attribute_not_exists(referralId)',
          }),
        )
        .catch(() => undefined);
    },
  };
}

export type DraftsStore = ReturnType<typeof createDraftsStore>;
