/**
 * The referral item (pk REFERRAL#<referralId>, sk REFERRAL): the one module that knows its keys,
 * its schema and how it maps to and from a `Referral`. Three stores read and write it (the
 * referrals store: intake, screening, decisions and reads; the front-door store: decision
 * reminders and the case opened; the known-family index: the check's matches and the state a match
 * shows), each through what this module builds.
 *
 * An undecided referral carries the front door's queue keys (gsi1pk FRONT-DOOR#AWAITING, gsi1sk
 * `<decisionDueBy>#<referralId>`); the write that decides it drops them, so the queue index holds
 * only the referrals awaiting a decision. Every change moves `version` on (optimistic locking) and
 * `updatedAt` (the agency's change index follows it).
 */
import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { FACTOR_CODES, REFERRAL_OUTCOMES, REFERRAL_SOURCE_CODES } from '@fsp/shared/events/codes';
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import { onFirstUse } from '@fsp/shared/first-use';
import type { TransactItem } from '@fsp/shared/outbox';
import { parseStoredItem } from '@fsp/shared/stored-item';
import { localDateSchema } from '@fsp/shared/time/local-date';
import * as z from 'zod/mini';
import type { DecisionReminder } from '../../domain/decision';
import type { FamilyMatch, MatchedReferralState } from '../../domain/known-family';
import type { OpenCase, Referral } from '../../domain/referral';

/** The front door's queue in gsi1: undecided referrals, sorted by when their decision is due. */
export const FRONT_DOOR_QUEUE = 'FRONT-DOOR#AWAITING';

export const referralKey = (referralId: string) => ({ pk: `REFERRAL#${referralId}`, sk: 'REFERRAL' });

const storedText = z.string();
const referralStatusSchema = z.enum(['received', 'in-screening', 'decided']);

/** A stored referral, validated when read like any other input: a malformed item fails loudly (a StoredItemError). */
const referralItemSchema = onFirstUse(() =>
  z.object({
    referralId: idSchema,
    reference: storedText,
    status: referralStatusSchema,
    channel: z.enum(['form', 'partner-api']),
    agencyId: z.optional(idSchema),
    receivedAt: instantSchema,
    decisionDueBy: instantSchema,
    referralSource: z.enum(REFERRAL_SOURCE_CODES),
    familySafeguardingFlag: z.boolean(),
    /** Absent from an anonymous referral (source 9). */
    referrer: z.optional(
      z.object({
        name: storedText,
        role: z.optional(storedText),
        organisation: z.optional(storedText),
        email: storedText,
        phone: z.optional(storedText),
      }),
    ),
    children: z.array(
      z.object({
        childId: idSchema,
        firstName: storedText,
        lastName: storedText,
        unborn: z.boolean(),
        dateOfBirth: z.optional(localDateSchema),
        gender: z.optional(storedText),
        address: z.optional(z.object({ line1: storedText, line2: z.optional(storedText), town: storedText, postcode: storedText })),
        school: z.optional(storedText),
      }),
    ),
    adults: z.array(
      z.object({ firstName: storedText, lastName: storedText, dateOfBirth: z.optional(storedText), relationship: storedText }),
    ),
    concerns: z.object({ whatHappened: storedText, whyNow: storedText }),
    factors: z.array(z.enum(FACTOR_CODES)),
    consent: z.object({ familyKnows: z.boolean(), consentGiven: z.boolean(), withoutConsentReason: z.optional(storedText) }),
    decision: z.optional(
      z.object({
        outcome: z.enum(REFERRAL_OUTCOMES),
        reason: storedText,
        decidedAt: instantSchema,
        decidedBy: idSchema,
        decidedByName: z.optional(storedText),
        teamId: z.optional(idSchema),
        existingCaseId: z.optional(idSchema),
        existingCaseReference: z.optional(storedText),
      }),
    ),
    screening: z.optional(z.object({ startedBy: idSchema, startedByName: z.optional(storedText), startedAt: instantSchema })),
    familyMatches: z.optional(
      z.array(
        z.object({
          childId: idSchema,
          strength: z.enum(['strong', 'possible']),
          referralId: idSchema,
          reference: storedText,
          receivedAt: instantSchema,
          matchedChildId: idSchema,
        }),
      ),
    ),
    openCase: z.optional(z.object({ caseId: idSchema, openedAt: instantSchema })),
    decisionDueNotifiedAt: z.optional(instantSchema),
    decisionOverdueNotifiedAt: z.optional(instantSchema),
    version: z.int().check(z.gte(1)),
    /** When the referral last changed; items written before it existed read back their receipt time. */
    updatedAt: z.optional(instantSchema),
  }),
);

/** A referral as read back: with the time of its last change, which a save needs to move the agency's change index. */
export type StoredReferral = Referral & { updatedAt: string };

/** An item that does not read back as a referral is a defect to see (a StoredItemError), not a referral to guess at. */
export const toStoredReferral = (item: Record<string, unknown>): StoredReferral => {
  const referral = parseStoredItem(referralItemSchema(), item, 'referral');
  return { ...referral, updatedAt: referral.updatedAt ?? referral.receivedAt } as StoredReferral;
};

