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
 * A draft is written when its first answers are saved, not when the form is first shown: the
 * public start of the form (anyone, any crawler) writes nothing. Until then a draft is only its
 * id (`unsavedDraft`, version 0). The form's CSRF token is derived from the id (`csrfTokenFor`),
 * so it needs no stored state either.
 *
 * Every change is conditional on the version read (optimistic locking). Sending is claimed once:
 * the first POST of "Send referral" marks the draft as sending; only it stores the referral, and
 * records the referral's id and reference on the draft, so a second click or the back button
 * finds the confirmation instead of making a second referral.
 */

import { createHash, createHmac, randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { onFirstUse } from '@fsp/shared/first-use';
import type { TransactItem } from '@fsp/shared/outbox';
import { conditionalWrite } from '@fsp/shared/store';
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
    // Drafts written before the token was derived from the id kept a random one here; it is no longer read.
    csrfToken: z.optional(z.string()),
    answers: draftAnswersSchema,
    createdAt: z.string(),
    expiresAt: z.number(),
    version: z.int().check(z.gte(1)),
    sendingSince: z.optional(z.string()),
    referralId: z.optional(z.string()),
    reference: z.optional(z.string()),
    anonymous: z.optional(z.boolean()),
  }),
);

export interface Draft {
  draftId: string;
  /** Derived from the id (`csrfTokenFor`), never stored. */
  csrfToken: string;
  answers: DraftAnswers;
  /** Absent until the draft is first saved. */
  createdAt?: string;
  expiresAt?: number;
  /** 0 until the draft is first saved. */
  version: number;
  /** Set while the referral is being stored. */
  sendingSince?: string;
  /** Set once the referral is stored: the draft then only shows its confirmation. */
  referralId?: string;
  reference?: string;
  /** Set with the referral: the confirmation tells an anonymous referrer that nobody will contact them. */
  anonymous?: boolean;
}

export class DraftChanged extends Error {
  override readonly name = 'DraftChanged';
}

/** The draft already names its referral, or has expired: its referral's transaction stored nothing (`sentWrite`). */
export class DraftAlreadySent extends Error {
  override readonly name = 'DraftAlreadySent';
}

/** 128 random bits, URL-safe: the cookie value. */
export const newSecret = (): string => randomBytes(16).toString('base64url');

/**
 * The CSRF token a draft's pages carry: HMAC-SHA256 keyed by the draft's secret id. Stateless (the
 * first page writes nothing), and as strong as a random token kept with the draft: making it
 * takes the id, which only the referrer's browser holds (an HttpOnly cookie, never on a page), and
 * the token gives nothing of the id away. A page from another draft carries another token.
 */
export const csrfTokenFor = (draftId: string): string =>
  createHmac('sha256', draftId).update('fsp-referral-form-csrf-v1').digest('base64url');

/** A draft not yet saved: its id, no answers. Saving its first answers writes it. */
export const unsavedDraft = (draftId: string): Draft => ({
  draftId,
  csrfToken: csrfTokenFor(draftId),
  answers: emptyAnswers(),
  version: 0,
});

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function createDraftsStore(documents: DynamoDBDocumentClient, tableName: string) {
  return {
    /** The draft, unless it never existed or has expired (DynamoDB deletes expired items some time later). */
    async get(draftId: string, now: Date): Promise<Draft | undefined> {
      const found = await documents.send(new GetCommand({ TableName: tableName, Key: draftKey(draftId), ConsistentRead: true }));
      if (!found.Item) return undefined;
      const { csrfToken: _stored, ...stored } = parseStoredItem(storedDraftSchema(), found.Item, 'referral draft');
      if (stored.expiresAt <= epochSeconds(now)) return undefined;
      return { draftId, csrfToken: csrfTokenFor(draftId), ...(stored as Omit<Draft, 'draftId' | 'csrfToken'>) };
    },

    /**
     * Saves new answers if nobody changed the draft since it was read, and it is not being sent.
     * An unsaved draft is written here, for a day from `now`; another request writing it first
     * (a second tab) is a change like any other. An expired draft's leftover item (DynamoDB
     * deletes expired items some time later) is written over.
     */
    async saveAnswers(draft: Draft, answers: DraftAnswers, now: Date): Promise<Draft> {
      if (draft.version === 0) {
        const created: Draft = {
          ...draft,
          answers,
          createdAt: now.toISOString(),
          expiresAt: epochSeconds(now) + DRAFT_LIFETIME_SECONDS,
          version: 1,
        };
        const { draftId, csrfToken: _derived, ...attributes } = created;
        const written = await conditionalWrite(() =>
          documents.send(
            new PutCommand({
              TableName: tableName,
              Item: { ...draftKey(draftId), kind: 'referral-draft', ...attributes },
              ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
              ExpressionAttributeValues: { ':now': epochSeconds(now) },
            }),
          ),
        );
        if (!written) throw new DraftChanged();
        return created;
      }
      const saved = await conditionalWrite(() =>
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
      return conditionalWrite(() =>
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

    /**
     * Records the stored referral on the draft, as a write of the referral's own transaction
     * (referrals-store `saveNew`'s guards): the referral is stored if and only if its draft says so.
     * Its condition fails when the draft already names a referral (an earlier press stored it, and
     * its answer was lost) or has expired; the transaction then stores nothing. The draft keeps only
     * what the confirmation shows, until it expires.
     */
    sentWrite(draft: Draft, referral: { referralId: string; reference: string; anonymous: boolean }): TransactItem {
      return {
        Update: {
          TableName: tableName,
          Key: draftKey(draft.draftId),
          // The answers now live on the referral; the draft drops its copy (share and keep the minimum).
          UpdateExpression:
            'SET referralId = :id, #reference = :reference, anonymous = :anonymous, answers = :empty, version = version + :one',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(referralId)',
          ExpressionAttributeNames: { '#reference': 'reference' },
          ExpressionAttributeValues: {
            ':id': referral.referralId,
            ':reference': referral.reference,
            ':anonymous': referral.anonymous,
            ':empty': emptyAnswers(),
            ':one': 1,
          },
        },
      };
    },

    /**
     * Gives up a claim after a failure, so that trying again can send. False when there is nothing
     * to give up: the draft has gone (expired) or its referral is recorded (the claim is then kept,
     * so that it cannot be sent twice). Any other failure is thrown; the claim then lapses after
     * SENDING_LEASE_MS, when the next "Send referral" takes it over.
     */
    async releaseSending(draft: Draft): Promise<boolean> {
      return conditionalWrite(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: draftKey(draft.draftId),
            UpdateExpression: 'REMOVE sendingSince',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(referralId)',
          }),
        ),
      );
    },
  };
}

export type DraftsStore = ReturnType<typeof createDraftsStore>;
