/**
 * The referrals table: referrals, their references, and the outbox.
 *
 * | access pattern                          | key condition                                            | index |
 * |-----------------------------------------|----------------------------------------------------------|-------|
 * | a referral by id                        | pk = REFERRAL#<id>, sk = REFERRAL                         | table |
 * | the front door's queue, soonest due first | gsi1pk = FRONT-DOOR#AWAITING, gsi1sk begins <decisionDueBy>#<id> | gsi1  |
 * | is a reference taken (guard)            | pk = REFERENCE#<reference>, sk = REFERENCE                | table |
 *
 * A referral leaves the front door's queue when it is decided (its gsi1 keys are removed in the
 * same write), so the queue index holds only the referrals awaiting a decision.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf } from '@fsp/shared/dynamo-errors';
import { FACTOR_CODES, REFERRAL_OUTCOMES, REFERRAL_SOURCE_CODES } from '@fsp/shared/events/codes';
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import { type OutboundEvent, writeWithOutbox } from '@fsp/shared/outbox';
import { parseStoredItem } from '@fsp/shared/stored-item';
import { localDateSchema } from '@fsp/shared/time/local-date';
import * as z from 'zod/mini';
import type { Referral } from '../domain/referral';

const FRONT_DOOR_QUEUE = 'FRONT-DOOR#AWAITING';
const referralKey = (referralId: string) => ({ pk: `REFERRAL#${referralId}`, sk: 'REFERRAL' });
const referenceKey = (reference: string) => ({ pk: `REFERENCE#${reference}`, sk: 'REFERENCE' });

const storedText = z.string();
const storedReferralSchema = z.object({
  referralId: idSchema,
  reference: storedText,
  status: z.enum(['received', 'decided']),
  channel: z.enum(['form', 'partner-api']),
  agencyId: z.optional(idSchema),
  receivedAt: instantSchema,
  decisionDueBy: instantSchema,
  referralSource: z.enum(REFERRAL_SOURCE_CODES),
  familySafeguardingFlag: z.boolean(),
  referrer: z.object({
    name: storedText,
    role: z.optional(storedText),
    organisation: z.optional(storedText),
    email: storedText,
    phone: z.optional(storedText),
  }),
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
  adults: z.array(z.object({ firstName: storedText, lastName: storedText, dateOfBirth: z.optional(storedText), relationship: storedText })),
  concerns: z.object({ whatHappened: storedText, whyNow: storedText }),
  factors: z.array(z.enum(FACTOR_CODES)),
  consent: z.object({ familyKnows: z.boolean(), consentGiven: z.boolean(), withoutConsentReason: z.optional(storedText) }),
  decision: z.optional(
    z.object({
      outcome: z.enum(REFERRAL_OUTCOMES),
      reason: storedText,
      decidedAt: instantSchema,
      decidedBy: idSchema,
      teamId: z.optional(idSchema),
      existingCaseId: z.optional(idSchema),
    }),
  ),
  version: z.int().check(z.gte(1)),
});

/** An item that does not read back as a referral is a defect to see (a StoredItemError), not a referral to guess at. */
const referralFromItem = (item: Record<string, unknown>): Referral => parseStoredItem(storedReferralSchema, item, 'referral') as Referral;

function itemOf(referral: Referral): Record<string, unknown> {
  return {
    ...referralKey(referral.referralId),
    kind: 'referral',
    ...referral,
    ...(referral.status === 'received' ? { gsi1pk: FRONT_DOOR_QUEUE, gsi1sk: `${referral.decisionDueBy}#${referral.referralId}` } : {}),
  };
}

export class ReferenceTaken extends Error {
  override readonly name = 'ReferenceTaken';
}

export class ReferralChanged extends Error {
  override readonly name = 'ReferralChanged';
}

export interface QueueEntry {
  referralId: string;
  reference: string;
  receivedAt: string;
  decisionDueBy: string;
  channel: Referral['channel'];
  referralSource: Referral['referralSource'];
  familySafeguardingFlag: boolean;
  childCount: number;
}

export function createReferralsStore(documents: DynamoDBDocumentClient, tableName: string) {
  return {
    /** One transaction: the referral, its reference (unique), and its ReferralSubmitted. */
    async saveNew(referral: Referral, events: readonly OutboundEvent[], now: Date): Promise<void> {
      try {
        await writeWithOutbox(documents, {
          tableName,
          now,
          writes: [
            { Put: { TableName: tableName, Item: itemOf(referral), ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Put: {
                TableName: tableName,
                Item: { ...referenceKey(referral.reference), kind: 'reference', referralId: referral.referralId },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
          events,
        });
      } catch (error) {
        if (failedConditionsOf(error)?.includes(1)) throw new ReferenceTaken(referral.reference);
        throw error;
      }
    },

    async get(referralId: string): Promise<Referral | undefined> {
      const found = await documents.send(new GetCommand({ TableName: tableName, Key: referralKey(referralId) }));
      return found.Item ? referralFromItem(found.Item) : undefined;
    },

    /** Replaces the referral if nobody changed it since `expectedVersion`, with its events, in one transaction. */
    async saveChanged(referral: Referral, expectedVersion: number, events: readonly OutboundEvent[], now: Date): Promise<void> {
      try {
        await writeWithOutbox(documents, {
          tableName,
          now,
          writes: [
            {
              Put: {
                TableName: tableName,
                Item: itemOf(referral),
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': expectedVersion },
              },
            },
          ],
          events,
        });
      } catch (error) {
        if (failedConditionsOf(error)?.includes(0))
          throw new ReferralChanged(`referral ${referral.referralId} changed since version ${expectedVersion}`);
        throw error;
      }
    },

    /** Awaiting a decision, the soonest due first. */
    async awaitingDecision(limit: number): Promise<QueueEntry[]> {
      const result = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :queue',
          ExpressionAttributeValues: { ':queue': FRONT_DOOR_QUEUE },
          Limit: limit,
        }),
      );
      return (result.Items ?? []).map((item) => {
        const referral = referralFromItem(item);
        return {
          referralId: referral.referralId,
          reference: referral.reference,
          receivedAt: referral.receivedAt,
          decisionDueBy: referral.decisionDueBy,
          channel: referral.channel,
          referralSource: referral.referralSource,
          familySafeguardingFlag: referral.familySafeguardingFlag,
          childCount: referral.children.length,
        };
      });
    },
  };
}

export type ReferralsStore = ReturnType<typeof createReferralsStore>;