/** The whole item for `referral` as it stands at `updatedAt`, in the queue while it is undecided. */
export function referralItem(referral: Referral, updatedAt: string): Record<string, unknown> {
  return {
    ...referralKey(referral.referralId),
    kind: 'referral',
    ...referral,
    updatedAt,
    ...(referral.status !== 'decided' ? { gsi1pk: FRONT_DOOR_QUEUE, gsi1sk: `${referral.decisionDueBy}#${referral.referralId}` } : {}),
  };
}

/** A new referral's Put, written only if no referral has its id. */
export const newReferralPut = (tableName: string, referral: Referral, updatedAt: string): TransactItem => ({
  Put: { TableName: tableName, Item: referralItem(referral, updatedAt), ConditionExpression: 'attribute_not_exists(pk)' },
});

/** The Put replacing a referral, only from the version read: a concurrent writer makes it fail rather than be overwritten. */
export const changedReferralPut = (tableName: string, referral: Referral, updatedAt: string, expectedVersion: number): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: referralItem(referral, updatedAt),
    ConditionExpression: 'version = :expected',
    ExpressionAttributeValues: { ':expected': expectedVersion },
  },
});

/** The attribute that records each reminder, set once so that it is published once. */
const REMINDER_FLAG: Record<DecisionReminder, keyof Pick<Referral, 'decisionDueNotifiedAt' | 'decisionOverdueNotifiedAt'>> = {
  due: 'decisionDueNotifiedAt',
  overdue: 'decisionOverdueNotifiedAt',
};

/** Only undecided referrals never told overdue can need a reminder: a filter on the due end of the queue. */
export const NOT_TOLD_OVERDUE = `attribute_not_exists(${REMINDER_FLAG.overdue})`;

/** Marks a reminder sent, if it was not already and the referral is still undecided; for the reminder's outbox transaction. */
export const reminderSentUpdate = (tableName: string, referralId: string, reminder: DecisionReminder, now: Date): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: referralKey(referralId),
    UpdateExpression: 'SET #flag = :now, version = version + :one',
    ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#flag) AND #status <> :decided',
    ExpressionAttributeNames: { '#flag': REMINDER_FLAG[reminder], '#status': 'status' },
    ExpressionAttributeValues: { ':now': now.toISOString(), ':one': 1, ':decided': 'decided' },
  },
});

/** Records the case opened from the referral, if it has none recorded. */
export const openCaseUpdate = (tableName: string, referralId: string, openCase: OpenCase): UpdateCommandInput => ({
  TableName: tableName,
  Key: referralKey(referralId),
  UpdateExpression: 'SET openCase = :case, version = version + :one',
  ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(openCase)',
  ExpressionAttributeValues: { ':case': openCase, ':one': 1 },
});

/**
 * Records the known-family check's matches, if none are recorded. Bumps the version, so a screening
 * or decision saved from a read taken before the check is refused rather than allowed to drop them.
 * A refusal returns the item as it was (none: there is no such referral).
 */
export const familyMatchesUpdate = (tableName: string, referralId: string, matches: readonly FamilyMatch[]): UpdateCommandInput => ({
  TableName: tableName,
  Key: referralKey(referralId),
  UpdateExpression: 'SET familyMatches = :matches, version = version + :one',
  ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(familyMatches)',
  ExpressionAttributeValues: { ':matches': matches, ':one': 1 },
  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
});

/** What a known-family match reads of an earlier referral: a projection of its item (BatchGetItem's ProjectionExpression). */
export const MATCHED_STATE_PROJECTION = {
  ProjectionExpression:
    '#pk, #sk, #referralId, #reference, #status, #decision.#outcome, #decision.#existingCaseId, #decision.#existingCaseReference, #decision.#teamId, #openCase.#caseId',
  ExpressionAttributeNames: {
    '#pk': 'pk',
    '#sk': 'sk',
    '#referralId': 'referralId',
    '#reference': 'reference',
    '#status': 'status',
    '#decision': 'decision',
    '#outcome': 'outcome',
    '#existingCaseId': 'existingCaseId',
    '#existingCaseReference': 'existingCaseReference',
    '#teamId': 'teamId',
    '#openCase': 'openCase',
    '#caseId': 'caseId',
  },
} as const;

const matchedStateSchema = onFirstUse(() =>
  z.object({
    referralId: idSchema,
    reference: storedText,
    status: referralStatusSchema,
    decision: z.optional(
      z.object({
        outcome: z.enum(REFERRAL_OUTCOMES),
        existingCaseId: z.optional(idSchema),
        existingCaseReference: z.optional(storedText),
        teamId: z.optional(idSchema),
      }),
    ),
    openCase: z.optional(z.object({ caseId: idSchema })),
  }),
);

/**
 * Where an earlier referral stands, from its projected item: its case is the one opened from it
 * (whose reference is its own), or the open case it was added to (whose reference its decision
 * recorded, if it did).
 */
export function toMatchedState(item: Record<string, unknown>): { referralId: string; state: MatchedReferralState } {
  const projected = parseStoredItem(matchedStateSchema(), item, 'matched referral');
  const { openCase, decision } = projected;
  const caseId = openCase?.caseId ?? decision?.existingCaseId;
  const caseReference = openCase ? projected.reference : decision?.existingCaseReference;
  return {
    referralId: projected.referralId,
    state: {
      status: projected.status,
      ...(decision ? { outcome: decision.outcome } : {}),
      ...(caseId ? { caseId } : {}),
      ...(caseId && caseReference ? { caseReference } : {}),
      ...(projected.decision?.teamId ? { teamId: projected.decision.teamId } : {}),
    },
  };
}
